package glossary

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// Benchmarks over a synthetic 100,000-term glossary (plus the seed terms). Heavy setup runs
// once, and only when a benchmark runs (sync.Once), so `go test ./glossary/` stays fast.
//
//	go test ./glossary/ -run '^$' -bench 'Match' -benchmem
//
// Each benchmark has baselines beside it:
//   - naive: every term's normalized form searched with strings.Index in the normalized text.
//     At 100k terms that is far too slow for 5 MB, so BenchmarkMatch5MB runs it on the first
//     20 KB only; b.SetBytes makes its MB/s comparable.
//   - grep: `grep -F -c -f terms text` (GNU grep's multi-pattern search, no normalization at
//     all; -c stops at a line's first hit) run per iteration with LC_ALL=C, process start and
//     pattern compilation included, as a user would run it.

const benchTerms = 100_000

var (
	benchOnce  sync.Once
	benchT     []Term
	benchM     *Matcher
	benchWords string // 1,000 words of seed text
	bench5MB   string
)

// arabicLetters are the letters synthetic terms are drawn from, roughly by frequency.
var arabicLetters = []rune("ااااللللييييووونننمممررربببتتتهههسسسعععدددفففقققكككححجججشششصصطضظزذثخغءئؤ")

func synthTerms(n int) []Term {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]Term, 0, n)
	seen := make(map[string]bool, n)
	for len(out) < n {
		ntok := 1 + rng.IntN(3)
		var sb strings.Builder
		for k := 0; k < ntok; k++ {
			if k > 0 {
				sb.WriteByte(' ')
			}
			if rng.IntN(3) == 0 {
				sb.WriteString("ال")
			}
			l := 3 + rng.IntN(5) // 3..7 letters, plus the article a third of the time
			for i := 0; i < l; i++ {
				sb.WriteRune(arabicLetters[rng.IntN(len(arabicLetters))])
			}
		}
		s := sb.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		typ := TypeTerm
		if rng.IntN(3) == 0 {
			typ = TypeName
		}
		out = append(out, Term{ID: int64(len(out) + 1000), Arabic: s, English: "t", Type: typ})
	}
	return out
}

func benchSetup(b *testing.B) {
	benchOnce.Do(func() {
		seed := seedTerms(b, true)
		benchT = append(synthTerms(benchTerms), seed...)
		benchM = NewMatcher(benchT)
		all := strings.Join(seedArticles(b), "\n\n")
		words := strings.Fields(all)
		var sb strings.Builder
		for i := 0; i < 1000; i++ {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[i%len(words)])
		}
		benchWords = sb.String()
		var big strings.Builder
		for big.Len() < 5<<20 {
			big.WriteString(all)
			big.WriteString("\n\n")
		}
		bench5MB = big.String()
	})
}

func BenchmarkMatcherBuild(b *testing.B) {
	benchSetup(b)
	b.Run("tarjama", func(b *testing.B) {
		var heap float64
		for i := 0; i < b.N; i++ {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m := NewMatcher(benchT)
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap = float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			runtime.KeepAlive(m)
		}
		b.ReportMetric(heap, "MB-heap")
	})
	b.Run("naive", func(b *testing.B) { // normalizing every spelling, all the naive matcher builds
		for i := 0; i < b.N; i++ {
			naiveTerms(benchT)
		}
	})
}

func BenchmarkMatch1000Words(b *testing.B) {
	benchSetup(b)
	benchAll(b, benchWords, benchWords)
}

func BenchmarkMatch5MB(b *testing.B) {
	benchSetup(b)
	// naive only over the first 20 KB (see the file comment).
	small := bench5MB[:20<<10]
	for !strings.HasSuffix(small, " ") { // cut on a space, not inside a character
		small = small[:len(small)-1]
	}
	benchAll(b, bench5MB, small)
}

func benchAll(b *testing.B, text, naiveText string) {
	b.Run("tarjama", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		n := 0
		for i := 0; i < b.N; i++ {
			n = len(benchM.Match(text))
		}
		b.ReportMetric(float64(n), "hits")
	})
	b.Run("naive", func(b *testing.B) {
		terms := naiveTerms(benchT)
		b.SetBytes(int64(len(naiveText)))
		b.ResetTimer()
		n := 0
		for i := 0; i < b.N; i++ {
			n = naiveMatch(terms, naiveText)
		}
		b.ReportMetric(float64(n), "hits")
	})
	b.Run("grep", func(b *testing.B) {
		grep, err := exec.LookPath("grep")
		if err != nil {
			b.Skip("no grep")
		}
		dir := b.TempDir()
		tf, xf := filepath.Join(dir, "terms"), filepath.Join(dir, "text")
		var sb strings.Builder
		for _, t := range benchT {
			sb.WriteString(t.Arabic)
			sb.WriteByte('\n')
		}
		if err := os.WriteFile(tf, []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(xf, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(text)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cmd := exec.Command(grep, "-F", "-c", "-f", tf, xf)
			cmd.Env = append(os.Environ(), "LC_ALL=C")
			if out, err := cmd.Output(); err != nil && len(out) == 0 {
				b.Fatal(err)
			}
		}
	})
}

func naiveTerms(ts []Term) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, arabic.Normalize(t.Arabic))
		for _, v := range t.Variants {
			out = append(out, arabic.Normalize(v))
		}
	}
	return out
}

func naiveMatch(terms []string, text string) int {
	norm := arabic.Normalize(text)
	n := 0
	for _, t := range terms {
		if t != "" && strings.Index(norm, t) >= 0 {
			n++
		}
	}
	return n
}
