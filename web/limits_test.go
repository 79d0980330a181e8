package web

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
)

// TestArticleLimits_APIAndForm: the API and the home page form refuse an article over the
// segment limit or the size limit with the same words, and store nothing.
func TestArticleLimits_APIAndForm(t *testing.T) {
	e := newTestEnv(t)
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler()) // the default 8 MiB body limit, above the article limit
	t.Cleanup(srv.Close)
	long := "عنوان\n\n" + strings.Repeat("جملة. ", translate.MaxSegments)
	const tooMany = "text: 2001 segments is over the limit of 2000 for one article; split the article"
	large := strings.Repeat("x", 3<<20)
	const tooLarge = "3 MiB is over the limit of 2 MiB for one article; split the article"

	for _, c := range []struct{ name, text, want string }{
		{"TooManySegments", long, tooMany},
		{"TooLarge", large, "text: " + tooLarge},
	} {
		t.Run("API"+c.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"text": c.text})
			resp, err := http.Post(srv.URL+"/api/articles", "application/json", strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct{ Error string }
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusBadRequest || out.Error != c.want {
				t.Errorf("POST /api/articles = %d %q, want 400 %q", resp.StatusCode, out.Error, c.want)
			}
		})
	}
	for _, c := range []struct {
		name   string
		fields url.Values
		file   *upload
		want   string
	}{
		{"FormPastedTooManySegments", url.Values{"text": {long}}, nil, tooMany},
		{"FormFileTooManySegments", nil, &upload{"long.txt", []byte(long)}, tooMany},
		{"FormPastedTooLarge", url.Values{"text": {large}}, nil, "pasted text: " + tooLarge},
		{"FormFileTooLarge", nil, &upload{"big.txt", []byte(large)}, "big.txt: " + tooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBrowserClient(t, srv.URL)
			fields := url.Values{"csrf_token": {b.token}}
			for k, v := range c.fields {
				fields[k] = v
			}
			resp := b.postArticle(fields, c.file)
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), html.EscapeString(c.want)) {
				t.Errorf("POST /articles = %d, want 400 with %q in:\n%.2000s", resp.StatusCode, c.want, page)
			}
		})
	}
	if n := articleCount(t, e.articles); n != 0 {
		t.Errorf("refused articles stored: %d", n)
	}
	_, page := newBrowserClient(t, srv.URL).get("/")
	if want := "One article takes " + translate.LimitsText; !strings.Contains(page, want) {
		t.Errorf("home page does not state the limits %q", want)
	}
}
