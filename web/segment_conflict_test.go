package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/web/auth"
)

// conflictReply is the body of a 409 on a segment write.
type conflictReply struct {
	Error     string            `json:"error"`
	Current   translate.Segment `json:"current"`
	SavedBy   string            `json:"saved_by"`
	SavedAt   time.Time         `json:"saved_at"`
	SavedKind string            `json:"saved_kind"`
	Mine      string            `json:"mine"`
	Diff      []diff.Op         `json:"diff"`
}

// TestAPI_ConflictNamesWhoAndDiffs: two reviewers save the same segment; the second one's 409
// says who saved first and when, hands back both texts and their word diff, and the second
// reviewer then approves either text explicitly: "theirs" approves the text saved first at its
// version (their own text kept in the history), "mine" their own.
func TestAPI_ConflictNamesWhoAndDiffs(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "mona", auth.RoleReviewer)
	e.addUser(t, "sami", auth.RoleReviewer)
	mona, sami := e.tokenClient(t, "mona"), e.tokenClient(t, "sami")
	g := e.segment(t)
	path := fmt.Sprintf("/api/segments/%d", g.ID)
	before := time.Now().Add(-time.Second)
	if r := mona.api("PUT", path, `{"target": "Ryabkov said Moscow is ready for talks.", "version": 1}`); r.status != 200 {
		t.Fatalf("mona's save = %d %s", r.status, r.body)
	}
	r := sami.api("PUT", path, `{"target": "Ryabkov said Moscow was ready for dialogue.", "version": 1}`)
	if r.status != http.StatusConflict {
		t.Fatalf("sami's stale save = %d %s, want 409", r.status, r.body)
	}
	var c conflictReply
	r.json(t, &c)
	if c.SavedBy != "mona" || c.SavedKind != "edit" || c.SavedAt.Before(before) || c.SavedAt.After(time.Now()) {
		t.Errorf("409 says saved by %q (%s) at %s, want mona's edit just now", c.SavedBy, c.SavedKind, c.SavedAt)
	}
	if c.Error != "#2 was changed by mona since you loaded it (now at version 2)" {
		t.Errorf("error = %q", c.Error)
	}
	if c.Mine != "Ryabkov said Moscow was ready for dialogue." || c.Current.Target != "Ryabkov said Moscow is ready for talks." || c.Current.Version != 2 {
		t.Errorf("mine %q, current %q v%d", c.Mine, c.Current.Target, c.Current.Version)
	}
	var old, theirs strings.Builder
	changed := 0
	for _, op := range c.Diff {
		if op.Kind != diff.Insert {
			old.WriteString(op.Text)
		}
		if op.Kind != diff.Delete {
			theirs.WriteString(op.Text)
		}
		if op.Kind != diff.Equal {
			changed++
		}
	}
	if old.String() != c.Mine || theirs.String() != c.Current.Target || changed == 0 || changed > 4 {
		t.Errorf("diff %+v does not go from mine to theirs word by word", c.Diff)
	}

	t.Run("ApproveTheirs", func(t *testing.T) {
		r := sami.api("POST", path+"/approve", `{"choice": "theirs", "target": "Ryabkov said Moscow was ready for dialogue.", "version": 2}`)
		var got translate.Segment
		r.json(t, &got)
		if r.status != 200 || got.Target != "Ryabkov said Moscow is ready for talks." || got.Status != translate.StatusApproved || got.Version != 3 {
			t.Fatalf("approve theirs = %d %s", r.status, r.body)
		}
		revs, _ := e.articles.Revisions(t.Context(), g.ID)
		if n := len(revs); n != 3 || revs[1].Kind != "theirs" || revs[1].Author != "sami" || revs[1].Before != "Ryabkov said Moscow was ready for dialogue." || revs[2].Kind != "approve" {
			t.Errorf("revisions = %+v, want mona's edit, sami's text set aside, sami's approval", revs)
		}
	})
	t.Run("ApproveMine", func(t *testing.T) {
		// mona edits again; sami, still at version 3, meets a conflict and approves their own text.
		if r := mona.api("PUT", path, `{"target": "Moscow is ready, said Ryabkov.", "version": 3}`); r.status != 200 {
			t.Fatalf("mona's edit = %d %s", r.status, r.body)
		}
		r := sami.api("POST", path+"/approve", `{"choice": "mine", "target": "My own words.", "version": 3}`)
		if r.status != http.StatusConflict {
			t.Fatalf("approve mine at a stale version = %d %s, want 409", r.status, r.body)
		}
		var c conflictReply
		r.json(t, &c)
		r = sami.api("POST", path+"/approve", `{"choice": "mine", "target": "My own words.", "version": `+strconv.Itoa(c.Current.Version)+`}`)
		var got translate.Segment
		r.json(t, &got)
		if r.status != 200 || got.Target != "My own words." || got.Status != translate.StatusApproved {
			t.Fatalf("approve mine = %d %s", r.status, r.body)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, c := range []struct{ body, want string }{
			{`{"choice": "mine", "version": 5}`, `target: required with the choice "mine"`},
			{`{"choice": "ours", "version": 5}`, `choice: "ours" is not "mine" or "theirs"`},
			{`{"choice": "theirs"}`, "version: required with a target or a choice"},
		} {
			r := sami.api("POST", path+"/approve", c.body)
			var out struct{ Error string }
			r.json(t, &out)
			if r.status != 400 || !strings.HasPrefix(out.Error, c.want) {
				t.Errorf("%s = %d %q, want 400 with %q", c.body, r.status, out.Error, c.want)
			}
		}
	})
}

// TestPages_ConflictApproveChoice: the row's form approves with choice=theirs the text saved
// first, whatever the box holds, and the conflict row it answers a stale write with names who
// saved.
func TestPages_ConflictApproveChoice(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	g := e.segments(t, a.ID)[1]
	if _, err := e.articles.SaveTarget(t.Context(), g.ID, "Their text.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/segments/%d/approve", g.ID)
	resp, body := e.postForm(t, path, url.Values{"target": {"My text."}, "version": {"1"}}, true)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "Their text.") {
		t.Fatalf("stale approve = %d\n%s", resp.StatusCode, body)
	}
	resp, body = e.postForm(t, path, url.Values{"target": {"My text."}, "version": {"2"}, "choice": {"theirs"}}, true)
	cur, _ := e.articles.Segment(t.Context(), g.ID)
	if resp.StatusCode != 200 || cur.Target != "Their text." || cur.Status != translate.StatusApproved {
		t.Fatalf("approve theirs = %d, segment %+v\n%s", resp.StatusCode, cur, body)
	}
}
