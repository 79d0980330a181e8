// Package xliff holds the XLIFF file formats Tarjama exchanges with other translation tools:
// it writes an article as XLIFF 2.0 (Write) or 1.2 (Write12), and reads either version back
// (Read), whether Tarjama wrote the file or another tool did. It is pure: bytes in, bytes out.
package xliff

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/translate"
)

// Namespaces of the documents and the module this package reads and writes.
const (
	Namespace   = "urn:oasis:names:tc:xliff:document:2.0"
	Namespace12 = "urn:oasis:names:tc:xliff:document:1.2"
	// NamespaceMetadata is the XLIFF 2.0 Metadata module, where a 2.0 export records which
	// article and segment version each unit came from.
	NamespaceMetadata = "urn:oasis:names:tc:xliff:metadata:2.0"
)

// State is how far a unit's translation has got, on one scale for both versions: 2.0's
// segment states and 1.2's target states (and its approved attribute) map onto it. The
// order matters: a later state is further along.
type State int

// The states, from none to signed off.
const (
	StateNone        State = iota // no state given (and none implied)
	StateInitial                  // 2.0 initial; 1.2 new, needs-translation
	StateNeedsReview              // 1.2 needs-review-*, needs-adaptation, needs-l10n
	StateTranslated               // 2.0 and 1.2 translated
	StateReviewed                 // 2.0 reviewed
	StateFinal                    // 2.0 final; 1.2 final, signed-off or approved="yes"
)

var stateNames = [...]string{"none", "initial", "needs review", "translated", "reviewed", "final"}

func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "state " + strconv.Itoa(int(s))
	}
	return stateNames[s]
}

// Status is the review status a person's text in this state gets in Tarjama: final (or
// signed off) is approved, anything else is edited.
func (s State) Status() translate.Status {
	if s == StateFinal {
		return translate.StatusApproved
	}
	return translate.StatusEdited
}

// Raises reports whether a unit in state s says more about a segment's unchanged text than
// Tarjama's status st does: final on a segment not approved, translated or reviewed on one
// nobody has reviewed.
func (s State) Raises(st translate.Status) bool {
	switch {
	case s == StateFinal:
		return st != translate.StatusApproved
	case s >= StateTranslated:
		return !st.Reviewed()
	}
	return false
}

// Unit is one segment of a bilingual file as Read finds it: a 2.0 <segment>, a 1.2
// <trans-unit>, or one <mrk mtype="seg"> of a 1.2 unit's <seg-source>. Inline codes are
// dropped from Source and Target, the text around them kept.
type Unit struct {
	Line      int    // the line the unit (or its <segment>) starts on
	ID        string // the id of the <unit> or <trans-unit>
	Part      string // the segment within the unit (2.0 segment id, 1.2 mid), "" for a whole unit
	Paragraph int    // 0-based: units in one group, or one segmented unit, share a paragraph
	Source    string
	Target    string
	HasTarget bool  // a <target> with text is there
	State     State // of the target
	// Meta is what Tarjama recorded on a unit it wrote; nil on another tool's unit.
	Meta *Meta
}

// Label names the unit in messages: `unit "12"`, `unit "tu3" segment "2"`.
func (u Unit) Label() string {
	if u.Part == "" {
		return fmt.Sprintf("unit %q", u.ID)
	}
	return fmt.Sprintf("unit %q segment %q", u.ID, u.Part)
}

// Meta is what a Tarjama export records on each unit so the file can come back into its
// article: the article and segment, the segment's version at export, and a fingerprint of
// the English exported (empty when there was none), which tells a target nobody touched
// from one that was changed.
type Meta struct {
	Article int64
	Segment int64
	Version int
	Target  string
}

// Fingerprint is the short hash of an exported target that Meta.Target holds.
func Fingerprint(target string) string {
	target = strings.TrimSpace(target)
	if target == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(target))
	return hex.EncodeToString(sum[:8])
}

// File is a bilingual file as Read finds it.
type File struct {
	Name    string // for messages
	Version string // "1.2" (also for 1.0 and 1.1 files) or "2.0" (also 2.1, 2.2)
	Tool    string // the tool that wrote it, when the file says
	SrcLang string
	TrgLang string
	Units   []Unit // the translatable units in file order; translate="no" ones are left out
	// Skipped counts units left out because they are marked translate="no" or hold no text.
	Skipped int
	// Article is the Tarjama article the file was exported from, 0 for another tool's file.
	Article int64
}

// Error is a problem with a bilingual file: where it is and what is wrong. Its kind is
// translate.ErrInvalid's.
type Error struct {
	File    string
	Line    int    // 0 when the problem is the file as a whole
	Element string // e.g. `<trans-unit id="3">`, "" when not about one element
	Reason  string
	// Err is the error Reason words, when there is one to reach with errors.As: the
	// *arabic.TextError of a file in an encoding that cannot be decoded.
	Err error
}

// Error reads like a compiler message: `a.xlf:12: <unit id="3">: no <source>`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Element != "" {
		b.WriteString(e.Element)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap is what Reason words, or nil.
func (e *Error) Unwrap() error { return e.Err }

// Kind is translate.ErrInvalid's: the file cannot be read as it is.
func (e *Error) Kind() string { return translate.ErrInvalid.Kind() }

// Is makes every Error match translate.ErrInvalid.
func (e *Error) Is(target error) bool { return translate.ErrInvalid.Is(target) }

// IsArabic reports whether a language tag names Arabic, in any case and with any region or
// script: ar, AR, ar-SA, ar_EG, ara, ar-Arab-EG.
func IsArabic(tag string) bool { return primary(tag) == "ar" || primary(tag) == "ara" }

// IsEnglish reports whether a language tag names English: en, EN-us, en_GB, eng.
func IsEnglish(tag string) bool { return primary(tag) == "en" || primary(tag) == "eng" }

func primary(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}
