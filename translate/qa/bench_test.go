package qa

import (
	"testing"
	"unicode/utf8"
)

// articleSegments is the size of the benchmark article (issue 11: all checks over a
// 2,000-segment article in under 100 ms).
const articleSegments = 2000

// benchArticle builds a 2,000-segment article from the evaluation pairs (seed sentences and
// others of the same kind, correct and with errors, in file order, repeated) with the glossary
// terms of each source matched beforehand, as the store keeps them.
func benchArticle(b *testing.B) (sources, targets []string, terms [][]Term) {
	b.Helper()
	pairs := readEval(b)
	m := testMatcher(b)
	matched := make([][]Term, len(pairs))
	for i, p := range pairs {
		matched[i] = Terms(m, p.Source)
	}
	chars := 0
	for i := range articleSegments {
		p := pairs[i%len(pairs)]
		sources = append(sources, p.Source)
		targets = append(targets, p.Target)
		terms = append(terms, matched[i%len(pairs)])
		chars += utf8.RuneCountInString(p.Source) + utf8.RuneCountInString(p.Target)
	}
	b.Logf("%d segments, %.0f characters each on average (source and target)", articleSegments, float64(chars)/articleSegments)
	return sources, targets, terms
}

// BenchmarkArticle runs every check over every segment of the article.
func BenchmarkArticle(b *testing.B) {
	sources, targets, terms := benchArticle(b)
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	benchSegments(b, func(i int) int { return len(c.Check(sources[i], targets[i], terms[i])) })
}

// BenchmarkArticleNaive is the baseline beside it: the digit-string comparison of tools built
// for European text, over the same article.
func BenchmarkArticleNaive(b *testing.B) {
	sources, targets, _ := benchArticle(b)
	benchSegments(b, func(i int) int {
		if naiveNumbersDiffer(sources[i], targets[i]) {
			return 1
		}
		return 0
	})
}

// benchSegments times check over the article's segments and reports how many findings one
// pass gives.
func benchSegments(b *testing.B, check func(i int) int) {
	b.ReportAllocs()
	b.ResetTimer()
	findings := 0
	for b.Loop() {
		findings = 0
		for i := range articleSegments {
			findings += check(i)
		}
	}
	b.ReportMetric(float64(findings), "findings")
}

// benchPair is a long seed sentence with its terms, the editor's typical request.
const (
	benchSource = "وقال ديمتري بيسكوف المتحدث باسم الكرملين في إفادة صحفية يوم الثلاثاء 15 شباط/فبراير إن بوتين يفضل أن تناقش روسيا والغرب مخاوفهما بهدوء، بعد حشد 100 ألف جندي، ولا يريد أن يرى أي \"حملات إعلامية\" من شأنها زيادة التوتر."
	benchTarget = "Kremlin spokesman Dmitry Peskov told a news briefing on Tuesday, Feb. 15, that Putin would prefer Russia and the West to discuss their concerns calmly after the buildup of 100,000 troops, and did not want to see any \"media campaigns\" that would increase tension."
)

// BenchmarkPair checks one segment whose terms are already matched.
func BenchmarkPair(b *testing.B) {
	terms := Terms(testMatcher(b), benchSource)
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Check(benchSource, benchTarget, terms)
	}
}

// BenchmarkPairWithMatch is the editor's round trip without HTTP: match the glossary in the
// source, then check.
func BenchmarkPairWithMatch(b *testing.B) {
	m := testMatcher(b)
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Check(benchSource, benchTarget, Terms(m, benchSource))
	}
}
