package web

import (
	"encoding/json"
	"net/http"
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
