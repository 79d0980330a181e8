package memory_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/internal/fixtures"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/internal/xmllint"
	"github.com/tarjama/tarjama/translate/memory"
)

// The memory as the review store feeds it: an approval teaches the memory in the same
// transaction, and what it learnt travels through TMX.

// TestTMX_RoundTrip: a memory that approvals and TMX files from other tools (with their
// white space, metadata, encodings and entities) filled exports as TMX that validates against
// the TMX 1.4 DTD; export → import into a fresh database → export gives the same file, and
// importing the export into the database it came from adds and updates nothing.
func TestTMX_RoundTrip(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	articles, a := storetest.New(db), memory.New(db.W, db.R, time.Now)
	_, segs := storetest.Reviewed(t, articles) // approves one segment: the memory learns it
	if _, err := articles.Approve(ctx, segs[2].ID, "He added: <security> & \"guarantees\".", 2, "rev"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportTMX(ctx, bytes.NewReader(fixtures.TMX), memory.ImportOptions{Name: "memory.tmx"}); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("..", "tmx", "testdata", "*.tmx"))
	if err != nil || len(files) < 8 {
		t.Fatalf("fixtures %v, %v", files, err)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.ImportTMX(ctx, f, memory.ImportOptions{Name: name})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	var first bytes.Buffer
	if err := a.ExportTMX(ctx, &first); err != nil {
		t.Fatal(err)
	}
	xmllint.Validate(t, first.Bytes(), "--dtdvalid", filepath.Join("..", "tmx", "testdata", "tmx14.dtd"))
	total, err := a.Count(ctx)
	if err != nil || total < 20 {
		t.Fatalf("the memory holds %d pairs (%v)", total, err)
	}

	bdb := migrationstest.Open(t)
	b := memory.New(bdb.W, bdb.R, time.Now)
	rep, err := b.ImportTMX(ctx, bytes.NewReader(first.Bytes()), memory.ImportOptions{Name: "first.tmx"})
	if err != nil || rep.Added.Total != total || rep.Refused.Total != 0 {
		t.Fatalf("import of the export = %+v, %v\n%s", rep, err, first.String())
	}
	var second bytes.Buffer
	if err := b.ExportTMX(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("export → import → export changed the memory:\n%s\n----\n%s", first.String(), second.String())
	}
	for _, want := range []string{
		"He added: &lt;security&gt; &amp; &#34;guarantees&#34;.",
		"<seg>قال:[&#x9;&#x9;   ]انتهى</seg>",
		`<tu tuid="news-0001" creationdate="20240110T083512Z" creationid="mona" changedate="20240212T141003Z" changeid="sami">`,
		`<note xml:lang="en">Tense follows the wire copy.</note>`,
	} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("the export lacks %s", want)
		}
	}

	again, err := a.ImportTMX(ctx, bytes.NewReader(first.Bytes()), memory.ImportOptions{Name: "first.tmx"})
	if err != nil || again.Added.Total != 0 || again.Updated.Total != 0 || again.Unchanged.Total != total {
		t.Errorf("importing the export into its own database = added %d, updated %+v, unchanged %d, %v; want 0, 0, %d",
			again.Added.Total, again.Updated, again.Unchanged.Total, err, total)
	}
	if n, _ := a.Count(ctx); n != total {
		t.Errorf("the memory holds %d pairs after importing its own export, want %d", n, total)
	}
}

// TestExactPrefersNewest: the newest entry wins, whatever its timestamp's width (".1Z" sorts
// after ".12Z" as text), and a pair approved again in the review store becomes the newest.
func TestExactPrefersNewest(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, tm := storetest.New(db), memory.New(db.W, db.R, time.Now)
	src := "قال ريابكوف إن موسكو مستعدة للحوار."
	for _, e := range []struct{ target, created string }{
		{"Older.", "2026-01-01T00:00:00.1Z"},
		{"Newer.", "2026-01-01T00:00:00.12Z"},
	} {
		if _, err := db.W.ExecContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at) VALUES (?, ?, ?, 'approved', ?)`,
			arabic.Normalize(src), src, e.target, e.created); err != nil {
			t.Fatal(err)
		}
	}
	exact := func() string {
		t.Helper()
		m, err := tm.Exact(ctx, []string{src})
		if err != nil {
			t.Fatal(err)
		}
		return m[src]
	}
	if got := exact(); got != "Newer." {
		t.Errorf("Exact = %q, want the newer entry", got)
	}
	_, segs := storetest.Sample(t, s)
	g := segs[1] // the same sentence
	if g.Source != src {
		t.Fatalf("segment source %q, want %q", g.Source, src)
	}
	if _, err := s.Approve(ctx, g.ID, "Older.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	if got := exact(); got != "Older." {
		t.Errorf("after approving %q again, Exact = %q", "Older.", got)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tm WHERE source_norm = ?`, arabic.Normalize(src)).Scan(&n); err != nil || n != 2 {
		t.Errorf("memory holds %d entries for the source (%v), want 2", n, err)
	}
}
