package web

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_GlossaryUndoReplaceImport: a replace import of the wrong file through the
// glossary page of a seeded workbench, then its undo from the page's recent imports: every
// term is back as it was, under its id, and a term's History shows the import and the undo,
// field by field, and closes.
func TestBrowser_GlossaryUndoReplaceImport(t *testing.T) {
	ctx := newBrowser(t)
	srv, _ := newSeededServer(t)
	file := filepath.Join(t.TempDir(), "wrong.csv")
	if err := os.WriteFile(file, []byte("arabic,english\nروسيا,the Russian Federation\nكازاخستان,Kazakhstan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := apiTerms(t, srv.URL)
	if len(before) < 50 {
		t.Fatalf("the seed glossary has %d terms", len(before))
	}

	var flash, errText string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/glossary"),
		chromedp.WaitVisible("#term-search", chromedp.ByQuery),
		chromedp.SetValue(`.import-form select[name="mode"]`, "replace", chromedp.ByQuery),
		previewImport(file),
		chromedp.Click("#import-confirm", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Text("p.flash", &flash, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("importing in replace mode: %v", err)
	}
	if !strings.Contains(flash, "in replace mode") || !strings.Contains(flash, "removed") {
		t.Fatalf("after the import: %q", flash)
	}
	if after := apiTerms(t, srv.URL); len(after) != 2 {
		t.Fatalf("%d terms after replacing the glossary with a file of 2", len(after))
	}

	var row string
	err = chromedp.Run(ctx,
		chromedp.Click("#recent-imports > summary", chromedp.ByQuery),
		chromedp.WaitVisible("#recent-imports tbody tr:first-child button.undo", chromedp.ByQuery),
		chromedp.Text("#recent-imports tbody tr:first-child", &row, chromedp.ByQuery),
		chromedp.Evaluate(`window.confirm = () => true`, nil), // answer the form's question
		chromedp.Click("#recent-imports tbody tr:first-child button.undo", chromedp.ByQuery),
		waitJS(`document.querySelector("p.flash") && document.querySelector("p.flash").textContent.includes("Undid")`, 15*time.Second),
		chromedp.Text("p.flash", &flash, chromedp.ByQuery),
		chromedp.Evaluate(shownError, &errText),
	)
	if err != nil {
		t.Fatalf("undoing the import: %v", err)
	}
	if !strings.Contains(row, "wrong.csv") || !strings.Contains(row, "replace") {
		t.Errorf("the newest import listed: %q", row)
	}
	if !strings.HasPrefix(flash, "Undid import 2 (wrong.csv): 1 added term deleted, 1 term restored, ") ||
		!strings.HasSuffix(flash, " removed terms back.") || errText != "" {
		t.Errorf("after the undo: flash %q, error box %q", flash, errText)
	}
	if after := apiTerms(t, srv.URL); !reflect.DeepEqual(after, before) {
		t.Errorf("after the undo %d terms, want the %d from before the import, as they were", len(after), len(before))
	}

	var russia int64
	for id, term := range before {
		if term.Arabic == "روسيا" {
			russia = id
		}
	}
	button := fmt.Sprintf("#term-%d button.history", russia)
	var history string
	var open, closed int
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/glossary?q=روسيا"),
		chromedp.WaitVisible(button, chromedp.ByQuery),
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf("#term-history-%d", russia), chromedp.ByQuery),
		chromedp.Text(fmt.Sprintf("#term-history-%d", russia), &history, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("tr.term-history").length`, &open),
		chromedp.Click("tr.term-history button.close-history", chromedp.ByQuery),
		waitJS(`document.querySelectorAll("tr.term-history").length === 0`, 15*time.Second),
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitVisible("tr.term-history", chromedp.ByQuery),
		chromedp.Click(button, chromedp.ByQuery), // the same button closes it
		waitJS(`document.querySelectorAll("tr.term-history").length === 0`, 15*time.Second),
		chromedp.Evaluate(`document.querySelectorAll("tr.term-history").length`, &closed),
	)
	if err != nil {
		t.Fatalf("the term's history: %v", err)
	}
	for _, want := range []string{"Restored by ", "undoing import 2 (wrong.csv)", "Updated by ", "with import 2 (wrong.csv)",
		"English", "the Russian Federation", "Russia"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q:\n%s", want, history)
		}
	}
	if open != 1 || closed != 0 {
		t.Errorf("%d history rows open, %d after closing", open, closed)
	}
}
