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
	"net/url"
	"strings"
	"testing"

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

// upload posts a multipart form with the file content in "file" and the other fields. Under
// /api/ it is a script, which names this server as its Origin (a form can send multipart, so
// a script's multipart write needs that or a CSRF token); a page sends its token.
func (e *testEnv) upload(t *testing.T, path, name string, content []byte, fields map[string]string) (*http.Response, []byte) {
	t.Helper()
	body, contentType := multipartBody(t, fields, "file", name, string(content))
	var h map[string]string
	if strings.HasPrefix(path, "/api/") {
		h = map[string]string{"Origin": e.srv.URL}
	}
	return e.send(t, "POST", path, contentType, []byte(body), h)
}

// multipartBody is a multipart form with the fields and, when name is not empty, a file
// field holding content; it returns the body and its Content-Type.
func multipartBody(t *testing.T, fields map[string]string, fileField, name, content string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile(fileField, name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(content))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), w.FormDataContentType()
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
