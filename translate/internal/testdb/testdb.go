// Package testdb holds what the translate packages' tests read and write: a fresh database
// (a real SQLite file under the test's temporary directory, with every migration applied) and
// a TMX file.
package testdb

import (
	"context"
	_ "embed"
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

// TMX is a TMX file of five units in the ways tools write them (TMX 1.4 and 1.1 language
// attributes, a date, the origin property, inline codes, markup to escape): three
// Arabic–English pairs and two units without Arabic text.
//
//go:embed memory.tmx
var TMX []byte
