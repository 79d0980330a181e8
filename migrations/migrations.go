// Package migrations holds the numbered SQL schema files, embedded in the binary, and opens
// the SQLite database with them applied. Only the program's wiring (cmd/tarjama) and tests
// import it: each store takes the writer and the read pool (DB.W, DB.R) and its clock from its
// constructor. Every stored time is in the one format of migrations/timestamp.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/tarjama/tarjama/migrations/timestamp"
)

// FS holds the migration files, named NNN_description.sql and applied in number order.
//
//go:embed *.sql
var FS embed.FS

// DB is the application's database: one writer connection, so writes queue instead of
// failing with SQLITE_BUSY, and a pool of read-only connections beside it (WAL lets them
// read while the writer writes).
type DB struct {
	W    *sql.DB // the single writer; its transactions start IMMEDIATE
	R    *sql.DB // read-only pool
	Path string
}

// Open opens (creating if needed) the SQLite file at path and applies pending migrations.
// The pragmas live in the DSN so every pooled connection gets them.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("open database: empty path")
	}
	if path == ":memory:" || strings.Contains(path, "mode=memory") {
		return nil, fmt.Errorf("open database: in-memory databases are not supported (each pooled connection would get its own); use a file")
	}
	common := url.Values{}
	common.Set("_busy_timeout", "10000")
	common.Set("_foreign_keys", "on")
	common.Set("_journal_mode", "WAL")
	common.Set("_synchronous", "NORMAL")

	wq := url.Values{}
	for k, v := range common {
		wq[k] = v
	}
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := apply(ctx, w, math.MaxInt); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}

	rq := url.Values{}
	for k, v := range common {
		rq[k] = v
	}
	rq.Set("_query_only", "1")
	r, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	return &DB{W: w, R: r, Path: path}, nil
}

// escapePath keeps a file name containing ? or # from being read as DSN parameters.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close closes both pools.
func (db *DB) Close() error {
	err1 := db.R.Close()
	err2 := db.W.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

type migration struct {
	version int
	name    string
}

// apply runs every embedded migration newer than the database's recorded version, up to and
// including version last, each in its own transaction together with its bookkeeping row. Open
// applies them all; a test of one migration stops before it to write rows in the old forms.
func apply(ctx context.Context, db *sql.DB, last int) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	list, err := list()
	if err != nil {
		return err
	}
	current, err := checkRecorded(ctx, db, list)
	if err != nil {
		return err
	}
	for _, m := range list {
		if m.version <= current || m.version > last {
			continue
		}
		body, err := fs.ReadFile(FS, m.name)
		if err != nil {
			return err
		}
		if err := applyOne(ctx, db, m, string(body)); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return nil
}

// checkRecorded compares the migrations the database has recorded with the embedded ones
// and returns the highest recorded version. Versions are applied by number, so a database
// whose number N names another file (a renumbered migration from a development build), or
// one that has migrations this binary lacks (written by a newer Tarjama), would otherwise
// skip or half-apply a schema change; both are refused with the names involved.
func checkRecorded(ctx context.Context, db *sql.DB, list []migration) (int, error) {
	embedded := make(map[int]string, len(list))
	for _, m := range list {
		embedded[m.version] = m.name
	}
	rows, err := db.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	current := 0
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return 0, err
		}
		switch want, ok := embedded[v]; {
		case !ok:
			return 0, fmt.Errorf("the database has migration %s, which this build of Tarjama does not know: it was written by a newer version", name)
		case want != name:
			return 0, fmt.Errorf("the database recorded migration %d as %s, but this build's migration %d is %s: it was written by a development build with other migrations", v, name, v, want)
		}
		current = v
	}
	return current, rows.Err()
}

func applyOne(ctx context.Context, db *sql.DB, m migration, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, timestamp.Format(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

func list() ([]migration, error) {
	entries, err := fs.Glob(FS, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, name := range entries {
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and an underscore", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share number %d", prev, name, v)
		}
		seen[v] = name
		out = append(out, migration{v, name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}
