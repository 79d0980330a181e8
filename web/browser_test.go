package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// chromiumPath finds Debian's chromium. Without it the browser tests skip, except where
// TARJAMA_REQUIRE_BROWSER is set (CI), where a missing browser is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("TARJAMA_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium found, and TARJAMA_REQUIRE_BROWSER is set: install it (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH; install it to run the browser tests")
	return ""
}

// newBrowser starts a headless Chromium with the flags this closed network needs and a
// fresh profile, and returns a chromedp context bounded by a timeout.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	// Not t.TempDir: Chromium's helper processes may still be writing the profile for a
	// moment after the browser exits, which would fail the test at cleanup.
	profile, err := os.MkdirTemp("", "tarjama-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		// Chromium's helper processes may still be writing the profile after the browser is
		// told to stop, and no event says when they are done: a bounded retry on that outside
		// process, not a wait for a goroutine of ours.
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// newSeededServer serves the workbench over a fresh database with the seed corpus loaded,
// exactly as `tarjama serve` does on first start.
func newSeededServer(t *testing.T) (*httptest.Server, *store.Store) {
	return newSeededServerWith(t, nil)
}

// newSeededServerWith is newSeededServer with a hook that may change the server's Config
// (add accounts, say) before the server is built.
func newSeededServerWith(t *testing.T, configure func(*Config, *migrations.DB)) (*httptest.Server, *store.Store) {
	t.Helper()
	ctx := context.Background()
	db := migrationstest.Open(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db.W, db.R, time.Now)
	articles := store.New(db.W, db.R, time.Now, terms)
	if err := seeds.Load(ctx, db.W, time.Now, articles, terms, log); err != nil {
		t.Fatal(err)
	}
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	llm.Latency = 50 * time.Millisecond // slow enough to watch the page fill in
	stores := testStores(db, articles, terms)
	cfg := Config{Articles: articles, Memory: stores.Memory, Glossary: terms, MT: newTestService(t, stores, llm, log), Logger: log}
	if configure != nil {
		configure(&cfg, db)
	}
	s, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, articles
}

// warnOnly makes every quality check a warning, for the tests of the review flow whose
// placeholder English would otherwise need each seed term before an approval (the approval
// gate has its own tests).
func warnOnly(t *testing.T, articles *store.Store) {
	t.Helper()
	cfg := qa.DefaultConfig()
	for name := range cfg.Checks {
		cfg.Checks[name] = qa.Rule{Enabled: true, Severity: qa.Warning}
	}
	if _, err := articles.SaveQASettings(context.Background(), cfg, "test"); err != nil {
		t.Fatal(err)
	}
}

// waitJS evaluates expr until it is true or the timeout passes. Unlike chromedp.Poll it
// survives a page load between the action that triggered it and the check.
func waitJS(expr string, timeout time.Duration) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(timeout)
		for {
			var ok bool
			err := chromedp.Evaluate("Boolean("+expr+")", &ok).Do(ctx)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("waited %s for %s (last error: %v)", timeout, expr, err)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// previewImport opens an import page's form (the glossary's, the memory's), uploads file
// through it and waits for the preview's confirm button.
func previewImport(file string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Click("details.import-csv > summary", chromedp.ByQuery),
		chromedp.WaitVisible(`.import-form input[name="file"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`.import-form input[name="file"]`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`.import-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#import-confirm", chromedp.ByQuery),
	}
}

// htmxSettled waits until htmx has finished swapping and settling, so that buttons it has
// just put on the page work when clicked.
func htmxSettled() chromedp.Action {
	return waitJS(`document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added") === null`, 5*time.Second)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
