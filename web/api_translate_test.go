package web

import (
	"fmt"
	"net/http"
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
