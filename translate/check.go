package translate

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
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

// MatchTerms returns the glossary terms found in source, one per hit, in text order: the
// pipeline puts them in a batch's prompt and its cache key. (The glossary check of an answer or
// a reviewer's text is translate/qa's, over qa.Terms.)
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
