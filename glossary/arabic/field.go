package arabic

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bidi says what CleanField does with the bidi embedding, override and isolate characters
// (U+202A–U+202E, U+2066–U+2069), which reorder the text around them without showing: a
// name or a title can then read one way and be another.
type Bidi int

// What CleanField does with bidi controls.
const (
	// RefuseBidi refuses them: names, titles and glossary terms, which must be what they
	// look like.
	RefuseBidi Bidi = iota
	// StripBidi removes them: running text (an article, a segment's English), where they
	// come in with text pasted from elsewhere and carry nothing a reader needs.
	StripBidi
)

// FieldError says which character of which field the text rule refuses, and where.
type FieldError struct {
	Field  string // the field as the caller names it: "title", "target", "arabic", a file
	Line   int    // 1-based line of the character; 0 in a field of one line
	Column int    // 1-based position of the character in its line, in characters
	Char   rune
	Reason string // what the character is and why it may not stand here
}

// Error reads "title: character 5: U+001B (a control character) is not allowed …", or with
// the line for text of several lines "text: line 3, character 12: …".
func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d, character %d: %s", e.Field, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("%s: character %d: %s", e.Field, e.Column, e.Reason)
}

// Kind is "invalid": the input is at fault.
func (e *FieldError) Kind() string { return "invalid" }

// IsControl reports whether r is a character no text field may hold: NUL and the other C0
// controls but tab, line feed and carriage return; DEL; and the C1 controls (U+0080–U+009F).
// A terminal runs them (ESC starts an escape sequence), a spreadsheet or an XML reader
// refuses them, and no Arabic or English text needs them.
func IsControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7F:
		return true
	}
	return r >= 0x80 && r <= 0x9F
}

// bidiNames are the bidi embedding, override and isolate characters, by name. The marks
// Arabic text uses — RLM U+200F, LRM U+200E and ALM U+061C — are not among them: they
// change no order, only which way a neutral character leans.
var bidiNames = map[rune]string{
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
}

// IsBidiControl reports whether r is a bidi embedding, override or isolate character
// (U+202A–U+202E, U+2066–U+2069).
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// CleanField is the one rule for text that comes into the workbench, whatever brings it (the
// API, a form, a file import, the command line): field names the field for the error. A
// control character (IsControl) is refused; a bidi control (IsBidiControl) is refused with
// RefuseBidi and removed with StripBidi, and removed says how many went. Everything else
// stays, RLM, LRM and ALM included. s must be valid UTF-8 (the readers check it first).
func CleanField(field, s string, bidi Bidi) (clean string, removed int, err error) {
	if !needsCleaning(s) {
		return s, 0, nil // the usual case, without an allocation
	}
	var b strings.Builder
	multiline := strings.ContainsAny(s, "\n\r")
	line, col := 1, 0
	for _, r := range s {
		col++
		switch {
		case IsControl(r):
			return "", 0, fieldError(field, multiline, line, col, r,
				fmt.Sprintf("U+%04X (%s) is not allowed; of the control characters, only tab and line breaks are", r, controlName(r)))
		case IsBidiControl(r) && bidi == RefuseBidi:
			return "", 0, fieldError(field, multiline, line, col, r,
				fmt.Sprintf("U+%04X (%s) is not allowed here: it reorders the text around it without showing (the marks RLM, LRM and ALM are fine)", r, bidiNames[r]))
		case IsBidiControl(r):
			removed++
			continue
		case r == '\n':
			line, col = line+1, 0
		}
		b.WriteRune(r)
	}
	return b.String(), removed, nil
}

// needsCleaning reports whether s holds any character CleanField refuses or removes.
func needsCleaning(s string) bool {
	// Byte by byte: a control is a byte below 0x20, 0x7F or C2 80–C2 9F (U+0080–U+009F) in
	// UTF-8, a bidi control E2 80 AA–AE or E2 81 A6–A9; every other byte is let through
	// without decoding the rune it belongs to. An import checks every cell of its file.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == 0x7F:
			if c != '\t' && c != '\n' && c != '\r' {
				return true
			}
		case c == 0xC2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F:
			return true
		case c == 0xE2 && i+2 < len(s):
			if r, _ := utf8.DecodeRuneInString(s[i:]); IsBidiControl(r) {
				return true
			}
		}
	}
	return false
}

func fieldError(field string, multiline bool, line, col int, r rune, reason string) *FieldError {
	if !multiline {
		line = 0
	}
	return &FieldError{Field: field, Line: line, Column: col, Char: r, Reason: reason}
}

// controlName names a control character the way its users know it.
func controlName(r rune) string {
	switch r {
	case 0:
		return "NUL"
	case 0x07:
		return "BEL, the terminal bell"
	case 0x08:
		return "BACKSPACE"
	case 0x0B:
		return "vertical tab"
	case 0x0C:
		return "form feed"
	case 0x1B:
		return "ESC, which starts a terminal escape sequence"
	case 0x7F:
		return "DEL"
	case 0x85:
		return "NEL, a C1 control"
	}
	if r >= 0x80 {
		return "a C1 control character"
	}
	return "a control character"
}

// BidiNotice says in a sentence that n bidi controls were removed from the field, for the
// notice shown beside what was saved; "" when n is 0.
func BidiNotice(field string, n int) string {
	if n == 0 {
		return ""
	}
	what := "1 invisible bidi control character (U+202A–U+202E, U+2066–U+2069)"
	if n > 1 {
		what = fmt.Sprintf("%d invisible bidi control characters (U+202A–U+202E, U+2066–U+2069)", n)
	}
	return fmt.Sprintf("%s: removed %s, which would reorder the text without showing", field, what)
}
