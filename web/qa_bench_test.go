package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkEditorCheck measures the editor's round trip for one segment through the whole
// server (routing, the check, the rendered findings list): the check the page sends as the
// reviewer types, and the API's, beside the bare read of the segment as the baseline. The
// segment is the longest seed sentence, with the seed glossary's terms in it, and an English
// with a wrong number.
func BenchmarkEditorCheck(b *testing.B) {
	h, articles := benchServer(b)
	segs, _ := articles.Segments(context.Background(), 1)
	g := segs[0]
	for _, s := range segs {
		if len(s.Source) > len(g.Source) {
			g = s
		}
	}
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
