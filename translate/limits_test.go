package translate

import (
	"errors"
	"strings"
	"testing"
)

func TestArticleLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"ErrFileTooLarge", func() error {
			_, _, err := ParseText("big.txt", []byte(strings.Repeat("x", 3<<20)))
			return err
		}, "big.txt: 3 MiB is over the limit of 2 MiB for one article; split the article"},
		{"ErrTextTooLarge", func() error {
			_, err := NewText("text", "", strings.Repeat("x", MaxArticleBytes+1))
			return err
		}, "text: 2.1 MiB is over the limit of 2 MiB for one article; split the article"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.err(); !errors.Is(err, ErrInvalid) || err.Error() != c.want {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := NewText("text", "", strings.Repeat("x", MaxArticleBytes)); err != nil {
		t.Errorf("text of exactly %d bytes: %v", MaxArticleBytes, err)
	}
}
