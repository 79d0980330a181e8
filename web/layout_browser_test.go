package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// consoleErrors gathers what the browser reports as errors: uncaught exceptions,
// console.error calls and log entries at error level (blocked styles, failed loads).
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (e *consoleErrors) add(msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.msgs = append(e.msgs, msg)
}

func (e *consoleErrors) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.msgs
	e.msgs = nil
	return out
}

// listenConsoleErrors starts collecting the console errors of the tab behind ctx.
func listenConsoleErrors(ctx context.Context) *consoleErrors {
	errs := &consoleErrors{}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			errs.add("exception: " + ev.ExceptionDetails.Text + " " + fmt.Sprint(ev.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value))
				}
				errs.add("console.error: " + strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				errs.add(fmt.Sprintf("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	return errs
}

// TestBrowser_NoConsoleErrors: the home and article pages load without a single console
// error — no htmx indicator style refused by the CSP, no missing favicon.
func TestBrowser_NoConsoleErrors(t *testing.T) {
	ctx := newBrowser(t)
	errs := listenConsoleErrors(ctx)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	segs, _ := articles.Segments(context.Background(), list[0].ID)
	row := fmt.Sprintf("#seg-%d", segs[1].ID)
	for _, page := range []struct {
		name, url, ready string
		use              []chromedp.Action // what a reviewer does there before the check
	}{
		{"home", srv.URL + "/", "table.articles", nil},
		{"article", fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID), row + " textarea", []chromedp.Action{
			chromedp.Focus(row+" textarea", chromedp.ByQuery), // loads the memory matches
			chromedp.Click(row+" button.history-btn", chromedp.ByQuery),
			chromedp.WaitVisible(fmt.Sprintf("#hist-%d .history-list", segs[1].ID), chromedp.ByQuery),
		}},
	} {
		t.Run(page.name, func(t *testing.T) {
			err := chromedp.Run(ctx,
				chromedp.Navigate(page.url),
				chromedp.WaitVisible(page.ready, chromedp.ByQuery),
				chromedp.Tasks(page.use),
				// Give htmx its DOMContentLoaded work and the icon request time to report.
				chromedp.Sleep(700*time.Millisecond),
			)
			if err != nil {
				t.Fatal(err)
			}
			if got := errs.take(); len(got) != 0 {
				t.Errorf("console errors on the %s page:\n%s", page.name, strings.Join(got, "\n"))
			}
		})
	}
	t.Run("favicon", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/favicon.ico")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("GET /favicon.ico = %d %q, want 200 image/svg+xml", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
}

// TestBrowser_PageLayout measures what QA saw: numbers aligned alike in the rows and the
// totals, status badge and buttons laid out alike on a failed and an untranslated segment,
// and a styled search field.
func TestBrowser_PageLayout(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	segs, err := articles.Segments(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := articles.ApplyMachine(context.Background(), []store.MachineOutput{{SegmentID: segs[1].ID, Status: translate.StatusFailed, Backend: "openai", Model: "m"}}); err != nil {
		t.Fatal(err)
	}
	var aligns []string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("table.articles tfoot"),
		chromedp.Evaluate(`[...document.querySelectorAll("table.articles .num")].map(e => getComputedStyle(e).textAlign)`, &aligns)); err != nil {
		t.Fatal(err)
	}
	if len(aligns) < 12 {
		t.Fatalf("found %d number cells", len(aligns))
	}
	for i, a := range aligns {
		if a != "right" {
			t.Errorf("number cell %d is aligned %q, want right like the others", i, a)
		}
	}

	// Rows of the action buttons, by their top edge: badge alone, then two and two.
	const layout = `(id => { const f = document.getElementById("seg-" + id);
		const tops = [".status", ".save", ".approve", ".history-btn", ".exclude"].map(s => Math.round(f.querySelector(".actions " + s).getBoundingClientRect().top));
		return [tops[0] < tops[1], tops[1] === tops[2], tops[3] === tops[4], tops[2] < tops[3]].join(","); })`
	var failed, untranslated string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/articles/1"), chromedp.WaitVisible("#segments"),
		chromedp.Evaluate(fmt.Sprintf("%s(%d)", layout, segs[1].ID), &failed),
		chromedp.Evaluate(fmt.Sprintf("%s(%d)", layout, segs[2].ID), &untranslated)); err != nil {
		t.Fatal(err)
	}
	if want := "true,true,true,true"; failed != want || untranslated != want {
		t.Errorf("action layout: failed %s, untranslated %s; want %s (badge on its own row, then Save Approve / History Exclude)", failed, untranslated, want)
	}

	var search, glossary []string
	const style = `(e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.borderRadius, s.paddingTop, s.fontSize]; })`
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/search?q=x"), chromedp.WaitVisible("#q"),
		chromedp.Evaluate(style+`(document.getElementById("q"))`, &search),
		chromedp.Navigate(srv.URL+"/glossary"), chromedp.WaitVisible("body"),
		chromedp.Evaluate(style+`(document.querySelector(".term-search input[type=search]"))`, &glossary)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(search, " ") != strings.Join(glossary, " ") {
		t.Errorf("search field %v, glossary search field %v: want the same look", search, glossary)
	}
}
