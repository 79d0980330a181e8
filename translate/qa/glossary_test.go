package qa

import (
	"slices"
	"testing"

	"github.com/tarjama/tarjama/glossary"
)

func TestGlossary(t *testing.T) {
	m := testMatcher(t)
	for _, tc := range []struct {
		name, source, target string
		want                 []string
	}{
		{"term present", "وتخشى كييف تكرار ضم جزيرة القرم.", "Kyiv fears a repeat of the annexation of Crimea.", nil},
		{"alternative accepted", "قال سيرغي ريابكوف إن روسيا مستعدة.", "Sergey Ryabkov said Russia was ready.", nil},
		{"possessive and case", "طالبت موسكو بسحب البنية التحتية للناتو.", "Moscow demanded the withdrawal of nato's infrastructure.", nil},
		{"term found twice, reported once", "قال لافروف إن لافروف سيسافر.", "He said he would travel.",
			[]string{"«لافروف» should be \"Lavrov\" (glossary)"}},
		{"missing", "قال لافروف إن روسيا مستعدة.", "The minister said Russia was ready.",
			[]string{"«لافروف» should be \"Lavrov\" (glossary)"}},
		{"missing with alternatives", "أكد سيرجي ريابكوف استعداد روسيا.", "Sergey Rybakov confirmed Russia was ready.",
			[]string{"«سيرجي ريابكوف» should be \"Sergei Ryabkov\" or \"Sergey Ryabkov\" (glossary)"}},
		{"forbidden", "وصل الوفد إلى كييف.", "The delegation arrived in Kiev.",
			[]string{"«كييف» should be \"Kyiv\" (glossary)", "\"Kiev\" is a forbidden rendering of «كييف»; use \"Kyiv\""}},
		{"forbidden beside the accepted one", "وأكد أن أوكرانيا غير مستعدة.", "He said the Ukraine, that is Ukraine, was not ready.",
			[]string{"\"the Ukraine\" is a forbidden rendering of «أوكرانيا»; use \"Ukraine\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range only(t, Glossary, tc.source, tc.target, Terms(m, tc.source)) {
				got = append(got, f.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %q, want %q", got[i], tc.want[i])
				}
			}
		})
	}
}

func TestGlossaryForbiddenInsideAccepted(t *testing.T) {
	// "guarantees" alone is forbidden, but it is part of the agreed "security guarantees".
	terms := []Term{{Arabic: "الضمانات الأمنية", English: "security guarantees", Forbidden: []string{"guarantees"}, Source: [2]int{7, 23}}}
	src := "ناقشوا الضمانات الأمنية."
	if fs := only(t, Glossary, src, "They discussed the Security Guarantees.", terms); len(fs) != 0 {
		t.Errorf("got %v", fs)
	}
	fs := only(t, Glossary, src, "They discussed security guarantees and other guarantees.", terms)
	if len(fs) != 1 || fs[0].Target != [2]int{45, 55} {
		t.Errorf("a forbidden rendering outside the accepted one: got %+v", fs)
	}
}

func TestGlossaryDoNotTranslate(t *testing.T) {
	m := testMatcher(t)
	src := "الحقيقة نت: روسيا لا تريد قطع العلاقات مع واشنطن"
	for _, tgt := range []string{
		"Al-Haqiqa Net: Russia does not want to cut ties with Washington",
		"الحقيقة نت: Russia does not want to cut ties with Washington",
	} {
		c, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		if fs := c.Check(src, tgt, Terms(m, src)); len(fs) != 0 {
			t.Errorf("%s: %v", tgt, fs)
		}
	}
	fs := only(t, Glossary, src, "The Truth Net: Russia does not want to cut ties with Washington", Terms(m, src))
	if len(fs) != 2 {
		t.Errorf("translated instead of kept: %v", fs)
	}
}

func TestGlossarySpans(t *testing.T) {
	m := testMatcher(t)
	src := "وصل الوفد إلى كييف."
	fs := only(t, Glossary, src, "The delegation arrived in Kiev.", Terms(m, src))
	if len(fs) != 2 {
		t.Fatalf("got %v", fs)
	}
	if fs[0].Source != [2]int{14, 18} || fs[0].Target != [2]int{} {
		t.Errorf("missing term: spans %v %v", fs[0].Source, fs[0].Target)
	}
	if fs[1].Source != [2]int{14, 18} || fs[1].Target != [2]int{26, 30} {
		t.Errorf("forbidden rendering: spans %v %v", fs[1].Source, fs[1].Target)
	}
}

func TestTerms(t *testing.T) {
	m := glossary.NewMatcher([]glossary.Term{
		{ID: 7, Arabic: "الحقيقة نت", English: "Al-Haqiqa Net", Type: glossary.TypeName, Forbidden: []string{"The Truth Net"}, DoNotTranslate: true},
		{ID: 8, Arabic: "كييف", English: "Kyiv", Type: glossary.TypeName, Variants: []string{"كييڤ"}, Alternatives: []string{"Kyiv city"}},
	})
	got := Terms(m, "نشر موقع الحقيقة نت من كييف")
	want := []Term{
		{Arabic: "الحقيقة نت", Text: "الحقيقة نت", English: "Al-Haqiqa Net", Forbidden: []string{"The Truth Net"}, DoNotTranslate: true, Source: [2]int{9, 19}},
		{Arabic: "كييف", Variants: []string{"كييڤ"}, Text: "كييف", English: "Kyiv", Alternatives: []string{"Kyiv city"}, Source: [2]int{23, 27}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Arabic != w.Arabic || g.Text != w.Text || g.English != w.English || g.DoNotTranslate != w.DoNotTranslate ||
			g.Source != w.Source || len(g.Forbidden) != len(w.Forbidden) || len(g.Alternatives) != len(w.Alternatives) || len(g.Variants) != len(w.Variants) {
			t.Errorf("term %d: got %+v, want %+v", i, g, w)
		}
	}
	if Terms(nil, "كييف") != nil || Terms(m, "") != nil {
		t.Error("no matcher or no text finds nothing")
	}
}

// TestGlossaryWordRules keeps the cases of the glossary check the pipeline and the store ran
// before this package had it (translate.CheckGlossary): how a rendering is found in the English.
func TestGlossaryWordRules(t *testing.T) {
	term := func(arabic, english string, alternatives, forbidden []string) Term {
		return Term{Arabic: arabic, Text: arabic, English: english, Alternatives: alternatives, Forbidden: forbidden, Source: [2]int{0, 5}}
	}
	guarantees := term("ضمانات أمنية", "security guarantees", nil, []string{"security assurances", "guarantees of security"})
	nato := term("الناتو", "NATO", []string{"North Atlantic Treaty Organization"}, nil)
	lavrov := term("لافروف", "Sergei Lavrov", nil, []string{"Sergey Lavrov"})
	erdogan := term("أردوغان", "Recep Tayyip Erdoğan", nil, nil)
	bare := term("ضمانات", "guarantees", nil, []string{"assurances"})
	for _, tc := range []struct {
		name   string
		target string
		terms  []Term
		want   []string
	}{
		{"exact", "Moscow wants security guarantees.", []Term{guarantees}, nil},
		{"singular", "A security guarantee is needed.", []Term{guarantees}, nil},
		{"case and possessive", "NATO's eastward expansion; Security Guarantees' scope", []Term{nato, guarantees}, nil},
		{"curly possessive", "NATO’s reply", []Term{nato}, nil},
		{"alternative", "the North Atlantic Treaty Organization said", []Term{nato}, nil},
		{"accents ignored", "Recep Tayyip Erdogan said", []Term{erdogan}, nil},
		{"missing", "Moscow wants safety pledges.", []Term{guarantees},
			[]string{`«ضمانات أمنية» should be "security guarantees" (glossary)`}},
		{"forbidden", "Moscow wants security assurances.", []Term{guarantees},
			[]string{`«ضمانات أمنية» should be "security guarantees" (glossary)`,
				`"security assurances" is a forbidden rendering of «ضمانات أمنية»; use "security guarantees"`}},
		{"forbidden beside the expected", "Sergei Lavrov, not Sergey Lavrov", []Term{lavrov},
			[]string{`"Sergey Lavrov" is a forbidden rendering of «لافروف»; use "Sergei Lavrov"`}},
		{"not inside a word", "Moscow wants securityguarantees", []Term{guarantees},
			[]string{`«ضمانات أمنية» should be "security guarantees" (glossary)`}},
		{"forbidden alone still caught", "guarantees and assurances", []Term{bare},
			[]string{`"assurances" is a forbidden rendering of «ضمانات»; use "guarantees"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range only(t, Glossary, "ضمانات", tc.target, tc.terms) {
				got = append(got, f.Message)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s\n got  %q\n want %q", tc.target, got, tc.want)
			}
		})
	}
}
