package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
)

// A stale write's conflict names who saved the current text and when (the revision that
// made it so), carries the refused text, and speaks of the segment as the page numbers it.
func TestStore_ConflictSaysWhoSavedAndWhen(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	s, _ := storeAt(t, &now)
	_, segs := storetest.Sample(t, s)
	g := segs[1]
	if _, err := s.SaveTarget(ctx, g.ID, "Ryabkov said Moscow is ready.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	// KeepTheirs writes a revision that does not move the version: not who saved the text.
	if _, err := s.KeepTheirs(ctx, g.ID, "set aside", 2, "noor"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		write func() error
		mine  string
	}{
		{"Save", func() error { _, err := s.SaveTarget(ctx, g.ID, "  My own text.  ", 1, "sami"); return err }, "My own text."},
		{"ApproveMine", func() error { _, err := s.Approve(ctx, g.ID, "My own text.", 1, "sami"); return err }, "My own text."},
		{"ApproveAsIs", func() error { _, err := s.Approve(ctx, g.ID, "", 1, "sami"); return err }, ""},
		{"Exclude", func() error { _, err := s.SetExcluded(ctx, g.ID, true, 1, "sami"); return err }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.write()
			var ce *translate.ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConflictError", err)
			}
			if ce.Saved == nil || ce.Saved.Author != "mona" || !ce.Saved.CreatedAt.Equal(time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)) || ce.Saved.Kind != "edit" {
				t.Errorf("Saved = %+v, want mona's edit at 10:30", ce.Saved)
			}
			if ce.Mine != c.mine || ce.Current.Target != "Ryabkov said Moscow is ready." || ce.Current.Version != 2 {
				t.Errorf("Mine %q, Current %q v%d", ce.Mine, ce.Current.Target, ce.Current.Version)
			}
			if want := "#2 was changed by mona since you loaded it (now at version 2)"; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
	// A segment nobody has written yet has no revision to name.
	err := func() error { _, err := s.SaveTarget(ctx, segs[2].ID, "x", 7, "sami"); return err }()
	var ce *translate.ConflictError
	if !errors.As(err, &ce) || ce.Saved != nil || err.Error() != "#3 was changed by someone else since you loaded it (now at version 1)" {
		t.Errorf("conflict on an unwritten segment = %v (%+v)", err, ce)
	}
}

// Approving in a conflict is an explicit choice: "mine" is Approve with the reviewer's text at
// the current version, "theirs" approves the text saved first at its version and keeps the
// reviewer's text in the history; either refuses a version that has moved on again.
func TestStore_ApproveTheirs(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	g := segs[1]
	if _, err := s.SaveTarget(ctx, g.ID, "Their text.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrStale", func(t *testing.T) {
		_, err := s.ApproveTheirs(ctx, g.ID, "My text.", 1, "sami")
		if !errors.Is(err, translate.ErrConflict) {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if cur, _ := s.Segment(ctx, g.ID); cur.Status != translate.StatusEdited || cur.Version != 2 {
			t.Fatalf("a stale approval wrote: %+v", cur)
		}
	})
	t.Run("OK", func(t *testing.T) {
		got, err := s.ApproveTheirs(ctx, g.ID, "My text.", 2, "sami")
		if err != nil {
			t.Fatal(err)
		}
		if got.Target != "Their text." || got.Status != translate.StatusApproved || got.Version != 3 {
			t.Fatalf("approved = %+v, want their text approved at version 3", got)
		}
		revs, _ := s.Revisions(ctx, g.ID)
		if len(revs) != 3 || revs[1].Kind != "theirs" || revs[1].Before != "My text." || revs[2].Kind != "approve" || revs[2].After != "Their text." {
			t.Fatalf("revisions = %+v, want edit, theirs (my text set aside), approve", revs)
		}
	})
	t.Run("ApproveMine", func(t *testing.T) {
		g := segs[2]
		if _, err := s.SaveTarget(ctx, g.ID, "Their text.", 1, "mona"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Approve(ctx, g.ID, "My text.", 2, "sami")
		if err != nil || got.Target != "My text." || got.Status != translate.StatusApproved {
			t.Fatalf("approve mine = %+v, %v", got, err)
		}
	})
}
