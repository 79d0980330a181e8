package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
)

// The characters of the text rule: refused everywhere (controls), refused in names, titles
// and terms but removed from running text (bidi controls), kept (the marks Arabic text uses).
var (
	refusedControls = map[string]string{
		"NUL": "\x00", "BEL": "\x07", "ESC": "\x1b[31m", "vertical tab": "\v", "DEL": "\x7f", "C1 NEL": "\u0085", "C1 CSI": "\u009b31m",
	}
	bidiControls = map[string]string{
		"LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c", "LRO": "\u202d", "RLO": "\u202e",
		"LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069",
	}
	keptMarks = "\u200f\u200e\u061c" // RLM, LRM, ALM
)

// pageError is the part of a page that says what went wrong, for a test's message.
func pageError(page []byte) string {
	s := string(page)
	if i := strings.Index(s, "class=\"form-error"); i >= 0 {
		return s[i:min(len(s), i+400)]
	}
	return s[:min(len(s), 400)]
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTextRule_APIArticles: through POST /api/articles a control character in the title or
// the text is refused naming the field; a bidi control is refused in the title and removed
// from the text with a notice; RLM, LRM and ALM stay.
func TestTextRule_APIArticles(t *testing.T) {
	e := newTestEnv(t)
	for name, c := range refusedControls {
		for _, field := range []string{"title", "text"} {
			body := map[string]string{"title": "عنوان", "text": "قال ريابكوف إن موسكو مستعدة."}
			body[field] = "قال " + c + "ريابكوف."
			var out struct{ Error string }
			resp := e.do(t, "POST", "/api/articles", jsonBody(t, body), &out)
			if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(out.Error, field+": character 5: U+") {
				t.Errorf("%s in the %s = %d %q; want 400 naming the field and the character", name, field, resp.StatusCode, out.Error)
			}
		}
	}
	for name, c := range bidiControls {
		var out struct{ Error string }
		resp := e.do(t, "POST", "/api/articles", jsonBody(t, map[string]string{"title": "عنوان" + c, "text": "نص."}), &out)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error, "title: character 6") {
			t.Errorf("%s in the title = %d %q; want 400 naming the title", name, resp.StatusCode, out.Error)
		}
		var created struct {
			ID     int64
			Notice string
		}
		text := "قال" + c + " ريابكوف" + keptMarks + " إن موسكو مستعدة."
		// The same text each time, once cleaned: a copy, imported all the same.
		resp = e.do(t, "POST", "/api/articles", jsonBody(t, map[string]any{"title": "عنوان", "text": text, "allow_duplicate": true}), &created)
		if resp.StatusCode != http.StatusCreated || !strings.Contains(created.Notice, "text: removed 1 invisible bidi control character") {
			t.Fatalf("%s in the text = %d, notice %q; want 201 with a notice", name, resp.StatusCode, created.Notice)
		}
		a, err := e.articles.Article(t.Context(), created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := "قال ريابكوف" + keptMarks + " إن موسكو مستعدة."; a.SourceText != want || e.segments(t, a.ID)[0].Source != want {
			t.Errorf("%s: stored %q; want %q", name, a.SourceText, want)
		}
	}
}

// TestTextRule_APISegments: PUT /api/segments/:id and approving with a target refuse a control
// character naming the target, and remove a bidi control with a notice beside the saved
// segment; nothing is saved when refused.
func TestTextRule_APISegments(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة.")
	seg := e.segments(t, a.ID)[1]
	for name, c := range refusedControls {
		for _, path := range []string{"/api/segments/%d", "/api/segments/%d/approve"} {
			method := "PUT"
			if strings.HasSuffix(path, "approve") {
				method = "POST"
			}
			var out struct{ Error string }
			resp := e.do(t, method, fmt.Sprintf(path, seg.ID), jsonBody(t, map[string]any{"target": "Ryabkov " + c + "said.", "version": seg.Version}), &out)
			if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(out.Error, "target: character 9: U+") {
				t.Errorf("%s %s = %d %q; want 400 naming the target", name, method, resp.StatusCode, out.Error)
			}
		}
	}
	if got := e.segments(t, a.ID)[1]; got.Version != seg.Version || got.Target != "" {
		t.Fatalf("refused saves stored version %d %q", got.Version, got.Target)
	}
	version := seg.Version
	for name, c := range bidiControls {
		var out struct {
			Target  string
			Version int
			Notice  string
		}
		resp := e.do(t, "PUT", fmt.Sprintf("/api/segments/%d", seg.ID), jsonBody(t, map[string]any{"target": c + "Ryabkov" + keptMarks + " said " + name + ".", "version": version}), &out)
		want := "Ryabkov" + keptMarks + " said " + name + "."
		if resp.StatusCode != http.StatusOK || out.Target != want || !strings.Contains(out.Notice, "target: removed 1 invisible bidi control character") {
			t.Fatalf("%s = %d %q, notice %q; want it saved as %q with a notice", name, resp.StatusCode, out.Target, out.Notice, want)
		}
		version = out.Version
	}
	var plain map[string]any
	e.do(t, "PUT", fmt.Sprintf("/api/segments/%d", seg.ID), jsonBody(t, map[string]any{"target": "Plain.", "version": version}), &plain)
	if _, ok := plain["notice"]; ok || plain["target"] != "Plain." {
		t.Errorf("a clean save answers %v; want no notice", plain)
	}
}

// TestTextRule_APITerms: every field of a glossary term refuses control and bidi characters,
// naming the field, when the term is created and when it is updated; RLM, LRM and ALM stay.
func TestTextRule_APITerms(t *testing.T) {
	e := newTestEnv(t)
	stored := e.mustTerm(t, "الدرع الصاروخي", "missile shield", glossary.TypeTerm)

	for _, field := range []string{"arabic", "english", "note", "variants", "english_alternatives", "forbidden"} {
		for name, c := range map[string]string{"ESC": "\x1b", "NUL": "\x00", "C1": "\u0090", "RLO": "\u202e", "PDI": "\u2069"} {
			body := map[string]any{"arabic": "الضمانات الأمنية", "english": "security guarantees", "type": "term"}
			v := "ضمانات" + c + " أمنية"
			if field != "arabic" && field != "variants" {
				v = "security" + c + " assurances"
			}
			if field == "variants" || field == "english_alternatives" || field == "forbidden" {
				body[field] = []string{v}
			} else {
				body[field] = v
			}
			for _, req := range []struct{ method, path string }{{"POST", "/api/glossary"}, {"PUT", fmt.Sprintf("/api/glossary/%d", stored.ID)}} {
				var out struct{ Error string }
				resp := e.do(t, req.method, req.path, jsonBody(t, body), &out)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error, ": "+field+": character ") {
					t.Errorf("%s in %s, %s = %d %q; want 400 naming the field", name, field, req.method, resp.StatusCode, out.Error)
				}
			}
		}
	}
	if n := e.termCount(t); n != 1 {
		t.Errorf("%d terms after refused writes, want 1", n)
	}
	var created glossary.Term
	resp := e.do(t, "POST", "/api/glossary", jsonBody(t, map[string]any{"arabic": "الناتو", "english": "NATO" + keptMarks, "type": "term", "note": "قال" + keptMarks}), &created)
	if resp.StatusCode != http.StatusCreated || created.English != "NATO"+keptMarks {
		t.Errorf("a term with RLM, LRM and ALM = %d %+v; want them kept", resp.StatusCode, created)
	}
}

// TestTextRule_Forms: the pages' forms follow the same rule: the article form and upload
// (text, title, file name), the segment editor and the glossary form.
func TestTextRule_Forms(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.postForm(t, "/articles", url.Values{"text": {"قال \x1b[31mريابكوف."}}, false)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(string(body)), "pasted text: character 5: U+001B") {
		t.Errorf("pasted text with ESC = %d; want 400 naming it\n%s", resp.StatusCode, pageError(body))
	}
	resp, body = e.postForm(t, "/articles", url.Values{"title": {"عنوان\u202e"}, "text": {"نص."}}, false)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(string(body)), "title: character 6: U+202E") {
		t.Errorf("a title with RLO = %d; want 400 naming it\n%s", resp.StatusCode, pageError(body))
	}
	resp, _ = e.postForm(t, "/articles", url.Values{"text": {"عنوان\n\nقال\u2067 ريابكوف."}}, false)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(flashOf(t, resp), "text: removed 1 invisible bidi control character") {
		t.Errorf("pasted text with RLI = %d, flash %q; want the article with a notice", resp.StatusCode, flashOf(t, resp))
	}
	for _, c := range []struct{ file, title, content, want string }{
		{"a.txt", "", "عنوان\n\nنص\x07.", "a.txt: line 3, character 3: U+0007"},
		{"a.txt", "عنوان\x00", "نص.", "title: character 6: U+0000"},
		// (A control character in a file name is refused before: a MIME header cannot hold one.)
		{"a\u202e.txt", "", "نص.", "file name: character 2: U+202E"},
	} {
		resp, body := e.upload(t, "/articles", c.file, []byte(c.content), map[string]string{"title": c.title})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(string(body)), c.want) {
			t.Errorf("upload %q = %d; want 400 with %q\n%s", c.file, resp.StatusCode, c.want, pageError(body))
		}
	}

	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة.")
	seg := e.segments(t, a.ID)[1]
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d", seg.ID), url.Values{"target": {"Ryabkov \u009bsaid."}, "version": {"1"}}, true)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "target: character 9: U+009B") {
		t.Errorf("the segment editor with a C1 control = %d %.300s; want 400 naming the target", resp.StatusCode, body)
	}
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d", seg.ID), url.Values{"target": {"Ryabkov\u202d said."}, "version": {"1"}}, true)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `<p class="notice" role="status">target: removed 1 invisible bidi control character`) {
		t.Errorf("the segment editor with LRO = %d; want the row with a notice\n%.600s", resp.StatusCode, body)
	}
	if got := e.segments(t, a.ID)[1].Target; got != "Ryabkov said." {
		t.Errorf("stored %q", got)
	}

	resp, body = e.postForm(t, "/glossary", url.Values{"arabic": {"الضمانات الأمنية"}, "english": {"security\x1b guarantees"}}, true)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "english: character 9: U+001B") {
		t.Errorf("the glossary form with ESC = %d %.300s; want 400 naming the field", resp.StatusCode, body)
	}
}

// TestTextRule_GlossaryImport: a glossary file with a control or bidi character in a cell is
// refused naming the line and the field, and nothing is imported.
func TestTextRule_GlossaryImport(t *testing.T) {
	e := newTestEnv(t)
	for _, c := range []struct{ name, csv, want string }{
		{"ESC", "arabic,english\nالدرع الصاروخي,missile shield\nالضمانات الأمنية,security \x1b[31mguarantees\n", "terms.csv:3: english: character 10: U+001B"},
		{"RLO", "arabic,english\nالضمانات\u202e الأمنية,security guarantees\n", "terms.csv:2: arabic: character 9: U+202E"},
		{"C1", "arabic,english,note\nالضمانات الأمنية,security guarantees,a\u0085b\n", "terms.csv:2: note: character 2: U+0085"},
	} {
		resp, body := e.upload(t, "/api/glossary/import", "terms.csv", []byte(c.csv), nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: import = %d %s; want 400 with %q", c.name, resp.StatusCode, body, c.want)
		}
	}
	if n := e.termCount(t); n != 0 {
		t.Errorf("%d terms imported from refused files", n)
	}
}
