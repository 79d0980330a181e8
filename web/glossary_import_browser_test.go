package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_GlossaryImportWithARefusedRow imports, through the glossary page of a seeded
// workbench, a file with one refused row (a spelling of Antony Blinken with another English):
// the preview shows what every row has now, offers to import the good rows and says the
// refused one stays out; the button works, and the glossary gets the good rows only.
func TestBrowser_GlossaryImportWithARefusedRow(t *testing.T) {
	ctx := newBrowser(t)
	srv, _ := newSeededServer(t)
	file := filepath.Join(t.TempDir(), "newsroom.csv")
	err := os.WriteFile(file, []byte("arabic,english,note\n"+
		"كازاخستان,Kazakhstan,Central Asian state\n"+ // new
		"سيرغي ريابكوف,Sergei Ryabkov,\n"+ // the seed's variant of Sergei Ryabkov: unchanged
		"أنتوني بلينكين,Tony Blinken,\n"), 0o644) // the seed's variant of Antony Blinken, another English: refused
	if err != nil {
		t.Fatal(err)
	}
	before := apiTerms(t, srv.URL)

	var preview struct {
		Confirm, LeftOut, Counts string
		Now                      map[string]string // Arabic → the row's "Now" cell
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/glossary"),
		chromedp.WaitVisible("#term-search", chromedp.ByQuery),
		chromedp.Click("details.import-csv > summary", chromedp.ByQuery),
		chromedp.WaitVisible(`.import-form input[name="file"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`.import-form input[name="file"]`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`.import-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#import-confirm", chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const now = {};
			document.querySelectorAll("#import-report table.change-list tbody tr").forEach(r => {
				now[r.querySelector("td.ar").textContent.trim()] = r.querySelector("td.now").textContent.trim();
			});
			return {Confirm: document.getElementById("import-confirm").textContent.trim(),
				LeftOut: document.getElementById("import-left-out").textContent.trim(),
				Counts: document.querySelector(".import-counts").textContent.replace(/\s+/g, " ").trim(), Now: now};
		})()`, &preview),
	)
	if err != nil {
		t.Fatalf("previewing the import: %v", err)
	}
	if preview.Confirm != "Import the 2 good rows" || !strings.HasPrefix(preview.LeftOut, "The refused row stays out") ||
		!strings.Contains(preview.Counts, "1 to add") || !strings.Contains(preview.Counts, "1 conflicting, refused") {
		t.Errorf("preview: button %q, %q, counts %q", preview.Confirm, preview.LeftOut, preview.Counts)
	}
	for ar, want := range map[string]string{"كازاخستان": "not in the glossary", "سيرغي ريابكوف": "Sergei Ryabkov", "أنتوني بلينكين": "Antony Blinken"} {
		if preview.Now[ar] != want {
			t.Errorf("the preview's Now for %s is %q, want %q (all: %v)", ar, preview.Now[ar], want, preview.Now)
		}
	}

	var flash, errText string
	err = chromedp.Run(ctx,
		chromedp.Click("#import-confirm", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Text("p.flash", &flash, chromedp.ByQuery),
		chromedp.Evaluate(shownError, &errText),
	)
	if err != nil {
		t.Fatalf("confirming the import: %v", err)
	}
	if !strings.Contains(flash, "1 added") || !strings.Contains(flash, "1 conflicting rows left out") || errText != "" {
		t.Errorf("after the import: flash %q, error box %q", flash, errText)
	}
	after := apiTerms(t, srv.URL)
	if len(after) != len(before)+1 {
		t.Errorf("%d terms after the import, want %d", len(after), len(before)+1)
	}
	for _, term := range after {
		if term.English == "Tony Blinken" {
			t.Errorf("the refused row was imported: %+v", term)
		}
	}
}
