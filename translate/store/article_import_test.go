package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
)

func countRows(t *testing.T, db *migrations.DB, table string) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateArticlesAllOrNothing(t *testing.T) {
	ctx := context.Background()
	good := func(name string) store.NewArticle {
		return store.NewArticle{Title: "عنوان " + name, Text: "عنوان " + name + "\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.", SourceName: name}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		trigger string // SQL run on the store's database first, to make a later insert fail
		arts    []store.NewArticle
		want    string
		is      error
	}{
		{
			name: "constraint fails in the second article's segments",
			ctx:  ctx,
			trigger: `CREATE TRIGGER fail_b BEFORE INSERT ON segments
				WHEN (SELECT source_name FROM articles WHERE id = NEW.article_id) = 'b.txt' AND NEW.idx = 1
				BEGIN SELECT RAISE(ABORT, 'forced failure'); END`,
			arts: []store.NewArticle{good("a.txt"), good("b.txt"), good("c.txt")},
			want: "b.txt: create article: segment 1: forced failure",
		},
		{
			name: "third article has no sentences",
			ctx:  ctx,
			arts: []store.NewArticle{good("a.txt"), good("b.txt"), {Title: "فارغ", Text: " \n ", SourceName: "blank.txt"}},
			want: "blank.txt: text: no sentences found",
			is:   translate.ErrInvalid,
		},
		{
			name: "unnamed article is named by position",
			ctx:  ctx,
			arts: []store.NewArticle{good("a.txt"), {Title: "فارغ", Text: "\n"}},
			want: "article 2 of 2: text: no sentences found",
			is:   translate.ErrInvalid,
		},
		{
			name: "cancelled context",
			ctx:  cancelled,
			arts: []store.NewArticle{good("a.txt"), good("b.txt")},
			want: "context canceled",
			is:   context.Canceled,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := migrationstest.Open(t)
			s := storetest.New(db)
			if tc.trigger != "" {
				if _, err := db.W.ExecContext(ctx, tc.trigger); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.CreateArticles(tc.ctx, tc.arts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("CreateArticles = %v, %v; want an error with %q", got, err, tc.want)
			}
			if got != nil {
				t.Errorf("a failed call returned articles: %+v", got)
			}
			for _, table := range []string{"articles", "segments"} {
				if n := countRows(t, db, table); n != 0 {
					t.Errorf("%d %s left by the failed call, want 0", n, table)
				}
			}
			// The store is usable afterwards: the failure left no open transaction behind.
			if _, err := s.CreateArticles(ctx, []store.NewArticle{good("d.txt")}); err != nil {
				t.Fatalf("create after the failure: %v", err)
			}
		})
	}
}

func TestCreateArticles(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	in := []store.NewArticle{
		{Title: "الأول", Text: "الأول\n\nقال ريابكوف إن موسكو مستعدة للحوار.", SourceName: "one.txt"},
		{Title: "الثاني", Text: "الثاني\n\nوأضاف أن الضمانات ضرورية. ثم غادر.", SourceName: "two.txt"},
	}
	got, err := s.CreateArticles(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d articles, want 2", len(got))
	}
	for i, a := range got {
		if a.ID == 0 || a.Title != in[i].Title || a.SourceName != in[i].SourceName || a.Progress.Total != len(translate.Split(in[i].Text)) {
			t.Errorf("article %d = %+v, want %+v with %d segments", i, a, in[i], len(translate.Split(in[i].Text)))
		}
		segs, err := s.Segments(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var joined strings.Builder
		for _, g := range segs {
			joined.WriteString(g.Source + g.Sep)
		}
		if joined.String() != in[i].Text {
			t.Errorf("article %d text = %q, want %q", i, joined.String(), in[i].Text)
		}
	}
	if got[0].ID >= got[1].ID {
		t.Errorf("ids %d, %d are not in the order given", got[0].ID, got[1].ID)
	}
	if empty, err := s.CreateArticles(ctx, nil); err != nil || len(empty) != 0 {
		t.Errorf("CreateArticles(nil) = %v, %v", empty, err)
	}
}
