// Package storetest sets up what the translate packages' tests run against: a real SQLite
// file under the test's temporary directory, with every migration applied.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tarjama/tarjama/migrations"
)

// Open opens a fresh database under tb.TempDir() and closes it when the test ends.
func Open(tb testing.TB) *migrations.DB {
	tb.Helper()
	db, err := migrations.Open(context.Background(), filepath.Join(tb.TempDir(), "tarjama.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
