package web

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/tarjama/tarjama/translate/xliff"
)

// TestBrowser_SearchAndExportDownload searches the seed corpus, follows a hit to its row on
// the article page, and downloads the article as XLIFF with the page's export button.
func TestBrowser_SearchAndExportDownload(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	first := list[0]

	var href, hash string
	var marks int
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/search"),
		chromedp.WaitVisible(`input[name="q"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="q"]`, "واشنطن\n", chromedp.ByQuery),
		chromedp.WaitVisible("table.search-results", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("table.search-results td.src mark").length`, &marks),
		chromedp.AttributeValue("table.search-results tbody tr a", "href", &href, nil, chromedp.ByQuery),
		chromedp.Click("table.search-results tbody tr a", chromedp.ByQuery),
		chromedp.WaitVisible("#segments", chromedp.ByQuery),
		chromedp.Evaluate(`location.hash`, &hash),
	)
	if err != nil {
		t.Fatal(err)
	}
	if marks == 0 || !strings.HasPrefix(href, fmt.Sprintf("/articles/%d#seg-", first.ID)) || "#"+strings.SplitN(href, "#", 2)[1] != hash {
		t.Fatalf("search: %d marks, first link %q, landed on %q", marks, href, hash)
	}
	var row bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector(location.hash) !== null`, &row)); err != nil || !row {
		t.Fatalf("the article page has no row %s: %v", hash, err)
	}

	button := fmt.Sprintf(`a[href="/articles/%d/export?format=xliff"]`, first.ID)
	var hasButton bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q) !== null`, button), &hasButton)); err != nil {
		t.Fatal(err)
	}
	if !hasButton {
		t.Fatalf("the article page has no XLIFF download button %s", button)
	}
	dir := t.TempDir()
	done := make(chan string, 1)
	var suggested string
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			suggested = ev.SuggestedFilename
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				select {
				case done <- ev.GUID:
				default:
				}
			}
		}
	})
	if err := chromedp.Run(ctx,
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Click(button, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-ctx.Done():
		t.Fatal("the download did not finish")
	}
	data, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := xliff.Read(bytes.NewReader(data), "download.xlf")
	if err != nil || len(doc.Units) != first.Progress.Total {
		t.Fatalf("downloaded XLIFF: %v, %v", doc, err)
	}
	if want := fmt.Sprintf("tarjama-article-%d.ar-en.xlf", first.ID); suggested != want {
		t.Errorf("download named %q, want %q", suggested, want)
	}
}
