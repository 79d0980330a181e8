package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// formClient is a client that behaves as a formClient does towards the workbench: it keeps the
// CSRF cookie, sends the token the page gave it, and does not follow redirects, so tests see
// the 303 and where it points.
type formClient struct {
	t      *testing.T
	base   string
	client *http.Client
	token  string
}

var csrfFieldRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// newBrowserClient opens the home page once, as a reviewer does before using its form.
func newBrowserClient(t *testing.T, base string) *formClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &formClient{t: t, base: base, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	code, page := b.get("/")
	m := csrfFieldRe.FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		t.Fatalf("home page = %d, CSRF token found: %v", code, m != nil)
	}
	b.token = m[1]
	return b
}

func (b *formClient) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// upload is a file part of the paste/upload form.
type upload struct {
	name string
	data []byte
}

// postArticle sends the home page's multipart form. file may be nil; a formClient still sends
// the file part, with no name and no content, when none was chosen.
func (b *formClient) postArticle(fields url.Values, file *upload) *http.Response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	if file == nil {
		file = &upload{}
	}
	fw, err := w.CreateFormFile("file", file.name)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := fw.Write(file.data); err != nil {
		b.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", b.base+"/articles", &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp
}

func articleCount(t *testing.T, s *store.Store) int {
	t.Helper()
	list, err := s.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

var articlePathRe = regexp.MustCompile(`^/articles/(\d+)$`)

func encodeText(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestArticleForm_CreatesArticle(t *testing.T) {
	e := newTestEnv(t)
	body := "قال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية."
	for _, tc := range []struct {
		name      string
		fields    url.Values
		file      *upload
		wantTitle string
		wantText  string
	}{
		{"pasted text", url.Values{"text": {"\n  \nعنوان المقال\n\n" + body}}, nil, "عنوان المقال", "عنوان المقال\n\n" + body},
		{"pasted text with a title", url.Values{"title": {"عنوان آخر"}, "text": {body}}, nil, "عنوان آخر", body},
		{"uploaded file", nil, &upload{"news.txt", []byte("\n\nعنوان الملف\n\n" + body + "\n")}, "عنوان الملف", "عنوان الملف\n\n" + body + "\n"},
		{"uploaded file with a BOM", nil, &upload{"bom.txt", []byte("\ufeffعنوان بعلامة\n\n" + body)}, "عنوان بعلامة", "عنوان بعلامة\n\n" + body},
		{"a file wins over pasted text", url.Values{"text": {"نص ملصق."}}, &upload{"wins.txt", []byte("عنوان الملف الفائز\n\n" + body)}, "عنوان الملف الفائز", "عنوان الملف الفائز\n\n" + body},
		// Read as tarjama import and the glossary import read them (arabic.DecodeText).
		{"Windows-1256 file", nil, &upload{"excel.txt", encodeText(t, charmap.Windows1256, "عنوان عربي\r\n\r\n"+body)}, "عنوان عربي", "عنوان عربي\r\n\r\n" + body},
		{"UTF-16 file", nil, &upload{"notepad.txt", encodeText(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "عنوان عربي\n\n"+body)}, "عنوان عربي", "عنوان عربي\n\n" + body},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowserClient(t, e.srv.URL)
			fields := url.Values{"csrf_token": {b.token}}
			for k, v := range tc.fields {
				fields[k] = v
			}
			before := articleCount(t, e.articles)
			resp := b.postArticle(fields, tc.file)
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			m := articlePathRe.FindStringSubmatch(loc)
			if resp.StatusCode != http.StatusSeeOther || m == nil {
				t.Fatalf("POST /articles = %d to %q, want 303 to /articles/ID", resp.StatusCode, loc)
			}
			if n := articleCount(t, e.articles); n != before+1 {
				t.Fatalf("%d articles after the post, want %d", n, before+1)
			}
			var id int64
			fmt.Sscan(m[1], &id)
			a, err := e.articles.Article(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tc.wantTitle {
				t.Errorf("title = %q, want %q", a.Title, tc.wantTitle)
			}
			segs, err := e.articles.Segments(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			var joined strings.Builder
			for _, g := range segs {
				joined.WriteString(g.Source + g.Sep)
			}
			if got := joined.String(); got != tc.wantText {
				t.Errorf("stored text = %q, want %q", got, tc.wantText)
			}
			code, page := b.get(loc)
			if code != http.StatusOK || !strings.Contains(page, tc.wantTitle) || !strings.Contains(page, "الضمانات ضرورية.") {
				t.Errorf("GET %s = %d, page lacks the title or the text", loc, code)
			}
		})
	}
}

func TestArticleForm_RefusesBadInput(t *testing.T) {
	e := newTestEnv(t)                               // request bodies are limited to 1 MiB here
	big := bytes.Repeat([]byte("نص طويل. "), 100000) // ~1.6 MB: over the server's body limit
	for _, tc := range []struct {
		name   string
		fields url.Values
		file   *upload
		status int
		want   []string // in the error page, as HTML-escaped text
	}{
		{"empty file", nil, &upload{"empty.txt", []byte(" \r\n\n\t\n")}, http.StatusBadRequest, []string{"empty.txt", "empty"}},
		{"zero-byte file", nil, &upload{"zero.txt", nil}, http.StatusBadRequest, []string{"zero.txt", "empty"}},
		{"Latin-1 on line 3", nil, &upload{"latin1.txt", []byte("عنوان\n\n\xe9t\xe9")}, http.StatusBadRequest, []string{"latin1.txt:3", "not valid UTF-8", "save the file as UTF-8"}},
		{"binary file", nil, &upload{"image.txt", []byte("عنوان\x00\x00")}, http.StatusBadRequest, []string{"image.txt", "NUL"}},
		{"nothing pasted", url.Values{"text": {"  \n "}}, nil, http.StatusBadRequest, []string{"pasted text", "empty"}},
		{"oversize upload", nil, &upload{"big.txt", big}, http.StatusRequestEntityTooLarge, []string{"upload too large", "1 MiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowserClient(t, e.srv.URL)
			fields := url.Values{"csrf_token": {b.token}}
			for k, v := range tc.fields {
				fields[k] = v
			}
			resp := b.postArticle(fields, tc.file)
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d\n%s", resp.StatusCode, tc.status, page)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(page), w) {
					t.Errorf("error page lacks %q:\n%s", w, page)
				}
			}
			if n := articleCount(t, e.articles); n != 0 {
				t.Fatalf("a refused form stored %d articles", n)
			}
		})
	}
}

// TestArticleForm_ArticleSizeLimit: under the default 8 MiB body limit, a file over the
// 2 MiB article limit is refused by name, and nothing is stored.
func TestArticleForm_ArticleSizeLimit(t *testing.T) {
	e := newTestEnv(t)
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	b := newBrowserClient(t, srv.URL)
	data := append([]byte("عنوان\n\n"), bytes.Repeat([]byte("a"), translate.MaxArticleBytes)...)
	resp := b.postArticle(url.Values{"csrf_token": {b.token}}, &upload{"chapter.txt", data})
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "chapter.txt") || !strings.Contains(string(page), "limit") {
		t.Fatalf("oversize article = %d\n%s", resp.StatusCode, page)
	}
	if n := articleCount(t, e.articles); n != 0 {
		t.Fatalf("an oversize article was stored (%d articles)", n)
	}
}

func TestArticleForm_NeedsCSRFToken(t *testing.T) {
	e := newTestEnv(t)
	file := &upload{"news.txt", []byte("عنوان\n\nنص قصير.")}
	for _, tc := range []struct {
		name   string
		token  func(b *formClient) string
		origin string
		status int
	}{
		{"no token", func(*formClient) string { return "" }, "", http.StatusForbidden},
		{"wrong token", func(*formClient) string { return strings.Repeat("x", 43) }, "", http.StatusForbidden},
		{"another formClient's token", func(*formClient) string { return newBrowserClient(t, e.srv.URL).token }, "", http.StatusForbidden},
		{"cross-site with the token", func(b *formClient) string { return b.token }, "https://evil.example", http.StatusForbidden},
		{"the page's token", func(b *formClient) string { return b.token }, "", http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowserClient(t, e.srv.URL)
			before := articleCount(t, e.articles)
			fields := url.Values{}
			if tok := tc.token(b); tok != "" {
				fields.Set("csrf_token", tok)
			}
			if tc.origin != "" {
				b.client.Transport = originTransport{tc.origin}
			}
			resp := b.postArticle(fields, file)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tc.status)
			}
			want := before
			if tc.status == http.StatusSeeOther {
				want++
			}
			if n := articleCount(t, e.articles); n != want {
				t.Fatalf("%d articles after the post, want %d", n, want)
			}
		})
	}
}

// originTransport marks every request as a formClient does for a page on another site.
type originTransport struct{ origin string }

func (o originTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Origin", o.origin)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	return http.DefaultTransport.RoundTrip(r)
}

// TestArticleLimits_APIAndForm: the API and the home page form refuse an article over the
// segment limit or the size limit with the same words, and store nothing.
func TestArticleLimits_APIAndForm(t *testing.T) {
	e := newTestEnv(t)
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler()) // the default 8 MiB body limit, above the article limit
	t.Cleanup(srv.Close)
	long := "عنوان\n\n" + strings.Repeat("جملة. ", translate.MaxSegments)
	const tooMany = "2001 segments is over the limit of 2000 for one article; split the article"
	large := strings.Repeat("x", 3<<20)
	const tooLarge = "3 MiB is over the limit of 2 MiB for one article; split the article"

	for _, c := range []struct{ name, text, want string }{
		{"TooManySegments", long, "text: " + tooMany},
		{"TooLarge", large, "text: " + tooLarge},
	} {
		t.Run("API"+c.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"text": c.text})
			resp, err := http.Post(srv.URL+"/api/articles", "application/json", strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct{ Error string }
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusBadRequest || out.Error != c.want {
				t.Errorf("POST /api/articles = %d %q, want 400 %q", resp.StatusCode, out.Error, c.want)
			}
		})
	}
	for _, c := range []struct {
		name   string
		fields url.Values
		file   *upload
		want   string
	}{
		{"FormPastedTooManySegments", url.Values{"text": {long}}, nil, "pasted text: " + tooMany},
		{"FormFileTooManySegments", nil, &upload{"long.txt", []byte(long)}, "long.txt: " + tooMany},
		{"FormPastedTooLarge", url.Values{"text": {large}}, nil, "pasted text: " + tooLarge},
		{"FormFileTooLarge", nil, &upload{"big.txt", []byte(large)}, "big.txt: " + tooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBrowserClient(t, srv.URL)
			fields := url.Values{"csrf_token": {b.token}}
			for k, v := range c.fields {
				fields[k] = v
			}
			resp := b.postArticle(fields, c.file)
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), html.EscapeString(c.want)) {
				t.Errorf("POST /articles = %d, want 400 with %q in:\n%.2000s", resp.StatusCode, c.want, page)
			}
		})
	}
	if n := articleCount(t, e.articles); n != 0 {
		t.Errorf("refused articles stored: %d", n)
	}
	_, page := newBrowserClient(t, srv.URL).get("/")
	if want := "One article takes " + translate.LimitsText; !strings.Contains(page, want) {
		t.Errorf("home page does not state the limits %q", want)
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
