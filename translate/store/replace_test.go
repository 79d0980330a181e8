package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/store"
)

const replaceText = "عنوان\n\nقال ريابكوف إن موسكو مستعدة.\n\nوأضاف أن الكرملين يريد ضمانات.\n\nوختم بأن موسكو تنتظر.\n\nاقرأ أيضا.\n"

// replaceFixture is an article whose English says "Moscow" in four segments: #2 machine, #3
// edited, #4 approved, #5 excluded.
func replaceFixture(t *testing.T, s *store.Store) (translate.Article, []translate.Segment) {
	t.Helper()
	ctx := context.Background()
	a, segs := storetest.Article(t, s, "replace.txt", replaceText)
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[1].ID, Target: "Ryabkov said Moscow is ready; moscow agrees.", Status: translate.StatusMachine, Origin: translate.OriginMachine},
		{SegmentID: segs[2].ID, Target: "He added the Kremlin, i.e. Moscow, wants guarantees.", Status: translate.StatusMachine, Origin: translate.OriginMachine},
		{SegmentID: segs[3].ID, Target: "He ended: Moscow waits.", Status: translate.StatusMachine, Origin: translate.OriginMachine},
		{SegmentID: segs[4].ID, Target: "Read also Moscow.", Status: translate.StatusMachine, Origin: translate.OriginMachine},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTarget(ctx, segs[2].ID, "He added the Kremlin, i.e. Moscow, wants guarantees.", 2, "mona"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ctx, segs[3].ID, "", 2, "mona"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetExcluded(ctx, segs[4].ID, true, 2, "mona"); err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a, segs
}

func bulkNumbers(items []store.BulkItem) []int {
	var out []int
	for _, it := range items {
		out = append(out, it.Number)
	}
	return out
}

// A find and replace previews each change, then applies those the preview listed as one
// revision each in one transaction; a segment changed since the preview is a conflict, left
// as it is; approved segments are left alone unless asked, excluded ones always.
func TestStore_Replace(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, tm := storetest.New(db), memory.New(db.W, db.R, time.Now)
	a, segs := replaceFixture(t, s)
	r := translate.Replacement{Find: "moscow", With: "Moskva", WholeWord: true}

	p, err := s.PreviewReplace(ctx, a.ID, r, false)
	if err != nil {
		t.Fatal(err)
	}
	var changed []int
	for _, c := range p.Changes {
		changed = append(changed, c.Number)
	}
	if !slices.Equal(changed, []int{2, 3}) || !slices.Equal(bulkNumbers(p.Skipped), []int{4, 5}) {
		t.Fatalf("preview changes %v, skipped %+v; want #2 and #3, skipping the approved #4 and the excluded #5", changed, p.Skipped)
	}
	if c := p.Changes[0]; c.Before != "Ryabkov said Moscow is ready; moscow agrees." || c.After != "Ryabkov said Moskva is ready; Moskva agrees." || c.Count != 2 || c.Version != segs[1].Version {
		t.Errorf("change of #2 = %+v", c)
	}
	if !strings.Contains(p.Skipped[0].Reason, "#4 is approved (include approved segments") || p.Skipped[1].Reason != "#5 is excluded" {
		t.Errorf("skipped reasons %+v", p.Skipped)
	}
	if got, _ := s.Segment(ctx, segs[1].ID); got.Version != segs[1].Version {
		t.Fatal("the preview wrote")
	}

	// Someone edits #3 after the preview: it is a conflict, the rest is applied.
	if _, err := s.SaveTarget(ctx, segs[2].ID, "He added Moscow wants guarantees.", segs[2].Version, "sami"); err != nil {
		t.Fatal(err)
	}
	var req []store.Versioned
	for _, c := range p.Changes {
		req = append(req, store.Versioned{ID: c.SegmentID, Version: c.Version})
	}
	rep, err := s.Replace(ctx, a.ID, r, false, req, "mona")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(bulkNumbers(rep.Applied), []int{2}) || !slices.Equal(bulkNumbers(rep.Conflicts), []int{3}) || len(rep.Skipped) != 0 {
		t.Fatalf("report %+v, want #2 applied and #3 a conflict", rep)
	}
	if !strings.HasPrefix(rep.Conflicts[0].Reason, "#3 was changed since the preview") || rep.Conflicts[0].Version != segs[2].Version+1 {
		t.Errorf("conflict %+v", rep.Conflicts[0])
	}
	g2, _ := s.Segment(ctx, segs[1].ID)
	g3, _ := s.Segment(ctx, segs[2].ID)
	if g2.Target != "Ryabkov said Moskva is ready; Moskva agrees." || g2.Status != translate.StatusEdited || g2.Origin != translate.OriginHuman {
		t.Errorf("#2 = %s %q", g2.Status, g2.Target)
	}
	if g3.Target != "He added Moscow wants guarantees." {
		t.Errorf("the conflict was overwritten: %q", g3.Target)
	}
	revs, _ := s.Revisions(ctx, segs[1].ID)
	if last := revs[len(revs)-1]; last.Kind != "replace" || last.Author != "mona" || last.Note != `replaced "moscow" with "Moskva" (whole words)` {
		t.Errorf("revision = %+v", last)
	}

	// Asked to, it changes the approved #4, which stays approved; the memory learns the new
	// English in place of the old.
	p, _ = s.PreviewReplace(ctx, a.ID, r, true)
	if len(p.Changes) != 2 || p.Changes[1].Number != 4 {
		t.Fatalf("preview with the approved ones = %+v", p.Changes)
	}
	rep, err = s.Replace(ctx, a.ID, r, true, []store.Versioned{{ID: segs[3].ID, Version: p.Changes[1].Version}}, "mona")
	if err != nil || !slices.Equal(bulkNumbers(rep.Applied), []int{4}) {
		t.Fatalf("replace in the approved one = %+v, %v", rep, err)
	}
	g4, _ := s.Segment(ctx, segs[3].ID)
	if g4.Target != "He ended: Moskva waits." || g4.Status != translate.StatusApproved {
		t.Errorf("#4 = %s %q", g4.Status, g4.Target)
	}
	exact, _ := tm.Exact(ctx, []string{segs[3].Source})
	if exact[segs[3].Source] != "He ended: Moskva waits." {
		t.Errorf("memory has %q for #4", exact[segs[3].Source])
	}
	if n, _ := tm.Count(ctx); n != 1 {
		t.Errorf("memory has %d pairs, want the new one only", n)
	}
	// Without "include approved" an approved segment sent anyway is skipped.
	rep, _ = s.Replace(ctx, a.ID, translate.Replacement{Find: "Moskva", With: "Moscow"}, false, []store.Versioned{{ID: segs[3].ID, Version: g4.Version}}, "mona")
	if len(rep.Applied) != 0 || len(rep.Skipped) != 1 {
		t.Errorf("approved without asking = %+v", rep)
	}
	if _, err := s.PreviewReplace(ctx, a.ID, translate.Replacement{}, false); !errors.Is(err, translate.ErrInvalid) {
		t.Errorf("empty find = %v", err)
	}
}
