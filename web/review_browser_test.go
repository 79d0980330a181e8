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

// TestBrowser_ProgressFollowsReview: the counts at the top of the article move with every
// save, approval and exclusion, without a reload.
func TestBrowser_ProgressFollowsReview(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	a := list[2]
	segs, _ := articles.Segments(context.Background(), a.ID)
	count := func(class string) string {
		return fmt.Sprintf(`(document.querySelector("#article-progress .%s") || {textContent: "0"}).textContent`, class)
	}
	row := func(i int) string { return fmt.Sprintf("#seg-%d", segs[i].ID) }
	var edited, approved, excluded, done string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible(row(1)+" textarea", chromedp.ByQuery),
		waitJS(count("p-approved")+` === "0" && `+count("p-edited")+` === "0"`, 5*time.Second),
		chromedp.SendKeys(row(1)+" textarea", "Saved first.", chromedp.ByQuery),
		chromedp.Click(row(1)+" button.save", chromedp.ByQuery),
		waitJS(count("p-edited")+` === "1"`, 10*time.Second),
		// The saved row is in place (new version) before its Approve is clicked.
		waitJS(fmt.Sprintf(`document.querySelector("%s input[name=version]").value === "2"`, row(1)), 10*time.Second),
		htmxSettled(),
		chromedp.Click(row(1)+" button.approve", chromedp.ByQuery),
		waitJS(count("p-approved")+` === "1" && `+count("p-edited")+` === "0"`, 10*time.Second),
		chromedp.Click(row(0)+" button.exclude", chromedp.ByQuery),
		waitJS(count("p-excluded")+` === "1"`, 10*time.Second),
		chromedp.Evaluate(count("p-edited"), &edited),
		chromedp.Evaluate(count("p-approved"), &approved),
		chromedp.Evaluate(count("p-excluded"), &excluded),
		chromedp.AttributeValue("#article-progress progress", "value", &done, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := articles.Article(context.Background(), a.ID)
	if edited != "0" || approved != "1" || excluded != "1" || p.Progress.Approved != 1 || p.Progress.Excluded != 1 {
		t.Errorf("page counts edited %s approved %s excluded %s; stored %+v", edited, approved, excluded, p.Progress)
	}
	if done != fmt.Sprint(p.Progress.Done()) {
		t.Errorf("progress bar at %s, want %d", done, p.Progress.Done())
	}
}

// TestBrowser_ApproveButtonMovesToNextNeedingReview: clicking Approve focuses the next
// segment that still needs review, skipping one already approved.
func TestBrowser_ApproveButtonMovesToNextNeedingReview(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	a := list[4]
	segs, _ := articles.Segments(bg, a.ID)
	if len(segs) < 4 {
		t.Fatalf("article has %d segments, want at least 4", len(segs))
	}
	if _, err := articles.Approve(bg, segs[2].ID, "Already approved.", 1, "other"); err != nil {
		t.Fatal(err)
	}
	var active string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", segs[1].ID), chromedp.ByQuery),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", segs[1].ID), "Approved by a click.", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf("#seg-%d button.approve", segs[1].ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-approved")`, segs[1].ID), 10*time.Second),
		waitJS(`document.activeElement && document.activeElement.tagName === "TEXTAREA"`, 5*time.Second),
		chromedp.Evaluate(`document.activeElement.closest("form.seg").id`, &active),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("seg-%d", segs[3].ID); active != want {
		t.Errorf("after clicking Approve focus is on %q, want %s (the next needing review)", active, want)
	}
	got, _ := articles.Segment(bg, segs[1].ID)
	if got.Status != translate.StatusApproved || got.Target != "Approved by a click." {
		t.Errorf("stored %s %q", got.Status, got.Target)
	}
}
