package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/store"
)

func TestBrowser_ReviewFlow(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, err := articles.Articles(context.Background())
	if err != nil || len(list) != 5 {
		t.Fatalf("seeded articles = %d, %v; want 5", len(list), err)
	}
	first := list[0]
	segs, _ := articles.Segments(context.Background(), first.ID)
	edit, next := segs[2], segs[3]
	correction := "Deputy Foreign Minister Sergei Ryabkov said Moscow was ready for dialogue."

	var homeLinks int
	var dir, lang, font, errorsShown string
	var side struct {
		SrcLeft, TgtLeft, SrcTop, TgtTop float64
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("table.articles"),
		chromedp.Evaluate(`document.querySelectorAll("table.articles tbody tr a").length`, &homeLinks),
		chromedp.Click(fmt.Sprintf(`a[href="/articles/%d"]`, first.ID), chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", edit.ID), chromedp.ByQuery),
		chromedp.AttributeValue(fmt.Sprintf("#seg-%d .src", edit.ID), "dir", &dir, nil, chromedp.ByQuery),
		chromedp.AttributeValue(fmt.Sprintf("#seg-%d .src", edit.ID), "lang", &lang, nil, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`getComputedStyle(document.querySelector("#seg-%d .src")).fontFamily`, edit.ID), &font),
		chromedp.Evaluate(fmt.Sprintf(`(() => {
			const s = document.querySelector("#seg-%[1]d .src").getBoundingClientRect();
			const t = document.querySelector("#seg-%[1]d textarea").getBoundingClientRect();
			return {SrcLeft: s.left, TgtLeft: t.left, SrcTop: s.top, TgtTop: t.top};
		})()`, edit.ID), &side),
	)
	if err != nil {
		t.Fatal(err)
	}
	if homeLinks != 5 {
		t.Errorf("home page lists %d articles, want 5", homeLinks)
	}
	if dir != "rtl" || lang != "ar" || !strings.Contains(font, "Noto Naskh Arabic") {
		t.Errorf("source cell dir=%q lang=%q font=%q; want rtl, ar, Noto Naskh Arabic", dir, lang, font)
	}
	if side.SrcLeft >= side.TgtLeft || abs(side.SrcTop-side.TgtTop) > 20 {
		t.Errorf("source and English are not side by side on one row: %+v", side)
	}

	var active string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("#seg-%d textarea").value = ""`, edit.ID), nil),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", edit.ID), correction, chromedp.ByQuery),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl)),
		chromedp.Poll(fmt.Sprintf(`document.activeElement && document.activeElement.closest("#seg-%d") !== null`, next.ID), nil,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.activeElement.closest("form.seg").id`, &active),
	)
	if err != nil {
		t.Fatalf("Ctrl+Enter did not save and move on: %v", err)
	}
	if active != fmt.Sprintf("seg-%d", next.ID) {
		t.Errorf("focus after Ctrl+Enter on %q, want seg-%d", active, next.ID)
	}

	var kept, status string
	err = chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", edit.ID), chromedp.ByQuery),
		chromedp.Value(fmt.Sprintf("#seg-%d textarea", edit.ID), &kept, chromedp.ByQuery),
		chromedp.Text(fmt.Sprintf("#seg-%d .status", edit.ID), &status, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("errors").hidden ? "" : document.getElementById("errors").textContent`, &errorsShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if kept != correction || status != "edited" {
		t.Errorf("after reload the segment reads %q (%s); want the correction, edited", kept, status)
	}
	if errorsShown != "" {
		t.Errorf("page shows an error: %s", errorsShown)
	}
	saved, _ := articles.Segment(context.Background(), edit.ID)
	if saved.Target != correction || saved.Version != 2 {
		t.Errorf("stored segment = %q v%d", saved.Target, saved.Version)
	}
}

func TestBrowser_ConflictIsShownNotOverwritten(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	segs, _ := articles.Segments(context.Background(), list[1].ID)
	g := segs[1]

	var conflictText, boxValue string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[1].ID)),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", g.ID), chromedp.ByQuery),
		chromedp.ActionFunc(func(ctx context.Context) error {
			// Another reviewer saves first, after this page was loaded.
			_, err := articles.SaveTarget(context.Background(), g.ID, "Their text wins the race.", 1, "other")
			return err
		}),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", g.ID), "My late text.", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf("#seg-%d button.save", g.ID), chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d .conflict-box", g.ID), chromedp.ByQuery),
		chromedp.Text(fmt.Sprintf("#seg-%d .conflict-box .theirs", g.ID), &conflictText, chromedp.ByQuery),
		chromedp.Value(fmt.Sprintf("#seg-%d textarea", g.ID), &boxValue, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if conflictText != "Their text wins the race." || boxValue != "My late text." {
		t.Fatalf("conflict view shows theirs=%q mine=%q", conflictText, boxValue)
	}
	cur, _ := articles.Segment(context.Background(), g.ID)
	if cur.Target != "Their text wins the race." {
		t.Fatalf("the stale save overwrote the segment: %q", cur.Target)
	}
}

// TestBrowser_ConflictChoices: the conflict view settles in one click either way, and both
// choices survive a reload and leave a revision.
func TestBrowser_ConflictChoices(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[1].ID)
	const theirs, mine = "Their text wins the race.", "My late text."
	for _, c := range []struct {
		name, button   string
		seg            translate.Segment
		want           string
		version        int
		lastKind, lost string // the newest revision's kind, and the text it set aside
	}{
		{"KeepMine", "button.keep-mine", segs[1], mine, 3, "edit", theirs},
		{"UseTheirs", "button.use-theirs", segs[2], theirs, 2, "theirs", mine},
	} {
		t.Run(c.name, func(t *testing.T) {
			row := fmt.Sprintf("#seg-%d", c.seg.ID)
			var box string
			var conflictLeft bool
			err := chromedp.Run(ctx,
				chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[1].ID)),
				chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
				chromedp.ActionFunc(func(context.Context) error {
					_, err := articles.SaveTarget(bg, c.seg.ID, theirs, 1, "other")
					return err
				}),
				chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s textarea").value = ""`, row), nil),
				chromedp.SendKeys(row+" textarea", mine, chromedp.ByQuery),
				chromedp.Click(row+" button.save", chromedp.ByQuery),
				chromedp.WaitVisible(row+" .conflict-box "+c.button, chromedp.ByQuery),
				htmxSettled(),
				chromedp.Click(row+" .conflict-box "+c.button, chromedp.ByQuery),
				// Settled: the row came back without the conflict box, holding the chosen text.
				waitJS(fmt.Sprintf(`(() => {
					const f = document.querySelector("%s");
					return f && !f.querySelector(".conflict-box") && f.querySelector("textarea").value === %q &&
						f.querySelector("input[name=version]").value === "%d";
				})()`, row, c.want, c.version), 10*time.Second),
			)
			if err != nil {
				t.Fatal(err)
			}
			err = chromedp.Run(ctx,
				chromedp.Reload(),
				chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
				chromedp.Value(row+" textarea", &box, chromedp.ByQuery),
				chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s .conflict-box") === null`, row), &conflictLeft),
			)
			if err != nil {
				t.Fatal(err)
			}
			if box != c.want || !conflictLeft {
				t.Errorf("after reload the box reads %q (conflict closed: %v), want %q", box, conflictLeft, c.want)
			}
			got, _ := articles.Segment(bg, c.seg.ID)
			if got.Target != c.want || got.Version != c.version {
				t.Errorf("stored %q v%d, want %q v%d", got.Target, got.Version, c.want, c.version)
			}
			revs, _ := articles.Revisions(bg, c.seg.ID)
			last := revs[len(revs)-1]
			if len(revs) != 2 || last.Kind != c.lastKind || last.Before != c.lost || last.After != c.want || last.Author != "reviewer" {
				t.Errorf("revisions = %+v; want the other's edit, then a %s revision from %q to %q", revs, c.lastKind, c.lost, c.want)
			}
		})
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

// TestBrowser_MemoryUseThis: "Use this" on a memory match puts its English in the box,
// unsaved and focused, so that Ctrl+Enter saves it.
func TestBrowser_MemoryUseThis(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[0].ID)
	approved := segs[2]
	const memory = "Ryabkov said Moscow and Washington were ready for dialogue, as the memory remembers."
	if _, err := articles.Approve(bg, approved.ID, memory, approved.Version, "other"); err != nil {
		t.Fatal(err)
	}
	a, err := articles.CreateArticle(bg, "", "عنوان جديد\n\n"+approved.Source, "")
	if err != nil {
		t.Fatal(err)
	}
	var g translate.Segment
	fresh, _ := articles.Segments(bg, a.ID)
	for _, s := range fresh {
		if s.Source == approved.Source {
			g = s
		}
	}
	if g.ID == 0 {
		t.Fatalf("the new article has no segment %q: %+v", approved.Source, fresh)
	}
	row := fmt.Sprintf("#seg-%d", g.ID)
	var box string
	var focused bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
		chromedp.Click(row+" textarea", chromedp.ByQuery),
		chromedp.WaitVisible(row+" .tm-match.exact button.tm-use", chromedp.ByQuery),
		htmxSettled(),
		chromedp.Click(row+" .tm-match.exact button.tm-use", chromedp.ByQuery),
		chromedp.Value(row+" textarea", &box, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.activeElement === document.querySelector("%s textarea")`, row), &focused),
	)
	if err != nil {
		t.Fatal(err)
	}
	if box != memory || !focused {
		t.Fatalf("after Use this the box reads %q (focused: %v), want %q in a focused box", box, focused, memory)
	}
	if cur, _ := articles.Segment(bg, g.ID); cur.Target != "" || cur.Version != g.Version {
		t.Fatalf("Use this saved at once: %q v%d", cur.Target, cur.Version)
	}
	err = chromedp.Run(ctx,
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl)),
		waitJS(fmt.Sprintf(`document.querySelector("%s").classList.contains("status-edited")`, row), 10*time.Second),
	)
	if err != nil {
		t.Fatalf("Ctrl+Enter did not save the memory text: %v", err)
	}
	if cur, _ := articles.Segment(bg, g.ID); cur.Target != memory || cur.Status != translate.StatusEdited {
		t.Errorf("stored %s %q, want edited %q", cur.Status, cur.Target, memory)
	}
}

// TestBrowser_SaveButtonKeepsTheKeyboardFlow: clicking Save moves to the next segment as
// Ctrl+Enter does, and a write that only swaps its row (Exclude) leaves the focus in that row
// instead of dropping it to the page body.
func TestBrowser_SaveButtonKeepsTheKeyboardFlow(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[0].ID)
	saved, next, boiler := segs[1], segs[2], segs[0]
	var afterSave, afterExclude string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", saved.ID), chromedp.ByQuery),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", saved.ID), " Saved by a click.", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf("#seg-%d button.save", saved.ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-edited")`, saved.ID), 10*time.Second),
		htmxSettled(),
		chromedp.Evaluate(`(() => { const a = document.activeElement; const f = a && a.closest("form.seg"); return f ? f.id + " " + a.tagName : a.tagName; })()`, &afterSave),
		chromedp.Click(fmt.Sprintf("#seg-%d button.exclude", boiler.ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d").classList.contains("status-excluded")`, boiler.ID), 10*time.Second),
		htmxSettled(),
		chromedp.Evaluate(`(() => { const a = document.activeElement; const f = a && a.closest("form.seg"); return f ? f.id + " " + a.tagName + " " + a.textContent.trim() : a.tagName; })()`, &afterExclude),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("seg-%d TEXTAREA", next.ID); afterSave != want {
		t.Errorf("after clicking Save focus is on %q, want %q (the next segment's box)", afterSave, want)
	}
	if want := fmt.Sprintf("seg-%d BUTTON Include", boiler.ID); afterExclude != want {
		t.Errorf("after clicking Exclude focus is on %q, want %q", afterExclude, want)
	}
}

// TestBrowser_StaleApproveOffersTheirText: a reviewer who clicks Approve on a segment someone
// else has saved since, without having typed, is told so, sees their text in the box, gets no
// Keep mine (it would put stale machine text over the edit) and can approve their text.
func TestBrowser_StaleApproveOffersTheirText(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	bg := context.Background()
	list, _ := articles.Articles(bg)
	segs, _ := articles.Segments(bg, list[0].ID)
	g := segs[len(segs)-1]
	row := fmt.Sprintf("#seg-%d", g.ID)
	const theirs = "Their edit, saved while this page was open."
	var notice, box string
	var keepMine bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, list[0].ID)),
		chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
		chromedp.ActionFunc(func(context.Context) error {
			_, err := articles.SaveTarget(bg, g.ID, theirs, g.Version, "other")
			return err
		}),
		chromedp.Click(row+" button.approve", chromedp.ByQuery),
		chromedp.WaitVisible(row+" .conflict-box", chromedp.ByQuery),
		htmxSettled(),
		chromedp.Text(row+" .conflict-box", &notice, chromedp.ByQuery),
		chromedp.Value(row+" textarea", &box, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("%s button.keep-mine") !== null`, row), &keepMine),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "you had not edited it") || strings.Contains(notice, "Your text is still in the box") || keepMine || box != theirs {
		t.Fatalf("conflict view: notice %q, Keep mine shown %v, box %q; want their text and no Keep mine", notice, keepMine, box)
	}
	err = chromedp.Run(ctx,
		chromedp.Click(row+" button.approve-theirs", chromedp.ByQuery),
		waitJS(fmt.Sprintf(`(() => { const f = document.querySelector("%s"); return f.classList.contains("status-approved") && !f.querySelector(".conflict-box"); })()`, row), 10*time.Second),
	)
	if err != nil {
		t.Fatalf("Approve their text: %v", err)
	}
	cur, _ := articles.Segment(bg, g.ID)
	if cur.Status != translate.StatusApproved || cur.Target != theirs {
		t.Errorf("stored %s %q, want their text approved", cur.Status, cur.Target)
	}
}

func TestBrowser_ApproveAndNextFiltersExclude(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	warnOnly(t, articles) // placeholder English: the flow is tested, not the checks
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
	warnOnly(t, articles) // placeholder English: the flow is tested, not the checks
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
	warnOnly(t, articles) // placeholder English: the flow is tested, not the checks
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

// newSlowRunServer is the seeded workbench translating one segment per request, each answer
// taking latency: slow enough that a page follows a run long before it ends.
func newSlowRunServer(t *testing.T, latency time.Duration, conns ConnLimits) (*httptest.Server, *store.Store) {
	t.Helper()
	return newSeededServerWith(t, func(cfg *Config, db *migrations.DB) {
		llm := backendtest.NewOpenAI(t, backendtest.Success())
		llm.Latency = latency
		cfg.MT = newTestService(t, testStores(db, cfg.Articles, cfg.Glossary), llm, slogDiscard())
		c := cfg.MT.Config()
		c.BatchSize, c.Concurrency = 1, 1
		if err := cfg.MT.Configure(c); err != nil {
			t.Fatal(err)
		}
		cfg.Conns = conns
	})
}

func TestBrowser_TranslateFillsSegmentsLive(t *testing.T) {
	ctx := newBrowser(t)
	// One segment per request, slow enough that the page is following the run long before
	// it ends.
	srv, articles := newSlowRunServer(t, 250*time.Millisecond, ConnLimits{})
	list, _ := articles.Articles(context.Background())
	a := list[2]
	segs, _ := articles.Segments(context.Background(), a.ID)
	// A reviewer's edit made before the run must survive it.
	if _, err := articles.SaveTarget(context.Background(), segs[1].ID, "Kept by the reviewer.", 1, "r"); err != nil {
		t.Fatal(err)
	}
	var machineRows int
	var kept, summary, translated, edited string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible("#translate", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The button posts a form and the server redirects back to the page: wait for that load.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click("#translate", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	translatedNow := `Number(document.querySelector("#article-progress .p-translated").textContent)`
	var atLoad, midRun int
	err = chromedp.Run(ctx,
		// The page comes back while the run is going and shows its progress bar.
		waitJS(`!document.getElementById("progress").hidden`, 20*time.Second),
		chromedp.Evaluate(translatedNow, &atLoad),
		// While the run goes on, the count at the top rises with the rows filling in.
		waitJS(fmt.Sprintf(`!document.getElementById("progress").hidden && %s > %d`, translatedNow, atLoad), 20*time.Second),
		chromedp.Evaluate(translatedNow, &midRun),
		waitJS(fmt.Sprintf(`document.querySelectorAll("form.seg.status-machine").length >= %d`, len(segs)-1), 30*time.Second),
		chromedp.Evaluate(`document.querySelectorAll("form.seg.status-machine").length`, &machineRows),
		chromedp.Value(fmt.Sprintf("#seg-%d textarea", segs[1].ID), &kept, chromedp.ByQuery),
		waitJS(`document.getElementById("run-summary").textContent.includes("segments translated")`, 20*time.Second),
		chromedp.Text("#run-summary", &summary, chromedp.ByID),
		// The counts at the top follow the run without a reload.
		waitJS(fmt.Sprintf(`document.querySelector("#article-progress .p-translated").textContent === "%d"`, len(segs)-1), 10*time.Second),
		chromedp.Text("#article-progress .p-translated", &translated, chromedp.ByQuery),
		chromedp.Text("#article-progress .p-edited", &edited, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("form.seg.status-machine").length`, &machineRows),
	)
	if err != nil {
		t.Fatal(err)
	}
	if machineRows != len(segs)-1 || kept != "Kept by the reviewer." {
		t.Fatalf("after the run: %d machine rows (want %d), edited row reads %q", machineRows, len(segs)-1, kept)
	}
	if n := len(segs) - 1; !strings.Contains(summary, fmt.Sprintf("%d of %d segments translated", n, n)) {
		t.Errorf("run summary = %q", summary)
	}
	if midRun <= atLoad || midRun >= len(segs)-1 {
		t.Errorf("mid-run the header said %d translated (at load %d); want it rising before the end", midRun, atLoad)
	}
	if translated != fmt.Sprint(machineRows) || edited != "1" {
		t.Errorf("header counts %s translated, %s edited; want %d (the filled rows) and 1", translated, edited, machineRows)
	}
	stored, _ := articles.Segments(context.Background(), a.ID)
	for _, g := range stored {
		if g.ID != segs[1].ID && (g.Status != translate.StatusMachine || g.Target == "") {
			t.Errorf("segment %d stored as %s %q", g.Index, g.Status, g.Target)
		}
	}
}

// TestBrowser_LiveProgressSurvivesReconnects: the server ends the live-progress stream after
// its maximum life, several times during one run; the page reconnects each time, says nothing
// of a lost connection, and ends with every row filled and the run's summary.
func TestBrowser_LiveProgressSurvivesReconnects(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSlowRunServer(t, 200*time.Millisecond, ConnLimits{StreamMaxLife: 600 * time.Millisecond})
	list, _ := articles.Articles(context.Background())
	a := list[2]
	segs, _ := articles.Segments(context.Background(), a.ID)
	if err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible("#translate", chromedp.ByID),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click("#translate", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	var summary string
	var machineRows int
	if err := chromedp.Run(ctx,
		waitJS(`!document.getElementById("progress").hidden`, 20*time.Second),
		waitJS(`document.getElementById("run-summary").textContent.includes("segments translated")`, 60*time.Second),
		chromedp.Text("#run-summary", &summary, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("form.seg.status-machine").length`, &machineRows),
	); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(summary, "Lost the connection") || machineRows != len(segs) {
		t.Errorf("after a run of %d segments with reconnects: summary %q, %d machine rows", len(segs), summary, machineRows)
	}
	if want := time.Duration(len(segs)) * 200 * time.Millisecond; want < 3*600*time.Millisecond {
		t.Errorf("the run of %d segments takes about %s, too short to see the stream reconnect", len(segs), want)
	}
}
