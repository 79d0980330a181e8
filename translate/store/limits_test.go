package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
)

// sentences is an article of n one-word sentences: n segments.
func sentences(n int) string { return strings.Repeat("جملة. ", n) }

// TestArticleLimits: the segment limit holds where an article's rows are written, for one
// article and for a batch.
func TestArticleLimits(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	ctx := t.Context()
	t.Run("OKAtTheSegmentLimit", func(t *testing.T) {
		a, err := s.CreateArticle(ctx, "t", sentences(translate.MaxSegments), "")
		if err != nil || a.Progress.Total != translate.MaxSegments {
			t.Fatalf("CreateArticle(%d segments) = %d segments, %v", translate.MaxSegments, a.Progress.Total, err)
		}
	})
	t.Run("ErrTooManySegments", func(t *testing.T) {
		_, err := s.CreateArticle(ctx, "t", sentences(translate.MaxSegments+1), "")
		want := "text: 2001 segments is over the limit of 2000 for one article; split the article"
		if !errors.Is(err, translate.ErrInvalid) || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
	t.Run("ErrTooManySegmentsInABatch", func(t *testing.T) {
		_, err := s.Import(ctx, readUploads(t, store.Upload{Name: "a.txt", Data: []byte(sentences(3))}, store.Upload{Name: "b.txt", Data: []byte(sentences(translate.MaxSegments + 5))}), store.ImportOptions{})
		want := "b.txt: 2005 segments is over the limit of 2000 for one article; split the article"
		if !errors.Is(err, translate.ErrInvalid) || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
}
