package migrations

import (
	"context"
	"strings"
	"testing"
)

// A database at the previous migration holding control and bidi characters in every text
// column earlier versions let them into has them removed by migration 019, which reports
// what it changed in text_cleaning; a term whose cleaned Arabic is another term's is left for
// a person, a memory pair that cleans to one already there is removed, and RLM, LRM and ALM
// stay.
func TestCleanTextMigration(t *testing.T) {
	const version = 19
	ctx := context.Background()
	db := openBefore(t, version)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	const marks = "\u200f\u200e\u061c" // RLM, LRM, ALM: kept
	// An article whose text has a NUL, a terminal escape and a bidi override, split into
	// segments the way the text is; a clean article beside it.
	exec(`INSERT INTO articles (title, source_text, created_at) VALUES (?, ?, '')`, "Red \x1b[31mtitle\u202e", "قال\x00 ريابكوف.\n\nنص\u2066 آخر"+marks+".")
	exec(`INSERT INTO articles (title, source_text, created_at) VALUES ('clean', 'نص.', '')`)
	exec(`INSERT INTO segments (article_id, idx, paragraph, source, sep, target, updated_at) VALUES (1, 0, 0, ?, ?, ?, '')`,
		"قال\x00 ريابكوف.", "\n\n", "He\x07 said\u0085.")
	exec(`INSERT INTO segments (article_id, idx, paragraph, source, sep, target, updated_at) VALUES (1, 1, 1, ?, '', ?, '')`,
		"نص\u2066 آخر"+marks+".", "Another"+marks+" text\u202a.")
	exec(`INSERT INTO revisions (segment_id, kind, before, after, created_at) VALUES (1, 'edit', ?, ?, '')`, "old\x7f", "He\x07 said\u0085.")
	// Terms: one dirty in every field; one whose cleaned Arabic is a clean term's.
	exec(`INSERT INTO terms (arabic, arabic_norm, english, type, variants, variants_norm, english_alternatives, english_fold, forbidden, note, updated_at)
		VALUES (?, ?, ?, 'term', ?, ?, ?, ?, ?, ?, '')`,
		"الضمانات\u202e الأمنية", "الضمانات الامنيه", "security\x1b guarantees", "ضمانات\x00 أمنية", "ضمانات\x00 امنيه",
		"safety\u0090 guarantees", "security\x1b guarantees\nsafety\u0090 guarantees", "security\u2069 assurances", "a \x1b[1mbold\x1b[0m note")
	exec(`INSERT INTO terms (arabic, arabic_norm, english, type, updated_at) VALUES ('روسيا', 'روسيا', 'Russia', 'name', '')`)
	exec(`INSERT INTO terms (arabic, arabic_norm, english, type, updated_at) VALUES (?, ?, 'Russia', 'name', '')`, "روسيا\x1b", "روسيا\x1b")
	// Memory pairs: one to clean, one that cleans to a pair already there.
	exec(`INSERT INTO tm (source_norm, source, target, created_at) VALUES (?, ?, ?, '')`, "نص\x1b قصير", "نص\x1b قصير", "A short\u202e text.")
	exec(`INSERT INTO tm (source_norm, source, target, created_at) VALUES ('نص', 'نص', 'Text.', '')`)
	exec(`INSERT INTO tm (source_norm, source, target, created_at) VALUES ('نص', 'نص', ?, '')`, "Text.\x00")
	exec(`INSERT INTO tm_tokens (token, tm_id) VALUES (?, 1), ('نص', 3)`, "نص\x1b")
	exec(`UPDATE tm SET indexed = 1`)
	exec(`INSERT INTO mt_cache (key, translation, created_at) VALUES ('k', ?, '')`, "He said\x1b[0m.")

	if err := apply(ctx, db, version); err != nil {
		t.Fatal(err)
	}
	one := func(q string, args ...any) string {
		t.Helper()
		var s string
		if err := db.QueryRow(q, args...).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return s
	}
	for _, c := range []struct{ query, want string }{
		{`SELECT title FROM articles WHERE id = 1`, "Red [31mtitle"},
		{`SELECT source_text FROM articles WHERE id = 1`, "قال ريابكوف.\n\nنص آخر" + marks + "."},
		{`SELECT group_concat(source || sep, '') FROM (SELECT source, sep FROM segments WHERE article_id = 1 ORDER BY idx)`, "قال ريابكوف.\n\nنص آخر" + marks + "."},
		{`SELECT target FROM segments WHERE idx = 0`, "He said."},
		{`SELECT target FROM segments WHERE idx = 1`, "Another" + marks + " text."},
		{`SELECT before || '|' || after FROM revisions`, "old|He said."},
		{`SELECT arabic || '|' || arabic_norm || '|' || english || '|' || variants || '|' || variants_norm || '|' || english_alternatives || '|' || english_fold || '|' || forbidden || '|' || note FROM terms WHERE id = 1`,
			"الضمانات الأمنية|الضمانات الامنيه|security guarantees|ضمانات أمنية|ضمانات امنيه|safety guarantees|security guarantees\nsafety guarantees|security assurances|a [1mbold[0m note"},
		{`SELECT arabic FROM terms WHERE id = 3`, "روسيا\x1b"},
		{`SELECT source || '|' || source_norm || '|' || target FROM tm WHERE id = 1`, "نص قصير|نص قصير|A short text."},
		{`SELECT group_concat(id) FROM (SELECT id FROM tm ORDER BY id)`, "1,2"},
		{`SELECT count(*) FROM tm_tokens`, "0"},                                           // the duplicate's went with it, the cleaned pair's are rebuilt
		{`SELECT group_concat(indexed) FROM (SELECT indexed FROM tm ORDER BY id)`, "0,1"}, // … when the memory is next searched
		{`SELECT translation FROM mt_cache`, "He said[0m."},
		{`SELECT n FROM glossary_version`, "1"},
	} {
		if got := one(c.query); got != c.want {
			t.Errorf("%s = %q, want %q", c.query, got, c.want)
		}
	}
	var report []string
	rows, err := db.Query(`SELECT what || ' ' || changed || ' ' || left_as_was FROM text_cleaning WHERE logged_at = '' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		report = append(report, s)
	}
	rows.Close()
	want := []string{
		"articles.title 1 0", "articles.source_text 1 0", "segments.source 2 0", "segments.target 2 0", "revisions.before 1 0",
		"revisions.after 1 0", "terms.arabic 1 0", "terms.english 1 0", "terms.note 1 0", "terms.variants 1 0",
		"terms.english_alternatives 1 0", "terms.forbidden 1 0", "tm.source 1 0", "tm.target 1 0", "mt_cache.translation 1 0",
		"terms (their Arabic, cleaned, is another term's: merge them by hand) 0 1",
		"tm (pairs that, cleaned, were already in the memory: removed) 1 0",
	}
	if strings.Join(report, "\n") != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(report, "\n"), strings.Join(want, "\n"))
	}
	// Nothing of the migration's own is left behind.
	if n := one(`SELECT count(*) FROM sqlite_temp_master`); n != "0" {
		t.Errorf("%s temporary objects left", n)
	}
}
