package web

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/glossary"
)

// poll waits until the JavaScript expression is true, without sleeping a fixed time.
func poll(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

// shownError is the page's error box text, empty when it is hidden.
const shownError = `(() => { const b = document.getElementById("errors"); return b.hidden ? "" : b.textContent; })()`

// apiTerms lists the whole glossary through the API, keyed by id.
func apiTerms(t *testing.T, base string) map[int64]glossary.Term {
	t.Helper()
	resp, err := http.Get(base + "/api/glossary?limit=500")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Terms []glossary.Term }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	m := make(map[int64]glossary.Term, len(out.Terms))
	for _, term := range out.Terms {
		m[term.ID] = term
	}
	return m
}

func TestBrowser_GlossaryPage(t *testing.T) {
	ctx := newBrowser(t)
	srv, _ := newSeededServer(t)
	seeded := len(apiTerms(t, srv.URL))

	var rows int
	var errText string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/glossary"),
		chromedp.WaitVisible("#term-search", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#terms-body tr.term").length`, &rows),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rows != min(seeded, termsPerPage) {
		t.Errorf("glossary page lists %d terms, want %d", rows, min(seeded, termsPerPage))
	}

	// Search: typing narrows the list in place (htmx) to the Ryabkov entries.
	err = chromedp.Run(ctx,
		chromedp.SendKeys(`#term-search input[name="q"]`, "ريابكوف", chromedp.ByQuery),
		poll(`(() => {
			const rows = [...document.querySelectorAll("#terms-body tr.term")];
			return rows.length > 0 && rows.length < `+strconv.Itoa(rows)+` && rows.every(r => r.textContent.includes("Ryabkov"));
		})()`),
		poll(`location.search.includes("q=")`),
	)
	if err != nil {
		t.Fatalf("search did not narrow the list to Ryabkov: %v", err)
	}

	// Add a term through the form; it shows up in the list and the form is ready for the next.
	var status, arabicLeft string
	err = chromedp.Run(ctx,
		chromedp.SetValue(`#add-term input[name="arabic"]`, "كازاخستان", chromedp.ByQuery),
		chromedp.SetValue(`#add-term input[name="english"]`, "Kazakhstan", chromedp.ByQuery),
		chromedp.SetValue(`#add-term select[name="type"]`, "name", chromedp.ByQuery),
		chromedp.SetValue(`#add-term textarea[name="note"]`, "Central Asian state; <b>not</b> markup", chromedp.ByQuery),
		chromedp.Click(`#add-term button[type="submit"]`, chromedp.ByQuery),
		poll(`[...document.querySelectorAll("#terms-body tr.term")].some(r => r.textContent.includes("Kazakhstan") && r.textContent.includes("كازاخستان"))`),
		poll(`document.querySelector('#add-term input[name="arabic"]').value === ""`),
		chromedp.Text("#glossary-status", &status, chromedp.ByQuery),
		chromedp.Value(`#add-term input[name="arabic"]`, &arabicLeft, chromedp.ByQuery),
		chromedp.Evaluate(shownError, &errText),
	)
	if err != nil {
		t.Fatalf("adding a term through the form: %v", err)
	}
	if !strings.Contains(status, "Kazakhstan") || arabicLeft != "" || errText != "" {
		t.Errorf("after adding: status %q, arabic box %q, error %q", status, arabicLeft, errText)
	}

	// The same Arabic again is refused with a visible message, and the form keeps its text.
	var kept string
	err = chromedp.Run(ctx,
		chromedp.SetValue(`#add-term input[name="arabic"]`, "كازاخستان", chromedp.ByQuery),
		chromedp.SetValue(`#add-term input[name="english"]`, "Qazaqstan", chromedp.ByQuery),
		chromedp.Click(`#add-term button[type="submit"]`, chromedp.ByQuery),
		poll(`!document.getElementById("errors").hidden`),
		chromedp.Evaluate(shownError, &errText),
		chromedp.Value(`#add-term input[name="english"]`, &kept, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errText, "already in the glossary") || kept != "Qazaqstan" {
		t.Errorf("duplicate add: error %q, English box %q", errText, kept)
	}

	// Edit in place: the row turns into a form and back into the saved row.
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`[...document.querySelectorAll("#terms-body tr.term")].find(r => r.textContent.includes("Kazakhstan")).querySelector("button.edit").click()`, nil),
		chromedp.WaitVisible(`tr.editing input[name="english"]`, chromedp.ByQuery),
		chromedp.SetValue(`tr.editing input[name="english"]`, "Republic of Kazakhstan", chromedp.ByQuery),
		chromedp.Click(`tr.editing button[type="submit"]`, chromedp.ByQuery),
		poll(`!document.querySelector("tr.editing") && [...document.querySelectorAll("#terms-body tr.term")].some(r => r.textContent.includes("Republic of Kazakhstan"))`),
	)
	if err != nil {
		t.Fatalf("editing in place: %v", err)
	}
	found := false
	for _, term := range apiTerms(t, srv.URL) {
		found = found || term.Arabic == "كازاخستان" && term.English == "Republic of Kazakhstan" && term.Type == glossary.TypeName
	}
	if !found {
		t.Error("the edited term is not stored")
	}

	// A refused save is reported in the row, announced, next to the field it names, which
	// keeps the focus; the error box at the top of the page stays hidden.
	var rowErr struct {
		Text, Role, Focused, Invalid string
		InView, TopShown             bool
	}
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`[...document.querySelectorAll("#terms-body tr.term")].find(r => r.textContent.includes("Kazakhstan")).querySelector("button.edit").click()`, nil),
		chromedp.WaitVisible(`tr.editing input[name="english"]`, chromedp.ByQuery),
		chromedp.SetValue(`tr.editing input[name="english"]`, "   ", chromedp.ByQuery),
		chromedp.Click(`tr.editing button[type="submit"]`, chromedp.ByQuery),
		poll(`!!document.querySelector("tr.editing .row-error")`),
		chromedp.Evaluate(`(() => {
			const box = document.querySelector("tr.editing .row-error"), r = box.getBoundingClientRect();
			const f = document.activeElement;
			return {Text: box.textContent, Role: box.getAttribute("role"), Focused: f.name || f.tagName,
				Invalid: f.getAttribute("aria-invalid") || "", InView: r.top >= 0 && r.bottom <= innerHeight,
				TopShown: !document.getElementById("errors").hidden};
		})()`, &rowErr),
		chromedp.Click(`tr.editing button[hx-get]`, chromedp.ByQuery), // Cancel
		poll(`!document.querySelector("tr.editing")`),
	)
	if err != nil {
		t.Fatalf("saving an empty English: %v", err)
	}
	if !strings.Contains(rowErr.Text, "english: required") || rowErr.Role != "alert" || rowErr.Focused != "english" ||
		rowErr.Invalid != "true" || !rowErr.InView || rowErr.TopShown {
		t.Errorf("the refused save is shown as %+v; want the message in the row (role alert, in view), focus on the English, top box hidden", rowErr)
	}

	// A delete takes the row away, recounts the list and says what was deleted.
	var summary, deleted string
	var left int
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/glossary?q=كازاخستان"),
		chromedp.WaitVisible("#terms-body tr.term", chromedp.ByQuery),
		chromedp.Text("#list-summary", &summary, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(summary, "Terms 1–1 of 1") {
		t.Fatalf("before the delete the list says %q", summary)
	}
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`window.confirm = () => true`, nil), // answer hx-confirm's question
		chromedp.Click("#terms-body tr.term button.delete", chromedp.ByQuery),
		poll(`document.getElementById("glossary-status").textContent.includes("Deleted")`),
		chromedp.Text("#list-summary", &summary, chromedp.ByQuery),
		chromedp.Text("#glossary-status", &deleted, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#terms-body tr.term").length`, &left),
	)
	if err != nil {
		t.Fatalf("deleting: %v", err)
	}
	if want := "No terms match for “كازاخستان”."; summary != want || left != 0 {
		t.Errorf("after the delete the list says %q with %d rows; want %q and none", summary, left, want)
	}
	if want := "Deleted «كازاخستان» → Republic of Kazakhstan."; deleted != want {
		t.Errorf("status after the delete = %q, want %q", deleted, want)
	}
}

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
		previewImport(file),
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
