// Package qa checks an English translation against its Arabic source before a reviewer
// approves it: numbers, dates, untranslated Arabic, punctuation, quotes, brackets, spacing,
// doubled words, length and glossary terms (issue 11).
//
// The checks know Arabic news text. A number is compared by value, not as a digit string, so
// «١٧» answers "17", «40 ألف» "40,000", «٢٫٧ مليار» "2.7 billion", «5 صواريخ» "five missiles"
// and «مجموعة السبع» "G7"; a month or weekday is compared by what it names, in every Arabic
// naming tradition, so «آذار» answers "March" and not "April".
//
// The package is pure: it reads the two strings and the glossary terms found in the source,
// and returns findings. It keeps no state between calls, and a Checker is safe for concurrent
// use, so the editor, the pipeline, the API and the CLI share one implementation.
package qa

import (
	"github.com/tarjama/tarjama/glossary"
)

// The check names. They are part of the contract (API, CLI, settings, stored ignores).
const (
	Number       = "number"
	Date         = "date"
	Untranslated = "untranslated"
	Punctuation  = "punctuation"
	Quotes       = "quotes"
	Brackets     = "brackets"
	Spacing      = "spacing"
	Repeat       = "repeat"
	Length       = "length"
	Glossary     = "glossary"
)

// checkNames lists every check in the order Check reports them.
var checkNames = [...]string{Number, Date, Untranslated, Punctuation, Quotes, Brackets, Spacing, Repeat, Length, Glossary}

// Names returns every check name, in the order Check reports findings: a settings page lists
// them in this order.
func Names() []string { return append([]string(nil), checkNames[:]...) }

// Severity says whether a finding blocks approval (Error) or only informs (Warning).
type Severity string

// The two severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem a check found in a pair. Source and Target are half-open spans in
// Unicode code points of the strings given to Check, the same unit as `glossary match`.
//
// An empty span ([0, 0]) means the finding has no place in that text: a number the English
// lacks has a span in the source only, one the English added a span in the target only, and
// the length finding is about both texts as a whole. A finding always has a place in at least
// one text except for length. Consumers test s == e; they never see a negative offset.
type Finding struct {
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Source   [2]int   `json:"source"`
	Target   [2]int   `json:"target"`
}

// Key identifies a finding across edits for a reviewer's "Ignore": the check and the message,
// which names the values involved. Spans are left out so that an edit elsewhere in the segment
// keeps an ignored finding ignored, while an edit that changes the values (another wrong
// number) changes the message and so brings the finding back.
func (f Finding) Key() string { return f.Check + "\x00" + f.Message }

// HasError reports whether any finding is an error: approving then needs an explicit ignore,
// and `tarjama check` exits 1.
func HasError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Term is a glossary term found in the source, with what the checks need to know about it.
// FromMatch builds one from a glossary match; Terms runs a matcher over a source.
type Term struct {
	Arabic         string   // the term's Arabic as in the glossary
	Variants       []string // other Arabic spellings of the term
	Text           string   // the source words that matched, as written there
	English        string   // the agreed English
	Alternatives   []string // other English renderings a reviewer accepts
	Forbidden      []string // English renderings that must not be used
	DoNotTranslate bool     // the Arabic may stay in the English (a name kept on purpose)
	Source         [2]int   // where the term matched in the source, in code points
}

// FromMatch builds the Term for one glossary match from the full glossary term (from
// Matcher.Term) and the match.
func FromMatch(t glossary.Term, m glossary.Match) Term {
	return Term{
		Arabic:         t.Arabic,
		Variants:       t.Variants,
		Text:           m.Text,
		English:        t.English,
		Alternatives:   t.Alternatives,
		Forbidden:      t.Forbidden,
		DoNotTranslate: t.DoNotTranslate,
		Source:         [2]int{m.Start, m.End},
	}
}

// Terms matches source against the glossary and returns the terms found, in source order.
// A nil matcher finds nothing.
func Terms(m *glossary.Matcher, source string) []Term {
	ms := m.Match(source)
	if len(ms) == 0 {
		return nil
	}
	out := make([]Term, len(ms))
	for i, x := range ms {
		t, ok := m.Term(x.TermID)
		if !ok { // the match itself carries the Arabic and the English
			t = glossary.Term{Arabic: x.Arabic, English: x.English}
		}
		out[i] = FromMatch(t, x)
	}
	return out
}
