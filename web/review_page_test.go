package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
)

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

func (e *testEnv) segments(t *testing.T, articleID int64) []translate.Segment {
	t.Helper()
	segs, err := e.articles.Segments(context.Background(), articleID)
	if err != nil || len(segs) == 0 {
		t.Fatalf("segments of article %d: %d, %v", articleID, len(segs), err)
	}
	return segs
}
