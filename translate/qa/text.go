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
	src, tgt       ftext
	stoks, ttoks   []token    // word and number tokens of src.Runes and tgt.Runes
	reads          []reading  // readings of the source's word tokens, filled as needed
	readAt         [][2]int32 // readAt[k] is where token k's readings are in reads; [0 0] before
	lexical        []int8     // lexical[k]: token k has a reading in arLexicon (1), not (-1), unknown (0)
	rawTgt         []rune     // the target as given, for the checks of exact characters
	terms          []Term
	cfg            *Config
	gloss          []glossHit // the glossary matched in the target, once (pair.glossary)
	check          *check     // the check running
	out            []Finding
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
	p.src = fold(source)
	p.tgt = fold(target)
	p.stoks = tokenize(&p.src, false, make([]token, 0, len(p.src.Runes)/4+1))
	p.ttoks = tokenize(&p.tgt, true, make([]token, 0, len(p.tgt.Runes)/4+1))
	if p.tgt.Orig == nil { // ASCII: folding changed nothing
		p.rawTgt = p.tgt.Runes
	} else {
		p.rawTgt = []rune(target)
	}
	return p
}

// ftext is a folded text that also keeps its runes as one string, so that a word or a reading
// is a substring: lexicon lookups then cost no allocation.
type ftext struct {
	arabic.Folded
	str string
	off []int32 // off[i] is the byte offset in str of rune i, off[len(Runes)] is len(str); nil for ASCII
}

// fold folds s. ASCII text (most English) folds to itself, so it skips the normalizer: its
// Orig and off are nil and mean "the same index".
func fold(s string) ftext {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return ftext{Folded: arabic.Folded{Runes: []rune(s), N: len(s)}, str: s}
	}
	f := ftext{Folded: arabic.Fold(s)}
	f.str = string(f.Runes)
	f.off = make([]int32, len(f.Runes)+1)
	o := 0
	for i, r := range f.Runes {
		f.off[i] = int32(o)
		o += utf8.RuneLen(r)
	}
	f.off[len(f.Runes)] = int32(o)
	return f
}

// sub returns the folded runes [a, b) as a string.
func (f *ftext) sub(a, b int) string {
	if f.off == nil {
		return f.str[a:b]
	}
	return f.str[f.off[a]:f.off[b]]
}

// span maps the folded runes [a, b) of f back to original code points.
func span(f *ftext, a, b int) [2]int {
	switch {
	case a >= b || a >= len(f.Runes):
		return [2]int{}
	case f.Orig == nil:
		return [2]int{a, b}
	}
	return [2]int{f.Orig[a], f.Orig[b-1] + 1}
}

// origText returns the original characters behind the folded runes [a, b) of f, taken from s.
func origText(s string, f *ftext, a, b int) string {
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

// tokenize appends the word and number tokens of f to dst. Digits are never part of a word,
// so "G7" is the word G and the number 7, and «الـ28» the article and 28. With english set,
// apostrophes between letters stay inside a word and keys are filled in.
func tokenize(f *ftext, english bool, dst []token) []token {
	rs := f.Runes
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
		case isLetter(r):
			j := i + 1
			for j < len(rs) {
				if isLetter(rs[j]) || rs[j] >= utf8.RuneSelf && unicode.IsMark(rs[j]) {
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
				t.key = englishKey(rs[i:j], f.sub(i, j))
			}
			dst = append(dst, t)
			i = j
		default:
			i++
		}
	}
	return dst
}

// englishKey lower-cases a word (w, also given as the string s), drops accents (Erdoğan reads
// as erdogan) and apostrophes, and the possessive 's: NATO's and NATO are one word to the
// checks.
func englishKey(w []rune, s string) string {
	if n := len(w); n > 2 && isApostrophe(w[n-2]) && (w[n-1] == 's' || w[n-1] == 'S') {
		s = s[:len(s)-1-utf8.RuneLen(w[n-2])]
		w = w[:n-2]
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] == '\'' {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s) // no allocation when s is already lower case
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

// isLetter is unicode.IsLetter with a fast path for ASCII and the Arabic letters.
func isLetter(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	case r >= 0x0621 && r <= 0x064A:
		return true
	}
	return unicode.IsLetter(r)
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

// reading is one way to read an Arabic word token as a lexicon key: the word itself or the
// word with proclitics stripped (arabic.Candidates), as written after the proclitics (surface)
// and without the article (key). Lexicons list words without the article and say whether they
// need it; the surface catches words that only look like they have it (آلاف folds to الاف).
type reading struct {
	surface, key string
	article      bool
}

// readings returns the readings of the source's token k (a word), computed once per pair
// and kept in one slice for all tokens.
func (p *pair) readings(k int) []reading {
	if p.readAt == nil {
		p.readAt = make([][2]int32, len(p.stoks))
		p.reads = make([]reading, 0, 2*len(p.stoks))
	}
	if at := p.readAt[k]; at[1] > 0 {
		return p.reads[at[0]:at[1]]
	}
	t := p.stoks[k]
	var cbuf [arabic.MaxCandidates]arabic.Candidate
	from := len(p.reads)
	for _, c := range arabic.Candidates(p.src.Runes[t.a:t.b], cbuf[:0]) {
		p.reads = append(p.reads, reading{p.src.sub(t.a+c.Skip, t.b), p.src.sub(t.a+c.Key, t.b), c.Article})
	}
	p.readAt[k] = [2]int32{int32(from), int32(len(p.reads))}
	return p.reads[from:]
}

// inLexicon reports whether a reading of the source's token k is a word of arLexicon.
func (p *pair) inLexicon(k int) bool {
	if p.lexical == nil {
		p.lexical = make([]int8, len(p.stoks))
	}
	if l := p.lexical[k]; l != 0 {
		return l > 0
	}
	p.lexical[k] = -1
	for _, r := range p.readings(k) {
		if arLexicon[r.key] || arLexicon[r.surface] {
			p.lexical[k] = 1
			break
		}
	}
	return p.lexical[k] > 0
}

// isArabicLetter reports a letter (or Arabic-Indic digit) of the Arabic script.
func isArabicLetter(r rune) bool {
	return r >= 0x0600 && unicode.Is(unicode.Arabic, r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}
