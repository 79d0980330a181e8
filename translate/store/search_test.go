package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
)

const searchText = "عنوان\n\nقال إن الضمانات الأمنية ضرورية. وطالب بالضمانات الآن. الضَّماناتُ مهمة.\n\nلا ضمانات في بيلاروسيا ولا في روسيا. وقال الوزير كلاما آخر."

// spanOf is the code point span of the first occurrence of sub in text.
func spanOf(t *testing.T, text, sub string) store.Span {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	start := utf8.RuneCountInString(text[:i])
	return store.Span{start, start + utf8.RuneCountInString(sub)}
}

func TestSearch(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	ctx := context.Background()
	a, err := s.CreateArticle(ctx, "عنوان", searchText, "")
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := s.Segments(ctx, a.ID)
	if len(segs) != 6 {
		t.Fatalf("searchText split into %d segments, want 6", len(segs))
	}
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[1].ID, Target: "He said SECURITY guarantees are essential; security  matters.", Status: translate.StatusMachine},
		{SegmentID: segs[2].ID, Target: "He demanded the guarantees now.", Status: translate.StatusMachine},
	}); err != nil {
		t.Fatal(err)
	}
	type hit struct {
		index int
		spans []string // the highlighted text
	}
	for _, tc := range []struct {
		name, q string
		field   string
		want    []hit
	}{
		{"clitics and the article", "ضمانات", store.FieldSource, []hit{
			{1, []string{"الضمانات"}},    // article kept in the highlight
			{2, []string{"الضمانات"}},    // بالضمانات: the preposition is not highlighted
			{3, []string{"الضَّماناتُ"}}, // harakat inside and after the word
			{4, []string{"ضمانات"}},
		}},
		{"query with the article", "الضمانات", store.FieldSource, []hit{{1, []string{"الضمانات"}}, {2, []string{"الضمانات"}}, {3, []string{"الضَّماناتُ"}}, {4, []string{"ضمانات"}}}},
		{"query with harakat", "ضَمانات", store.FieldSource, []hit{{1, []string{"الضمانات"}}, {2, []string{"الضمانات"}}, {3, []string{"الضَّماناتُ"}}, {4, []string{"ضمانات"}}}},
		{"two words in a row", "ضمانات أمنية", store.FieldSource, []hit{{1, []string{"الضمانات الأمنية"}}}},
		{"not inside a longer word", "روسيا", store.FieldSource, []hit{{4, []string{"روسيا"}}}},
		{"short word matches whole words only", "قال", store.FieldSource, []hit{{1, []string{"قال"}}}},
		{"article optional in the text", "وزير", store.FieldSource, []hit{{5, []string{"الوزير"}}}},
		{"conjunction stripped", "طالب", store.FieldSource, []hit{{2, []string{"طالب"}}}},
		{"English, any case", "security", store.FieldTarget, []hit{{1, []string{"SECURITY", "security"}}}},
		{"English phrase over a run of spaces", "Security matters", store.FieldTarget, []hit{{1, []string{"security  matters"}}}},
		{"English substring", "guarantee", store.FieldTarget, []hit{{1, []string{"guarantee"}}, {2, []string{"guarantee"}}}},
		{"nothing", "Lavrov", store.FieldTarget, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(ctx, tc.q, 50)
			if err != nil {
				t.Fatal(err)
			}
			var got []hit
			for _, h := range hits {
				if h.Field != tc.field || h.ArticleID != a.ID || h.ArticleTitle != "عنوان" || h.SegmentID != segs[h.Index].ID {
					t.Errorf("hit %+v: wrong field or ids", h)
				}
				text := []rune(h.Source)
				if h.Field == store.FieldTarget {
					text = []rune(h.Target)
				}
				var spans []string
				for _, sp := range h.Spans {
					spans = append(spans, string(text[sp.Start:sp.End]))
				}
				got = append(got, hit{h.Index, spans})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Search(%q) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}

	// Offsets are code points of the original text, not bytes or normalized runes.
	hits, _ := s.Search(ctx, "ضمانات", 50)
	if want := spanOf(t, segs[3].Source, "الضَّماناتُ"); hits[2].Spans[0] != want {
		t.Errorf("span in %q = %+v, want %+v", segs[3].Source, hits[2].Spans[0], want)
	}
	if hits, _ := s.Search(ctx, "ضمانات", 2); len(hits) != 2 {
		t.Errorf("limit 2 gave %d hits", len(hits))
	}
	for _, q := range []string{"", "   ", strings.Repeat("ا", store.MaxSearchRunes+1)} {
		if _, err := s.Search(ctx, q, 10); !errors.Is(err, translate.ErrInvalid) {
			t.Errorf("Search(%.10q) error = %v, want ErrInvalid", q, err)
		}
	}
	if hits, err := s.Search(ctx, "؟!", 10); err != nil || len(hits) != 0 {
		t.Errorf("punctuation-only query = %v, %v", hits, err)
	}
}

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		text  string
		spans []store.Span
		want  []store.TextPart
	}{
		{"abc", nil, []store.TextPart{{"abc", false}}},
		{"a bc d", []store.Span{{2, 4}}, []store.TextPart{{"a ", false}, {"bc", true}, {" d", false}}},
		{"ضمانات أمنية", []store.Span{{0, 6}, {7, 12}}, []store.TextPart{{"ضمانات", true}, {" ", false}, {"أمنية", true}}},
		{"abc", []store.Span{{1, 99}}, []store.TextPart{{"a", false}, {"bc", true}}},
		{"", nil, nil},
	} {
		if got := store.Highlight(tc.text, tc.spans); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Highlight(%q, %v) = %+v, want %+v", tc.text, tc.spans, got, tc.want)
		}
	}
}
