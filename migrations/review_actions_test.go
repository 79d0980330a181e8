package migrations

import (
	"context"
	"testing"
)

// TestReviewActionsMigration: 022 links an approved memory entry to the approved segment it
// came from (and leaves an imported one unlinked), keeps every revision with its note, and
// takes the new kinds of revision; deleting the segment clears the link and keeps the pair.
func TestReviewActionsMigration(t *testing.T) {
	const version = 22
	ctx := context.Background()
	db := openBefore(t, version)
	const at = "2026-03-01T10:00:05.000000000Z"
	for _, q := range []string{
		`INSERT INTO articles (id, title, source_text, created_at) VALUES (1, 't', 'قال ريابكوف. قال.', '` + at + `')`,
		`INSERT INTO segments (id, article_id, idx, paragraph, source, target, status, updated_at) VALUES (5, 1, 0, 0, 'قال ريابكوف.', 'Ryabkov said.', 'approved', '` + at + `')`,
		`INSERT INTO tm (id, source_norm, source, target, origin, created_at) VALUES (1, 'قال ريابكوف.', 'قال ريابكوف.', 'Ryabkov said.', 'approved', '` + at + `')`,
		`INSERT INTO tm (id, source_norm, source, target, origin, created_at) VALUES (2, 'قال.', 'قال.', 'He said.', 'tmx', '` + at + `')`,
		`INSERT INTO revisions (id, segment_id, kind, author, before, after, created_at, note) VALUES (7, 5, 'ignore', 'mona', 'x', 'x', '` + at + `', 'error number: 5 is missing')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := apply(ctx, db, version); err != nil {
		t.Fatal(err)
	}
	var linked, imported any
	if err := db.QueryRow(`SELECT (SELECT segment_id FROM tm WHERE id = 1), (SELECT segment_id FROM tm WHERE id = 2)`).Scan(&linked, &imported); err != nil {
		t.Fatal(err)
	}
	if linked != int64(5) || imported != nil {
		t.Errorf("memory links: approved %v, imported %v; want 5 and none", linked, imported)
	}
	var note string
	var from int64
	if err := db.QueryRow(`SELECT note, merged_from FROM revisions WHERE id = 7`).Scan(&note, &from); err != nil || note != "error number: 5 is missing" || from != 0 {
		t.Errorf("revision 7: note %q, merged_from %d, %v", note, from, err)
	}
	for _, kind := range []string{"unapprove", "restore", "replace", "split", "merge"} {
		if _, err := db.Exec(`INSERT INTO revisions (segment_id, kind, before, after, created_at) VALUES (5, ?, '', '', ?)`, kind, at); err != nil {
			t.Errorf("kind %s: %v", kind, err)
		}
	}
	if _, err := db.Exec(`DELETE FROM segments WHERE id = 5`); err != nil {
		t.Fatal(err)
	}
	var pairs int
	if err := db.QueryRow(`SELECT COUNT(*) FROM tm WHERE segment_id IS NULL`).Scan(&pairs); err != nil || pairs != 2 {
		t.Errorf("after the segment is deleted: %d unlinked pairs, %v; want both kept", pairs, err)
	}
}
