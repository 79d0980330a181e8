package translate

import (
	"fmt"
	"math"
)

// MaxSegments is the most segments one article may have: the article page shows every
// segment at once, and 2,000 sentences is already a short book. Longer texts are imported as
// several articles.
const MaxSegments = 2000

// LimitsText states the article limits for forms and help texts.
var LimitsText = fmt.Sprintf("up to %s and %d segments per article", mib(MaxArticleBytes), MaxSegments)

// tooLarge refuses a text of n bytes, over MaxArticleBytes; name says where it came from.
func tooLarge(name string, n int) error {
	return ErrInvalid.Errorf("%s: %s is over the limit of %s for one article; split the article", name, mib(n), mib(MaxArticleBytes))
}

// CheckSegments refuses an article of more than MaxSegments segments; name says where it came
// from. It runs where the article's rows are written, the one place every import (API, form,
// CLI, seeds) passes.
func CheckSegments(name string, pieces []Piece) error {
	if len(pieces) > MaxSegments {
		return ErrInvalid.Errorf("%s: %d segments is over the limit of %d for one article; split the article", name, len(pieces), MaxSegments)
	}
	return nil
}

// mib writes a byte count as MiB with one decimal, rounded up so that anything over a limit
// reads as more than it ("2.1 MiB", never "2.0 MiB" for 2 MiB and a byte); "2.0" is "2".
func mib(n int) string {
	s := fmt.Sprintf("%.1f", math.Ceil(float64(n)*10/(1<<20))/10)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s + " MiB"
}
