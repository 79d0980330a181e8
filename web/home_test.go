package web

import (
	"context"
	"strings"
	"testing"
)

// TestHome_PercentApprovedLeavesOutExcluded: "% approved" counts approvals among the segments
// to translate, so excluding boilerplate is not progress.
func TestHome_PercentApprovedLeavesOutExcluded(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية. وتابع الحديث.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	if len(segs) != 4 {
		t.Fatalf("%d segments, want 4", len(segs))
	}
	if _, err := e.articles.SetExcluded(ctx, segs[0].ID, true, 1, "r"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, segs[1].ID, "Ryabkov said Moscow was ready for dialogue.", 1, "r"); err != nil {
		t.Fatal(err)
	}
	_, body := e.getPage(t, "/", false)
	// One article row and the all-articles row: 1 approved of 3 to translate.
	if n := strings.Count(body, `title="33% approved"></progress> 33%`); n != 2 {
		t.Errorf("home page shows 33%% approved %d times, want 2 (article and total):\n%s", n, body)
	}
}
