// Package arabic normalizes Arabic text for matching: one normalizer used the same way for
// glossary terms, article text, the translation memory and search, with a map back to the
// original characters so highlights land where the reader sees them.
package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Folded is a normalized text together with, for each normalized rune, the index (in code
// points) of the original rune it came from.
type Folded struct {
	Runes []rune // the normalized text
	Orig  []int  // Orig[i] is the code point index in the original text of Runes[i]
	N     int    // number of code points in the original text
}

// Fold normalizes s rune by rune and records where each normalized rune came from. It does
// not collapse whitespace, so every letter keeps its position; see Normalize for keys.
func Fold(s string) Folded {
	n := utf8.RuneCountInString(s)
	f := Folded{Runes: make([]rune, 0, n), Orig: make([]int, 0, n)}
	FoldInto(&f, s)
	return f
}

// FoldInto is Fold into f, reusing the memory of its slices: a long text can be folded
// piece by piece (the matcher folds it line by line) without allocating per piece.
func FoldInto(f *Folded, s string) {
	f.Runes, f.Orig = f.Runes[:0], f.Orig[:0]
	var buf [8]rune
	n := 0
	for i := 0; i < len(s); n++ {
		// UTF-8 decoded in line for ASCII and the two-byte forms (Arabic), as DecodeRune does.
		var r rune
		if c := s[i]; c < 0x80 {
			r = rune(c)
			i++
		} else if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			i += 2
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
		}
		// Fast path: ASCII and the Arabic letters that fold to themselves.
		if r < 0x80 || (r >= 0x0621 && r <= 0x064A && selfFolding&(1<<(r-0x0621)) != 0) {
			f.Runes = append(f.Runes, r)
			f.Orig = append(f.Orig, n)
			continue
		}
		for _, out := range foldRune(r, buf[:0]) {
			f.Runes = append(f.Runes, out)
			f.Orig = append(f.Orig, n)
		}
	}
	f.N = n
}

// selfFolding has bit r-U+0621 set for the letters ء … ي that the normalizer leaves as they
// are: all but آ أ إ (→ ا), ة (→ ه), tatweel (dropped) and ى (→ ي).
const selfFolding = (1<<(0x064A-0x0621+1) - 1) &^
	(1<<(0x0622-0x0621) | 1<<(0x0623-0x0621) | 1<<(0x0625-0x0621) | 1<<(0x0629-0x0621) |
		1<<(0x0640-0x0621) | 1<<(0x0649-0x0621))

// DecodeRune is utf8.DecodeRuneInString(s[i:]), and so counts code points as ranging over s
// does (an invalid byte is one U+FFFD), with the one- and two-byte forms, ASCII and Arabic,
// decoded in line: the matcher walks megabytes of Arabic with it.
func DecodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < 0x80 {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return decodeOther(s[i:])
}

// decodeOther is the rest of DecodeRune, kept out of line so that DecodeRune inlines.
//
//go:noinline
func decodeOther(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// Normalize returns the normalized form of s used as a key: Fold's letters with runs of
// white space collapsed to one space and the ends trimmed.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var buf [8]rune
	space := false
	for _, r := range s {
		for _, out := range foldRune(r, buf[:0]) {
			if unicode.IsSpace(out) {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(out)
		}
	}
	return b.String()
}

// foldRune appends the normalized form of one original rune to dst: nothing for a dropped
// mark, usually one rune, two for a lam-alef ligature.
func foldRune(r rune, dst []rune) []rune {
	// Fast path: plain Arabic letters and ASCII need no compatibility decomposition.
	if r < 0x80 {
		return append(dst, r)
	}
	if r >= 0x0600 && r <= 0x06FF {
		return appendMapped(dst, r)
	}
	if isIgnorable(r) {
		return dst
	}
	var in [utf8.UTFMax]byte
	n := utf8.EncodeRune(in[:], r)
	if norm.NFKC.Properties(in[:n]).Decomposition() == nil {
		return append(dst, r) // stable under NFKC: most punctuation, Latin, other scripts
	}
	// Presentation forms, ligatures, full-width and other compatibility characters. The
	// stack buffer keeps this free of heap allocations for the short results involved.
	var out [32]byte
	res := norm.NFKC.Append(out[:0], in[:n]...)
	for len(res) > 0 {
		d, size := utf8.DecodeRune(res)
		res = res[size:]
		if !isIgnorable(d) {
			dst = appendMapped(dst, d)
		}
	}
	return dst
}

// isIgnorable reports marks that never change the meaning for matching: harakat (and their
// presentation forms), the dagger alef, tatweel, combining hamza, and bidi or zero-width
// controls.
func isIgnorable(r rune) bool {
	switch {
	case r >= 0x064B && r <= 0x0652: // fathatan … sukun
		return true
	case r == 0x0670, r == 0x0640, r == 0x0654, r == 0x0655: // dagger alef, tatweel, hamza above/below
		return true
	case r >= 0x200B && r <= 0x200F: // zero-width space, ZWNJ, ZWJ, LRM, RLM
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069: // bidi embeddings and isolates
		return true
	case r == 0xFEFF, r == 0x061C, r == 0x00AD: // BOM, Arabic letter mark, soft hyphen
		return true
	case r >= 0xFE70 && r <= 0xFE7F, r >= 0xFC5E && r <= 0xFC63:
		// Presentation forms of harakat (isolated, medial) and of shadda ligatures: NFKC
		// turns them into a space plus the mark, and that space would split the word.
		return true
	}
	return false
}

// appendMapped applies the letter foldings to one rune of the Arabic block (or an NFKC output).
func appendMapped(dst []rune, r rune) []rune {
	if isIgnorable(r) {
		return dst
	}
	switch r {
	case 'آ', 'أ', 'إ', 'ٱ':
		r = 'ا'
	case 'ى', 'ی', 'ے', 'ۓ': // ۓ is ے with hamza above, which is dropped
		r = 'ي'
	case 'ة', 'ۀ', 'ہ', 'ھ', 'ۂ': // ۂ is ہ with hamza above
		r = 'ه'
	case 'ک':
		r = 'ك'
	}
	switch {
	case r >= '٠' && r <= '٩': // Arabic-Indic digits
		r = '0' + (r - '٠')
	case r >= '۰' && r <= '۹': // Extended Arabic-Indic (Persian) digits
		r = '0' + (r - '۰')
	}
	return append(dst, r)
}

// IsLetter reports whether a normalized rune belongs inside a word token.
func IsLetter(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
