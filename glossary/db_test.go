package glossary

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tarjama/tarjama/migrations"
)

// MustOpenDB opens a fresh, migrated database file under tb.TempDir and closes it when the
// test ends. Never :memory: — every pooled connection would get its own empty database.
func MustOpenDB(tb testing.TB) *migrations.DB {
	tb.Helper()
	db, err := migrations.Open(context.Background(), filepath.Join(tb.TempDir(), "tarjama.db"))
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close test database: %v", err)
		}
	})
	return db
}
