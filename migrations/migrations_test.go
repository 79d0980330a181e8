package migrations

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := list()
	var got int
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != len(want) {
		t.Fatalf("applied %d migrations, want %d", got, len(want))
	}
	db.Close()

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != len(want) {
		t.Fatalf("after reopen %d migrations recorded, want %d", got, len(want))
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.W.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	// Hold several read connections at once so the pool must open more than one.
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		c, err := db.R.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var fk, qo int
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA query_only`).Scan(&qo); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || qo != 1 {
			t.Fatalf("reader %d: foreign_keys=%d query_only=%d, want 1 and 1", i, fk, qo)
		}
	}
	if _, err := db.R.Exec(`INSERT INTO seed_loads (name, loaded_at) VALUES ('x', 'y')`); err == nil {
		t.Fatal("write through the read pool succeeded; want it refused")
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	if _, err := Open(context.Background(), ":memory:"); err == nil {
		t.Fatal("Open(:memory:) succeeded; want an error")
	}
}

// A database is refused, with the names involved, when its recorded migrations do not agree
// with this build's: a number that names another file, or a migration this build lacks.
func TestApplyRefusesForeignMigrationHistory(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"Renumbered", `UPDATE schema_migrations SET name = '007_run_started_by.sql' WHERE version = 7`,
			"recorded migration 7 as 007_run_started_by.sql, but this build's migration 7 is 007_machine_flags.sql"},
		{"Newer", `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', '2027-01-01T00:00:00Z')`,
			"has migration 999_future.sql, which this build of Tarjama does not know"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.W.Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err = Open(ctx, path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open = %v; want an error with %q", err, tc.want)
			}
		})
	}
}
