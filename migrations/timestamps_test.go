package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/timestamp"
)

// The forms earlier versions stored, and what 014_fixed_width_timestamps.sql makes of them.
const (
	whole   = "2026-03-01T10:00:05Z" // RFC 3339 without a fraction (and schema_migrations' form)
	half    = "2026-03-01T10:00:05.5Z"
	milli   = "2026-03-01T10:00:05.123Z"
	micro   = "2026-03-01T10:00:05.123456Z"
	eight   = "2026-03-01T10:00:05.12345678Z"
	fixed   = "2026-03-01T10:00:05.123456789Z" // already in the new form
	notTime = "2026-03-01T10:00:05.12a4Z"      // no form Tarjama wrote: left alone
)

var rewritten = map[string]string{
	whole:   "2026-03-01T10:00:05.000000000Z",
	half:    "2026-03-01T10:00:05.500000000Z",
	milli:   "2026-03-01T10:00:05.123000000Z",
	micro:   "2026-03-01T10:00:05.123456000Z",
	eight:   "2026-03-01T10:00:05.123456780Z",
	fixed:   fixed,
	notTime: notTime,
	"":      "", // a time not set yet
}

// timestampTables are the tables with *_at columns before migration 014: how to add a row
// (?1 is the row's number, for unique keys) and what each column holds in rows 1, 2, ….
var timestampTables = []struct {
	table, insert string
	columns       map[string][]string
}{
	{"articles", `INSERT INTO articles (title, source_text, created_at) VALUES ('t' || ?1, 's', '')`,
		map[string][]string{"created_at": {whole, half}}},
	{"segments", `INSERT INTO segments (article_id, idx, paragraph, source, updated_at) VALUES (1, ?1, 0, 's', '')`,
		map[string][]string{"updated_at": {milli, fixed}}},
	// Written a half second apart: before the rewrite the later one sorts first.
	{"revisions", `INSERT INTO revisions (segment_id, kind, before, after, created_at) VALUES (1, 'edit', 'a', 'b' || ?1, '')`,
		map[string][]string{"created_at": {whole, half}}},
	{"terms", `INSERT INTO terms (arabic, arabic_norm, english, type, updated_at) VALUES ('ع', 'ع' || ?1, 'e', 'term', '')`,
		map[string][]string{"updated_at": {micro}}},
	{"tm", `INSERT INTO tm (source_norm, source, target, created_at) VALUES ('n' || ?1, 's', 't', '')`,
		map[string][]string{"created_at": {eight, whole}}},
	{"mt_cache", `INSERT INTO mt_cache (key, translation, created_at) VALUES ('k' || ?1, 't', '')`,
		map[string][]string{"created_at": {half}}},
	{"users", `INSERT INTO users (name, role, created_at) VALUES ('u' || ?1, 'admin', '')`,
		map[string][]string{"created_at": {milli}}},
	{"seed_loads", `INSERT INTO seed_loads (name, loaded_at) VALUES ('f' || ?1, '')`,
		map[string][]string{"loaded_at": {whole}}},
	{"mt_runs", `INSERT INTO mt_runs (article_id, backend, started_at) VALUES (1, 'b' || ?1, '')`,
		map[string][]string{"started_at": {whole, half}, "finished_at": {"", fixed}}},
	{"sessions", `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h' || ?1, 1, '', '')`,
		map[string][]string{"created_at": {micro}, "expires_at": {eight}}},
	{"api_tokens", `INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ('h' || ?1, 1, '')`,
		map[string][]string{"created_at": {whole, half}, "last_used_at": {"", notTime}}},
	{"settings_saves", `INSERT INTO settings_saves (saved_by, saved_at) VALUES ('a' || ?1, '')`,
		map[string][]string{"saved_at": {milli}}},
}

// A database at the previous migration with times in every form earlier versions wrote, in
// every *_at column, has each rewritten exactly into the fixed-width form by migration 014.
func TestFixedWidthTimestampsMigration(t *testing.T) {
	const version = 14
	ctx := context.Background()
	db := openBefore(t, version)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tested := []string{"schema_migrations.applied_at"}
	for _, tt := range timestampTables {
		for col, values := range tt.columns {
			tested = append(tested, tt.table+"."+col)
			for i, v := range values {
				var n int
				if err := db.QueryRow(`SELECT COUNT(*) FROM ` + tt.table).Scan(&n); err != nil {
					t.Fatal(err)
				}
				for ; n <= i; n++ {
					exec(tt.insert, n+1)
				}
				exec(fmt.Sprintf(`UPDATE %s SET %s = ? WHERE rowid = ?`, tt.table, col), v, i+1)
			}
		}
	}
	exec(`UPDATE schema_migrations SET applied_at = ?`, whole)
	// The test covers every *_at column there is before the migration, so one added by an
	// earlier migration and missed by 014 fails here.
	slices.Sort(tested)
	if cols := timestampColumns(t, db); !slices.Equal(cols, tested) {
		t.Fatalf("*_at columns before migration %d:\n%v\nthe test writes old forms into:\n%v", version, cols, tested)
	}
	if got := revisionsByTime(t, db); got != "2 1" {
		t.Fatalf("before the migration, revisions by created_at = %s; want the old form's wrong order 2 1", got)
	}

	if err := apply(ctx, db, version); err != nil {
		t.Fatal(err)
	}
	for _, tt := range timestampTables {
		for col, values := range tt.columns {
			rows, err := db.Query(fmt.Sprintf(`SELECT %s FROM %s ORDER BY rowid LIMIT %d`, col, tt.table, len(values)))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; rows.Next(); i++ {
				var got string
				if err := rows.Scan(&got); err != nil {
					t.Fatal(err)
				}
				if want := rewritten[values[i]]; got != want {
					t.Errorf("%s.%s row %d: %q became %q, want %q", tt.table, col, i+1, values[i], got, want)
				}
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := db.Query(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var at string
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		if v < version && at != rewritten[whole] || v == version && !isFixedWidth(at) {
			t.Errorf("schema_migrations version %d applied_at = %q", v, at)
		}
	}
	if got := revisionsByTime(t, db); got != "1 2" {
		t.Errorf("after the migration, revisions by created_at = %s; want 1 2", got)
	}
}

// timestampColumns lists table.column for every *_at column in the database.
func timestampColumns(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var list string
	if err := db.QueryRow(`SELECT group_concat(c, ' ' ORDER BY c) FROM (SELECT m.name || '.' || p.name AS c
		FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.name LIKE '%\_at' ESCAPE '\')`).Scan(&list); err != nil {
		t.Fatal(err)
	}
	return strings.Fields(list)
}

// revisionsByTime lists the revisions' ids by created_at as the database sorts it.
func revisionsByTime(t *testing.T, db *sql.DB) string {
	t.Helper()
	var ids string
	if err := db.QueryRow(`SELECT group_concat(id, ' ' ORDER BY created_at) FROM revisions`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

// isFixedWidth reports whether s is a time in the stored form.
func isFixedWidth(s string) bool {
	_, err := time.Parse(timestamp.Layout, s)
	return err == nil && len(s) == len(timestamp.Layout)
}
