package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCSRF(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nنص.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	post := func(cookie, token, origin string) int {
		form := url.Values{"version": {"1"}, "target": {"Text."}}
		if token != "" {
			form.Set("csrf_token", token)
		}
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/segments/%d", e.srv.URL, segs[1].ID), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: csrfCookie, Value: cookie})
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tok := strings.Repeat("a", 43)
	if got := post(tok, "wrong-token", ""); got != http.StatusForbidden {
		t.Errorf("browser write with a wrong token = %d, want 403", got)
	}
	if got := post(tok, "", ""); got != http.StatusForbidden {
		t.Errorf("browser write without a token = %d, want 403", got)
	}
	if got := post("", "", "https://evil.example"); got != http.StatusForbidden {
		t.Errorf("cross-site write = %d, want 403", got)
	}
	if got := post(tok, tok, ""); got != http.StatusOK {
		t.Errorf("browser write with the right token = %d, want 200", got)
	}
	// Without the cookie a page write is refused too: the token is required, not optional.
	if got := post("", "", ""); got != http.StatusForbidden {
		t.Errorf("page write without cookie or token = %d, want 403", got)
	}
	if got := post("", tok, ""); got != http.StatusForbidden {
		t.Errorf("page write with a token but no cookie to match = %d, want 403", got)
	}
}

// TestCSRF_API: a script calling the JSON API needs no token; a browser's API write does, and
// the CSRF cookie is Secure behind a TLS-terminating proxy, as the session cookie is.
func TestCSRF_API(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nنص.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	path := fmt.Sprintf("%s/api/segments/%d/approve", e.srv.URL, segs[0].ID)
	if _, err := e.articles.SaveTarget(context.Background(), segs[0].ID, "Title", 1, "r"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		header  map[string]string
		cookie  bool
		status  int
		version int
	}{
		{"ScriptNoToken", nil, false, http.StatusOK, 2},
		{"BrowserNoToken", map[string]string{"Sec-Fetch-Site": "same-origin"}, false, http.StatusForbidden, 3},
		{"BrowserWithOriginNoToken", map[string]string{"Origin": e.srv.URL}, false, http.StatusForbidden, 3},
		{"BrowserCookieNoToken", map[string]string{"Sec-Fetch-Site": "same-origin"}, true, http.StatusForbidden, 3},
		{"BrowserWithToken", map[string]string{"Sec-Fetch-Site": "same-origin", csrfHeader: testCSRF}, true, http.StatusOK, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", path, strings.NewReader(fmt.Sprintf(`{"version":%d}`, c.version)))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			if c.cookie {
				req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, c.status)
			}
		})
	}
	// An old browser sends neither Origin nor Sec-Fetch-Site on a <form> post, so what such a
	// form can send must still need the token: an empty urlencoded approve, and JSON smuggled
	// in a text/plain body. A script's JSON, a body-less call and a multipart upload pass.
	t.Run("FormsFromOldBrowsers", func(t *testing.T) {
		articles := func() int {
			list, err := e.articles.Articles(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		before := articles()
		for _, c := range []struct {
			name, path, ct, body string
			status               int
		}{
			{"EmptyURLEncodedApprove", path, "application/x-www-form-urlencoded", "", http.StatusForbidden},
			{"TextPlainJSON", e.srv.URL + "/api/articles", "text/plain", `{"title":"forged","text":"نص مزور.","x":"="}`, http.StatusForbidden},
			{"BodylessApprove", path, "", "", http.StatusOK},
			{"ScriptJSON", e.srv.URL + "/api/articles", "application/json", `{"title":"script","text":"نص من سكربت."}`, http.StatusCreated},
			{"MatchIsARead", e.srv.URL + "/api/glossary/match", "text/plain", "نص", http.StatusOK},
		} {
			req, _ := http.NewRequest("POST", c.path, strings.NewReader(c.body))
			if c.ct != "" {
				req.Header.Set("Content-Type", c.ct)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("%s: status = %d, want %d", c.name, resp.StatusCode, c.status)
			}
		}
		if got := articles(); got != before+1 {
			t.Errorf("articles = %d, want %d (only the script's)", got, before+1)
		}
	})
	t.Run("SecureBehindProxy", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var found bool
		for _, ck := range resp.Cookies() {
			if ck.Name == csrfCookie {
				found = true
				if !ck.Secure {
					t.Errorf("CSRF cookie behind an HTTPS proxy is not Secure")
				}
			}
		}
		if !found {
			t.Fatal("no CSRF cookie set")
		}
	})
}
