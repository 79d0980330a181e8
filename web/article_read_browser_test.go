package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_ReadingView: the reading view of seed article 2 shows the Arabic (right to
// left) beside the English on a wide screen, one above the other at 390 px without scrolling
// sideways, and loads without a console error (its style sheet passes the CSP).
func TestBrowser_ReadingView(t *testing.T) {
	ctx := newBrowser(t)
	errs := listenConsoleErrors(ctx)
	srv, _ := newSeededServer(t)
	var beside, stacked, fits bool
	var dir string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1200, 900),
		chromedp.Navigate(srv.URL+"/articles/2/read"),
		chromedp.WaitVisible(".reading-para", chromedp.ByQuery),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".reading-ar")).direction`, &dir),
		chromedp.Evaluate(`(() => { const p = document.querySelectorAll(".reading-para")[2];
			const a = p.querySelector(".reading-ar").getBoundingClientRect(), e = p.querySelector(".reading-en").getBoundingClientRect();
			return a.right <= e.left && Math.abs(a.top - e.top) < 2; })()`, &beside),
		chromedp.EmulateViewport(390, 800),
		chromedp.Navigate(srv.URL+"/articles/2/read"),
		chromedp.WaitVisible(".reading-para", chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const p = document.querySelectorAll(".reading-para")[2];
			return p.querySelector(".reading-ar").getBoundingClientRect().bottom <= p.querySelector(".reading-en").getBoundingClientRect().top; })()`, &stacked),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`, &fits),
	); err != nil {
		t.Fatal(err)
	}
	if dir != "rtl" || !beside {
		t.Errorf("wide screen: Arabic direction %q, columns beside each other: %v", dir, beside)
	}
	if !stacked || !fits {
		t.Errorf("390 px: columns stacked %v, page fits the width %v", stacked, fits)
	}
	if got := errs.take(); len(got) != 0 {
		t.Errorf("console errors:\n%s", strings.Join(got, "\n"))
	}
}
