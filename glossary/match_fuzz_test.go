package glossary

import (
	"strings"
	"testing"
)

// FuzzMatch checks that matching never panics and that every match slices the input on code
// point boundaries: 0 ≤ Start < End ≤ rune count, Text == the slice, sorted, non-overlapping.
// The committed corpus is the seed sentences; run the fuzzer with
//
//	go test ./glossary/ -run '^$' -fuzz FuzzMatch -fuzztime 30s
func FuzzMatch(f *testing.F) {
	for _, a := range seedArticles(f) {
		for _, line := range strings.Split(a, "\n") {
			if strings.TrimSpace(line) != "" {
				f.Add(line)
			}
		}
	}
	for _, s := range []string{
		"", "للناتو", "بِالضَّمَانَاتِ الأَمْنِيَّةِ", "و\ufefbفروف", "\ufdfa روسيا", "روسياـــ\u0651",
		"\xffروسيا\xfe", "سيرغي ريابكوف", "ﺍﻟﻨﺎﺗﻮ", "\u200fموسكو\u200e", "ولل", "فبال",
	} {
		f.Add(s)
	}
	m := NewMatcher(seedTerms(f, true))
	mv := NewMatcher(seedTerms(f, false))
	f.Fuzz(func(t *testing.T, text string) {
		checkSpans(t, text, m.Match(text))
		checkSpans(t, text, mv.Match(text))
	})
}
