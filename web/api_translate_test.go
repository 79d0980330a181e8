package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The run history says a run was an offline draft exactly when the run's own answer did.
func TestAPI_RunsKeepTheDraftFlag(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   func(*testing.T) *testEnv
		draft bool
	}{
		{"Offline", newOfflineEnv, true},
		{"OpenAI", newTestEnv, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
			var tr struct {
				Report struct {
					RunID int64 `json:"run_id"`
					Draft bool  `json:"draft"`
				} `json:"report"`
			}
			if resp := e.do(t, "POST", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", &tr); resp.StatusCode != http.StatusOK || tr.Report.Draft != tc.draft {
				t.Fatalf("translate = %d %+v, want 200 with draft %v", resp.StatusCode, tr, tc.draft)
			}
			var runs struct {
				Runs []struct {
					RunID int64 `json:"run_id"`
					Draft bool  `json:"draft"`
				} `json:"runs"`
			}
			e.do(t, "GET", fmt.Sprintf("/api/articles/%d/runs", a.ID), "", &runs)
			if len(runs.Runs) != 1 || runs.Runs[0].RunID != tr.Report.RunID || runs.Runs[0].Draft != tc.draft {
				t.Errorf("runs = %+v, want run %d with draft %v", runs.Runs, tr.Report.RunID, tc.draft)
			}
		})
	}
}

// The translate API takes only its documented options; anything else is a 400 naming it and
// starts no run, instead of silently running the configured backend.
func TestAPI_TranslateRefusesUnknownOptions(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	path := fmt.Sprintf("/api/articles/%d/translate", a.ID)
	for _, tc := range []struct {
		name, query, body, want string
	}{
		{"UnknownField", "", `{"backend":"nope"}`, `body: unknown field "backend"; accepted: "retranslate", "fresh" (skip the cache) and "async", each true or false`},
		{"UnknownBesideKnown", "", `{"retranslate":true,"model":"gpt-4o"}`, `body: unknown field "model"`},
		{"CLIName", "", `{"no_cache":true}`, `body: unknown field "no_cache"`},
		{"NotABool", "", `{"fresh":"yes"}`, `body: field "fresh" must be true or false, not a JSON string`},
		{"NumberForBool", "", `{"async":1}`, `body: field "async" must be true or false, not a JSON number`},
		{"NotAnObject", "", `["retranslate"]`, `body: expected a JSON object, not a JSON array`},
		{"TwoValues", "", `{"fresh":true} {"backend":"nope"}`, `body: one JSON object expected, but more follows it`},
		{"Malformed", "", `{"fresh":`, `body: expected a JSON object {"retranslate", "fresh", "async"}: unexpected EOF`},
		{"UnknownQuery", "?backend=nope", "", `unknown query parameter "backend"; accepted:`},
		{"BadQueryValue", "?fresh=maybe", "", `fresh: "maybe" is neither on nor off (use 1 or 0)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.llm.Count()
			var out struct{ Error string }
			resp := e.do(t, "POST", path+tc.query, tc.body, &out)
			if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(out.Error, tc.want) {
				t.Errorf("POST %s %s = %d %q\nwant 400 starting %q", tc.query, tc.body, resp.StatusCode, out.Error, tc.want)
			}
			if n := e.llm.Count() - before; n != 0 {
				t.Errorf("the refused request still sent %d requests to the backend", n)
			}
		})
	}
	runs, err := e.articles.Runs(context.Background(), a.ID)
	if err != nil || len(runs) != 0 {
		t.Fatalf("runs after refused requests: %+v, %v; want none", runs, err)
	}

	// the documented options still work, in the body and in the query
	for _, tc := range []struct{ query, body string }{
		{"", ""},
		{"", `{"retranslate":true,"fresh":true}`},
		{"?retranslate=1&fresh=true", `{}`},
		{"", `{"retranslate":false,"fresh":false,"async":false}`},
	} {
		var out struct {
			Report struct{ Status string } `json:"report"`
		}
		if resp := e.do(t, "POST", path+tc.query, tc.body, &out); resp.StatusCode != http.StatusOK || out.Report.Status != "done" {
			t.Errorf("POST %s %s = %d %+v, want 200 done", tc.query, tc.body, resp.StatusCode, out)
		}
	}
}
