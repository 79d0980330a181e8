package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/export"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// TestLoginPage_ShowsOnlyTheBrand: someone not logged in sees the brand, not the links
// and the backend of a workbench they cannot use yet; once logged in, both are there.
func TestLoginPage_ShowsOnlyTheBrand(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "amal", auth.RoleReviewer)
	cl := e.client(t)
	page := cl.do("GET", "/login", "", "", nil)
	if page.status != http.StatusOK || !strings.Contains(page.body, `class="brand"`) {
		t.Fatalf("GET /login = %d without the brand", page.status)
	}
	for _, hidden := range []string{"<nav>", "MT:", `href="/glossary"`} {
		if strings.Contains(page.body, hidden) {
			t.Errorf("login page shows %q to a visitor not logged in", hidden)
		}
	}
	cl.mustLogin("amal")
	home := cl.do("GET", "/", "", "", nil)
	for _, shown := range []string{"<nav>", "MT:", `href="/glossary"`} {
		if !strings.Contains(home.body, shown) {
			t.Errorf("home page after login lacks %q", shown)
		}
	}
}

// TestArticleForm_RefusedImportKeepsTypedValues: a refused import shows the home page again
// with the reason beside the form and the title and text as they were typed.
func TestArticleForm_RefusedImportKeepsTypedValues(t *testing.T) {
	e := newTestEnv(t)
	e.article(t, "مقال موجود", "مقال موجود\n\nنص.")
	for _, tc := range []struct {
		name      string
		fields    url.Values
		file      *upload
		wantError string
	}{
		{"empty file", url.Values{"title": {"عنوان <مهم>"}, "text": {"نص ملصق & محفوظ."}}, &upload{"empty.txt", []byte(" \n")}, "Not imported: empty.txt: empty"},
		{"nothing pasted", url.Values{"title": {"عنوان <مهم>"}, "text": {" \n "}}, nil, "Not imported: pasted text: empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowserClient(t, e.srv.URL)
			fields := url.Values{"csrf_token": {b.token}}
			for k, v := range tc.fields {
				fields[k] = v
			}
			resp := b.postArticle(fields, tc.file)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page := string(body)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400", resp.StatusCode)
			}
			wants := []string{
				`<p class="form-error" role="alert" id="import-error">` + tc.wantError + `</p>`,
				`value="عنوان &lt;مهم&gt;"`,
				`>` + strings.ReplaceAll(tc.fields.Get("text"), "&", "&amp;") + `</textarea>`,
				"مقال موجود", // the article list is there as on the home page
			}
			for _, w := range wants {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(page, "error-page") {
				t.Error("a refused import went to the separate error page")
			}
		})
	}
}

// TestArabicColumnWording: every table heads its columns "Arabic" and "English", as the
// article page does.
func TestArabicColumnWording(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	_, search := newBrowserClient(t, e.srv.URL).get("/search?q=" + url.QueryEscape("موسكو"))
	var exported strings.Builder
	segs, err := e.articles.Segments(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := export.Write(&exported, export.FormatHTML, a, segs); err != nil {
		t.Fatal(err)
	}
	for name, page := range map[string]string{"search": search, "HTML export": exported.String()} {
		if !strings.Contains(page, ">Arabic</th>") || !strings.Contains(page, "<th>English</th>") || strings.Contains(page, "العربية") {
			t.Errorf("%s page does not head its columns Arabic / English", name)
		}
	}
}

// TestBrowser_PageLayout measures what QA saw: numbers aligned alike in the rows and the
// totals, status badge and buttons laid out alike on a failed and an untranslated segment,
// and a styled search field.
func TestBrowser_PageLayout(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	segs, err := articles.Segments(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := articles.ApplyMachine(context.Background(), []store.MachineOutput{{SegmentID: segs[1].ID, Status: translate.StatusFailed, Backend: "openai", Model: "m"}}); err != nil {
		t.Fatal(err)
	}
	var aligns []string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("table.articles tfoot"),
		chromedp.Evaluate(`[...document.querySelectorAll("table.articles .num")].map(e => getComputedStyle(e).textAlign)`, &aligns)); err != nil {
		t.Fatal(err)
	}
	if len(aligns) < 12 {
		t.Fatalf("found %d number cells", len(aligns))
	}
	for i, a := range aligns {
		if a != "right" {
			t.Errorf("number cell %d is aligned %q, want right like the others", i, a)
		}
	}

	// Rows of the action buttons, by their top edge: badge alone, then two and two.
	const layout = `(id => { const f = document.getElementById("seg-" + id);
		const tops = [".status", ".save", ".approve", ".history-btn", ".exclude"].map(s => Math.round(f.querySelector(".actions " + s).getBoundingClientRect().top));
		return [tops[0] < tops[1], tops[1] === tops[2], tops[3] === tops[4], tops[2] < tops[3]].join(","); })`
	var failed, untranslated string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/articles/1"), chromedp.WaitVisible("#segments"),
		chromedp.Evaluate(fmt.Sprintf("%s(%d)", layout, segs[1].ID), &failed),
		chromedp.Evaluate(fmt.Sprintf("%s(%d)", layout, segs[2].ID), &untranslated)); err != nil {
		t.Fatal(err)
	}
	if want := "true,true,true,true"; failed != want || untranslated != want {
		t.Errorf("action layout: failed %s, untranslated %s; want %s (badge on its own row, then Save Approve / History Exclude)", failed, untranslated, want)
	}

	var search, glossary []string
	const style = `(e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.borderRadius, s.paddingTop, s.fontSize]; })`
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/search?q=x"), chromedp.WaitVisible("#q"),
		chromedp.Evaluate(style+`(document.getElementById("q"))`, &search),
		chromedp.Navigate(srv.URL+"/glossary"), chromedp.WaitVisible("body"),
		chromedp.Evaluate(style+`(document.querySelector(".term-search input[type=search]"))`, &glossary)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(search, " ") != strings.Join(glossary, " ") {
		t.Errorf("search field %v, glossary search field %v: want the same look", search, glossary)
	}
}
