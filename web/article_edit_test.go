package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/pipeline"
	"github.com/tarjama/tarjama/web/auth"
)

// TestAPI_ArticleRenameAndDelete: admins rename and delete articles over the API; a reviewer is
// refused with the reason; deleting keeps the translation memory the article taught.
func TestAPI_ArticleRenameAndDelete(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	e.addUser(t, "amal", auth.RoleAdmin)
	reviewer, admin := e.tokenClient(t, "zaid"), e.tokenClient(t, "amal")
	g := e.segment(t)
	if _, err := e.articles.Approve(t.Context(), g.ID, "Ryabkov said Moscow is ready for dialogue.", g.Version, "zaid"); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/articles/%d", g.ArticleID)

	if r := reviewer.api("PATCH", path, `{"title": "Mine now"}`); r.status != http.StatusForbidden || !strings.Contains(r.body, "may not import, rename or delete articles") {
		t.Errorf("reviewer rename = %d %s, want 403 with the reason", r.status, r.body)
	}
	if r := reviewer.api("DELETE", path, ""); r.status != http.StatusForbidden {
		t.Errorf("reviewer delete = %d %s, want 403", r.status, r.body)
	}
	for _, c := range []struct{ body, want string }{
		{`{"title": "  "}`, "title: required"},
		{`{}`, "title: required: the article's new title"},
		{`{"title": "a\nb"}`, "title: one line only"},
	} {
		var out struct{ Error string }
		r := admin.api("PATCH", path, c.body)
		r.json(t, &out)
		if r.status != 400 || !strings.HasPrefix(out.Error, c.want) {
			t.Errorf("rename %s = %d %q, want 400 %q", c.body, r.status, out.Error, c.want)
		}
	}
	r := admin.api("PATCH", path, `{"title": "Ryabkov: Moscow ready for dialogue"}`)
	var a translate.Article
	r.json(t, &a)
	if r.status != 200 || a.Title != "Ryabkov: Moscow ready for dialogue" || a.Progress.Approved != 1 {
		t.Fatalf("rename = %d %s", r.status, r.body)
	}

	r = admin.api("DELETE", path, "")
	var out struct{ Deleted translate.Article }
	r.json(t, &out)
	if r.status != 200 || out.Deleted.Title != "Ryabkov: Moscow ready for dialogue" || out.Deleted.ID != g.ArticleID {
		t.Fatalf("delete = %d %s", r.status, r.body)
	}
	if r := admin.api("GET", path, ""); r.status != http.StatusNotFound {
		t.Errorf("GET after delete = %d", r.status)
	}
	if r := admin.api("DELETE", path, ""); r.status != http.StatusNotFound {
		t.Errorf("second delete = %d", r.status)
	}
	pairs, err := e.server.cfg.Memory.Count(t.Context())
	if err != nil || pairs != 1 {
		t.Errorf("memory after the delete: %d pairs, %v; want the approved pair kept", pairs, err)
	}
}

// TestPages_ArticleRenameAndDelete: the article page's forms rename (back to the article,
// saying so) and delete (to the list, saying what went); a delete while the article is being
// translated is refused, naming it.
func TestPages_ArticleRenameAndDelete(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	resp, _ := e.postForm(t, fmt.Sprintf("/articles/%d/rename", a.ID), url.Values{"title": {"«Ryabkov» & co"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/articles/%d", a.ID) || flashOf(t, resp) != "Renamed to ««Ryabkov» & co»." {
		t.Errorf("rename = %d to %q flash %q", resp.StatusCode, loc, flashOf(t, resp))
	}
	resp, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
	if resp.StatusCode != 200 || !strings.Contains(page, "«Ryabkov» &amp; co") {
		t.Errorf("the article page does not show the new title, escaped")
	}

	e.llm.Latency = 2 * time.Second
	if err := e.mt.Start(a.ID, pipeline.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	resp, body := e.postForm(t, fmt.Sprintf("/articles/%d/delete", a.ID), nil, true)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "is being translated") {
		t.Errorf("delete during a run = %d %s, want 409", resp.StatusCode, body)
	}
	e.mt.Cancel(a.ID)
	waitForRun(t, e.mt, a.ID)
	if _, err := e.articles.Article(t.Context(), a.ID); err != nil {
		t.Fatalf("the refused delete deleted: %v", err)
	}

	resp, _ = e.postForm(t, fmt.Sprintf("/articles/%d/delete", a.ID), nil, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" || !strings.HasPrefix(flashOf(t, resp), "Deleted ««Ryabkov» & co».") {
		t.Errorf("delete = %d to %q flash %q", resp.StatusCode, loc, flashOf(t, resp))
	}
	if _, err := e.articles.Article(t.Context(), a.ID); !errors.Is(err, translate.ErrNotFound) {
		t.Errorf("article after delete: %v", err)
	}
}
