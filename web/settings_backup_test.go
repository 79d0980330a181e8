package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// backupServer is the test workbench with cfg.Backup set to backup.
func backupServer(t *testing.T, backup func(context.Context, io.Writer) error) *httptest.Server {
	t.Helper()
	e := newTestEnv(t)
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard(), Backup: backup})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// TestSettingsBackup: the download streams what Config.Backup writes, named with the date; a
// backup that fails before writing is an error page, and one that fails part-way cuts the
// download off rather than leave a short file that looks whole. (cmd/tarjama tests the
// backup itself against a running program.)
func TestSettingsBackup(t *testing.T) {
	copyOf := "SQLite format 3\x00" + strings.Repeat("page ", 50000)
	srv := backupServer(t, func(ctx context.Context, w io.Writer) error {
		for chunk := range strings.SplitSeq(copyOf, "page") { // written in many pieces, as a file is copied
			if _, err := io.WriteString(w, chunk+"page"); err != nil {
				return err
			}
		}
		return nil
	})
	resp, err := http.Get(srv.URL + "/settings/backup")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || string(body) != copyOf+"page" {
		t.Fatalf("GET /settings/backup = %d, %d bytes, %v", resp.StatusCode, len(body), err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.sqlite3" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="tarjama-backup-\d{4}-\d\d-\d\d-\d{4}\.db"$`).MatchString(cd) {
		t.Errorf("Content-Disposition = %q, want an attachment named with the date", cd)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	page, err := http.Get(srv.URL + "/settings")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(html), `action="/settings/backup"`) || !strings.Contains(string(html), "Download a backup") {
		t.Error("the settings page offers no backup download to an admin")
	}

	t.Run("FailsBeforeWriting", func(t *testing.T) {
		srv := backupServer(t, func(context.Context, io.Writer) error { return errors.New("disk full") })
		resp, err := http.Get(srv.URL + "/settings/backup")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Content-Disposition") != "" || strings.Contains(string(body), "disk full") {
			t.Errorf("failed backup = %d (Content-Disposition %q), want a 500 page without the details", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	})
	t.Run("FailsPartWay", func(t *testing.T) {
		srv := backupServer(t, func(_ context.Context, w io.Writer) error {
			if _, err := io.WriteString(w, copyOf); err != nil {
				return err
			}
			return errors.New("read error")
		})
		resp, err := http.Get(srv.URL + "/settings/backup")
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			t.Error("a backup that failed part-way arrived as a complete download")
		}
	})
	t.Run("NotConfigured", func(t *testing.T) {
		srv := backupServer(t, nil)
		resp, err := http.Get(srv.URL + "/settings/backup")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /settings/backup without backups = %d, want 404", resp.StatusCode)
		}
		page, _ := http.Get(srv.URL + "/settings")
		html, _ := io.ReadAll(page.Body)
		page.Body.Close()
		if strings.Contains(string(html), "/settings/backup") {
			t.Error("the settings page offers a download that is not there")
		}
	})
}
