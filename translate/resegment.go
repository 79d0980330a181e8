package translate

import (
	"strings"
	"unicode"
)

// Cut divides a segment's source at code point at into a first part, the white space
// between, and a second part, so that first + sep + second is source exactly: the white space
// at the cut goes into sep, as Split puts it between two sentences. Both parts must keep a
// character that is not white space.
func Cut(source string, at int) (first, sep, second string, err error) {
	if at <= 0 {
		return "", "", "", ErrInvalid.Errorf("at: %d is not inside the Arabic (it has %d characters)", at, len([]rune(source)))
	}
	byteAt, n := -1, 0
	for i := range source {
		if n == at {
			byteAt = i
			break
		}
		n++
	}
	if byteAt < 0 {
		return "", "", "", ErrInvalid.Errorf("at: %d is not inside the Arabic (it has %d characters)", at, len([]rune(source)))
	}
	first = strings.TrimRightFunc(source[:byteAt], unicode.IsSpace)
	second = strings.TrimLeftFunc(source[byteAt:], unicode.IsSpace)
	if first == "" || second == "" {
		return "", "", "", ErrInvalid.Errorf("at: the cut leaves one part without text")
	}
	return first, source[len(first) : len(source)-len(second)], second, nil
}
