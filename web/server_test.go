package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
)

type testEnv struct {
	server   *Server
	srv      *httptest.Server
	articles *translate.Store
	glossary *glossary.Store
	mt       *backends.Service
	llm      *backendtest.OpenAI // the fake OpenAI-compatible server the workbench translates with
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	db, err := migrations.Open(context.Background(), filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &testEnv{articles: translate.NewStore(db), glossary: glossary.NewStore(db)}
	e.llm = backendtest.NewOpenAI(t, backendtest.Success())
	e.mt = newTestService(t, e.articles, e.glossary, e.llm, log)
	s, err := NewServer(Config{Articles: e.articles, Glossary: e.glossary, MT: e.mt, Logger: log, MaxUploadBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	e.server = s
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// newTestService translates through the fake OpenAI-compatible server on loopback.
func newTestService(t *testing.T, articles *translate.Store, terms *glossary.Store, llm *backendtest.OpenAI, log *slog.Logger) *backends.Service {
	t.Helper()
	svc, err := backends.NewService(articles, terms, backends.Config{
		Backend: backends.OpenAI, BaseURL: llm.BaseURL(), Model: "test-model", APIKey: "sk-test-0123456789",
		Limits: translate.Limits{BatchSize: 5, Concurrency: 2, Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond},
	}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return svc
}

// followRun follows an article's background translation on the run's own event channel until
// until says so (true) or the run ends (false), for at most 10 seconds. A follower cut off
// for falling behind follows again.
func followRun(t *testing.T, mt *backends.Service, articleID int64, until func(translate.Event) bool) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for {
		last, events, stop, running := mt.Follow(articleID)
		met := until(last) || running && followEvents(ctx, events, until)
		stop()
		switch {
		case met:
			return true
		case !running:
			return false
		case ctx.Err() != nil:
			t.Fatalf("article %d: the run went on for more than 10s", articleID)
		}
	}
}

// followEvents reads events until one satisfies until (true), or the channel closes or ctx
// ends (false).
func followEvents(ctx context.Context, events <-chan translate.Event, until func(translate.Event) bool) bool {
	for {
		select {
		case ev, open := <-events:
			if !open {
				return false
			}
			if until(ev) {
				return true
			}
		case <-ctx.Done():
			return false
		}
	}
}

// waitForRun waits until the article's background translation has ended: its followers'
// channel closes once the run's final status is stored.
func waitForRun(t *testing.T, mt *backends.Service, articleID int64) {
	t.Helper()
	followRun(t, mt, articleID, func(translate.Event) bool { return false })
}

func (e *testEnv) article(t *testing.T, title, text string) translate.Article {
	t.Helper()
	a, err := e.articles.CreateArticle(context.Background(), title, text, "")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// testCSRF is the double-submit CSRF token the tests' "browser" holds: the check compares
// the cookie with the header or form field, so any value of a real token's length will do.
var testCSRF = strings.Repeat("t", 43)

// asBrowser gives a page write the CSRF cookie and header that a page's script sends.
func asBrowser(req *http.Request) *http.Request {
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
	req.Header.Set(csrfHeader, testCSRF)
	return req
}

// do sends a request and decodes a JSON answer into out (when out is not nil). Under /api/ it
// is a script (no CSRF cookie, no browser headers); elsewhere a page with its CSRF token.
func (e *testEnv) do(t *testing.T, method, path, body string, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if !strings.HasPrefix(path, "/api/") {
		asBrowser(req) // API calls come from scripts, page writes from a page
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decoding %q: %v", method, path, data, err)
		}
	}
	return resp
}

func TestAPI_Articles(t *testing.T) {
	e := newTestEnv(t)
	var created translate.Article
	resp := e.do(t, "POST", "/api/articles", `{"title":"","text":"عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية."}`, &created)
	if resp.StatusCode != http.StatusCreated || created.ID == 0 || created.Title != "عنوان" || created.Progress.Total != 3 {
		t.Fatalf("POST /api/articles = %d %+v", resp.StatusCode, created)
	}

	var list struct{ Articles []translate.Article }
	e.do(t, "GET", "/api/articles", "", &list)
	if len(list.Articles) != 1 || list.Articles[0].ID != created.ID {
		t.Fatalf("GET /api/articles = %+v", list)
	}

	var got struct {
		Article  translate.Article
		Segments []struct {
			ID      int64
			Index   int
			Source  string
			Target  string
			Status  string
			Version int
			Origin  string
			Matches []glossary.Match
		}
	}
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d", created.ID), "", &got)
	if len(got.Segments) != 3 || got.Segments[1].Source != "قال ريابكوف إن موسكو مستعدة للحوار." || got.Segments[1].Version != 1 || got.Segments[1].Matches == nil {
		t.Fatalf("GET /api/articles/:id segments = %+v", got.Segments)
	}

	var tr struct {
		Summary string
		Report  translate.Report
	}
	if resp := e.do(t, "POST", fmt.Sprintf("/api/articles/%d/translate", created.ID), "", &tr); resp.StatusCode != 200 || tr.Report.Translated != 3 || tr.Report.Model != "test-model" || tr.Summary == "" {
		t.Fatalf("translate = %d %+v", resp.StatusCode, tr)
	}
	if e.llm.Count() == 0 {
		t.Fatal("translate made no request to the backend")
	}
	var after struct{ Segments []translate.Segment }
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d", created.ID), "", &after)
	for _, g := range after.Segments {
		if g.Status != translate.StatusMachine || g.Target == "" || g.Backend != "openai" {
			t.Errorf("segment %d after translate: %s %q by %q", g.Index, g.Status, g.Target, g.Backend)
		}
	}
	var runs struct{ Runs []translate.Report }
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d/runs", created.ID), "", &runs)
	if len(runs.Runs) != 1 || runs.Runs[0].Usage.PromptTokens == 0 {
		t.Errorf("runs = %+v, want one run with token usage", runs.Runs)
	}

	for _, c := range []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{"GET", "/api/articles/999", "", 404, "not found"},
		{"GET", "/api/articles/abc", "", 400, "not a valid id"},
		{"POST", "/api/articles", `{"text":"   "}`, 400, "text: empty"},
		{"POST", "/api/articles", `{"text":`, 400, "expected JSON"},
		{"DELETE", "/api/articles", "", 405, "not allowed"},
	} {
		var body struct{ Error string }
		resp := e.do(t, c.method, c.path, c.body, &body)
		if resp.StatusCode != c.status || !strings.Contains(body.Error, c.msg) {
			t.Errorf("%s %s = %d %q, want %d with %q", c.method, c.path, resp.StatusCode, body.Error, c.status, c.msg)
		}
	}
}

func TestAPI_SegmentSaveAndConflict(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	path := fmt.Sprintf("/api/segments/%d", segs[1].ID)

	var saved translate.Segment
	resp := e.do(t, "PUT", path, `{"target":"Ryabkov said Moscow was ready for dialogue.","version":1}`, &saved)
	if resp.StatusCode != 200 || saved.Version != 2 || saved.Status != translate.StatusEdited {
		t.Fatalf("PUT = %d %+v", resp.StatusCode, saved)
	}

	var conflict struct {
		Error   string
		Current translate.Segment
	}
	resp = e.do(t, "PUT", path, `{"target":"Someone else's text.","version":1}`, &conflict)
	if resp.StatusCode != http.StatusConflict || conflict.Current.Target != "Ryabkov said Moscow was ready for dialogue." || conflict.Current.Version != 2 {
		t.Fatalf("stale PUT = %d %+v", resp.StatusCode, conflict)
	}

	var errBody struct{ Error string }
	if resp := e.do(t, "PUT", path, `{"target":"x"}`, &errBody); resp.StatusCode != 400 || !strings.Contains(errBody.Error, "version") {
		t.Fatalf("PUT without version = %d %q", resp.StatusCode, errBody.Error)
	}

	var approved translate.Segment
	if resp := e.do(t, "POST", path+"/approve", `{"version":2}`, &approved); resp.StatusCode != 200 || approved.Status != translate.StatusApproved || approved.Version != 3 {
		t.Fatalf("approve = %d %+v", resp.StatusCode, approved)
	}
	if resp := e.do(t, "POST", path+"/approve", `{"version":2}`, nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale approve = %d, want 409", resp.StatusCode)
	}

	var revs struct{ Revisions []translate.Revision }
	e.do(t, "GET", path+"/revisions", "", &revs)
	if len(revs.Revisions) != 2 || revs.Revisions[0].Kind != "edit" || revs.Revisions[1].Kind != "approve" {
		t.Fatalf("revisions = %+v", revs.Revisions)
	}
}

// TestPagesEscapeUserText feeds markup through an article title, its text and a correction
// and checks that every page shows it as text, never as markup.
func TestPagesEscapeUserText(t *testing.T) {
	e := newTestEnv(t)
	evil := `<script>alert("x")</script>`
	a := e.article(t, "عنوان "+evil, "عنوان\n\nقال "+evil+" ريابكوف.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	if _, err := e.articles.SaveTarget(context.Background(), segs[1].ID, `He said <img src=x onerror=alert(1)> "quoted"`, 1, "r"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", fmt.Sprintf("/articles/%d", a.ID)} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		for _, raw := range []string{"<script>alert", "<img src=x"} {
			if strings.Contains(page, raw) {
				t.Errorf("GET %s: page contains unescaped %q", path, raw)
			}
		}
		if path == "/" && !strings.Contains(page, "All articles") {
			t.Errorf("home page lacks the overall progress row")
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("GET %s: escaped title not found", path)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy = %q", path, csp)
		}
	}
}

func TestPages_SaveConflictShowsBothTexts(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	if _, err := e.articles.SaveTarget(context.Background(), segs[1].ID, "Their version.", 1, "other"); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"version": {"1"}, "target": {"My version."}}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/segments/%d", e.srv.URL, segs[1].ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	resp, err := http.DefaultClient.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status = %d, want 409", resp.StatusCode)
	}
	row := string(body)
	if !strings.Contains(row, "My version.") || !strings.Contains(row, "Their version.") || !strings.Contains(row, `name="version" value="2"`) {
		t.Fatalf("conflict row lacks both texts or the new version:\n%s", row)
	}
	cur, _ := e.articles.Segment(context.Background(), segs[1].ID)
	if cur.Target != "Their version." {
		t.Fatalf("conflicting save overwrote the segment: %q", cur.Target)
	}
}

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

func TestUploadLimit(t *testing.T) {
	e := newTestEnv(t)
	big := strings.Repeat("نص طويل. ", 200000) // ~3 MB, over the 1 MiB test limit
	body, _ := json.Marshal(map[string]string{"text": big})
	var out struct{ Error string }
	resp := e.do(t, "POST", "/api/articles", string(body), &out)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized upload = %d %q", resp.StatusCode, out.Error)
	}
	list, _ := e.articles.Articles(context.Background())
	if len(list) != 0 {
		t.Fatalf("oversized upload stored %d articles", len(list))
	}
}

func TestAPI_ApproveNeedsVersionAndBigBodiesGet413(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	var errBody struct{ Error string }
	if r := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/approve", segs[1].ID), `{"target":"Text."}`, &errBody); r.StatusCode != 400 || !strings.Contains(errBody.Error, "version") {
		t.Errorf("approve without a version = %d %q, want 400 naming version", r.StatusCode, errBody.Error)
	}
	big := strings.Repeat("x", 2<<20)
	form := url.Values{"version": {"1"}, "target": {big}}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/segments/%d", e.srv.URL, segs[1].ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	resp, err := http.DefaultClient.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form = %d, want 413", resp.StatusCode)
	}
	body, _ := json.Marshal(map[string]string{"text": big})
	if r := e.do(t, "POST", "/api/articles", string(body), nil); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized JSON = %d, want 413", r.StatusCode)
	}
}

// TestAPI_ApproveVersionIsOptional follows the contract: POST /api/segments/:id/approve with
// no body approves the current text; a version, when given, must be the current one.
func TestAPI_ApproveVersionIsOptional(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, body  string
		status      int
		wantVersion int // version after the call (200) or of the current segment (409)
	}{
		{"NoBody", "", 200, 3},
		{"EmptyObject", "{}", 200, 3},
		{"CurrentVersion", `{"version":2}`, 200, 3},
		{"StaleVersion", `{"version":1}`, http.StatusConflict, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
			segs, _ := e.articles.Segments(ctx, a.ID)
			g := segs[1]
			if _, err := e.articles.SaveTarget(ctx, g.ID, "Ryabkov said Moscow was ready.", 1, "other"); err != nil {
				t.Fatal(err)
			}
			var out struct {
				translate.Segment
				Error   string
				Current translate.Segment
			}
			resp := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/approve", g.ID), c.body, &out)
			if resp.StatusCode != c.status {
				t.Fatalf("approve %q = %d %q, want %d", c.body, resp.StatusCode, out.Error, c.status)
			}
			got, _ := e.articles.Segment(ctx, g.ID)
			if c.status == 200 {
				if out.Status != translate.StatusApproved || out.Version != c.wantVersion || out.Target != "Ryabkov said Moscow was ready." {
					t.Errorf("approved = %s v%d %q", out.Status, out.Version, out.Target)
				}
				if got.Status != translate.StatusApproved {
					t.Errorf("stored status %s, want approved", got.Status)
				}
				return
			}
			if out.Current.Version != c.wantVersion || out.Current.Target != "Ryabkov said Moscow was ready." {
				t.Errorf("409 current = v%d %q", out.Current.Version, out.Current.Target)
			}
			if got.Status != translate.StatusEdited {
				t.Errorf("a stale approval changed the segment to %s", got.Status)
			}
		})
	}
}

// TestExcludedSegmentRefusesWrites: neither the API nor the page brings an excluded segment
// back by saving or approving it; an explicit include does.
func TestExcludedSegmentRefusesWrites(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	g, err := e.articles.SetExcluded(ctx, segs[0].ID, true, 1, "r")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, method, path, body string }{
		{"APISave", "PUT", fmt.Sprintf("/api/segments/%d", g.ID), fmt.Sprintf(`{"target":"Title","version":%d}`, g.Version)},
		{"APIApprove", "POST", fmt.Sprintf("/api/segments/%d/approve", g.ID), ""},
		{"APIApproveVersion", "POST", fmt.Sprintf("/api/segments/%d/approve", g.ID), fmt.Sprintf(`{"version":%d}`, g.Version)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out struct{ Error string }
			resp := e.do(t, c.method, c.path, c.body, &out)
			if resp.StatusCode != http.StatusConflict || !strings.Contains(out.Error, "excluded") {
				t.Errorf("%s %s = %d %q, want 409 naming the exclusion", c.method, c.path, resp.StatusCode, out.Error)
			}
		})
	}
	for _, path := range []string{"/segments/%d", "/segments/%d/approve"} {
		t.Run("Page"+path, func(t *testing.T) {
			form := url.Values{"version": {fmt.Sprint(g.Version)}, "target": {"Title"}}
			req, _ := http.NewRequest("POST", e.srv.URL+fmt.Sprintf(path, g.ID), strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			resp, err := http.DefaultClient.Do(asBrowser(req))
			if err != nil {
				t.Fatal(err)
			}
			var out struct{ Error string }
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if resp.StatusCode != http.StatusConflict || err != nil || !strings.Contains(out.Error, "excluded") {
				t.Errorf("page POST = %d %q (%v), want 409 JSON naming the exclusion", resp.StatusCode, out.Error, err)
			}
		})
	}
	cur, _ := e.articles.Segment(ctx, g.ID)
	if cur.Status != translate.StatusExcluded || cur.Version != g.Version {
		t.Fatalf("refused writes changed the segment: %s v%d", cur.Status, cur.Version)
	}
}

// TestSegmentSave_RechecksGlossaryFlags: the machine flagged a term; the reviewer's fix drops
// the flag (and the row leaves the Flagged filter), an edit that still misses it keeps one.
func TestSegmentSave_RechecksGlossaryFlags(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	term := glossary.Term{Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm}
	if err := e.glossary.Create(ctx, &term); err != nil {
		t.Fatal(err)
	}
	a := e.article(t, "", "عنوان\n\nوأضاف أن الضمانات الأمنية ضرورية.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	g := segs[1]
	machineFlag := `glossary: expected "security guarantees" for ضمانات أمنية`
	e.machine(t, g, "openai", "m1", "He added that guarantees are necessary.", machineFlag)
	flaggedRow := regexp.MustCompile(`<form class="seg[^"]*\bflagged\b`)
	for _, c := range []struct {
		name, path, target string
		flagged            bool
	}{
		{"SaveFixesTerm", "/segments/%d", "He added that security guarantees are necessary.", false},
		{"SaveStillViolates", "/segments/%d", "He added that assurances are necessary.", true},
		{"ApproveFixesTerm", "/segments/%d/approve", "He added that Security Guarantees are necessary.", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := url.Values{"version": {fmt.Sprint(e.version(t, g))}, "target": {c.target}}
			resp, body := e.postForm(t, fmt.Sprintf(c.path, g.ID), form, true)
			if resp.StatusCode != 200 {
				t.Fatalf("POST = %d %s", resp.StatusCode, body)
			}
			if got := flaggedRow.Match(body); got != c.flagged {
				t.Errorf("row flagged = %v, want %v:\n%s", got, c.flagged, body)
			}
			if got := strings.Contains(string(body), "expected &#34;security guarantees&#34;"); got != c.flagged {
				t.Errorf("row shows the glossary note = %v, want %v", got, c.flagged)
			}
			cur, _ := e.articles.Segment(ctx, g.ID)
			if (len(cur.Flags) > 0) != c.flagged || len(cur.MachineFlags) != 1 || cur.MachineFlags[0] != machineFlag {
				t.Errorf("stored flags %q, machine flags %q", cur.Flags, cur.MachineFlags)
			}
			_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
			if got := regexp.MustCompile(fmt.Sprintf(`<form class="seg[^"]*\bflagged\b[^"]*" id="seg-%d"`, g.ID)).MatchString(page); got != c.flagged {
				t.Errorf("article page marks the row for the Flagged filter = %v, want %v", got, c.flagged)
			}
		})
	}
}

// TestHome_PercentApprovedLeavesOutExcluded: "% approved" counts approvals among the segments
// to translate, so excluding boilerplate is not progress.
func TestHome_PercentApprovedLeavesOutExcluded(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية. وتابع الحديث.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	if len(segs) != 4 {
		t.Fatalf("%d segments, want 4", len(segs))
	}
	if _, err := e.articles.SetExcluded(ctx, segs[0].ID, true, 1, "r"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, segs[1].ID, "Ryabkov said Moscow was ready for dialogue.", 1, "r"); err != nil {
		t.Fatal(err)
	}
	_, body := e.getPage(t, "/", false)
	// One article row and the all-articles row: 1 approved of 3 to translate.
	if n := strings.Count(body, `title="33% approved"></progress> 33%`); n != 2 {
		t.Errorf("home page shows 33%% approved %d times, want 2 (article and total):\n%s", n, body)
	}
}
