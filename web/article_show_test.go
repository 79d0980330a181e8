package web

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/store"
)

// BenchmarkArticlePage200 measures the review page of a 200-segment article with the seed
// glossary highlighted, against a baseline that only escapes the same 200 sources and
// targets into a bare template (no store, no matching, no layout).
func BenchmarkArticlePage200(b *testing.B) {
	ctx := context.Background()
	h, articles := benchServer(b)
	// 200 segments of real seed sentences, each with an English target.
	seedSegs, _ := articles.Segments(ctx, 1)
	var text strings.Builder
	for i := 0; i < 200; i++ {
		text.WriteString(seedSegs[1+i%(len(seedSegs)-1)].Source)
		text.WriteString("\n")
	}
	a, err := articles.CreateArticle(ctx, "bench", text.String(), "")
	if err != nil {
		b.Fatal(err)
	}
	segs, _ := articles.Segments(ctx, a.ID)
	if len(segs) != 200 {
		b.Fatalf("%d segments, want 200", len(segs))
	}
	var outs []store.MachineOutput
	for _, g := range segs {
		outs = append(outs, store.MachineOutput{SegmentID: g.ID, Target: "Deputy Foreign Minister Sergei Ryabkov said on Monday that Moscow was ready for dialogue.",
			Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "bench"})
	}
	if _, err := articles.ApplyMachine(ctx, outs); err != nil {
		b.Fatal(err)
	}
	path := fmt.Sprintf("/articles/%d", a.ID)

	b.Run("tarjama", func(b *testing.B) {
		var size int
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
			size = rec.Body.Len()
		}
		b.ReportMetric(float64(size)/1024, "KiB/page")
	})
	b.Run("baseline-bare-template", func(b *testing.B) {
		bare := template.Must(template.New("bare").Parse(`{{range .}}<div>{{.Source}}</div><textarea>{{.Target}}</textarea>{{end}}`))
		full, _ := articles.Segments(ctx, a.ID)
		for b.Loop() {
			if err := bare.Execute(io.Discard, full); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestArticlePage_SegmentNumbersStartAtOne: people count segments from 1 — in the # column,
// the editors' labels, the history and the bilingual export — while ids and the API's index
// stay as they are.
func TestArticlePage_SegmentNumbersStartAtOne(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	segs := e.segments(t, a.ID)
	_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
	_, hist := e.getPage(t, fmt.Sprintf("/segments/%d/history", segs[0].ID), true)
	_, export := e.getPage(t, fmt.Sprintf("/articles/%d/export?format=html", a.ID), false)
	for _, c := range []struct{ where, body, want, not string }{
		{"# column", page, `<span class="idx">1</span>`, `<span class="idx">0</span>`},
		{"last row", page, fmt.Sprintf(`<span class="idx">%d</span>`, len(segs)), fmt.Sprintf(`<span class="idx">%d</span>`, len(segs)+1)},
		{"editor label", page, `aria-label="English for segment 1"`, `aria-label="English for segment 0"`},
		{"history", hist, `aria-label="History of segment 1"`, `aria-label="History of segment 0"`},
		{"bilingual export", export, `<td class="idx">1</td>`, `<td class="idx">0</td>`},
	} {
		if !strings.Contains(c.body, c.want) || strings.Contains(c.body, c.not) {
			t.Errorf("%s: want %s and no %s", c.where, c.want, c.not)
		}
	}
	var api struct {
		Segments []struct{ Index int }
	}
	if r := e.do(t, "GET", fmt.Sprintf("/api/articles/%d", a.ID), "", &api); r.StatusCode != http.StatusOK || len(api.Segments) == 0 || api.Segments[0].Index != 0 {
		t.Errorf("API = %d %+v; want the first index 0 as before", r.StatusCode, api.Segments)
	}
}

// TestArticlePage_ShowsLastRunFailures: after a run against a backend that is down, a reload
// still shows the run's outcome with its reason and lists the segments that failed.
func TestArticlePage_ShowsLastRunFailures(t *testing.T) {
	e := newTestEnv(t)
	e.llm.SetScenario(backendtest.AlwaysFail())
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	segs := e.segments(t, a.ID)
	e.do(t, "POST", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", nil)
	runs, err := e.articles.Runs(context.Background(), a.ID)
	if err != nil || len(runs) != 1 || runs[0].Error == "" {
		t.Fatalf("runs = %+v, %v; want one run that failed with a reason", runs, err)
	}
	_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	summary := textOf(findID(doc, "run-summary"))
	if want := runs[0].String() + " — " + runs[0].Error; summary != want {
		t.Errorf("run summary after reload = %q, want %q", summary, want)
	}
	var items []string
	for li := findID(doc, "failures").FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.ElementNode {
			items = append(items, textOf(li))
		}
	}
	if len(items) != len(segs) {
		t.Fatalf("failures list = %q, want one line per segment (%d)", items, len(segs))
	}
	for i, it := range items {
		if want := fmt.Sprintf("Segment %d: machine translation failed: ", i+1); !strings.HasPrefix(it, want) || len(it) == len(want) {
			t.Errorf("failure %d = %q, want %q and the reason", i, it, want)
		}
	}
}

// findID finds the element with the id in the parsed page.
func findID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findID(c, id); f != nil {
			return f
		}
	}
	return nil
}

// textOf is the text inside n.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// benchServer is the workbench over a fresh database with the seed corpus loaded and the
// offline backend, as a handler to serve benchmark requests without a network in between.
func benchServer(b *testing.B) (http.Handler, *store.Store) {
	b.Helper()
	db := migrationstest.Open(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db.W, db.R, time.Now)
	articles := store.New(db.W, db.R, time.Now, terms)
	if err := seeds.Load(context.Background(), db.W, time.Now, articles, terms, log); err != nil {
		b.Fatal(err)
	}
	stores := testStores(db, articles, terms)
	mt, err := backends.NewService(stores, backends.Config{Backend: backends.Offline}, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(mt.Close)
	s, err := NewServer(Config{Articles: articles, Memory: stores.Memory, Glossary: terms, MT: mt, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	return s.Handler(), articles
}
