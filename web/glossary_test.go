package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/tarjama/tarjama/glossary"
)

// mustTerm adds a term straight through the store.
func (e *testEnv) mustTerm(t *testing.T, arabic, english string, typ glossary.TermType) glossary.Term {
	t.Helper()
	term := glossary.Term{Arabic: arabic, English: english, Type: typ}
	if err := e.glossary.Create(context.Background(), &term); err != nil {
		t.Fatalf("create %s: %v", arabic, err)
	}
	return term
}

func (e *testEnv) termCount(t *testing.T) int {
	t.Helper()
	all, err := e.glossary.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

// send makes a request with the given content type and headers and returns status,
// headers and body.
func (e *testEnv) send(t *testing.T, method, path, contentType string, body []byte, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if !strings.HasPrefix(path, "/api/") {
		asBrowser(req) // page writes come from a page, with its CSRF token
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// upload posts a multipart form with the file content in "file" and the other fields.
func (e *testEnv) upload(t *testing.T, path, name string, content []byte, fields map[string]string) (*http.Response, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	w.Close()
	return e.send(t, "POST", path, w.FormDataContentType(), buf.Bytes(), nil)
}

func (e *testEnv) postForm(t *testing.T, path string, form url.Values, htmx bool) (*http.Response, []byte) {
	t.Helper()
	h := map[string]string{}
	if htmx {
		h["HX-Request"] = "true"
	}
	return e.send(t, "POST", path, "application/x-www-form-urlencoded", []byte(form.Encode()), h)
}

// flashOf is the one-time message a redirect leaves for the next page, or "".
func flashOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	for _, ck := range resp.Cookies() {
		if ck.Name == flashCookie && ck.MaxAge > 0 {
			b, err := base64.RawURLEncoding.DecodeString(ck.Value)
			if err != nil {
				t.Fatalf("flash cookie %q: %v", ck.Value, err)
			}
			return string(b)
		}
	}
	return ""
}

func errorOf(t *testing.T, body []byte) string {
	t.Helper()
	var out struct{ Error string }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("error body %q is not JSON {error}: %v", body, err)
	}
	return out.Error
}

func TestGlossaryAPI_CRUD(t *testing.T) {
	e := newTestEnv(t)

	var created glossary.Term
	resp := e.do(t, "POST", "/api/glossary", `{"arabic":"الضمانات الأمنية","english":"security guarantees","variants":["ضمانات أمنية"],"note":"plural"}`, &created)
	if resp.StatusCode != http.StatusCreated || created.ID == 0 || created.English != "security guarantees" ||
		created.Type != glossary.TypeTerm || created.UpdatedBy != "reviewer" || created.UpdatedAt.IsZero() {
		t.Fatalf("POST /api/glossary = %d %+v", resp.StatusCode, created)
	}
	path := fmt.Sprintf("/api/glossary/%d", created.ID)

	for _, c := range []struct {
		name, method, path, body string
		status                   int
		msg                      string
	}{
		{"ErrEnglishRequired", "POST", "/api/glossary", `{"arabic":"روسيا"}`, 400, "english: required"},
		{"ErrArabicRequired", "POST", "/api/glossary", `{"english":"Russia"}`, 400, "arabic: required"},
		{"ErrArabicNotArabic", "POST", "/api/glossary", `{"arabic":"Russia","english":"Russia"}`, 400, "arabic:"},
		{"ErrType", "POST", "/api/glossary", `{"arabic":"روسيا","english":"Russia","type":"place"}`, 400, "type:"},
		{"ErrNotJSON", "POST", "/api/glossary", `{"arabic":`, 400, "expected a JSON term"},
		{"ErrWrongJSONType", "POST", "/api/glossary", `{"arabic":"روسيا","english":"Russia","do_not_translate":"maybe"}`, 400, "expected a JSON term"},
		// The same Arabic without hamza and with harakat normalizes to the stored term.
		{"ErrConflictNormalized", "POST", "/api/glossary", `{"arabic":"الضَّمانات الامنية","english":"security assurances"}`, 409, "already in the glossary"},
		// Every spelling, the Arabic or a variant, belongs to one term.
		{"ErrConflictWithVariant", "POST", "/api/glossary", `{"arabic":"ضمانات امنية","english":"safety guarantees"}`, 409, `arabic "ضمانات امنية" is already a variant of term 1`},
		{"ErrVariantConflict", "POST", "/api/glossary", `{"arabic":"ضمانات","english":"guarantees","variants":["الضمانات الامنية"]}`, 409, `variants "الضمانات الامنية" is already in the glossary as term 1`},
		{"ErrUpdateEnglishRequired", "PUT", path, `{"arabic":"الضمانات الأمنية","english":" "}`, 400, "english: required"},
		{"ErrUpdateNotFound", "PUT", "/api/glossary/9999", `{"arabic":"روسيا","english":"Russia"}`, 404, "not found"},
		{"ErrUpdateBadID", "PUT", "/api/glossary/abc", `{"arabic":"روسيا","english":"Russia"}`, 400, "not a valid id"},
		{"ErrDeleteNotFound", "DELETE", "/api/glossary/9999", "", 404, "not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.send(t, c.method, c.path, "application/json", []byte(c.body), nil)
			if got := errorOf(t, body); resp.StatusCode != c.status || !strings.Contains(got, c.msg) {
				t.Errorf("%s %s %s = %d %q, want %d with %q", c.method, c.path, c.body, resp.StatusCode, got, c.status, c.msg)
			}
		})
	}
	if n := e.termCount(t); n != 1 {
		t.Fatalf("after the failed writes the glossary has %d terms, want 1", n)
	}

	var other glossary.Term
	e.do(t, "POST", "/api/glossary", `{"arabic":"روسيا","english":"Russia","type":"name"}`, &other)
	var conflict struct{ Error string }
	if resp := e.do(t, "PUT", fmt.Sprintf("/api/glossary/%d", other.ID), `{"arabic":"الضمانات الامنيه","english":"x"}`, &conflict); resp.StatusCode != 409 {
		t.Errorf("renaming onto an existing term = %d %q, want 409", resp.StatusCode, conflict.Error)
	}

	var updated glossary.Term
	resp = e.do(t, "PUT", path, `{"id":777,"arabic":"الضمانات الأمنية","english":"security guarantees","english_alternatives":["security assurances"],"forbidden":["safety guarantees"]}`, &updated)
	if resp.StatusCode != 200 || updated.ID != created.ID || len(updated.Alternatives) != 1 || updated.Note != "" {
		t.Fatalf("PUT = %d %+v", resp.StatusCode, updated)
	}
	got, err := e.glossary.Get(context.Background(), created.ID)
	if err != nil || got.Forbidden[0] != "safety guarantees" {
		t.Fatalf("stored after PUT = %+v, %v", got, err)
	}

	if resp, _ := e.send(t, "DELETE", path, "", nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE = %d, want 204", resp.StatusCode)
	}
	if resp, body := e.send(t, "DELETE", path, "", nil, nil); resp.StatusCode != 404 {
		t.Fatalf("second DELETE = %d %s, want 404", resp.StatusCode, body)
	}
}

func TestGlossaryAPI_Search(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "الضمانات الأمنية", "security guarantees", glossary.TypeTerm)
	e.mustTerm(t, "سيرغي ريابكوف", "Sergei Ryabkov", glossary.TypeName)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	e.mustTerm(t, "إعلان", "declaration", glossary.TypeTerm)

	for _, c := range []struct {
		name, query string
		want        []string // English of the terms found, in list order
		total       int
	}{
		{"All", "", nil, 4},
		{"ArabicExact", "q=" + url.QueryEscape("الأمنية"), []string{"security guarantees"}, 1},
		{"ArabicWithoutHamza", "q=" + url.QueryEscape("الامنية"), []string{"security guarantees"}, 1},
		{"ArabicWithHarakat", "q=" + url.QueryEscape("الضَّمَانَاتُ"), []string{"security guarantees"}, 1},
		{"HamzaOnAlefBelow", "q=" + url.QueryEscape("اعلان"), []string{"declaration"}, 1},
		{"EnglishAnyCase", "q=ryabkov", []string{"Sergei Ryabkov"}, 1},
		{"TypeName", "type=name", []string{"Russia", "Sergei Ryabkov"}, 2},
		{"Paged", "limit=1&offset=1", nil, 4},
		{"NoHit", "q=Belarus", []string{}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out struct {
				Terms []glossary.Term
				Total int
			}
			resp := e.do(t, "GET", "/api/glossary?"+c.query, "", &out)
			if resp.StatusCode != 200 || out.Total != c.total || out.Terms == nil {
				t.Fatalf("GET ?%s = %d, %d terms, total %d; want total %d", c.query, resp.StatusCode, len(out.Terms), out.Total, c.total)
			}
			if c.name == "Paged" && len(out.Terms) != 1 {
				t.Fatalf("limit=1 gave %d terms", len(out.Terms))
			}
			if c.want == nil {
				return
			}
			var got []string
			for _, term := range out.Terms {
				got = append(got, term.English)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("GET ?%s found %q, want %q", c.query, got, c.want)
			}
		})
	}

	var empty struct {
		Terms json.RawMessage
		Total int
	}
	e.do(t, "GET", "/api/glossary?q=nothing", "", &empty)
	if string(empty.Terms) != "[]" {
		t.Errorf("no hits: terms = %s, want []", empty.Terms)
	}

	for _, c := range []struct{ query, msg string }{
		{"limit=501", "limit:"},
		{"limit=0", "limit:"},
		{"limit=ten", "limit:"},
		{"offset=-1", "offset:"},
		{"type=place", "type:"},
	} {
		resp, body := e.send(t, "GET", "/api/glossary?"+c.query, "", nil, nil)
		if got := errorOf(t, body); resp.StatusCode != 400 || !strings.Contains(got, c.msg) {
			t.Errorf("GET ?%s = %d %q, want 400 with %q", c.query, resp.StatusCode, got, c.msg)
		}
	}
}

const canonicalHeader = "arabic,english,type,variants,english_alternatives,forbidden,note,do_not_translate"

func TestGlossaryAPI_Import(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	file := []byte(canonicalHeader + "\n" +
		"روسيا,Russia,name,,,,,false\n" +
		"الكرملين,the Kremlin,name,,Kremlin,,,true\n" +
		"\"الضمانات الأمنية\",\"security guarantees, plural\",term,,,,,false\n")

	t.Run("DryRunWritesNothing", func(t *testing.T) {
		resp, body := e.upload(t, "/api/glossary/import", "terms.csv", file, map[string]string{"dry_run": "true"})
		var rep glossary.ImportReport
		if err := json.Unmarshal(body, &rep); err != nil || resp.StatusCode != 200 {
			t.Fatalf("dry run = %d %s", resp.StatusCode, body)
		}
		if !rep.DryRun || rep.File != "terms.csv" || len(rep.Added) != 2 || len(rep.Unchanged) != 1 || rep.Added[0].Line != 3 {
			t.Errorf("dry-run report = %+v", rep)
		}
		if n := e.termCount(t); n != 1 {
			t.Errorf("dry run wrote: %d terms, want 1", n)
		}
	})

	t.Run("BadFileWritesNothing", func(t *testing.T) {
		bad := []byte(canonicalHeader + "\nالكرملين,the Kremlin,name,,,,,\nأوكرانيا,,term,,,,,\n")
		resp, body := e.upload(t, "/api/glossary/import", "bad.csv", bad, map[string]string{"mode": "merge"})
		if got := errorOf(t, body); resp.StatusCode != 400 || !strings.Contains(got, "bad.csv:3") || !strings.Contains(got, "english") {
			t.Errorf("bad file = %d %q, want 400 naming bad.csv:3 and english", resp.StatusCode, got)
		}
		if n := e.termCount(t); n != 1 {
			t.Errorf("bad file wrote: %d terms, want 1", n)
		}
	})

	t.Run("Windows1256", func(t *testing.T) {
		enc, err := charmap.Windows1256.NewEncoder().Bytes([]byte("بيلاروسيا,Belarus\r\nأوكرانيا,Ukraine\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp, body := e.upload(t, "/api/glossary/import", "excel.csv", enc, map[string]string{"dry_run": "1"})
		var rep glossary.ImportReport
		json.Unmarshal(body, &rep)
		if resp.StatusCode != 200 || rep.Encoding != "windows-1256" || len(rep.Added) != 2 || rep.Added[0].Arabic != "بيلاروسيا" {
			t.Errorf("Windows-1256 dry run = %d %s", resp.StatusCode, body)
		}
	})

	t.Run("Import", func(t *testing.T) {
		resp, body := e.upload(t, "/api/glossary/import", "terms.csv", file, map[string]string{"dry_run": "off", "mode": "merge"})
		var rep glossary.ImportReport
		json.Unmarshal(body, &rep)
		if resp.StatusCode != 200 || rep.DryRun || len(rep.Added) != 2 {
			t.Fatalf("import = %d %s", resp.StatusCode, body)
		}
		var list struct{ Terms []glossary.Term }
		e.do(t, "GET", "/api/glossary?q="+url.QueryEscape("الكرملين"), "", &list)
		if len(list.Terms) != 1 || !list.Terms[0].DoNotTranslate || list.Terms[0].UpdatedBy != "reviewer" {
			t.Errorf("imported term = %+v", list.Terms)
		}
	})

	for _, c := range []struct {
		name   string
		file   string
		fields map[string]string
		status int
		msg    string
	}{
		{"ErrNoFile", "", map[string]string{"dry_run": "1"}, 400, "file: required"},
		{"ErrMode", "x.csv", map[string]string{"mode": "append"}, 400, "mode:"},
		{"ErrDryRun", "x.csv", map[string]string{"dry_run": "maybe"}, 400, "dry_run:"},
		{"ErrSkipBad", "x.csv", map[string]string{"skip_bad": "sometimes"}, 400, "skip_bad:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.upload(t, "/api/glossary/import", c.file, file, c.fields)
			if got := errorOf(t, body); resp.StatusCode != c.status || !strings.Contains(got, c.msg) {
				t.Errorf("= %d %q, want %d with %q", resp.StatusCode, got, c.status, c.msg)
			}
		})
	}
	resp, body := e.send(t, "POST", "/api/glossary/import", "application/json", []byte(`{}`), nil)
	if got := errorOf(t, body); resp.StatusCode != 400 || !strings.Contains(got, "file: required") {
		t.Errorf("import without multipart = %d %q", resp.StatusCode, got)
	}

	big := bytes.Repeat([]byte("روسيا,Russia\n"), 120000) // ~2 MB, over the 1 MiB test limit
	resp, body = e.upload(t, "/api/glossary/import", "big.csv", big, nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized import = %d %s, want 413", resp.StatusCode, body)
	}
}

func TestGlossaryAPI_Export(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	e.mustTerm(t, "صيغة", "=HYPERLINK(\"http://evil.example\",\"x\")", glossary.TypeTerm)

	resp, body := e.send(t, "GET", "/api/glossary/export", "", nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("export = %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="tarjama-glossary.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	text := string(body)
	if !strings.HasPrefix(text, canonicalHeader+"\n") && !strings.HasPrefix(text, canonicalHeader+"\r\n") {
		t.Errorf("export does not start with the canonical header: %q", text[:min(len(text), 120)])
	}
	if !strings.Contains(text, `'=HYPERLINK(`) {
		t.Errorf("formula not neutralized:\n%s", text)
	}
	for _, line := range strings.Split(text, "\n") {
		for _, cell := range strings.Split(line, ",") {
			if strings.HasPrefix(strings.TrimPrefix(cell, `"`), "=") {
				t.Errorf("cell %q starts with = in the export", cell)
			}
		}
	}

	_, withBOM := e.send(t, "GET", "/api/glossary/export?bom=1", "", nil, nil)
	if !bytes.HasPrefix(withBOM, []byte("\xef\xbb\xbf"+canonicalHeader)) {
		t.Errorf("?bom=1 export starts %q", withBOM[:min(len(withBOM), 20)])
	}
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Errorf("export without ?bom starts with a BOM")
	}

	// What was exported imports back unchanged.
	resp, rb := e.upload(t, "/api/glossary/import", "tarjama-glossary.csv", withBOM, map[string]string{"dry_run": "1"})
	var rep glossary.ImportReport
	json.Unmarshal(rb, &rep)
	if resp.StatusCode != 200 || len(rep.Unchanged) != 2 || len(rep.Added)+len(rep.Updated)+len(rep.Conflicting) != 0 {
		t.Errorf("re-import of the export = %d %s", resp.StatusCode, rb)
	}
}

func TestGlossaryAPI_Match(t *testing.T) {
	e := newTestEnv(t)
	kremlin := e.mustTerm(t, "الكرملين", "the Kremlin", glossary.TypeName)
	e.mustTerm(t, "الضمانات الأمنية", "security guarantees", glossary.TypeTerm)
	text := "قال الكرملين إن ضمانات أمنية ضرورية."

	resp, body := e.send(t, "POST", "/api/glossary/match", "application/json", []byte(`{"text":"`+text+`"}`), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("match = %d %s", resp.StatusCode, body)
	}
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil || len(raw) != 2 {
		t.Fatalf("match answer %s: %v", body, err)
	}
	for _, key := range []string{"term_id", "arabic", "english", "type", "text", "start", "end", "variant"} {
		if _, ok := raw[0][key]; !ok {
			t.Errorf("match object lacks %q: %v", key, raw[0])
		}
	}
	var matches []glossary.Match
	json.Unmarshal(body, &matches)
	runes := []rune(text)
	for _, m := range matches {
		if string(runes[m.Start:m.End]) != m.Text {
			t.Errorf("match %+v: text[start:end] = %q", m, string(runes[m.Start:m.End]))
		}
	}
	if matches[0].TermID != kremlin.ID || matches[0].English != "the Kremlin" || matches[0].Text != "الكرملين" || matches[0].Start != 4 {
		t.Errorf("first match = %+v", matches[0])
	}
	if matches[1].English != "security guarantees" || matches[1].Text != "ضمانات أمنية" {
		t.Errorf("second match = %+v", matches[1])
	}

	resp, plain := e.send(t, "POST", "/api/glossary/match", "text/plain; charset=utf-8", []byte(text), nil)
	if resp.StatusCode != 200 || !bytes.Equal(plain, body) {
		t.Errorf("text/plain match = %d %s, want the JSON answer's %s", resp.StatusCode, plain, body)
	}
	resp, none := e.send(t, "POST", "/api/glossary/match", "application/json", []byte(`{"text":"لا شيء هنا"}`), nil)
	if resp.StatusCode != 200 || strings.TrimSpace(string(none)) != "[]" {
		t.Errorf("no matches = %d %s, want []", resp.StatusCode, none)
	}
	for _, c := range []struct{ ct, body, msg string }{
		{"application/json", `{"text":`, "expected JSON"},
		{"application/json", `{"txt":"x"}`, `no "text" field`},
		{"text/plain", "\xff\xfe", "not valid UTF-8"},
	} {
		resp, b := e.send(t, "POST", "/api/glossary/match", c.ct, []byte(c.body), nil)
		if got := errorOf(t, b); resp.StatusCode != 400 || !strings.Contains(got, c.msg) {
			t.Errorf("match %s %q = %d %q, want 400 with %q", c.ct, c.body, resp.StatusCode, got, c.msg)
		}
	}
}

// TestGlossaryPage_EscapesMarkup feeds markup through a term's English and note and checks
// that the glossary page and the article tooltip show it as text.
func TestGlossaryPage_EscapesMarkup(t *testing.T) {
	e := newTestEnv(t)
	term := glossary.Term{Arabic: "الكرملين", English: `<script>alert("en")</script>`, Type: glossary.TypeName,
		Note: `<img src=x onerror=alert(1)> "quoted" & more`, Alternatives: []string{"<b>bold</b>"}}
	if err := e.glossary.Create(context.Background(), &term); err != nil {
		t.Fatal(err)
	}
	a := e.article(t, "", "عنوان\n\nقال الكرملين إن الحوار ممكن.")

	for _, path := range []string{"/glossary", "/glossary?q=" + url.QueryEscape("<script>"), fmt.Sprintf("/articles/%d", a.ID)} {
		resp, body := e.send(t, "GET", path, "", nil, nil)
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>bold"} {
			if strings.Contains(page, raw) {
				t.Errorf("GET %s: page contains unescaped %q", path, raw)
			}
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;en&#34;)&lt;/script&gt;") {
			t.Errorf("GET %s: escaped English not found", path)
		}
	}
	_, body := e.send(t, "GET", fmt.Sprintf("/articles/%d", a.ID), "", nil, nil)
	tip := regexp.MustCompile(`<mark [^>]*data-tip="([^"]*)"`).FindStringSubmatch(string(body))
	if tip == nil || !strings.Contains(tip[1], "&lt;img src=x") {
		t.Errorf("article page: no escaped data-tip on the highlighted term: %v", tip)
	}
	// The same text, escaped, is the mark's accessible description.
	desc := regexp.MustCompile(`<mark [^>]*aria-describedby="([^"]+)"[^>]*>[^<]*</mark><span class="tip-text" id="([^"]+)"[^>]*hidden>([^<]*)</span>`).FindStringSubmatch(string(body))
	if desc == nil || desc[1] != desc[2] || tip == nil || desc[3] != tip[1] {
		t.Errorf("article page: the highlight's aria-describedby does not name a hidden span with its tooltip: %q", desc)
	}
	// The htmx partials escape too.
	resp, row := e.send(t, "GET", fmt.Sprintf("/glossary/%d/edit", term.ID), "", nil, map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || strings.Contains(string(row), "<script>alert") || !strings.Contains(string(row), "&lt;script&gt;") {
		t.Errorf("edit row = %d\n%s", resp.StatusCode, row)
	}
}

func TestGlossaryPage_List(t *testing.T) {
	e := newTestEnv(t)
	var csv strings.Builder
	csv.WriteString("arabic,english\n")
	for i := range 150 {
		fmt.Fprintf(&csv, "مصطلح%s,term %03d\n", arabicNumber(i), i)
	}
	if _, err := e.glossary.Import(context.Background(), strings.NewReader(csv.String()), glossary.ImportOptions{Name: "many.csv"}); err != nil {
		t.Fatal(err)
	}
	e.mustTerm(t, "سيرغي ريابكوف", "Sergei Ryabkov", glossary.TypeName)
	e.mustTerm(t, "الضمانات الأمنية", "security guarantees", glossary.TypeTerm)

	for _, c := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"", []string{"Terms 1–100 of 152", `href="/glossary?page=2"`, `<input type="hidden" name="csrf_token"`}, []string{`rel="prev"`}},
		{"?page=2", []string{"Terms 101–152 of 152", `href="/glossary"`}, []string{`rel="next"`}},
		{"?page=99", []string{"Terms 101–152 of 152"}, nil},
		// Arabic words are read as the concordance search reads them: article optional,
		// proclitics stripped.
		{"?q=" + url.QueryEscape("ضمانات امنية"), []string{"Terms 1–1 of 1", "security guarantees"}, []string{"term 001"}},
		{"?q=" + url.QueryEscape("بالضمانات"), []string{"Terms 1–1 of 1", "security guarantees"}, []string{"term 001"}},
		{"?q=" + url.QueryEscape("ريابكوف"), []string{"Terms 1–1 of 1", "Sergei Ryabkov"}, []string{"term 001"}},
		{"?type=name", []string{"Sergei Ryabkov", "(names only)"}, []string{"term 001"}},
		{"?q=nothing", []string{"No terms match"}, nil},
	} {
		resp, body := e.send(t, "GET", "/glossary"+c.query, "", nil, nil)
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET /glossary%s = %d", c.query, resp.StatusCode)
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("GET /glossary%s lacks %q", c.query, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(page, n) {
				t.Errorf("GET /glossary%s has %q", c.query, n)
			}
		}
	}
	if resp, _ := e.send(t, "GET", "/glossary?type=place", "", nil, nil); resp.StatusCode != 400 {
		t.Errorf("GET /glossary?type=place = %d, want 400", resp.StatusCode)
	}
}

// arabicNumber spells n with Arabic letters so generated terms stay distinct after normalization.
func arabicNumber(n int) string {
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	s := []rune{letters[n%len(letters)], letters[(n/len(letters))%len(letters)]}
	return string(s)
}

func TestGlossaryPage_AddEditDelete(t *testing.T) {
	e := newTestEnv(t)
	form := url.Values{"arabic": {"الضمانات الأمنية"}, "english": {"security guarantees"}, "type": {"term"},
		"variants": {"ضمانات أمنية\nالضمانات الامنية"}, "english_alternatives": {"security assurances | safety guarantees"},
		"forbidden": {""}, "note": {"plural in English"}, "do_not_translate": {""}}

	resp, row := e.postForm(t, "/glossary", form, true)
	if resp.StatusCode != 200 || !strings.Contains(string(row), `<tr id="term-`) || !strings.Contains(string(row), "security guarantees") {
		t.Fatalf("htmx add = %d\n%s", resp.StatusCode, row)
	}
	list, _, _ := e.glossary.List(context.Background(), glossary.Filter{})
	if len(list) != 1 || len(list[0].Variants) != 2 || len(list[0].Alternatives) != 2 || list[0].Note != "plural in English" {
		t.Fatalf("stored = %+v", list)
	}
	id := list[0].ID

	resp, body := e.postForm(t, "/glossary", form, true)
	if got := errorOf(t, body); resp.StatusCode != 409 || !strings.Contains(got, "already in the glossary") {
		t.Errorf("duplicate add = %d %q, want 409", resp.StatusCode, got)
	}
	bad := url.Values{"arabic": {"روسيا"}, "english": {""}}
	resp, body = e.postForm(t, "/glossary", bad, true)
	if got := errorOf(t, body); resp.StatusCode != 400 || got != "create term: english: required" && !strings.Contains(got, "english: required") {
		t.Errorf("add without English = %d %q", resp.StatusCode, got)
	}

	// Without htmx the form redirects to the new term.
	resp, _ = e.postForm(t, "/glossary", url.Values{"arabic": {"روسيا"}, "english": {"Russia"}, "type": {"name"}, "do_not_translate": {"1"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/glossary?") || strings.Contains(loc, "msg=") || flashOf(t, resp) != "Added روسيا → Russia." {
		t.Errorf("plain add = %d Location %q flash %q; want a redirect to the term with a one-time flash", resp.StatusCode, loc, flashOf(t, resp))
	}

	resp, edit := e.send(t, "GET", fmt.Sprintf("/glossary/%d/edit", id), "", nil, map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || !strings.Contains(string(edit), `hx-post="/glossary/`) || !strings.Contains(string(edit), "ضمانات أمنية\nالضمانات الامنية") {
		t.Errorf("edit row = %d\n%s", resp.StatusCode, edit)
	}

	form.Set("english", "security assurances")
	form.Set("english_alternatives", "")
	resp, row = e.postForm(t, fmt.Sprintf("/glossary/%d", id), form, true)
	if resp.StatusCode != 200 || !strings.Contains(string(row), "security assurances") {
		t.Errorf("save = %d\n%s", resp.StatusCode, row)
	}
	if got, _ := e.glossary.Get(context.Background(), id); got.English != "security assurances" || len(got.Alternatives) != 0 {
		t.Errorf("after save = %+v", got)
	}
	resp, body = e.postForm(t, "/glossary/9999", form, true)
	if resp.StatusCode != 404 {
		t.Errorf("save of a missing term = %d %s", resp.StatusCode, body)
	}

	resp, cancel := e.send(t, "GET", fmt.Sprintf("/glossary/%d", id), "", nil, map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || !strings.Contains(string(cancel), `class="edit"`) {
		t.Errorf("cancel row = %d\n%s", resp.StatusCode, cancel)
	}

	// A delete takes the row away and, out of band, recounts the list the page shows and
	// says what was deleted.
	resp, body = e.send(t, "DELETE", fmt.Sprintf("/glossary/%d", id), "", nil, map[string]string{"HX-Request": "true",
		"HX-Current-URL": e.srv.URL + "/glossary?q=" + url.QueryEscape("الضمانات")})
	for _, want := range []string{
		`<p id="list-summary" class="list-summary" hx-swap-oob="true">No terms match for “<span dir="auto">الضمانات</span>”.</p>`,
		`<p id="glossary-status" hx-swap-oob="innerHTML">Deleted «الضمانات الأمنية» → security assurances.</p>`,
	} {
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("delete = %d %s\nwant it to contain %s", resp.StatusCode, body, want)
		}
	}
	if strings.Contains(string(body), "<tr") {
		t.Errorf("delete answered with a row: %s", body)
	}
	if _, err := e.glossary.Get(context.Background(), id); err == nil {
		t.Errorf("term %d still there after delete", id)
	}
	if resp, _ := e.send(t, "DELETE", fmt.Sprintf("/glossary/%d", id), "", nil, map[string]string{"HX-Request": "true"}); resp.StatusCode != 404 {
		t.Errorf("second delete = %d, want 404", resp.StatusCode)
	}
}

var importTokenRE = regexp.MustCompile(`action="/glossary/import/([A-Za-z0-9_-]+)"`)

func TestGlossaryPage_ImportPreviewThenConfirm(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	e.mustTerm(t, "حلف شمال الأطلسي", "NATO", glossary.TypeName)
	enc, err := charmap.Windows1256.NewEncoder().Bytes([]byte("arabic,english\r\nروسيا,Russia\r\nالكرملين,the Kremlin\r\nأوكرانيا,Ukraine\r\n"))
	if err != nil {
		t.Fatal(err)
	}

	resp, body := e.upload(t, "/glossary/import", "excel.csv", enc, map[string]string{"mode": "merge"})
	page := string(body)
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"decoded as Windows-1256", "excel.csv", "2 to add", "0 to update", "1 unchanged", "Import these changes", "الكرملين", ">3</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if n := e.termCount(t); n != 2 {
		t.Fatalf("preview wrote: %d terms", n)
	}
	m := importTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no confirm form in the preview:\n%s", page)
	}
	path := "/glossary/import/" + m[1]

	// The same upload previewed as replace shows what would go.
	resp, body = e.postForm(t, path, url.Values{"action": {"preview"}, "mode": {"replace"}}, false)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "1 to remove") || !strings.Contains(string(body), "حلف شمال الأطلسي") {
		t.Errorf("replace preview = %d", resp.StatusCode)
	}

	resp, _ = e.postForm(t, path, url.Values{"action": {"import"}, "mode": {"merge"}, "skip_bad": {"0"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/glossary" {
		t.Fatalf("confirm = %d %q", resp.StatusCode, loc)
	}
	if msg := flashOf(t, resp); !strings.Contains(msg, "2 added") || !strings.Contains(msg, "Windows-1256") {
		t.Errorf("flash = %q", msg)
	}
	if n := e.termCount(t); n != 4 {
		t.Errorf("after confirm: %d terms, want 4", n)
	}
	resp, body = e.postForm(t, path, url.Values{"action": {"import"}}, false)
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "upload the file again") {
		t.Errorf("re-using an applied upload = %d", resp.StatusCode)
	}

	// A bad file is shown with its line, nothing is written, and the page offers to skip it.
	bad := []byte("arabic,english\nبيلاروسيا,Belarus\nالصين,\n")
	resp, body = e.upload(t, "/glossary/import", "bad.csv", bad, map[string]string{"mode": "merge"})
	page = string(body)
	if resp.StatusCode != 400 || !strings.Contains(page, "bad.csv: 1 bad row, nothing imported") || !strings.Contains(page, "line 3") ||
		strings.Count(page, ": required") != 1 || !strings.Contains(page, "leaving out the bad rows") {
		t.Errorf("bad file preview = %d; want the summary, then line 3 once, and the offer to leave it out\n%s", resp.StatusCode, page)
	}
	m = importTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no skip-bad form for the bad file")
	}
	resp, body = e.postForm(t, "/glossary/import/"+m[1], url.Values{"action": {"preview"}, "mode": {"merge"}, "skip_bad": {"1"}}, false)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "1 to add") || !strings.Contains(string(body), "1 bad rows left out") {
		t.Errorf("skip-bad preview = %d", resp.StatusCode)
	}
	if n := e.termCount(t); n != 4 {
		t.Errorf("bad file wrote: %d terms", n)
	}

	resp, body = e.upload(t, "/glossary/import", "", nil, map[string]string{"mode": "merge"})
	if resp.StatusCode != 400 || !strings.Contains(string(body), "file: required") {
		t.Errorf("preview without a file = %d", resp.StatusCode)
	}
}

func TestUploadStash_Bounded(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	u := newUploadStash(10*time.Minute, 3, 100)
	u.now = func() time.Time { return now }
	put := func(n int) string {
		tok, err := u.put("f.csv", make([]byte, n))
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
		return tok
	}
	a, b := put(10), put(10)
	if a == b || len(a) < 32 {
		t.Fatalf("tokens %q %q", a, b)
	}
	c, d := put(10), put(10) // four items: the oldest goes
	if _, ok := u.get(a); ok {
		t.Error("oldest upload kept beyond the item limit")
	}
	for _, tok := range []string{b, c, d} {
		if _, ok := u.get(tok); !ok {
			t.Error("a recent upload was dropped")
		}
	}
	e := put(90) // over 100 bytes: older ones go until it fits
	if _, ok := u.get(e); !ok || u.bytes > 100 {
		t.Errorf("after a large upload: kept=%v bytes=%d", ok, u.bytes)
	}
	if _, ok := u.get(b); ok {
		t.Error("byte limit not enforced")
	}
	now = now.Add(11 * time.Minute)
	if _, ok := u.get(e); ok || len(u.items) != 0 || u.bytes != 0 {
		t.Errorf("expired uploads kept: %d items, %d bytes", len(u.items), u.bytes)
	}
}

// TestGlossaryPage_ImportPreviewSaysWhatHappens: a new English is previewed as an update with
// the former English kept as an alternative; a spelling another term owns is shown as
// conflicting with its reason, and confirming without leaving it out writes nothing.
func TestGlossaryPage_ImportPreviewSaysWhatHappens(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, tr := range []glossary.Term{
		{Arabic: "الكرملين", English: "the Kremlin", Alternatives: []string{"Kremlin"}},
		{Arabic: "حلف شمال الأطلسي", English: "NATO", Type: glossary.TypeName, Variants: []string{"الناتو"}},
	} {
		if err := e.glossary.Create(ctx, &tr); err != nil {
			t.Fatal(err)
		}
	}
	file := []byte("الكرملين,Kremlin\nالناتو,the Atlantic alliance\n")
	resp, body := e.upload(t, "/glossary/import", "g.csv", file, map[string]string{"mode": "merge"})
	page := string(body)
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"1 to update", "1 conflicting, refused", "Updated: a new English",
		"Conflicting: refused", "is already a variant of term 2", "takes its place among the alternatives"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(page, "with a different English") {
		t.Error("preview still calls a new English a conflict")
	}
	// The refused row shows what the glossary has now, and the button imports the others.
	if !regexp.MustCompile(`(?s)الناتو</td>\s*<td>the Atlantic alliance</td>\s*<td class="now">NATO</td>`).MatchString(page) {
		t.Error(`the conflicting row does not show "NATO" as what is stored now`)
	}
	action, fields := confirmForm(t, page)
	if fields.Get("skip_bad") != "1" || !strings.Contains(page, ">Import the good row</button>") ||
		!strings.Contains(page, "The refused row stays out: fix it in the file") {
		t.Errorf("the confirm form posts %v; want skip_bad=1 behind \"Import the good row\", saying the refused row stays out", fields)
	}
	before, _ := e.glossary.All(ctx)
	// A script that insists on the whole file is still refused, the reason said once.
	manual := url.Values{"action": {"import"}, "mode": {"merge"}, "skip_bad": {"0"}}
	resp, body = e.postForm(t, action, manual, false)
	if page := string(body); resp.StatusCode != 400 || !strings.Contains(page, "g.csv: 1 conflicting row, nothing imported") ||
		strings.Count(page, "is already a variant of term 2") != 1 || !strings.Contains(page, "leaving out the bad rows") {
		t.Errorf("confirm with a conflict = %d; want the summary and the row once\n%s", resp.StatusCode, page)
	}
	if after, _ := e.glossary.All(ctx); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused import changed the glossary:\nbefore %+v\nafter  %+v", before, after)
	}
	resp, _ = e.postForm(t, action, fields, false)
	if msg := flashOf(t, resp); resp.StatusCode != http.StatusSeeOther || !strings.Contains(msg, "1 updated") || !strings.Contains(msg, "1 conflicting rows left out") {
		t.Errorf("the preview's own button = %d %q", resp.StatusCode, msg)
	}
}

// confirmForm finds the form of the preview's confirm button: where it posts and its fields.
func confirmForm(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	i := strings.Index(page, `id="import-confirm"`)
	if i < 0 {
		t.Fatalf("no confirm button in the preview:\n%s", page)
	}
	form := page[strings.LastIndex(page[:i], "<form"):i]
	m := importTokenRE.FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the confirm form has no action: %s", form)
	}
	fields := url.Values{"action": {"import"}}
	for _, in := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(form, -1) {
		if in[1] != "csrf_token" {
			fields.Set(in[1], in[2])
		}
	}
	return "/glossary/import/" + m[1], fields
}

// TestGlossaryPage_FlashShownOnce: the message after a plain form post is shown on the page
// the browser is sent to, and not again when that page is reloaded (it is not in the URL).
func TestGlossaryPage_FlashShownOnce(t *testing.T) {
	e := newTestEnv(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	get := func(u string) (string, string) {
		t.Helper()
		resp, err := browser.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Request.URL.String(), string(b)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/glossary", strings.NewReader(url.Values{"arabic": {"روسيا"}, "english": {"Russia"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := browser.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	landed := resp.Request.URL.String()
	const flash = `<p class="flash" role="status">Added روسيا → Russia.</p>`
	if resp.StatusCode != 200 || !strings.Contains(string(b), flash) || strings.Contains(landed, "msg") {
		t.Fatalf("after the add: %d at %s; want the list with the flash and a clean URL", resp.StatusCode, landed)
	}
	if _, again := get(landed); strings.Contains(again, `class="flash"`) {
		t.Error("reloading the page shows the flash again")
	}
}

// TestGlossaryAPI_ExportFormats: GET /api/glossary/export?format= gives CSV, TBX and XLSX
// downloads, each of which POST /api/glossary/import reads back as the same glossary.
func TestGlossaryAPI_ExportFormats(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	e.mustTerm(t, "صيغة", "=HYPERLINK(\"http://evil.example\",\"x\")", glossary.TypeTerm)
	for _, tc := range []struct {
		format, file, contentType, starts string
	}{
		{"csv", "tarjama-glossary.csv", "text/csv; charset=utf-8", "\xef\xbb\xbf" + canonicalHeader},
		{"tbx", "tarjama-glossary.tbx", "application/x-tbx+xml; charset=utf-8", `<?xml version="1.0" encoding="UTF-8"?>`},
		{"xlsx", "tarjama-glossary.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			// bom=1 is what the page's checkbox may send with any button: only CSV takes it.
			resp, body := e.send(t, "GET", "/api/glossary/export?bom=1&format="+tc.format, "", nil, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.contentType ||
				resp.Header.Get("Content-Disposition") != `attachment; filename="`+tc.file+`"` || !bytes.HasPrefix(body, []byte(tc.starts)) {
				t.Fatalf("export = %d %q %q, starting %q", resp.StatusCode, resp.Header.Get("Content-Type"),
					resp.Header.Get("Content-Disposition"), body[:min(len(body), 40)])
			}
			resp, rb := e.upload(t, "/api/glossary/import", "download", body, map[string]string{"dry_run": "1"})
			var rep glossary.ImportReport
			json.Unmarshal(rb, &rep)
			if resp.StatusCode != 200 || rep.Format != tc.format || len(rep.Unchanged) != 2 || len(rep.Added)+len(rep.Updated)+len(rep.Conflicting) != 0 {
				t.Errorf("re-import of the %s export = %d %s", tc.format, resp.StatusCode, rb)
			}
		})
	}
	resp, body := e.send(t, "GET", "/api/glossary/export?format=pdf", "", nil, nil)
	if got := errorOf(t, body); resp.StatusCode != 400 || !strings.Contains(got, `format: "pdf" is not one of csv, tbx, xlsx`) {
		t.Errorf("export?format=pdf = %d %q", resp.StatusCode, got)
	}
}

// TestGlossaryAPI_ImportRefusesNamingTheFile: a TBX or XLSX that cannot be imported is a
// 400 naming the file, the line or element, and the reason, and writes nothing.
func TestGlossaryAPI_ImportRefusesNamingTheFile(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"terms.tbx", `<martif><text><body><termEntry id="k"><langSet xml:lang="ar"><tig><term>الكرملين</term></tig></langSet></termEntry></body></text></martif>`,
			`terms.tbx:1: english: termEntry "k" has no English term`},
		{"memory.xml", `<tmx version="1.4"><body/></tmx>`, "memory.xml:1: this is a TMX translation memory, not a glossary"},
		{"sheet.xlsx", "PK\x03\x04 not really a zip", "sheet.xlsx: a zip file but not an Excel workbook"},
	} {
		resp, body := e.upload(t, "/api/glossary/import", tc.name, []byte(tc.body), nil)
		if got := errorOf(t, body); resp.StatusCode != 400 || !strings.Contains(got, tc.want) {
			t.Errorf("%s = %d %q, want 400 with %q", tc.name, resp.StatusCode, got, tc.want)
		}
	}
	if n := e.termCount(t); n != 1 {
		t.Errorf("refused files wrote: %d terms, want 1", n)
	}
}
