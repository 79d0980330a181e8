package web

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_ArticlePageImportsXLIFF: on the article page a reviewer chooses an XLIFF export
// translated in another tool, sees the preview, confirms, and finds the English in place.
func TestBrowser_ArticlePageImportsXLIFF(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	resp, err := http.Get(srv.URL + "/articles/2/export?format=xliff")
	if err != nil {
		t.Fatal(err)
	}
	export, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The translator translates the first segment and signs it off.
	first := regexp.MustCompile(`(?s)(<segment state=")initial(" subState="tarjama:untranslated">\s*<source>[^<]*</source>)`)
	loc := first.FindIndex(export)
	if loc == nil {
		t.Fatalf("no untranslated segment in the export:\n%s", export)
	}
	back := string(export[:loc[0]]) + first.ReplaceAllString(string(export[loc[0]:loc[1]]), `${1}final${2}<target>The headline in English</target>`) + string(export[loc[1]:])
	file := filepath.Join(t.TempDir(), "article-2.xlf")
	if err := os.WriteFile(file, []byte(back), 0o600); err != nil {
		t.Fatal(err)
	}

	var counts, flash, english string
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/articles/2"),
		chromedp.Click(`details.xliff-import summary`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#xliff-file`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`#xliff-preview`, chromedp.ByQuery),
		waitJS(`!!document.getElementById("import-confirm")`, 15*time.Second),
		chromedp.Text(`.import-counts`, &counts, chromedp.ByQuery),
		chromedp.Click(`#import-confirm`, chromedp.ByQuery),
		waitJS(`!!document.querySelector(".flash")`, 15*time.Second),
		chromedp.Text(`.flash`, &flash, chromedp.ByQuery),
		chromedp.Value(`.seg textarea[name="target"]`, &english, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(counts, "1 to update") || !strings.Contains(counts, "0 conflicting") {
		t.Errorf("preview counts = %q", counts)
	}
	if !strings.Contains(flash, "Imported article-2.xlf: 1 segment updated") || english != "The headline in English" {
		t.Errorf("after the import: flash %q, first segment %q", flash, english)
	}
	segs, err := articles.Segments(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if segs[0].Status != "approved" || segs[0].Origin != "xliff" {
		t.Errorf("segment 1 = %+v", segs[0])
	}
}
