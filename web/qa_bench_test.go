package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/store"
)

// BenchmarkEditorCheck measures the editor's round trip for one segment through the whole
// server (routing, the check, the rendered findings list): the check the page sends as the
// reviewer types, and the API's, beside the bare read of the segment as the baseline. The
// segment is the longest seed sentence, with the seed glossary's terms in it, and an English
// with a wrong number.
func BenchmarkEditorCheck(b *testing.B) {
	ctx := context.Background()
	db := migrationstest.Open(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db.W, db.R, time.Now)
	articles := store.New(db.W, db.R, time.Now, terms)
	if err := seeds.Load(ctx, db.W, time.Now, articles, terms, log); err != nil {
		b.Fatal(err)
	}
	segs, _ := articles.Segments(ctx, 1)
	g := segs[0]
	for _, s := range segs {
		if len(s.Source) > len(g.Source) {
			g = s
		}
	}
	stores := testStores(db, articles, terms)
	mt, err := backends.NewService(stores, backends.Config{Backend: backends.Offline}, log)
	if err != nil {
		b.Fatal(err)
	}
	defer mt.Close()
	s, err := NewServer(Config{Articles: articles, Memory: stores.Memory, Glossary: terms, MT: mt, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	const target = "Deputy Foreign Minister Sergei Ryabkov said on Monday that 71 Russian diplomats were ready for dialogue with Washington on security guarantees."
	form := url.Values{"target": {target}, "version": {fmt.Sprint(g.Version)}, "base": {""}}.Encode()
	api := fmt.Sprintf(`{"target": %q}`, target)
	b.Logf("segment #%d, %d characters of Arabic", g.Index+1, len([]rune(g.Source)))

	serve := func(b *testing.B, req func() *http.Request, want string) {
		b.Helper()
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req())
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
	}
	b.Run("editor-check", func(b *testing.B) {
		serve(b, func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/segments/%d/check", g.ID), strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("HX-Request", "true")
			return r
		}, `data-check="number"`)
	})
	b.Run("api-check", func(b *testing.B) {
		serve(b, func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/segments/%d/check", g.ID), strings.NewReader(api))
			r.Header.Set("Content-Type", "application/json")
			return r
		}, `"check":"number"`)
	})
	b.Run("baseline-segment-get", func(b *testing.B) {
		serve(b, func() *http.Request {
			return httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/segments/%d", g.ID), nil)
		}, `"source"`)
	})
}
