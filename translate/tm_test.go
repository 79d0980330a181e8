package translate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate/diff"
)

func readFixture(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/memory.tmx")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadTMX(t *testing.T) {
	read, err := ReadTMX(bytes.NewReader(readFixture(t)), "memory.tmx")
	if err != nil {
		t.Fatal(err)
	}
	want := []TMXPair{
		{Source: "قال ريابكوف إن موسكو مستعدة للحوار.", Target: "Ryabkov said Moscow is ready for dialogue.",
			Created: time.Date(2022, 3, 1, 10, 15, 0, 0, time.UTC), Line: 8},
		{Source: "الضمانات الأمنية ضرورية.", Target: "Security guarantees are essential.", Line: 13},
		{Source: "موسكو وواشنطن", Target: `Moscow & Washington "talks" <now>`, Origin: "approved", Line: 18},
	}
	if !reflect.DeepEqual(read.Pairs, want) {
		t.Errorf("pairs:\n got %+v\nwant %+v", read.Pairs, want)
	}
	if read.Units != 5 || read.Skipped != 2 || len(read.Notes) != 2 ||
		!strings.HasPrefix(read.Notes[0], "line 25: no Arabic text") || !strings.HasPrefix(read.Notes[1], "line 30: no Arabic text") {
		t.Errorf("units %d, skipped %d, notes %q", read.Units, read.Skipped, read.Notes)
	}
}

func TestReadTMX_UTF16(t *testing.T) {
	utf8Doc := strings.Replace(string(readFixture(t)), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	enc, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(utf8Doc)
	if err != nil {
		t.Fatal(err)
	}
	read, err := ReadTMX(strings.NewReader(enc), "utf16.tmx")
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Pairs) != 3 || read.Pairs[1].Source != "الضمانات الأمنية ضرورية." {
		t.Errorf("UTF-16 file read as %+v", read.Pairs)
	}
}

func TestReadTMX_Errors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"mismatched tag", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x</tuv>\n</body></tmx>", "bad.tmx:3:"},
		{"cut off", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x", "bad.tmx:3:"},
		{"bad entity", "<tmx version=\"1.4\"><body>\n\n<tu><tuv xml:lang=\"en\"><seg>a &nbsp; b</seg></tuv></tu></body></tmx>", "bad.tmx:3:"},
		{"not tmx", "<html><body></body></html>", "root element is <html>"},
		{"empty", "", "no <tmx> element"},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><tmx/>", "ISO-8859-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadTMX(strings.NewReader(tc.doc), "bad.tmx")
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.tmx") {
				t.Fatalf("err = %v, want ErrInvalid naming %q", err, tc.want)
			}
		})
	}
}

func TestImportTMX(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	data := readFixture(t)

	rep, err := s.ImportTMX(ctx, bytes.NewReader(data), TMXImportOptions{Name: "memory.tmx", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 || rep.Pairs != 3 || rep.Skipped != 2 || !rep.DryRun {
		t.Errorf("dry run = %+v", rep)
	}
	if n, _ := s.TMCount(ctx); n != 0 {
		t.Fatalf("dry run wrote %d pairs", n)
	}

	if rep, err = s.ImportTMX(ctx, bytes.NewReader(data), TMXImportOptions{Name: "memory.tmx"}); err != nil || rep.Added != 3 || rep.Unchanged != 0 {
		t.Fatalf("import = %+v, %v", rep, err)
	}
	if rep, err = s.ImportTMX(ctx, bytes.NewReader(data), TMXImportOptions{Name: "memory.tmx"}); err != nil || rep.Added != 0 || rep.Unchanged != 3 {
		t.Fatalf("second import = %+v, %v", rep, err)
	}
	got, err := s.TMExact(ctx, []string{"الضَّمانات الأمنيّة ضرورية."})
	if err != nil || got["الضَّمانات الأمنيّة ضرورية."] != "Security guarantees are essential." {
		t.Errorf("TMExact after import = %v, %v", got, err)
	}

	// A broken file changes nothing.
	if _, err := s.ImportTMX(ctx, strings.NewReader(`<tmx><body><tu><tuv xml:lang="ar"><seg>جديد</seg></tuv><tuv xml:lang="en"><seg>new</seg></tuv></tu><tu>`), TMXImportOptions{Name: "cut.tmx"}); err == nil {
		t.Fatal("a cut-off file imported without error")
	}
	if n, _ := s.TMCount(ctx); n != 3 {
		t.Errorf("after a failed import the memory has %d pairs, want 3", n)
	}
}

// This is a copy of the export tests' fixture until the memory has a package of its own.
// reviewText has a title, a paragraph of two sentences, a boilerplate line and a last
// paragraph; the English typed in reviewedArticle is full of markup to test escaping.
const reviewText = "عنوان المقال\n\nقال ريابكوف إن <موسكو> & \"الغرب\" مستعدان. وأضاف أن الضمانات الأمنية ضرورية!\n\nاقرأ أيضا: روابط\n\nوختم بأن الحوار مستمر.\n"

const scriptTarget = `He said <script>alert("x")</script> & 'Moscow' is ready.`

// reviewedArticle stores reviewText with its segments in every state: 0 approved, 1 edited,
// 2 machine, 3 excluded, 4 untranslated.
func reviewedArticle(tb testing.TB, s *Store) (Article, []Segment) {
	tb.Helper()
	ctx := context.Background()
	a, err := s.CreateArticle(ctx, "عنوان المقال", reviewText, "article.txt")
	if err != nil {
		tb.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if len(segs) != 5 {
		tb.Fatalf("reviewText split into %d segments, want 5: %+v", len(segs), segs)
	}
	if _, err := s.ApplyMachine(ctx, []MachineOutput{
		{SegmentID: segs[0].ID, Target: "The article's title", Status: StatusMachine, Origin: OriginMachine, Backend: "fake"},
		{SegmentID: segs[1].ID, Target: "machine one", Status: StatusMachine, Origin: OriginMachine, Backend: "fake"},
		{SegmentID: segs[2].ID, Target: "He added that security guarantees are essential!", Status: StatusMachine, Origin: OriginMachine, Backend: "fake", Flags: []string{"glossary: check <this> & that"}},
	}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Approve(ctx, segs[0].ID, "", 2, "rev"); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SaveTarget(ctx, segs[1].ID, scriptTarget, 2, "rev"); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SetExcluded(ctx, segs[3].ID, true, 1, "rev"); err != nil {
		tb.Fatal(err)
	}
	if a, err = s.Article(ctx, a.ID); err != nil {
		tb.Fatal(err)
	}
	if segs, err = s.Segments(ctx, a.ID); err != nil {
		tb.Fatal(err)
	}
	return a, segs
}

func TestTMX_RoundTrip(t *testing.T) {
	ctx := context.Background()
	a := mustOpenStore(t)
	_, segs := reviewedArticle(t, a) // approves one segment: the memory learns it
	if _, err := a.Approve(ctx, segs[2].ID, "He added: <security> & \"guarantees\".", 2, "rev"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportTMX(ctx, bytes.NewReader(readFixture(t)), TMXImportOptions{Name: "memory.tmx"}); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := a.ExportTMX(ctx, &first); err != nil {
		t.Fatal(err)
	}
	b := mustOpenStore(t)
	rep, err := b.ImportTMX(ctx, bytes.NewReader(first.Bytes()), TMXImportOptions{Name: "first.tmx"})
	if err != nil || rep.Added != 5 || rep.Skipped != 0 {
		t.Fatalf("import of the export = %+v, %v\n%s", rep, err, first.String())
	}
	var second bytes.Buffer
	if err := b.ExportTMX(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("export → import → export changed the memory:\n%s\n----\n%s", first.String(), second.String())
	}
	if !strings.Contains(first.String(), "He added: &lt;security&gt; &amp; &#34;guarantees&#34;.") {
		t.Errorf("tmx export does not escape:\n%s", first.String())
	}
}

func TestExportTMX_Empty(t *testing.T) {
	var buf bytes.Buffer
	if err := mustOpenStore(t).ExportTMX(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if read, err := ReadTMX(&buf, "empty.tmx"); err != nil || read.Units != 0 {
		t.Fatalf("empty memory exports as %+v, %v", read, err)
	}
}

// addTM puts pairs into the memory the way an import does.
func addTM(t testing.TB, s *Store, pairs ...[2]string) {
	t.Helper()
	var buf bytes.Buffer
	tp := make([]TMXPair, len(pairs))
	for i, p := range pairs {
		tp[i] = TMXPair{Source: p[0], Target: p[1]}
	}
	if err := WriteTMX(&buf, tp, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportTMX(context.Background(), &buf, TMXImportOptions{Name: "pairs.tmx"}); err != nil {
		t.Fatal(err)
	}
}

func TestTMFuzzy(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	addTM(t, s,
		[2]string{"قال ريابكوف إن موسكو مستعدة للحوار مع واشنطن.", "Ryabkov said Moscow is ready for dialogue with Washington."},
		[2]string{"قال لافروف إن موسكو مستعدة للحوار.", "Lavrov said Moscow is ready for dialogue."},
		[2]string{"قالَ ريابكوف إنّ موسكو مستعدة للحوار مع الغرب.", "Ryabkov said Moscow is ready for dialogue with the West"},
		[2]string{"الطقس جميل اليوم", "The weather is nice today"},
	)
	got, err := s.TMFuzzy(ctx, "قال ريابكوف إن موسكو مستعدة للحوار مع الغرب.", 5)
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
		t.Fatalf("TMFuzzy = %+v, want %+v", rows, want)
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
	if got, err := s.TMFuzzy(ctx, "   ", 5); err != nil || len(got) != 0 {
		t.Errorf("TMFuzzy(blank) = %v, %v", got, err)
	}
}

// TestTMFuzzy_IndexesLateEntries covers pairs that reached the memory without the word index:
// approvals through a rememberTM without the hook, and rows from before migration 005.
func TestTMFuzzy_IndexesLateEntries(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.db.W.ExecContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at) VALUES (?, ?, ?, 'approved', ?)`,
		arabic.Normalize("وأضاف أن الضمانات الأمنية ضرورية للغاية"), "وأضاف أن الضمانات الأمنية ضرورية للغاية", "He added that security guarantees are vital", migrations.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := s.TMFuzzy(ctx, "وأضاف أن الضمانات الأمنية ضرورية جدا", 5)
	if err != nil || len(got) != 1 || got[0].Similarity != 83 {
		t.Fatalf("TMFuzzy over an unindexed entry = %+v, %v", got, err)
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
func randomMemory(tb testing.TB, s *Store, n, vocab int, seed int64) []string {
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
	tx, err := s.db.W.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	now := migrations.Now()
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
		if err := indexTM(ctx, tx, norm, fmt.Sprintf("sentence %d", i)); err != nil {
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
func bruteFuzzy(tb testing.TB, s *Store, source string) map[int64]int {
	tb.Helper()
	q := normTokens(arabic.Normalize(source))
	rows, err := s.db.R.Query(`SELECT id, source_norm FROM tm`)
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
		if sim := similarity(q, normTokens(norm)); sim >= TMFuzzyThreshold {
			out[id] = sim
		}
	}
	return out
}

// TestTMFuzzy_IndexIsExact checks that the candidate filters never lose a match that a scan
// of the whole memory finds.
func TestTMFuzzy_IndexIsExact(t *testing.T) {
	s := mustOpenStore(t)
	sources := randomMemory(t, s, 3000, 400, 1)
	r := rand.New(rand.NewSource(2))
	found := 0
	for i := 0; i < 60; i++ {
		q := mutate(r, sources[r.Intn(len(sources))], r.Intn(4))
		got, err := s.TMFuzzy(context.Background(), q, 1000)
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

func benchMemory(b *testing.B) (*Store, []string) {
	s := mustOpenStore(b)
	sources := randomMemory(b, s, 50000, 20000, 1)
	r := rand.New(rand.NewSource(3))
	queries := make([]string, 100)
	for i := range queries {
		queries[i] = mutate(r, sources[r.Intn(len(sources))], 1+r.Intn(2))
	}
	return s, queries
}

// BenchmarkTMFuzzy_50k looks up fuzzy matches in a memory of 50,000 pairs through the word index.
func BenchmarkTMFuzzy_50k(b *testing.B) {
	s, queries := benchMemory(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.TMFuzzy(ctx, queries[i%len(queries)], 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTMFuzzy_50k_ScanBaseline scores every pair of the same memory: the simple approach
// the index replaces.
func BenchmarkTMFuzzy_50k_ScanBaseline(b *testing.B) {
	s, queries := benchMemory(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bruteFuzzy(b, s, queries[i%len(queries)])
	}
}

// TestIndexTM_AfterRememberTM is the hook rememberTM calls: approving a pair indexes it at once,
// and remembering it again is a no-op for the index.
func TestIndexTM_AfterRememberTM(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	source, target := "وأضاف أن الضمانات الأمنية ضرورية", "He added that security guarantees are essential"
	for i := 0; i < 2; i++ {
		tx, err := s.db.W.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := rememberTM(ctx, tx, source, target, "approved", migrations.Now()); err != nil {
			t.Fatal(err)
		}
		if err := indexTM(ctx, tx, arabic.Normalize(source), target); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var tokens, indexed, rows int
	if err := s.db.R.QueryRow(`SELECT tokens, indexed, (SELECT COUNT(*) FROM tm_tokens) FROM tm`).Scan(&tokens, &indexed, &rows); err != nil {
		t.Fatal(err)
	}
	if tokens != 5 || indexed != 1 || rows != 5 {
		t.Errorf("tm row: %d tokens, indexed %d, %d index rows; want 5, 1, 5", tokens, indexed, rows)
	}
}
