package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/web/auth"
)

// TestStatusOf: every package's errors get their status from their kind, through the
// wrapping a caller adds, and are shown as written; a handler's own status wins over the
// kind it wraps, and an oversized body is a 413 wherever it was read.
func TestStatusOf(t *testing.T) {
	tooBig := &http.MaxBytesError{Limit: 8 << 20}
	for _, c := range []struct {
		name   string
		err    error
		status int
		msg    string
	}{
		{"TranslateInvalid", translate.ErrInvalid.Errorf("text: empty"), 400, "text: empty"},
		{"TranslateNotFound", fmt.Errorf("article 9: %w", translate.ErrNotFound), 404, "article 9: not found"},
		{"TranslateConflict", &translate.ConflictError{Current: translate.Segment{ID: 3, Version: 2}}, 409,
			"segment 3 was changed by someone else (now at version 2)"},
		{"BackendFailed", fmt.Errorf("run: %w", &translate.BackendError{Backend: "openai", Err: errors.New("cannot reach it")}), 502,
			"run: openai: cannot reach it"},
		{"GlossaryInvalid", fmt.Errorf("import: %w", &glossary.FieldError{Field: "mode", Reason: "unknown"}), 400, "import: mode: unknown"},
		{"GlossaryTooLarge", glossary.ErrTooLarge.Errorf("x.csv: larger than 64 MiB"), 413, "x.csv: larger than 64 MiB"},
		{"GlossaryNotFound", glossary.ErrNotFound, 404, "term not found"},
		{"AuthInvalid", fmt.Errorf("add user: %w", auth.ErrInvalid.Errorf("password: shorter than 8 characters")), 400,
			"add user: password: shorter than 8 characters"},
		{"AuthConflict", auth.ErrConflict.Errorf("add user noor: the name is taken"), 409, "add user noor: the name is taken"},
		{"AuthNotFound", fmt.Errorf("delete user x: %w", auth.ErrNotFound), 404, "delete user x: user not found"},
		{"BadCredentials", auth.ErrBadCredentials, 403, "wrong name or password"},
		{"NotText", &arabic.TextError{File: "a.txt", Line: 2, Reason: "not valid UTF-8 text"}, 400, "a.txt:2: not valid UTF-8 text"},
		{"HandlerStatusWins", httpError(http.StatusBadGateway, "translation failed: %w", translate.ErrInvalid.Errorf("x")), 502, "translation failed: x"},
		{"OversizedBody", badRequest("form: %w", tooBig), 413, "upload too large: the limit is 8 MiB"},
		{"NoKeyHint", httpError(http.StatusBadGateway, "translation failed: %w", &translate.BackendError{Backend: "openai", Fatal: true,
			Err: &translate.SettingError{Setting: translate.SettingAPIKey, Missing: true, Reason: "no API key, which OpenAI's API needs"}}), 502,
			"translation failed: openai: no API key, which OpenAI's API needs (type the key on the Settings page, or choose a local server there)"},
		{"EncodingHint", fmt.Errorf("import: %w", &arabic.TextError{File: "g.csv", Line: 3, Reason: "not valid UTF-8 text", OtherEncoding: true}), 400,
			"import: g.csv:3: not valid UTF-8 text (save the file as UTF-8 and upload it again)"},
		{"NoKind", errors.New("disk full"), 500, "disk full"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := statusOf(c.err); got != c.status {
				t.Errorf("statusOf(%v) = %d, want %d", c.err, got, c.status)
			}
			if got := userMessage(c.err); got != c.msg {
				t.Errorf("userMessage = %q, want %q", got, c.msg)
			}
		})
	}
}

// TestAPI_ErrorMessages checks the exact words an API client gets for its mistakes: no
// error codes, no doubled field names, the body shape the endpoint really takes.
func TestAPI_ErrorMessages(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, err := e.articles.Segments(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	seg := fmt.Sprintf("/api/segments/%d", segs[1].ID)
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"EmptyText", "POST", "/api/articles", `{"text":""}`, 400, "text: empty"},
		{"BlankText", "POST", "/api/articles", `{"title":"t","text":" \n "}`, 400, "text: empty"},
		{"NegativeVersion", "PUT", seg, `{"target":"Text.","version":-5}`, 400,
			"version: -5 is not a segment version (send the version you started from, as GET /api/articles/:id gives it)"},
		{"MissingVersion", "PUT", seg, `{"target":"Text."}`, 400, "version: required (the version you reviewed, from GET /api/articles/:id)"},
		{"ApproveBadJSON", "POST", seg + "/approve", `{"version":`, 400,
			`body: expected JSON {"version"} or {"target", "version"}, or no body: unexpected EOF`},
		{"ApproveNegativeVersion", "POST", seg + "/approve", `{"version":-5}`, 400,
			"version: -5 is not a segment version (send the version you started from, as GET /api/articles/:id gives it)"},
		{"SaveBadJSON", "PUT", seg, `{"version":`, 400, `body: expected JSON {"target", "version"}: unexpected EOF`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out struct{ Error string }
			resp := e.do(t, c.method, c.path, c.body, &out)
			if resp.StatusCode != c.status || out.Error != c.want {
				t.Errorf("%s %s %s = %d %q, want %d %q", c.method, c.path, c.body, resp.StatusCode, out.Error, c.status, c.want)
			}
		})
	}
	if got := statusOf(translate.ErrInvalid.Errorf("x")); got != http.StatusBadRequest {
		t.Errorf("statusOf(ErrInvalid) = %d, want 400", got)
	}
}

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

// TestAPI_JSONHandlersReadOnlyJSON: every handler that reads a JSON body reads it only when
// the request declares application/json. The same JSON labelled as anything else — even from
// this origin, so the CSRF check lets it through — is a 415 that names the type to send, and
// changes nothing.
func TestAPI_JSONHandlersReadOnlyJSON(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs := e.segments(t, a.ID)
	term := e.mustTerm(t, "الكرملين", "the Kremlin", glossary.TypeName)
	seg := fmt.Sprintf("/api/segments/%d", segs[1].ID)
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/articles", `{"title":"t","text":"نص."}`},
		{"PUT", seg, `{"target":"Text.","version":1}`},
		{"POST", seg + "/approve", `{"version":1}`},
		{"POST", seg + "/exclude", `{"excluded":true,"version":1}`},
		{"POST", "/api/glossary", `{"arabic":"موسكو","english":"Moscow","type":"name"}`},
		{"PUT", fmt.Sprintf("/api/glossary/%d", term.ID), `{"arabic":"الكرملين","english":"Kremlin","type":"name"}`},
		{"POST", fmt.Sprintf("/api/articles/%d/translate", a.ID), `{"retranslate":true}`},
		{"POST", "/api/glossary/match", `{"text":"قال الكرملين"}`},
	} {
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", ""} {
			if ct != "application/x-www-form-urlencoded" && strings.HasSuffix(c.path, "/match") {
				continue // the match reads a text/plain body, or one of no type, as the text
			}
			resp, body := e.send(t, c.method, c.path, ct, []byte(c.body), map[string]string{"Origin": e.srv.URL})
			if got := errorOf(t, body); resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(got, "application/json") {
				t.Errorf("%s %s as %q = %d %q, want 415 naming application/json", c.method, c.path, ct, resp.StatusCode, got)
			}
		}
	}
	if after := e.segments(t, a.ID); after[1].Version != segs[1].Version || after[1].Status != segs[1].Status {
		t.Errorf("segment changed: %+v", after[1])
	}
	if list, _ := e.articles.Articles(t.Context()); len(list) != 1 {
		t.Errorf("%d articles, want 1", len(list))
	}
	if terms, total, _ := e.glossary.List(t.Context(), glossary.Filter{Limit: 10}); total != 1 || terms[0].English != "the Kremlin" {
		t.Errorf("glossary = %+v", terms)
	}
}
