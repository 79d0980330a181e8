package translate

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
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
		{"Ryabkov said \x1b[31mthe dialogue continues.", "the answer has the control character U+001B"},
		{"Ryabkov said\u0085 the dialogue continues.", "the answer has the control character U+0085"},
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

func TestQuality_GlossaryFlagPrefix(t *testing.T) {
	for _, v := range []Violation{
		{Term: TermHint{Arabic: "الضمانات الأمنية", English: "security guarantees"}},
		{Term: TermHint{Arabic: "الضمانات الأمنية", English: "security guarantees"}, Forbidden: "security assurances"},
	} {
		if f := v.Flag(); !strings.HasPrefix(f, GlossaryFlagPrefix) {
			t.Errorf("flag %q does not start with %q; the quality figures would not count it", f, GlossaryFlagPrefix)
		}
	}
}
