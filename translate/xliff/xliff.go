// Package xliff holds the Document file formats Tarjama exchanges with other translation tools:
// today the Document 2.0 document it writes for an article, one unit per segment.
package xliff

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/translate"
)

// Namespace is the namespace of Document 2.0 core documents.
const Namespace = "urn:oasis:names:tc:xliff:document:2.0"

// Document 2.0 segment states, from nothing to signed off.
const (
	Initial    = "initial"
	Translated = "translated"
	Reviewed   = "reviewed"
	Final      = "final"
)

// State maps a segment to its XLIFF 2.0 state: no English is initial, machine, memory,
// draft (and failed-run) English is translated, a reviewer's edit is reviewed and an approved
// segment is final. Excluded segments are initial (they are marked translate="no").
func State(g translate.Segment) string {
	switch {
	case g.Status == translate.StatusExcluded, strings.TrimSpace(g.Target) == "":
		return Initial
	case g.Status == translate.StatusApproved:
		return Final
	case g.Status == translate.StatusEdited:
		return Reviewed
	}
	return Translated
}

// Document is an XLIFF 2.0 document as Tarjama writes it: one file per article and one unit per
// segment. The same types read it back.
type Document struct {
	XMLName xml.Name `xml:"urn:oasis:names:tc:xliff:document:2.0 xliff"`
	Version string   `xml:"version,attr"`
	SrcLang string   `xml:"srcLang,attr"`
	TrgLang string   `xml:"trgLang,attr"`
	File    File     `xml:"file"`
}

// File is the <file> holding one article.
type File struct {
	ID       string `xml:"id,attr"`
	Original string `xml:"original,attr,omitempty"`
	Notes    *Notes `xml:"notes"`
	Units    []Unit `xml:"unit"`
}

// Notes is a <notes> element; Document wants at least one note in it, so it is left out
// (nil) when there are none.
type Notes struct {
	Notes []Note `xml:"note"`
}

// Note is a <note>: the review summary on the file, reviewer flags on a unit.
type Note struct {
	Category string `xml:"category,attr,omitempty"`
	Text     string `xml:",chardata"`
}

// Unit is one segment of the article; its id is the segment's id in Tarjama.
type Unit struct {
	ID        string  `xml:"id,attr"`
	Name      string  `xml:"name,attr,omitempty"`
	Translate string  `xml:"translate,attr,omitempty"` // "no" for excluded segments
	Notes     *Notes  `xml:"notes"`
	Segment   Segment `xml:"segment"`
}

// Segment holds the Arabic, the English if there is any, and the review state.
type Segment struct {
	State    string  `xml:"state,attr"`
	SubState string  `xml:"subState,attr,omitempty"` // tarjama:<status>, our finer state
	Source   string  `xml:"source"`
	Target   *string `xml:"target"`
}

// QACategory is the category of the notes that carry the open findings of the quality checks.
const QACategory = "tarjama-qa"

// Write writes the article as XLIFF 2.0 (ar → en), one unit per segment in segs (the article's
// segments in order), with summary (the article's review state, for the reader) as the file's
// note, and notes (by segment id: the open findings of the quality checks) on their units
// after the segment's flags. encoding/xml escapes every text and attribute, and replaces
// characters XML cannot carry.
func Write(w io.Writer, a translate.Article, segs []translate.Segment, summary string, notes map[int64][]Note) error {
	doc := Document{Version: "2.0", SrcLang: "ar", TrgLang: "en", File: File{
		ID:       "article-" + strconv.FormatInt(a.ID, 10),
		Original: a.SourceName,
		Notes:    &Notes{[]Note{{Category: "tarjama-review", Text: summary}}},
	}}
	for _, g := range segs {
		u := Unit{ID: strconv.FormatInt(g.ID, 10), Name: "segment " + strconv.Itoa(g.Index),
			Segment: Segment{State: State(g), SubState: "tarjama:" + string(g.Status), Source: g.Source}}
		if g.Status == translate.StatusExcluded {
			u.Translate = "no"
		} else if t := strings.TrimSpace(g.Target); t != "" {
			u.Segment.Target = &t
		}
		if len(g.Flags) > 0 || len(notes[g.ID]) > 0 {
			u.Notes = &Notes{}
			for _, f := range g.Flags {
				u.Notes.Notes = append(u.Notes.Notes, Note{Category: "tarjama-flag", Text: f})
			}
			u.Notes.Notes = append(u.Notes.Notes, notes[g.ID]...)
		}
		doc.File.Units = append(doc.File.Units, u)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("xliff export: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
