// Package translate holds the domain types and pure rules of translation: articles, segments
// and their review states, revisions and run records, reading an article's text and its
// limits, segmentation, the Backend interface machine-translation engines implement, and the
// checks of their output (alignment, English, glossary terms). Each stage has a sub-package:
// store (articles, segments, revisions, runs), memory, pipeline, export and the backends.
package translate

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// The kinds of error of the translate packages; callers test them with errors.Is, and every
// Error of a kind matches its sentinel.
var (
	// ErrNotFound means no article or segment has the requested id.
	ErrNotFound = &Error{"not found", errors.New("not found")}
	// ErrInvalid means the input failed validation; the message names the field or place.
	ErrInvalid = &Error{"invalid", errors.New("invalid input")}
	// ErrConflict means a write was based on a stale version (see *ConflictError) or is not
	// allowed in the segment's state (editing an excluded segment).
	ErrConflict = &Error{"conflict", errors.New("conflict")}
)

// Status is where a segment is in the review flow.
type Status string

// Segment states, from nothing to approved.
const (
	StatusUntranslated Status = "untranslated" // no target yet
	StatusDraft        Status = "draft"        // offline pre-translation (glossary, memory): a starting point only
	StatusMachine      Status = "machine"      // machine translation, not yet reviewed
	StatusTM           Status = "tm"           // filled from the translation memory
	StatusEdited       Status = "edited"       // a reviewer changed the target
	StatusApproved     Status = "approved"     // a reviewer signed the target off
	StatusFailed       Status = "failed"       // the backend could not produce a valid translation
	StatusExcluded     Status = "excluded"     // boilerplate: neither translated nor exported
)

// Reviewed reports whether a human has touched the segment's target, in which case machine
// output must never replace it.
func (s Status) Reviewed() bool {
	return s == StatusEdited || s == StatusApproved || s == StatusExcluded
}

// Origins of a segment's current target.
const (
	OriginNone    = ""
	OriginMachine = "machine"
	OriginTM      = "tm"
	OriginDraft   = "draft"
	OriginHuman   = "human"
	OriginXLIFF   = "xliff" // a person's English brought in from a bilingual (XLIFF) file
)

// Article is one imported source text.
type Article struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	SourceText string    `json:"source_text,omitempty"`
	SourceName string    `json:"source_name"` // the file it came from, if any
	CreatedAt  time.Time `json:"created_at"`
	Progress   Progress  `json:"progress"`
	// QA counts the open findings of the quality checks on the article's segments, as they
	// were counted when each segment's English was last written (or the checks' settings
	// last changed).
	QA Issues `json:"qa"`
}

// Issues counts open findings of the quality checks (translate/qa), those no reviewer has
// ignored: an error blocks approval until it is fixed or ignored, a warning only informs.
type Issues struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// Total is errors and warnings together.
func (i Issues) Total() int { return i.Errors + i.Warnings }

// Progress counts an article's segments by how far review has got.
type Progress struct {
	Total      int `json:"total"`
	Translated int `json:"translated"` // has a machine, memory or draft target not yet reviewed
	Edited     int `json:"edited"`
	Approved   int `json:"approved"`
	Failed     int `json:"failed"`
	Excluded   int `json:"excluded"`
}

// Done is the share of the segments to translate (all but the excluded ones) that a reviewer
// has approved, in percent: an excluded segment is neither to do nor done. With every
// segment excluded there is nothing left to approve, so it is 100.
func (p Progress) Done() int {
	todo := p.Total - p.Excluded
	switch {
	case p.Total == 0:
		return 0
	case todo <= 0:
		return 100
	}
	return p.Approved * 100 / todo
}

// Segment is one sentence of an article with its English.
type Segment struct {
	ID        int64    `json:"id"`
	ArticleID int64    `json:"article_id"`
	Index     int      `json:"index"`
	Paragraph int      `json:"paragraph"`
	Source    string   `json:"source"`
	Sep       string   `json:"sep"` // the original text between this segment and the next
	Target    string   `json:"target"`
	Status    Status   `json:"status"`
	Origin    string   `json:"origin"`
	Backend   string   `json:"backend"`
	Model     string   `json:"model"`
	Version   int      `json:"version"`
	Flags     []string `json:"flags"` // reasons a reviewer should look now, e.g. "glossary: security guarantees missing"
	// MachineFlags are the flags the last machine output got; a reviewer's save leaves them
	// for the quality figures and rechecks Flags against the new text.
	MachineFlags []string  `json:"machine_flags"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Revision is one recorded change of a segment's target.
type Revision struct {
	ID        int64     `json:"id"`
	SegmentID int64     `json:"segment_id"`
	Kind      string    `json:"kind"` // machine, tm, edit, approve, status, theirs, imported, ignore
	Author    string    `json:"author"`
	Before    string    `json:"before"`
	After     string    `json:"after"`
	Backend   string    `json:"backend"`
	Model     string    `json:"model"`
	CreatedAt time.Time `json:"created_at"`
	// Note says what an "ignore" revision set aside: the finding's check and message.
	Note string `json:"note,omitempty"`
}

// ConflictError is returned when a save names a version older than the stored one; it carries
// the segment as it is now so the reviewer can see both texts.
type ConflictError struct {
	Current Segment
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("segment %d was changed by someone else (now at version %d)", e.Current.ID, e.Current.Version)
}

// Kind is ErrConflict's.
func (e *ConflictError) Kind() string { return ErrConflict.kind }

// Is makes every ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return ErrConflict.Is(target) }

// CheckArabic refuses a text without a single Arabic letter: Tarjama translates from
// Arabic, and such a text is another language, or a file mistaken for an article. name says
// where the text came from.
func CheckArabic(name, text string) error {
	if !arabic.HasScriptLetter(text) {
		return ErrInvalid.Errorf("no Arabic text in %s", name)
	}
	return nil
}

// DuplicateError refuses an import whose text is an exact copy of a stored article's, which
// it names; importing it anyway is the caller's explicit choice.
type DuplicateError struct {
	Name     string  // the file or text imported
	Existing Article // the stored article with the same text (no source text, no progress)
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s is an exact copy of article %d «%s»", e.Name, e.Existing.ID, e.Existing.Title)
}

// Kind is ErrConflict's: the text is stored already.
func (e *DuplicateError) Kind() string { return ErrConflict.kind }

// Is makes every DuplicateError match ErrConflict.
func (e *DuplicateError) Is(target error) bool { return ErrConflict.Is(target) }

// Limits on imported text.
const (
	MaxArticleBytes = 2 << 20 // 2 MiB of text is a long book chapter, far beyond a news article
	MaxTitleRunes   = 500
	MaxTargetBytes  = 64 << 10
)

// CleanTarget applies the one text rule (arabic.CleanField) to a segment's English from a
// reviewer or a file: control characters other than tab and line breaks are refused, bidi
// embedding and override characters removed; removed says how many, for a notice.
func CleanTarget(target string) (clean string, removed int, err error) {
	clean, removed, err = arabic.CleanField("target", target, arabic.StripBidi)
	if err != nil {
		return "", 0, ErrInvalid.Errorf("%w", err)
	}
	return clean, removed, nil
}

// Text is an article's title and body as NewText or ReadText read them, with what reading
// did.
type Text struct {
	Title, Body string
	// Encoding is the encoding the file was in, as arabic.DecodeText names it; "" for text
	// given as text (a form, the API).
	Encoding string
	// Stripped counts the bidi controls removed from the body (see arabic.CleanField).
	Stripped int
}

// Notice says what reading changed in the text, for the user; "" when nothing.
func (t Text) Notice() string { return arabic.BidiNotice("text", t.Stripped) }

// ParseText turns an uploaded text file into a title and body; see ReadText.
func ParseText(name string, data []byte) (title, text string, err error) {
	t, err := ReadText(name, "", data)
	return t.Title, t.Body, err
}

// ReadText turns an uploaded text file into a title and body and names the encoding it was
// in: whatever arabic.DecodeText reads (UTF-8 with or without a BOM, UTF-16, Windows-1256),
// so an article file and a glossary file are read alike. The title is title when given,
// else the first non-empty line; the whole text (title included, leading blank lines dropped)
// is the body that gets segmented. A binary file or broken UTF-8 is refused, and so is text
// the rule of NewText refuses. name is used in error messages.
func ReadText(name, title string, data []byte) (Text, error) {
	if len(data) > MaxArticleBytes {
		return Text{}, tooLarge(name, len(data))
	}
	decoded, encoding, err := arabic.DecodeText(data)
	if err != nil {
		var te *arabic.TextError
		if errors.As(err, &te) {
			return Text{}, ErrInvalid.Errorf("%w", te.In(name))
		}
		return Text{}, ErrInvalid.Errorf("%s: %w", name, err)
	}
	t, err := NewText(name, title, decoded)
	t.Encoding = encoding
	return t, err
}

// NewText validates a title and text given separately (the paste form, the API). An empty
// title is taken from the first non-empty line of the text. Both follow the one text rule
// (arabic.CleanField): control characters other than tab and line breaks are refused, bidi
// embedding and override characters are refused in the title and removed from the text
// (Text.Stripped says how many).
func NewText(name, title, text string) (Text, error) {
	text = strings.TrimLeft(text, " \t\r\n\ufeff")
	if strings.TrimSpace(text) == "" {
		return Text{}, ErrInvalid.Errorf("%s: empty", name)
	}
	if len(text) > MaxArticleBytes {
		return Text{}, tooLarge(name, len(text))
	}
	if !utf8.ValidString(text) || !utf8.ValidString(title) {
		return Text{}, ErrInvalid.Errorf("%s: not valid UTF-8", name)
	}
	text, stripped, err := arabic.CleanField(name, text, arabic.StripBidi)
	if err != nil {
		return Text{}, ErrInvalid.Errorf("%w", err)
	}
	title = strings.TrimSpace(title)
	if title == "" {
		first, _, _ := strings.Cut(text, "\n")
		title = strings.TrimSpace(first)
	} else if _, _, err := arabic.CleanField("title", title, arabic.RefuseBidi); err != nil {
		return Text{}, ErrInvalid.Errorf("%w", err)
	}
	if r := []rune(title); len(r) > MaxTitleRunes {
		title = string(r[:MaxTitleRunes]) + "…"
	}
	return Text{Title: title, Body: text, Stripped: stripped}, nil
}
