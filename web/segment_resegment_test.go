package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// TestAPI_SplitAndMerge: a segment is split at a character of its Arabic and merged back,
// each versioned, the article's text whole after each; both are refused while the article is
// being translated.
func TestAPI_SplitAndMerge(t *testing.T) {
	e := newTestEnv(t)
	const text = "عنوان\n\nالموقع قدم أوراق اعتماده\nالى نقابة الصحفيين العراقيين\n\nقال ريابكوف إن موسكو مستعدة للحوار."
	a := e.article(t, "", text)
	segs := e.segments(t, a.ID)
	joined := func() string {
		var b strings.Builder
		for _, g := range e.segments(t, a.ID) {
			b.WriteString(g.Source + g.Sep)
		}
		return b.String()
	}
	r := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/merge", segs[1].ID), fmt.Sprintf(`{"version": %d, "next_version": %d}`, segs[1].Version, segs[2].Version), nil)
	var merged translate.Segment
	e.do(t, "GET", fmt.Sprintf("/api/segments/%d", segs[1].ID), "", &merged)
	if r.StatusCode != 200 || merged.Source != "الموقع قدم أوراق اعتماده\nالى نقابة الصحفيين العراقيين" || joined() != text {
		t.Fatalf("merge = %d, %q", r.StatusCode, merged.Source)
	}
	if r := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/merge", segs[1].ID), fmt.Sprintf(`{"version": %d, "next_version": 1}`, segs[1].Version), nil); r.StatusCode != http.StatusConflict {
		t.Errorf("stale merge = %d, want 409", r.StatusCode)
	}

	var split struct{ Segments []translate.Segment }
	r = e.do(t, "POST", fmt.Sprintf("/api/segments/%d/split", merged.ID), fmt.Sprintf(`{"version": %d, "at": 24}`, merged.Version), &split)
	if r.StatusCode != 200 || len(split.Segments) != 2 || split.Segments[0].Source != "الموقع قدم أوراق اعتماده" || split.Segments[1].Source != "الى نقابة الصحفيين العراقيين" || joined() != text {
		t.Fatalf("split = %d %+v", r.StatusCode, split)
	}
	if n := len(e.segments(t, a.ID)); n != 4 {
		t.Errorf("%d segments after merge and split, want 4", n)
	}
	for _, c := range []struct{ path, body, want string }{
		{"split", `{"version": 1}`, "expected {"},
		{"split", fmt.Sprintf(`{"version": %d, "at": 0}`, split.Segments[1].Version), "at: 0 is not inside the Arabic"},
		{"merge", `{"version": 1}`, "expected {"},
	} {
		var out struct{ Error string }
		r := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/%s", split.Segments[1].ID, c.path), c.body, &out)
		if r.StatusCode != 400 || !strings.Contains(out.Error, c.want) {
			t.Errorf("%s %s = %d %q, want 400 %q", c.path, c.body, r.StatusCode, out.Error, c.want)
		}
	}

	e.llm.Latency = 2 * time.Second
	if err := e.mt.Start(a.ID, pipeline.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	defer waitForRun(t, e.mt, a.ID)
	defer e.mt.Cancel(a.ID)
	now := e.segments(t, a.ID)
	var out struct{ Error string }
	r = e.do(t, "POST", fmt.Sprintf("/api/segments/%d/split", now[3].ID), fmt.Sprintf(`{"version": %d, "at": 5}`, now[3].Version), &out)
	if r.StatusCode != http.StatusConflict || !strings.Contains(out.Error, "is being translated") || !strings.Contains(out.Error, "splitting #4") {
		t.Errorf("split during a run = %d %q", r.StatusCode, out.Error)
	}
	r = e.do(t, "POST", fmt.Sprintf("/api/segments/%d/merge", now[2].ID), fmt.Sprintf(`{"version": %d, "next_version": %d}`, now[2].Version, now[3].Version), &out)
	if r.StatusCode != http.StatusConflict || !strings.Contains(out.Error, "merging #3") {
		t.Errorf("merge during a run = %d %q", r.StatusCode, out.Error)
	}
}
