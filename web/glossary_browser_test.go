package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
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

func TestBrowser_TermTooltipOnFocus(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	terms := apiTerms(t, srv.URL)

	var before, after, tip, termID string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible(".src mark.term", chromedp.ByQuery),
		chromedp.AttributeValue(".src mark.term", "data-term", &termID, nil, chromedp.ByQuery),
		chromedp.AttributeValue(".src mark.term", "data-tip", &tip, nil, chromedp.ByQuery),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".src mark.term"), "::after").content`, &before),
		// Headless Chromium has no focused window; without emulation :focus never matches.
		chromedp.ActionFunc(func(ctx context.Context) error { return emulation.SetFocusEmulationEnabled(true).Do(ctx) }),
		chromedp.Focus(".src mark.term", chromedp.ByQuery),
		poll(`getComputedStyle(document.querySelector(".src mark.term"), "::after").content.length > 6`),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".src mark.term"), "::after").content`, &after),
	)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(termID, 10, 64)
	term, ok := terms[id]
	if !ok {
		t.Fatalf("highlighted term %q is not in the glossary", termID)
	}
	if before != "none" && before != "normal" {
		t.Errorf("tooltip shown before focus: %q", before)
	}
	if !strings.Contains(after, term.English) || (term.Note != "" && !strings.Contains(after, term.Note)) {
		t.Errorf("focused tooltip = %q; want the English %q and the note %q", after, term.English, term.Note)
	}
	if want, _ := json.Marshal(tip); after != string(want) {
		t.Errorf("tooltip %q is not the mark's data-tip %q", after, tip)
	}

	// A screen reader gets the same text as the mark's accessible description, and the hidden
	// description does not leak into the cell's visible or selected text.
	var marks []*cdp.Node
	var ax []*accessibility.Node
	var cellText, selected string
	err = chromedp.Run(ctx,
		chromedp.Nodes(".src mark.term", &marks, chromedp.ByQuery),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			ax, err = accessibility.GetPartialAXTree().WithBackendNodeID(marks[0].BackendNodeID).WithFetchRelatives(false).Do(ctx)
			return err
		}),
		chromedp.Evaluate(`document.querySelector(".src mark.term").closest(".src").innerText`, &cellText),
		chromedp.Evaluate(`(() => { const c = document.querySelector(".src mark.term").closest(".src");
			const r = document.createRange(); r.selectNodeContents(c);
			const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); })()`, &selected),
	)
	if err != nil {
		t.Fatal(err)
	}
	var desc string
	for _, n := range ax {
		if n.Description != nil {
			if err := json.Unmarshal(n.Description.Value, &desc); err != nil {
				t.Fatalf("description %s: %v", n.Description.Value, err)
			}
			break
		}
	}
	if desc != tip {
		t.Errorf("accessible description of the highlight = %q, want the tooltip %q", desc, tip)
	}
	if strings.Contains(cellText, term.English) || strings.Contains(selected, term.English) {
		t.Errorf("the description shows in the source cell: innerText %q, selection %q", cellText, selected)
	}
}

func TestBrowser_AddTermFromSelection(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	before := len(apiTerms(t, srv.URL))

	// pick finds a plain (unhighlighted) Arabic word of five letters or more in a source cell.
	const pick = `(() => {
		for (const cell of document.querySelectorAll("form.seg .src")) {
			for (const node of cell.childNodes) {
				if (node.nodeType !== Node.TEXT_NODE) continue;
				const m = node.data.match(/(^|[^\u0621-\u064A])([\u0621-\u064A]{5,})(?=$|[^\u0621-\u064A])/);
				if (m) return {seg: cell.closest("form.seg").id, word: m[2]};
			}
		}
		return null;
	})()`
	var target struct{ Seg, Word string }
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible("form.seg .src", chromedp.ByQuery),
		chromedp.Evaluate(pick, &target),
	)
	if err != nil || target.Word == "" {
		t.Fatalf("no plain word to select: %+v %v", target, err)
	}
	wordJS, _ := json.Marshal(target.Word)
	// selectWord selects the first occurrence of the word in the cell, as a reader's drag would.
	selectWord := fmt.Sprintf(`(() => {
		const cell = document.querySelector("#%s .src"), word = %s;
		const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			const i = n.data.indexOf(word);
			if (i < 0) continue;
			const r = document.createRange();
			r.setStart(n, i); r.setEnd(n, i + word.length);
			const s = getSelection(); s.removeAllRanges(); s.addRange(r);
			return true;
		}
		return false;
	})()`, target.Seg, wordJS)
	highlighted := fmt.Sprintf(`[...document.querySelectorAll("#%s .src mark.term")].some(m => m.textContent === %s)`, target.Seg, wordJS)

	var unsaved = "my unsaved English"
	var msg, errText, kept string
	err = chromedp.Run(ctx,
		// English typed but not saved must survive the highlight refresh.
		chromedp.SetValue(fmt.Sprintf("#%s textarea", target.Seg), unsaved, chromedp.ByQuery),
		chromedp.Evaluate(selectWord, nil),
		chromedp.WaitVisible(".gl-pop .gl-offer", chromedp.ByQuery),
		chromedp.Click(".gl-pop .gl-offer", chromedp.ByQuery),
		chromedp.WaitVisible(`.gl-pop input[name="english"]`, chromedp.ByQuery),
		poll(`document.querySelector('.gl-pop input[name="arabic"]').value === `+string(wordJS)),
		chromedp.SendKeys(`.gl-pop input[name="english"]`, "test rendering", chromedp.ByQuery),
		chromedp.Click(".gl-pop .gl-submit", chromedp.ByQuery),
		poll(highlighted),
		poll(`document.querySelector(".gl-pop .gl-msg").textContent.includes("on this page")`),
		chromedp.Text(".gl-pop .gl-msg", &msg, chromedp.ByQuery),
		chromedp.Value(fmt.Sprintf("#%s textarea", target.Seg), &kept, chromedp.ByQuery),
		chromedp.Evaluate(shownError, &errText),
	)
	if err != nil {
		t.Fatalf("adding the selection as a term: %v", err)
	}
	if !strings.Contains(msg, "test rendering") || errText != "" || kept != unsaved {
		t.Errorf("after adding: message %q, error %q, unsaved English %q", msg, errText, kept)
	}
	if n := len(apiTerms(t, srv.URL)); n != before+1 {
		t.Errorf("glossary has %d terms, want %d", n, before+1)
	}

	// Adding the same text again is refused, and the popover says so.
	err = chromedp.Run(ctx,
		chromedp.Click(".gl-pop .gl-submit", chromedp.ByQuery), // "Close"
		poll(`document.querySelector(".gl-pop").hidden`),
		chromedp.Evaluate(selectWord, nil),
		chromedp.WaitVisible(".gl-pop .gl-offer", chromedp.ByQuery),
		chromedp.Click(".gl-pop .gl-offer", chromedp.ByQuery),
		chromedp.WaitVisible(`.gl-pop input[name="english"]`, chromedp.ByQuery),
		chromedp.SendKeys(`.gl-pop input[name="english"]`, "again", chromedp.ByQuery),
		chromedp.Click(".gl-pop .gl-submit", chromedp.ByQuery),
		poll(`document.querySelector(".gl-pop .gl-msg").classList.contains("error")`),
		chromedp.Text(".gl-pop .gl-msg", &msg, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "lready in the glossary") {
		t.Errorf("duplicate from the page: message %q", msg)
	}

	// After a reload the new term is still highlighted.
	err = chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible("form.seg .src", chromedp.ByQuery),
		poll(highlighted),
	)
	if err != nil {
		t.Fatalf("the new term is not highlighted after a reload: %v", err)
	}
}

// TestBrowser_NoAddTermForReviewers: a reviewer, who may not add terms, is not offered
// "Add to glossary" when selecting Arabic on the article page.
func TestBrowser_NoAddTermForReviewers(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededAuthServer(t)
	list, _ := articles.Articles(context.Background())

	// selectArabic selects the first Arabic word of five letters or more in a source cell.
	const selectArabic = `(() => {
		for (const cell of document.querySelectorAll("form.seg .src")) {
			const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
			for (let n = walk.nextNode(); n; n = walk.nextNode()) {
				const m = /[\u0621-\u064A]{5,}/.exec(n.data);
				if (!m) continue;
				const r = document.createRange();
				r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
				const s = getSelection(); s.removeAllRanges(); s.addRange(r);
				return s.toString();
			}
		}
		return "";
	})()`
	var bodyClass, selected string
	var offered bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible("#login-form"),
		chromedp.SendKeys(`#login-form input[name="name"]`, "huda", chromedp.ByQuery),
		chromedp.SendKeys(`#login-form input[name="password"]`, "the right password", chromedp.ByQuery),
		chromedp.Submit("#login-form", chromedp.ByQuery),
		chromedp.WaitVisible("form.seg .src", chromedp.ByQuery),
		chromedp.Evaluate(`document.body.className`, &bodyClass),
		chromedp.Evaluate(selectArabic, &selected),
		// Nothing appears to wait for: give the selection handler (150 ms debounce) ample time.
		chromedp.Sleep(600*time.Millisecond),
		chromedp.Evaluate(`(() => { const p = document.querySelector(".gl-pop"); return !!p && !p.hidden; })()`, &offered),
	)
	if err != nil {
		t.Fatal(err)
	}
	if bodyClass != "role-reviewer" || selected == "" {
		t.Fatalf("body class %q, selection %q; want a reviewer's page with Arabic selected", bodyClass, selected)
	}
	if offered {
		t.Error(`a reviewer selecting Arabic is offered "Add to glossary"`)
	}
}
