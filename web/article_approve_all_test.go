package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// TestAPI_ApproveAll: a reviewer approves the rows a filter shows in one call; the answer
// says, by segment number, what was approved and what was skipped and why.
func TestAPI_ApproveAll(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	zaid := e.tokenClient(t, "zaid")
	a, err := e.articles.CreateArticle(t.Context(), "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة.\n\nوأضاف أن الضمانات ضرورية.", "")
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := e.articles.Segments(t.Context(), a.ID)
	if _, err := e.articles.ApplyMachine(t.Context(), []store.MachineOutput{
		{SegmentID: segs[0].ID, Target: "Title", Status: translate.StatusMachine},
		{SegmentID: segs[1].ID, Target: "Ryabkov said Moscow is ready.", Status: translate.StatusMachine},
	}); err != nil {
		t.Fatal(err)
	}
	segs, _ = e.articles.Segments(t.Context(), a.ID)
	body := fmt.Sprintf(`{"segments": [{"id": %d, "version": %d}, {"id": %d, "version": %d}, {"id": %d, "version": %d}]}`,
		segs[0].ID, segs[0].Version-1, segs[1].ID, segs[1].Version, segs[2].ID, segs[2].Version)
	r := zaid.api("POST", fmt.Sprintf("/api/articles/%d/approve", a.ID), body)
	var rep store.BulkReport
	r.json(t, &rep)
	if r.status != 200 || len(rep.Approved) != 1 || rep.Approved[0].Number != 2 || rep.Progress.Approved != 1 {
		t.Fatalf("approve all = %d %s", r.status, r.body)
	}
	if len(rep.Skipped) != 2 || !strings.HasPrefix(rep.Skipped[0].Reason, "#1 changed since it was shown") || !strings.HasPrefix(rep.Skipped[1].Reason, "#3 has no English yet") {
		t.Errorf("skipped %+v", rep.Skipped)
	}
	for _, c := range []struct{ body, want string }{
		{`{"segments": []}`, "segments: required"},
		{`{"segments": "all"}`, "body: expected JSON"},
	} {
		if r := zaid.api("POST", fmt.Sprintf("/api/articles/%d/approve", a.ID), c.body); r.status != 400 || !strings.Contains(r.body, c.want) {
			t.Errorf("%s = %d %s", c.body, r.status, r.body)
		}
	}
	if r := zaid.api("POST", "/api/articles/999/approve", body); r.status != 404 {
		t.Errorf("unknown article = %d %s", r.status, r.body)
	}
}

// TestAPI_ApproveAllHonoursTheQualityChecks: the rows with an open error of the quality checks
// are skipped with the error named; the others are approved in the same call.
func TestAPI_ApproveAllHonoursTheQualityChecks(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقتل ١٧ شخصا في الهجوم يوم الأربعاء.\n\nوقال إن الحوار مستمر.")
	segs := e.segments(t, a.ID)
	wrong, err := e.articles.SaveTarget(t.Context(), segs[1].ID, "71 people were killed in the attack on Wednesday.", segs[1].Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	fine, err := e.articles.SaveTarget(t.Context(), segs[2].ID, "He said the dialogue goes on.", segs[2].Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	var rep store.BulkReport
	r := e.do(t, "POST", fmt.Sprintf("/api/articles/%d/approve", a.ID),
		fmt.Sprintf(`{"segments": [{"id": %d, "version": %d}, {"id": %d, "version": %d}]}`, wrong.ID, wrong.Version, fine.ID, fine.Version), &rep)
	if r.StatusCode != 200 || len(rep.Approved) != 1 || rep.Approved[0].Number != 3 || len(rep.Skipped) != 1 ||
		!strings.Contains(rep.Skipped[0].Reason, "#2 is not approved") || !strings.Contains(rep.Skipped[0].Reason, "71") {
		t.Errorf("approve all = %d %+v", r.StatusCode, rep)
	}
}
