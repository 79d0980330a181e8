package web

import (
	"errors"
	"fmt"
	"net/http"
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
