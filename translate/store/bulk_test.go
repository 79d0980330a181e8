package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// ApproveAll approves, in one transaction, the given segments the single approval's rule
// lets through, each with its own revision, and reports the others by number with the reason.
func TestStore_ApproveAll(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	a, segs := storetest.Reviewed(t, s) // 0 approved, 1 edited, 2 machine, 3 excluded, 4 untranslated
	other, otherSegs := storetest.Sample(t, s)
	req := []store.Versioned{
		{segs[4].ID, segs[4].Version}, {segs[2].ID, segs[2].Version}, {segs[1].ID, segs[1].Version},
		{segs[0].ID, segs[0].Version}, {segs[3].ID, segs[3].Version}, {segs[2].ID, segs[2].Version}, // sent twice
		{otherSegs[1].ID, otherSegs[1].Version}, {999999, 1},
	}
	rep, err := s.ApproveAll(ctx, a.ID, req, "mona")
	if err != nil {
		t.Fatal(err)
	}
	var approved []int
	for _, it := range rep.Approved {
		approved = append(approved, it.Number)
	}
	if !slices.Equal(approved, []int{2, 3}) {
		t.Errorf("approved %v, want #2 and #3 (the edited and the machine one)", approved)
	}
	reasons := map[int]string{}
	var foreign int
	for _, it := range rep.Skipped {
		if it.Number == 0 {
			foreign++
			if it.Reason != "not a segment of «عنوان المقال»" {
				t.Errorf("foreign id %d: %q", it.SegmentID, it.Reason)
			}
			continue
		}
		reasons[it.Number] = it.Reason
	}
	for n, want := range map[int]string{1: "#1 is approved already", 4: "#4 is excluded", 5: "#5 has no English yet"} {
		if !strings.HasPrefix(reasons[n], want) {
			t.Errorf("#%d skipped for %q, want %q", n, reasons[n], want)
		}
	}
	if foreign != 2 || len(reasons) != 3 {
		t.Errorf("skipped %+v", rep.Skipped)
	}
	if rep.Progress.Approved != 3 {
		t.Errorf("progress %+v, want 3 approved", rep.Progress)
	}
	for _, i := range []int{1, 2} {
		g, _ := s.Segment(ctx, segs[i].ID)
		revs, _ := s.Revisions(ctx, g.ID)
		if g.Status != translate.StatusApproved || g.Version != segs[i].Version+1 || revs[len(revs)-1].Kind != "approve" || revs[len(revs)-1].Author != "mona" {
			t.Errorf("#%d = %s v%d, last revision %+v", i+1, g.Status, g.Version, revs[len(revs)-1])
		}
	}
	if g, _ := s.Segment(ctx, otherSegs[1].ID); g.Status != translate.StatusUntranslated {
		t.Errorf("another article's segment was touched: %+v", g)
	}

	// A version that moved on is skipped with its new version; nothing else changes.
	rep, err = s.ApproveAll(ctx, a.ID, []store.Versioned{{segs[1].ID, segs[1].Version}}, "mona")
	if err != nil || len(rep.Approved) != 0 || len(rep.Skipped) != 1 || !strings.HasPrefix(rep.Skipped[0].Reason, "#2 changed since it was shown (now version ") {
		t.Errorf("stale = %+v, %v", rep, err)
	}
	if _, err := s.ApproveAll(ctx, other.ID+100, req, "mona"); !errors.Is(err, translate.ErrNotFound) {
		t.Errorf("unknown article = %v", err)
	}
}

// A failure in the middle of a bulk approval leaves nothing approved: one transaction.
func TestStore_ApproveAllIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	a, segs := storetest.Reviewed(t, s)
	if _, err := db.W.ExecContext(ctx, `CREATE TRIGGER fail_second AFTER INSERT ON revisions
		WHEN NEW.kind = 'approve' AND NEW.segment_id = `+strconv.FormatInt(segs[2].ID, 10)+`
		BEGIN SELECT RAISE(ABORT, 'forced failure'); END`); err != nil {
		t.Fatal(err)
	}
	_, err := s.ApproveAll(ctx, a.ID, []store.Versioned{{segs[1].ID, segs[1].Version}, {segs[2].ID, segs[2].Version}}, "mona")
	if err == nil || !strings.Contains(err.Error(), "forced failure") {
		t.Fatalf("err = %v, want the forced failure", err)
	}
	if g, _ := s.Segment(ctx, segs[1].ID); g.Status != translate.StatusEdited || g.Version != segs[1].Version {
		t.Errorf("#2 after the failed bulk approval: %s v%d, want it untouched", g.Status, g.Version)
	}
}

// ApproveAll follows the quality checks' gate of a single approval: a segment with an open
// error is skipped with the errors named, the others are approved, and once the error is
// ignored the segment is approved too.
func TestStore_ApproveAllHonoursTheQualityChecks(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Article(t, s, "n.txt", numberText+"\nوقال إن الحوار مستمر.\n")
	wrong, err := s.SaveTarget(ctx, segs[1].ID, "71 people were killed in the attack on Wednesday.", segs[1].Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	fine, err := s.SaveTarget(ctx, segs[2].ID, "He said the dialogue goes on.", segs[2].Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	req := []store.Versioned{{ID: wrong.ID, Version: wrong.Version}, {ID: fine.ID, Version: fine.Version}}
	rep, err := s.ApproveAll(ctx, a.ID, req, "sami")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(bulkNumbers(rep.Approved), []int{3}) || !slices.Equal(bulkNumbers(rep.Skipped), []int{2}) {
		t.Fatalf("approved %v, skipped %+v; want #3 approved and #2 skipped over its open error", bulkNumbers(rep.Approved), rep.Skipped)
	}
	if r := rep.Skipped[0].Reason; !strings.Contains(r, "#2") || !strings.Contains(r, wrong17) {
		t.Errorf("reason %q, want the segment and its open error", r)
	}
	if g, _ := s.Segment(ctx, wrong.ID); g.Status != translate.StatusEdited || g.Version != wrong.Version {
		t.Errorf("#2 after the refused bulk approval: %s v%d", g.Status, g.Version)
	}
	if _, _, err := s.Ignore(ctx, wrong.ID, "", qa.Number, wrong17, "sami"); err != nil {
		t.Fatal(err)
	}
	rep, err = s.ApproveAll(ctx, a.ID, req[:1], "sami")
	if err != nil || !slices.Equal(bulkNumbers(rep.Approved), []int{2}) {
		t.Errorf("after the ignore = %+v, %v; want #2 approved", rep, err)
	}
}
