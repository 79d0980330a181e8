package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/pipeline"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
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

// newOfflineEnv is newTestEnv with the offline backend, the default when nothing is configured.
func newOfflineEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	mt, err := backends.NewService(e.stores, backends.Config{Backend: backends.Offline}, slogDiscard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mt.Close)
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: mt, Logger: slogDiscard(), MaxUploadBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	e.mt, e.llm = mt, nil
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func TestOffline_PageLabelAndDraftsOnly(t *testing.T) {
	ctx := context.Background()
	online, offline := newTestEnv(t), newOfflineEnv(t)
	text := "عنوان المقال\n\nسيرغي ريابكوف.\n\nقال ريابكوف إن موسكو مستعدة للحوار.\n\nوأضاف أن العلاقات مع واشنطن صعبة جدا.\n\n٢٠٢٤"
	a := offline.article(t, "", text)
	onlineArticle := online.article(t, "", text)

	b := newBrowserClient(t, offline.srv.URL)
	code, page := b.get(fmt.Sprintf("/articles/%d", a.ID))
	if code != http.StatusOK || !strings.Contains(page, `<strong class="draft-label">offline drafts only</strong>`) || !strings.Contains(page, "with offline") {
		t.Fatalf("offline article page = %d, lacks the offline label", code)
	}
	if _, page := newBrowserClient(t, online.srv.URL).get(fmt.Sprintf("/articles/%d", onlineArticle.ID)); strings.Contains(page, "offline drafts only") {
		t.Error("the page with a machine-translation backend carries the offline label")
	}

	if err := offline.glossary.Create(ctx, &glossary.Term{Arabic: "سيرغي ريابكوف", English: "Sergei Ryabkov", Type: glossary.TypeName}); err != nil {
		t.Fatal(err)
	}
	tmx := `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="ar"/><body>
<tu><tuv xml:lang="ar"><seg>قال ريابكوف إن موسكو مستعدة للحوار.</seg></tuv><tuv xml:lang="en"><seg>Ryabkov said Moscow is ready for dialogue.</seg></tuv></tu>
</body></tmx>`
	if _, err := offline.stores.Memory.ImportTMX(ctx, strings.NewReader(tmx), memory.ImportOptions{Name: "memory.tmx"}); err != nil {
		t.Fatal(err)
	}

	// The page's Translate button: a form post that starts the run and comes back to the page.
	form := url.Values{"csrf_token": {b.token}}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/articles/%d/translate", offline.srv.URL, a.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/articles/%d", a.ID) {
		t.Fatalf("Translate = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	waitForRun(t, offline.mt, a.ID)
	var st struct {
		Running bool
		Report  translate.Report
	}
	offline.do(t, "GET", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", &st)
	if st.Running || st.Report.Status == "" {
		t.Fatalf("the offline run has ended, yet its status says %+v", st)
	}
	if st.Report.Status != translate.RunDone || st.Report.Requests != 0 {
		t.Fatalf("offline run = %+v, want done with no requests", st.Report)
	}

	segs, err := offline.articles.Segments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status translate.Status
		target string
	}
	wants := map[string]want{
		"عنوان المقال":                          {translate.StatusUntranslated, ""}, // no glossary term, no memory
		"سيرغي ريابكوف.":                        {translate.StatusDraft, "Sergei Ryabkov."},
		"قال ريابكوف إن موسكو مستعدة للحوار.":   {translate.StatusTM, "Ryabkov said Moscow is ready for dialogue."},
		"وأضاف أن العلاقات مع واشنطن صعبة جدا.": {translate.StatusUntranslated, ""}, // needs a translator
		"٢٠٢٤": {translate.StatusDraft, "2024"},
	}
	if len(segs) != len(wants) {
		t.Fatalf("%d segments, want %d: %+v", len(segs), len(wants), segs)
	}
	for _, g := range segs {
		w, ok := wants[strings.TrimSpace(g.Source)]
		if !ok {
			t.Errorf("unexpected segment %q", g.Source)
			continue
		}
		if g.Status != w.status || g.Target != w.target {
			t.Errorf("segment %q = %s %q, want %s %q", g.Source, g.Status, g.Target, w.status, w.target)
		}
	}
	// The page shows the drafts as drafts, still labelled offline.
	if _, page := b.get(fmt.Sprintf("/articles/%d", a.ID)); !strings.Contains(page, "Sergei Ryabkov.") || !strings.Contains(page, "offline drafts only") {
		t.Error("article page after the offline run lacks the draft or the label")
	}
}

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

func TestTranslate_CancelKeepsWhatFinished(t *testing.T) {
	e := newTestEnv(t)
	e.llm.Latency = 400 * time.Millisecond
	var text strings.Builder
	text.WriteString("عنوان\n\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&text, "قال ريابكوف إن موسكو مستعدة للحوار رقم %d. ", i)
	}
	a := e.article(t, "", text.String())
	if err := e.mt.Configure(func() backends.Config { c := e.mt.Config(); c.BatchSize, c.Concurrency = 5, 1; return c }()); err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/articles/%d/translate", e.srv.URL, a.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d, want a redirect to the article", resp.StatusCode)
	}
	// Let the first batch land, then press Cancel.
	landed := followRun(t, e.mt, a.ID, func(ev pipeline.Event) bool {
		return ev.Kind == pipeline.EventSegment && ev.Segment != nil && ev.Segment.Status == translate.StatusMachine
	})
	if !landed {
		t.Fatal("the run ended before a batch finished")
	}
	if r := e.do(t, "POST", fmt.Sprintf("/articles/%d/translate/cancel", a.ID), "", nil); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusOK {
		t.Fatalf("cancel = %d", r.StatusCode)
	}
	waitForRun(t, e.mt, a.ID)
	var st struct {
		Running bool
		Report  translate.Report
	}
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", &st)
	if st.Running || st.Report.Status != translate.RunCancelled {
		t.Fatalf("after cancel: running=%v status=%q", st.Running, st.Report.Status)
	}
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	kept, open := 0, 0
	for _, g := range segs {
		switch g.Status {
		case translate.StatusMachine:
			kept++
		case translate.StatusUntranslated:
			open++
		}
	}
	if kept == 0 || open == 0 || kept+open != len(segs) {
		t.Fatalf("after cancel: %d translated kept, %d left open of %d", kept, open, len(segs))
	}
}

// Cancelling from the page without htmx redirects back to the article with the outcome as a
// one-time flash: shown on the next load, not again on a reload, and never in the URL.
func TestTranslateCancel_FlashShownOnce(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nنص.")
	path := fmt.Sprintf("/articles/%d", a.ID)
	resp, _ := e.postForm(t, path+"/translate/cancel", url.Values{}, false)
	const want = "No translation was running."
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != path || flashOf(t, resp) != want {
		t.Fatalf("cancel = %d to %q with flash %q; want 303 to %s with %q", resp.StatusCode, loc, flashOf(t, resp), path, want)
	}
	var flash *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == flashCookie {
			flash = ck
		}
	}
	_, first := e.send(t, "GET", path, "", nil, map[string]string{"Cookie": flash.Name + "=" + flash.Value})
	_, again := e.send(t, "GET", path, "", nil, nil)
	if !strings.Contains(string(first), want) || strings.Contains(string(again), want) {
		t.Errorf("flash on first load %v, on reload %v; want shown once", strings.Contains(string(first), want), strings.Contains(string(again), want))
	}
}

// TestInterruptedRunIsShown: a run recorded by another process that stopped renewing its
// lease (killed mid-run) reads as interrupted on the article page and through the API, with
// nothing restarted; a run whose process is alive reads as running.
func TestInterruptedRunIsShown(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	past := store.New(e.db.W, e.db.R, func() time.Time { return time.Now().Add(-2 * store.RunLease) }, nil)
	dead := translate.Report{ArticleID: a.ID, Backend: "openai", Model: "gpt", Pending: 2}
	if err := past.StartRun(t.Context(), &dead); err != nil {
		t.Fatal(err)
	}
	var out struct{ Runs []translate.Report }
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d/runs", a.ID), "", &out)
	if len(out.Runs) != 1 || out.Runs[0].Status != translate.RunInterrupted || !strings.Contains(out.Runs[0].Error, "the process running it stopped") {
		t.Fatalf("API runs = %+v; want the run interrupted", out.Runs)
	}
	_, page := e.fetch(t, fmt.Sprintf("/articles/%d", a.ID))
	if !strings.Contains(page, "; interrupted — the process running it stopped") || !strings.Contains(page, "<td>interrupted — the process running it stopped") {
		t.Errorf("article page does not show the run as interrupted:\n%s", page)
	}

	alive := translate.Report{ArticleID: a.ID, Backend: "openai", Model: "gpt", Pending: 2}
	if err := e.articles.StartRun(t.Context(), &alive); err != nil {
		t.Fatal(err)
	}
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d/runs", a.ID), "", &out)
	if len(out.Runs) != 2 || out.Runs[0].Status != translate.RunRunning || out.Runs[1].Status != translate.RunInterrupted {
		t.Errorf("API runs = %+v; want the live run running, the other interrupted", out.Runs)
	}
}
