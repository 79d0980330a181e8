package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/web/auth"
)

func TestAuth_PagesHideAdminControlsFromReviewers(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "mona", auth.RoleAdmin)
	e.addUser(t, "sami", auth.RoleReviewer)
	for _, tc := range []struct {
		name, class string
	}{{"mona", `class="role-admin"`}, {"sami", `class="role-reviewer"`}} {
		c := e.client(t)
		c.mustLogin(tc.name)
		for _, path := range []string{"/", "/glossary"} {
			r := c.do("GET", path, "", "", nil)
			if r.status != http.StatusOK || !strings.Contains(r.body, tc.class) || !strings.Contains(r.body, "admin-only") {
				t.Errorf("%s GET %s = %d; want body %s with admin-only controls marked", tc.name, path, r.status, tc.class)
			}
		}
	}
}

// The two classic payloads: a script element, and one that breaks out of an attribute.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
)

// scriptTagRe finds every script element a page opens; only the layout's own, loaded from
// /static/, may be there.
var scriptTagRe = regexp.MustCompile(`<script[^>]*>`)

// assertInert checks that an HTML (or XML) response shows both payloads as text, escaped,
// never as markup.
func assertInert(t *testing.T, what, body string) {
	t.Helper()
	for _, raw := range []string{xssScript, "<script>alert", xssAttr, "<img", "onerror=alert(1)>"} {
		if strings.Contains(body, raw) {
			t.Errorf("%s: contains the raw %q", what, raw)
		}
	}
	for _, tag := range scriptTagRe.FindAllString(body, -1) {
		if !strings.HasPrefix(tag, `<script src="/static/`) {
			t.Errorf("%s: a script element not from /static/: %s", what, tag)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("%s: lacks the escaped script payload", what)
	}
	if !strings.Contains(body, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;") && !strings.Contains(body, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("%s: lacks the escaped attribute payload", what)
	}
}

// assertMarkdownInert checks the Markdown export: every < is backslash-escaped, so no
// renderer reads the payloads as raw HTML.
func assertMarkdownInert(t *testing.T, body string) {
	t.Helper()
	for i := 0; i < len(body); i++ {
		if body[i] == '<' && (i == 0 || body[i-1] != '\\') {
			t.Errorf("Markdown export: unescaped < at byte %d: %q", i, body[i:min(len(body), i+30)])
		}
	}
	for _, want := range []string{`\<script\>alert(1)\</script\>`, `"\>\<img src=x onerror=alert(1)\>`} {
		if !strings.Contains(body, want) {
			t.Errorf("Markdown export lacks the escaped %q", want)
		}
	}
}

func TestEscaping_ScriptInArticleAndCorrection(t *testing.T) {
	e := newTestEnv(t)
	b := newBrowserClient(t, e.srv.URL)

	// The article comes in through the paste form, markup in its title and its text.
	title := "عنوان " + xssScript + " " + xssAttr
	text := "عنوان\n\nقال ريابكوف " + xssScript + " إن موسكو مستعدة للحوار. وأضاف " + xssAttr + " أن الضمانات ضرورية."
	resp := b.postArticle(url.Values{"csrf_token": {b.token}, "title": {title}, "text": {text}}, nil)
	resp.Body.Close()
	m := articlePathRe.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	articlePath := m[0]
	var id int64
	fmt.Sscan(m[1], &id)
	segs, err := e.articles.Segments(t.Context(), id)
	if err != nil || len(segs) < 2 || !strings.Contains(segs[1].Source, xssScript) {
		t.Fatalf("segments = %+v, %v; want the payload in segment 1", segs, err)
	}
	seg := segs[1]

	// The reviewer's correction, saved through the page's editor (htmx posts the row's form).
	correction := "Ryabkov said " + xssScript + " Moscow was ready " + xssAttr + " for dialogue."
	save := func(target string, version int) (int, string) {
		t.Helper()
		form := url.Values{"csrf_token": {b.token}, "version": {fmt.Sprint(version)}, "target": {target}}
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/segments/%d", e.srv.URL, seg.ID), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, row := save(correction, seg.Version)
	if code != http.StatusOK {
		t.Fatalf("save = %d\n%s", code, row)
	}
	assertInert(t, "saved row", row)
	// A stale save: the 409 row shows the stored correction beside the reviewer's own text.
	code, row = save("Mine: "+xssScript+" "+xssAttr, seg.Version)
	if code != http.StatusConflict || !strings.Contains(row, "Ryabkov said") || !strings.Contains(row, "Mine: ") {
		t.Fatalf("stale save = %d, want 409 with both texts\n%s", code, row)
	}
	assertInert(t, "409 conflict row", row)

	for _, tc := range []struct {
		what, path string
		markdown   bool // checked as Markdown, where escaping is a backslash
	}{
		{"home page", "/", false},
		{"article page", articlePath, false},
		{"segment history", fmt.Sprintf("/segments/%d/history", seg.ID), false},
		{"search by the Arabic", "/search?q=" + url.QueryEscape("ريابكوف"), false},
		{"search by the correction", "/search?q=" + url.QueryEscape("Moscow was ready"), false},
		{"search for the markup itself", "/search?q=" + url.QueryEscape(xssScript+" "+xssAttr), false},
		{"HTML export", articlePath + "/export?format=html", false},
		{"Markdown export", articlePath + "/export?format=md", true},
		{"XLIFF export", articlePath + "/export?format=xliff", false},
	} {
		t.Run(tc.what, func(t *testing.T) {
			code, body := b.get(tc.path)
			if code != http.StatusOK {
				t.Fatalf("GET %s = %d\n%s", tc.path, code, body)
			}
			if tc.markdown {
				assertMarkdownInert(t, body)
				return
			}
			assertInert(t, tc.what, body)
		})
	}
}

// TestPagesEscapeUserText feeds markup through an article title, its text and a correction
// and checks that every page shows it as text, never as markup.
func TestPagesEscapeUserText(t *testing.T) {
	e := newTestEnv(t)
	evil := `<script>alert("x")</script>`
	a := e.article(t, "عنوان "+evil, "عنوان\n\nقال "+evil+" ريابكوف.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	if _, err := e.articles.SaveTarget(context.Background(), segs[1].ID, `He said <img src=x onerror=alert(1)> "quoted"`, 1, "r"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", fmt.Sprintf("/articles/%d", a.ID)} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		for _, raw := range []string{"<script>alert", "<img src=x"} {
			if strings.Contains(page, raw) {
				t.Errorf("GET %s: page contains unescaped %q", path, raw)
			}
		}
		if path == "/" && !strings.Contains(page, "All articles") {
			t.Errorf("home page lacks the overall progress row")
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("GET %s: escaped title not found", path)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy = %q", path, csp)
		}
	}
}
