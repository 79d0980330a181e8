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
	"time"

	"github.com/tarjama/tarjama/migrations"
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

// BenchmarkImport100k times `tarjama glossary import` of a 100,000-row canonical CSV end to
// end, as the command runs it, beside the sqlite3 shell's .import of the same file into a
// plain table, in one run:
//
//	go test ./glossary/ -run '^$' -bench Import100k -benchtime=3x
//
// Each iteration runs three imports. first: the file into a copy of a database with no terms
// (importCommand: open the database file, read and check the file, compare it with the stored
// terms, write the terms and their history, commit, close). again: the same file into the
// result, every row unchanged. sqlite3: the shell's `.import` into a new file with a plain
// table of eight text columns, process start included. ratio is first over sqlite3 (issue 13
// wants ≤ 5) and again-ratio again over first (≤ 1). On a machine shared with other work the
// wall times wander, so the CPU times (this process for ours, the child for the shell) and
// their ratios are reported beside them.
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	data := genGlossaryCSV(n)
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "glossary100k.csv")
	if err := os.WriteFile(csvPath, data, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	empty := filepath.Join(dir, "empty.db")
	if err := migrationstest.OpenFile(b, empty).Close(); err != nil {
		b.Fatal(err)
	}
	emptyDB, err := os.ReadFile(empty)
	if err != nil {
		b.Fatal(err)
	}
	shell, shellErr := exec.LookPath("sqlite3")
	// The function below runs more than once (b.N = 1, then more); every import needs new files.
	fresh := 0
	freshPath := func(prefix string) string {
		fresh++
		return filepath.Join(dir, fmt.Sprintf("%s%d.db", prefix, fresh))
	}

	b.Run("tarjama-and-sqlite3", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		var first, again, theirs, firstCPU, againCPU, theirsCPU time.Duration
		for i := 0; i < b.N; i++ {
			dbPath := freshPath("ours")
			if err := os.WriteFile(dbPath, emptyDB, 0o644); err != nil {
				b.Fatal(err)
			}
			start, cpu := time.Now(), cpuTime()
			rep := importCommand(b, ctx, dbPath, csvPath)
			first += time.Since(start)
			firstCPU += cpuTime() - cpu
			if len(rep.Added) != n {
				b.Fatalf("first import added %d terms, want %d", len(rep.Added), n)
			}

			start, cpu = time.Now(), cpuTime()
			rep = importCommand(b, ctx, dbPath, csvPath)
			again += time.Since(start)
			againCPU += cpuTime() - cpu
			if len(rep.Unchanged) != n {
				b.Fatalf("import again: %d terms unchanged, want %d", len(rep.Unchanged), n)
			}

			if shellErr != nil {
				continue
			}
			elapsed, cpuUsed := shellImport(b, shell, freshPath("shell"), csvPath, n)
			theirs += elapsed
			theirsCPU += cpuUsed
		}
		ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 / float64(b.N) }
		b.ReportMetric(ms(first), "first-ms")
		b.ReportMetric(ms(firstCPU), "first-cpu-ms")
		b.ReportMetric(ms(again), "again-ms")
		b.ReportMetric(ms(againCPU), "again-cpu-ms")
		b.ReportMetric(again.Seconds()/first.Seconds(), "again-ratio")
		b.ReportMetric(againCPU.Seconds()/firstCPU.Seconds(), "again-cpu-ratio")
		if shellErr != nil {
			b.Logf("no sqlite3 shell (%v): the ratio to it is not measured", shellErr)
			return
		}
		b.ReportMetric(ms(theirs), "sqlite3-ms")
		b.ReportMetric(ms(theirsCPU), "sqlite3-cpu-ms")
		b.ReportMetric(first.Seconds()/theirs.Seconds(), "ratio")
		b.ReportMetric(firstCPU.Seconds()/theirsCPU.Seconds(), "cpu-ratio")
	})
}

// importCommand is `tarjama glossary import FILE` without the process (cmd/tarjama's
// cmdGlossaryImport, whose open also checks the seeds are loaded: a few one-row reads).
func importCommand(b testing.TB, ctx context.Context, dbPath, file string) *ImportReport {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	db, err := migrations.Open(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	rep, err := storeOver(db).Import(ctx, f, ImportOptions{Name: file, Mode: ModeMerge, User: "cli"})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return rep
}

// shellImport runs the sqlite3 shell's .import of the CSV file (n rows after its header) into
// a plain table of a new database file, and returns the time and CPU time it took.
func shellImport(b testing.TB, shell, dbPath, csvPath string, n int) (time.Duration, time.Duration) {
	create := exec.Command(shell, dbPath)
	create.Stdin = strings.NewReader(`CREATE TABLE terms_raw (arabic TEXT, english TEXT, type TEXT,
		variants TEXT, english_alternatives TEXT, forbidden TEXT, note TEXT, do_not_translate TEXT);`)
	if out, err := create.CombinedOutput(); err != nil {
		b.Fatalf("create table: %v: %s", err, out)
	}
	imp := exec.Command(shell, dbPath)
	imp.Stdin = strings.NewReader(".mode csv\n.import --skip 1 " + csvPath + " terms_raw\n")
	start := time.Now()
	out, err := imp.CombinedOutput()
	elapsed := time.Since(start)
	if err != nil || len(out) > 0 {
		b.Fatalf("sqlite3 .import: %v: %s", err, out)
	}
	count, err := exec.Command(shell, dbPath, "SELECT COUNT(*) FROM terms_raw").Output()
	if err != nil || strings.TrimSpace(string(count)) != fmt.Sprint(n) {
		b.Fatalf("sqlite3 imported %q rows (%v), want %d", count, err, n)
	}
	return elapsed, childCPU(imp.ProcessState)
}
