package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/translate/tmx"
	"github.com/tarjama/tarjama/translate/xliff"
)

// fetch fetches a path and returns the response with its body read.
func (e *testEnv) fetch(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

const exportText = "عنوان الخبر\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات الأمنية ضرورية!\n"

// reviewedExportArticle stores exportText with the title approved, the second segment holding
// markup in its machine English and the third untranslated.
func reviewedExportArticle(t *testing.T, e *testEnv) (translate.Article, []translate.Segment) {
	t.Helper()
	ctx := context.Background()
	a := e.article(t, "", exportText)
	segs, err := e.articles.Segments(ctx, a.ID)
	if err != nil || len(segs) != 3 {
		t.Fatalf("segments = %d, %v", len(segs), err)
	}
	if _, err := e.articles.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[1].ID, Target: `Ryabkov said <script>alert("x")</script> & 'Moscow' is ready.`, Status: translate.StatusMachine, Origin: translate.OriginMachine},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, segs[0].ID, "News headline", 1, "rev"); err != nil {
		t.Fatal(err)
	}
	segs, _ = e.articles.Segments(ctx, a.ID)
	return a, segs
}

func TestExport_Download(t *testing.T) {
	e := newTestEnv(t)
	a, segs := reviewedExportArticle(t, e)
	for _, tc := range []struct {
		format, contentType, file string
		check                     func(t *testing.T, body string)
	}{
		{"txt", "text/plain; charset=utf-8", "tarjama-article-%d.en.txt", func(t *testing.T, body string) {
			if !strings.HasPrefix(body, "[DRAFT: 1 of 3 segments approved;") || !strings.Contains(body, "News headline\n\n[unreviewed] Ryabkov said <script>") {
				t.Errorf("txt = %q", body)
			}
		}},
		{"md", "text/markdown; charset=utf-8", "tarjama-article-%d.en.md", func(t *testing.T, body string) {
			if strings.Contains(body, "<script>") {
				t.Errorf("md carries raw markup: %q", body)
			}
		}},
		{"html", "text/html; charset=utf-8", "tarjama-article-%d.ar-en.html", func(t *testing.T, body string) {
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if n := countElements(doc, "script"); n != 0 {
				t.Errorf("html export has %d script elements:\n%s", n, body)
			}
			if n := countElements(doc, "tr"); n != 4 { // the head row and three segments
				t.Errorf("html export has %d rows, want 4", n)
			}
		}},
		{"xliff", "application/xliff+xml; charset=utf-8", "tarjama-article-%d.ar-en.xlf", func(t *testing.T, body string) {
			var doc xliff.Document
			if err := xml.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, u := range doc.File.Units {
				states = append(states, u.Segment.State)
			}
			if got := strings.Join(states, " "); got != "final translated initial" {
				t.Errorf("xliff states = %s", got)
			}
		}},
		{"tmx", "application/xml; charset=utf-8", "tarjama-article-%d.ar-en.tmx", func(t *testing.T, body string) {
			read, err := tmx.Read(strings.NewReader(body), "download.tmx")
			if err != nil || len(read.Pairs) != 1 || read.Pairs[0].Source != segs[0].Source || read.Pairs[0].Target != "News headline" {
				t.Errorf("tmx = %+v, %v", read, err)
			}
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			for _, prefix := range []string{"", "/api"} {
				resp, body := e.fetch(t, fmt.Sprintf("%s/articles/%d/export?format=%s", prefix, a.ID, tc.format))
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tc.contentType {
					t.Fatalf("GET %s export = %d %q: %.200s", prefix, resp.StatusCode, resp.Header.Get("Content-Type"), body)
				}
				disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
				if err != nil || disp != "attachment" || params["filename"] != fmt.Sprintf(tc.file, a.ID) {
					t.Errorf("Content-Disposition = %q", resp.Header.Get("Content-Disposition"))
				}
				if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Error("no nosniff header on a download")
				}
				tc.check(t, body)
			}
		})
	}
	if resp, body := e.fetch(t, fmt.Sprintf("/articles/%d/export", a.ID)); resp.StatusCode != 200 || !strings.HasPrefix(body, "[DRAFT") {
		t.Errorf("export without a format = %d %.80q, want txt", resp.StatusCode, body)
	}
}

func TestExport_Errors(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", exportText)
	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{fmt.Sprintf("/api/articles/%d/export?format=pdf", a.ID), 400, "txt, md, html, xliff, tmx"},
		{"/api/articles/999/export?format=txt", 404, "not found"},
		{"/api/articles/abc/export", 400, "not a valid id"},
		{fmt.Sprintf("/articles/%d/export?format=docx", a.ID), 400, "docx"},
	} {
		resp, body := e.fetch(t, tc.path)
		if resp.StatusCode != tc.code || !strings.Contains(body, tc.want) || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("GET %s = %d %q, want %d with %q and no download", tc.path, resp.StatusCode, body, tc.code, tc.want)
		}
	}
}

func TestTM_SegmentMatches(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	first := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار مع واشنطن.")
	segs, _ := e.articles.Segments(ctx, first.ID)
	if _, err := e.articles.Approve(ctx, segs[1].ID, `Ryabkov said Moscow is ready for <b>talks</b> with Washington & "others".`, 1, "rev"); err != nil {
		t.Fatal(err)
	}
	second := e.article(t, "", "عنوان آخر\n\nقال ريابكوف إن موسكو مستعدة للحوار مع الغرب.")
	segs2, _ := e.articles.Segments(ctx, second.ID)

	var got struct {
		SegmentID int64          `json:"segment_id"`
		Threshold int            `json:"threshold"`
		Matches   []memory.Match `json:"matches"`
	}
	if resp := e.do(t, "GET", fmt.Sprintf("/api/segments/%d/tm", segs2[1].ID), "", &got); resp.StatusCode != 200 {
		t.Fatalf("GET /api/segments/:id/tm = %d", resp.StatusCode)
	}
	if got.SegmentID != segs2[1].ID || got.Threshold != memory.FuzzyThreshold || len(got.Matches) != 1 ||
		got.Matches[0].Similarity != 87 || got.Matches[0].Exact || len(got.Matches[0].Diff) != 4 {
		t.Fatalf("matches = %+v", got)
	}

	resp, body := e.fetch(t, fmt.Sprintf("/segments/%d/tm", segs2[1].ID), "HX-Request", "true")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /segments/:id/tm = %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<span class="tm-sim" title="word-level similarity to this segment">87%</span>`,
		`<del title="not in this segment">واشنطن</del><ins title="only in this segment"> الغرب</ins>`,
		`Ryabkov said Moscow is ready for &lt;b&gt;talks&lt;/b&gt; with Washington &amp; &#34;others&#34;.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("fragment lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<b>") || strings.Contains(body, "<html") {
		t.Errorf("fragment has raw markup or a whole page:\n%s", body)
	}

	if resp, body := e.fetch(t, fmt.Sprintf("/segments/%d/tm", segs[0].ID)); resp.StatusCode != 200 || !strings.Contains(body, "No memory match of 70% or more.") {
		t.Errorf("segment without matches = %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.fetch(t, "/api/segments/9999/tm"); resp.StatusCode != 404 {
		t.Errorf("missing segment = %d", resp.StatusCode)
	}
	if resp, _ := e.fetch(t, fmt.Sprintf("/api/segments/%d/tm?limit=0", segs2[1].ID)); resp.StatusCode != 400 {
		t.Errorf("limit=0 = %d", resp.StatusCode)
	}
}

func countElements(n *html.Node, name string) int {
	c := 0
	if n.Type == html.ElementNode && n.Data == name {
		c++
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c += countElements(k, name)
	}
	return c
}

// TestBrowser_SearchAndExportDownload searches the seed corpus, follows a hit to its row on
// the article page, and downloads the article as XLIFF with the page's export button.
func TestBrowser_SearchAndExportDownload(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededServer(t)
	list, _ := articles.Articles(context.Background())
	first := list[0]

	var href, hash string
	var marks int
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/search"),
		chromedp.WaitVisible(`input[name="q"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="q"]`, "واشنطن\n", chromedp.ByQuery),
		chromedp.WaitVisible("table.search-results", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("table.search-results td.src mark").length`, &marks),
		chromedp.AttributeValue("table.search-results tbody tr a", "href", &href, nil, chromedp.ByQuery),
		chromedp.Click("table.search-results tbody tr a", chromedp.ByQuery),
		chromedp.WaitVisible("#segments", chromedp.ByQuery),
		chromedp.Evaluate(`location.hash`, &hash),
	)
	if err != nil {
		t.Fatal(err)
	}
	if marks == 0 || !strings.HasPrefix(href, fmt.Sprintf("/articles/%d#seg-", first.ID)) || "#"+strings.SplitN(href, "#", 2)[1] != hash {
		t.Fatalf("search: %d marks, first link %q, landed on %q", marks, href, hash)
	}
	var row bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector(location.hash) !== null`, &row)); err != nil || !row {
		t.Fatalf("the article page has no row %s: %v", hash, err)
	}

	button := fmt.Sprintf(`a[href="/articles/%d/export?format=xliff"]`, first.ID)
	var hasButton bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q) !== null`, button), &hasButton)); err != nil {
		t.Fatal(err)
	}
	if !hasButton {
		t.Fatalf("the article page has no XLIFF download button %s", button)
	}
	dir := t.TempDir()
	done := make(chan string, 1)
	var suggested string
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			suggested = ev.SuggestedFilename
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				select {
				case done <- ev.GUID:
				default:
				}
			}
		}
	})
	if err := chromedp.Run(ctx,
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Click(button, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-ctx.Done():
		t.Fatal("the download did not finish")
	}
	data, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	var doc xliff.Document
	if err := xml.Unmarshal(data, &doc); err != nil || len(doc.File.Units) != first.Progress.Total {
		t.Fatalf("downloaded XLIFF: %d units, %v", len(doc.File.Units), err)
	}
	if want := fmt.Sprintf("tarjama-article-%d.ar-en.xlf", first.ID); suggested != want {
		t.Errorf("download named %q, want %q", suggested, want)
	}
}
