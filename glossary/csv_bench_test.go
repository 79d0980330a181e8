package glossary

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/migrations/migrationstest"
)

// benchLetters are Arabic letters that the normalizer leaves alone, so generated terms never
// collide after normalization.
var benchLetters = []rune("بتثجحخدذرزسشصضطظعغفقكلمنوي")

// benchWord spells n in base len(benchLetters) with width letters.
func benchWord(n, width int) string {
	w := make([]rune, width)
	for i := width - 1; i >= 0; i-- {
		w[i] = benchLetters[n%len(benchLetters)]
		n /= len(benchLetters)
	}
	return string(w)
}

// genGlossaryCSV writes a deterministic canonical glossary of n terms: two-word Arabic terms,
// every third a name, every tenth with a variant and an alternative, every seventh with a note.
func genGlossaryCSV(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 90)
	b.WriteString(strings.Join(CSVColumns, ",") + "\n")
	for i := 0; i < n; i++ {
		typ, variants, alts, note := "term", "", "", ""
		if i%3 == 0 {
			typ = "name"
		}
		if i%10 == 0 {
			variants = benchWord(i, 4) + "ا " + benchWord(i*7919%n, 3)
			alts = fmt.Sprintf("alt %d", i)
		}
		if i%7 == 0 {
			note = fmt.Sprintf("\"generated, row %d\"", i)
		}
		fmt.Fprintf(&b, "%s %s,term %06d,%s,%s,%s,,%s,false\n",
			benchWord(i, 4), benchWord(i*7919%n, 3), i, typ, variants, alts, note)
	}
	return b.Bytes()
}

// BenchmarkImport100k imports a 100,000-row canonical CSV into a fresh database file, beside
// the sqlite3 shell's .import of the same file into a plain table (the target: under 10×).
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	data := genGlossaryCSV(n)
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "glossary100k.csv")
	if err := os.WriteFile(csvPath, data, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// The benchmark function runs several times (b.N = 1, then more); every run needs new files.
	fresh := 0
	freshPath := func(prefix string) string {
		fresh++
		return filepath.Join(dir, fmt.Sprintf("%s%d.db", prefix, fresh))
	}

	b.Run("tarjama", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db := migrationstest.OpenFile(b, freshPath("ours"))
			s := storeOver(db)
			b.StartTimer()
			rep, err := s.Import(ctx, bytes.NewReader(data), ImportOptions{Name: "glossary100k.csv"})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if len(rep.Added) != n {
				b.Fatalf("added %d terms, want %d", len(rep.Added), n)
			}
			db.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})

	b.Run("sqlite3-shell-import", func(b *testing.B) {
		const shell = "/usr/bin/sqlite3"
		if _, err := os.Stat(shell); err != nil {
			b.Skip("no sqlite3 shell at " + shell)
		}
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dbPath := freshPath("shell")
			create := exec.Command(shell, dbPath)
			create.Stdin = strings.NewReader(`CREATE TABLE terms_raw (arabic TEXT, english TEXT, type TEXT,
				variants TEXT, english_alternatives TEXT, forbidden TEXT, note TEXT, do_not_translate TEXT);`)
			if out, err := create.CombinedOutput(); err != nil {
				b.Fatalf("create table: %v: %s", err, out)
			}
			imp := exec.Command(shell, dbPath)
			imp.Stdin = strings.NewReader(".mode csv\n.import --skip 1 " + csvPath + " terms_raw\n")
			b.StartTimer()
			out, err := imp.CombinedOutput()
			b.StopTimer()
			if err != nil || len(out) > 0 {
				b.Fatalf("sqlite3 .import: %v: %s", err, out)
			}
			count, err := exec.Command(shell, dbPath, "SELECT COUNT(*) FROM terms_raw").Output()
			if err != nil || strings.TrimSpace(string(count)) != fmt.Sprint(n) {
				b.Fatalf("sqlite3 imported %q rows (%v), want %d", count, err, n)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
