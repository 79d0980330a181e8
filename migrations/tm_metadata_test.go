package migrations

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestTMMetadataMigration: 016 adds the TMX metadata columns, empty for the entries there are,
// and rebuilds the memory's word index with its rows, without the foreign key and the index
// by entry that made bulk imports slow.
func TestTMMetadataMigration(t *testing.T) {
	const version = 16
	ctx := context.Background()
	db := openBefore(t, version)
	for _, q := range []string{
		`INSERT INTO tm (id, source_norm, source, target, origin, created_at, tokens, indexed) VALUES (1, 'قال ريابكوف', 'قال ريابكوف', 'Ryabkov said', 'approved', '2026-03-01T10:00:05.000000000Z', 2, 1)`,
		`INSERT INTO tm_tokens (token, tm_id) VALUES ('قال', 1), ('ريابكوف', 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := apply(ctx, db, version); err != nil {
		t.Fatal(err)
	}
	var meta string
	err := db.QueryRow(`SELECT tuid || creation_id || changed_at || change_id || notes || props FROM tm WHERE id = 1`).Scan(&meta)
	if err != nil || meta != "" {
		t.Errorf("metadata of an existing entry = %q, %v; want empty", meta, err)
	}
	var rows, indexes int
	if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM tm_tokens WHERE tm_id = 1), (SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tm_tokens' AND sql IS NOT NULL)`).Scan(&rows, &indexes); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || indexes != 0 {
		t.Errorf("word index: %d rows of the entry, %d secondary indexes; want 2 and none", rows, indexes)
	}
	if _, err := db.Exec(`INSERT INTO tm_tokens (token, tm_id) VALUES ('x', 99)`); err != nil {
		t.Errorf("the word index still checks its entry: %v", err)
	}
}

// openBefore opens a fresh database file with the migrations before version applied, on one
// connection with foreign keys on (as Open's writer), for a test that writes rows in the
// earlier schema and then applies the migration it tests.
func openBefore(t *testing.T, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "old.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if err := apply(context.Background(), db, version-1); err != nil {
		t.Fatal(err)
	}
	return db
}
