package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/memory"
)

// Taking an approval back makes the segment edited with the same text, records the reason,
// and takes the pair out of the memory unless another segment taught it too.
func TestStore_Unapprove(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, tm := storetest.New(db), memory.New(db.W, db.R, time.Now)
	_, segs := storetest.Sample(t, s)
	g := segs[1]
	approved, err := s.Approve(ctx, g.ID, "Ryabkov said Moscow is ready.", 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		version int
		reason  string
		want    string
		kind    error
	}{
		{"ErrReasonRequired", approved.Version, "  ", "reason: required", translate.ErrInvalid},
		{"ErrReasonTooLong", approved.Version, strings.Repeat("x", 501), "reason: longer than 500 characters", translate.ErrInvalid},
		{"ErrStale", approved.Version - 1, "wrong tense", "#2 was changed by mona", translate.ErrConflict},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Unapprove(ctx, g.ID, c.version, c.reason, "sami")
			if !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	got, err := s.Unapprove(ctx, g.ID, approved.Version, "  the tense is\nwrong ", "sami")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != translate.StatusEdited || got.Target != "Ryabkov said Moscow is ready." || got.Version != approved.Version+1 {
		t.Fatalf("un-approved = %+v", got)
	}
	revs, _ := s.Revisions(ctx, g.ID)
	last := revs[len(revs)-1]
	if last.Kind != "unapprove" || last.Note != "the tense is wrong" || last.Author != "sami" || last.Before != last.After {
		t.Errorf("revision = %+v, want an unapprove with the reason", last)
	}
	if n, _ := tm.Count(ctx); n != 0 {
		t.Errorf("the memory keeps %d pairs after the only approval was taken back", n)
	}
	if _, err := s.Unapprove(ctx, g.ID, got.Version, "again", "sami"); !errors.Is(err, translate.ErrConflict) || !strings.Contains(err.Error(), "#2 is not approved") {
		t.Errorf("un-approving an edited segment = %v", err)
	}

}

// A pair two segments with the same Arabic approved stays in the memory while one of them
// still has it approved, whichever approval is taken back.
func TestStore_UnapproveKeepsAPairAnotherSegmentApproved(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, tm := storetest.New(db), memory.New(db.W, db.R, time.Now)
	const sentence = "قال ريابكوف إن موسكو مستعدة للحوار."
	_, segs := storetest.Article(t, s, "twice.txt", "عنوان\n\n"+sentence+"\n\n"+sentence+"\n")
	a, b := segs[1], segs[2]
	va, err := s.Approve(ctx, a.ID, "Ryabkov said Moscow is ready.", 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	vb, err := s.Approve(ctx, b.ID, "Ryabkov said Moscow is ready.", 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	// The pair is b's now (approved last): taking b's approval back hands it to a.
	if _, err := s.Unapprove(ctx, b.ID, vb.Version, "not final", "sami"); err != nil {
		t.Fatal(err)
	}
	ms, _ := tm.FuzzyFor(ctx, b.ID, sentence, 3)
	if len(ms) != 1 || ms[0].SegmentID != a.ID {
		t.Fatalf("after b's approval is taken back the memory offers b %+v; want the pair, a's", ms)
	}
	if _, err := s.Unapprove(ctx, a.ID, va.Version, "not final either", "sami"); err != nil {
		t.Fatal(err)
	}
	if n, _ := tm.Count(ctx); n != 0 {
		t.Errorf("memory has %d pairs after both approvals were taken back", n)
	}
}

// Restore brings an older text back as a new revision (a "theirs" revision's set-aside text
// too), under the version rule; a revision of another segment is refused.
func TestStore_Restore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	s, _ := storeAt(t, &now)
	_, segs := storetest.Sample(t, s)
	g := segs[1]
	v := 1
	for _, text := range []string{"First text.", "Second text.", "Third text."} {
		got, err := s.SaveTarget(ctx, g.ID, text, v, "mona")
		if err != nil {
			t.Fatal(err)
		}
		v = got.Version
	}
	if _, err := s.KeepTheirs(ctx, g.ID, "Set aside.", v, "sami"); err != nil {
		t.Fatal(err)
	}
	revs, _ := s.Revisions(ctx, g.ID)
	first, theirs := revs[0], revs[3]
	t.Run("ErrStale", func(t *testing.T) {
		if _, err := s.Restore(ctx, g.ID, first.ID, v-1, "sami"); !errors.Is(err, translate.ErrConflict) {
			t.Errorf("err = %v, want a conflict", err)
		}
	})
	t.Run("ErrOtherSegment", func(t *testing.T) {
		if _, err := s.Restore(ctx, segs[2].ID, first.ID, 1, "sami"); !errors.Is(err, translate.ErrInvalid) {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("ErrNoSuchRevision", func(t *testing.T) {
		if _, err := s.Restore(ctx, g.ID, 9999, v, "sami"); !errors.Is(err, translate.ErrNotFound) {
			t.Errorf("err = %v, want not found", err)
		}
	})
	got, err := s.Restore(ctx, g.ID, first.ID, v, "sami")
	if err != nil {
		t.Fatal(err)
	}
	if got.Target != "First text." || got.Status != translate.StatusEdited || got.Version != v+1 {
		t.Fatalf("restored = %+v", got)
	}
	revs, _ = s.Revisions(ctx, g.ID)
	last := revs[len(revs)-1]
	if last.Kind != "restore" || last.Before != "Third text." || last.After != "First text." || last.Note != "the text of the edit by mona of 2026-03-04 10:30 UTC" {
		t.Errorf("restore revision = %+v", last)
	}
	got, err = s.Restore(ctx, g.ID, theirs.ID, got.Version, "sami")
	if err != nil || got.Target != "Set aside." {
		t.Errorf("restoring a theirs revision = %q, %v; want the text it set aside", got.Target, err)
	}
	same, err := s.Restore(ctx, g.ID, theirs.ID, got.Version, "sami")
	if err != nil || same.Version != got.Version {
		t.Errorf("restoring the text the segment has = v%d, %v; want no change", same.Version, err)
	}
}
