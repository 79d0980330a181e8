package web

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/translate"
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
			doc, err := xliff.Read(strings.NewReader(body), "download.xlf")
			if err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, u := range doc.Units {
				states = append(states, u.State.String())
			}
			if got := strings.Join(states, " "); got != "final initial initial" { // machine English needs review
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
		{fmt.Sprintf("/api/articles/%d/export?format=pdf", a.ID), 400, "txt, md, html, xliff, xliff12, tmx"},
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
