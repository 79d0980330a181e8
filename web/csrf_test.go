package web

import (
	"context"
	"encoding/json"
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

// TestCSRF_API: a script calling the JSON API needs no token; a browser's API write needs the
// token unless the browser says it comes from this origin; and the CSRF cookie is Secure
// behind a TLS-terminating proxy, as the session cookie is.
func TestCSRF_API(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nنص.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	path := fmt.Sprintf("%s/api/segments/%d/approve", e.srv.URL, segs[0].ID)
	save := fmt.Sprintf("%s/api/segments/%d", e.srv.URL, segs[0].ID)
	for _, c := range []struct {
		name   string
		header map[string]string
		cookie bool
		status int
	}{
		{"ScriptNoToken", nil, false, http.StatusOK},
		{"SameOriginNoToken", map[string]string{"Sec-Fetch-Site": "same-origin"}, true, http.StatusOK},
		{"OldBrowserSameOriginNoToken", map[string]string{"Origin": e.srv.URL}, false, http.StatusOK},
		{"SameSiteOtherPortNoToken", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:1"}, true, http.StatusForbidden},
		{"OldBrowserOtherOriginNoToken", map[string]string{"Origin": "http://127.0.0.1:1"}, false, http.StatusForbidden},
		{"NullOriginNoToken", map[string]string{"Origin": "null"}, false, http.StatusForbidden},
		{"UserInitiatedNoToken", map[string]string{"Sec-Fetch-Site": "none"}, true, http.StatusForbidden},
		{"CookieNoToken", nil, true, http.StatusForbidden}, // a browser that has been here: its writes carry the token
		{"BrowserWithToken", map[string]string{"Sec-Fetch-Site": "same-origin", csrfHeader: testCSRF}, true, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			seg, err := e.articles.Segment(context.Background(), segs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			// A new title each time, without a number the Arabic lacks (approving it must pass the checks).
			req, _ := http.NewRequest("PUT", save, strings.NewReader(fmt.Sprintf(`{"target":"Title %c.","version":%d}`, 'a'+rune(seg.Version), seg.Version)))
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
			after, _ := e.articles.Segment(context.Background(), segs[0].ID)
			if changed := after.Version != seg.Version; changed != (c.status == http.StatusOK) {
				t.Errorf("version %d → %d after a %d", seg.Version, after.Version, resp.StatusCode)
			}
		})
	}
	// An old browser sends neither Origin nor Sec-Fetch-Site on a <form> post, so what such a
	// form can send must still need the token: an empty urlencoded approve, JSON smuggled in
	// a text/plain or multipart body, a multipart upload. A script's JSON and a body-less call
	// pass; a script's multipart upload names this server as its Origin.
	t.Run("FormsFromOldBrowsers", func(t *testing.T) {
		articles := func() int {
			list, err := e.articles.Articles(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		before := articles()
		upload, uploadType := multipartBody(t, map[string]string{"dry_run": "1"}, "file", "terms.csv", "arabic,english\nروسيا,Russia\n")
		for _, c := range []struct {
			name, path, ct, body, origin string
			status                       int
		}{
			{"EmptyURLEncodedApprove", path, "application/x-www-form-urlencoded", "", "", http.StatusForbidden},
			{"TextPlainJSON", e.srv.URL + "/api/articles", "text/plain", `{"title":"forged","text":"نص مزور.","x":"="}`, "", http.StatusForbidden},
			{"MultipartJSON", e.srv.URL + "/api/articles", "multipart/form-data; boundary=x", `{"title":"forged","text":"نص مزور."}`, "", http.StatusForbidden},
			{"MultipartUpload", e.srv.URL + "/api/glossary/import", uploadType, upload, "", http.StatusForbidden},
			{"BodylessApprove", path, "", "", "", http.StatusOK},
			{"ScriptJSON", e.srv.URL + "/api/articles", "application/json", `{"title":"script","text":"نص من سكربت."}`, "", http.StatusCreated},
			{"ScriptMultipartUploadWithOrigin", e.srv.URL + "/api/glossary/import", uploadType, upload, e.srv.URL, http.StatusOK},
			{"MatchIsARead", e.srv.URL + "/api/glossary/match", "text/plain", "نص", "", http.StatusOK},
		} {
			req, _ := http.NewRequest("POST", c.path, strings.NewReader(c.body))
			if c.ct != "" {
				req.Header.Set("Content-Type", c.ct)
			}
			if c.origin != "" {
				req.Header.Set("Origin", c.origin)
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

// TestCSRF_ForgedMultipartJSON: in single-user mode a request labelled multipart/form-data
// (which a form on any site can send) but carrying JSON is refused without a token, and no
// handler reads it as JSON even with one: it creates no account and no article. A script's
// JSON call and a page's write with its token still work.
func TestCSRF_ForgedMultipartJSON(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false) // no account yet: single-user mode
	cl := e.client(t)
	counts := func() (users, articles int) {
		n, err := e.users.Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		list, err := e.articles.Articles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n, len(list)
	}
	_, articlesBefore := counts()
	forged := map[string]string{
		"/api/users":    `{"name":"mallory","role":"admin","password":"a long enough password"}`,
		"/api/articles": `{"title":"forged","text":"نص مزور."}`,
	}
	for path, body := range forged {
		for _, ct := range []string{"multipart/form-data; boundary=x", "multipart/form-data", "text/plain"} {
			if r := cl.do("POST", path, ct, body, nil); r.status != http.StatusForbidden {
				t.Errorf("forged %s %s = %d %s, want 403", ct, path, r.status, r.body)
			}
		}
		// With the browser's same-origin word or a token it passes the CSRF check, but JSON is
		// read only when it is declared as JSON: labelled multipart it is a broken form (400),
		// and a real form is the wrong type for a JSON handler (415).
		var fields map[string]string
		if err := json.Unmarshal([]byte(body), &fields); err != nil {
			t.Fatal(err)
		}
		realForm, realType := multipartBody(t, fields, "", "", "")
		page := cl.do("GET", "/", "", "", nil)
		for _, h := range []map[string]string{{"Origin": e.srv.URL}, {csrfHeader: csrfOf(page.body)}} {
			if r := cl.do("POST", path, "multipart/form-data; boundary=x", body, h); r.status != http.StatusBadRequest {
				t.Errorf("multipart-labelled JSON to %s with %v = %d %s, want 400", path, h, r.status, r.body)
			}
			r := cl.do("POST", path, realType, realForm, h)
			if r.status != http.StatusUnsupportedMediaType || !strings.Contains(r.body, "Content-Type: application/json") {
				t.Errorf("a multipart form to %s with %v = %d %s, want 415", path, h, r.status, r.body)
			}
		}
	}
	if users, articles := counts(); users != 0 || articles != articlesBefore {
		t.Fatalf("after the forged requests: %d accounts, %d articles (want 0 and %d)", users, articles, articlesBefore)
	}

	script := e.client(t) // a script: no cookies, no browser headers
	if r := script.do("POST", "/api/articles", "application/json", `{"title":"script","text":"نص من سكربت."}`, nil); r.status != http.StatusCreated {
		t.Errorf("script's JSON call = %d %s, want 201", r.status, r.body)
	}
	page := cl.do("GET", "/", "", "", nil)
	form := url.Values{"title": {"page"}, "text": {"نص من الصفحة."}, csrfField: {csrfOf(page.body)}}
	if r := cl.do("POST", "/articles", "application/x-www-form-urlencoded", form.Encode(), map[string]string{"Origin": e.srv.URL, "Sec-Fetch-Site": "same-origin"}); r.status != http.StatusSeeOther {
		t.Errorf("same-origin page write = %d %s, want 303 to the new article", r.status, r.body)
	}
	if users, articles := counts(); users != 0 || articles != articlesBefore+2 {
		t.Errorf("after the script's and the page's writes: %d accounts, %d articles (want 0 and %d)", users, articles, articlesBefore+2)
	}
}
