package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
)

func TestAPI_SegmentSaveAndConflict(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	path := fmt.Sprintf("/api/segments/%d", segs[1].ID)

	var saved translate.Segment
	resp := e.do(t, "PUT", path, `{"target":"Ryabkov said Moscow was ready for dialogue.","version":1}`, &saved)
	if resp.StatusCode != 200 || saved.Version != 2 || saved.Status != translate.StatusEdited {
		t.Fatalf("PUT = %d %+v", resp.StatusCode, saved)
	}

	var conflict struct {
		Error   string
		Current translate.Segment
	}
	resp = e.do(t, "PUT", path, `{"target":"Someone else's text.","version":1}`, &conflict)
	if resp.StatusCode != http.StatusConflict || conflict.Current.Target != "Ryabkov said Moscow was ready for dialogue." || conflict.Current.Version != 2 {
		t.Fatalf("stale PUT = %d %+v", resp.StatusCode, conflict)
	}

	var errBody struct{ Error string }
	if resp := e.do(t, "PUT", path, `{"target":"x"}`, &errBody); resp.StatusCode != 400 || !strings.Contains(errBody.Error, "version") {
		t.Fatalf("PUT without version = %d %q", resp.StatusCode, errBody.Error)
	}

	var approved translate.Segment
	if resp := e.do(t, "POST", path+"/approve", `{"version":2}`, &approved); resp.StatusCode != 200 || approved.Status != translate.StatusApproved || approved.Version != 3 {
		t.Fatalf("approve = %d %+v", resp.StatusCode, approved)
	}
	if resp := e.do(t, "POST", path+"/approve", `{"version":2}`, nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale approve = %d, want 409", resp.StatusCode)
	}

	var revs struct{ Revisions []translate.Revision }
	e.do(t, "GET", path+"/revisions", "", &revs)
	if len(revs.Revisions) != 2 || revs.Revisions[0].Kind != "edit" || revs.Revisions[1].Kind != "approve" {
		t.Fatalf("revisions = %+v", revs.Revisions)
	}
}

func TestAPI_ApproveNeedsVersionAndBigBodiesGet413(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	var errBody struct{ Error string }
	if r := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/approve", segs[1].ID), `{"target":"Text."}`, &errBody); r.StatusCode != 400 || !strings.Contains(errBody.Error, "version") {
		t.Errorf("approve without a version = %d %q, want 400 naming version", r.StatusCode, errBody.Error)
	}
	big := strings.Repeat("x", 2<<20)
	form := url.Values{"version": {"1"}, "target": {big}}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/segments/%d", e.srv.URL, segs[1].ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	resp, err := http.DefaultClient.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form = %d, want 413", resp.StatusCode)
	}
	body, _ := json.Marshal(map[string]string{"text": big})
	if r := e.do(t, "POST", "/api/articles", string(body), nil); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized JSON = %d, want 413", r.StatusCode)
	}
}

// TestAPI_ApproveVersionIsOptional follows the contract: POST /api/segments/:id/approve with
// no body approves the current text; a version, when given, must be the current one.
func TestAPI_ApproveVersionIsOptional(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, body  string
		status      int
		wantVersion int // version after the call (200) or of the current segment (409)
	}{
		{"NoBody", "", 200, 3},
		{"EmptyObject", "{}", 200, 3},
		{"CurrentVersion", `{"version":2}`, 200, 3},
		{"StaleVersion", `{"version":1}`, http.StatusConflict, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
			segs, _ := e.articles.Segments(ctx, a.ID)
			g := segs[1]
			if _, err := e.articles.SaveTarget(ctx, g.ID, "Ryabkov said Moscow was ready.", 1, "other"); err != nil {
				t.Fatal(err)
			}
			var out struct {
				translate.Segment
				Error   string
				Current translate.Segment
			}
			resp := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/approve", g.ID), c.body, &out)
			if resp.StatusCode != c.status {
				t.Fatalf("approve %q = %d %q, want %d", c.body, resp.StatusCode, out.Error, c.status)
			}
			got, _ := e.articles.Segment(ctx, g.ID)
			if c.status == 200 {
				if out.Status != translate.StatusApproved || out.Version != c.wantVersion || out.Target != "Ryabkov said Moscow was ready." {
					t.Errorf("approved = %s v%d %q", out.Status, out.Version, out.Target)
				}
				if got.Status != translate.StatusApproved {
					t.Errorf("stored status %s, want approved", got.Status)
				}
				return
			}
			if out.Current.Version != c.wantVersion || out.Current.Target != "Ryabkov said Moscow was ready." {
				t.Errorf("409 current = v%d %q", out.Current.Version, out.Current.Target)
			}
			if got.Status != translate.StatusEdited {
				t.Errorf("a stale approval changed the segment to %s", got.Status)
			}
		})
	}
}
