package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
)

// TestHistory_LabelsAndSpacing: the history says whose text each revision started from only
// when it was machine output, and a replaced word stays apart from its replacement.
func TestHistory_LabelsAndSpacing(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "قال ريابكوف إن موسكو مستعدة للحوار.")
	seg := e.segments(t, a.ID)[0]
	bg := context.Background()
	e.machine(t, seg, "openai", "fake-1", "Ryabkov affirmed that Moscow reported on the talks.")
	steps := []struct{ author, text string }{
		{"alice", "Ryabkov stressed Moscow reported on the talks."},
		{"bob", "Ryabkov stressed Moscow reported about the talks."},
	}
	for _, s := range steps {
		if _, err := e.articles.SaveTarget(bg, seg.ID, s.text, e.version(t, seg), s.author); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.articles.Approve(bg, seg.ID, "", e.version(t, seg), "carol"); err != nil {
		t.Fatal(err)
	}
	_, body := e.getPage(t, fmt.Sprintf("/segments/%d/history", seg.ID), true)
	for _, want := range []string{
		`<strong>edited</strong> by alice <span class="rev-mt">(machine text from openai fake-1)</span> ·`,
		`Ryabkov <del>affirmed that</del> <ins>stressed</ins> Moscow`,
		`<strong>edited</strong> by bob ·`,
		`reported <del>on</del> <ins>about</ins> the talks.`,
		`<strong>approved</strong> by carol ·`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("history lacks %s:\n%s", want, body)
		}
	}
	if n := strings.Count(body, "machine text from"); n != 1 {
		t.Errorf("%d revisions say they started from machine text, want 1 (alice's edit):\n%s", n, body)
	}
}

func TestHistory(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	seg := segs[1]
	hostile := `Ryabkov said <script>alert("x")</script> Moscow is ready.`
	e.machine(t, seg, "openai", "gpt-x", hostile)
	if _, err := e.articles.SaveTarget(ctx, seg.ID, `Ryabkov said <img src=x> Moscow was ready.`, e.version(t, seg), "mona"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, seg.ID, "", e.version(t, seg), "<b>sami</b>"); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/segments/%d/history", seg.ID)

	t.Run("API", func(t *testing.T) {
		var got struct {
			SegmentID int64 `json:"segment_id"`
			Revisions []struct {
				translate.Revision
				Diff    []diff.Op
				Changed bool
			}
		}
		if resp := e.do(t, "GET", "/api"+path, "", &got); resp.StatusCode != 200 || got.SegmentID != seg.ID || len(got.Revisions) != 3 {
			t.Fatalf("GET /api%s = %d %+v", path, resp.StatusCode, got)
		}
		machine, edit, approve := got.Revisions[0], got.Revisions[1], got.Revisions[2]
		if machine.Kind != "machine" || machine.Backend != "openai" || machine.Model != "gpt-x" || !machine.Changed ||
			len(machine.Diff) != 1 || machine.Diff[0] != (diff.Op{Kind: "ins", Text: hostile}) {
			t.Errorf("machine revision = %+v", machine)
		}
		if edit.Kind != "edit" || edit.Author != "mona" || !edit.Changed {
			t.Errorf("edit revision = %+v", edit)
		}
		var before, after strings.Builder
		for _, op := range edit.Diff {
			if op.Kind != "ins" {
				before.WriteString(op.Text)
			}
			if op.Kind != "del" {
				after.WriteString(op.Text)
			}
		}
		if before.String() != edit.Before || after.String() != edit.After || edit.After != `Ryabkov said <img src=x> Moscow was ready.` {
			t.Errorf("edit diff %+v does not join back to %q and %q", edit.Diff, edit.Before, edit.After)
		}
		if approve.Kind != "approve" || approve.Changed || approve.Author != "<b>sami</b>" {
			t.Errorf("approve revision = %+v", approve)
		}
	})

	t.Run("Fragment", func(t *testing.T) {
		resp, body := e.getPage(t, path, true)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s = %d %s\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if strings.Contains(body, "<html") {
			t.Error("the history fragment is a whole page; htmx wants only the list")
		}
		for _, bad := range []string{"<script>", "<img", "<b>sami</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("history shows %q unescaped:\n%s", bad, body)
			}
		}
		for _, want := range []string{
			"&lt;script&gt;", "&lt;b&gt;sami&lt;/b&gt;",
			"<ins>Ryabkov said &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Moscow is ready.</ins>",
			"Ryabkov said &lt;<del>script&gt;alert(&#34;</del><ins>img src=</ins>x<del>&#34;)&lt;/script</del>&gt; Moscow <del>is</del> <ins>was</ins> ready.",
			"<strong>machine translation</strong> by openai gpt-x ·",
			"<strong>edited</strong> by mona <span class=\"rev-mt\">(machine text from openai gpt-x)</span>",
			"<strong>approved</strong> by &lt;b&gt;sami&lt;/b&gt;",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("history lacks %q:\n%s", want, body)
			}
		}
		// Newest first: the approval, then the edit, then the machine output.
		if i, j, k := strings.Index(body, "rev-approve"), strings.Index(body, "rev-edit"), strings.Index(body, "rev-machine"); !(i >= 0 && i < j && j < k) {
			t.Errorf("history order: approve at %d, edit at %d, machine at %d; want newest first", i, j, k)
		}
		noInlineStyle(t, "history fragment", body)
	})

	t.Run("Errors", func(t *testing.T) {
		for _, c := range []struct {
			path   string
			status int
			msg    string
		}{
			{"/api/segments/999/history", 404, "not found"},
			{"/api/segments/abc/history", 400, "not a valid id"},
		} {
			var body struct{ Error string }
			if resp := e.do(t, "GET", c.path, "", &body); resp.StatusCode != c.status || !strings.Contains(body.Error, c.msg) {
				t.Errorf("GET %s = %d %q, want %d with %q", c.path, resp.StatusCode, body.Error, c.status, c.msg)
			}
		}
		if resp, _ := e.getPage(t, "/segments/999/history", true); resp.StatusCode != 404 {
			t.Errorf("history fragment of a missing segment = %d, want 404", resp.StatusCode)
		}
	})

	t.Run("NoRevisions", func(t *testing.T) {
		resp, body := e.getPage(t, fmt.Sprintf("/segments/%d/history", segs[0].ID), true)
		if resp.StatusCode != 200 || !strings.Contains(body, "No changes yet") {
			t.Errorf("history of an untouched segment = %d\n%s", resp.StatusCode, body)
		}
	})
}
