// Package glossary holds the shared term glossary: terms and names, Arabic-aware matching,
// the SQLite store and import/export (CSV and TSV in other tools' layouts, XLSX, TBX).
package glossary

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// The kinds of glossary error; callers test them with errors.Is, and every Error of a kind
// matches its sentinel.
var (
	// ErrNotFound means no term has the requested id.
	ErrNotFound = &Error{"not found", "term not found"}
	// ErrInvalid means a term or an import file failed validation.
	ErrInvalid = &Error{"invalid", "invalid glossary input"}
	// ErrConflict means another term already has the same normalized Arabic form.
	ErrConflict = &Error{"conflict", "conflict"}
)

// Error is a glossary error that says its kind ("not found", "invalid", "conflict", "too
// large"), for callers that answer each kind alike (the web server's statuses). Its message
// is shown as written; the errors that carry more (FieldError, RowError, ImportError,
// ConflictError) are types of their own.
type Error struct{ kind, msg string }

// Error is the message as written.
func (e *Error) Error() string { return e.msg }

// Kind is what kind of failure the glossary had.
func (e *Error) Kind() string { return e.kind }

// Is makes every Error match the sentinel of its kind: errors.Is(err, ErrNotFound).
func (e *Error) Is(target error) bool { t, ok := target.(*Error); return ok && t.kind == e.kind }

// Errorf makes a glossary error of e's kind: ErrInvalid.Errorf("%s: no rows", name).
func (e *Error) Errorf(f string, a ...any) error { return &Error{e.kind, fmt.Sprintf(f, a...)} }

// TermType says whether a term is a proper name (matched with spelling variants) or an ordinary term.
type TermType string

// The two kinds of term.
const (
	TypeTerm TermType = "term"
	TypeName TermType = "name"
)

// Term is one glossary entry: an Arabic form and the English the team has agreed on.
type Term struct {
	ID             int64     `json:"id"`
	Arabic         string    `json:"arabic"`
	English        string    `json:"english"`
	Type           TermType  `json:"type"`
	Variants       []string  `json:"variants"`             // other Arabic spellings that mean the same term
	Alternatives   []string  `json:"english_alternatives"` // other English renderings a reviewer accepts
	Forbidden      []string  `json:"forbidden"`            // English renderings that must not be used
	Note           string    `json:"note"`
	DoNotTranslate bool      `json:"do_not_translate"`
	UpdatedBy      string    `json:"updated_by"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// FieldError is a validation error that names the offending field.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Kind is ErrInvalid's.
func (e *FieldError) Kind() string { return ErrInvalid.kind }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return ErrInvalid.Is(target) }

// Limits that keep a single term sensible.
const (
	maxArabicLen  = 200
	maxEnglishLen = 300
	maxNoteLen    = 2000
	maxListItems  = 50
)

// Clean trims surrounding space from every field, drops empty list items and
// defaults an empty type to TypeTerm. Validate expects a cleaned term.
func (t *Term) Clean() {
	t.Arabic = strings.TrimSpace(t.Arabic)
	t.English = strings.TrimSpace(t.English)
	t.Note = strings.TrimSpace(t.Note)
	t.Type = TermType(strings.ToLower(strings.TrimSpace(string(t.Type))))
	if t.Type == "" {
		t.Type = TypeTerm
	}
	t.Variants = cleanList(t.Variants)
	t.Alternatives = cleanList(t.Alternatives)
	t.Forbidden = cleanList(t.Forbidden)
}

func cleanList(in []string) []string {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// checkText applies the one text rule (arabic.CleanField) to every field of the term: a
// control character other than tab and line breaks, or a bidi embedding or override
// character, is refused with the field named; RLM, LRM and ALM stay.
func (t *Term) checkText() error {
	fields := []struct {
		name  string
		items []string
	}{
		{"arabic", []string{t.Arabic}}, {"english", []string{t.English}}, {"note", []string{t.Note}},
		{"variants", t.Variants}, {"english_alternatives", t.Alternatives}, {"forbidden", t.Forbidden},
	}
	for _, f := range fields {
		for _, s := range f.items {
			if _, _, err := arabic.CleanField(f.name, s, arabic.RefuseBidi); err != nil {
				var fe *arabic.FieldError
				if errors.As(err, &fe) {
					return &FieldError{f.name, strings.TrimPrefix(fe.Error(), f.name+": ")}
				}
				return err
			}
		}
	}
	return nil
}

// Validate reports the first problem with the term as a *FieldError.
func (t *Term) Validate() error {
	if err := t.checkText(); err != nil {
		return err
	}
	switch {
	case t.Arabic == "":
		return &FieldError{"arabic", "required"}
	case !arabic.HasScriptLetter(t.Arabic):
		return &FieldError{"arabic", fmt.Sprintf("%q has no Arabic letters", t.Arabic)}
	case len([]rune(t.Arabic)) > maxArabicLen:
		return &FieldError{"arabic", fmt.Sprintf("longer than %d characters", maxArabicLen)}
	case t.English == "":
		return &FieldError{"english", "required"}
	case len([]rune(t.English)) > maxEnglishLen:
		return &FieldError{"english", fmt.Sprintf("longer than %d characters", maxEnglishLen)}
	case t.Type != TypeTerm && t.Type != TypeName:
		return &FieldError{"type", fmt.Sprintf("%q is not one of name, term", t.Type)}
	case len([]rune(t.Note)) > maxNoteLen:
		return &FieldError{"note", fmt.Sprintf("longer than %d characters", maxNoteLen)}
	}
	for _, l := range []struct {
		field string
		items []string
	}{{"variants", t.Variants}, {"english_alternatives", t.Alternatives}, {"forbidden", t.Forbidden}} {
		if len(l.items) > maxListItems {
			return &FieldError{l.field, fmt.Sprintf("more than %d items", maxListItems)}
		}
		for _, s := range l.items {
			if strings.Contains(s, "|") {
				return &FieldError{l.field, fmt.Sprintf("item %q contains the list separator |", s)}
			}
		}
	}
	for _, v := range t.Variants {
		if !arabic.HasScriptLetter(v) {
			return &FieldError{"variants", fmt.Sprintf("%q has no Arabic letters", v)}
		}
	}
	for _, f := range t.Forbidden {
		if strings.EqualFold(f, t.English) {
			return &FieldError{"forbidden", fmt.Sprintf("%q is the term's own English", f)}
		}
	}
	return nil
}
