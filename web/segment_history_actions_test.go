package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/web/auth"
)

// TestAPI_UnapproveRestoreAndHistory: a reviewer takes an approval back with a reason and
// restores an older text from the history, both versioned; the history says who, when, what
// and which text each revision would restore.
func TestAPI_UnapproveRestoreAndHistory(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	zaid := e.tokenClient(t, "zaid")
	g := e.segment(t)
	path := fmt.Sprintf("/api/segments/%d", g.ID)
	var seg translate.Segment
	zaid.api("PUT", path, `{"target": "First text.", "version": 1}`).json(t, &seg)
	zaid.api("POST", path+"/approve", `{"target": "Second text.", "version": 2}`).json(t, &seg)
	if seg.Status != translate.StatusApproved || seg.Version != 3 {
		t.Fatalf("approved = %+v", seg)
	}

	if r := zaid.api("POST", path+"/unapprove", `{"version": 3}`); r.status != 400 || !strings.Contains(r.body, "reason: required") {
		t.Errorf("unapprove without a reason = %d %s", r.status, r.body)
	}
	if r := zaid.api("POST", path+"/unapprove", `{"reason": "x"}`); r.status != 400 || !strings.Contains(r.body, "version: required") {
		t.Errorf("unapprove without a version = %d %s", r.status, r.body)
	}
	if r := zaid.api("POST", path+"/unapprove", `{"version": 2, "reason": "x"}`); r.status != http.StatusConflict || !strings.Contains(r.body, `"saved_by":"zaid"`) {
		t.Errorf("stale unapprove = %d %s", r.status, r.body)
	}
	r := zaid.api("POST", path+"/unapprove", `{"version": 3, "reason": "The tense is wrong."}`)
	r.json(t, &seg)
	if r.status != 200 || seg.Status != translate.StatusEdited || seg.Target != "Second text." || seg.Version != 4 {
		t.Fatalf("unapprove = %d %s", r.status, r.body)
	}

	var h historyResponse
	zaid.api("GET", path+"/history", "").json(t, &h)
	if h.Number != 2 || h.Version != 4 || len(h.Revisions) != 3 {
		t.Fatalf("history = %+v", h)
	}
	first, un := h.Revisions[0], h.Revisions[2]
	if first.By != "zaid" || first.Label != "edited" || first.Restores != "First text." || !first.Restorable || first.CreatedAt.IsZero() || len(first.Diff) == 0 {
		t.Errorf("first revision = %+v", first)
	}
	if un.Kind != "unapprove" || un.Label != "approval taken back" || un.Note != "The tense is wrong." || un.Restorable {
		t.Errorf("unapprove revision = %+v, want its reason and nothing new to restore", un)
	}

	r = zaid.api("POST", path+"/restore", `{"revision": `+strconv.FormatInt(first.ID, 10)+`, "version": 4}`)
	r.json(t, &seg)
	if r.status != 200 || seg.Target != "First text." || seg.Version != 5 || seg.Status != translate.StatusEdited {
		t.Fatalf("restore = %d %s", r.status, r.body)
	}
	if r := zaid.api("POST", path+"/restore", `{"revision": `+strconv.FormatInt(first.ID, 10)+`, "version": 4}`); r.status != http.StatusConflict {
		t.Errorf("stale restore = %d %s", r.status, r.body)
	}
	if r := zaid.api("POST", path+"/restore", `{"version": 5}`); r.status != 400 {
		t.Errorf("restore without a revision = %d %s", r.status, r.body)
	}
	zaid.api("GET", path+"/history", "").json(t, &h)
	if last := h.Revisions[len(h.Revisions)-1]; last.Kind != "restore" || last.Label != "an older text restored" || !strings.HasPrefix(last.Note, "the text of the edit by zaid of ") {
		t.Errorf("restore revision = %+v", last)
	}
}

// TestPages_UnapproveAndRestoreAnswerWithTheRow: the row's forms take an approval back and
// restore an older text, each answering with the row (htmx), and a stale one with the
// conflict row.
func TestPages_UnapproveAndRestoreAnswerWithTheRow(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	g := e.segments(t, a.ID)[1]
	ctx := t.Context()
	if _, err := e.articles.SaveTarget(ctx, g.ID, "Old text.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, g.ID, "New text.", 2, "mona"); err != nil {
		t.Fatal(err)
	}
	resp, body := e.postForm(t, fmt.Sprintf("/segments/%d/unapprove", g.ID), url.Values{"version": {"3"}, "reason": {"Needs a second look."}}, true)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="seg-`+strconv.FormatInt(g.ID, 10)+`"`) || !strings.Contains(string(body), "status-edited") {
		t.Fatalf("unapprove = %d\n%s", resp.StatusCode, body)
	}
	revs, _ := e.articles.Revisions(ctx, g.ID)
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d/restore", g.ID), url.Values{"version": {"4"}, "revision": {strconv.FormatInt(revs[0].ID, 10)}}, true)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Old text.") {
		t.Fatalf("restore = %d\n%s", resp.StatusCode, body)
	}
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d/restore", g.ID), url.Values{"version": {"4"}, "revision": {strconv.FormatInt(revs[1].ID, 10)}}, true)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "conflict") {
		t.Errorf("stale restore = %d\n%s", resp.StatusCode, body)
	}
	resp, _ = e.postForm(t, fmt.Sprintf("/segments/%d/restore", g.ID), url.Values{"version": {"5"}, "revision": {"abc"}}, true)
	if resp.StatusCode != 400 {
		t.Errorf("restore of revision abc = %d", resp.StatusCode)
	}
}
