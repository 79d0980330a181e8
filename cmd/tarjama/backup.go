package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/tarjama/tarjama/migrations"
)

// Backups live here, beside the command, because they need the database handle that only
// cmd holds (web must not import migrations): `tarjama backup` calls backupFile, and serve
// hands streamBackup to the web server as web.Config.Backup for the settings page's download.

// backupCounts is what a backup holds, counted in the copy.
type backupCounts struct {
	Articles, Segments, Terms int
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "backup")
	out := fs.String("o", "", "the file to write the copy to")
	force := fs.Bool("force", false, "replace the file if it exists")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("backup: unexpected argument %q (the copy goes to -o FILE)", pos[0])
	}
	if strings.TrimSpace(*out) == "" {
		return usageErrf("backup: -o FILE is required: the file to write the copy to")
	}
	if _, err := os.Stat(*dbPath); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("backup: no database at %s (give the one to copy with --db or TARJAMA_DB)", *dbPath)
		}
		return fmt.Errorf("backup: %w", err)
	}
	db, err := migrations.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := backupFile(ctx, db, *out, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s: %d articles, %d segments, %d terms; integrity check ok\n",
		*dbPath, *out, n.Articles, n.Segments, n.Terms)
	fmt.Fprintf(e.stdout, "To restore it: stop tarjama serve, copy %s over %s, delete %s-wal and %s-shm if they are there, and start serve again.\n",
		*out, *dbPath, *dbPath, *dbPath)
	return nil
}

// backupFile writes a consistent, verified copy of db to path and returns what it holds. The
// copy is made in a temporary file beside path and moved there only once it has passed the
// checks, so path is never left half-written; an existing path is refused unless replace.
func backupFile(ctx context.Context, db *migrations.DB, path string, replace bool) (backupCounts, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return backupCounts{}, fmt.Errorf("backup: %w", err)
	}
	if fi, err := os.Stat(abs); err == nil {
		if !replace {
			return backupCounts{}, fmt.Errorf("backup: %s exists; give --force to replace it", path)
		}
		if live, err := os.Stat(db.Path); err == nil && os.SameFile(fi, live) {
			return backupCounts{}, fmt.Errorf("backup: %s is the database itself; write the copy to another file", path)
		}
		if !fi.Mode().IsRegular() {
			return backupCounts{}, fmt.Errorf("backup: %s is not a regular file", path)
		}
	}
	tmp, err := emptyTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return backupCounts{}, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp) // after the move below, a name that no longer exists
	n, err := snapshot(ctx, db, tmp)
	if err != nil {
		return backupCounts{}, fmt.Errorf("backup: %w", err)
	}
	if replace {
		err = os.Rename(tmp, abs)
	} else {
		err = os.Link(tmp, abs) // unlike a rename, never replaces a file that appeared meanwhile
	}
	if errors.Is(err, os.ErrExist) {
		return backupCounts{}, fmt.Errorf("backup: %s exists; give --force to replace it", path)
	}
	if err != nil {
		return backupCounts{}, fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(filepath.Dir(abs)); err != nil {
		return backupCounts{}, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// streamBackup writes a consistent, verified copy of db to w: the settings page's download.
// The copy is made and checked in a temporary file beside the database first, so nothing
// reaches w unless the whole copy is good.
func streamBackup(ctx context.Context, db *migrations.DB, w io.Writer) error {
	tmp, err := emptyTemp(filepath.Dir(db.Path), ".tarjama-backup-*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp)
	if _, err := snapshot(ctx, db, tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("backup: send the copy: %w", err)
	}
	return nil
}

// emptyTemp creates an empty file in dir, named by pattern as os.CreateTemp does, for
// VACUUM INTO, which writes only into a file that is new or empty.
func emptyTemp(dir, pattern string) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// snapshot copies db into the empty file path with VACUUM INTO, which reads one consistent
// snapshot: every write committed before it starts is in the copy, none that commits during
// it. It runs on the writer connection (the read pool is query-only, and VACUUM INTO writes
// a file), so writes wait for it. The copy is then checked and flushed to disk.
func snapshot(ctx context.Context, db *migrations.DB, path string) (backupCounts, error) {
	if _, err := db.W.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return backupCounts{}, fmt.Errorf("copy the database: %w", err)
	}
	n, err := verifyBackup(ctx, path)
	if err != nil {
		return backupCounts{}, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return backupCounts{}, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return backupCounts{}, err
	}
	return n, f.Close()
}

// verifyBackup opens the copy read-only, runs SQLite's integrity check on it and counts its
// articles, segments and terms.
func verifyBackup(ctx context.Context, path string) (backupCounts, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return backupCounts{}, err
	}
	c, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?mode=ro")
	if err != nil {
		return backupCounts{}, fmt.Errorf("check the copy: %w", err)
	}
	defer c.Close()
	rows, err := c.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return backupCounts{}, fmt.Errorf("check the copy: %w", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return backupCounts{}, fmt.Errorf("check the copy: %w", err)
		}
		problems = append(problems, line)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return backupCounts{}, fmt.Errorf("check the copy: %w", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return backupCounts{}, fmt.Errorf("the copy failed SQLite's integrity check: %s", strings.Join(problems, "; "))
	}
	var n backupCounts
	if err := c.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM segments), (SELECT COUNT(*) FROM terms)`).
		Scan(&n.Articles, &n.Segments, &n.Terms); err != nil {
		return backupCounts{}, fmt.Errorf("count what the copy holds: %w", err)
	}
	return n, nil
}

// syncDir flushes a directory, so that a file just moved into it stays there after a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
