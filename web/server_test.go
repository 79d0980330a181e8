package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/pipeline"
	"github.com/tarjama/tarjama/translate/store"
)

type testEnv struct {
	db       *migrations.DB
	server   *Server
	srv      *httptest.Server
	articles *store.Store
	glossary *glossary.Store
	stores   pipeline.Stores // what the translation runs use
	mt       *backends.Service
	llm      *backendtest.OpenAI // the fake OpenAI-compatible server the workbench translates with
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	db := migrationstest.Open(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db.W, db.R, time.Now)
	e := &testEnv{db: db, articles: store.New(db.W, db.R, time.Now, terms), glossary: terms}
	e.llm = backendtest.NewOpenAI(t, backendtest.Success())
	e.stores = testStores(db, e.articles, e.glossary)
	e.mt = newTestService(t, e.stores, e.llm, log)
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: log, MaxUploadBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	e.server = s
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// testStores are the stores over db that a translation run uses.
func testStores(db *migrations.DB, articles *store.Store, terms *glossary.Store) pipeline.Stores {
	return pipeline.Stores{Articles: articles, Memory: memory.New(db.W, db.R, time.Now), Cache: pipeline.NewCache(db.W, db.R, time.Now), Glossary: terms}
}

// newTestService translates through the fake OpenAI-compatible server on loopback.
func newTestService(t *testing.T, stores pipeline.Stores, llm *backendtest.OpenAI, log *slog.Logger) *backends.Service {
	t.Helper()
	svc, err := backends.NewService(stores, backends.Config{
		Backend: backends.OpenAI, BaseURL: llm.BaseURL(), Model: "test-model", APIKey: "sk-test-0123456789",
		Limits: pipeline.Limits{BatchSize: 5, Concurrency: 2, Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond},
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
func followRun(t *testing.T, mt *backends.Service, articleID int64, until func(pipeline.Event) bool) bool {
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
func followEvents(ctx context.Context, events <-chan pipeline.Event, until func(pipeline.Event) bool) bool {
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
	followRun(t, mt, articleID, func(pipeline.Event) bool { return false })
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

func (e *testEnv) segments(t *testing.T, articleID int64) []translate.Segment {
	t.Helper()
	segs, err := e.articles.Segments(context.Background(), articleID)
	if err != nil || len(segs) == 0 {
		t.Fatalf("segments of article %d: %d, %v", articleID, len(segs), err)
	}
	return segs
}

func TestShutdownEndsLiveProgressStreams(t *testing.T) {
	e := newTestEnv(t)
	e.llm.Latency = 4 * time.Second // a run that outlasts the check below unless shutdown ends it
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() })
	}()
	addr := <-addrc
	if err := e.mt.Start(a.ID, pipeline.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(fmt.Sprintf("http://%s/articles/%d/events", addr, a.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("shutdown waited for the progress stream")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %s", d)
	}
}

func slogDiscard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestFormLimit: a form post over the body limit answers 413 with the limit from every form
// handler, whether its CSRF token comes in the form (read before the limit is hit) or in the
// header (so nothing before the handler used to read the form, and gin's PostForm dropped the
// error: the article form said "pasted text: empty").
func TestFormLimit(t *testing.T) {
	e := newTestEnv(t) // 1 MiB limit
	a := e.article(t, "", "عنوان\n\nنص.")
	seg := e.segments(t, a.ID)[1]
	big := strings.Repeat("نص طويل. ", 120000) // ~1.4 MB
	for _, c := range []struct{ path, field string }{
		{"/articles", "text"},
		{"/glossary", "note"},
		{"/settings", "model"},
		{fmt.Sprintf("/segments/%d", seg.ID), "target"},
		{fmt.Sprintf("/articles/%d/translate", a.ID), "retranslate"},
	} {
		urlencoded := url.Values{c.field: {big}, "version": {"1"}}
		multi, multiType := multipartBody(t, map[string]string{c.field: big, "version": "1"}, "", "", "")
		for _, f := range []struct {
			name, contentType, body string
			header                  map[string]string
		}{
			{"urlencoded", "application/x-www-form-urlencoded", urlencoded.Encode(), nil},
			{"urlencoded htmx", "application/x-www-form-urlencoded", urlencoded.Encode(), map[string]string{"HX-Request": "true"}},
			{"multipart", multiType, multi, nil},
		} {
			resp, body := e.send(t, "POST", c.path, f.contentType, []byte(f.body), f.header)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "the limit is 1 MiB") {
				t.Errorf("%s %s = %d %.300s, want 413 naming the limit", f.name, c.path, resp.StatusCode, body)
			}
		}
	}
	// The token in the form, as the home page's upload form sends it: read before the limit.
	form := url.Values{"text": {big}, csrfField: {testCSRF}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/articles", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "the limit is 1 MiB") {
		t.Errorf("article form with its token in the form = %d %.300s, want 413 naming the limit", resp.StatusCode, body)
	}
	if list, _ := e.articles.Articles(t.Context()); len(list) != 1 {
		t.Errorf("%d articles after oversized posts, want 1", len(list))
	}
}
