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
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/web/auth"
)

func TestMessage(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"PrefixCode", fmt.Errorf("%w: text: empty", translate.ErrInvalid), "text: empty"},
		{"SuffixCode", fmt.Errorf("password: shorter than 8 characters: %w", auth.ErrInvalid), "password: shorter than 8 characters"},
		{"TwoCodes", fmt.Errorf("x.csv: larger than 10 MiB: %w: %w", glossary.ErrTooLarge, glossary.ErrInvalid), "x.csv: larger than 10 MiB: file too large"},
		{"Conflict", fmt.Errorf("%w: segment 3 is excluded", translate.ErrConflict), "segment 3 is excluded"},
		{"Joined", fmt.Errorf("nothing imported:\n  %w", errors.Join(fmt.Errorf("%w: a.txt: empty", translate.ErrInvalid), fmt.Errorf("%w: b.txt:2: not valid UTF-8", translate.ErrInvalid))),
			"nothing imported:\n  a.txt: empty\nb.txt:2: not valid UTF-8"},
		{"NotFoundStays", fmt.Errorf("article 9: %w", translate.ErrNotFound), "article 9: not found"},
		{"QuotedWordStays", fmt.Errorf("%w: name %q: reserved", translate.ErrInvalid, "invalid"), `name "invalid": reserved`},
		{"OnlyTheCode", translate.ErrInvalid, "invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Message(c.err); got != c.want {
				t.Errorf("Message = %q, want %q", got, c.want)
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
			"version: -5 is not a segment version; send the version you started from (from GET /api/articles/:id)"},
		{"MissingVersion", "PUT", seg, `{"target":"Text."}`, 400, "version: required (the version you reviewed, from GET /api/articles/:id)"},
		{"ApproveBadJSON", "POST", seg + "/approve", `{"version":`, 400,
			`body: expected JSON {"version"} or {"target", "version"}, or no body: unexpected EOF`},
		{"ApproveNegativeVersion", "POST", seg + "/approve", `{"version":-5}`, 400,
			"version: -5 is not a segment version; send the version you started from (from GET /api/articles/:id)"},
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
	if got := statusOf(fmt.Errorf("%w: x", translate.ErrInvalid)); got != http.StatusBadRequest {
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
