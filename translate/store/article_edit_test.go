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

func TestStore_RenameArticle(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, _ := storetest.Sample(t, s)
	t.Run("OK", func(t *testing.T) {
		got, err := s.RenameArticle(ctx, a.ID, "  Russia: Donetsk and Luhansk asked for help  ")
		if err != nil || got.Title != "Russia: Donetsk and Luhansk asked for help" || got.Progress.Total != 3 {
			t.Fatalf("rename = %+v, %v", got, err)
		}
		if back, _ := s.Article(ctx, a.ID); back.Title != got.Title || back.SourceText != storetest.SampleText {
			t.Errorf("stored = %q, source kept: %v", back.Title, back.SourceText == storetest.SampleText)
		}
	})
	for _, c := range []struct {
		name, title, want string
		kind              error
	}{
		{"ErrTitleRequired", "  ", "title: required", translate.ErrInvalid},
		{"ErrTitleTooLong", strings.Repeat("ع", translate.MaxTitleRunes+1), "title: longer than 500 characters", translate.ErrInvalid},
		{"ErrTwoLines", "one\ntwo", "title: one line only", translate.ErrInvalid},
		{"ErrBidiOverride", "abc\u202Edef", "title: ", translate.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.RenameArticle(ctx, a.ID, c.title); !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.RenameArticle(ctx, 999, "x"); !errors.Is(err, translate.ErrNotFound) {
			t.Errorf("err = %v, want not found", err)
		}
	})
}

// Deleting an article takes its segments, revisions and runs with it and keeps the
// translation memory its approvals taught; a run going on it refuses the deletion.
func TestStore_DeleteArticle(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, tm := storetest.New(db), memory.New(db.W, db.R, time.Now)
	a, segs := storetest.Reviewed(t, s) // segment 0 approved: the memory has it
	before, _ := tm.Count(ctx)
	run := translate.Report{ArticleID: a.ID, Backend: "fake"}
	if err := s.StartRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	err := s.DeleteArticle(ctx, a.ID)
	if !errors.Is(err, translate.ErrConflict) || !strings.Contains(err.Error(), "«عنوان المقال» is being translated") {
		t.Fatalf("delete during a run = %v, want a conflict naming the article", err)
	}
	run.Status = translate.RunDone
	if err := s.FinishRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Article(ctx, a.ID); !errors.Is(err, translate.ErrNotFound) {
		t.Errorf("article after delete: %v", err)
	}
	if _, err := s.Segment(ctx, segs[0].ID); !errors.Is(err, translate.ErrNotFound) {
		t.Errorf("segment after delete: %v", err)
	}
	var revisions, runs int
	if err := db.R.QueryRow(`SELECT (SELECT COUNT(*) FROM revisions), (SELECT COUNT(*) FROM mt_runs)`).Scan(&revisions, &runs); err != nil || revisions != 0 || runs != 0 {
		t.Errorf("%d revisions and %d runs left, %v", revisions, runs, err)
	}
	if after, _ := tm.Count(ctx); after != before || before == 0 {
		t.Errorf("memory %d pairs after the delete, %d before: it must keep them", after, before)
	}
	if err := s.DeleteArticle(ctx, a.ID); !errors.Is(err, translate.ErrNotFound) {
		t.Errorf("second delete = %v, want not found", err)
	}
}
