// Package tmx reads and writes TMX (Translation Memory eXchange) files: the Arabic–English
// pairs of TMX 1.1 to 1.4 in, TMX 1.4 out. It knows the file format only: where the pairs
// come from or go is the caller's business.
package tmx

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Pair is one Arabic–English translation unit of a TMX file.
type Pair struct {
	Source  string    // the Arabic
	Target  string    // the English
	Origin  string    // where the pair came from (the x-tarjama-origin property), if known
	Created time.Time // the unit's creationdate; zero when the file has none
	Line    int       // where the unit starts in the file being read; 0 when writing
}

// dateFormat is TMX's date format (ISO 8601 basic, UTC).
const dateFormat = "20060102T150405Z"

// originProp is the TMX property that carries a pair's origin in the memory.
const originProp = "x-tarjama-origin"

type tuElem struct {
	XMLName      xml.Name   `xml:"tu"`
	CreationDate string     `xml:"creationdate,attr,omitempty"`
	Props        []propElem `xml:"prop"`
	TUVs         []tuvElem  `xml:"tuv"`
}

type propElem struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type tuvElem struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Seg  string `xml:"seg"`
}

// Writer streams a TMX 1.4 document: header, one <tu> per pair, and a comment instead of
// the units when there are none.
type Writer struct {
	enc *xml.Encoder
	n   int
}

// NewWriter starts a TMX 1.4 document on w: the declaration, the header and the opening of
// the body.
func NewWriter(w io.Writer) (*Writer, error) {
	t := &Writer{enc: xml.NewEncoder(w)}
	t.enc.Indent("", "  ")
	header := xml.StartElement{Name: xml.Name{Local: "header"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "creationtool"}, Value: "Tarjama"},
		{Name: xml.Name{Local: "creationtoolversion"}, Value: "1"},
		{Name: xml.Name{Local: "datatype"}, Value: "plaintext"},
		{Name: xml.Name{Local: "segtype"}, Value: "sentence"},
		{Name: xml.Name{Local: "adminlang"}, Value: "en"},
		{Name: xml.Name{Local: "srclang"}, Value: "ar"},
		{Name: xml.Name{Local: "o-tmf"}, Value: "tarjama"},
	}}
	for _, tok := range []xml.Token{
		xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="UTF-8"`)}, xml.CharData("\n"),
		xml.Directive(`DOCTYPE tmx SYSTEM "tmx14.dtd"`), xml.CharData("\n"),
		xml.StartElement{Name: xml.Name{Local: "tmx"}, Attr: []xml.Attr{{Name: xml.Name{Local: "version"}, Value: "1.4"}}},
		header, header.End(),
		xml.StartElement{Name: xml.Name{Local: "body"}},
	} {
		if err := t.enc.EncodeToken(tok); err != nil {
			return nil, fmt.Errorf("tmx: %w", err)
		}
	}
	return t, nil
}

// Add writes one pair as a <tu>.
func (t *Writer) Add(p Pair) error {
	tu := tuElem{TUVs: []tuvElem{{Lang: "ar", Seg: p.Source}, {Lang: "en", Seg: p.Target}}}
	if !p.Created.IsZero() {
		tu.CreationDate = p.Created.UTC().Format(dateFormat)
	}
	if p.Origin != "" {
		tu.Props = []propElem{{Type: originProp, Value: p.Origin}}
	}
	t.n++
	if err := t.enc.Encode(tu); err != nil {
		return fmt.Errorf("tmx: %w", err)
	}
	return nil
}

// Close ends the document; when no pair was written, the body holds the comment empty.
func (t *Writer) Close(empty string) error {
	if t.n == 0 && empty != "" {
		if err := t.enc.EncodeToken(xml.Comment(" " + strings.ReplaceAll(empty, "--", "-") + " ")); err != nil {
			return fmt.Errorf("tmx: %w", err)
		}
	}
	for _, tok := range []xml.Token{xml.EndElement{Name: xml.Name{Local: "body"}}, xml.EndElement{Name: xml.Name{Local: "tmx"}}, xml.CharData("\n")} {
		if err := t.enc.EncodeToken(tok); err != nil {
			return fmt.Errorf("tmx: %w", err)
		}
	}
	return t.enc.Flush()
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

// File is what Read found in a TMX file.
type File struct {
	Pairs   []Pair
	Units   int      // every <tu> in the file
	Skipped int      // units without both an Arabic and an English text, or too long
	Notes   []string // the first reasons for skipping, with line numbers
}

// maxNotes bounds File.Notes; a multilingual memory may skip thousands of units.
const maxNotes = 20

func (r *File) skip(line int, format string, args ...any) {
	r.Skipped++
	if len(r.Notes) < maxNotes {
		r.Notes = append(r.Notes, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
}

// Read reads the Arabic–English pairs of a TMX document (1.4 xml:lang, or the lang
// attribute of TMX 1.1 and earlier). A unit gives a pair when it has a variant whose language
// is ar or ar-* and one that is en or en-* (the first of each is used). A segment's text is its
// character data and that of <hi> and unknown inline elements; the native codes inside <bpt>,
// <ept>, <it>, <ph> and <ut> (and their <sub> flows) are left out; runs of white space become
// one space. UTF-16 files with a byte order mark are read too. Malformed XML is an error that
// names the file, line and column; name is used in messages.
func Read(r io.Reader, name string) (*File, error) {
	br := bufio.NewReader(r)
	in, err := decodeReader(br)
	if err != nil {
		return nil, translate.ErrInvalid.Errorf("%w", err.In(name))
	}
	d := xml.NewDecoder(in)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "ucs-2":
			return input, nil // UTF-16 was decoded by its byte order mark already
		}
		return nil, &arabic.TextError{Reason: fmt.Sprintf("encoding %q is not supported", label), OtherEncoding: true}
	}
	p := parser{d: d, out: &File{}}
	if err := p.run(); err != nil {
		line, col := d.InputPos()
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			err = errors.New(se.Msg)
		}
		return nil, translate.ErrInvalid.Errorf("%s:%d:%d: %w", name, line, col, err)
	}
	return p.out, nil
}

// decodeReader turns a UTF-16 file (by its byte order mark) into UTF-8 and drops a UTF-8
// byte order mark.
func decodeReader(br *bufio.Reader) (io.Reader, *arabic.TextError) {
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Reader(br), nil
	case len(head) >= 2 && (head[0] == 0 || head[1] == 0):
		return nil, &arabic.TextError{Reason: "looks like UTF-16 without a byte order mark", OtherEncoding: true}
	}
	return br, nil
}

// parser walks the token stream of a TMX file.
type parser struct {
	d   *xml.Decoder
	out *File
}

type variantText struct{ lang, text string }

func (p *parser) run() error {
	sawRoot := false
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			if !sawRoot {
				return errors.New("no <tmx> element: is this a TMX file?")
			}
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !sawRoot {
			if se.Name.Local != "tmx" {
				return fmt.Errorf("the root element is <%s>, not <tmx>: is this a TMX file?", se.Name.Local)
			}
			sawRoot = true
			continue
		}
		if se.Name.Local == "tu" {
			if err := p.unit(se); err != nil {
				return err
			}
		}
	}
}

// unit reads one <tu> up to its end tag.
func (p *parser) unit(start xml.StartElement) error {
	line, _ := p.d.InputPos()
	p.out.Units++
	pair := Pair{Line: line}
	if v := attr(start, "creationdate"); v != "" {
		if t, err := time.Parse(dateFormat, v); err == nil {
			pair.Created = t
		}
	}
	var variants []variantText
	for {
		tok, err := p.d.Token()
		if err != nil {
			return unexpectedEOF(err)
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
			case "prop":
				text, err := p.text(t)
				if err != nil {
					return err
				}
				if attr(t, "type") == originProp {
					pair.Origin = text
				}
			default:
				if err := p.d.Skip(); err != nil {
					return unexpectedEOF(err)
				}
			}
		case xml.EndElement:
			p.pair(pair, variants)
			return nil
		}
	}
}

// pair keeps a unit that has both languages.
func (p *parser) pair(pair Pair, variants []variantText) {
	for _, v := range variants {
		switch {
		case pair.Source == "" && isLang(v.lang, "ar"):
			pair.Source = v.text
		case pair.Target == "" && isLang(v.lang, "en"):
			pair.Target = v.text
		}
	}
	switch {
	case pair.Source == "" && pair.Target == "":
		p.out.skip(pair.Line, "no Arabic and no English text")
	case pair.Source == "":
		p.out.skip(pair.Line, "no Arabic text")
	case pair.Target == "":
		p.out.skip(pair.Line, "no English text")
	case len(pair.Source) > translate.MaxArticleBytes/16 || len(pair.Target) > translate.MaxTargetBytes:
		p.out.skip(pair.Line, "segment too long for a translation memory entry")
	default:
		p.out.Pairs = append(p.out.Pairs, pair)
	}
}

// variant reads one <tuv>: its language and the text of its <seg>.
func (p *parser) variant(start xml.StartElement) (variantText, error) {
	v := variantText{lang: attr(start, "lang")}
	for {
		tok, err := p.d.Token()
		if err != nil {
			return v, unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "seg" {
				text, err := p.text(t)
				if err != nil {
					return v, err
				}
				v.text = text
				continue
			}
			if err := p.d.Skip(); err != nil {
				return v, unexpectedEOF(err)
			}
		case xml.EndElement:
			return v, nil
		}
	}
}

// nativeCode names TMX inline elements whose content is the original document's markup.
var nativeCode = map[string]bool{"bpt": true, "ept": true, "it": true, "ph": true, "ut": true}

// text reads an element's text content up to its end tag, leaving out native codes.
func (p *parser) text(start xml.StartElement) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.d.Token()
		if err != nil {
			return "", unexpectedEOF(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if nativeCode[t.Name.Local] {
				if err := p.d.Skip(); err != nil {
					return "", unexpectedEOF(err)
				}
				continue
			}
			depth++
		case xml.EndElement:
			if depth == 0 {
				return strings.Join(strings.Fields(b.String()), " "), nil
			}
			depth--
		}
	}
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return errors.New("unexpected end of file")
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

// isLang reports whether a language tag is base or base with a region or script (ar, AR,
// ar-SA, ar_EG).
func isLang(tag, base string) bool {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if !strings.HasPrefix(tag, base) {
		return false
	}
	rest := tag[len(base):]
	return rest == "" || rest[0] == '-' || rest[0] == '_'
}
