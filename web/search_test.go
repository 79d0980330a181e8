package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/export"
	"github.com/tarjama/tarjama/translate/store"
)

const searchArticle = "عنوان\n\nطالب بالضمانات الأمنية. الضمانات ضرورية.\n"

func searchFixture(t *testing.T) (*testEnv, translate.Article, []translate.Segment) {
	t.Helper()
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "عنوان", searchArticle)
	segs, _ := e.articles.Segments(ctx, a.ID)
	if len(segs) != 3 {
		t.Fatalf("%d segments", len(segs))
	}
	if _, err := e.articles.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[1].ID, Target: `He demanded security <script>alert("guarantees")</script> & more.`, Status: translate.StatusMachine},
		{SegmentID: segs[2].ID, Target: "Guarantees are essential.", Status: translate.StatusMachine},
	}); err != nil {
		t.Fatal(err)
	}
	return e, a, segs
}

func TestSearch_Page(t *testing.T) {
	e, a, segs := searchFixture(t)
	resp, body := e.fetch(t, "/search?q="+url.QueryEscape("ضمانات"))
	if resp.StatusCode != 200 {
		t.Fatalf("GET /search = %d\n%s", resp.StatusCode, body)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows := findNodes(doc, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(htmlAttr(n, "id"), "hit-") })
	if len(rows) != 2 {
		t.Fatalf("%d result rows, want 2:\n%s", len(rows), body)
	}
	for i, want := range []struct {
		seg  translate.Segment
		mark string
	}{{segs[1], "الضمانات"}, {segs[2], "الضمانات"}} {
		r := rows[i]
		links := findNodes(r, func(n *html.Node) bool { return n.Data == "a" })
		if len(links) != 1 || htmlAttr(links[0], "href") != fmt.Sprintf("/articles/%d#seg-%d", a.ID, want.seg.ID) {
			t.Errorf("row %d links to %v", i, links)
		}
		src := findNodes(r, func(n *html.Node) bool { return n.Data == "td" && htmlAttr(n, "lang") == "ar" })
		marks := findNodes(src[0], func(n *html.Node) bool { return n.Data == "mark" })
		if htmlAttr(src[0], "dir") != "rtl" || len(marks) != 1 || nodeText(marks[0]) != want.mark || nodeText(src[0]) != want.seg.Source {
			t.Errorf("row %d: source cell %q with marks %d", i, nodeText(src[0]), len(marks))
		}
	}
	if n := findNodes(doc, func(n *html.Node) bool { return n.Data == "script" && htmlAttr(n, "src") == "" }); len(n) != 0 {
		t.Errorf("the page has %d inline scripts: an English target was not escaped", len(n))
	}
	if !strings.Contains(body, `He demanded security &lt;script&gt;alert(&#34;guarantees&#34;)&lt;/script&gt; &amp; more.`) {
		t.Errorf("target not shown escaped:\n%s", body)
	}
}

func TestSearch_PageEnglishHighlightsEscapedText(t *testing.T) {
	e, _, _ := searchFixture(t)
	resp, body := e.fetch(t, "/search?q=SCRIPT")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /search = %d", resp.StatusCode)
	}
	if !strings.Contains(body, `&lt;<mark>script</mark>&gt;alert(&#34;guarantees&#34;)&lt;/<mark>script</mark>&gt;`) {
		t.Errorf("English hit not marked inside escaped text:\n%s", body)
	}
	resp, body = e.fetch(t, "/search?q=guarantees")
	if resp.StatusCode != 200 || strings.Count(body, "<mark>") != 2 || !strings.Contains(body, "<mark>Guarantees</mark> are essential.") {
		t.Errorf("case-insensitive English search:\n%s", body)
	}
}

func TestSearch_PageStates(t *testing.T) {
	e, _, _ := searchFixture(t)
	if resp, body := e.fetch(t, "/search"); resp.StatusCode != 200 || !strings.Contains(body, `name="q"`) || strings.Contains(body, "<table") {
		t.Errorf("empty search page = %d", resp.StatusCode)
	}
	if resp, body := e.fetch(t, "/search?q="+url.QueryEscape("لا شيء")); resp.StatusCode != 200 || !strings.Contains(body, "0 segments with") {
		t.Errorf("no hits = %d\n%s", resp.StatusCode, body)
	}
	long := strings.Repeat("ب", store.MaxSearchRunes+1)
	if resp, body := e.fetch(t, "/search?q="+long); resp.StatusCode != 400 || !strings.Contains(body, "longer than 200 characters") || !strings.Contains(body, `name="q"`) {
		t.Errorf("too long a query = %d\n%s", resp.StatusCode, body)
	}
	if resp, body := e.fetch(t, "/search?q="+url.QueryEscape(`"><script>alert(1)</script>`)); resp.StatusCode != 200 || strings.Contains(body, "<script>alert(1)") {
		t.Errorf("the query is echoed unescaped:\n%s", body)
	}
}

func TestSearch_API(t *testing.T) {
	e, a, segs := searchFixture(t)
	var got struct {
		Query string            `json:"query"`
		Hits  []store.SearchHit `json:"hits"`
		More  bool              `json:"more"`
	}
	if resp := e.do(t, "GET", "/api/search?q="+url.QueryEscape("الضمانات"), "", &got); resp.StatusCode != 200 {
		t.Fatalf("GET /api/search = %d", resp.StatusCode)
	}
	if len(got.Hits) != 2 || got.More {
		t.Fatalf("hits = %+v", got)
	}
	h := got.Hits[0]
	// طالب بالضمانات الأمنية: the hit is الضمانات, code points 6 to 14 (the ب before it is left out).
	if h.ArticleID != a.ID || h.SegmentID != segs[1].ID || h.Index != 1 || h.Field != "source" || len(h.Spans) != 1 || h.Spans[0] != (store.Span{Start: 6, End: 14}) || h.ArticleTitle != "عنوان" {
		t.Errorf("first hit = %+v", h)
	}
	if resp := e.do(t, "GET", "/api/search?q="+url.QueryEscape("ضمانات")+"&limit=1", "", &got); resp.StatusCode != 200 || len(got.Hits) != 1 || !got.More {
		t.Errorf("limit=1 = %d %+v", resp.StatusCode, got)
	}
	var apiErr struct{ Error string }
	if resp := e.do(t, "GET", "/api/search?q=", "", &apiErr); resp.StatusCode != 400 || !strings.Contains(apiErr.Error, "q: required") {
		t.Errorf("empty q = %d %q", resp.StatusCode, apiErr.Error)
	}
}

func findNodes(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && pred(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, findNodes(c, pred)...)
	}
	return out
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
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
	if err := export.Write(&exported, export.FormatHTML, a, segs, nil); err != nil {
		t.Fatal(err)
	}
	for name, page := range map[string]string{"search": search, "HTML export": exported.String()} {
		if !strings.Contains(page, ">Arabic</th>") || !strings.Contains(page, "<th>English</th>") || strings.Contains(page, "العربية") {
			t.Errorf("%s page does not head its columns Arabic / English", name)
		}
	}
}
