package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tarjama/tarjama/translate"
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

// TestBrowser_MemoryUseThis: "Use this" on a memory match puts its English in the box,
// unsaved and focused, so that Ctrl+Enter saves it.
func TestBrowser_MemoryUseThis(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[0].ID)
	approved := segs[2]
	const memory = "Ryabkov said Moscow was ready for dialogue, as the memory remembers."
	if _, err := articles.Approve(bg, approved.ID, memory, approved.Version, "other"); err != nil {
		t.Fatal(err)
	}
	a, err := articles.CreateArticle(bg, "", "عنوان جديد\n\n"+approved.Source, "")
	if err != nil {
		t.Fatal(err)
	}
	var g translate.Segment
	fresh, _ := articles.Segments(bg, a.ID)
	for _, s := range fresh {
		if s.Source == approved.Source {
			g = s
		}
	}
	if g.ID == 0 {
		t.Fatalf("the new article has no segment %q: %+v", approved.Source, fresh)
	}
	row := fmt.Sprintf("#seg-%d", g.ID)
	var box string
	var focused bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
		chromedp.Click(row+" textarea", chromedp.ByQuery),
		chromedp.WaitVisible(row+" .tm-match.exact button.tm-use", chromedp.ByQuery),
		htmxSettled(),
		chromedp.Click(row+" .tm-match.exact button.tm-use", chromedp.ByQuery),
		chromedp.Value(row+" textarea", &box, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.activeElement === document.querySelector("%s textarea")`, row), &focused),
	)
	if err != nil {
		t.Fatal(err)
	}
	if box != memory || !focused {
		t.Fatalf("after Use this the box reads %q (focused: %v), want %q in a focused box", box, focused, memory)
	}
	if cur, _ := articles.Segment(bg, g.ID); cur.Target != "" || cur.Version != g.Version {
		t.Fatalf("Use this saved at once: %q v%d", cur.Target, cur.Version)
	}
	err = chromedp.Run(ctx,
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl)),
		waitJS(fmt.Sprintf(`document.querySelector("%s").classList.contains("status-edited")`, row), 10*time.Second),
	)
	if err != nil {
		t.Fatalf("Ctrl+Enter did not save the memory text: %v", err)
	}
	if cur, _ := articles.Segment(bg, g.ID); cur.Target != memory || cur.Status != translate.StatusEdited {
		t.Errorf("stored %s %q, want edited %q", cur.Status, cur.Target, memory)
	}
}

// TestBrowser_SaveButtonKeepsTheKeyboardFlow: clicking Save moves to the next segment as
// Ctrl+Enter does, and a write that only swaps its row (Exclude) leaves the focus in that row
// instead of dropping it to the page body.
func TestBrowser_SaveButtonKeepsTheKeyboardFlow(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[0].ID)
	saved, next, boiler := segs[1], segs[2], segs[0]
	var afterSave, afterExclude string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", saved.ID), chromedp.ByQuery),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", saved.ID), " Saved by a click.", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf("#seg-%d button.save", saved.ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-edited")`, saved.ID), 10*time.Second),
		htmxSettled(),
		chromedp.Evaluate(`(() => { const a = document.activeElement; const f = a && a.closest("form.seg"); return f ? f.id + " " + a.tagName : a.tagName; })()`, &afterSave),
		chromedp.Click(fmt.Sprintf("#seg-%d button.exclude", boiler.ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-excluded")`, boiler.ID), 10*time.Second),
		htmxSettled(),
		chromedp.Evaluate(`(() => { const a = document.activeElement; const f = a && a.closest("form.seg"); return f ? f.id + " " + a.tagName + " " + a.textContent.trim() : a.tagName; })()`, &afterExclude),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("seg-%d TEXTAREA", next.ID); afterSave != want {
		t.Errorf("after clicking Save focus is on %q, want %q (the next segment's box)", afterSave, want)
	}
	if want := fmt.Sprintf("seg-%d BUTTON Include", boiler.ID); afterExclude != want {
		t.Errorf("after clicking Exclude focus is on %q, want %q", afterExclude, want)
	}
}

// TestBrowser_StaleApproveOffersTheirText: a reviewer who clicks Approve on a segment someone
// else has saved since, without having typed, is told so, sees their text in the box, gets no
// Keep mine (it would put stale machine text over the edit) and can approve their text.
func TestBrowser_StaleApproveOffersTheirText(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[0].ID)
	g := segs[len(segs)-1]
	row := fmt.Sprintf("#seg-%d", g.ID)
	const theirs = "Their edit, saved while this page was open."
	var notice, box string
	var keepMine bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
		chromedp.ActionFunc(func(context.Context) error {
			_, err := articles.SaveTarget(bg, g.ID, theirs, g.Version, "other")
			return err
		}),
		chromedp.Click(row+" button.approve", chromedp.ByQuery),
		chromedp.WaitVisible(row+" .conflict-box", chromedp.ByQuery),
		htmxSettled(),
		chromedp.Text(row+" .conflict-box", &notice, chromedp.ByQuery),
		chromedp.Value(row+" textarea", &box, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s button.keep-mine") !== null`, row), &keepMine),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "you had not edited it") || strings.Contains(notice, "Your text is still in the box") || keepMine || box != theirs {
		t.Fatalf("conflict view: notice %q, Keep mine shown %v, box %q; want their text and no Keep mine", notice, keepMine, box)
	}
	err = chromedp.Run(ctx,
		chromedp.Click(row+" button.approve-theirs", chromedp.ByQuery),
		waitJS(fmt.Sprintf(`(() => { const f = document.querySelector("%s"); return f.classList.contains("status-approved") && !f.querySelector(".conflict-box"); })()`, row), 10*time.Second),
	)
	if err != nil {
		t.Fatalf("Approve their text: %v", err)
	}
	cur, _ := articles.Segment(bg, g.ID)
	if cur.Status != translate.StatusApproved || cur.Target != theirs {
		t.Errorf("stored %s %q, want their text approved", cur.Status, cur.Target)
	}
}
