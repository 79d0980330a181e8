package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
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
	db, err := migrations.Open(ctx, filepath.Join(t.TempDir(), "browser.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db)
	articles := store.New(db, terms)
	if err := seeds.Load(ctx, db, articles, terms, log); err != nil {
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

func TestBrowser_ReviewFlow(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, err := articles.Articles(context.Background())
	if err != nil || len(list) != 5 {
		t.Fatalf("seeded articles = %d, %v; want 5", len(list), err)
	}
	first := list[0]
	segs, _ := articles.Segments(context.Background(), first.ID)
	edit, next := segs[2], segs[3]
	correction := "Deputy Foreign Minister Sergei Ryabkov said Moscow was ready for dialogue."

	var homeLinks int
	var dir, lang, font, errorsShown string
	var side struct {
		SrcLeft, TgtLeft, SrcTop, TgtTop float64
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("table.articles"),
		chromedp.Evaluate(`document.querySelectorAll("table.articles tbody tr a").length`, &homeLinks),
		chromedp.Click(fmt.Sprintf(`a[href="/articles/%d"]`, first.ID), chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", edit.ID), chromedp.ByQuery),
		chromedp.AttributeValue(fmt.Sprintf("#seg-%d .src", edit.ID), "dir", &dir, nil, chromedp.ByQuery),
		chromedp.AttributeValue(fmt.Sprintf("#seg-%d .src", edit.ID), "lang", &lang, nil, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`getComputedStyle(document.querySelector("#seg-%d .src")).fontFamily`, edit.ID), &font),
		chromedp.Evaluate(fmt.Sprintf(`(() => {
			const s = document.querySelector("#seg-%[1]d .src").getBoundingClientRect();
			const t = document.querySelector("#seg-%[1]d textarea").getBoundingClientRect();
			return {SrcLeft: s.left, TgtLeft: t.left, SrcTop: s.top, TgtTop: t.top};
		})()`, edit.ID), &side),
	)
	if err != nil {
		t.Fatal(err)
	}
	if homeLinks != 5 {
		t.Errorf("home page lists %d articles, want 5", homeLinks)
	}
	if dir != "rtl" || lang != "ar" || !strings.Contains(font, "Noto Naskh Arabic") {
		t.Errorf("source cell dir=%q lang=%q font=%q; want rtl, ar, Noto Naskh Arabic", dir, lang, font)
	}
	if side.SrcLeft >= side.TgtLeft || abs(side.SrcTop-side.TgtTop) > 20 {
		t.Errorf("source and English are not side by side on one row: %+v", side)
	}

	var active string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("#seg-%d textarea").value = ""`, edit.ID), nil),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", edit.ID), correction, chromedp.ByQuery),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl)),
		chromedp.Poll(fmt.Sprintf(`document.activeElement && document.activeElement.closest("#seg-%d") !== null`, next.ID), nil,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.activeElement.closest("form.seg").id`, &active),
	)
	if err != nil {
		t.Fatalf("Ctrl+Enter did not save and move on: %v", err)
	}
	if active != fmt.Sprintf("seg-%d", next.ID) {
		t.Errorf("focus after Ctrl+Enter on %q, want seg-%d", active, next.ID)
	}

	var kept, status string
	err = chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", edit.ID), chromedp.ByQuery),
		chromedp.Value(fmt.Sprintf("#seg-%d textarea", edit.ID), &kept, chromedp.ByQuery),
		chromedp.Text(fmt.Sprintf("#seg-%d .status", edit.ID), &status, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("errors").hidden ? "" : document.getElementById("errors").textContent`, &errorsShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if kept != correction || status != "edited" {
		t.Errorf("after reload the segment reads %q (%s); want the correction, edited", kept, status)
	}
	if errorsShown != "" {
		t.Errorf("page shows an error: %s", errorsShown)
	}
	saved, _ := articles.Segment(context.Background(), edit.ID)
	if saved.Target != correction || saved.Version != 2 {
		t.Errorf("stored segment = %q v%d", saved.Target, saved.Version)
	}
}

func TestBrowser_ConflictIsShownNotOverwritten(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	segs, _ := articles.Segments(context.Background(), list[1].ID)
	g := segs[1]

	var conflictText, boxValue string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[1].ID)),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", g.ID), chromedp.ByQuery),
		chromedp.ActionFunc(func(ctx context.Context) error {
			// Another reviewer saves first, after this page was loaded.
			_, err := articles.SaveTarget(context.Background(), g.ID, "Their text wins the race.", 1, "other")
			return err
		}),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", g.ID), "My late text.", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf("#seg-%d button.save", g.ID), chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d .conflict-box", g.ID), chromedp.ByQuery),
		chromedp.Text(fmt.Sprintf("#seg-%d .conflict-box .theirs", g.ID), &conflictText, chromedp.ByQuery),
		chromedp.Value(fmt.Sprintf("#seg-%d textarea", g.ID), &boxValue, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if conflictText != "Their text wins the race." || boxValue != "My late text." {
		t.Fatalf("conflict view shows theirs=%q mine=%q", conflictText, boxValue)
	}
	cur, _ := articles.Segment(context.Background(), g.ID)
	if cur.Target != "Their text wins the race." {
		t.Fatalf("the stale save overwrote the segment: %q", cur.Target)
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

// TestBrowser_ConflictChoices: the conflict view settles in one click either way, and both
// choices survive a reload and leave a revision.
func TestBrowser_ConflictChoices(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[1].ID)
	const theirs, mine = "Their text wins the race.", "My late text."
	for _, c := range []struct {
		name, button   string
		seg            translate.Segment
		want           string
		version        int
		lastKind, lost string // the newest revision's kind, and the text it set aside
	}{
		{"KeepMine", "button.keep-mine", segs[1], mine, 3, "edit", theirs},
		{"UseTheirs", "button.use-theirs", segs[2], theirs, 2, "theirs", mine},
	} {
		t.Run(c.name, func(t *testing.T) {
			row := fmt.Sprintf("#seg-%d", c.seg.ID)
			var box string
			var conflictLeft bool
			err := chromedp.Run(ctx,
				chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[1].ID)),
				chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
				chromedp.ActionFunc(func(context.Context) error {
					_, err := articles.SaveTarget(bg, c.seg.ID, theirs, 1, "other")
					return err
				}),
				chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s textarea").value = ""`, row), nil),
				chromedp.SendKeys(row+" textarea", mine, chromedp.ByQuery),
				chromedp.Click(row+" button.save", chromedp.ByQuery),
				chromedp.WaitVisible(row+" .conflict-box "+c.button, chromedp.ByQuery),
				htmxSettled(),
				chromedp.Click(row+" .conflict-box "+c.button, chromedp.ByQuery),
				// Settled: the row came back without the conflict box, holding the chosen text.
				waitJS(fmt.Sprintf(`(() => {
					const f = document.querySelector("%s");
					return f && !f.querySelector(".conflict-box") && f.querySelector("textarea").value === %q &&
						f.querySelector("input[name=version]").value === "%d";
				})()`, row, c.want, c.version), 10*time.Second),
			)
			if err != nil {
				t.Fatal(err)
			}
			err = chromedp.Run(ctx,
				chromedp.Reload(),
				chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
				chromedp.Value(row+" textarea", &box, chromedp.ByQuery),
				chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s .conflict-box") === null`, row), &conflictLeft),
			)
			if err != nil {
				t.Fatal(err)
			}
			if box != c.want || !conflictLeft {
				t.Errorf("after reload the box reads %q (conflict closed: %v), want %q", box, conflictLeft, c.want)
			}
			got, _ := articles.Segment(bg, c.seg.ID)
			if got.Target != c.want || got.Version != c.version {
				t.Errorf("stored %q v%d, want %q v%d", got.Target, got.Version, c.want, c.version)
			}
			revs, _ := articles.Revisions(bg, c.seg.ID)
			last := revs[len(revs)-1]
			if len(revs) != 2 || last.Kind != c.lastKind || last.Before != c.lost || last.After != c.want || last.Author != "reviewer" {
				t.Errorf("revisions = %+v; want the other's edit, then a %s revision from %q to %q", revs, c.lastKind, c.lost, c.want)
			}
		})
	}
}
