package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
)

// TestArticlePage_SegmentNumbersStartAtOne: people count segments from 1 — in the # column,
// the editors' labels, the history and the bilingual export — while ids and the API's index
// stay as they are.
func TestArticlePage_SegmentNumbersStartAtOne(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	segs := e.segments(t, a.ID)
	_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
	_, hist := e.getPage(t, fmt.Sprintf("/segments/%d/history", segs[0].ID), true)
	_, export := e.getPage(t, fmt.Sprintf("/articles/%d/export?format=html", a.ID), false)
	for _, c := range []struct{ where, body, want, not string }{
		{"# column", page, `<span class="idx">1</span>`, `<span class="idx">0</span>`},
		{"last row", page, fmt.Sprintf(`<span class="idx">%d</span>`, len(segs)), fmt.Sprintf(`<span class="idx">%d</span>`, len(segs)+1)},
		{"editor label", page, `aria-label="English for segment 1"`, `aria-label="English for segment 0"`},
		{"history", hist, `aria-label="History of segment 1"`, `aria-label="History of segment 0"`},
		{"bilingual export", export, `<td class="idx">1</td>`, `<td class="idx">0</td>`},
	} {
		if !strings.Contains(c.body, c.want) || strings.Contains(c.body, c.not) {
			t.Errorf("%s: want %s and no %s", c.where, c.want, c.not)
		}
	}
	var api struct {
		Segments []struct{ Index int }
	}
	if r := e.do(t, "GET", fmt.Sprintf("/api/articles/%d", a.ID), "", &api); r.StatusCode != http.StatusOK || len(api.Segments) == 0 || api.Segments[0].Index != 0 {
		t.Errorf("API = %d %+v; want the first index 0 as before", r.StatusCode, api.Segments)
	}
}

func (e *testEnv) segments(t *testing.T, articleID int64) []translate.Segment {
	t.Helper()
	segs, err := e.articles.Segments(context.Background(), articleID)
	if err != nil || len(segs) == 0 {
		t.Fatalf("segments of article %d: %d, %v", articleID, len(segs), err)
	}
	return segs
}

// TestHistory_LabelsAndSpacing: the history says whose text each revision started from only
// when it was machine output, and a replaced word stays apart from its replacement.
func TestHistory_LabelsAndSpacing(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "قال ريابكوف إن موسكو مستعدة للحوار.")
	seg := e.segments(t, a.ID)[0]
	bg := context.Background()
	e.machine(t, seg, "openai", "fake-1", "Ryabkov affirmed that Moscow reported on the talks.")
	steps := []struct{ author, text string }{
		{"alice", "Ryabkov stressed Moscow reported on the talks."},
		{"bob", "Ryabkov stressed Moscow reported about the talks."},
	}
	for _, s := range steps {
		if _, err := e.articles.SaveTarget(bg, seg.ID, s.text, e.version(t, seg), s.author); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.articles.Approve(bg, seg.ID, "", e.version(t, seg), "carol"); err != nil {
		t.Fatal(err)
	}
	_, body := e.getPage(t, fmt.Sprintf("/segments/%d/history", seg.ID), true)
	for _, want := range []string{
		`<strong>edited</strong> by alice <span class="rev-mt">(machine text from openai fake-1)</span> ·`,
		`Ryabkov <del>affirmed that</del> <ins>stressed</ins> Moscow`,
		`<strong>edited</strong> by bob ·`,
		`reported <del>on</del> <ins>about</ins> the talks.`,
		`<strong>approved</strong> by carol ·`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("history lacks %s:\n%s", want, body)
		}
	}
	if n := strings.Count(body, "machine text from"); n != 1 {
		t.Errorf("%d revisions say they started from machine text, want 1 (alice's edit):\n%s", n, body)
	}
}

// TestSegmentWrite_ConflictKnowsAnUntouchedBox: when a write meets a newer version, the
// conflict view offers Keep mine only to a reviewer who changed the text; one whose box still
// held what the page loaded gets their text in the box, Use theirs, and — if they were
// approving — Approve their text.
func TestSegmentWrite_ConflictKnowsAnUntouchedBox(t *testing.T) {
	const machine, theirs = "Machine text as the page loaded it.", "Their careful edit."
	for _, c := range []struct {
		name, action, target     string
		untouched, approveTheirs bool
		box                      string
	}{
		{"ApproveUntouched", "approve", machine, true, true, theirs},
		{"SaveUntouched", "", machine, true, false, theirs},
		{"ApproveEdited", "approve", "My own words.", false, false, "My own words."},
		{"SaveEdited", "", "My own words.", false, false, "My own words."},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t)
			a := e.article(t, "", "قال ريابكوف إن موسكو مستعدة للحوار.")
			seg := e.segments(t, a.ID)[0]
			e.machine(t, seg, "openai", "fake-1", machine)
			loaded := e.version(t, seg)
			if _, err := e.articles.SaveTarget(context.Background(), seg.ID, theirs, loaded, "other"); err != nil {
				t.Fatal(err)
			}
			path := fmt.Sprintf("/segments/%d", seg.ID)
			if c.action != "" {
				path += "/" + c.action
			}
			form := url.Values{"version": {fmt.Sprint(loaded)}, "target": {c.target}, "base": {machine}}
			resp, raw := e.postForm(t, path, form, true)
			body := string(raw)
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("POST %s = %d, want 409\n%s", path, resp.StatusCode, body)
			}
			checks := []struct {
				what string
				want bool
				has  bool
			}{
				{"says you had not edited it", c.untouched, strings.Contains(body, "they changed this segment; you had not edited it")},
				{"offers Keep mine", !c.untouched, strings.Contains(body, `class="keep-mine"`)},
				{"says your text is in the box", !c.untouched, strings.Contains(body, "Your text is still in the box above.")},
				{"offers Use theirs", true, strings.Contains(body, `class="use-theirs"`)},
				{"offers Approve their text", c.approveTheirs, strings.Contains(body, ">Approve their text</button>")},
				{"box holds " + c.box, true, strings.Contains(body, ">"+c.box+"</textarea>")},
			}
			for _, ck := range checks {
				if ck.has != ck.want {
					t.Errorf("conflict view %s: %v, want %v\n%s", ck.what, ck.has, ck.want, body)
				}
			}
			if cur, _ := e.articles.Segment(context.Background(), seg.ID); cur.Target != theirs {
				t.Errorf("the stale write changed the segment to %q", cur.Target)
			}
		})
	}
}

// TestArticlePage_ShowsLastRunFailures: after a run against a backend that is down, a reload
// still shows the run's outcome with its reason and lists the segments that failed.
func TestArticlePage_ShowsLastRunFailures(t *testing.T) {
	e := newTestEnv(t)
	e.llm.SetScenario(backendtest.AlwaysFail())
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	segs := e.segments(t, a.ID)
	e.do(t, "POST", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", nil)
	runs, err := e.articles.Runs(context.Background(), a.ID)
	if err != nil || len(runs) != 1 || runs[0].Error == "" {
		t.Fatalf("runs = %+v, %v; want one run that failed with a reason", runs, err)
	}
	_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	summary := textOf(findID(doc, "run-summary"))
	if want := runs[0].String() + " — " + runs[0].Error; summary != want {
		t.Errorf("run summary after reload = %q, want %q", summary, want)
	}
	var items []string
	for li := findID(doc, "failures").FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.ElementNode {
			items = append(items, textOf(li))
		}
	}
	if len(items) != len(segs) {
		t.Fatalf("failures list = %q, want one line per segment (%d)", items, len(segs))
	}
	for i, it := range items {
		if want := fmt.Sprintf("Segment %d: machine translation failed: ", i+1); !strings.HasPrefix(it, want) || len(it) == len(want) {
			t.Errorf("failure %d = %q, want %q and the reason", i, it, want)
		}
	}
}

// findID finds the element with the id in the parsed page.
func findID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findID(c, id); f != nil {
			return f
		}
	}
	return nil
}

// textOf is the text inside n.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}
