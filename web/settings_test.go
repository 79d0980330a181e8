package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// storedServer is a workbench whose settings are stored in its database, as the program runs it.
type storedServer struct {
	srv     *httptest.Server
	mt      *backends.Service
	browser *http.Client // keeps cookies, as a browser does, so a flash is seen once
}

// openStoredServer starts a workbench on the database file at path with what start gives,
// as `tarjama serve` does.
func openStoredServer(t *testing.T, path string, start backends.Start) *storedServer {
	t.Helper()
	ctx := context.Background()
	db := migrationstest.OpenFile(t, path)
	terms := glossary.NewStore(db.W, db.R, time.Now)
	articles := store.New(db.W, db.R, time.Now, terms)
	stores := testStores(db, articles, terms)
	mt, err := backends.OpenService(ctx, stores, start, backends.NewSettingsStore(db.W, db.R, time.Now), slogDiscard())
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{Articles: articles, Memory: stores.Memory, Glossary: terms, MT: mt, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	ss := &storedServer{srv: httptest.NewServer(s.Handler()), mt: mt, browser: &http.Client{Jar: jar}}
	t.Cleanup(func() { ss.srv.Close(); mt.Close() }) // before the database closes
	return ss
}

func (ss *storedServer) page(t *testing.T) string {
	t.Helper()
	resp, err := ss.browser.Get(ss.srv.URL + "/settings")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func (ss *storedServer) save(t *testing.T, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ss.srv.URL+"/settings", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := ss.browser.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSettings_SavedAcrossRestart: a save on the page reconfigures the running server and is
// stored; a server started again on the same file runs it, except for a field given at start,
// which wins and shows as pinned. The key typed on the page is never in the database.
func TestSettings_SavedAcrossRestart(t *testing.T) {
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	path := filepath.Join(t.TempDir(), "settings.db")
	first := openStoredServer(t, path, backends.Start{})
	if got := first.mt.Config().Backend; got != backends.Offline {
		t.Fatalf("with nothing configured the server runs %q, want offline", got)
	}
	if page := first.page(t); !strings.Contains(page, "kept only in this running server's memory") {
		t.Error("the page does not say where a typed key is kept")
	}

	// A failed save names its field and changes nothing.
	code, body := first.save(t, url.Values{"backend": {"openai"}, "base_url": {"ftp://nowhere"}, "model": {"m2"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "base_url: &#34;ftp://nowhere&#34; is not an http(s) URL") {
		t.Fatalf("bad URL = %d; want 400 naming base_url", code)
	}
	if got := first.mt.Config().Backend; got != backends.Offline {
		t.Fatalf("a rejected save switched the server to %q", got)
	}

	const key = "sk-page-typed-0123456789abcdef"
	code, body = first.save(t, url.Values{"backend": {"openai"}, "base_url": {llm.BaseURL()}, "model": {"m2"}, "api_key": {key}, "batch_size": {"3"}, "timeout": {"45s"}})
	if code != http.StatusOK || !strings.Contains(body, "Now translating with openai m2") {
		t.Fatalf("save = %d; want the settings page saying it translates with openai m2", code)
	}
	if cfg := first.mt.Config(); cfg.Model != "m2" || cfg.BaseURL != llm.BaseURL() || cfg.APIKey != key || cfg.BatchSize != 3 {
		t.Fatalf("after the save the server runs %+v", cfg)
	}
	// The flash is shown once: a reload of the page does not say "Saved." again.
	if page := first.page(t); !strings.Contains(page, "Last saved by reviewer") || strings.Contains(page, key) || strings.Contains(page, "Saved. Now translating") {
		t.Error("the reloaded page does not say who saved, shows the key, or repeats the flash")
	}

	// The key is in no row and nowhere in the file (the write-ahead log folded in first).
	db := migrationstest.OpenFile(t, path)
	var rows, withKey int
	if err := db.R.QueryRow(`SELECT COUNT(*), COUNT(CASE WHEN instr(value, ?) > 0 THEN 1 END) FROM settings`, key).Scan(&rows, &withKey); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || withKey != 0 {
		t.Errorf("settings table: %d rows, %d holding the key; want rows and none with the key", rows, withKey)
	}
	if _, err := db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, p := range []string{path, path + "-wal"} {
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(key)) {
			t.Errorf("%s contains the API key", filepath.Base(p))
		}
	}

	// A restart with TARJAMA_MODEL given: the saved backend and URL, the model from the
	// environment, shown as pinned; no key, since none is given at start.
	again := openStoredServer(t, path, backends.Start{Env: backends.Environment{Model: "env-model"}})
	cfg := again.mt.Config()
	if cfg.Backend != "openai" || cfg.BaseURL != llm.BaseURL() || cfg.Model != "env-model" || cfg.BatchSize != 3 || cfg.APIKey != "" {
		t.Fatalf("after a restart the server runs %+v; want openai at the saved URL with env-model and no key", cfg)
	}
	page := again.page(t)
	if !strings.Contains(page, "set by TARJAMA_MODEL at start") || !strings.Contains(page, `value="env-model" placeholder="gpt-4o-mini" autocomplete="off" disabled`) {
		t.Errorf("the page does not show the model as pinned by TARJAMA_MODEL")
	}
	if strings.Contains(page, "set by OPENAI_BASE_URL") || !strings.Contains(page, `value="`+llm.BaseURL()+`"`) {
		t.Error("the base URL shows as pinned, or not as saved")
	}
	// A save there leaves the pinned model alone.
	if code, _ := again.save(t, url.Values{"backend": {"openai"}, "base_url": {llm.BaseURL()}, "model": {"other"}, "batch_size": {"5"}}); code != http.StatusOK {
		t.Fatalf("save with a pinned model = %d", code)
	}
	if cfg := again.mt.Config(); cfg.Model != "env-model" || cfg.BatchSize != 5 {
		t.Errorf("after the save: model %q batch %d; want env-model and 5", cfg.Model, cfg.BatchSize)
	}
}

// TestSettings_ReviewerSeesReadOnly: a reviewer who opens /settings sees what the server
// translates with, the key masked, and no form to save, since only admins may; an admin
// gets the form.
func TestSettings_ReviewerSeesReadOnly(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "sami", auth.RoleReviewer)
	e.addUser(t, "mona", auth.RoleAdmin)
	reviewer, admin := e.client(t), e.client(t)
	reviewer.mustLogin("sami")
	admin.mustLogin("mona")

	r := reviewer.do("GET", "/settings", "", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("reviewer GET /settings = %d", r.status)
	}
	for _, want := range []string{"Only admins change these settings", "<dd>openai", "test-model", backends.MaskKey("sk-test-0123456789"), "<code>http://127.0.0.1:"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("reviewer page lacks %q", want)
		}
	}
	for _, unwanted := range []string{`action="/settings"`, `<input name="base_url"`, `name="api_key"`, `<select name="backend"`, ">Save</button>", "sk-test-0123456789"} {
		if strings.Contains(r.body, unwanted) {
			t.Errorf("reviewer page has %q; want a read-only view", unwanted)
		}
	}

	r = admin.do("GET", "/settings", "", "", nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `action="/settings"`) || !strings.Contains(r.body, ">Save</button>") || strings.Contains(r.body, "Only admins change") {
		t.Errorf("admin GET /settings = %d; want the form with Save", r.status)
	}
}

// TestSettings_KeyNotSentOverHTTPToTheSameHost: a key given at start for https://api.openai.com,
// or typed on the page for an https server, is withheld when a save points the backend at
// http:// of the same host, and the page says why.
func TestSettings_KeyNotSentOverHTTPToTheSameHost(t *testing.T) {
	const startKey = "sk-start-0123456789abcdef"
	ss := openStoredServer(t, filepath.Join(t.TempDir(), "settings.db"), backends.Start{Env: backends.Environment{OpenAIKey: startKey}})
	if got := ss.mt.Config(); got.Backend != backends.OpenAI || got.APIKey != startKey {
		t.Fatalf("at start the server runs %+v; want openai with the start key", got)
	}
	code, page := ss.save(t, url.Values{"backend": {"openai"}, "base_url": {"http://api.openai.com/v1"}, "model": {"gpt-4o-mini"}})
	if code != http.StatusOK {
		t.Fatalf("save = %d", code)
	}
	if got := ss.mt.Config(); got.BaseURL != "http://api.openai.com/v1" || got.APIKey != "" {
		t.Errorf("after the downgrade the server runs %q with key %q; want no key", got.BaseURL, got.APIKey)
	}
	for _, want := range []string{"the key from OPENAI_API_KEY is not sent to http://api.openai.com", "or type the key here"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
	}

	// A key typed for an https server stays there too.
	const typed = "sk-typed-0123456789abcdef"
	noStart := openStoredServer(t, filepath.Join(t.TempDir(), "typed.db"), backends.Start{})
	if code, _ := noStart.save(t, url.Values{"backend": {"openai"}, "base_url": {"https://llm.example/v1"}, "model": {"m"}, "api_key": {typed}}); code != http.StatusOK {
		t.Fatalf("save with a typed key = %d", code)
	}
	if got := noStart.mt.Config().APIKey; got != typed {
		t.Fatalf("the typed key is not in use: %q", got)
	}
	code, page = noStart.save(t, url.Values{"backend": {"openai"}, "base_url": {"http://llm.example/v1"}, "model": {"m"}})
	if got := noStart.mt.Config().APIKey; code != http.StatusOK || got != "" {
		t.Errorf("after the downgrade = %d, key %q; want the typed key withheld", code, got)
	}
	for _, want := range []string{"the key typed for https://llm.example is not sent to http://llm.example", "Type it again to use it there"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
}

func TestSettings_KeyNeverShownInFull(t *testing.T) {
	e := newTestEnv(t)
	get := func() string {
		resp, err := http.Get(e.srv.URL + "/settings")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get()
	if strings.Contains(page, "sk-test-0123456789") || !strings.Contains(page, "test-model") {
		t.Fatalf("settings page shows the key in full or lacks the model")
	}
	post := func(form url.Values) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/settings", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(asBrowser(req))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post(url.Values{"backend": {"openai"}, "base_url": {e.llm.BaseURL()}, "model": {"m2"}, "timeout": {"forever"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "timeout: &#34;forever&#34; is not a duration") {
		t.Fatalf("bad timeout = %d", code)
	}
	if e.mt.Config().Model != "test-model" {
		t.Fatalf("a rejected form changed the configuration to %q", e.mt.Config().Model)
	}
	code, _ = post(url.Values{"backend": {"openai"}, "base_url": {e.llm.BaseURL()}, "model": {"m2"}, "batch_size": {"4"}, "timeout": {"30s"}})
	if code != http.StatusOK { // the redirect is followed to the settings page
		t.Fatalf("save = %d", code)
	}
	cfg := e.mt.Config()
	if cfg.Model != "m2" || cfg.BatchSize != 4 || cfg.Timeout != 30*time.Second || cfg.APIKey != "sk-test-0123456789" {
		t.Fatalf("config after save = model %q batch %d timeout %s key kept %v", cfg.Model, cfg.BatchSize, cfg.Timeout, cfg.APIKey == "sk-test-0123456789")
	}
	if !strings.Contains(get(), "openai m2") {
		t.Error("page does not show the new backend")
	}
	// Pointing the backend at another host must not carry the stored key there.
	if code, _ := post(url.Values{"backend": {"openai"}, "base_url": {"http://elsewhere.example/v1"}, "model": {"m3"}}); code != http.StatusOK {
		t.Fatalf("save with a new host = %d", code)
	}
	if k := e.mt.Config().APIKey; k != "" {
		t.Fatalf("the key followed the backend to a new host: %q", k)
	}
}
