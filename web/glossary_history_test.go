package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
)

// apiImport imports a CSV through POST /api/glossary/import and returns its report.
func (e *testEnv) apiImport(t *testing.T, name, body, mode string) glossary.ImportReport {
	t.Helper()
	resp, data := e.upload(t, "/api/glossary/import", name, []byte(body), map[string]string{"mode": mode})
	var rep glossary.ImportReport
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import %s = %d %s", name, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	if rep.ImportID == 0 {
		t.Fatalf("import %s has no id: %s", name, data)
	}
	return rep
}

// TestGlossaryAPI_HistoryImportsUndo: a term's history through the API, the imports listed,
// an import undone, and the refusals: twice, and with a term changed since (409 naming it,
// with the terms in the body) until forced.
func TestGlossaryAPI_HistoryImportsUndo(t *testing.T) {
	e := newTestEnv(t)
	var created glossary.Term
	e.do(t, "POST", "/api/glossary", `{"arabic":"روسيا","english":"Russia","type":"name"}`, &created)
	rep := e.apiImport(t, "merge.csv", "arabic,english\nروسيا,the Russian Federation\nكييف,Kyiv\n", "merge")

	var hist termHistoryResponse
	if resp := e.do(t, "GET", fmt.Sprintf("/api/glossary/%d/history", created.ID), "", &hist); resp.StatusCode != 200 {
		t.Fatalf("history = %d", resp.StatusCode)
	}
	if len(hist.Revisions) != 2 || hist.Revisions[0].Action != glossary.ActionUpdate || hist.Revisions[0].ImportID != rep.ImportID ||
		hist.Revisions[0].Before.English != "Russia" || hist.Revisions[0].After.English != "the Russian Federation" ||
		hist.Revisions[1].Action != glossary.ActionCreate || hist.Revisions[1].After.English != "Russia" {
		t.Errorf("history = %+v", hist)
	}
	if resp := e.do(t, "GET", "/api/glossary/9999/history", "", nil); resp.StatusCode != 404 {
		t.Errorf("history of no term = %d, want 404", resp.StatusCode)
	}

	var list importsResponse
	e.do(t, "GET", "/api/glossary/imports", "", &list)
	if len(list.Imports) != 1 || list.Imports[0].ID != rep.ImportID || list.Imports[0].Added != 1 || list.Imports[0].Updated != 1 ||
		list.Imports[0].File != "merge.csv" || list.Imports[0].Mode != glossary.ModeMerge {
		t.Errorf("imports = %+v", list)
	}
	if resp := e.do(t, "GET", "/api/glossary/imports?limit=0", "", nil); resp.StatusCode != 400 {
		t.Errorf("imports?limit=0 = %d, want 400", resp.StatusCode)
	}

	// Kyiv is edited after the import: the undo names it and changes nothing.
	var kyiv glossary.Term
	e.do(t, "PUT", fmt.Sprintf("/api/glossary/%d", rep.Added[0].ID), `{"arabic":"كييف","english":"Kiev"}`, &kyiv)
	undoPath := fmt.Sprintf("/api/glossary/imports/%d/undo", rep.ImportID)
	var refused struct {
		Error string            `json:"error"`
		Terms []glossary.Change `json:"terms"`
	}
	resp := e.do(t, "POST", undoPath, `{"force": false}`, &refused)
	if resp.StatusCode != http.StatusConflict || len(refused.Terms) != 1 || refused.Terms[0].Arabic != "كييف" ||
		!strings.Contains(refused.Error, "«كييف» → Kiev (edited by reviewer") || !strings.Contains(refused.Error, `"force": true`) {
		t.Errorf("undo with a term changed since = %d %+v", resp.StatusCode, refused)
	}
	if n := e.termCount(t); n != 2 {
		t.Errorf("a refused undo left %d terms, want 2", n)
	}

	var undone glossary.UndoReport
	if resp := e.do(t, "POST", undoPath, `{"force": true}`, &undone); resp.StatusCode != 200 {
		t.Fatalf("forced undo = %d", resp.StatusCode)
	}
	if len(undone.Deleted) != 1 || len(undone.Restored) != 1 || len(undone.Overwritten) != 1 || undone.Import.UndoneBy != "reviewer" {
		t.Errorf("undo = %+v", undone)
	}
	if got, _ := e.glossary.Get(context.Background(), created.ID); got.English != "Russia" {
		t.Errorf("after the undo: %+v", got)
	}
	resp = e.do(t, "POST", undoPath, `{}`, &refused)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(refused.Error, "import 1 (merge.csv) was undone already") {
		t.Errorf("undo twice = %d %q", resp.StatusCode, refused.Error)
	}
	if resp := e.do(t, "POST", "/api/glossary/imports/77/undo", `{}`, nil); resp.StatusCode != 404 {
		t.Errorf("undo of no import = %d, want 404", resp.StatusCode)
	}
	if resp := e.do(t, "POST", undoPath, `{"force": "maybe"}`, nil); resp.StatusCode != 400 {
		t.Errorf("undo with a bad body = %d, want 400", resp.StatusCode)
	}
}

// TestGlossaryPage_TermHistory: a term's History button brings a row with its changes, field
// by field, escaped, and a button that closes it.
func TestGlossaryPage_TermHistory(t *testing.T) {
	e := newTestEnv(t)
	term := e.mustTerm(t, "الضمانات الأمنية", "security guarantees", glossary.TypeTerm)
	edited := term
	edited.Note, edited.UpdatedBy = `<script>alert("x")</script>`, "amal"
	if err := e.glossary.Update(context.Background(), &edited); err != nil {
		t.Fatal(err)
	}
	_, page := e.send(t, "GET", "/glossary", "", nil, nil)
	want := fmt.Sprintf(`<button type="button" class="history" hx-get="/glossary/%d/history" hx-target="closest tr" hx-swap="afterend"`, term.ID)
	if !strings.Contains(string(page), want) {
		t.Errorf("the term row has no History button %s", want)
	}
	resp, body := e.send(t, "GET", fmt.Sprintf("/glossary/%d/history", term.ID), "", nil, map[string]string{"HX-Request": "true"})
	html := string(body)
	for _, want := range []string{
		fmt.Sprintf(`<tr class="term-history" id="term-history-%d"`, term.ID),
		`<strong>Edited</strong> by amal`,
		`<th scope="row">Note</th>`,
		`<ins>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</ins>`,
		`<strong>Added</strong> by `,
		`<td class="after" dir="rtl" lang="ar"><ins>الضمانات الأمنية</ins></td>`,
		`class="close-history"`,
	} {
		if resp.StatusCode != 200 || !strings.Contains(html, want) {
			t.Errorf("history fragment = %d, lacks %s\n%s", resp.StatusCode, want, html)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Errorf("history fragment has unescaped markup")
	}
}

// TestGlossaryPage_UndoImport: the page lists recent imports with their counts and an Undo
// button; an undo goes back to the list saying what it did; one refused for terms changed
// since lists them with a button that undoes it anyway; an import undone twice is refused.
func TestGlossaryPage_UndoImport(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	first := e.apiImport(t, "first.csv", "روسيا,the Russian Federation\nكييف,Kyiv\n", "replace")
	second := e.apiImport(t, "second.csv", "كييف,Kiev\n", "merge")

	_, page := e.send(t, "GET", "/glossary", "", nil, nil)
	rowRE := regexp.MustCompile(`(?s)<tr id="import-` + fmt.Sprint(first.ImportID) + `" class="import">.*?</tr>`)
	row := rowRE.FindString(string(page))
	for _, want := range []string{`<td class="file">first.csv</td>`, `<td>replace</td>`, `<td class="num">1</td>`,
		fmt.Sprintf(`action="/glossary/imports/%d/undo"`, first.ImportID), `data-confirm="Undo import 1 of first.csv?`} {
		if !strings.Contains(row, want) {
			t.Errorf("the import's row lacks %s:\n%s", want, row)
		}
	}

	undo := fmt.Sprintf("/glossary/imports/%d/undo", first.ImportID)
	resp, body := e.postForm(t, undo, url.Values{csrfField: {testCSRF}}, false)
	html := string(body)
	for _, want := range []string{`<section class="undo-report" id="undo-report"`, `Undo import 1 of <span class="file">first.csv</span>`,
		`<li><span class="ar" dir="rtl" lang="ar">كييف</span> → Kiev <span class="detail">(edited by import 2 (second.csv)`,
		`<input type="hidden" name="force" value="1">`, `id="undo-force"`} {
		if resp.StatusCode != http.StatusConflict || !strings.Contains(html, want) {
			t.Errorf("undo with a term changed since = %d, lacks %s", resp.StatusCode, want)
		}
	}

	resp, _ = e.postForm(t, undo, url.Values{csrfField: {testCSRF}, "force": {"1"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/glossary" ||
		flashOf(t, resp) != "Undid import 1 (first.csv): 1 added term deleted, 1 term restored, 1 later change replaced." {
		t.Errorf("forced undo = %d %q flash %q", resp.StatusCode, resp.Header.Get("Location"), flashOf(t, resp))
	}
	if all, _ := e.glossary.All(context.Background()); len(all) != 1 || all[0].English != "Russia" {
		t.Errorf("after the undo: %+v", all)
	}
	_, page = e.send(t, "GET", "/glossary", "", nil, nil)
	if row := rowRE.FindString(strings.Replace(string(page), `class="import undone"`, `class="import"`, 1)); !strings.Contains(row, "undone ") ||
		strings.Contains(row, "<form") {
		t.Errorf("an undone import's row:\n%s", row)
	}

	resp, body = e.postForm(t, undo, url.Values{csrfField: {testCSRF}}, false)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), `<p class="import-problem">import 1 (first.csv) was undone already`) {
		t.Errorf("undo twice = %d", resp.StatusCode)
	}
	if second.ImportID != 2 {
		t.Errorf("second import id %d", second.ImportID)
	}
}
