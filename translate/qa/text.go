package qa

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
	"golang.org/x/text/unicode/norm"
)

// pair is one source and target prepared once for all the checks. Both texts are folded by
// arabic.Fold (the project's one normalizer: Arabic-Indic digits become ASCII, presentation
// forms become letters, harakat and tatweel go), and every check works on the folded runes
// and maps its spans back through Folded.Orig, so a highlight lands on the original
// characters. The checks that look at the exact characters (spacing, quotes) read raw runes.
type pair struct {
	source, target string
	src, tgt       arabic.Folded
	stoks, ttoks   []token // word and number tokens of src.Runes and tgt.Runes
	rawSrc, rawTgt []rune
	terms          []Term
	cfg            *Config
	gloss          []glossHit // the glossary matched in the target, once (pair.glossary)
}

// token is a run of letters (a word) or of ASCII digits (after folding) in folded runes.
// English words keep inner apostrophes (O'Brien, Sha'ban) and a possessive 's; key is the
// lower-case, accent-free form without apostrophes and without the possessive.
type token struct {
	a, b int
	num  bool
	key  string // English words only
}

func newPair(source, target string, terms []Term, cfg *Config) *pair {
	p := &pair{source: source, target: target, terms: terms, cfg: cfg}
	p.src = arabic.Fold(source)
	p.tgt = arabic.Fold(target)
	p.stoks = tokenize(p.src.Runes, false, make([]token, 0, len(p.src.Runes)/4+1))
	p.ttoks = tokenize(p.tgt.Runes, true, make([]token, 0, len(p.tgt.Runes)/4+1))
	p.rawSrc = []rune(source)
	p.rawTgt = []rune(target)
	return p
}

// span maps the folded runes [a, b) of f back to original code points.
func span(f *arabic.Folded, a, b int) [2]int {
	if a >= b || a >= len(f.Orig) {
		return [2]int{}
	}
	return [2]int{f.Orig[a], f.Orig[b-1] + 1}
}

// origText returns the original characters behind the folded runes [a, b) of f, taken from s.
func origText(s string, f *arabic.Folded, a, b int) string {
	sp := span(f, a, b)
	return cut(s, sp)
}

// cut returns the code points sp of s.
func cut(s string, sp [2]int) string {
	if sp[0] >= sp[1] {
		return ""
	}
	i, start := 0, -1
	for bi := range s {
		if i == sp[0] {
			start = bi
		}
		if i == sp[1] {
			return s[start:bi]
		}
		i++
	}
	if start < 0 {
		return ""
	}
	return s[start:]
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isApostrophe reports the characters English writes inside words and transliterations:
// O'Brien, NATO’s, Sha'ban, Rabiʿ.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', 'ʻ', 'ʿ', 'ʾ', '‘':
		return true
	}
	return false
}

// tokenize appends the word and number tokens of runes to dst. Digits are never part of a
// word, so "G7" is the word G and the number 7, and «الـ28» the article and 28. With english
// set, apostrophes between letters stay inside a word and keys are filled in.
func tokenize(rs []rune, english bool, dst []token) []token {
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isDigit(r):
			j := i + 1
			for j < len(rs) && isDigit(rs[j]) {
				j++
			}
			dst = append(dst, token{a: i, b: j, num: true})
			i = j
		case unicode.IsLetter(r):
			j := i + 1
			for j < len(rs) {
				if unicode.IsLetter(rs[j]) || unicode.IsMark(rs[j]) {
					j++
					continue
				}
				if english && isApostrophe(rs[j]) && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) {
					j += 2
					continue
				}
				break
			}
			t := token{a: i, b: j}
			if english {
				t.key = englishKey(rs[i:j])
			}
			dst = append(dst, t)
			i = j
		default:
			i++
		}
	}
	return dst
}

// englishKey lower-cases a word, drops accents (Erdoğan reads as erdogan) and apostrophes, and
// the possessive 's: NATO's and NATO are one word to the checks.
func englishKey(w []rune) string {
	if n := len(w); n > 2 && isApostrophe(w[n-2]) && (w[n-1] == 's' || w[n-1] == 'S') {
		w = w[:n-2]
	}
	ascii := true
	for _, r := range w {
		if r >= utf8.RuneSelf || isApostrophe(r) {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(string(w))
	}
	var b strings.Builder
	for _, r := range w {
		if isApostrophe(r) {
			continue
		}
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(unicode.ToLower(d))
			}
		}
	}
	return b.String()
}

// blank reports whether only horizontal white space lies between rune a and rune b of rs.
func blank(rs []rune, a, b int) bool {
	for _, r := range rs[a:b] {
		if r != ' ' && r != '\t' && r != 0xA0 && r != 0x202F {
			return false
		}
	}
	return true
}

// after returns the index of the first token starting at or after rune i.
func after(toks []token, i int) int {
	return sort.Search(len(toks), func(k int) bool { return toks[k].a >= i })
}

// arabicReadings returns the readings of an Arabic word token as lexicon keys: the word
// itself and the word with proclitics stripped (arabic.Candidates), each as written after the
// proclitics (surface) and without the article (key). Lexicons list words without the article
// and say whether they need it; the surface catches words that only look like they have it
// (آلاف folds to الاف).
type reading struct {
	surface, key string
	article      bool
}

func arabicReadings(word []rune, dst []reading) []reading {
	var cbuf [arabic.MaxCandidates]arabic.Candidate
	for _, c := range arabic.Candidates(word, cbuf[:0]) {
		dst = append(dst, reading{string(word[c.Skip:]), string(word[c.Key:]), c.Article})
	}
	return dst
}

// isArabicLetter reports a letter (or Arabic-Indic digit) of the Arabic script.
func isArabicLetter(r rune) bool {
	return unicode.Is(unicode.Arabic, r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}
