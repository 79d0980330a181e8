package arabic

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
)

// MaxEntityExpansion bounds, in bytes, the text that the entities a document declares in
// its DOCTYPE may add to it: one entity's replacement text, and all uses of all entities
// together. A "billion laughs" file (entities of entities, each ten times the last) passes it
// long before it could fill the memory, and is refused.
const MaxEntityExpansion = 16 << 20

// Entity markers: XMLReader has encoding/xml put markerOpen name markerClose where a declared
// entity is used, and replaces the marker itself, counting what it adds. Both are Unicode
// noncharacters, meant for such internal use; encoding/xml accepts them in text.
const (
	markerOpen  = '\uFDD0'
	markerClose = '\uFDD1'
)

// XMLReader is the one reader of uploaded XML documents (TBX glossaries, TMX memories, XLIFF
// bilingual files). It reads what other tools write and never reaches outside the file:
//   - UTF-8 with or without a byte order mark, UTF-16 with one, and any encoding the XML
//     declaration names that golang.org/x/text knows (windows-1256, windows-1252,
//     ISO-8859-6, ...);
//   - nothing is ever fetched: encoding/xml reads no external DTD, and an external entity
//     (SYSTEM or PUBLIC) is refused where it is used, naming it;
//   - entities declared in the document's internal DTD subset (<!DOCTYPE tmx [<!ENTITY nbsp
//     "&#160;">]>) are expanded, within MaxEntityExpansion.
//
// Use Token as encoding/xml's, and Problem to turn an error into a line and a reason.
type XMLReader struct {
	d        *xml.Decoder
	encoding string
	// problem is an error of the reader's own (an encoding, an entity) that the decoder's
	// error stands for; Token and Problem report it instead.
	problem  error
	entities map[string]*entity // declared in the internal subset, by name
	grown    int                // bytes that entity uses have added so far
	start    int                // the line on which the last token began
}

// entity is a general entity declared in the internal DTD subset.
type entity struct {
	literal  string // the value with its character references expanded, as declared
	external string // the system identifier of an external entity, never fetched
	text     string // the replacement text, once worked out
	state    int    // entityNew, entityExpanding, entityDone
}

const (
	entityNew = iota
	entityExpanding
	entityDone
)

// NewXMLReader starts reading the XML document in r; a byte order mark decides UTF-8 or
// UTF-16 before the declaration is read.
func NewXMLReader(r io.Reader) *XMLReader {
	x := &XMLReader{encoding: EncodingUTF8}
	br := bufio.NewReader(r)
	head, _ := br.Peek(3)
	var in io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		x.encoding = EncodingUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		in = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Reader(br)
		x.encoding = EncodingUTF16LEBOM
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		in = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Reader(br)
		x.encoding = EncodingUTF16BEBOM
	case len(head) >= 2 && (head[0] == 0 || head[1] == 0):
		x.problem = &TextError{Reason: "the file looks like UTF-16 without a byte order mark", OtherEncoding: true}
	}
	x.d = xml.NewDecoder(in)
	x.d.Strict = true
	x.d.CharsetReader = x.charset
	return x
}

// charset decodes the encoding the XML declaration names.
func (x *XMLReader) charset(label string, input io.Reader) (io.Reader, error) {
	if strings.HasPrefix(strings.ToLower(label), "utf-16") {
		// Decoded by its byte order mark already; without one, the declaration was read as
		// 8-bit text, so the file is not UTF-16 whatever it says.
		return input, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		x.problem = &TextError{Reason: fmt.Sprintf("the XML declaration names encoding %q, which is not known", label), OtherEncoding: true}
		return nil, x.problem
	}
	x.encoding = strings.ToLower(label)
	return enc.NewDecoder().Reader(input), nil
}

// Encoding names how the document was decoded: one of DecodeText's names for UTF-8 and
// UTF-16, or the label of the XML declaration ("windows-1256"). Known once the first token
// is read.
func (x *XMLReader) Encoding() string { return x.encoding }

// InputPos is the line and column the reader has reached.
func (x *XMLReader) InputPos() (line, column int) { return x.d.InputPos() }

// StartLine is the line on which the token Token returned last began: where an element's
// start tag opens, though the tag may run over several lines.
func (x *XMLReader) StartLine() int { return x.start }

// Skip reads past the rest of the element whose start was just read.
func (x *XMLReader) Skip() error {
	if err := x.d.Skip(); err != nil {
		return x.fail(err)
	}
	return nil
}

// Token is the next token of the document, as encoding/xml's Token gives it, with the
// entities of the internal subset expanded. It returns io.EOF at the end.
func (x *XMLReader) Token() (xml.Token, error) {
	if x.problem != nil {
		return nil, x.problem
	}
	x.start, _ = x.d.InputPos()
	tok, err := x.d.Token()
	if err != nil {
		return nil, x.fail(err)
	}
	switch t := tok.(type) {
	case xml.Directive:
		if bytes.HasPrefix(t, []byte("DOCTYPE")) {
			if err := x.doctype(string(t)); err != nil {
				x.problem = err
				return nil, err
			}
		}
	case xml.CharData:
		if x.entities != nil && bytes.ContainsRune(t, markerOpen) {
			s, err := x.expand(string(t))
			if err != nil {
				return nil, err
			}
			return xml.CharData(s), nil
		}
	case xml.StartElement:
		if x.entities != nil {
			for i, a := range t.Attr {
				if strings.ContainsRune(a.Value, markerOpen) {
					s, err := x.expand(a.Value)
					if err != nil {
						return nil, err
					}
					t.Attr[i].Value = s
				}
			}
			return t, nil
		}
	}
	return tok, nil
}

// Root reads up to the root element and returns its start; a document without one (an empty
// file, one of only a declaration and comments) is an error.
func (x *XMLReader) Root() (xml.StartElement, error) {
	for {
		tok, err := x.Token()
		if err == io.EOF {
			return xml.StartElement{}, errors.New("no root element: the file is empty or not XML")
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// fail is err, or the reader's own problem that caused it.
func (x *XMLReader) fail(err error) error {
	if x.problem != nil {
		return x.problem
	}
	return err
}

// entityHint follows encoding/xml's message for an entity the document does not declare.
const entityHint = ": Tarjama reads no external DTD, so it knows only the entities XML defines " +
	"(&amp; &lt; &gt; &quot; &apos;), character references and entities declared in the file's own DOCTYPE"

// Problem says where err (from Token, Root, Skip or the caller's reading of the document)
// happened and why, for a message naming the file: the line, and the reason as an error
// without encoding/xml's prefix. A file in an encoding the reader cannot decode gives its
// *TextError (OtherEncoding), so the CLI and the pages can say to save it as UTF-8; an
// undeclared entity gets a hint on what is known.
func (x *XMLReader) Problem(err error) (line int, reason error) {
	line, col := x.d.InputPos()
	if x.problem != nil {
		return line, x.problem
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := fmt.Sprintf("%s (column %d)", se.Msg, col)
		if strings.HasPrefix(se.Msg, "invalid character entity") {
			msg += entityHint
		}
		return se.Line, errors.New(msg)
	}
	return line, err
}

// doctype reads the entity declarations of a DOCTYPE's internal subset. Everything else in
// it (element and attribute declarations, comments, processing instructions, parameter
// entities and their references) is read past: it does not change the text.
func (x *XMLReader) doctype(d string) error {
	open := indexUnquoted(d, '[')
	if open < 0 {
		return nil // no internal subset; an external DTD is never read
	}
	s := d[open+1:]
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case s == "" || s[0] == ']':
			return nil
		case strings.HasPrefix(s, "<!ENTITY"):
			rest, err := x.declare(s[len("<!ENTITY"):])
			if err != nil {
				return err
			}
			s = rest
		case strings.HasPrefix(s, "<?"):
			end := strings.Index(s, "?>")
			if end < 0 {
				return nil
			}
			s = s[end+2:]
		case strings.HasPrefix(s, "<!"):
			end := indexUnquoted(s, '>')
			if end < 0 {
				return nil
			}
			s = s[end+1:]
		default:
			// A parameter entity reference (%name;) or something unknown: one token on.
			end := strings.IndexAny(s, " \t\r\n<]")
			if end <= 0 {
				return nil
			}
			s = s[end:]
		}
	}
}

// declare reads one <!ENTITY declaration (after the keyword) and returns what follows it.
func (x *XMLReader) declare(s string) (string, error) {
	s = strings.TrimLeft(s, " \t\r\n")
	parameter := strings.HasPrefix(s, "%")
	if parameter {
		s = strings.TrimLeft(s[1:], " \t\r\n")
	}
	name, s := cutName(s)
	if name == "" {
		return "", errors.New("an <!ENTITY declaration in the DOCTYPE has no name")
	}
	s = strings.TrimLeft(s, " \t\r\n")
	e := &entity{}
	switch {
	case strings.HasPrefix(s, "SYSTEM"), strings.HasPrefix(s, "PUBLIC"):
		public := strings.HasPrefix(s, "PUBLIC")
		s = s[len("SYSTEM"):]
		var id string
		var ok bool
		if public {
			if _, s, ok = cutQuoted(s); !ok {
				return "", fmt.Errorf("entity %s: a PUBLIC identifier without its quotes", name)
			}
		}
		if id, s, ok = cutQuoted(s); !ok {
			return "", fmt.Errorf("entity %s: a SYSTEM identifier without its quotes", name)
		}
		e.external = id
	default:
		value, rest, ok := cutQuoted(s)
		if !ok {
			return "", fmt.Errorf("entity %s: the value is not in quotes", name)
		}
		s = rest
		lit, err := charRefs(name, value)
		if err != nil {
			return "", err
		}
		e.literal = lit
	}
	end := indexUnquoted(s, '>')
	if end < 0 {
		return "", fmt.Errorf("entity %s: the declaration has no closing >", name)
	}
	s = s[end+1:]
	if parameter {
		return s, nil // parameter entities only shape the DTD, which is not read
	}
	if x.entities == nil {
		x.entities = make(map[string]*entity)
		x.d.Entity = make(map[string]string)
	}
	if _, dup := x.entities[name]; !dup { // XML: the first declaration binds
		x.entities[name] = e
		x.d.Entity[name] = string(markerOpen) + name + string(markerClose)
	}
	return s, nil
}

// charRefs expands the character references of an entity's literal value, as XML does when
// it reads the declaration; references to other entities stay for when it is used.
func charRefs(name, v string) (string, error) {
	if strings.Contains(v, "%") {
		return "", fmt.Errorf("entity %s: its value uses a parameter entity, which a document's own DOCTYPE cannot", name)
	}
	if !strings.Contains(v, "&#") {
		return v, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(v, "&#")
		if i < 0 {
			b.WriteString(v)
			return b.String(), nil
		}
		b.WriteString(v[:i])
		r, n, ok := charRef(v[i:])
		if !ok {
			return "", fmt.Errorf("entity %s: %q is not a character reference", name, v[i:min(len(v), i+12)])
		}
		b.WriteRune(r)
		v = v[i+n:]
	}
}

// charRef reads a character reference (&#160; or &#xA0;) at the start of s: the character
// and the bytes read.
func charRef(s string) (rune, int, bool) {
	end := strings.IndexByte(s, ';')
	if !strings.HasPrefix(s, "&#") || end < 3 {
		return 0, 0, false
	}
	digits, base := s[2:end], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	n, err := strconv.ParseUint(digits, base, 32)
	r := rune(n)
	if err != nil || !isXMLChar(r) {
		return 0, 0, false
	}
	return r, end + 1, true
}

// isXMLChar reports whether r may stand in an XML 1.0 document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= utf8.MaxRune
}

// predefined are the entities XML defines.
var predefined = map[string]string{"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'"}

// expand replaces the entity markers in text by the entities' replacement texts, counting
// what they add against MaxEntityExpansion.
func (x *XMLReader) expand(text string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexRune(text, markerOpen)
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:i])
		rest := text[i+utf8.RuneLen(markerOpen):]
		j := strings.IndexRune(rest, markerClose)
		e := x.entities[rest[:max(j, 0)]]
		if j < 0 || e == nil {
			// A noncharacter the file itself holds: it stays as it is.
			b.WriteRune(markerOpen)
			text = rest
			continue
		}
		name := rest[:j]
		repl, err := x.replacement(name, e)
		if err != nil {
			return "", err
		}
		x.grown += len(repl)
		if x.grown > MaxEntityExpansion {
			return "", fmt.Errorf("the entities declared in the file's DOCTYPE would add more than %d MiB of text (&%s; and others used again and again); Tarjama refuses such growth", MaxEntityExpansion>>20, name)
		}
		b.WriteString(repl)
		text = rest[j+utf8.RuneLen(markerClose):]
	}
}

// replacement works out an entity's replacement text: its literal value with the references
// to other entities replaced, recursively, within MaxEntityExpansion.
func (x *XMLReader) replacement(name string, e *entity) (string, error) {
	switch {
	case e.external != "":
		return "", fmt.Errorf("entity &%s; is external (%q): Tarjama never fetches a file or address a document names", name, e.external)
	case e.state == entityDone:
		return e.text, nil
	case e.state == entityExpanding:
		return "", fmt.Errorf("entity &%s; refers to itself", name)
	}
	e.state = entityExpanding
	var b strings.Builder
	v := e.literal
	for v != "" {
		i := strings.IndexAny(v, "&<")
		if i < 0 {
			b.WriteString(v)
			break
		}
		b.WriteString(v[:i])
		v = v[i:]
		if v[0] == '<' {
			return "", fmt.Errorf("entity &%s; holds markup (%q), which Tarjama does not read as part of the text", name, v[:min(len(v), 20)])
		}
		if r, n, ok := charRef(v); ok {
			b.WriteRune(r)
			v = v[n:]
			continue
		}
		end := strings.IndexByte(v, ';')
		if end < 0 {
			return "", fmt.Errorf("entity &%s;: a bare & in its value", name)
		}
		ref := v[1:end]
		v = v[end+1:]
		if s, ok := predefined[ref]; ok {
			b.WriteString(s)
			continue
		}
		inner, ok := x.entities[ref]
		if !ok {
			return "", fmt.Errorf("entity &%s; uses &%s;, which is not declared", name, ref)
		}
		s, err := x.replacement(ref, inner)
		if err != nil {
			return "", err
		}
		if b.Len()+len(s) > MaxEntityExpansion {
			return "", fmt.Errorf("entity &%s; expands to more than %d MiB (entities of entities, a \"billion laughs\" file?); Tarjama refuses such growth", name, MaxEntityExpansion>>20)
		}
		b.WriteString(s)
	}
	e.text, e.state = b.String(), entityDone
	return e.text, nil
}

// cutName reads an XML name at the start of s.
func cutName(s string) (name, rest string) {
	end := strings.IndexAny(s, " \t\r\n\"'>%[")
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}

// cutQuoted reads a quoted literal after optional white space.
func cutQuoted(s string) (value, rest string, ok bool) {
	s = strings.TrimLeft(s, " \t\r\n")
	if s == "" || s[0] != '"' && s[0] != '\'' {
		return "", s, false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", s, false
	}
	return s[1 : end+1], s[end+2:], true
}

// indexUnquoted is the index of the first c in s outside quoted literals, or -1.
func indexUnquoted(s string, c byte) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		switch {
		case quote != 0:
			if s[i] == quote {
				quote = 0
			}
		case s[i] == '"' || s[i] == '\'':
			quote = s[i]
		case s[i] == c:
			return i
		}
	}
	return -1
}
