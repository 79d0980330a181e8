package translate

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"golang.org/x/text/unicode/norm"
)

// Align pairs a backend's translations with the batch's items. The answer must name every item
// exactly once and nothing else; otherwise the whole answer is suspect (a skipped id usually
// means the translations slid against the segments) and an error wrapping ErrBadOutput says
// exactly what was wrong: an empty list, an id not asked for, an id twice, or which segments
// had no translation.
func Align(items []Item, trs []Translation) (map[int64]string, error) {
	if len(trs) == 0 && len(items) > 0 {
		ids := make([]int64, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		return nil, fmt.Errorf("%w: the answer's translations list was empty: no translation for %s", ErrBadOutput, segmentList(ids))
	}
	want := make(map[int64]bool, len(items))
	for _, it := range items {
		want[it.ID] = true
	}
	got := make(map[int64]string, len(trs))
	for _, t := range trs {
		if !want[t.ID] {
			return nil, fmt.Errorf("%w: the answer had a translation for id %d, which was not asked for", ErrBadOutput, t.ID)
		}
		if _, dup := got[t.ID]; dup {
			return nil, fmt.Errorf("%w: the answer had two translations for segment %d", ErrBadOutput, t.ID)
		}
		got[t.ID] = t.Text
	}
	var missing []int64
	for _, it := range items {
		if _, ok := got[it.ID]; !ok {
			missing = append(missing, it.ID)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: the answer had no translation for %s", ErrBadOutput, segmentList(missing))
	}
	return got, nil
}

// segmentList names segments for a message: "segment 4" or "segments 4, 5".
func segmentList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	if len(ids) == 1 {
		return "segment " + s[0]
	}
	return "segments " + strings.Join(s, ", ")
}

// maxArabicShare is the share of Arabic among the letters of an answer above which it is taken
// for the source echoed back rather than a translation. Arabic names kept by a do-not-translate
// term stay well below it.
const maxArabicShare = 0.3

// CheckText reports why target is not a usable English translation of source, or "" when it is:
// it must not be empty, must not be Arabic (the source echoed back) and must hold no control
// character (arabic.IsControl), which the text rule refuses in every segment.
func CheckText(source, target string) string {
	t := strings.TrimSpace(target)
	if t == "" {
		return "empty translation"
	}
	for _, r := range t {
		if arabic.IsControl(r) {
			return fmt.Sprintf("the answer has the control character U+%04X", r)
		}
	}
	if arabic.HasScriptLetter(source) && t == strings.TrimSpace(source) {
		return "the answer repeats the Arabic source"
	}
	var letters, inArabic int
	for _, r := range t {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if arabic.IsScriptLetter(r) {
			inArabic++
		}
	}
	if letters > 0 && float64(inArabic)/float64(letters) > maxArabicShare {
		return "the answer is Arabic, not English"
	}
	return ""
}

// MatcherSource hands out the current glossary matcher; *glossary.Store implements it.
type MatcherSource interface {
	Matcher(ctx context.Context) (*glossary.Matcher, error)
}

// TermHit is one glossary term found in a segment's source: the term and the words of the
// source that matched it, as written there.
type TermHit struct {
	Term glossary.Term
	Text string
}

// MatchTerms returns the glossary terms found in source, one per hit, in text order. The
// pipeline puts them in a batch's prompt and checks the answer against them; the review
// store checks a reviewer's text against the same terms.
func MatchTerms(m *glossary.Matcher, source string) []TermHit {
	var out []TermHit
	for _, mt := range m.Match(source) {
		if t, ok := m.Term(mt.TermID); ok {
			out = append(out, TermHit{Term: t, Text: mt.Text})
		}
	}
	return out
}

// DistinctTerms are the terms of hits, each once, in the order first found.
func DistinctTerms(hits []TermHit) []glossary.Term {
	var out []glossary.Term
	seen := map[int64]bool{}
	for _, h := range hits {
		if !seen[h.Term.ID] {
			seen[h.Term.ID] = true
			out = append(out, h.Term)
		}
	}
	return out
}

// HintsFor are the terms of hits as the glossary check sees them, each once.
func HintsFor(hits []TermHit) []TermHint {
	var out []TermHint
	for _, t := range DistinctTerms(hits) {
		out = append(out, HintFor(t))
	}
	return out
}

// GlossaryFlags are the segment flags for target's glossary violations (CheckGlossary).
func GlossaryFlags(target string, terms []TermHint) []string {
	var flags []string
	for _, v := range CheckGlossary(target, terms) {
		flags = append(flags, v.Flag())
	}
	return flags
}

// GlossaryFlagPrefix starts every segment flag that reports a glossary violation (see
// Violation.Flag); the quality figures count violations by it.
const GlossaryFlagPrefix = "glossary:"

// Violation is one way a translation departs from the glossary.
type Violation struct {
	Term      TermHint
	Forbidden string // the forbidden rendering found; "" when the expected English is missing
}

// Flag is the violation as a segment flag a reviewer reads.
func (v Violation) Flag() string {
	if v.Forbidden != "" {
		return fmt.Sprintf("glossary: forbidden %q used for %s (use %q)", v.Forbidden, v.Term.Arabic, v.Term.English)
	}
	return fmt.Sprintf("glossary: expected %q for %s", v.Term.English, v.Term.Arabic)
}

// CheckGlossary checks target against the terms found in its source: each term's English or
// one of its accepted alternatives must be there, and none of its forbidden renderings.
// Matching ignores case, accents, plural endings and possessives, so "guarantee",
// "Guarantees" and "guarantees'" all count for "guarantees", and "NATO's" for "NATO".
func CheckGlossary(target string, terms []TermHint) []Violation {
	if len(terms) == 0 {
		return nil
	}
	words := englishWords(target)
	var out []Violation
	for _, t := range terms {
		var accepted [][2]int
		for _, e := range append([]string{t.English}, t.Alternatives...) {
			accepted = append(accepted, findWords(words, englishWords(e))...)
		}
		if len(accepted) == 0 {
			out = append(out, Violation{Term: t})
		}
		for _, f := range t.Forbidden {
			for _, span := range findWords(words, englishWords(f)) {
				if !inside(span, accepted) { // "guarantees" forbidden alone is fine inside "security guarantees"
					out = append(out, Violation{Term: t, Forbidden: f})
					break
				}
			}
		}
	}
	return out
}

// englishWords splits English text into lower-case, accent-free, singular word stems.
func englishWords(s string) []string {
	s = norm.NFD.String(strings.ToLower(s))
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, stem(w.String()))
			w.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.Is(unicode.Mn, r):
			// accents dropped: "Erdoğan" reads as "erdogan"
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w.WriteRune(r)
		case (r == '\'' || r == '’') && w.Len() > 0:
			// possessive 's or s' ends the word; an apostrophe inside a name (O'Brien) is kept out
			if i+1 < len(rs) && rs[i+1] == 's' && (i+2 == len(rs) || !unicode.IsLetter(rs[i+2])) {
				i++
			}
			flush()
		default:
			flush()
		}
	}
	flush()
	return words
}

// stem reduces an English plural to its singular closely enough to compare words.
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// findWords returns the [start, end) word spans where needle occurs in hay.
func findWords(hay, needle []string) [][2]int {
	if len(needle) == 0 {
		return nil
	}
	var out [][2]int
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j, w := range needle {
			if hay[i+j] != w {
				continue outer
			}
		}
		out = append(out, [2]int{i, i + len(needle)})
	}
	return out
}

func inside(span [2]int, spans [][2]int) bool {
	for _, s := range spans {
		if span[0] >= s[0] && span[1] <= s[1] {
			return true
		}
	}
	return false
}
