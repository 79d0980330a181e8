package translate

import (
	"errors"
	"strings"
	"testing"
)

// sentences is an article of n one-word sentences: n segments.
func sentences(n int) string { return strings.Repeat("جملة. ", n) }

func TestArticleLimits(t *testing.T) {
	s := mustOpenStore(t)
	ctx := t.Context()
	t.Run("OKAtTheSegmentLimit", func(t *testing.T) {
		a, err := s.CreateArticle(ctx, "t", sentences(MaxSegments), "")
		if err != nil || a.Progress.Total != MaxSegments {
			t.Fatalf("CreateArticle(%d segments) = %d segments, %v", MaxSegments, a.Progress.Total, err)
		}
	})
	t.Run("ErrTooManySegments", func(t *testing.T) {
		_, err := s.CreateArticle(ctx, "t", sentences(MaxSegments+1), "")
		want := "invalid: text: 2001 segments is over the limit of 2000 for one article; split the article"
		if !errors.Is(err, ErrInvalid) || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
	t.Run("ErrTooManySegmentsInABatch", func(t *testing.T) {
		_, err := s.CreateArticles(ctx, []NewArticle{{Title: "a", Text: sentences(3), SourceName: "a.txt"}, {Title: "b", Text: sentences(MaxSegments + 5), SourceName: "b.txt"}})
		want := "b.txt: invalid: text: 2005 segments is over the limit of 2000 for one article; split the article"
		if !errors.Is(err, ErrInvalid) || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"ErrFileTooLarge", func() error {
			_, _, err := ParseText("big.txt", []byte(strings.Repeat("x", 3<<20)))
			return err
		}, "invalid: big.txt: 3 MiB is over the limit of 2 MiB for one article; split the article"},
		{"ErrTextTooLarge", func() error {
			_, _, err := NewText("text", "", strings.Repeat("x", MaxArticleBytes+1))
			return err
		}, "invalid: text: 2.1 MiB is over the limit of 2 MiB for one article; split the article"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.err(); !errors.Is(err, ErrInvalid) || err.Error() != c.want {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, _, err := NewText("text", "", strings.Repeat("x", MaxArticleBytes)); err != nil {
		t.Errorf("text of exactly %d bytes: %v", MaxArticleBytes, err)
	}
}
