package web

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// getPage fetches a page or, with htmx set, an htmx fragment, and returns the response and body.
func (e *testEnv) getPage(t *testing.T, path string, htmx bool) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
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

// machine stores machine output for one segment, as the MT pipeline would.
func (e *testEnv) machine(t *testing.T, seg translate.Segment, backend, model, text string, flags ...string) {
	t.Helper()
	if _, err := e.articles.ApplyMachine(context.Background(), []store.MachineOutput{{SegmentID: seg.ID, Target: text,
		Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: backend, Model: model, Flags: flags}}); err != nil {
		t.Fatal(err)
	}
}

func (e *testEnv) version(t *testing.T, seg translate.Segment) int {
	t.Helper()
	cur, err := e.articles.Segment(context.Background(), seg.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cur.Version
}

// noInlineStyle fails when markup carries style attributes or inline scripts, which the
// Content-Security-Policy would block.
func noInlineStyle(t *testing.T, what, body string) {
	t.Helper()
	if m := regexp.MustCompile(`(?i)\sstyle\s*=|<style|<script>|\son[a-z]+\s*=`).FindString(body); m != "" {
		t.Errorf("%s has inline %q, which the CSP blocks", what, m)
	}
}

func TestStats_Empty(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.getPage(t, "/stats", false)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="stats-empty"`) || !strings.Contains(body, "no reviewer has approved a machine-translated segment") {
		t.Fatalf("GET /stats on an empty store = %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "<svg") {
		t.Error("empty /stats draws a chart")
	}
	var got struct{ Quality []store.QualityRow }
	if resp := e.do(t, "GET", "/api/stats", "", &got); resp.StatusCode != 200 || got.Quality == nil || len(got.Quality) != 0 {
		t.Fatalf("GET /api/stats = %d %+v; want an empty list", resp.StatusCode, got.Quality)
	}
}

func TestStats_PageAndAPI(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	e.machine(t, segs[0], "openai", "gpt-x", "Title")
	e.machine(t, segs[1], "openai", "gpt-x", "Ryabkov said Moscow is ready for talks.")
	e.machine(t, segs[2], "libretranslate", "<b>m</b>", "He added guarantees are necessary.",
		`glossary: expected "security guarantees" for الضمانات الأمنية`)
	for i, text := range []string{"", "Ryabkov said Moscow is ready for dialogue.", "He added that security guarantees are necessary."} {
		if _, err := e.articles.Approve(ctx, segs[i].ID, text, e.version(t, segs[i]), "mona"); err != nil {
			t.Fatal(err)
		}
	}

	var got struct{ Quality []store.QualityRow }
	if resp := e.do(t, "GET", "/api/stats", "", &got); resp.StatusCode != 200 || len(got.Quality) != 2 {
		t.Fatalf("GET /api/stats = %d %+v", resp.StatusCode, got.Quality)
	}
	best, worst := got.Quality[0], got.Quality[1]
	if best.Backend != "openai" || best.Approved != 2 || best.Unchanged != 1 || best.Edits != 1 || best.RefWords != 8 ||
		worst.Backend != "libretranslate" || worst.GlossaryViolations != 1 || worst.GlossaryPer100 != 100 {
		t.Errorf("GET /api/stats = %+v", got.Quality)
	}

	resp, body := e.getPage(t, "/stats", false)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /stats = %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"<td>openai</td>", "<td>gpt-x</td>", "<td>libretranslate</td>",
		"0.125", // openai HTER: 1 edit in 8 approved words
		"50.0%", // openai approved unchanged
		"100.0 <small>(1/1)</small>",
		"&lt;b&gt;m&lt;/b&gt;", // a model name is text, in the table and the chart
		"<svg", "Word edit rate (HTER)", "chrF (0–100)",
		"Glossary violations / 100 approved",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /stats lacks %q", want)
		}
	}
	if strings.Contains(body, "<b>m</b>") {
		t.Error("GET /stats shows a model name unescaped")
	}
	if n := strings.Count(body, `<rect class="bar"`); n != 4 {
		t.Errorf("chart has %d bars, want 4 (two backends × HTER and chrF)", n)
	}
	if strings.Contains(body, "stats-empty") {
		t.Error("GET /stats shows the empty message next to figures")
	}
	noInlineStyle(t, "GET /stats", body)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("GET /stats CSP = %q", csp)
	}
}

func TestStats_ChartScales(t *testing.T) {
	rows := []store.QualityRow{{Backend: "a", HTER: 0.25, ChrF: 80}, {Backend: "b", Model: "very-long-model-name-that-does-not-fit", HTER: 1.7, ChrF: 20}}
	if got := hterScale(rows); got != 2 {
		t.Errorf("hterScale = %v, want 2 (1.7 rounded up to the next half)", got)
	}
	if got := hterScale(rows[:1]); got != 1 {
		t.Errorf("hterScale = %v, want 1", got)
	}
	ch := newBarChart("t", rows, 100, "%.1f", func(r store.QualityRow) float64 { return r.ChrF })
	if len(ch.Bars) != 2 || ch.Bars[0].W != chartBarArea*80/100 || ch.Bars[1].W != chartBarArea*20/100 || ch.Bars[0].Value != "80.0" {
		t.Errorf("bars = %+v", ch.Bars)
	}
	if l := []rune(ch.Bars[1].Label); len(l) != 32 || l[31] != '…' {
		t.Errorf("long label = %q, want it cut to 32 characters", ch.Bars[1].Label)
	}
}
