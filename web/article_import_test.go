package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// exportOf downloads an article's export as the page's link does.
func exportOf(t *testing.T, e *testEnv, id int64, format string) string {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/articles/%d/export?format=%s", e.srv.URL, id, format))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export = %d %s", resp.StatusCode, body)
	}
	return string(body)
}

// translatedElsewhere is the XLIFF 1.2 export of reviewedExportArticle after a translator's
// work in another tool: segment 2's machine English rewritten, segment 3 translated.
func translatedElsewhere(t *testing.T, export string) []byte {
	t.Helper()
	for _, r := range []struct{ old, new string }{
		{`<target state="needs-review-translation" state-qualifier="mt-suggestion">Ryabkov said &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Moscow&#39; is ready.</target>`,
			`<target state="translated">Ryabkov said Moscow is ready for dialogue.</target>`},
		{`<source>وأضاف أن الضمانات الأمنية ضرورية!</source>`, `<source>وأضاف أن الضمانات الأمنية ضرورية!</source><target state="translated">He added that security guarantees are essential!</target>`},
	} {
		if !strings.Contains(export, r.old) {
			t.Fatalf("the export lacks %s:\n%s", r.old, export)
		}
		export = strings.Replace(export, r.old, r.new, 1)
	}
	return []byte(export)
}

var exportTokenRE = regexp.MustCompile(`action="/articles/(\d+)/import/([A-Za-z0-9_-]+)"`)

// TestArticlePage_ImportPreviewThenConfirm: an export worked on elsewhere is uploaded on the
// article page, previewed with nothing written, and imported on confirmation; a segment
// changed here since the export is shown as a conflict and kept.
func TestArticlePage_ImportPreviewThenConfirm(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a, segs := reviewedExportArticle(t, e)
	back := translatedElsewhere(t, exportOf(t, e, a.ID, "xliff12"))
	// Meanwhile a reviewer here approves the machine English of segment 2.
	if _, err := e.articles.Approve(ctx, segs[1].ID, "", segs[1].Version, "rev"); err != nil {
		t.Fatal(err)
	}

	path := fmt.Sprintf("/articles/%d/import", a.ID)
	resp, body := e.upload(t, path, "back.xlf", back, nil)
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"back.xlf", "(XLIFF 1.2): preview, nothing written yet", "1 to update", "1 conflicting, left as they are", "1 unchanged",
		`id="import-seg-3"`, "He added that security guarantees are essential!", `id="import-conflict-2"`, "changed in Tarjama after the export",
		"Import 1 change"} {
		if !strings.Contains(page, html.EscapeString(want)) && !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if now := e.segments(t, a.ID); now[2].Target != "" {
		t.Fatalf("the preview wrote segment 3: %+v", now[2])
	}
	m := exportTokenRE.FindStringSubmatch(page)
	if m == nil || m[1] != fmt.Sprint(a.ID) {
		t.Fatalf("no confirm form in the preview:\n%s", page)
	}
	resp, _ = e.postForm(t, m[0][len(`action="`):len(m[0])-1], url.Values{}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/articles/%d", a.ID) {
		t.Fatalf("confirm = %d %q", resp.StatusCode, loc)
	}
	if msg := flashOf(t, resp); msg != "Imported back.xlf: 1 segment updated, 1 unchanged; 1 conflicting left as they were (segment 2)." {
		t.Errorf("flash = %q", msg)
	}
	now := e.segments(t, a.ID)
	if now[2].Target != "He added that security guarantees are essential!" || now[2].Status != translate.StatusEdited || now[2].Origin != translate.OriginXLIFF {
		t.Errorf("segment 3 = %+v", now[2])
	}
	if now[1].Target != segs[1].Target || now[1].Status != translate.StatusApproved {
		t.Errorf("the conflicting segment 2 was overwritten: %+v", now[1])
	}
	resp, body = e.postForm(t, m[0][len(`action="`):len(m[0])-1], url.Values{}, false)
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "upload the file again") {
		t.Errorf("re-using an applied upload = %d", resp.StatusCode)
	}

	// Another article's export, a text and no file at all are refused on the page.
	other := e.article(t, "", "عنوان آخر\n\nنص آخر.")
	for _, tc := range []struct {
		name   string
		data   []byte
		status int
		want   string
	}{
		{"back.xlf", back, http.StatusBadRequest, fmt.Sprintf("back.xlf is an export of article %d, not of article %d", a.ID, other.ID)},
		{"note.txt", []byte("عنوان\n\nنص."), http.StatusBadRequest, fmt.Sprintf("note.txt is not an XLIFF export of article %d (it is a text)", other.ID)},
		{"", nil, http.StatusBadRequest, "file: required"},
	} {
		resp, body := e.upload(t, fmt.Sprintf("/articles/%d/import", other.ID), tc.name, tc.data, nil)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) || !strings.Contains(string(body), `class="import-problem"`) {
			t.Errorf("upload %q = %d; want %d with %q", tc.name, resp.StatusCode, tc.status, tc.want)
		}
	}
}

// TestArticleForm_ContentDecides: the home page's upload takes what the content says: memories
// and glossaries are refused saying where they go, a text without Arabic is refused, a copy is
// refused naming the article with an offer to import it anyway, another tool's XLIFF becomes
// an article, and an export of an article is previewed on its page.
func TestArticleForm_ContentDecides(t *testing.T) {
	e := newTestEnv(t)
	for _, tc := range []struct {
		file   upload
		status int
		want   string
	}{
		{upload{"memory.xml", []byte(`<tmx version="1.4"><header srclang="ar"/><body/></tmx>`)}, http.StatusBadRequest,
			"memory.xml is a TMX translation memory, not an article (import it into the translation memory with tarjama tm import)"},
		{upload{"terms.csv", []byte("arabic,english\nروسيا,Russia\n")}, http.StatusBadRequest,
			"terms.csv is a glossary (CSV or TSV with glossary columns), not an article (import it on the Glossary page)"},
		{upload{"english.txt", []byte("Talks\n\nThe talks go on.")}, http.StatusBadRequest, "no Arabic text in english.txt"},
	} {
		b := newBrowserClient(t, e.srv.URL)
		resp := b.postArticle(url.Values{"csrf_token": {b.token}}, &tc.file)
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(page), html.EscapeString(tc.want)) {
			t.Errorf("%s = %d; want %d with %q\n%.3000s", tc.file.name, resp.StatusCode, tc.status, tc.want, page)
		}
	}
	if n := articleCount(t, e.articles); n != 0 {
		t.Fatalf("refused files stored %d articles", n)
	}

	b := newBrowserClient(t, e.srv.URL)
	text := upload{"news.txt", []byte("عنوان الخبر\n\nقال الوزير إن المحادثات مستمرة.")}
	if resp := b.postArticle(url.Values{"csrf_token": {b.token}}, &text); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first import = %d", resp.StatusCode)
	}
	resp := b.postArticle(url.Values{"csrf_token": {b.token}}, &text)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(page), "news.txt is an exact copy of article 1 «عنوان الخبر»") ||
		!strings.Contains(string(page), `name="allow_duplicate"`) || !strings.Contains(string(page), `href="/articles/1"`) {
		t.Fatalf("copy = %d\n%s", resp.StatusCode, page)
	}
	if resp := b.postArticle(url.Values{"csrf_token": {b.token}, "allow_duplicate": {"1"}}, &text); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/articles/2" {
		t.Fatalf("copy on purpose = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	matecat, err := os.ReadFile(filepath.Join("..", "translate", "xliff", "testdata", "layouts", "matecat-1.2.xlf"))
	if err != nil {
		t.Fatal(err)
	}
	resp = b.postArticle(url.Values{"csrf_token": {b.token}}, &upload{"job.xlf", matecat})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/articles/3" {
		t.Fatalf("another tool's XLIFF = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	segs := e.segments(t, 3)
	if len(segs) != 4 || segs[0].Target != "UN calls for a humanitarian truce in Sudan" || segs[0].Status != translate.StatusEdited || segs[0].Origin != translate.OriginXLIFF {
		t.Errorf("the Matecat job's article: %+v", segs)
	}

	// Tarjama's own export, uploaded here, is previewed on its article's page.
	export := exportOf(t, e, 1, "xliff")
	resp = b.postArticle(url.Values{"csrf_token": {b.token}}, &upload{"a1.xlf", []byte(export)})
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "(XLIFF 2.0): preview, nothing written yet") || !strings.Contains(string(page), "Nothing to change") {
		t.Errorf("an export on the home page = %d\n%.3000s", resp.StatusCode, page)
	}
	// An export of an article this database does not have says so on the home page.
	elsewhere := strings.Replace(export, `<mda:meta type="article">1</mda:meta>`, `<mda:meta type="article">99</mda:meta>`, -1)
	resp = b.postArticle(url.Values{"csrf_token": {b.token}}, &upload{"far.xlf", []byte(elsewhere)})
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "far.xlf is an export of article 99, which is not in this database") {
		t.Errorf("an export from elsewhere = %d\n%.3000s", resp.StatusCode, page)
	}
}

// TestAPI_ArticleImport: the API follows the same rules: no Arabic, copies (409, naming the
// article), allow_duplicate; an export comes back through POST /api/articles/:id/import.
func TestAPI_ArticleImport(t *testing.T) {
	e := newTestEnv(t)
	var out struct {
		Error    string
		Existing translate.Article
	}
	if resp := e.do(t, "POST", "/api/articles", `{"title":"t","text":"Only English here."}`, &out); resp.StatusCode != http.StatusBadRequest || out.Error != "no Arabic text in text" {
		t.Errorf("English = %d %+v", resp.StatusCode, out)
	}
	const body = `{"text":"عنوان\n\nقال الوزير إن المحادثات مستمرة."}`
	var created translate.Article
	if resp := e.do(t, "POST", "/api/articles", body, &created); resp.StatusCode != http.StatusCreated || created.ID != 1 || created.SourceText == "" {
		t.Fatalf("create = %d %+v", resp.StatusCode, created)
	}
	out.Error = ""
	if resp := e.do(t, "POST", "/api/articles", body, &out); resp.StatusCode != http.StatusConflict || out.Existing.ID != 1 || out.Error != "text is an exact copy of article 1 «عنوان»" {
		t.Errorf("copy = %d %+v", resp.StatusCode, out)
	}
	if resp := e.do(t, "POST", "/api/articles", `{"text":"عنوان\n\nقال الوزير إن المحادثات مستمرة.","allow_duplicate":true}`, &created); resp.StatusCode != http.StatusCreated || created.ID != 2 {
		t.Errorf("copy on purpose = %d %+v", resp.StatusCode, created)
	}

	a, _ := reviewedExportArticle(t, e)
	back := translatedElsewhere(t, exportOf(t, e, a.ID, "xliff12"))
	var rep struct {
		Format string
		DryRun bool `json:"dry_run"`
		Report store.ExportReport
	}
	resp, data := e.upload(t, fmt.Sprintf("/api/articles/%d/import", a.ID), "back.xlf", back, map[string]string{"dry_run": "1"})
	if err := json.Unmarshal(data, &rep); err != nil || resp.StatusCode != http.StatusOK || !rep.DryRun || rep.Format != "XLIFF 1.2" || len(rep.Report.Updated) != 2 || rep.Report.Updated[0].Number != 2 {
		t.Fatalf("dry run = %d %s", resp.StatusCode, data)
	}
	if e.segments(t, a.ID)[2].Target != "" {
		t.Fatal("the dry run wrote")
	}
	resp, data = e.upload(t, fmt.Sprintf("/api/articles/%d/import", a.ID), "back.xlf", back, nil)
	if resp.StatusCode != http.StatusOK || e.segments(t, a.ID)[2].Target != "He added that security guarantees are essential!" {
		t.Errorf("import = %d %s", resp.StatusCode, data)
	}
}
