package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tarjama/tarjama/migrations/migrationstest"
)

// TestBackup_DuringWrites takes a backup while reviewers keep saving segments through the
// store: the copy passes SQLite's integrity check, holds every save acknowledged before the
// backup started, and each segment in it is a whole save (its text is the one saved at its
// version), never half of one.
func TestBackup_DuringWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	a, err := open(ctx, e, filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var text strings.Builder
	text.WriteString("عنوان\n\n")
	for i := range 8 {
		fmt.Fprintf(&text, "الجملة رقم %d في المقال. ", i+1)
	}
	art, err := a.articles.CreateArticle(ctx, "", text.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := a.articles.Segments(ctx, art.ID)
	if err != nil || len(segs) < 8 {
		t.Fatalf("segments: %d, %v", len(segs), err)
	}
	target := func(id int64, version int) string {
		return fmt.Sprintf("Segment %d as saved at version %d.", id, version)
	}

	// Each writer saves its own segment again and again and records the versions the store
	// acknowledged; it says when it has a few, and stops when told to or after 2000 saves.
	var mu sync.Mutex
	acked := map[int64]int{}
	stop := make(chan struct{})
	var started, done sync.WaitGroup
	for _, seg := range segs {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			version := seg.Version
			for i := range 2000 {
				if i == 3 {
					started.Done()
				}
				select {
				case <-stop:
					return
				default:
				}
				saved, err := a.articles.SaveTarget(ctx, seg.ID, target(seg.ID, version+1), version, "r")
				if err != nil {
					t.Errorf("save segment %d: %v", seg.ID, err)
					if i < 3 {
						started.Done()
					}
					return
				}
				version = saved.Version
				mu.Lock()
				acked[seg.ID] = version
				mu.Unlock()
			}
		}()
	}
	started.Wait()
	mu.Lock()
	before := make(map[int64]int, len(acked))
	for id, v := range acked {
		before[id] = v
	}
	mu.Unlock()
	out := filepath.Join(dir, "copy.db")
	n, err := backupFile(ctx, a.db, out, false)
	close(stop)
	done.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n.Articles != 6 || n.Segments < len(segs) || n.Terms == 0 { // the five seed articles and this one
		t.Errorf("counts = %+v", n)
	}

	restored := migrationstest.OpenFile(t, out)
	var check string
	if err := restored.R.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the restored copy = %q, %v", check, err)
	}
	for _, seg := range segs {
		var version int
		var got string
		if err := restored.R.QueryRow(`SELECT version, target FROM segments WHERE id = ?`, seg.ID).Scan(&version, &got); err != nil {
			t.Fatal(err)
		}
		if version < before[seg.ID] {
			t.Errorf("segment %d: version %d in the copy, but %d was acknowledged before the backup", seg.ID, version, before[seg.ID])
		}
		if got != target(seg.ID, version) {
			t.Errorf("segment %d at version %d holds %q: not the save of that version", seg.ID, version, got)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".copy.db.*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if code, _, errs := runCLI(t, "", "import", "--db", db, writeFile(t, "a.txt", "عنوان\n\nنص المقال.")); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	out := filepath.Join(dir, "backup.db")
	code, stdout, errs := runCLI(t, "", "backup", "-o", out, "--db", db)
	if code != 0 || !strings.Contains(stdout, "6 articles, ") || !strings.Contains(stdout, "integrity check ok") ||
		!strings.Contains(stdout, "stop tarjama serve") || !strings.Contains(stdout, db+"-wal") {
		t.Fatalf("backup = %d %q %q", code, stdout, errs)
	}
	copyInfo, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"NoFile", []string{"backup", "--db", db}, 2, "-o FILE is required"},
		{"Argument", []string{"backup", "extra", "-o", out, "--db", db}, 2, "unexpected argument"},
		{"Exists", []string{"backup", "-o", out, "--db", db}, 1, "exists; give --force to replace it"},
		{"NoDatabase", []string{"backup", "-o", filepath.Join(dir, "x.db"), "--db", filepath.Join(dir, "missing.db")}, 1, "no database at"},
		{"TheDatabaseItself", []string{"backup", "-o", db, "--force", "--db", db}, 1, "is the database itself"},
		{"NoDirectory", []string{"backup", "-o", filepath.Join(dir, "none", "x.db"), "--db", db}, 1, "no such file or directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", c.args...)
			if code != c.code || !strings.Contains(errs, c.msg) {
				t.Errorf("tarjama %v = %d %q, want %d with %q", c.args, code, errs, c.code, c.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Error("backing up a missing database created it")
	}
	if after, err := os.Stat(out); err != nil || !os.SameFile(after, copyInfo) || !after.ModTime().Equal(copyInfo.ModTime()) {
		t.Error("a refused backup touched the existing file")
	}
	if code, _, errs := runCLI(t, "", "backup", "-o", out, "--force", "--db", db); code != 0 {
		t.Fatalf("backup --force = %d %q", code, errs)
	}
	if after, _ := os.Stat(out); os.SameFile(after, copyInfo) {
		t.Error("--force did not replace the file")
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
