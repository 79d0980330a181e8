package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
)

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

func TestPages_SaveConflictShowsBothTexts(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	if _, err := e.articles.SaveTarget(context.Background(), segs[1].ID, "Their version.", 1, "other"); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"version": {"1"}, "target": {"My version."}}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/segments/%d", e.srv.URL, segs[1].ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	resp, err := http.DefaultClient.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status = %d, want 409", resp.StatusCode)
	}
	row := string(body)
	if !strings.Contains(row, "My version.") || !strings.Contains(row, "Their version.") || !strings.Contains(row, `name="version" value="2"`) {
		t.Fatalf("conflict row lacks both texts or the new version:\n%s", row)
	}
	cur, _ := e.articles.Segment(context.Background(), segs[1].ID)
	if cur.Target != "Their version." {
		t.Fatalf("conflicting save overwrote the segment: %q", cur.Target)
	}
}

// TestExcludedSegmentRefusesWrites: neither the API nor the page brings an excluded segment
// back by saving or approving it; an explicit include does.
func TestExcludedSegmentRefusesWrites(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	g, err := e.articles.SetExcluded(ctx, segs[0].ID, true, 1, "r")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, method, path, body string }{
		{"APISave", "PUT", fmt.Sprintf("/api/segments/%d", g.ID), fmt.Sprintf(`{"target":"Title","version":%d}`, g.Version)},
		{"APIApprove", "POST", fmt.Sprintf("/api/segments/%d/approve", g.ID), ""},
		{"APIApproveVersion", "POST", fmt.Sprintf("/api/segments/%d/approve", g.ID), fmt.Sprintf(`{"version":%d}`, g.Version)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out struct{ Error string }
			resp := e.do(t, c.method, c.path, c.body, &out)
			if resp.StatusCode != http.StatusConflict || !strings.Contains(out.Error, "excluded") {
				t.Errorf("%s %s = %d %q, want 409 naming the exclusion", c.method, c.path, resp.StatusCode, out.Error)
			}
		})
	}
	for _, path := range []string{"/segments/%d", "/segments/%d/approve"} {
		t.Run("Page"+path, func(t *testing.T) {
			form := url.Values{"version": {fmt.Sprint(g.Version)}, "target": {"Title"}}
			req, _ := http.NewRequest("POST", e.srv.URL+fmt.Sprintf(path, g.ID), strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			resp, err := http.DefaultClient.Do(asBrowser(req))
			if err != nil {
				t.Fatal(err)
			}
			var out struct{ Error string }
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if resp.StatusCode != http.StatusConflict || err != nil || !strings.Contains(out.Error, "excluded") {
				t.Errorf("page POST = %d %q (%v), want 409 JSON naming the exclusion", resp.StatusCode, out.Error, err)
			}
		})
	}
	cur, _ := e.articles.Segment(ctx, g.ID)
	if cur.Status != translate.StatusExcluded || cur.Version != g.Version {
		t.Fatalf("refused writes changed the segment: %s v%d", cur.Status, cur.Version)
	}
}

// TestSegmentSave_RechecksGlossaryFlags: the machine flagged a term; the reviewer's fix drops
// the flag (and the row leaves the Flagged filter), an edit that still misses it keeps one.
func TestSegmentSave_RechecksGlossaryFlags(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	term := glossary.Term{Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm}
	if err := e.glossary.Create(ctx, &term); err != nil {
		t.Fatal(err)
	}
	a := e.article(t, "", "عنوان\n\nوأضاف أن الضمانات الأمنية ضرورية.")
	segs, _ := e.articles.Segments(ctx, a.ID)
	g := segs[1]
	machineFlag := `glossary: expected "security guarantees" for ضمانات أمنية`
	e.machine(t, g, "openai", "m1", "He added that guarantees are necessary.", machineFlag)
	flaggedRow := regexp.MustCompile(`<form class="seg[^"]*\bflagged\b`)
	for _, c := range []struct {
		name, path, target string
		flagged            bool
	}{
		{"SaveFixesTerm", "/segments/%d", "He added that security guarantees are necessary.", false},
		{"SaveStillViolates", "/segments/%d", "He added that assurances are necessary.", true},
		{"ApproveFixesTerm", "/segments/%d/approve", "He added that Security Guarantees are necessary.", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := url.Values{"version": {fmt.Sprint(e.version(t, g))}, "target": {c.target}}
			resp, body := e.postForm(t, fmt.Sprintf(c.path, g.ID), form, true)
			if resp.StatusCode != 200 {
				t.Fatalf("POST = %d %s", resp.StatusCode, body)
			}
			if got := flaggedRow.Match(body); got != c.flagged {
				t.Errorf("row flagged = %v, want %v:\n%s", got, c.flagged, body)
			}
			if got := strings.Contains(string(body), "should be &#34;security guarantees&#34; (glossary)"); got != c.flagged {
				t.Errorf("row shows the glossary note = %v, want %v", got, c.flagged)
			}
			cur, _ := e.articles.Segment(ctx, g.ID)
			if (len(cur.Flags) > 0) != c.flagged || len(cur.MachineFlags) != 1 || cur.MachineFlags[0] != machineFlag {
				t.Errorf("stored flags %q, machine flags %q", cur.Flags, cur.MachineFlags)
			}
			_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
			if got := regexp.MustCompile(fmt.Sprintf(`<form class="seg[^"]*\bflagged\b[^"]*" id="seg-%d"`, g.ID)).MatchString(page); got != c.flagged {
				t.Errorf("article page marks the row for the Flagged filter = %v, want %v", got, c.flagged)
			}
		})
	}
}
