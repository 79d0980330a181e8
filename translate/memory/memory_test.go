package memory

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/translate/tmx"
)

// openMemory is a translation memory over a fresh test database, with the real clock.
func openMemory(tb testing.TB) *Memory {
	tb.Helper()
	db := migrationstest.Open(tb)
	return New(db.W, db.R, time.Now)
}

// addTM puts pairs into the memory the way an import does.
func addTM(t testing.TB, s *Memory, pairs ...[2]string) {
	t.Helper()
	var buf bytes.Buffer
	tp := make([]tmx.Pair, len(pairs))
	for i, p := range pairs {
		tp[i] = tmx.Pair{Source: p[0], Target: p[1]}
	}
	if err := tmx.Write(&buf, tp, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportTMX(context.Background(), &buf, ImportOptions{Name: "pairs.tmx"}); err != nil {
		t.Fatal(err)
	}
}

func TestFuzzy(t *testing.T) {
	s := openMemory(t)
	ctx := context.Background()
	addTM(t, s,
		[2]string{"قال ريابكوف إن موسكو مستعدة للحوار مع واشنطن.", "Ryabkov said Moscow is ready for dialogue with Washington."},
		[2]string{"قال لافروف إن موسكو مستعدة للحوار.", "Lavrov said Moscow is ready for dialogue."},
		[2]string{"قالَ ريابكوف إنّ موسكو مستعدة للحوار مع الغرب.", "Ryabkov said Moscow is ready for dialogue with the West"},
		[2]string{"الطقس جميل اليوم", "The weather is nice today"},
	)
	got, err := s.Fuzzy(ctx, "قال ريابكوف إن موسكو مستعدة للحوار مع الغرب.", 5)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		target string
		sim    int
		exact  bool
	}
	var rows []row
	for _, m := range got {
		rows = append(rows, row{m.Target, m.Similarity, m.Exact})
	}
	want := []row{
		{"Ryabkov said Moscow is ready for dialogue with the West", 100, true},
		{"Ryabkov said Moscow is ready for dialogue with Washington.", 87, false}, // 1 of 8 words differs
	} // Lavrov's: 3 edits of 8 words, 62%: below the threshold
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("Fuzzy = %+v, want %+v", rows, want)
	}
	wantDiff := []diff.Op{
		{Kind: diff.Equal, Text: "قال ريابكوف إن موسكو مستعدة للحوار مع "},
		{Kind: diff.Delete, Text: "واشنطن"},
		{Kind: diff.Insert, Text: " الغرب"},
		{Kind: diff.Equal, Text: "."},
	}
	if !reflect.DeepEqual(got[1].Diff, wantDiff) {
		t.Errorf("diff = %q, want %q", got[1].Diff, wantDiff)
	}
	if got, err := s.Fuzzy(ctx, "   ", 5); err != nil || len(got) != 0 {
		t.Errorf("Fuzzy(blank) = %v, %v", got, err)
	}
}

// TestFuzzy_IndexesLateEntries covers pairs that reached the memory without the word index:
// approvals through a Remember without the hook, and rows from before migration 005.
func TestFuzzy_IndexesLateEntries(t *testing.T) {
	s := openMemory(t)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at) VALUES (?, ?, ?, 'approved', ?)`,
		arabic.Normalize("وأضاف أن الضمانات الأمنية ضرورية للغاية"), "وأضاف أن الضمانات الأمنية ضرورية للغاية", "He added that security guarantees are vital", timestamp.Format(time.Now())); err != nil {
		t.Fatal(err)
	}
	got, err := s.Fuzzy(ctx, "وأضاف أن الضمانات الأمنية ضرورية جدا", 5)
	if err != nil || len(got) != 1 || got[0].Similarity != 83 {
		t.Fatalf("Fuzzy over an unindexed entry = %+v, %v", got, err)
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"a b c d e f g h i j", "a b c d e f g h i j", 100},
		{"a b c d e f g h i j", "a b c d e f g h i x", 90},
		{"a b c d e f g h i j", "a b c d e f g h i", 90},
		{"a b c", "a b d", 66},
		{"a b c", "x y z", 0},
		{"", "", 100},
	} {
		if got := similarity(strings.Fields(tc.a), strings.Fields(tc.b)); got != tc.want {
			t.Errorf("similarity(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// randomMemory fills a store with n pairs drawn from a Zipf-distributed vocabulary of
// Arabic-looking words, as a newsroom memory would look to the index, and returns the sources.
func randomMemory(tb testing.TB, s *Memory, n, vocab int, seed int64) []string {
	tb.Helper()
	r := rand.New(rand.NewSource(seed))
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	words := make([]string, vocab)
	for i := range words {
		w := make([]rune, 3+r.Intn(5))
		for j := range w {
			w[j] = letters[r.Intn(len(letters))]
		}
		words[i] = string(w)
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(vocab-1))
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	now := timestamp.Format(time.Now())
	sources := make([]string, 0, n)
	for i := 0; i < n; i++ {
		sent := make([]string, 5+r.Intn(20))
		for j := range sent {
			sent[j] = words[zipf.Uint64()]
		}
		src := strings.Join(sent, " ") + "."
		norm := arabic.Normalize(src)
		res, err := tx.ExecContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at) VALUES (?, ?, ?, 'bench', ?)
			ON CONFLICT DO NOTHING`, norm, src, fmt.Sprintf("sentence %d", i), now)
		if err != nil {
			tb.Fatal(err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue
		}
		if err := indexPair(ctx, tx, norm, fmt.Sprintf("sentence %d", i)); err != nil {
			tb.Fatal(err)
		}
		sources = append(sources, src)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return sources
}

// mutate changes k random words of a sentence.
func mutate(r *rand.Rand, src string, k int) string {
	w := strings.Fields(strings.TrimSuffix(src, "."))
	for i := 0; i < k; i++ {
		switch j := r.Intn(len(w)); r.Intn(3) {
		case 0:
			w[j] = "كلمة"
		case 1:
			if len(w) > 1 {
				w = append(w[:j], w[j+1:]...)
			}
		default:
			w = append(w[:j], append([]string{"جديد"}, w[j:]...)...)
		}
	}
	return strings.Join(w, " ") + "."
}

// bruteFuzzy scores every entry: what the index must agree with, and the benchmark baseline.
func bruteFuzzy(tb testing.TB, s *Memory, source string) map[int64]int {
	tb.Helper()
	q := normTokens(arabic.Normalize(source))
	rows, err := s.r.Query(`SELECT id, source_norm FROM tm`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var norm string
		if err := rows.Scan(&id, &norm); err != nil {
			tb.Fatal(err)
		}
		if sim := similarity(q, normTokens(norm)); sim >= FuzzyThreshold {
			out[id] = sim
		}
	}
	return out
}

// TestFuzzy_IndexIsExact checks that the candidate filters never lose a match that a scan
// of the whole memory finds.
func TestFuzzy_IndexIsExact(t *testing.T) {
	s := openMemory(t)
	sources := randomMemory(t, s, 3000, 400, 1)
	r := rand.New(rand.NewSource(2))
	found := 0
	for i := 0; i < 60; i++ {
		q := mutate(r, sources[r.Intn(len(sources))], r.Intn(4))
		got, err := s.Fuzzy(context.Background(), q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		gotMap := map[int64]int{}
		for _, m := range got {
			gotMap[m.ID] = m.Similarity
		}
		if want := bruteFuzzy(t, s, q); !reflect.DeepEqual(gotMap, want) {
			t.Fatalf("query %q: index found %v, a full scan %v", q, gotMap, want)
		}
		found += len(got)
		if !sort.SliceIsSorted(got, func(a, b int) bool { return got[a].Similarity > got[b].Similarity }) {
			t.Errorf("query %q: matches not best first: %+v", q, got)
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the test proves nothing")
	}
}

func benchMemory(b *testing.B) (*Memory, []string) {
	s := openMemory(b)
	sources := randomMemory(b, s, 50000, 20000, 1)
	r := rand.New(rand.NewSource(3))
	queries := make([]string, 100)
	for i := range queries {
		queries[i] = mutate(r, sources[r.Intn(len(sources))], 1+r.Intn(2))
	}
	return s, queries
}

// BenchmarkFuzzy_50k looks up fuzzy matches in a memory of 50,000 pairs through the word index.
func BenchmarkFuzzy_50k(b *testing.B) {
	s, queries := benchMemory(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Fuzzy(ctx, queries[i%len(queries)], 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFuzzy_50k_ScanBaseline scores every pair of the same memory: the simple approach
// the index replaces.
func BenchmarkFuzzy_50k_ScanBaseline(b *testing.B) {
	s, queries := benchMemory(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bruteFuzzy(b, s, queries[i%len(queries)])
	}
}

// TestIndexPair_AfterRemember is the hook Remember calls: approving a pair indexes it at once,
// and remembering it again is a no-op for the index.
func TestIndexPair_AfterRemember(t *testing.T) {
	s := openMemory(t)
	ctx := context.Background()
	source, target := "وأضاف أن الضمانات الأمنية ضرورية", "He added that security guarantees are essential"
	for i := 0; i < 2; i++ {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := Remember(ctx, tx, source, target, "approved", timestamp.Format(time.Now())); err != nil {
			t.Fatal(err)
		}
		if err := indexPair(ctx, tx, arabic.Normalize(source), target); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var tokens, indexed, rows int
	if err := s.r.QueryRow(`SELECT tokens, indexed, (SELECT COUNT(*) FROM tm_tokens) FROM tm`).Scan(&tokens, &indexed, &rows); err != nil {
		t.Fatal(err)
	}
	if tokens != 5 || indexed != 1 || rows != 5 {
		t.Errorf("tm row: %d tokens, indexed %d, %d index rows; want 5, 1, 5", tokens, indexed, rows)
	}
}
