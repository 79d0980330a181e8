package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tarjama/tarjama/translate"
)

func TestBrowser_ApproveAndNextFiltersExclude(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	a := list[3]
	segs, _ := articles.Segments(context.Background(), a.ID)
	first, next, boiler := segs[1], segs[2], segs[0]

	var active string
	var visibleApproved, visibleAll int
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", first.ID), chromedp.ByQuery),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", first.ID), "Approved at once.", chromedp.ByQuery),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl, input.ModifierShift)),
		waitJS(fmt.Sprintf(`document.activeElement && document.activeElement.closest("#seg-%d") !== null`, next.ID), 10*time.Second),
		chromedp.Evaluate(`document.activeElement.closest("form.seg").id`, &active),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-approved")`, first.ID), 5*time.Second),
		// Filters hide rows without a reload.
		chromedp.Click(`button.filter[data-filter="approved"]`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("form.seg")).filter(f => f.offsetParent !== null).length`, &visibleApproved),
		chromedp.Click(`button.filter[data-filter="all"]`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("form.seg")).filter(f => f.offsetParent !== null).length`, &visibleAll),
		// The site-name title line is boilerplate: exclude it.
		chromedp.Click(fmt.Sprintf("#seg-%d button.exclude", boiler.ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-excluded")`, boiler.ID), 5*time.Second),
	)
	if err != nil {
		t.Fatal(err)
	}
	if active != fmt.Sprintf("seg-%d", next.ID) {
		t.Errorf("after Ctrl+Shift+Enter focus is on %q, want seg-%d", active, next.ID)
	}
	if visibleApproved != 1 || visibleAll != len(segs) {
		t.Errorf("approved filter shows %d rows (want 1), all shows %d (want %d)", visibleApproved, visibleAll, len(segs))
	}
	got, _ := articles.Segment(context.Background(), first.ID)
	if got.Status != translate.StatusApproved || got.Target != "Approved at once." {
		t.Errorf("approved segment stored as %s %q", got.Status, got.Target)
	}
	ex, _ := articles.Segment(context.Background(), boiler.ID)
	if ex.Status != translate.StatusExcluded {
		t.Errorf("excluded segment stored as %s", ex.Status)
	}
}
