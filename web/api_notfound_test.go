package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAPI_MissingIDsAnswer404JSON: an id that names nothing is a 404 with a JSON {error}
// naming what is missing, for reads and writes alike, and a write to it changes nothing.
func TestAPI_MissingIDsAnswer404JSON(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	for _, tc := range []struct {
		method, path, body string
	}{
		{"GET", "/api/articles/999999", ""},
		{"PUT", "/api/segments/999999", `{"target":"Text.","version":1}`},
		{"GET", "/api/segments/999999", ""},
		{"POST", "/api/segments/999999/approve", `{"version":1}`},
		{"GET", "/api/segments/999999/revisions", ""},
		{"POST", "/api/articles/999999/translate", ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("status = %d, want 404; body %s", resp.StatusCode, data)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want JSON", ct)
			}
			var body map[string]any
			if err := json.Unmarshal(data, &body); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, data)
			}
			msg, _ := body["error"].(string)
			if !strings.Contains(msg, "not found") || !strings.Contains(msg, "999999") {
				t.Errorf("error = %q, want it to say 999999 was not found", msg)
			}
		})
	}
	segs, err := e.articles.Segments(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range segs {
		if g.Target != "" || g.Version != 1 {
			t.Errorf("segment %d changed by writes to missing ids: %q v%d", g.ID, g.Target, g.Version)
		}
	}
}
