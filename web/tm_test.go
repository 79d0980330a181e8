package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate/memory"
)

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
