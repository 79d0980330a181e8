package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// TestAPI_FindAndReplace: a reviewer previews a find and replace over three segments (each
// change with its diff and version), someone edits one of them, and applying the preview
// changes the other two and reports the third as a conflict, left as it is.
func TestAPI_FindAndReplace(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	e.addUser(t, "mona", auth.RoleReviewer)
	zaid := e.tokenClient(t, "zaid")
	ctx := t.Context()
	a, err := e.articles.CreateArticle(ctx, "", "عنوان\n\nقال ريابكوف.\n\nقال لافروف.\n\nقال بيسكوف.", "")
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := e.articles.Segments(ctx, a.ID)
	var outs []store.MachineOutput
	for i, who := range []string{"Ryabkov", "Lavrov", "Peskov"} {
		outs = append(outs, store.MachineOutput{SegmentID: segs[i+1].ID, Target: who + " said the Kremlin was ready.", Status: translate.StatusMachine})
	}
	if _, err := e.articles.ApplyMachine(ctx, outs); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"find": {"the kremlin"}, "replace": {"Moscow"}, "whole_word": {"true"}}
	base := fmt.Sprintf("/api/articles/%d/replace", a.ID)
	var p replacePreviewView
	if r := zaid.api("GET", base+"?"+q.Encode(), ""); r.status != 200 {
		t.Fatalf("preview = %d %s", r.status, r.body)
	} else {
		r.json(t, &p)
	}
	if len(p.Changes) != 3 || p.Changes[0].Number != 2 || p.Changes[0].After != "Ryabkov said Moscow was ready." || !p.WholeWord {
		t.Fatalf("preview = %+v", p)
	}
	var del, ins string
	for _, op := range p.Changes[0].Diff {
		switch op.Kind {
		case diff.Delete:
			del += op.Text
		case diff.Insert:
			ins += op.Text
		}
	}
	if del != "the Kremlin" || ins != "Moscow" {
		t.Errorf("diff of #2: -%q +%q", del, ins)
	}

	// mona changes #3 in the meantime.
	if _, err := e.articles.SaveTarget(ctx, segs[2].ID, "Lavrov said the Kremlin is ready.", p.Changes[1].Version, "mona"); err != nil {
		t.Fatal(err)
	}
	var items []store.Versioned
	for _, c := range p.Changes {
		items = append(items, store.Versioned{ID: c.SegmentID, Version: c.Version})
	}
	body, _ := json.Marshal(map[string]any{"find": "the kremlin", "replace": "Moscow", "whole_word": true, "segments": items})
	r := zaid.api("POST", base, string(body))
	var rep store.ReplaceReport
	r.json(t, &rep)
	if r.status != 200 || len(rep.Applied) != 2 || len(rep.Conflicts) != 1 || rep.Conflicts[0].Number != 3 {
		t.Fatalf("apply = %d %s", r.status, r.body)
	}
	now, _ := e.articles.Segments(ctx, a.ID)
	if now[1].Target != "Ryabkov said Moscow was ready." || now[2].Target != "Lavrov said the Kremlin is ready." || now[3].Target != "Peskov said Moscow was ready." {
		t.Errorf("after the replace: %q / %q / %q", now[1].Target, now[2].Target, now[3].Target)
	}
	for _, c := range []struct{ method, path, body, want string }{
		{"GET", base + "?find=", "", "find: required"},
		{"GET", base + "?find=x&whole_word=maybe", "", `whole_word: \"maybe\" is not one of`},
		{"POST", base, `{"find": "x", "replace": "y"}`, "segments: required"},
	} {
		if r := zaid.api(c.method, c.path, c.body); r.status != 400 || !strings.Contains(r.body, c.want) {
			t.Errorf("%s %s %s = %d %s, want 400 %q", c.method, c.path, c.body, r.status, r.body, c.want)
		}
	}
}
