package translate

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
)

func TestCheckGlossary(t *testing.T) {
	guarantees := TermHint{Arabic: "ضمانات أمنية", English: "security guarantees", Forbidden: []string{"security assurances", "guarantees of security"}}
	nato := TermHint{Arabic: "الناتو", English: "NATO", Alternatives: []string{"North Atlantic Treaty Organization"}}
	lavrov := TermHint{Arabic: "لافروف", English: "Sergei Lavrov", Forbidden: []string{"Sergey Lavrov"}}
	erdogan := TermHint{Arabic: "أردوغان", English: "Recep Tayyip Erdoğan"}
	bare := TermHint{Arabic: "ضمانات", English: "guarantees", Forbidden: []string{"assurances"}}
	for _, tc := range []struct {
		name   string
		target string
		terms  []TermHint
		want   []string
	}{
		{"Exact", "Moscow wants security guarantees.", []TermHint{guarantees}, nil},
		{"Singular", "A security guarantee is needed.", []TermHint{guarantees}, nil},
		{"CaseAndPossessive", "NATO's eastward expansion; Security Guarantees' scope", []TermHint{nato, guarantees}, nil},
		{"CurlyPossessive", "NATO’s reply", []TermHint{nato}, nil},
		{"Alternative", "the North Atlantic Treaty Organization said", []TermHint{nato}, nil},
		{"AccentsIgnored", "Recep Tayyip Erdogan said", []TermHint{erdogan}, nil},
		{"Missing", "Moscow wants safety pledges.", []TermHint{guarantees},
			[]string{`glossary: expected "security guarantees" for ضمانات أمنية`}},
		{"Forbidden", "Moscow wants security assurances.", []TermHint{guarantees},
			[]string{`glossary: expected "security guarantees" for ضمانات أمنية`,
				`glossary: forbidden "security assurances" used for ضمانات أمنية (use "security guarantees")`}},
		{"ForbiddenBesideExpected", "Sergei Lavrov, not Sergey Lavrov", []TermHint{lavrov},
			[]string{`glossary: forbidden "Sergey Lavrov" used for لافروف (use "Sergei Lavrov")`}},
		{"NotInsideAWord", "Moscow wants securityguarantees", []TermHint{guarantees},
			[]string{`glossary: expected "security guarantees" for ضمانات أمنية`}},
		{"ForbiddenInsideExpectedIsFine", "new guarantees", []TermHint{{Arabic: "x", English: "new guarantees", Forbidden: []string{"guarantees"}}}, nil},
		{"ForbiddenAloneStillCaught", "guarantees and assurances", []TermHint{bare},
			[]string{`glossary: forbidden "assurances" used for ضمانات (use "guarantees")`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, v := range CheckGlossary(tc.target, tc.terms) {
				got = append(got, v.Flag())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("CheckGlossary(%q) =\n%s\nwant\n%s", tc.target, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	src := "قال ريابكوف إن الحوار مستمر."
	for _, tc := range []struct {
		target string
		want   string
	}{
		{"Ryabkov said the dialogue continues.", ""},
		{"  ", "empty translation"},
		{src, "the answer repeats the Arabic source"},
		{"قال ريابكوف: the dialogue", "the answer is Arabic, not English"},
		{"Ryabkov (ريابكوف) said the dialogue continues.", ""}, // a little Arabic is fine
		{"2022/02/21", ""},
	} {
		if got := CheckText(src, tc.target); got != tc.want {
			t.Errorf("CheckText(%q) = %q, want %q", tc.target, got, tc.want)
		}
	}
}

func TestAlign(t *testing.T) {
	items := []Item{{ID: 1}, {ID: 2}, {ID: 3}}
	tr := func(ids ...int64) []Translation {
		var out []Translation
		for _, id := range ids {
			out = append(out, Translation{ID: id, Text: "x"})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		got  []Translation
		want string
	}{
		{"OK", tr(3, 1, 2), ""},
		{"Missing", tr(1, 2), "unusable backend output: the answer had no translation for segment 3"},
		{"MissingTwo", tr(2), "unusable backend output: the answer had no translation for segments 1, 3"},
		{"Empty", tr(), "unusable backend output: the answer's translations list was empty: no translation for segments 1, 2, 3"},
		{"Extra", tr(1, 2, 3, 4), "unusable backend output: the answer had a translation for id 4, which was not asked for"},
		{"Twice", tr(1, 2, 2, 3), "unusable backend output: the answer had two translations for segment 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Align(items, tc.got)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v", err)
			case tc.want != "" && (!errors.Is(err, ErrBadOutput) || err.Error() != tc.want):
				t.Errorf("err = %v, want ErrBadOutput saying %q", err, tc.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header map[string]string
		want   time.Duration
	}{
		{map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{map[string]string{"Retry-After": "1.5"}, 1500 * time.Millisecond},
		{map[string]string{"Retry-After": now.Add(30 * time.Second).Format(http.TimeFormat)}, 30 * time.Second},
		{map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{map[string]string{"Retry-After": "soon"}, 0},
		{map[string]string{"Retry-After": "-3"}, 0},
		{map[string]string{"Retry-After-Ms": "250", "Retry-After": "1"}, 250 * time.Millisecond},
		{nil, 0},
	} {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		if got := RetryAfter(h, now); got != tc.want {
			t.Errorf("RetryAfter(%v) = %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestOfflineDraft(t *testing.T) {
	terms := []TermHint{{English: "Sergei Ryabkov"}, {English: "Russia"}, {English: "security guarantees"}}
	for _, tc := range []struct {
		source string
		hits   []Hit
		want   string
	}{
		{"سيرغي ريابكوف", []Hit{{0, "سيرغي ريابكوف"}}, "Sergei Ryabkov"},
		{"سيرغي ريابكوف، روسيا", []Hit{{0, "سيرغي ريابكوف"}, {1, "روسيا"}}, "Sergei Ryabkov, Russia"},
		{"«ضمانات أمنية»؟", []Hit{{2, "ضمانات أمنية"}}, "\"security guarantees\"?"},
		{"وروسيا", []Hit{{1, "روسيا"}}, ""}, // "and Russia": a word is left over
		{"قال ريابكوف إن روسيا مستعدة", []Hit{{1, "روسيا"}}, ""},
		{"١٢ شباط", nil, ""},
		{"٢٠٢٢/٠٢/٢١", nil, "2022/02/21"},
		{"(AFP)", nil, "(AFP)"},
		{"روسيا", []Hit{{7, "روسيا"}}, ""}, // a bad term index is ignored, not a panic
	} {
		if got := offlineDraft(Item{Source: tc.source, Hits: tc.hits}, terms); got != tc.want {
			t.Errorf("offlineDraft(%q) = %q, want %q", tc.source, got, tc.want)
		}
	}
}

func TestLimitsResolve(t *testing.T) {
	got := Limits{}.resolve(Capabilities{MaxBatch: 4, Concurrency: 1})
	want := Limits{BatchSize: 4, Concurrency: 1, Timeout: DefaultTimeout, Retries: DefaultRetries, Backoff: DefaultBackoff, MaxWait: DefaultMaxWait}
	if got != want {
		t.Errorf("resolve = %+v, want %+v", got, want)
	}
	if got := (Limits{BatchSize: 20, Retries: -1}).resolve(Capabilities{}); got.BatchSize != 20 || got.Retries != 0 || got.Concurrency != DefaultConcurrency {
		t.Errorf("resolve = %+v", got)
	}
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	r := &run{lim: Limits{Backoff: 100 * time.Millisecond, MaxWait: time.Second}}
	for attempt := range 8 {
		full := min(100*time.Millisecond<<attempt, time.Second)
		for range 50 {
			if w := r.wait(attempt, 0); w < full/2 || w > full {
				t.Fatalf("attempt %d: wait %s outside [%s, %s]", attempt, w, full/2, full)
			}
		}
	}
	if w := r.wait(0, 3*time.Second); w != time.Second {
		t.Errorf("Retry-After beyond MaxWait: wait %s, want the cap", w)
	}
	if w := r.wait(5, 300*time.Millisecond); w != 300*time.Millisecond {
		t.Errorf("Retry-After: wait %s, want it exactly", w)
	}
}

func TestCacheKey(t *testing.T) {
	const url = "http://127.0.0.1:11434/v1"
	base := cacheKey("openai", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}})
	same := []string{
		cacheKey("openai", url, "m", "الضَّمانات الأمنيّة", []cacheTerm{{1, "a"}, {2, "b"}}), // harakat
		cacheKey("openai", url, "m", "الضمانات الأمنية ", []cacheTerm{{2, "b"}, {1, "a"}}),   // order, space
	}
	for i, k := range same {
		if k != base {
			t.Errorf("key %d differs from the base key", i)
		}
	}
	differ := []string{
		cacheKey("libretranslate", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}}),
		cacheKey("openai", "http://gpu:8000/v1", "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}}),
		cacheKey("openai", url, "m2", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "b"}}),
		cacheKey("openai", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}, {2, "c"}}),
		cacheKey("openai", url, "m", "الضمانات الأمنية", []cacheTerm{{1, "a"}}),
		cacheKey("openai", url, "m", "الضمانات", []cacheTerm{{1, "a"}, {2, "b"}}),
	}
	for i, k := range differ {
		if k == base {
			t.Errorf("key %d equals the base key", i)
		}
	}
}

func TestCacheTermDigestsTheWholeTerm(t *testing.T) {
	term := glossary.Term{ID: 3, Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm,
		Alternatives: []string{"security assurances"}, Forbidden: []string{"safety guarantees"}, Note: "as in the 2021 drafts"}
	base := newCacheTerm(term)
	if again := newCacheTerm(term); again != base {
		t.Fatalf("the same term digests differently: %v, %v", base, again)
	}
	for name, edit := range map[string]func(*glossary.Term){
		"English":        func(t *glossary.Term) { t.English = "security guarantee" },
		"Type":           func(t *glossary.Term) { t.Type = glossary.TypeName },
		"Alternatives":   func(t *glossary.Term) { t.Alternatives = append(t.Alternatives, "guarantees of security") },
		"Forbidden":      func(t *glossary.Term) { t.Forbidden = nil },
		"Note":           func(t *glossary.Term) { t.Note = "" },
		"DoNotTranslate": func(t *glossary.Term) { t.DoNotTranslate = true },
	} {
		edited := term
		edited.Alternatives = append([]string(nil), term.Alternatives...)
		edited.Forbidden = append([]string(nil), term.Forbidden...)
		edit(&edited)
		if got := newCacheTerm(edited); got == base || got.ID != term.ID {
			t.Errorf("editing %s: digest %v, want a new digest for the same id", name, got)
		}
	}
}
