// Package migrationstest opens the databases of every package's tests: a real SQLite file with
// every migration applied, closed when the test ends. Never :memory: — each pooled connection
// would get its own empty database. Only tests import it.
package migrationstest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tarjama/tarjama/migrations"
)

// Open opens a fresh database under tb.TempDir().
func Open(tb testing.TB) *migrations.DB {
	tb.Helper()
	return OpenFile(tb, filepath.Join(tb.TempDir(), "tarjama.db"))
}

// OpenFile opens the database file at path, creating it if needed, for a test that opens one
// file more than once (a restart, the CLI beside a server) or reads what a program wrote. A test
// may close it earlier; closing twice does no harm.
func OpenFile(tb testing.TB, path string) *migrations.DB {
	tb.Helper()
	db, err := migrations.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close test database %s: %v", path, err)
		}
	})
	return db
}
