package translate

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// XLIFFNamespace is the namespace of XLIFF 2.0 core documents.
const XLIFFNamespace = "urn:oasis:names:tc:xliff:document:2.0"

// XLIFF 2.0 segment states, from nothing to signed off.
const (
	XLIFFInitial    = "initial"
	XLIFFTranslated = "translated"
	XLIFFReviewed   = "reviewed"
	XLIFFFinal      = "final"
)

// XLIFFState maps a segment to its XLIFF 2.0 state: no English is initial, machine, memory,
// draft (and failed-run) English is translated, a reviewer's edit is reviewed and an approved
// segment is final. Excluded segments are initial (they are marked translate="no").
func XLIFFState(g Segment) string {
	switch {
	case g.Status == StatusExcluded, strings.TrimSpace(g.Target) == "":
		return XLIFFInitial
	case g.Status == StatusApproved:
		return XLIFFFinal
	case g.Status == StatusEdited:
		return XLIFFReviewed
	}
	return XLIFFTranslated
}

// XLIFF is an XLIFF 2.0 document as Tarjama writes it: one file per article and one unit per
// segment. The same types read it back.
type XLIFF struct {
	XMLName xml.Name  `xml:"urn:oasis:names:tc:xliff:document:2.0 xliff"`
	Version string    `xml:"version,attr"`
	SrcLang string    `xml:"srcLang,attr"`
	TrgLang string    `xml:"trgLang,attr"`
	File    XLIFFFile `xml:"file"`
}

// XLIFFFile is the <file> holding one article.
type XLIFFFile struct {
	ID       string      `xml:"id,attr"`
	Original string      `xml:"original,attr,omitempty"`
	Notes    *XLIFFNotes `xml:"notes"`
	Units    []XLIFFUnit `xml:"unit"`
}

// XLIFFNotes is a <notes> element; XLIFF wants at least one note in it, so it is left out
// (nil) when there are none.
type XLIFFNotes struct {
	Notes []XLIFFNote `xml:"note"`
}

// XLIFFNote is a <note>: the review summary on the file, reviewer flags on a unit.
type XLIFFNote struct {
	Category string `xml:"category,attr,omitempty"`
	Text     string `xml:",chardata"`
}

// XLIFFUnit is one segment of the article; its id is the segment's id in Tarjama.
type XLIFFUnit struct {
	ID        string       `xml:"id,attr"`
	Name      string       `xml:"name,attr,omitempty"`
	Translate string       `xml:"translate,attr,omitempty"` // "no" for excluded segments
	Notes     *XLIFFNotes  `xml:"notes"`
	Segment   XLIFFSegment `xml:"segment"`
}

// XLIFFSegment holds the Arabic, the English if there is any, and the review state.
type XLIFFSegment struct {
	State    string  `xml:"state,attr"`
	SubState string  `xml:"subState,attr,omitempty"` // tarjama:<status>, our finer state
	Source   string  `xml:"source"`
	Target   *string `xml:"target"`
}

// writeXLIFF writes the article as XLIFF 2.0 (ar → en). encoding/xml escapes every text and
// attribute, and replaces characters XML cannot carry.
func writeXLIFF(w io.Writer, a Article, segs []Segment) error {
	doc := XLIFF{Version: "2.0", SrcLang: "ar", TrgLang: "en", File: XLIFFFile{
		ID:       "article-" + strconv.FormatInt(a.ID, 10),
		Original: a.SourceName,
		Notes:    &XLIFFNotes{[]XLIFFNote{{Category: "tarjama-review", Text: a.Title + ": " + countReview(segs).String()}}},
	}}
	for _, g := range segs {
		u := XLIFFUnit{ID: strconv.FormatInt(g.ID, 10), Name: "segment " + strconv.Itoa(g.Index),
			Segment: XLIFFSegment{State: XLIFFState(g), SubState: "tarjama:" + string(g.Status), Source: g.Source}}
		if g.Status == StatusExcluded {
			u.Translate = "no"
		} else if t := strings.TrimSpace(g.Target); t != "" {
			u.Segment.Target = &t
		}
		if len(g.Flags) > 0 {
			u.Notes = &XLIFFNotes{}
			for _, f := range g.Flags {
				u.Notes.Notes = append(u.Notes.Notes, XLIFFNote{Category: "tarjama-flag", Text: f})
			}
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
