package arabic

import "unicode/utf8"

// Name variants (DESIGN.md "Name variants"): foreign names are transliterated into Arabic in
// several ways. The g of Sergei is written ج, غ, ق or گ; v is ف or ڤ; p is ب or پ; and long
// vowels come and go (بلينكين / بلينكن). NameKey folds those differences away; the matcher then
// confirms a key collision with a small edit distance (NameDistanceOK).

// nameClass folds the letters that transliterate one Latin sound to one letter.
func nameClass(r rune) rune {
	switch r {
	case 'ج', 'غ', 'ق', 'گ': // g
		return 'ج'
	case 'ڤ': // v
		return 'ف'
	case 'پ': // p
		return 'ب'
	}
	return r
}

func isLongVowel(r rune) bool { return r == 'ا' || r == 'و' || r == 'ي' }

// AppendNameKey appends the name key of a normalized, al-less token to dst: every letter
// through nameClass, with the long vowels ا و ي dropped after the first letter, except the
// last letter, which is always kept. Keeping the last letter departs from the bare rule on
// purpose: without it روسيا (Russia) and روسي (Russian), أوروبا and أوروبي, would share a key.
func AppendNameKey(dst []byte, tok []rune) []byte {
	for i, r := range tok {
		if i > 0 && i < len(tok)-1 && isLongVowel(r) {
			continue
		}
		dst = utf8.AppendRune(dst, nameClass(r))
	}
	return dst
}

// NameKey returns the name key of a token (see AppendNameKey); s is normalized first.
func NameKey(s string) string {
	key, _ := StripAl(Fold(s).Runes)
	return string(AppendNameKey(nil, key))
}

// MinNameKey is the least number of letters a name key needs before variants are looked up.
const MinNameKey = 3

// MinNameLen is the least number of letters (without the article) that both a name token and
// a text token need before they may match as variants. Shorter words are too often ordinary
// words with the same consonants: كيف "how" for كييف, توتر "tension" for تويتر.
const MinNameLen = 5

// MaxNameDistance is the edit distance (EditDistance) allowed between a name token and a text
// token of lengths a and b that share a name key: 1 when the shorter has at most 6 letters,
// 2 when longer. The key equality already forces the same consonants in the same order, so
// the distance only counts vowels and g-letters: one edit covers the usual pairs (سيرجي /
// سيرغي, بلينكين / بلينكن, جروشكو / غروشكو, دارتشييف / دارتشيف, and دميتري / ديمتري as one
// transposition); long names may differ in two vowels.
func MaxNameDistance(a, b int) int {
	if min(a, b) <= 6 {
		return 1
	}
	return 2
}

// EditDistance returns the optimal-string-alignment distance between a and b (insertions,
// deletions, substitutions and transpositions of neighbours each cost 1), or max+1 when it
// exceeds max. It does not allocate for inputs shorter than 64 runes.
func EditDistance(a, b []rune, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	const w = 64
	var buf [3 * w]int
	var pp, prev, cur []int
	if n := len(b) + 1; n <= w {
		pp, prev, cur = buf[:n], buf[w:w+n], buf[2*w:2*w+n]
	} else {
		pp, prev, cur = make([]int, n), make([]int, n), make([]int, n)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			if v := prev[j] + 1; v < c {
				c = v
			}
			if v := cur[j-1] + 1; v < c {
				c = v
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if v := pp[j-2] + 1; v < c {
					c = v
				}
			}
			cur[j] = c
			if c < rowMin {
				rowMin = c
			}
		}
		if rowMin > max {
			return max + 1
		}
		pp, prev, cur = prev, cur, pp
	}
	if prev[len(b)] > max {
		return max + 1
	}
	return prev[len(b)]
}
