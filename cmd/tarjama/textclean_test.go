package main

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate"
)

// databaseBefore creates the database file at path as a version of Tarjama before the
// migration numbered version left it: the embedded migrations below it applied and recorded,
// as migrations.Open does.
func databaseBefore(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		n, _ := strconv.Atoi(name[:strings.IndexByte(name, '_')])
		if n >= version {
			continue
		}
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00.000000000Z')`, n, name); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// asBeforeCleaning writes an article, a reviewer's English and a glossary term holding a
// terminal escape, NUL and bidi overrides into a database as versions before the text rule
// (migration 019) stored them through the API. It returns the article's id.
func asBeforeCleaning(t *testing.T, path string) int64 {
	t.Helper()
	db := databaseBefore(t, path, 19)
	exec := func(q string, args ...any) sql.Result {
		t.Helper()
		res, err := db.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	text := "عنوان\x1b]0;owned\x07\n\nقال ريابكوف\u202e إن موسكو مستعدة.\x00"
	res := exec(`INSERT INTO articles (title, source_text, created_at) VALUES (?, ?, '')`, "Title \x1b[31mred", text)
	id, _ := res.LastInsertId()
	for i, p := range translate.Split(text) {
		target := ""
		if i == 1 {
			target = "Ryabkov\u202e said \x1b[2J\x1b[31mMoscow is ready."
		}
		exec(`INSERT INTO segments (article_id, idx, paragraph, source, sep, target, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '')`,
			id, i, p.Paragraph, p.Source, p.Sep, target, map[bool]string{true: "edited", false: "untranslated"}[target != ""])
	}
	exec(`INSERT INTO terms (arabic, arabic_norm, english, type, note, updated_at) VALUES (?, ?, ?, 'term', ?, '')`,
		"الدرع\u202e الصاروخي", "الدرع الصاروخي", "missile\x00 shield", "see \x1b[4mthis\x1b[0m")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestStoredControlCharactersAreCleaned: text stored with control and bidi characters before
// the text rule is cleaned by the upgrade, which logs what it removed once; `tarjama export`
// then writes no escape code to the terminal, and every glossary export reads back with the
// glossary's own import.
func TestStoredControlCharactersAreCleaned(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "old.db")
	id := asBeforeCleaning(t, db)

	code, out, errs := runCLI(t, "", "export", "--db", db, "--format", "txt", strconv.FormatInt(id, 10))
	if code != 0 {
		t.Fatalf("export = %d: %s", code, errs)
	}
	if i := strings.IndexFunc(out, func(r rune) bool { return arabic.IsControl(r) || arabic.IsBidiControl(r) }); i >= 0 {
		t.Errorf("export writes %q at %d: %q", out[i:i+1], i, out)
	}
	if !strings.Contains(out, "Ryabkov said [2J[31mMoscow is ready.") {
		t.Errorf("export = %q; want the reviewer's English without its control characters", out)
	}
	for _, what := range []string{"what=articles.title", "what=segments.target", "what=terms.english"} {
		if !strings.Contains(errs, "removed control or bidi characters") || !strings.Contains(errs, what) {
			t.Errorf("the upgrade's log does not report %s:\n%s", what, errs)
		}
	}
	if _, _, errs := runCLI(t, "", "stats", "--db", db); strings.Contains(errs, "removed control") {
		t.Errorf("the report is logged again on the next start:\n%s", errs)
	}

	for _, format := range []string{"csv", "tbx", "xlsx"} {
		file := filepath.Join(dir, "glossary."+format)
		if code, _, errs := runCLI(t, "", "glossary", "export", "--db", db, "--format", format, "-o", file); code != 0 {
			t.Fatalf("glossary export --format %s: %s", format, errs)
		}
		fresh := filepath.Join(dir, "fresh-"+format+".db")
		code, out, errs := runCLI(t, "", "glossary", "import", "--db", fresh, file)
		if code != 0 || !strings.Contains(out, "imported") {
			t.Errorf("glossary import of its own %s export = %d\n%s%s", format, code, out, errs)
		}
	}
}
