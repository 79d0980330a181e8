package translate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// MaxFindRunes bounds the text a find and replace looks for, and what it puts in its place.
const MaxFindRunes = 500

// Replacement is a find and replace over English text: plain text, never a pattern, so
// that "U.S." or "(AFP)" are found as written, and a reviewer never meets a pattern error.
type Replacement struct {
	Find string `json:"find"`
	With string `json:"replace"`
	// CaseSensitive finds only the case typed; otherwise any case (Unicode simple folding).
	CaseSensitive bool `json:"case_sensitive"`
	// WholeWord finds Find only where it does not continue a word: no letter, digit or mark
	// right before it (when it starts with one) nor right after it (when it ends with one).
	WholeWord bool `json:"whole_word"`
}

// Validate refuses an empty Find and texts over MaxFindRunes.
func (r Replacement) Validate() error {
	switch {
	case r.Find == "":
		return ErrInvalid.Errorf("find: required: the English to replace")
	case !utf8.ValidString(r.Find) || !utf8.ValidString(r.With):
		return ErrInvalid.Errorf("find: not valid UTF-8")
	case utf8.RuneCountInString(r.Find) > MaxFindRunes:
		return ErrInvalid.Errorf("find: longer than %d characters", MaxFindRunes)
	case utf8.RuneCountInString(r.With) > MaxFindRunes:
		return ErrInvalid.Errorf("replace: longer than %d characters", MaxFindRunes)
	}
	// The text rule of every English written (CleanTarget): what it refuses or strips has no
	// place in a search either.
	for _, f := range []struct{ name, text string }{{"find", r.Find}, {"replace", r.With}} {
		if _, _, err := arabic.CleanField(f.name, f.text, arabic.RefuseBidi); err != nil {
			return ErrInvalid.Errorf("%w", err)
		}
	}
	return nil
}

// Apply returns text with every occurrence of Find (left to right, not overlapping)
// replaced, and how many there were.
func (r Replacement) Apply(text string) (string, int) {
	find := []rune(r.Find)
	if len(find) == 0 {
		return text, 0
	}
	var b strings.Builder
	n := 0
	last := 0 // the byte offset up to which text is copied
	prev := rune(-1)
	for i := 0; i < len(text); {
		if end, ok := r.matchAt(text, i, find, prev); ok {
			b.WriteString(text[last:i])
			b.WriteString(r.With)
			n++
			prev, _ = utf8.DecodeLastRuneInString(text[:end])
			i, last = end, end
			continue
		}
		c, w := utf8.DecodeRuneInString(text[i:])
		prev = c
		i += w
	}
	if n == 0 {
		return text, 0
	}
	b.WriteString(text[last:])
	return b.String(), n
}

// matchAt reports whether Find occurs in text at byte i, prev being the rune before i (-1 at
// the start), and where the occurrence ends.
func (r Replacement) matchAt(text string, i int, find []rune, prev rune) (int, bool) {
	if r.WholeWord && wordRune(find[0]) && prev >= 0 && wordRune(prev) {
		return 0, false
	}
	j := i
	for _, f := range find {
		if j >= len(text) {
			return 0, false
		}
		c, w := utf8.DecodeRuneInString(text[j:])
		if c != f && (r.CaseSensitive || !FoldEqual(c, f)) {
			return 0, false
		}
		j += w
	}
	if r.WholeWord && wordRune(find[len(find)-1]) && j < len(text) {
		if next, _ := utf8.DecodeRuneInString(text[j:]); wordRune(next) {
			return 0, false
		}
	}
	return j, true
}

// wordRune reports whether r belongs to a word: a letter, a digit or a combining mark.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// FoldEqual reports whether two runes are equal under Unicode simple case folding.
func FoldEqual(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
