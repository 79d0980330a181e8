// Package tmx reads and writes TMX (Translation Memory eXchange) files: the Arabic–English
// pairs of TMX 1.1 to 1.4 in, with the metadata other tools keep on them, and TMX 1.4 out. It
// knows the file format only: where the pairs come from or go is the caller's business.
package tmx

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// Where a note or a property stands in a unit: on the unit itself, or on its Arabic or its
// English variant (<tuv>).
const (
	OnUnit   = ""
	OnSource = "source"
	OnTarget = "target"
)

// Note is a <note> of a unit or of one of its variants.
type Note struct {
	Text    string `json:"text"`
	Lang    string `json:"lang,omitempty"` // the note's own xml:lang, if it has one
	Variant string `json:"variant,omitempty"`
}

// Prop is a <prop>: a tool's named property of a unit or of one of its variants (memoQ's
// x-Client, Trados's x-Project, a domain, ...).
type Prop struct {
	Type    string `json:"type"`
	Value   string `json:"value"`
	Lang    string `json:"lang,omitempty"`
	Variant string `json:"variant,omitempty"`
}

// Pair is one Arabic–English translation unit of a TMX file, with what the file says about it.
type Pair struct {
	Source string // the Arabic, exactly as in the file (spaces, tabs and line breaks kept)
	Target string // the English, likewise
	Origin string // where the pair came from in Tarjama (the x-tarjama-origin property), if known

	TUID       string    // the unit's tuid
	Created    time.Time // creationdate; zero when the file has none
	CreationID string    // creationid: who created the unit
	Changed    time.Time // changedate; zero when the file has none
	ChangeID   string    // changeid: who changed it last
	Notes      []Note    // the notes of the unit and of its Arabic and English variants, in file order
	Props      []Prop    // likewise the properties, without x-tarjama-origin

	Line int // the line of the unit's <tu> in the file being read; 0 when writing
}

// DateLayout is TMX's date format (ISO 8601 basic, UTC).
const DateLayout = "20060102T150405Z"

// originProp is the TMX property that carries a pair's origin in the memory.
const originProp = "x-tarjama-origin"

// Refusal says why a unit of a file gives no pair.
type Refusal struct {
	Line    int    `json:"line"`
	Element string `json:"element"` // the element refused: "tu"
	TUID    string `json:"tuid,omitempty"`
	Reason  string `json:"reason"`
}

// String reads "line 25: <tu tuid="7">: no Arabic variant (languages en, fr)".
func (r Refusal) String() string {
	el := "<" + r.Element + ">"
	if r.TUID != "" {
		el = "<" + r.Element + " tuid=" + strconv.Quote(r.TUID) + ">"
	}
	return fmt.Sprintf("line %d: %s: %s", r.Line, el, r.Reason)
}

// File is what Read found in a TMX file.
type File struct {
	Version   string    // the version attribute of <tmx>: 1.1 to 1.4, as the file says
	Encoding  string    // how the file was decoded (see arabic.XMLReader.Encoding)
	Pairs     []Pair    // the Arabic–English pairs, in file order
	Units     int       // every <tu> in the file
	Refused   []Refusal // the units that give no pair, in file order
	Languages []string  // the languages of the file's variants, by primary subtag, sorted
}

// Read reads the Arabic–English pairs of a TMX document, TMX 1.1 to 1.4. The XML is read by
// arabic.XMLReader: any encoding the declaration names, UTF-16 with a byte order mark,
// entities declared in the file expanded within a bound, nothing ever fetched.
//
// A unit gives a pair when it has a variant in Arabic and one in English (xml:lang, or TMX
// 1.1's lang, told by its primary subtag in any case: ar, AR-eg, ara, ar-Arab-EG; en, EN-us,
// eng; the first of each is used) whose texts are not empty. A segment's text is kept exactly,
// white space and all; of its inline elements, <hi> keeps its text, and the native codes
// <bpt>, <ept>, <it>, <ph> and <ut> (with the <sub> flows inside them) are left out, the text
// around them kept. The unit's tuid, dates, creationid and changeid, and the notes and
// properties of the unit and of its two variants, come with the pair. Other units are listed
// in File.Refused with their line and the reason. Malformed XML is an ErrInvalid that names
// the file, the line and the reason; name is used in messages.
func Read(r io.Reader, name string) (*File, error) {
	var pairs []Pair
	f, err := Scan(r, name, func(p Pair) error {
		pairs = append(pairs, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.Pairs = pairs
	return f, nil
}

// Scan reads a TMX document as Read does, but hands each pair to fn as soon as it is read, in
// file order, instead of keeping it: an import can write the first pairs while the rest of
// the file is still being read. The File it returns has everything but the Pairs. An error of
// fn stops the reading and is returned as it is.
func Scan(r io.Reader, name string, fn func(Pair) error) (*File, error) {
	x := arabic.NewXMLReader(r)
	p := parser{x: x, out: &File{}, langs: map[string]bool{}, emit: fn}
	err := p.run()
	p.out.Encoding = x.Encoding()
	var stopped stoppedError
	if errors.As(err, &stopped) {
		return nil, stopped.err
	}
	if err != nil {
		line, reason := x.Problem(err)
		return nil, translate.ErrInvalid.Errorf("%s:%d: %w", name, line, reason)
	}
	for l := range p.langs {
		p.out.Languages = append(p.out.Languages, l)
	}
	slices.Sort(p.out.Languages)
	return p.out, nil
}

// stoppedError is an error of Scan's fn, carried out of the parser unchanged.
type stoppedError struct{ err error }

func (e stoppedError) Error() string { return e.err.Error() }

// parser walks the token stream of a TMX file.
type parser struct {
	x     *arabic.XMLReader
	out   *File
	langs map[string]bool
	emit  func(Pair) error // Scan's fn
}

// variant is one <tuv> of a unit.
type variant struct {
	lang  string // as the file writes it
	text  string
	notes []Note
	props []Prop
}

func (p *parser) run() error {
	root, err := p.x.Root()
	if err != nil {
		return err
	}
	switch root.Name.Local {
	case "tmx":
		p.out.Version = attr(root, "version")
	case "martif", "tbx":
		return fmt.Errorf("this is a TBX glossary, not a TMX memory: import it with tarjama glossary import or on the glossary page")
	case "xliff":
		return fmt.Errorf("this is an XLIFF bilingual file, not a TMX memory: import it with tarjama import")
	default:
		return fmt.Errorf("the root element is <%s>; a TMX file starts with <tmx>", root.Name.Local)
	}
	for {
		tok, err := p.x.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "tu" {
			if err := p.unit(se); err != nil {
				return err
			}
		}
	}
}

// unit reads one <tu> up to its end tag.
func (p *parser) unit(start xml.StartElement) error {
	line := p.x.StartLine()
	p.out.Units++
	pair := Pair{Line: line, TUID: attr(start, "tuid"), CreationID: attr(start, "creationid"), ChangeID: attr(start, "changeid")}
	var problems []string
	for _, d := range []struct {
		name string
		to   *time.Time
	}{{"creationdate", &pair.Created}, {"changedate", &pair.Changed}} {
		if v := attr(start, d.name); v != "" {
			t, err := ParseDate(v)
			if err != nil {
				problems = append(problems, d.name+" "+strconv.Quote(v)+": "+err.Error())
			}
			*d.to = t
		}
	}
	var variants []variant
	for {
		tok, err := p.x.Token()
		if err != nil {
			return unexpectedEOF(err, "tu")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tuv":
				v, err := p.variant(t)
				if err != nil {
					return err
				}
				variants = append(variants, v)
			case "note":
				n, err := p.note(t, OnUnit)
				if err != nil {
					return err
				}
				pair.Notes = append(pair.Notes, n)
			case "prop":
				pr, err := p.prop(t, OnUnit)
				if err != nil {
					return err
				}
				if pr.Type == originProp {
					pair.Origin = pr.Value
				} else {
					pair.Props = append(pair.Props, pr)
				}
			default:
				if err := p.x.Skip(); err != nil {
					return unexpectedEOF(err, t.Name.Local)
				}
			}
		case xml.EndElement:
			return p.pair(pair, variants, problems)
		}
	}
}

// pair hands on a unit that has both languages, or says why it is refused.
func (p *parser) pair(pair Pair, variants []variant, problems []string) error {
	var ar, en *variant
	var langs []string
	for i := range variants {
		v := &variants[i]
		l, ok := arabic.Language(v.lang)
		if !ok {
			l = strings.ToLower(strings.TrimSpace(v.lang))
			if l == "" {
				l = "(no language)"
			}
		}
		p.langs[l] = true
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
		switch {
		case l == arabic.LangArabic && ar == nil:
			ar = v
		case l == arabic.LangEnglish && en == nil:
			en = v
		}
	}
	switch {
	case ar == nil && en == nil:
		problems = append(problems, "no Arabic and no English variant"+languagesOf(langs))
	case ar == nil:
		problems = append(problems, "no Arabic variant"+languagesOf(langs))
	case en == nil:
		problems = append(problems, "no English variant"+languagesOf(langs))
	default:
		if strings.TrimSpace(ar.text) == "" {
			problems = append(problems, "the Arabic segment is empty")
		}
		if strings.TrimSpace(en.text) == "" {
			problems = append(problems, "the English segment is empty")
		}
		if len(ar.text) > MaxSourceBytes || len(en.text) > translate.MaxTargetBytes {
			problems = append(problems, fmt.Sprintf("a segment is too long for a translation memory entry (at most %d KiB of Arabic and %d KiB of English)",
				MaxSourceBytes>>10, translate.MaxTargetBytes>>10))
		}
	}
	if len(problems) > 0 {
		p.out.Refused = append(p.out.Refused, Refusal{Line: pair.Line, Element: "tu", TUID: pair.TUID, Reason: strings.Join(problems, "; ")})
		return nil
	}
	pair.Source, pair.Target = ar.text, en.text
	for _, side := range []struct {
		v  *variant
		on string
	}{{ar, OnSource}, {en, OnTarget}} {
		for _, n := range side.v.notes {
			n.Variant = side.on
			pair.Notes = append(pair.Notes, n)
		}
		for _, pr := range side.v.props {
			pr.Variant = side.on
			pair.Props = append(pair.Props, pr)
		}
	}
	if err := p.emit(pair); err != nil {
		return stoppedError{err}
	}
	return nil
}

// MaxSourceBytes is the longest Arabic segment a pair may have: a long paragraph, far beyond
// a sentence.
const MaxSourceBytes = translate.MaxArticleBytes / 16

func languagesOf(langs []string) string {
	if len(langs) == 0 {
		return " (the unit has no variants)"
	}
	return " (languages " + strings.Join(langs, ", ") + ")"
}

// variant reads one <tuv>: its language, the text of its <seg>, its notes and properties.
func (p *parser) variant(start xml.StartElement) (variant, error) {
	v := variant{lang: attr(start, "lang")}
	for {
		tok, err := p.x.Token()
		if err != nil {
			return v, unexpectedEOF(err, "tuv")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "seg":
				text, err := p.segment()
				if err != nil {
					return v, err
				}
				v.text = text
			case "note":
				n, err := p.note(t, "")
				if err != nil {
					return v, err
				}
				v.notes = append(v.notes, n)
			case "prop":
				pr, err := p.prop(t, "")
				if err != nil {
					return v, err
				}
				v.props = append(v.props, pr)
			default:
				if err := p.x.Skip(); err != nil {
					return v, unexpectedEOF(err, t.Name.Local)
				}
			}
		case xml.EndElement:
			return v, nil
		}
	}
}

func (p *parser) note(start xml.StartElement, on string) (Note, error) {
	text, err := p.text("note")
	return Note{Text: text, Lang: attr(start, "lang"), Variant: on}, err
}

func (p *parser) prop(start xml.StartElement, on string) (Prop, error) {
	text, err := p.text("prop")
	return Prop{Type: attr(start, "type"), Value: text, Lang: attr(start, "lang"), Variant: on}, err
}

// nativeCode names the TMX inline elements whose content is the original document's markup
// (with <sub>, which only stands inside them): their text is not the segment's.
var nativeCode = map[string]bool{"bpt": true, "ept": true, "it": true, "ph": true, "ut": true, "sub": true}

// segment reads a <seg> up to its end tag: its character data exactly, and that of <hi> and
// other inline elements, without the native codes.
func (p *parser) segment() (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.x.Token()
		if err != nil {
			return "", unexpectedEOF(err, "seg")
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if nativeCode[t.Name.Local] {
				if err := p.x.Skip(); err != nil {
					return "", unexpectedEOF(err, t.Name.Local)
				}
				continue
			}
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

// text reads the character data of an element without children (<note>, <prop>).
func (p *parser) text(element string) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.x.Token()
		if err != nil {
			return "", unexpectedEOF(err, element)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

func unexpectedEOF(err error, element string) error {
	if err == io.EOF {
		return fmt.Errorf("the file ends inside <%s>", element)
	}
	return err
}

// attr returns the value of the attribute with the local name (any namespace: xml:lang and
// TMX 1.1's lang are both "lang").
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// ParseDate reads a TMX date: DateLayout (20060102T150405Z), or the same without the Z, or
// RFC 3339, which some tools write instead.
func ParseDate(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{DateLayout, "20060102T150405", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a TMX date (YYYYMMDDThhmmssZ)")
}

// Writer streams a TMX 1.4 document: header, one <tu> per pair, and a comment instead of
// the units when there are none.
type Writer struct {
	w *bufio.Writer
	n int
}

// NewWriter starts a TMX 1.4 document on w: the declaration, the header and the opening of
// the body.
func NewWriter(w io.Writer) (*Writer, error) {
	t := &Writer{w: bufio.NewWriter(w)}
	_, err := t.w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="Tarjama" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="ar" o-tmf="tarjama"></header>
  <body>
`)
	if err != nil {
		return nil, fmt.Errorf("tmx: %w", err)
	}
	return t, nil
}

// Add writes one pair as a <tu>: its tuid, dates and ids as attributes, then its notes and
// properties (the origin as x-tarjama-origin, first), then the Arabic and English variants,
// each with its own notes and properties.
func (t *Writer) Add(p Pair) error {
	t.n++
	b := t.w
	b.WriteString("    <tu")
	t.attr("tuid", p.TUID)
	if !p.Created.IsZero() {
		t.attr("creationdate", p.Created.UTC().Format(DateLayout))
	}
	t.attr("creationid", p.CreationID)
	if !p.Changed.IsZero() {
		t.attr("changedate", p.Changed.UTC().Format(DateLayout))
	}
	t.attr("changeid", p.ChangeID)
	b.WriteString(">\n")
	props := p.Props
	if p.Origin != "" {
		props = append([]Prop{{Type: originProp, Value: p.Origin}}, props...)
	}
	t.meta(6, p.Notes, props, OnUnit)
	for _, v := range []struct{ lang, text, on string }{{"ar", p.Source, OnSource}, {"en", p.Target, OnTarget}} {
		b.WriteString(`      <tuv xml:lang="` + v.lang + `">` + "\n")
		t.meta(8, p.Notes, p.Props, v.on)
		b.WriteString("        <seg>")
		xml.EscapeText(b, []byte(v.text))
		b.WriteString("</seg>\n      </tuv>\n")
	}
	_, err := b.WriteString("    </tu>\n")
	if err != nil {
		return fmt.Errorf("tmx: %w", err)
	}
	return nil
}

// meta writes the notes, then the properties, that stand on (the unit or a variant).
func (t *Writer) meta(indent int, notes []Note, props []Prop, on string) {
	pad := strings.Repeat(" ", indent)
	for _, n := range notes {
		if n.Variant != on {
			continue
		}
		t.w.WriteString(pad + "<note")
		t.attr("xml:lang", n.Lang)
		t.w.WriteString(">")
		xml.EscapeText(t.w, []byte(n.Text))
		t.w.WriteString("</note>\n")
	}
	for _, pr := range props {
		if pr.Variant != on {
			continue
		}
		t.w.WriteString(pad + "<prop")
		t.attr("type", pr.Type)
		t.attr("xml:lang", pr.Lang)
		t.w.WriteString(">")
		xml.EscapeText(t.w, []byte(pr.Value))
		t.w.WriteString("</prop>\n")
	}
}

// attr writes name="value", escaped, unless value is empty.
func (t *Writer) attr(name, value string) {
	if value == "" {
		return
	}
	t.w.WriteString(" " + name + `="`)
	xml.EscapeText(t.w, []byte(value))
	t.w.WriteString(`"`)
}

// Close ends the document; when no pair was written, the body holds the comment empty.
func (t *Writer) Close(empty string) error {
	if t.n == 0 && empty != "" {
		t.w.WriteString("    <!-- " + strings.ReplaceAll(empty, "--", "-") + " -->\n")
	}
	t.w.WriteString("  </body>\n</tmx>\n")
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("tmx: %w", err)
	}
	return nil
}

// Write writes pairs as a TMX 1.4 document; when there are none, the empty body carries the
// comment empty.
func Write(w io.Writer, pairs []Pair, empty string) error {
	t, err := NewWriter(w)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if err := t.Add(p); err != nil {
			return err
		}
	}
	return t.Close(empty)
}
