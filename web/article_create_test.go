package web

import (
	"bytes"
	"context"
	"fmt"
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

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
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

func articleCount(t *testing.T, s *translate.Store) int {
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
		{"Latin-1 on line 3", nil, &upload{"latin1.txt", []byte("عنوان\n\n\xe9t\xe9")}, http.StatusBadRequest, []string{"latin1.txt:3", "not valid UTF-8"}},
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
	s, err := NewServer(Config{Articles: e.articles, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard()})
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

// newOfflineEnv is newTestEnv with the offline backend, the default when nothing is configured.
func newOfflineEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	mt, err := backends.NewService(e.articles, e.glossary, backends.Config{Backend: backends.Offline}, slogDiscard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mt.Close)
	s, err := NewServer(Config{Articles: e.articles, Glossary: e.glossary, MT: mt, Logger: slogDiscard(), MaxUploadBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	e.mt, e.llm = mt, nil
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func TestOffline_PageLabelAndDraftsOnly(t *testing.T) {
	ctx := context.Background()
	online, offline := newTestEnv(t), newOfflineEnv(t)
	text := "عنوان المقال\n\nسيرغي ريابكوف.\n\nقال ريابكوف إن موسكو مستعدة للحوار.\n\nوأضاف أن العلاقات مع واشنطن صعبة جدا.\n\n٢٠٢٤"
	a := offline.article(t, "", text)
	onlineArticle := online.article(t, "", text)

	b := newBrowserClient(t, offline.srv.URL)
	code, page := b.get(fmt.Sprintf("/articles/%d", a.ID))
	if code != http.StatusOK || !strings.Contains(page, `<strong class="draft-label">offline drafts only</strong>`) || !strings.Contains(page, "with offline") {
		t.Fatalf("offline article page = %d, lacks the offline label", code)
	}
	if _, page := newBrowserClient(t, online.srv.URL).get(fmt.Sprintf("/articles/%d", onlineArticle.ID)); strings.Contains(page, "offline drafts only") {
		t.Error("the page with a machine-translation backend carries the offline label")
	}

	if err := offline.glossary.Create(ctx, &glossary.Term{Arabic: "سيرغي ريابكوف", English: "Sergei Ryabkov", Type: glossary.TypeName}); err != nil {
		t.Fatal(err)
	}
	tmx := `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="ar"/><body>
<tu><tuv xml:lang="ar"><seg>قال ريابكوف إن موسكو مستعدة للحوار.</seg></tuv><tuv xml:lang="en"><seg>Ryabkov said Moscow is ready for dialogue.</seg></tuv></tu>
</body></tmx>`
	if _, err := offline.articles.ImportTMX(ctx, strings.NewReader(tmx), translate.TMXImportOptions{Name: "memory.tmx"}); err != nil {
		t.Fatal(err)
	}

	// The page's Translate button: a form post that starts the run and comes back to the page.
	form := url.Values{"csrf_token": {b.token}}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/articles/%d/translate", offline.srv.URL, a.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/articles/%d", a.ID) {
		t.Fatalf("Translate = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	waitForRun(t, offline.mt, a.ID)
	var st struct {
		Running bool
		Report  translate.Report
	}
	offline.do(t, "GET", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", &st)
	if st.Running || st.Report.Status == "" {
		t.Fatalf("the offline run has ended, yet its status says %+v", st)
	}
	if st.Report.Status != translate.RunDone || st.Report.Requests != 0 {
		t.Fatalf("offline run = %+v, want done with no requests", st.Report)
	}

	segs, err := offline.articles.Segments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status translate.Status
		target string
	}
	wants := map[string]want{
		"عنوان المقال":                          {translate.StatusUntranslated, ""}, // no glossary term, no memory
		"سيرغي ريابكوف.":                        {translate.StatusDraft, "Sergei Ryabkov."},
		"قال ريابكوف إن موسكو مستعدة للحوار.":   {translate.StatusTM, "Ryabkov said Moscow is ready for dialogue."},
		"وأضاف أن العلاقات مع واشنطن صعبة جدا.": {translate.StatusUntranslated, ""}, // needs a translator
		"٢٠٢٤": {translate.StatusDraft, "2024"},
	}
	if len(segs) != len(wants) {
		t.Fatalf("%d segments, want %d: %+v", len(segs), len(wants), segs)
	}
	for _, g := range segs {
		w, ok := wants[strings.TrimSpace(g.Source)]
		if !ok {
			t.Errorf("unexpected segment %q", g.Source)
			continue
		}
		if g.Status != w.status || g.Target != w.target {
			t.Errorf("segment %q = %s %q, want %s %q", g.Source, g.Status, g.Target, w.status, w.target)
		}
	}
	// The page shows the drafts as drafts, still labelled offline.
	if _, page := b.get(fmt.Sprintf("/articles/%d", a.ID)); !strings.Contains(page, "Sergei Ryabkov.") || !strings.Contains(page, "offline drafts only") {
		t.Error("article page after the offline run lacks the draft or the label")
	}
}
