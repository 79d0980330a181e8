package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/web/auth"
)

func TestTranslate_RunRecordsTheReviewer(t *testing.T) {
	ctx := context.Background()
	e := newAuthEnv(t, "127.0.0.1:8080", true)
	e.addUser(t, "rana", auth.RoleReviewer)
	seg := e.segment(t)
	c := e.client(t)
	c.mustLogin("rana")
	if r := c.api("POST", fmt.Sprintf("/api/articles/%d/translate", seg.ArticleID), ""); r.status != http.StatusOK {
		t.Fatalf("translate = %d %s", r.status, r.body)
	}
	runs, err := e.articles.Runs(ctx, seg.ArticleID)
	if err != nil || len(runs) != 1 || runs[0].StartedBy != "rana" {
		t.Fatalf("runs = %+v, %v; want one started by rana", runs, err)
	}
	revs, err := e.articles.Revisions(ctx, seg.ID)
	if err != nil || len(revs) != 1 || revs[0].Kind != "machine" || revs[0].Author != "rana" {
		t.Errorf("revisions = %+v, %v; want one machine revision by rana", revs, err)
	}
	// the history names the machine as the author of the text, and rana as who ran it
	h := c.do("GET", fmt.Sprintf("/segments/%d/history", seg.ID), "", "", nil)
	if h.status != http.StatusOK || !strings.Contains(h.body, "by openai test-model, run by rana") {
		t.Errorf("history = %d %s, want the machine revision by openai test-model, run by rana", h.status, h.body)
	}
}
