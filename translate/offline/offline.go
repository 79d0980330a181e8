// Package offline is the translation backend used when no machine translation is configured:
// it drafts from what the team already agreed on (glossary terms) and leaves the rest for a
// translator.
package offline

import (
	"context"
	"strings"
	"unicode"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// Backend is the backend used when nothing else is configured. It knows only what the team
// already agreed on: a segment made up entirely of glossary terms (a name, a title, a dateline)
// gets the terms' English, and a segment with no Arabic letters (a number, a date, a Latin
// name) is carried over as it is. Everything else is left for a translator; the pipeline fills
// translation-memory matches before any backend runs. Its output is labelled draft.
type Backend struct{}

// New returns the offline backend.
func New() Backend { return Backend{} }

// Name is "offline".
func (Backend) Name() string { return "offline" }

// Model is empty: there is none.
func (Backend) Model() string { return "" }

// Capabilities says the output is a draft built from the glossary.
func (Backend) Capabilities() translate.Capabilities {
	return translate.Capabilities{Draft: true, Glossary: true, Concurrency: 1}
}

// Translate returns a draft for the items it can fill and an empty translation for the rest.
func (Backend) Translate(ctx context.Context, b translate.Batch) (translate.BatchResult, error) {
	out := translate.BatchResult{Translations: make([]translate.Translation, 0, len(b.Items))}
	for _, it := range b.Items {
		if err := ctx.Err(); err != nil {
			return translate.BatchResult{}, err
		}
		out.Translations = append(out.Translations, translate.Translation{ID: it.ID, Text: draft(it, b.Terms)})
	}
	return out, nil
}

// draft composes the English of a segment that consists only of glossary terms,
// punctuation and space, keeping the punctuation in its English form; it returns "" when any
// other word is left over. A segment without Arabic letters is returned with Arabic digits and
// punctuation made Latin.
func draft(it translate.Item, terms []translate.TermHint) string {
	src := strings.TrimSpace(it.Source)
	if src == "" {
		return ""
	}
	if !arabic.HasScriptLetter(src) {
		return latinPunct(src)
	}
	var b strings.Builder
	rest := src
	for _, h := range it.Hits {
		if h.Term < 0 || h.Term >= len(terms) || h.Text == "" {
			return ""
		}
		i := strings.Index(rest, h.Text)
		if i < 0 || !onlyPunct(rest[:i]) {
			return ""
		}
		b.WriteString(latinPunct(rest[:i]))
		b.WriteString(terms[h.Term].English)
		rest = rest[i+len(h.Text):]
	}
	if b.Len() == 0 || !onlyPunct(rest) {
		return ""
	}
	b.WriteString(latinPunct(rest))
	return strings.TrimSpace(b.String())
}

// onlyPunct reports whether s has no letters or digits.
func onlyPunct(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

var arabicPunct = strings.NewReplacer(
	"،", ",", "؛", ";", "؟", "?", "٪", "%", "«", "\"", "»", "\"",
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
)

// latinPunct turns Arabic punctuation and digits into their Latin forms.
func latinPunct(s string) string { return arabicPunct.Replace(s) }
