package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
)

func TestAPI_Articles(t *testing.T) {
	e := newTestEnv(t)
	var created translate.Article
	resp := e.do(t, "POST", "/api/articles", `{"title":"","text":"عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية."}`, &created)
	if resp.StatusCode != http.StatusCreated || created.ID == 0 || created.Title != "عنوان" || created.Progress.Total != 3 {
		t.Fatalf("POST /api/articles = %d %+v", resp.StatusCode, created)
	}

	var list struct{ Articles []translate.Article }
	e.do(t, "GET", "/api/articles", "", &list)
	if len(list.Articles) != 1 || list.Articles[0].ID != created.ID {
		t.Fatalf("GET /api/articles = %+v", list)
	}

	var got struct {
		Article  translate.Article
		Segments []struct {
			ID      int64
			Index   int
			Source  string
			Target  string
			Status  string
			Version int
			Origin  string
			Matches []glossary.Match
		}
	}
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d", created.ID), "", &got)
	if len(got.Segments) != 3 || got.Segments[1].Source != "قال ريابكوف إن موسكو مستعدة للحوار." || got.Segments[1].Version != 1 || got.Segments[1].Matches == nil {
		t.Fatalf("GET /api/articles/:id segments = %+v", got.Segments)
	}

	var tr struct {
		Summary string
		Report  translate.Report
	}
	if resp := e.do(t, "POST", fmt.Sprintf("/api/articles/%d/translate", created.ID), "", &tr); resp.StatusCode != 200 || tr.Report.Translated != 3 || tr.Report.Model != "test-model" || tr.Summary == "" {
		t.Fatalf("translate = %d %+v", resp.StatusCode, tr)
	}
	if e.llm.Count() == 0 {
		t.Fatal("translate made no request to the backend")
	}
	var after struct{ Segments []translate.Segment }
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d", created.ID), "", &after)
	for _, g := range after.Segments {
		if g.Status != translate.StatusMachine || g.Target == "" || g.Backend != "openai" {
			t.Errorf("segment %d after translate: %s %q by %q", g.Index, g.Status, g.Target, g.Backend)
		}
	}
	var runs struct{ Runs []translate.Report }
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d/runs", created.ID), "", &runs)
	if len(runs.Runs) != 1 || runs.Runs[0].Usage.PromptTokens == 0 {
		t.Errorf("runs = %+v, want one run with token usage", runs.Runs)
	}

	for _, c := range []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{"GET", "/api/articles/999", "", 404, "not found"},
		{"GET", "/api/articles/abc", "", 400, "not a valid id"},
		{"POST", "/api/articles", `{"text":"   "}`, 400, "text: empty"},
		{"POST", "/api/articles", `{"text":`, 400, "expected JSON"},
		{"DELETE", "/api/articles", "", 405, "not allowed"},
	} {
		var body struct{ Error string }
		resp := e.do(t, c.method, c.path, c.body, &body)
		if resp.StatusCode != c.status || !strings.Contains(body.Error, c.msg) {
			t.Errorf("%s %s = %d %q, want %d with %q", c.method, c.path, resp.StatusCode, body.Error, c.status, c.msg)
		}
	}
}
