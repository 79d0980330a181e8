package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/translate"
)

// TestBrowser_QAIgnoreThenApprove: a reviewer types a wrong number, sees it marked in both
// texts and listed; Approve is refused with the finding in the row and focus on its Ignore
// button; Ignore, then Approve, approves, and the history keeps the ignore.
func TestBrowser_QAIgnoreThenApprove(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	a, err := articles.CreateArticle(bg, "", attackText, "")
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := articles.Segments(bg, a.ID)
	g := segs[1]
	row := fmt.Sprintf("#seg-%d", g.ID)
	var srcMark, tgtMark, described, focused, afterIgnore string
	var inBox bool
	var visibleQA int
	err = chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
		chromedp.SendKeys(row+" textarea", wrong71Eng, chromedp.ByQuery),
		// The check runs as one types (debounced) and marks the number in both texts.
		waitJS(fmt.Sprintf(`(document.querySelector("%s .src mark.qa-mark.qa-error") || {}).textContent === "١٧"`, row), 10*time.Second),
		waitJS(fmt.Sprintf(`(document.querySelector("%s .tgt-marks mark.qa-mark") || {}).textContent === "71"`, row), 5*time.Second),
		chromedp.Text(row+" .src mark.qa-mark", &srcMark, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s .tgt-marks mark.qa-mark").textContent`, row), &tgtMark),
		// The Arabic mark is reachable by keyboard and described by the finding's message.
		chromedp.Evaluate(fmt.Sprintf(`(function () {
			var m = document.querySelector("%s .src mark.qa-mark");
			return m.tabIndex === 0 ? document.getElementById(m.getAttribute("aria-describedby")).querySelector(".qa-msg").textContent : "";
		})()`, row), &described),
		// The English's mark lies over the number in the editor.
		chromedp.Evaluate(fmt.Sprintf(`(function () {
			var m = document.querySelector("%[1]s .tgt-marks mark.qa-mark").getBoundingClientRect();
			var ta = document.querySelector("%[1]s textarea").getBoundingClientRect();
			return m.width > 0 && m.left >= ta.left && m.right <= ta.left + ta.width / 2 && m.top >= ta.top && m.bottom <= ta.bottom;
		})()`, row), &inBox),
		// The row is among the QA issues.
		chromedp.Click(`button.filter[data-filter="qa"]`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("form.seg")).filter(f => f.offsetParent !== null).length`, &visibleQA),
		chromedp.Click(`button.filter[data-filter="all"]`, chromedp.ByQuery),

		chromedp.Click(row+" button.approve", chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("%s").classList.contains("qa-refused")`, row), 10*time.Second),
		waitJS(`document.activeElement && document.activeElement.classList.contains("qa-ignore")`, 5*time.Second),
		chromedp.Evaluate(`document.activeElement.textContent + ": " + document.getElementById(document.activeElement.getAttribute("aria-describedby")).querySelector(".qa-msg").textContent`, &focused),
	)
	if err != nil {
		t.Fatal(err)
	}
	if srcMark != "١٧" || tgtMark != "71" || described != wrong71 || !inBox {
		t.Errorf("marks: Arabic %q, English %q, described by %q, over the number in the box %v", srcMark, tgtMark, described, inBox)
	}
	if visibleQA != 1 {
		t.Errorf("QA issues filter shows %d rows, want the one with the finding", visibleQA)
	}
	if focused != "Ignore: "+wrong71 {
		t.Errorf("after the refusal focus is on %q, want the finding's Ignore", focused)
	}
	if cur, _ := articles.Segment(bg, g.ID); cur.Status == translate.StatusApproved || cur.Target != "" {
		t.Fatalf("the refused approval stored %s %q", cur.Status, cur.Target)
	}

	err = chromedp.Run(ctx,
		chromedp.Click(row+" button.qa-ignore", chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("%s li.qa-finding.qa-ignored") !== null`, row), 10*time.Second),
		waitJS(`document.activeElement && document.activeElement.classList.contains("approve")`, 5*time.Second),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s").className`, row), &afterIgnore),
		chromedp.Click(row+" button.approve", chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("%s").classList.contains("status-approved")`, row), 10*time.Second),
	)
	if err != nil {
		t.Fatal(err)
	}
	if cls := strings.Fields(afterIgnore); len(cls) == 0 || slices.Contains(cls, "qa-refused") || slices.Contains(cls, "qa-open") {
		t.Errorf("row classes after the ignore = %q; want it out of the refused state and the QA issues", afterIgnore)
	}
	cur, _ := articles.Segment(bg, g.ID)
	if cur.Status != translate.StatusApproved || cur.Target != wrong71Eng {
		t.Fatalf("stored %s %q, want the typed text approved", cur.Status, cur.Target)
	}
	revs, _ := articles.Revisions(bg, g.ID)
	kinds := ""
	for _, r := range revs {
		kinds += r.Kind + " "
	}
	if kinds != "ignore approve " {
		t.Errorf("revisions = %q, want the ignore, then the approval", kinds)
	}
}
