package arabic

// Name variants (DESIGN.md "Name variants"): foreign names are transliterated into Arabic in
// several ways. The g of Sergei is written ج, غ, ق or گ; v is ف or ڤ; p is ب or پ; and long
// vowels come and go (بلينكين / بلينكن). NameKey folds those differences away; the matcher then
// confirms a key collision with NameDistance, which allows only those differences: letters of
// one nameClass and a few long vowels inserted or deleted, within NameBudget.

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
func AppendNameKey(dst []rune, tok []rune) []rune {
	for i, r := range tok {
		if i > 0 && i < len(tok)-1 && isLongVowel(r) {
			continue
		}
		dst = append(dst, nameClass(r))
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

// Minimum numbers of consonants (letters other than the long vowels ا و ي) in a name token
// before variants of it are looked for. A single-token name needs more than a token of a
// multi-token name, since there every other token must match as well: أوروبا (2), روسيا (2),
// تويتر (3) have too few consonants to tell them from ordinary words (أروبا Aruba, راسيا
// "anchored", تواتر "were reported").
const (
	MinNameConsonants      = 4
	MinNameConsonantsMulti = 3
)

// Consonants returns the number of letters of a normalized token that are not long vowels.
func Consonants(tok []rune) int {
	n := 0
	for _, r := range tok {
		if !isLongVowel(r) {
			n++
		}
	}
	return n
}

// NameBudget is the most long-vowel insertions and deletions (NameDistance) a variant may need
// between a name token and a text token, the shorter of which has n letters: 1 for a short
// token of a single-token name, 2 for a long one (7 letters or more) or for any token of a
// multi-token name, where two cover a vowel moved across a consonant (ديمتري / دميتري).
func NameBudget(n int, multi bool) int {
	if multi || n >= 7 {
		return 2
	}
	return 1
}

// maxNameRunes bounds the tokens NameDistance compares; longer ones never match.
const maxNameRunes = 40

// Alignment moves in NameDistance: the last step was a match, a deletion or an insertion.
const (
	opMatch = iota
	opDel
	opIns
)

// NameDistance returns how many long vowels (ا و ي) must be inserted or deleted to turn the
// normalized, al-less token a into b, when every other letter agrees up to nameClass (ج غ ق گ;
// ف ڤ; ب پ), or max+1 when that takes more than max or is impossible. A deletion may not sit
// next to an insertion: that would replace one vowel by another (روسيا / راسيا, تويتر /
// تواتر), which changes a word rather than its spelling. Moving a vowel across a consonant
// (ستارت / سترات, ديمتري / دميتري) costs 2. It does not allocate.
func NameDistance(a, b []rune, max int) int {
	if d := len(a) - len(b); d > max || -d > max || len(a) > maxNameRunes || len(b) > maxNameRunes {
		return max + 1
	}
	const inf = 127
	// dp[i][j][op]: the cost of aligning a[:i] with b[:j], the last step being op.
	var dp [maxNameRunes + 1][maxNameRunes + 1][3]int8
	for i := 0; i <= len(a); i++ {
		for j := 0; j <= len(b); j++ {
			cell := &dp[i][j]
			*cell = [3]int8{inf, inf, inf}
			if i == 0 && j == 0 {
				cell[opMatch] = 0
				continue
			}
			if i > 0 && j > 0 && nameClass(a[i-1]) == nameClass(b[j-1]) {
				cell[opMatch] = min3(dp[i-1][j-1])
			}
			if i > 0 && isLongVowel(a[i-1]) {
				p := dp[i-1][j]
				if c := min(p[opMatch], p[opDel]); c < inf {
					cell[opDel] = c + 1
				}
			}
			if j > 0 && isLongVowel(b[j-1]) {
				p := dp[i][j-1]
				if c := min(p[opMatch], p[opIns]); c < inf {
					cell[opIns] = c + 1
				}
			}
		}
	}
	if d := int(min3(dp[len(a)][len(b)])); d <= max {
		return d
	}
	return max + 1
}

func min3(c [3]int8) int8 { return min(c[0], c[1], c[2]) }
