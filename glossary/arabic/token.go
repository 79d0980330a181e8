package arabic

// Tokenizing and clitic stripping for glossary matching (DESIGN.md "Term matching").
//
// A token is a maximal run of letters (IsLetter) in a Folded text. For each token the matcher
// tries a few readings, its Candidates: the token itself and the token with a proclitic chain
// stripped, [و|ف] then [ب|ك|ل] then [ال], where لل is ل + ال with the alef dropped. Every
// reading is reduced to its "key": the form without the definite article, so that the article
// is optional on both sides (terms are indexed by the same key, see StripAl).

// Token is a run of letters: Runes[Start:End] of a Folded text.
type Token struct{ Start, End int }

// Length guards for stripped forms.
const (
	// MinStripped is the least number of letters a form must keep after a proclitic
	// (و ف ب ك ل) has been stripped, with or without the article.
	MinStripped = 3
	// MinAlStripped is the least number of letters a form must keep when only the
	// definite article has been stripped.
	MinAlStripped = 2
)

// Tokenize appends to dst the letter runs of runes, split on every rune that is not IsLetter.
func Tokenize(runes []rune, dst []Token) []Token {
	start := -1
	for i, r := range runes {
		if isLetterFast(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			dst = append(dst, Token{start, i})
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, Token{start, len(runes)})
	}
	return dst
}

// Joined reports whether the tokens a and b (a before b, both in runes) may belong to one
// multi-word term: only horizontal white space and quotation marks lie between them (the
// normalizer has already dropped tatweel, bidi and zero-width marks), or a single hyphen with
// no space on either side, which joins a compound (الأوروبية-الأطلسية, New-START). Quotes do
// not end a phrase because news prose quotes one word of a name or a term: اتفاقية "مينسك",
// الحرب «الباردة». Any other character — sentence punctuation (. ، ؛ : ! ؟), brackets, a
// spaced dash, a line break (it ends a sentence) — ends the phrase.
func Joined(runes []rune, a, b Token) bool {
	gap := runes[a.End:b.Start]
	if len(gap) == 1 && isHyphen(gap[0]) {
		return true
	}
	for _, r := range gap {
		if !isBlank(r) && !IsQuote(r) {
			return false
		}
	}
	return true
}

// IsQuote reports the quotation marks that may stand between the words of a phrase: straight
// and curly, single and double, guillemets and low-9 marks (NFKC has already turned the
// full-width forms into the ASCII ones).
func IsQuote(r rune) bool {
	switch r {
	case '"', '\'', '«', '»', '‹', '›', '“', '”', '„', '‟', '‘', '’', '‚', '‛':
		return true
	}
	return false
}

// isBlank reports horizontal white space: spaces of every width, tab, NBSP (NFKC folds most of
// them to U+0020 already).
func isBlank(r rune) bool {
	switch r {
	case ' ', '\t', 0x00A0, 0x1680, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func isHyphen(r rune) bool { return r == '-' || r == 0x2010 || r == 0x2011 }

// isLetterFast is IsLetter with a fast path for the Arabic letters and ASCII.
func isLetterFast(r rune) bool {
	if r >= 0x0621 && r <= 0x064A {
		return true
	}
	if r < 0x80 {
		return asciiLetter[r]
	}
	return IsLetter(r)
}

// asciiLetter marks the ASCII letters and digits.
var asciiLetter = func() (t [128]bool) {
	for r := range t {
		t[r] = r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return t
}()

// hasAl reports whether r starts with the definite article ال.
func hasAl(r []rune) bool { return len(r) >= 2 && r[0] == 'ا' && r[1] == 'ل' }

// StripAl returns the key of a normalized token: the token without its definite article when
// it has one and at least MinAlStripped letters remain, else the token itself. hasArticle says
// whether the article was removed. Glossary terms are indexed by this key.
func StripAl(tok []rune) (key []rune, hasArticle bool) {
	if hasAl(tok) && len(tok)-2 >= MinAlStripped {
		return tok[2:], true
	}
	return tok, false
}

// Candidate is one reading of a token. All offsets count runes from the token's start; the
// stripped letters (proclitics, article) are all two-byte Arabic letters.
type Candidate struct {
	// Skip is the number of proclitic letters (و ف ب ك ل) stripped from the front. The
	// highlight of a match starts here: it excludes the proclitics but keeps the article.
	Skip int
	// Key is where the al-less form starts: Skip, Skip+2 after ال, Skip+1 for the ال of لل.
	Key int
	// Article says whether this reading has the definite article (ال, or the second ل of لل).
	Article bool
	// Lead says the reading is only offered by LeadCandidates and only for the first word of
	// a phrase of two words or more: proclitics stripped from a word that keeps fewer than
	// MinStripped letters and no article (وحل سياسي), where the words after it confirm it.
	Lead bool
}

// MaxCandidates bounds the number of readings Candidates and LeadCandidates return for one
// token.
const MaxCandidates = 8

// Candidates appends to dst the readings of tok (a normalized token): first the token itself
// (key: StripAl), then every proclitic chain [و|ف][ب|ك|ل] that leaves at least MinStripped
// letters in the key. For a chain ending in ل followed by ل, both ل + لـ… (لبنان in للبنان)
// and ل + ال (الناتو in للناتو) are offered.
func Candidates(tok []rune, dst []Candidate) []Candidate { return candidates(tok, false, dst) }

// LeadCandidates is Candidates for the first word of a match, where the proclitics and the
// article are stripped whatever the length of what is left: after a proclitic chain the
// article may leave as few letters as StripAl leaves a term's word (MinAlStripped), so
// والحل, فالحل and للحل read as الحل; and a chain may leave a shorter word without the
// article (وحل → حل, وأ → ا), a reading marked Lead that only a phrase of two words or
// more may use.
func LeadCandidates(tok []rune, dst []Candidate) []Candidate { return candidates(tok, true, dst) }

func candidates(tok []rune, lead bool, dst []Candidate) []Candidate {
	if _, art := StripAl(tok); art {
		dst = append(dst, Candidate{Skip: 0, Key: 2, Article: true})
	} else {
		dst = append(dst, Candidate{Skip: 0, Key: 0})
	}
	if len(tok) < 2 || !lead && len(tok) < 1+MinStripped {
		return dst
	}
	var s1 [2]int
	n1 := 0
	s1[n1] = 0
	n1++
	if tok[0] == 'و' || tok[0] == 'ف' {
		s1[n1] = 1
		n1++
	}
	for _, a := range s1[:n1] {
		if a > 0 {
			dst = appendStripped(tok, a, lead, dst)
		}
		if a < len(tok)-1 && (tok[a] == 'ب' || tok[a] == 'ك' || tok[a] == 'ل') {
			dst = appendStripped(tok, a+1, lead, dst)
		}
	}
	return dst
}

// appendStripped adds the readings of tok with its first skip letters stripped as proclitics.
func appendStripped(tok []rune, skip int, lead bool, dst []Candidate) []Candidate {
	rest := tok[skip:]
	minAl := MinStripped
	if lead {
		minAl = MinAlStripped
	}
	switch {
	case hasAl(rest) && len(rest)-2 >= minAl:
		dst = append(dst, Candidate{Skip: skip, Key: skip + 2, Article: true})
	case len(rest) >= MinStripped:
		dst = append(dst, Candidate{Skip: skip, Key: skip})
	case lead && len(rest) > 0:
		dst = append(dst, Candidate{Skip: skip, Key: skip, Lead: true})
	}
	// لل: the preposition ل followed by the article's ل, its alef dropped.
	if tok[skip-1] == 'ل' && len(rest) >= 1 && rest[0] == 'ل' && len(rest)-1 >= minAl {
		dst = append(dst, Candidate{Skip: skip, Key: skip + 1, Article: true})
	}
	return dst
}
