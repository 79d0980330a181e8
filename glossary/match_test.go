package glossary

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// seedTerms parses seeds/glossary.csv (canonical columns arabic,english,type,variants,...).
// Without variants, the explicit variant spellings are dropped so that only NameKey can find them.
func seedTerms(tb testing.TB, withVariants bool) []Term {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "seeds", "glossary.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var terms []Term
	for i, r := range recs[1:] {
		t := Term{ID: int64(i + 1), Arabic: r[0], English: r[1], Type: TermType(r[2])}
		if withVariants && r[3] != "" {
			t.Variants = strings.Split(r[3], "|")
		}
		terms = append(terms, t)
	}
	return terms
}

// seedArticles returns the texts of seeds/*.txt.
func seedArticles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no seed articles: %v", err)
	}
	var out []string
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// hits renders matches compactly: «text»=English, with a trailing ~ for a variant hit.
func hits(ms []Match) []string {
	var out []string
	for _, m := range ms {
		s := "«" + m.Text + "»=" + m.English
		if m.Variant {
			s += "~"
		}
		out = append(out, s)
	}
	return out
}

// checkSpans verifies the invariants every Match result must keep.
func checkSpans(t testing.TB, text string, ms []Match) {
	t.Helper()
	// byte offset of every code point, as range-over-string counts them
	offs := make([]int, 0, len(text)+1)
	for i := range text {
		offs = append(offs, i)
	}
	n := len(offs)
	offs = append(offs, len(text))
	prev := 0
	for i, m := range ms {
		if m.Start < 0 || m.Start >= m.End || m.End > n {
			t.Fatalf("match %d %+v: bad span for %d code points", i, m, n)
		}
		if m.Start < prev {
			t.Fatalf("match %d %+v: overlaps or out of order (previous end %d)", i, m, prev)
		}
		if got := text[offs[m.Start]:offs[m.End]]; got != m.Text {
			t.Fatalf("match %d: Text %q, but text[%d:%d] = %q", i, m.Text, m.Start, m.End, got)
		}
		prev = m.End
	}
}

var (
	seedOnce    sync.Once
	seedMatcher *Matcher
)

func seedM(t testing.TB) *Matcher {
	seedOnce.Do(func() { seedMatcher = NewMatcher(seedTerms(t, true)) })
	return seedMatcher
}

func terms(spec ...string) []Term {
	var out []Term
	for i, s := range spec {
		typ := TypeTerm
		if strings.HasPrefix(s, "name:") {
			typ, s = TypeName, strings.TrimPrefix(s, "name:")
		}
		ar, en, _ := strings.Cut(s, "=")
		out = append(out, Term{ID: int64(100 + i), Arabic: ar, English: en, Type: typ})
	}
	return out
}

func TestMatchSeedSentences(t *testing.T) {
	m := seedM(t)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"name with title", "قال نائب وزير الخارجية الروسي سيرجي ريابكوف ، اليوم الخميس ، بحسب وكالة أنباء إنترفاكس",
			[]string{"«نائب وزير الخارجية»=deputy foreign minister", "«سيرجي ريابكوف»=Sergei Ryabkov", "«إنترفاكس»=Interfax"}},
		{"a listed variant spelling is a variant", "صرّح نائب وزير الخارجية الروسي سيرغي ريابكوف، لوكالة",
			[]string{"«نائب وزير الخارجية»=deputy foreign minister", "«سيرغي ريابكوف»=Sergei Ryabkov~"}},
		{"conjunction و before a name", "روسيا: دونيتسك ولوغانسك طلبا مساعدتنا",
			[]string{"«روسيا»=Russia", "«دونيتسك»=Donetsk", "«لوغانسك»=Luhansk"}},
		{"لافروف and ولافروف", "مكالمة بين بلينكن ولافروف حول أزمة أوكرانيا",
			[]string{"«بلينكن»=Blinken", "«لافروف»=Lavrov", "«أوكرانيا»=Ukraine"}},
		{"للناتو: ل stripped, article ل kept", "وسحب البنية التحتية للناتو إلى حدود عام 1997 قبل أن يضم الحلف جمهوريات سوفيتية سابقة",
			[]string{"«لناتو»=NATO~", "«الحلف»=the alliance", "«جمهوريات سوفيتية سابقة»=former Soviet republics"}},
		{"article dropped in text", "بشأن مطالبات موسكو بالحصول على ضمانات أمنية",
			[]string{"«موسكو»=Moscow", "«ضمانات أمنية»=security guarantees"}},
		{"بالضمانات: ب stripped", "تمسك موسكو بالضمانات الأمنية",
			[]string{"«موسكو»=Moscow", "«الضمانات الأمنية»=security guarantees"}},
		{"للضمانات", "رؤية روسيا للضمانات الأمنية",
			[]string{"«روسيا»=Russia", "«لضمانات الأمنية»=security guarantees"}},
		{"الغربية is not الغرب", "في طريق المحادثات الروسية الغربية", nil},
		{"longest wins: الدول الغربية", "جديدة مع الدول الغربية", []string{"«الدول الغربية»=Western countries"}},
		{"بيلاروسيا is not روسيا", "المحادثات مع أوكرانيا في بيلاروسيا يمكن أن تسفر",
			[]string{"«أوكرانيا»=Ukraine", "«بيلاروسيا»=Belarus"}},
		{"multi-word with internal و", "منظمة الأمن والتعاون في أوروبا",
			[]string{"«منظمة الأمن والتعاون في أوروبا»=Organization for Security and Cooperation in Europe"}},
		{"short term exact only", "وكالة تاس الروسية", []string{"«تاس»=TASS"}},
		{"AFP in a dateline", "من كييف (أ ف ب)", []string{"«كييف»=Kyiv", "«أ ف ب»=AFP"}},
		{"Russian foreign minister", "وزير الخارجية الروسي سيرجي لافروف",
			[]string{"«وزير الخارجية الروسي»=Russian Foreign Minister", "«سيرجي لافروف»=Sergei Lavrov"}},
		{"Russian president", "أعلن الرئيس الروسي فلاديمير بوتين",
			[]string{"«الرئيس الروسي»=Russian President", "«فلاديمير بوتين»=Vladimir Putin"}},
		{"deputy minister stays the longest match", "نائب وزير الخارجية الروسي سيرجي ريابكوف",
			[]string{"«نائب وزير الخارجية»=deputy foreign minister", "«سيرجي ريابكوف»=Sergei Ryabkov"}},
		{"byline", "نشر\nالأمصار", []string{"«الأمصار»=Al-Amsar"}},
		{"short term not stripped", "وتاس والتاس لتاس", nil},
		{"NATO forms", "حلف شمال الأطلسي “الناتو” وحلف الناتو",
			[]string{"«حلف شمال الأطلسي»=NATO", "«الناتو»=NATO~", "«حلف الناتو»=NATO~"}},
		{"short bare forms need the article", "حلف اليمين في غرب أوكرانيا",
			[]string{"«أوكرانيا»=Ukraine"}},
		{"with the article they match", "قال الحلف إن الغرب وللغرب", []string{"«الحلف»=the alliance", "«الغرب»=the West", "«لغرب»=the West"}},
		{"longer bare forms need no article", "قال كرملين موسكو", []string{"«كرملين»=the Kremlin", "«موسكو»=Moscow"}},
		{"own Arabic, article optional", "حلف شمال أطلسي والحلف", []string{"«حلف شمال أطلسي»=NATO", "«الحلف»=the alliance"}},
		{"listed variant of a term", "التحالف وبالتحالف", []string{"«التحالف»=the alliance~", "«التحالف»=the alliance~"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.text)
			checkSpans(t, tt.text, got)
			if g := hits(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Match(%q)\n got  %q\n want %q", tt.text, g, tt.want)
			}
		})
	}
}

func TestMatchPhraseNotAcrossPunctuation(t *testing.T) {
	m := seedM(t)
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"full stop", "نحن نريد الضمانات. الأمنية مهمة", nil},
		{"full stop before an adjective", "زار أوروبا. الشرقية", []string{"«أوروبا»=Europe"}},
		{"bracket", "سيرجي (ريابكوف)", []string{"«ريابكوف»=Ryabkov"}},
		{"Arabic comma", "وزير، الخارجية", nil},
		{"quotes do not break a phrase", "الحرب «الباردة»", []string{"«الحرب «الباردة»»=Cold War"}},
		{"nor do they hide a full stop", "الحرب». «الباردة", nil},
		{"spaced dash", "الحرب - الباردة", nil},
		{"slash", "أوروبا/الشرقية", []string{"«أوروبا»=Europe"}},
		{"line break", "الحرب\nالباردة", nil},
		{"NBSP and tatweel join", "الحرب\u00a0الـــباردة", []string{"«الحرب\u00a0الـــباردة»=Cold War"}},
		{"unspaced hyphen joins", "الحرب-الباردة", []string{"«الحرب-الباردة»=Cold War"}},
		{"bidi mark joins", "الحرب \u200fالباردة", []string{"«الحرب \u200fالباردة»=Cold War"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.text)
			checkSpans(t, tt.text, got)
			if g := hits(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Match(%q)\n got  %q\n want %q", tt.text, g, tt.want)
			}
		})
	}
}

func TestMatchArticleOptionalBothSides(t *testing.T) {
	bare := NewMatcher(terms("ضمانات أمنية=security guarantees"))
	def := NewMatcher(terms("الضمانات الأمنية=security guarantees"))
	for _, tt := range []struct {
		m    *Matcher
		text string
		want string
	}{
		{bare, "الضمانات الأمنية", "الضمانات الأمنية"},
		{bare, "ضمانات أمنية", "ضمانات أمنية"},
		{bare, "وبالضمانات الأمنية", "الضمانات الأمنية"},
		{def, "ضمانات أمنية", "ضمانات أمنية"},
		{def, "بالضمانات الأمنية", "الضمانات الأمنية"},
		{def, "للضمانات الأمنية", "لضمانات الأمنية"},
		{def, "فللضمانات الامنيه", "لضمانات الامنيه"},
		{def, "الضمانات الامنية", "الضمانات الامنية"}, // no hamza in the text
	} {
		got := tt.m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if len(got) != 1 || got[0].Text != tt.want || got[0].Variant {
			t.Errorf("%q: got %+v, want one hit %q", tt.text, got, tt.want)
		}
	}
}

func TestMatchTraps(t *testing.T) {
	m := NewMatcher(terms(
		"name:روسيا=Russia", "الغرب=the West", "name:لافروف=Lavrov", "زير=zeer", "name:افروف=Afrov",
		"وزير=minister", "name:الناتو=NATO", "name:لبنان=Lebanon", "name:ناتو=Nato-bare",
	))
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"بيلاروسيا", nil},
		{"روسيا وروسيا", []string{"«روسيا»=Russia", "«روسيا»=Russia"}},
		{"الغربية والغربي", nil},
		{"الغرب وللغرب", []string{"«الغرب»=the West", "«لغرب»=the West"}},
		{"والغرب", []string{"«الغرب»=the West"}},
		{"غرب أوكرانيا وبغرب", nil},              // the bare form غرب is too short to stand for الغرب
		{"لافروف", []string{"«لافروف»=Lavrov"}},  // the token itself first, not ل+افروف
		{"ولافروف", []string{"«لافروف»=Lavrov"}}, // و stripped, ل kept
		{"افروف", []string{"«افروف»=Afrov"}},
		{"وزير", []string{"«وزير»=minister"}}, // not و+زير
		{"ووزير", []string{"«وزير»=minister"}},
		{"وزيرة", nil},
		{"زير", []string{"«زير»=zeer"}},
		{"للناتو", []string{"«لناتو»=NATO"}}, // ل + ال; exact article reading beats ناتو
		{"ناتو", []string{"«ناتو»=Nato-bare"}},
		{"للبنان", []string{"«لبنان»=Lebanon"}}, // ل + لبنان
		{"بال", nil}, // too short to strip
	} {
		got := m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if g := hits(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, g, tt.want)
		}
	}
}

// matchTable runs Match over each text and compares the hits (see hits), checking the spans.
func matchTable(t *testing.T, m *Matcher, tests []struct {
	text string
	want []string
}) {
	t.Helper()
	for _, tt := range tests {
		got := m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if g := hits(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("Match(%q)\n got  %q\n want %q", tt.text, g, tt.want)
		}
	}
}

// TestMatchConstructState: a single-word term with the article whose bare form has at most 3
// letters (الأمن, الغرب, الحلف) matches that bare form where it is the head of a construct
// (إضافة) — followed by a glossary name, or by a definite noun when a preposition makes the
// head a noun — but never when the bare form is a direction (غرب البلاد is "the west of the
// country", not "the West"), and not where it may as well be a verb with its subject or
// object (حلف اليمين "swore the oath").
func TestMatchConstructState(t *testing.T) {
	m := NewMatcher(terms("الأمن=security", "الغرب=the West", "الحلف=the alliance", "name:أوروبا=Europe",
		"name:روسيا=Russia", "name:أوكرانيا=Ukraine", "name:الناتو=NATO"))
	matchTable(t, m, []struct {
		text string
		want []string
	}{
		// followed by a name
		{"وأكد الوزير أن أمن أوروبا جزء لا يتجزأ من أمن روسيا",
			[]string{"«أمن»=security", "«أوروبا»=Europe", "«أمن»=security", "«روسيا»=Russia"}},
		{"وقال إن توسع حلف الناتو شرقا يهدد روسيا",
			[]string{"«حلف»=the alliance", "«الناتو»=NATO", "«روسيا»=Russia"}},
		{"وأمن أوروبا", []string{"«أمن»=security", "«أوروبا»=Europe"}},
		// followed by a definite noun, the head after a preposition (attached or a word)
		{"وتشكل هذه الصواريخ تهديدا مباشرا لأمن المنطقة", []string{"«أمن»=security"}},
		{"وشدد على التزام بلاده بأمن الخليج", []string{"«أمن»=security"}},
		{"ناقش الجانبان التعاون في أمن الطاقة", []string{"«أمن»=security"}},
		{"ودعا إلى الحفاظ على أمن القارة", []string{"«أمن»=security"}},
		{"وحرصا على أمن «المنطقة»", []string{"«أمن»=security"}},
		// the article itself still matches everywhere
		{"قال الحلف إن الأمن أولوية للغرب", []string{"«الحلف»=the alliance", "«الأمن»=security", "«لغرب»=the West"}},

		// traps: a direction in construct names a part of a place
		{"اندلعت اشتباكات عنيفة في غرب البلاد", nil},
		{"وتتمركز القوات في غرب أوكرانيا", []string{"«أوكرانيا»=Ukraine"}},
		{"وتقدمت القوات لغرب المدينة", nil},
		// a definite common noun without a preposition: حلف اليمين is "swore the oath", and
		// يهدد أمن المنطقة has the same shape, so it stays unmatched too
		{"وقد حلف اليمين الدستورية أمام البرلمان", nil},
		{"يهدد أمن المنطقة", nil},
		// not a construct: indefinite, a preposition or و on the second word, punctuation, a
		// function word
		{"ويشكل تهديدا لأمن قومي", nil},
		{"حماية لأمن للمنطقة", nil},
		{"لأمن والمنطقة", nil},
		{"لأمن، المنطقة", nil},
		{"لأمن. أوروبا", []string{"«أوروبا»=Europe"}},
		{"لأمن الذي", nil},
		{"لأمن أوروبي", nil},
	})
}

// TestMatchLeadWordClitics: on the first word of a match the proclitics and the article are
// stripped whatever the length of what is left (at least the 2 letters a term's own word keeps
// after its article), so والحل السياسي matches الحل السياسي. Inside a phrase the usual guard
// stays (TestMatchProcliticsOnInteriorTokens: حلف والحل).
func TestMatchLeadWordClitics(t *testing.T) {
	m := NewMatcher(terms("الحل السياسي=political solution", "الحل=the solution", "الحق في الدفاع=right of defence"))
	matchTable(t, m, []struct {
		text string
		want []string
	}{
		{"ودعا إلى الحل السياسي للأزمة", []string{"«الحل السياسي»=political solution"}},
		{"والحل السياسي هو المخرج الوحيد", []string{"«الحل السياسي»=political solution"}},
		{"فالحل السياسي لم يعد ممكنا", []string{"«الحل السياسي»=political solution"}},
		{"وتمسك بالحل السياسي", []string{"«الحل السياسي»=political solution"}},
		{"ودعا للحل السياسي", []string{"«لحل السياسي»=political solution"}},
		{"وللحل السياسي شروط", []string{"«لحل السياسي»=political solution"}},
		{"وحل سياسي", []string{"«حل سياسي»=political solution"}},
		{"وبالحق في الدفاع", []string{"«الحق في الدفاع»=right of defence"}},
		{"والحل في نظره التفاوض", []string{"«الحل»=the solution"}},
		// traps: too short without the article (و + حل could be وحل "mud"), or not a word start
		{"وحل", nil},
		{"والحلول السياسية", nil},
		{"بال حل", nil},
	})
}

// TestMatchQuotesInPhrase: quotation marks between or around the words of a phrase do not
// break it; sentence punctuation does. The span takes in a quote opened or closed inside it.
func TestMatchQuotesInPhrase(t *testing.T) {
	m := NewMatcher(terms("اتفاقية مينسك=Minsk agreements", "الحرب الباردة=Cold War", "name:مينسك=Minsk"))
	matchTable(t, m, []struct {
		text string
		want []string
	}{
		{`وقال إن اتفاقية "مينسك" لم تعد قائمة`, []string{`«اتفاقية "مينسك"»=Minsk agreements`}},
		{"اتفاقية «مينسك» الثانية", []string{"«اتفاقية «مينسك»»=Minsk agreements"}},
		{"اتفاقية “مينسك”", []string{"«اتفاقية “مينسك”»=Minsk agreements"}},
		{"اتفاقية 'مينسك'.", []string{"«اتفاقية 'مينسك'»=Minsk agreements"}},
		{"«اتفاقية مينسك»", []string{"«اتفاقية مينسك»=Minsk agreements"}},
		{`انتهت "الحرب" الباردة`, []string{`«"الحرب" الباردة»=Cold War`}},
		{"«الحرب» «الباردة»", []string{"««الحرب» «الباردة»»=Cold War"}},
		// sentence punctuation still breaks the phrase, with or without quotes
		{`اتفاقية. "مينسك"`, []string{"«مينسك»=Minsk"}},
		{"اتفاقية، «مينسك»", []string{"«مينسك»=Minsk"}},
		{"اتفاقية؛ مينسك", []string{"«مينسك»=Minsk"}},
		{"اتفاقية «\nمينسك»", []string{"«مينسك»=Minsk"}},
		{"اتفاقية: «مينسك»", []string{"«مينسك»=Minsk"}},
	})
	// Offsets count code points of the original text, quotes included.
	text := "قال: اتفاقية «مِينسك» الثانية"
	got := m.Match(text)
	if len(got) != 1 || got[0].Start != 5 || got[0].End != 21 || got[0].Text != "اتفاقية «مِينسك»" {
		t.Errorf("Match(%q) = %+v, want [5,21) «اتفاقية «مِينسك»»", text, got)
	}
}

func TestMatchExactBeatsStripped(t *testing.T) {
	// «والي» (governor) is a word; «الي» is what is left after و. Both terms are 4+ letters.
	m := NewMatcher(terms("name:لافروف=Lavrov", "افروف=afrov-term"))
	got := m.Match("لافروف")
	if len(got) != 1 || got[0].English != "Lavrov" || got[0].Start != 0 {
		t.Errorf("got %+v", got)
	}
	// Same span, same term reached twice: the exact reading wins and is not a variant.
	m = NewMatcher(terms("الضمانات=guarantees-def", "ضمانات=guarantees-bare"))
	for text, want := range map[string]string{"الضمانات": "guarantees-def", "ضمانات": "guarantees-bare"} {
		if got := m.Match(text); len(got) != 1 || got[0].English != want {
			t.Errorf("%q: got %+v, want %s", text, got, want)
		}
	}
}

func TestMatchLeftmostLongest(t *testing.T) {
	m := NewMatcher(terms("وزير الخارجية=foreign minister", "نائب وزير الخارجية=deputy foreign minister",
		"الخارجية الروسية=Russian MFA", "وزير=minister"))
	text := "نائب وزير الخارجية الروسية ووزير الخارجية"
	want := []string{"«نائب وزير الخارجية»=deputy foreign minister", "«وزير الخارجية»=foreign minister"}
	got := m.Match(text)
	checkSpans(t, text, got)
	if g := hits(got); !reflect.DeepEqual(g, want) {
		t.Errorf("got %q, want %q", g, want)
	}
}

func TestMatchProcliticsOnInteriorTokens(t *testing.T) {
	m := NewMatcher(terms("وزير الخارجية=foreign minister", "وزير=minister", "نائب وزير=deputy minister",
		"نائب زير=deputy zeer", "حلف الحل=pact", "حلف=pact-word"))
	for _, tt := range []struct {
		text string
		want []string
	}{
		// DESIGN: every token's candidates include its proclitic-stripped readings.
		{"وزير والخارجية", []string{"«وزير والخارجية»=foreign minister"}},
		{"ووزير بالخارجية", []string{"«وزير بالخارجية»=foreign minister"}},
		{"وزير للخارجية", []string{"«وزير للخارجية»=foreign minister"}},
		// the unstripped reading beats the stripped one: وزير, not و + زير
		{"نائب وزير", []string{"«نائب وزير»=deputy minister"}},
		{"نائب ووزير", []string{"«نائب ووزير»=deputy minister"}},
		// min-length guard: والحل is not و + الحل
		{"حلف والحل", []string{"«حلف»=pact-word"}},
	} {
		got := m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if g := hits(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, g, tt.want)
		}
	}
	seed := seedM(t)
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"منظمة للأمن والتعاون في أوروبا", []string{"«منظمة للأمن والتعاون في أوروبا»=Organization for Security and Cooperation in Europe"}},
		{"العملية العسكرية والخاصة", []string{"«العملية العسكرية والخاصة»=special military operation"}},
		{"العملية وبالعسكرية الخاصة", []string{"«العملية وبالعسكرية الخاصة»=special military operation"}},
	} {
		got := seed.Match(tt.text)
		checkSpans(t, tt.text, got)
		if g := hits(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("seed: Match(%q) = %q, want %q", tt.text, g, tt.want)
		}
	}
}

func TestMatchNameVariants(t *testing.T) {
	m := NewMatcher(terms("name:سيرجي ريابكوف=Sergei Ryabkov", "name:بلينكين=Blinken", "name:جروشكو=Grushko",
		"name:دميتري بيسكوف=Dmitry Peskov", "name:كييف=Kyiv", "name:تويتر=Twitter", "name:روسيا=Russia",
		"name:أوروبا=Europe", "بلينكين=Blinken-term"))
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"سيرغي ريابكوف", []string{"«سيرغي ريابكوف»=Sergei Ryabkov~"}},
		{"وسيرقي ريابكوف", []string{"«سيرقي ريابكوف»=Sergei Ryabkov~"}},
		{"سيرجي ريابكوف", []string{"«سيرجي ريابكوف»=Sergei Ryabkov"}},
		{"سيرغي", nil},   // every token of a name must match
		{"ريابكوف", nil}, // and the surname alone is not the full name
		{"بلينكن", []string{"«بلينكن»=Blinken~"}},
		{"وبلينكن", []string{"«بلينكن»=Blinken~"}},
		{"بلينكين", []string{"«بلينكين»=Blinken"}}, // exact; the term-type duplicate has a higher index
		{"غروشكو", []string{"«غروشكو»=Grushko~"}},
		{"قروشكو", []string{"«قروشكو»=Grushko~"}},
		{"ديمتري بيسكوف", []string{"«ديمتري بيسكوف»=Dmitry Peskov~"}}, // a transposition
		{"كيف حالك", nil},            // كيف "how" is not كييف
		{"التوتر والتوترات", nil},    // not تويتر
		{"الروسي الروسية روسي", nil}, // not روسيا
		{"أوروبي الأوروبية", nil},    // not أوروبا
		{"بلنكن", nil},               // two vowels off: too far for a single-token name
		{"بقي الجبل راسيا", nil},     // one vowel for another; روسيا has too few consonants anyway
		{"تواتر الأنباء", nil},       // not تويتر
		{"جزيرة أروبا", nil},         // Aruba is not Europe
	} {
		got := m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if g := hits(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, g, tt.want)
		}
	}
	// Only names get variants.
	mt := NewMatcher(terms("بلينكين=Blinken-term"))
	if got := mt.Match("بلينكن"); got != nil {
		t.Errorf("term type matched as variant: %+v", got)
	}
}

// TestMatchSeedNameVariants runs the seed glossary without its explicit variant spellings, so
// that only the name key can find them, over the spellings a name must still be found in and
// the ordinary words that must not pass for a name.
func TestMatchSeedNameVariants(t *testing.T) {
	m := NewMatcher(seedTerms(t, false))
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"سيرغي ريابكوف", []string{"«سيرغي ريابكوف»=Sergei Ryabkov~"}},
		{"بلينكين", []string{"«بلينكين»=Blinken~"}},
		{"أنتوني بلينكين", []string{"«أنتوني بلينكين»=Antony Blinken~"}},
		{"غروشكو", []string{"«غروشكو»=Grushko~"}},
		{"قروشكو", []string{"«قروشكو»=Grushko~"}},
		{"لافروڤ", []string{"«لافروڤ»=Lavrov~"}},
		{"سيرگي لافروف", []string{"«سيرگي لافروف»=Sergei Lavrov~"}},
		{"دارتشيف", []string{"«دارتشيف»=Darchiev~"}},
		{"دميتري بيسكوف", []string{"«دميتري بيسكوف»=Dmitry Peskov~"}},
		{"ألكسندر غروشكو", []string{"«ألكسندر غروشكو»=Alexander Grushko~"}},
		{"لوقانسك", []string{"«لوقانسك»=Luhansk~"}},
		// ordinary words
		{"بقي الجبل راسيا", nil},
		{"تواتر الأنباء", nil},
		{"ارتدى المحتجون سترات صفراء", nil},
		{"جزيرة أروبا", nil},
		{"كيف حالك", nil},
		{"التوتر والتوترات", nil},
		{"الروسي الروسية روسي", nil},
		{"أوروبي الأوروبية", nil},
		{"بيتين بوتان", nil},
		{"مسكو ماسكو", nil},
		{"جنف جنيفا", nil},
		{"الستارة والستائر", nil},
		{"شكرا دونكم", nil},
	} {
		got := m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if g := hits(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, g, tt.want)
		}
	}
	// With the explicit variants the ordinary words stay unmatched too.
	full := seedM(t)
	for _, text := range []string{"بقي الجبل راسيا", "تواتر الأنباء", "ارتدى المحتجون سترات صفراء", "جزيرة أروبا"} {
		if got := full.Match(text); got != nil {
			t.Errorf("seed glossary: Match(%q) = %q, want none", text, hits(got))
		}
	}
}

// spelledAs reports whether the hit h of text is a hit of one of the spellings alone (read
// with the matcher's clitic, article and construct rules, but no name variants): a matcher
// over that spelling finds the same span in text. The text around the hit counts, since a
// bare short form matches only in construct state (لحلف الناتو).
func spelledAs(text string, h Match, spellings ...string) bool {
	for _, sp := range spellings {
		m := NewMatcher([]Term{{ID: 1, Arabic: sp, English: "x"}})
		for _, got := range m.Match(text) {
			if got.Start == h.Start && got.End == h.End {
				return true
			}
		}
	}
	return false
}

// TestMatchSeedNoFalseVariants runs the whole seed glossary over all five seed articles, once
// with the explicit variant spellings and once without. A hit on the term's own Arabic is not
// a variant; a hit on a listed variant spelling is; every other variant hit came through the
// name key and must be a name, and those are listed: they must all be the names they claim.
func TestMatchSeedNoFalseVariants(t *testing.T) {
	articles := seedArticles(t)
	for _, withVariants := range []bool{true, false} {
		m := NewMatcher(seedTerms(t, withVariants))
		var fuzzy []string
		total, listed := 0, 0
		for _, a := range articles {
			got := m.Match(a)
			checkSpans(t, a, got)
			total += len(got)
			for _, h := range got {
				term, _ := m.Term(h.TermID)
				own := spelledAs(a, h, term.Arabic)
				switch {
				case !h.Variant:
					if !own {
						t.Errorf("%q=%s: not the term's Arabic %q but not a variant", h.Text, h.English, term.Arabic)
					}
				case own:
					t.Errorf("%q=%s: the term's own Arabic reported as a variant", h.Text, h.English)
				case spelledAs(a, h, term.Variants...):
					listed++
				default:
					if h.Type != TypeName {
						t.Errorf("name variant hit on a %s term: %+v", h.Type, h)
					}
					fuzzy = append(fuzzy, h.Text+"="+h.English)
				}
			}
		}
		var want []string
		if !withVariants {
			// Spellings the seed glossary lists as variants, now found only through NameKey.
			want = []string{
				"أنتوني بلينكين=Antony Blinken", "بلينكين=Blinken",
				"سيرغي ريابكوف=Sergei Ryabkov", "سيرغي لافروف=Sergei Lavrov",
				"سيرغي ريابكوف=Sergei Ryabkov",
			}
		}
		if !reflect.DeepEqual(fuzzy, want) {
			t.Errorf("withVariants=%v: name-variant hits\n got  %q\n want %q", withVariants, fuzzy, want)
		}
		if withVariants && listed < 20 {
			t.Errorf("only %d hits on listed variant spellings", listed)
		}
		if total < 200 {
			t.Errorf("withVariants=%v: only %d hits over the seed articles", withVariants, total)
		}
	}
}

func TestMatchSpansOverMarks(t *testing.T) {
	m := NewMatcher(terms("name:روسيا=Russia", "الضمانات الأمنية=security guarantees", "name:لافروف=Lavrov"))
	for _, tt := range []struct {
		text       string
		start, end int
		wantText   string
	}{
		{"رُوسْيَا!", 0, 8, "رُوسْيَا"},      // harakat inside and after the word
		{"قال روســـيا", 4, 12, "روســـيا"},  // tatweel
		{"روسياـ ", 0, 6, "روسياـ"},          // trailing tatweel belongs to the word
		{"\u200fروسيا\u200f", 1, 6, "روسيا"}, // bidi marks stay outside
		{"بِالضَّمَانَاتِ الأَمْنِيَّةِ", 2, 29, "الضَّمَانَاتِ الأَمْنِيَّةِ"}, // ب excluded, ال kept
		{"و\ufefbفروف", 1, 6, "\ufefbفروف"}, // lam-alef ligature, one code point
		{"\ufefbفروف.", 0, 5, "\ufefbفروف"},
		{"رو\ufe76سيا", 0, 6, "رو\ufe76سيا"},              // a presentation-form haraka inside the word
		{"قال روسيا\ufe70 ", 4, 10, "روسيا\ufe70"},        // and after it
		{"رو\ufc60سيا\ufc5e!", 0, 7, "رو\ufc60سيا\ufc5e"}, // shadda ligature forms
	} {
		got := m.Match(tt.text)
		checkSpans(t, tt.text, got)
		if len(got) != 1 || got[0].Start != tt.start || got[0].End != tt.end || got[0].Text != tt.wantText {
			t.Errorf("Match(%q) = %+v, want [%d,%d) %q", tt.text, got, tt.start, tt.end, tt.wantText)
		}
	}
}

func TestMatcherBasics(t *testing.T) {
	var nilM *Matcher
	if nilM.Match("روسيا") != nil || nilM.Len() != 0 {
		t.Error("nil matcher")
	}
	for _, m := range []*Matcher{NewMatcher(nil), NewMatcher([]Term{})} {
		if m.Match("روسيا") != nil || m.Len() != 0 {
			t.Error("empty matcher")
		}
		if _, ok := m.Term(1); ok {
			t.Error("Term on empty matcher")
		}
	}
	ts := seedTerms(t, true)
	m := NewMatcher(ts)
	if m.Len() != len(ts) {
		t.Errorf("Len = %d, want %d", m.Len(), len(ts))
	}
	got := m.Match("قال سيرغي لافروف")
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	term, ok := m.Term(got[0].TermID)
	if !ok || term.Arabic != "سيرجي لافروف" || got[0].Arabic != term.Arabic || got[0].Type != TypeName {
		t.Errorf("Term(%d) = %+v, %v", got[0].TermID, term, ok)
	}
	if got := m.Match("   ...  "); got != nil {
		t.Errorf("no letters: %+v", got)
	}
	if got := m.Match("لا شيء هنا"); got != nil {
		t.Errorf("no terms: %+v", got)
	}
	// Terms without Arabic letters or with empty spellings do not break the build.
	m = NewMatcher([]Term{{ID: 1, Arabic: "", English: "x"}, {ID: 2, Arabic: "...", English: "y"},
		{ID: 3, Arabic: "روسيا", English: "Russia", Variants: []string{"روسيا", ""}}})
	if got := m.Match("روسيا"); len(got) != 1 || got[0].TermID != 3 {
		t.Errorf("got %+v", got)
	}
}

func TestMatchConcurrent(t *testing.T) {
	m := seedM(t)
	articles := seedArticles(t)
	want := make([]int, len(articles))
	for i, a := range articles {
		want[i] = len(m.Match(a))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, a := range articles {
				if n := len(m.Match(a)); n != want[i] {
					errs <- fmt.Errorf("article %d: %d hits, want %d", i, n, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestMatchLongText: a text of many lines gives its matches in order, with offsets into the
// whole text, past the pieces Match gathers them in.
func TestMatchLongText(t *testing.T) {
	m := NewMatcher(terms("name:روسيا=Russia", "name:الكرملين=the Kremlin"))
	var sb strings.Builder
	const lines = 3000
	for i := range lines {
		fmt.Fprintf(&sb, "%d- قال الكرملين إن رُوسيا\r\n", i)
	}
	text := sb.String()
	got := m.Match(text)
	checkSpans(t, text, got)
	if len(got) != 2*lines || got[len(got)-1].Text != "رُوسيا" || got[len(got)-2].English != "the Kremlin" {
		t.Fatalf("%d matches, last %+v", len(got), got[len(got)-1])
	}
	first := utf8.RuneCountInString("0- قال الكرملين إن رُوسيا\r\n")
	if got[0].Start != 7 || got[2].Start != first+7 {
		t.Errorf("offsets %d, %d; want 7, %d", got[0].Start, got[2].Start, first+7)
	}
}

// TestMatchLongTextInParts: a text long enough to be matched in parts at once gives the
// matches of matching it whole, with offsets into the whole text.
func TestMatchLongTextInParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	m := seedM(t)
	var sb strings.Builder
	for sb.Len() < 2*parallelText {
		for _, a := range seedArticles(t) {
			sb.WriteString(a)
			sb.WriteString("\n«الحرب\n الباردة»\n")
		}
	}
	text := sb.String()
	got := m.Match(text)
	checkSpans(t, text, got)
	var want []Match
	for _, p := range m.matchPart(text).pieces {
		want = append(want, p...)
	}
	if len(got) < 1000 || !reflect.DeepEqual(got, want) {
		t.Fatalf("in parts: %d matches; whole: %d", len(got), len(want))
	}
	for _, k := range []int{1, 2, 3, 7} {
		parts := splitLines(text, k)
		if strings.Join(parts, "") != text || len(parts) > k {
			t.Fatalf("splitLines(%d): %d parts that do not make the text", k, len(parts))
		}
		for _, p := range parts[:len(parts)-1] {
			if !strings.HasSuffix(p, "\n") {
				t.Fatalf("splitLines(%d): a part does not end a line", k)
			}
		}
	}
}

func TestMatchInvalidUTF8(t *testing.T) {
	m := seedM(t)
	text := "\xffروسيا\xfe \xc0موسكو"
	got := m.Match(text)
	checkSpans(t, text, got)
	if len(got) != 2 || !utf8.ValidString(got[0].Text) {
		t.Errorf("got %+v", got)
	}
}

// TestAppendMatchesJSON: AppendMatchesJSON writes what encoding/json writes, for the matches
// of the seed articles and for texts full of what JSON must escape.
func TestAppendMatchesJSON(t *testing.T) {
	var ms []Match
	for _, a := range seedArticles(t) {
		ms = append(ms, seedM(t).Match(a)...)
	}
	for _, s := range []string{"", `"quoted" \\ back`, "tab\tnew\nline\r\b\f\x00\x1f\x7f", "\xff\xfe broken \xc0",
		"line\u2028para\u2029", "<script>&amp;</script>", "روسيا 😀 ﷺ"} {
		ms = append(ms, Match{TermID: -7, Arabic: s, English: s, Type: TermType(s), Text: s, Start: 1 << 40, Variant: true})
	}
	for _, list := range [][]Match{ms, ms[:1], {}} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(list); err != nil {
			t.Fatal(err)
		}
		if got := string(AppendMatchesJSON(nil, list)) + "\n"; got != want.String() {
			t.Errorf("AppendMatchesJSON = %.300s\nencoding/json:      %.300s", got, want.String())
		}
	}
}
