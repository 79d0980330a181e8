package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate/diff"
)

// TestAPI_SegmentSuggestions: a segment's suggestions are its glossary terms in the order they
// occur (each once, with its English, alternatives and spans) and at most three memory
// matches, best first, each with the word diff from its Arabic to the segment's; the
// segment's own approval is never among them, another segment's identical one is.
func TestAPI_SegmentSuggestions(t *testing.T) {
	e := newTestEnv(t)
	ctx := t.Context()
	for _, tr := range []glossary.Term{
		{Arabic: "الضمانات الأمنية", English: "security guarantees", Alternatives: []string{"security assurances"}},
		{Arabic: "سيرغي ريابكوف", English: "Sergei Ryabkov", Type: glossary.TypeName, Note: "deputy foreign minister"},
	} {
		if err := e.glossary.Create(ctx, &tr); err != nil {
			t.Fatal(err)
		}
	}
	const sentence = "قال سيرغي ريابكوف إن الضمانات الأمنية ضرورية وإن ريابكوف مستعد للحوار."
	a := e.article(t, "", "عنوان\n\n"+sentence+"\n\n"+sentence+"\n\nقال سيرغي ريابكوف إن الضمانات الأمنية ضرورية وإن موسكو مستعدة للحوار.\n\nقال سيرغي ريابكوف إن الضمانات ضرورية.")
	segs := e.segments(t, a.ID)
	own, twin, near := segs[1], segs[2], segs[3]
	if _, err := e.articles.Approve(ctx, own.ID, "Sergei Ryabkov said security guarantees were essential.", own.Version, "rev"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, near.ID, "Sergei Ryabkov said security guarantees were essential and Moscow ready.", near.Version, "rev"); err != nil {
		t.Fatal(err)
	}

	var got suggestionsView
	if r := e.do(t, "GET", fmt.Sprintf("/api/segments/%d/suggestions", own.ID), "", &got); r.StatusCode != 200 {
		t.Fatalf("suggestions = %d", r.StatusCode)
	}
	var arabic []string
	for _, ts := range got.Terms {
		arabic = append(arabic, ts.Arabic)
	}
	if !slices.Equal(arabic, []string{"سيرغي ريابكوف", "الضمانات الأمنية"}) {
		t.Fatalf("terms %q, want Ryabkov then the guarantees, each once", arabic)
	}
	ry, sg := got.Terms[0], got.Terms[1]
	rs := []rune(sentence)
	if ry.English != "Sergei Ryabkov" || ry.Note != "deputy foreign minister" || string(rs[ry.Start:ry.End]) != "سيرغي ريابكوف" || len(ry.Spans) < 1 {
		t.Errorf("Ryabkov = %+v", ry)
	}
	if sg.English != "security guarantees" || !slices.Equal(sg.Alternatives, []string{"security assurances"}) || sg.Text != "الضمانات الأمنية" || ry.Start >= sg.Start {
		t.Errorf("guarantees = %+v", sg)
	}
	if got.Number != 2 {
		t.Errorf("number = %d, want 2", got.Number)
	}
	for _, m := range got.Matches {
		if m.SegmentID == own.ID {
			t.Errorf("the segment is offered its own approval: %+v", m)
		}
	}
	if len(got.Matches) != 1 || got.Matches[0].Target != "Sergei Ryabkov said security guarantees were essential and Moscow ready." || got.Matches[0].Similarity == 100 {
		t.Errorf("matches of the approved segment = %+v, want the near one only", got.Matches)
	}
	var joined strings.Builder
	changed := false
	for _, op := range got.Matches[0].Diff {
		if op.Kind != diff.Insert {
			joined.WriteString(op.Text)
		}
		changed = changed || op.Kind != diff.Equal
	}
	if joined.String() != got.Matches[0].Source || !changed {
		t.Errorf("diff %+v does not mark how the match's Arabic differs", got.Matches[0].Diff)
	}

	// The twin has the same Arabic: the approved segment's English is its 100% match, first.
	if r := e.do(t, "GET", fmt.Sprintf("/api/segments/%d/suggestions", twin.ID), "", &got); r.StatusCode != 200 {
		t.Fatalf("suggestions = %d", r.StatusCode)
	}
	if len(got.Matches) != 2 || got.Matches[0].Similarity != 100 || got.Matches[0].SegmentID != own.ID || got.Matches[1].Similarity >= 100 {
		t.Errorf("matches of the twin = %+v, want the 100%% match first, then the near one", got.Matches)
	}
	// The htmx panel of matches follows the same rule.
	_, frag := e.getPage(t, fmt.Sprintf("/segments/%d/tm", own.ID), true)
	if strings.Contains(frag, "Sergei Ryabkov said security guarantees were essential.") {
		t.Errorf("the memory panel offers the segment its own text:\n%s", frag)
	}
	if r := e.do(t, "GET", "/api/segments/999999/suggestions", "", nil); r.StatusCode != 404 {
		t.Errorf("suggestions of a missing segment = %d", r.StatusCode)
	}
}
