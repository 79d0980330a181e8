package store_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
)

// checkWhole fails unless article id's segments join back to its text, are numbered 0…n-1,
// and start a paragraph exactly where their separator says so.
func checkWhole(t *testing.T, s *store.Store, id int64) []translate.Segment {
	t.Helper()
	ctx := context.Background()
	a, err := s.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var joined strings.Builder
	for i, g := range segs {
		joined.WriteString(g.Source + g.Sep)
		if g.Index != i {
			t.Fatalf("segment %d has index %d", i, g.Index)
		}
		want := 0
		if i > 0 {
			want = segs[i-1].Paragraph
			if translate.NewParagraph(segs[i-1].Sep) {
				want++
			}
		}
		if g.Paragraph != want {
			t.Fatalf("#%d is in paragraph %d, want %d (separator before it %q)", i+1, g.Paragraph, want, segs[max(i-1, 0)].Sep)
		}
	}
	if joined.String() != a.SourceText {
		t.Fatalf("the segments no longer join to the article's text:\n%q\n%q", joined.String(), a.SourceText)
	}
	return segs
}

func TestStore_SplitSegment(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Sample(t, s) // #2 "قال ريابكوف إن موسكو مستعدة للحوار." then #3 in the same paragraph
	g := segs[1]
	if _, err := s.Approve(ctx, g.ID, "Ryabkov said Moscow was ready for dialogue.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	at := utf8.RuneCountInString("قال ريابكوف ") // the cut falls after the space: it goes between the parts
	for _, c := range []struct {
		name    string
		version int
		at      int
		want    error
	}{
		{"ErrStale", 1, at, translate.ErrConflict},
		{"ErrAtStart", 2, 0, translate.ErrInvalid},
		{"ErrAtEnd", 2, utf8.RuneCountInString(g.Source), translate.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.SplitSegment(ctx, g.ID, c.version, c.at, nil, "sami"); !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	parts, err := s.SplitSegment(ctx, g.ID, 2, at, nil, "sami")
	if err != nil {
		t.Fatal(err)
	}
	first, second := parts[0], parts[1]
	if first.ID != g.ID || first.Source != "قال ريابكوف" || first.Sep != " " || first.Target != "Ryabkov said Moscow was ready for dialogue." ||
		first.Status != translate.StatusEdited || first.Version != 3 {
		t.Errorf("first part = %+v; want the id, the English, and an approval fallen back to edited", first)
	}
	if second.Index != 2 || second.Source != "إن موسكو مستعدة للحوار." || second.Sep != g.Sep || second.Target != "" ||
		second.Status != translate.StatusUntranslated || second.Paragraph != g.Paragraph {
		t.Errorf("second part = %+v", second)
	}
	now := checkWhole(t, s, a.ID)
	if len(now) != 4 || now[3].ID != segs[2].ID || now[3].Index != 3 {
		t.Errorf("the segment after the split is not renumbered: %+v", now[3])
	}
	revs, _ := s.Revisions(ctx, g.ID)
	if last := revs[len(revs)-1]; last.Kind != "split" || last.Author != "sami" || !strings.Contains(last.Note, "قال ريابكوف إن موسكو مستعدة للحوار.") {
		t.Errorf("split revision of the first part = %+v", last)
	}
	if revs, _ := s.Revisions(ctx, second.ID); len(revs) != 1 || revs[0].Kind != "split" {
		t.Errorf("revisions of the second part = %+v", revs)
	}

	// With targets, each part gets its English, edited.
	parts, err = s.SplitSegment(ctx, segs[2].ID, segs[2].Version, 5, &store.SplitTargets{First: " He added ", Second: "that guarantees are essential!"}, "sami")
	if err != nil {
		t.Fatal(err)
	}
	if parts[0].Target != "He added" || parts[0].Status != translate.StatusEdited || parts[1].Target != "that guarantees are essential!" || parts[1].Status != translate.StatusEdited || parts[1].Index != 4 {
		t.Errorf("split with targets = %+v", parts)
	}
	checkWhole(t, s, a.ID)
}

func TestStore_MergeSegment(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s) // 0 approved | 1 edited, 2 machine | 3 excluded | 4 untranslated
	one, two := segs[1], segs[2]
	t.Run("ErrStaleNext", func(t *testing.T) {
		_, err := s.MergeSegment(ctx, one.ID, one.Version, two.Version-1, "sami")
		var ce *translate.ConflictError
		if !errors.As(err, &ce) || ce.Current.ID != two.ID {
			t.Errorf("err = %v, want a conflict on the next segment", err)
		}
	})
	t.Run("ErrLast", func(t *testing.T) {
		if _, err := s.MergeSegment(ctx, segs[4].ID, segs[4].Version, 1, "sami"); !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), "#5 is the last segment") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrExcludedWithOther", func(t *testing.T) {
		if _, err := s.MergeSegment(ctx, two.ID, two.Version, segs[3].Version, "sami"); !errors.Is(err, translate.ErrConflict) || !strings.Contains(err.Error(), "#3 and #4 are not both excluded") {
			t.Errorf("err = %v", err)
		}
	})
	merged, err := s.MergeSegment(ctx, one.ID, one.Version, two.Version, "sami")
	if err != nil {
		t.Fatal(err)
	}
	if merged.Source != one.Source+one.Sep+two.Source || merged.Sep != two.Sep || merged.Target != one.Target+" "+two.Target ||
		merged.Status != translate.StatusEdited || merged.Version != one.Version+1 {
		t.Errorf("merged = %+v", merged)
	}
	now := checkWhole(t, s, a.ID)
	if len(now) != 4 || now[2].ID != segs[3].ID || now[3].ID != segs[4].ID {
		t.Errorf("not renumbered: %+v", now)
	}
	if _, err := s.Segment(ctx, two.ID); !errors.Is(err, translate.ErrNotFound) {
		t.Errorf("the merged-in segment is still there: %v", err)
	}
	revs, _ := s.Revisions(ctx, one.ID)
	var own, moved int
	for _, r := range revs {
		if r.MergedFrom == two.ID {
			moved++
		} else {
			own++
		}
	}
	if moved != 1 || own != 3 || revs[len(revs)-1].Kind != "merge" {
		t.Errorf("history after the merge: %+v; want both segments' revisions and the merge", revs)
	}
}

// The segmentation cannot change while a run is going on the article.
func TestStore_ResegmentRefusedDuringRun(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Sample(t, s)
	run := translate.Report{ArticleID: a.ID, Backend: "fake"}
	if err := s.StartRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SplitSegment(ctx, segs[1].ID, 1, 3, nil, "sami"); !errors.Is(err, translate.ErrConflict) || !strings.Contains(err.Error(), "is being translated") {
		t.Errorf("split during a run = %v", err)
	}
	if _, err := s.MergeSegment(ctx, segs[1].ID, 1, 1, "sami"); !errors.Is(err, translate.ErrConflict) || !strings.Contains(err.Error(), "before merging #2") {
		t.Errorf("merge during a run = %v", err)
	}
	checkWhole(t, s, a.ID)
}

// TestStore_ResegmentKeepsTheTextWhole: random splits and merges over the seed articles
// (article 2 has a sentence over two lines) always keep each article's text whole, its
// segments numbered and its paragraphs where its separators say, and never lose a revision.
func TestStore_ResegmentKeepsTheTextWhole(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	terms := glossary.NewStore(db.W, db.R, time.Now)
	s := store.New(db.W, db.R, time.Now, terms)
	if err := seeds.Load(ctx, db.W, time.Now, s, terms, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	// Seed article 2 cuts one sentence over two lines: merged, it is one segment with the line
	// break inside, and a split gives the two rows back.
	segs := checkWhole(t, s, 2)
	var line int
	for i, g := range segs {
		if strings.HasPrefix(g.Source, "الموقع قدم أوراق اعتماده") {
			line = i
		}
	}
	merged, err := s.MergeSegment(ctx, segs[line].ID, segs[line].Version, segs[line+1].Version, "sami")
	if err != nil || merged.Source != "الموقع قدم أوراق اعتماده\nالى نقابة الصحفيين العراقيين" {
		t.Fatalf("merge of the broken sentence = %q, %v", merged.Source, err)
	}
	checkWhole(t, s, 2)

	rng := rand.New(rand.NewPCG(14, 2026))
	revisions := func() int {
		var n int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM revisions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	splits, merges := 0, 0
	for step := 0; step < 300; step++ {
		id := int64(1 + rng.IntN(5))
		segs := checkWhole(t, s, id)
		g := segs[rng.IntN(len(segs))]
		before := revisions()
		if rng.IntN(2) == 0 {
			at := rng.IntN(utf8.RuneCountInString(g.Source) + 1)
			_, err := s.SplitSegment(ctx, g.ID, g.Version, at, nil, "prop")
			switch {
			case errors.Is(err, translate.ErrInvalid):
				continue // a cut at an end, or beside white space only
			case err != nil:
				t.Fatalf("step %d: split #%d at %d: %v", step, g.Number(), at, err)
			}
			if after := revisions(); after != before+2 {
				t.Fatalf("step %d: %d revisions after a split, want %d", step, after, before+2)
			}
			splits++
			continue
		}
		if g.Index == len(segs)-1 {
			continue
		}
		next := segs[g.Index+1]
		_, err := s.MergeSegment(ctx, g.ID, g.Version, next.Version, "prop")
		switch {
		case errors.Is(err, translate.ErrConflict) && (g.Status == translate.StatusExcluded) != (next.Status == translate.StatusExcluded):
			continue
		case err != nil:
			t.Fatalf("step %d: merge #%d: %v", step, g.Number(), err)
		}
		if after := revisions(); after != before+1 {
			t.Fatalf("step %d: %d revisions after a merge, want %d", step, after, before+1)
		}
		merges++
	}
	if splits < 50 || merges < 50 {
		t.Errorf("%d splits and %d merges: too few to say much", splits, merges)
	}
	for id := int64(1); id <= 5; id++ {
		checkWhole(t, s, id)
	}
}
