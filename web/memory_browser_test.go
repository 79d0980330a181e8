package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"
)

// TestBrowser_MemoryPage: an admin reaches the memory page from the header, uploads a TMX
// file in a code page with a unit in other languages, reads the preview (the tab of a segment
// shown as it is, the refused unit with its line) and imports it with the preview's button.
func TestBrowser_MemoryPage(t *testing.T) {
	ctx := newBrowser(t)
	srv, _ := newSeededServer(t)
	data, err := charmap.Windows1256.NewEncoder().Bytes([]byte(memoryTMX))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "desk.tmx")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after, flash, errText string
	var preview struct {
		Confirm, Counts, Refused, WhiteSpace, Arabic string
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Click(`header nav a[href="/memory"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#memory-count", chromedp.ByQuery),
		chromedp.Text("#memory-count", &before, chromedp.ByQuery),
		previewImport(file),
		chromedp.Evaluate(`(() => {
			const seg = [...document.querySelectorAll("#import-report td.ar.seg")].find(td => td.textContent.includes("الضمانات"));
			return {Confirm: document.getElementById("import-confirm").textContent.trim(),
				Counts: document.querySelector(".import-counts").textContent.replace(/\s+/g, " ").trim(),
				Refused: document.getElementById("refused-units").textContent.trim(),
				WhiteSpace: getComputedStyle(seg).whiteSpace, Arabic: seg.textContent};
		})()`, &preview),
	)
	if err != nil {
		t.Fatalf("previewing the import: %v", err)
	}
	if preview.Confirm != "Import the 2 good units" || preview.Counts != "2 to add 0 to update 0 unchanged 1 refused" ||
		preview.Refused != `line 13 <tu tuid="french">: no Arabic and no English variant (languages fr, de)` ||
		preview.WhiteSpace != "pre-wrap" || preview.Arabic != "الضمانات\tالأمنية <ضرورية>." {
		t.Errorf("preview: %+v", preview)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#import-confirm", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Text("p.flash", &flash, chromedp.ByQuery),
		chromedp.Text("#memory-count", &after, chromedp.ByQuery),
		chromedp.Evaluate(shownError, &errText),
	)
	if err != nil {
		t.Fatalf("confirming the import: %v", err)
	}
	if flash != "Imported desk.tmx: 2 added, 0 updated, 0 unchanged, 1 refused units left out." || errText != "" || before != "0" || after != "2" {
		t.Errorf("after the import: flash %q, error %q, count %s → %s", flash, errText, before, after)
	}
}
