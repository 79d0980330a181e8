package glossary

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// TBX administrative statuses, as TBX v2 and v3 (TBX-Basic) write them.
const (
	tbxPreferred  = "preferredTerm-admn-sts"
	tbxAdmitted   = "admittedTerm-admn-sts"
	tbxDeprecated = "deprecatedTerm-admn-sts"
)

// tbxNamespace is the namespace of TBX v3 (ISO 30042:2019) documents.
const tbxNamespace = "urn:iso:std:iso:30042:ed-2"

// readTBX reads a TermBase eXchange file (see Read): TBX v2 (root martif; termEntry,
// langSet, tig or ntig/termGrp) or TBX v3 (root tbx, TBX-Basic and other dialects in either
// style; conceptEntry, langSec, termSec). Languages are told by the primary subtag of xml:lang in
// any case (ar, AR, ar-SA, ara; en, en-GB, eng); other languages are ignored.
//
// Each entry with an Arabic term becomes a row: its preferred (or first) Arabic term is the
// Arabic and the other Arabic terms are spelling variants; its preferred (or first) English
// term that is not deprecated is the English, the other English terms are accepted
// alternatives, and deprecated, superseded, forbidden or obsolete ones (administrativeStatus
// or normativeAuthorization) are forbidden renderings. Definitions and notes in the entry
// (at any level, Arabic or English or neither) become the note, a name-like part of speech
// (properNoun) makes the type name, and Weblate's "Translation needed: No" makes the term
// do-not-translate. An entry without an Arabic term is left out and counted in File.Ignored;
// one without a usable English term is a bad row naming its line.
//
// The XML is read by arabic.XMLReader, the one reader of uploaded XML: nothing is ever
// fetched (an external DTD is read past, an external entity refused where it is used),
// entities declared in the file's own DOCTYPE are expanded within a bound, and the file may
// be UTF-8, UTF-16 with a byte order mark, or in any encoding its XML declaration names that
// golang.org/x/text knows (windows-1256, ISO-8859-6, ...).
func readTBX(raw []byte, name string) (*File, error) {
	f := &File{Name: name, Format: FormatTBX}
	x := arabic.NewXMLReader(bytes.NewReader(raw))
	p := &tbxReader{x: x, f: f, seen: f.rowIndex(0), others: make(map[string]int)}
	err := p.run()
	f.Encoding = x.Encoding()
	if err != nil {
		line, reason := x.Problem(err)
		var te *arabic.TextError
		if errors.As(reason, &te) { // a file that cannot be decoded, as ReadCSV refuses one
			te = te.In(name)
			te.Line = line
			return nil, fileTextError{te}
		}
		return nil, newImportError(name, []RowError{{File: name, Line: line, Reason: reason.Error()}})
	}
	p.finish()
	return f, nil
}

// tbxReader walks the elements of a TBX file and reads each entry into a row.
type tbxReader struct {
	x         *arabic.XMLReader
	f         *File
	seen      map[string]int // normalized Arabic → index into f.Rows
	noArabic  int            // entries without an Arabic term
	others    map[string]int // terms in other languages, by language
	anyPOS    bool           // some term has a part of speech: the file speaks to the type
	anyDNT    bool           // some entry says whether it is to be translated
	anyNotes  bool
	anyVar    bool
	anyAlt    bool
	anyForbid bool
}

// run reads the root element and every entry.
func (p *tbxReader) run() error {
	root, err := p.x.Root()
	if err != nil {
		return err
	}
	if err := p.rootElement(root); err != nil {
		return err
	}
	for {
		tok, err := p.x.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "termEntry", "conceptEntry":
			line, _ := p.x.InputPos()
			n, err := readNode(p.x, se)
			if err != nil {
				return err
			}
			p.entry(line, n)
		}
	}
}

// rootElement checks that the document is TBX and notes its version for the dialect.
func (p *tbxReader) rootElement(se xml.StartElement) error {
	switch se.Name.Local {
	case "martif":
		p.f.Dialect = "TBX v2 (martif)"
		return nil
	case "tbx":
		dialect := attrValue(se.Attr, "type")
		if dialect == "" {
			dialect = "tbx"
		}
		p.f.Dialect = "TBX v3 (" + dialect + ")"
		return nil
	case "tmx":
		return errors.New("this is a TMX translation memory, not a glossary")
	case "xliff":
		return errors.New("this is an XLIFF bilingual file, not a glossary")
	}
	return fmt.Errorf("the root element is <%s>; a TBX file starts with <martif> (TBX v2) or <tbx> (TBX v3)", se.Name.Local)
}

// finish completes the file: which fields it spoke to, and what it left out.
func (p *tbxReader) finish() {
	f := p.f
	f.Present[colArabic], f.Present[colEnglish] = true, true
	f.Present[colType] = p.anyPOS
	f.Present[colDoNotTranslate] = p.anyDNT
	f.Present[colNote] = p.anyNotes
	f.Present[colVariants] = p.anyVar
	f.Present[colAlternatives] = p.anyAlt
	f.Present[colForbidden] = p.anyForbid
	if p.noArabic > 0 {
		entries := "entries"
		if p.noArabic == 1 {
			entries = "entry"
		}
		f.Ignored = append(f.Ignored, fmt.Sprintf("%d %s without an Arabic term", p.noArabic, entries))
	}
	langs := make([]string, 0, len(p.others))
	for l := range p.others {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		terms := "terms"
		if p.others[l] == 1 {
			terms = "term"
		}
		f.Ignored = append(f.Ignored, fmt.Sprintf("language %s (%d %s)", l, p.others[l], terms))
	}
}

// node is an element of a TBX entry with its attributes, children and text.
type node struct {
	name  string
	attrs []xml.Attr
	kids  []*node
	text  string // all the character data inside, children's included, in document order
}

// readNode reads the element that start opened, up to its end, into a tree.
func readNode(d *arabic.XMLReader, start xml.StartElement) (*node, error) {
	root := &node{name: start.Name.Local, attrs: start.Attr}
	stack := []*node{root}
	texts := []*strings.Builder{{}}
	for len(stack) > 0 {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("the file ends inside <%s>", stack[len(stack)-1].name)
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: t.Attr}
			stack[len(stack)-1].kids = append(stack[len(stack)-1].kids, n)
			stack = append(stack, n)
			texts = append(texts, &strings.Builder{})
		case xml.CharData:
			texts[len(texts)-1].Write(t)
		case xml.EndElement:
			n, b := stack[len(stack)-1], texts[len(texts)-1]
			n.text = b.String()
			stack, texts = stack[:len(stack)-1], texts[:len(texts)-1]
			if len(texts) > 0 {
				texts[len(texts)-1].WriteString(n.text)
			}
		}
	}
	return root, nil
}

func attrValue(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// Term statuses in an entry, from its administrativeStatus or normativeAuthorization.
const (
	statusNone = iota
	statusPreferred
	statusAdmitted
	statusForbidden
)

// primarySubtag is the language of a language tag, lower-cased: fr for fr-FR.
func primarySubtag(tag string) string {
	if l, ok := arabic.Language(tag); ok {
		return l
	}
	if tag = strings.TrimSpace(tag); tag != "" {
		return strings.ToLower(tag)
	}
	return "(no language)"
}

// tbxStatus reads a status value of TBX v2 or v3, with or without the -admn-sts suffix.
func tbxStatus(v string) int {
	v = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "-admn-sts")
	switch v {
	case "preferredterm", "preferred", "standardizedterm", "legalterm", "regulatedterm":
		return statusPreferred
	case "admittedterm", "admitted":
		return statusAdmitted
	case "deprecatedterm", "deprecated", "supersededterm", "superseded", "forbidden", "obsolete":
		return statusForbidden
	}
	return statusNone
}

// entryTerm is one term of an entry.
type entryTerm struct {
	lang   column // colArabic, colEnglish or colIgnored
	text   string
	status int
	name   bool // a name-like part of speech
}

// entryNotes gathers the note of an entry: definitions and notes, each once, in order.
type entryNotes []string

func (n *entryNotes) add(s string) {
	s = strings.TrimSpace(s)
	if s != "" && !slices.Contains(*n, s) {
		*n = append(*n, s)
	}
}

// entry reads one termEntry or conceptEntry that starts on line.
func (p *tbxReader) entry(line int, e *node) {
	var (
		terms []*entryTerm
		notes entryNotes
		dnt   bool
	)
	var walk func(n *node, lang string, cur *entryTerm)
	walk = func(n *node, lang string, cur *entryTerm) {
		switch n.name {
		case "langSet", "langSec":
			lang = attrValue(n.attrs, "lang")
		case "tig", "ntig", "termSec":
			l, ok := language(lang)
			if !ok {
				l = colIgnored
			}
			cur = &entryTerm{lang: l}
			terms = append(terms, cur)
			if l == colIgnored {
				p.others[primarySubtag(lang)]++
			}
		case "term":
			if cur != nil && cur.text == "" {
				cur.text = n.text
			}
			return
		}
		other := false
		if lang != "" {
			l, ok := language(lang)
			other = !ok || l == colIgnored
		}
		kind := n.name
		if t := attrValue(n.attrs, "type"); t != "" && (n.name == "termNote" || n.name == "descrip" || n.name == "admin") {
			kind = t
		}
		switch strings.ToLower(strings.ReplaceAll(kind, " ", "")) {
		case "administrativestatus", "normativeauthorization":
			if cur != nil {
				if s := tbxStatus(n.text); s != statusNone {
					cur.status = s
				}
			}
			return
		case "partofspeech":
			p.anyPOS = true
			if cur != nil && nameLike(n.text) {
				cur.name = true
			}
			return
		case "translationneeded", "translationnote":
			p.anyDNT = true
			if strings.EqualFold(strings.TrimSpace(n.text), "no") {
				dnt = true
			}
			return
		case "note", "definition", "explanation", "usagenote", "descrip":
			if !other {
				notes.add(n.text)
			}
			return
		}
		for _, k := range n.kids {
			walk(k, lang, cur)
		}
	}
	for _, k := range e.kids {
		walk(k, "", nil)
	}

	var ar, en []*entryTerm
	for _, t := range terms {
		t.text = strings.TrimSpace(t.text)
		if t.text == "" {
			continue
		}
		switch t.lang {
		case colArabic:
			ar = append(ar, t)
		case colEnglish:
			en = append(en, t)
		}
	}
	what := e.name
	if id := attrValue(e.attrs, "id"); id != "" {
		what += " " + strconv.Quote(id)
	}
	if len(ar) == 0 {
		p.noArabic++
		return
	}
	var t Term
	head := pick(ar, func(*entryTerm) bool { return true })
	t.Arabic = head.text
	for _, a := range ar {
		if a != head {
			t.Variants = append(t.Variants, a.text)
		}
	}
	english := pick(en, func(x *entryTerm) bool { return x.status != statusForbidden })
	for _, x := range en {
		switch {
		case x == english:
		case x.status == statusForbidden:
			t.Forbidden = append(t.Forbidden, x.text)
		default:
			t.Alternatives = append(t.Alternatives, x.text)
		}
	}
	t.Type = TypeTerm
	for _, x := range terms {
		if x.name && x.lang != colIgnored {
			t.Type = TypeName
		}
	}
	t.Note = strings.Join(notes, "\n")
	t.DoNotTranslate = dnt
	p.anyVar = p.anyVar || len(t.Variants) > 0
	p.anyAlt = p.anyAlt || len(t.Alternatives) > 0
	p.anyForbid = p.anyForbid || len(t.Forbidden) > 0
	p.anyNotes = p.anyNotes || t.Note != ""
	norm := rowNorm(t.Arabic)
	if english == nil {
		reason := what + " has no English term"
		if len(en) > 0 {
			reason = what + " has no English term that is not deprecated: " + strings.Join(t.Forbidden, ", ")
		}
		p.f.bad(line, "english", reason, norm)
		return
	}
	t.English = english.text
	before := len(p.f.Bad)
	norm, ok := p.f.valid(line, &t, norm)
	if !ok {
		p.f.Bad[before].Reason = what + ": " + p.f.Bad[before].Reason
		return
	}
	p.f.keep(p.seen, line, norm, t)
}

// pick is the first preferred term among those ok accepts, or else the first it accepts.
func pick(terms []*entryTerm, ok func(*entryTerm) bool) *entryTerm {
	var first *entryTerm
	for _, t := range terms {
		if !ok(t) {
			continue
		}
		if t.status == statusPreferred {
			return t
		}
		if first == nil {
			first = t
		}
	}
	return first
}

// tbxTermWriter writes terms as TBX-Basic v3 concept entries.
type tbxTermWriter struct {
	w *bufio.Writer
	n int
}

// newTBXTermWriter writes the TBX-Basic v3 header. The xml-model instructions name the
// dialect's published schemas for validators; nothing here fetches them.
func newTBXTermWriter(w io.Writer) (*tbxTermWriter, error) {
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="` + tbxNamespace + `">
  <tbxHeader>
    <fileDesc>
      <sourceDesc>
        <p>Tarjama glossary, Arabic to English</p>
      </sourceDesc>
    </fileDesc>
  </tbxHeader>
  <text>
    <body>
`)
	return &tbxTermWriter{w: bw}, nil
}

func (w *tbxTermWriter) write(t *Term) error {
	w.n++
	id := "n" + strconv.Itoa(w.n)
	if t.ID > 0 {
		id = "t" + strconv.FormatInt(t.ID, 10)
	}
	b := w.w
	b.WriteString(`      <conceptEntry id="` + id + `">` + "\n")
	if t.DoNotTranslate {
		// Not a TBX-Basic data category: Weblate's, which reads it as an untranslatable term.
		b.WriteString(`        <descrip type="Translation needed">No</descrip>` + "\n")
	}
	if t.Note != "" {
		w.element(8, "note", "", t.Note)
	}
	pos := ""
	if t.Type == TypeName {
		pos = "properNoun"
	}
	b.WriteString(`        <langSec xml:lang="ar">` + "\n")
	w.termSec(t.Arabic, pos, tbxPreferred)
	for _, v := range t.Variants {
		w.termSec(v, pos, tbxAdmitted)
	}
	b.WriteString("        </langSec>\n")
	b.WriteString(`        <langSec xml:lang="en">` + "\n")
	w.termSec(t.English, pos, tbxPreferred)
	for _, a := range t.Alternatives {
		w.termSec(a, pos, tbxAdmitted)
	}
	for _, f := range t.Forbidden {
		w.termSec(f, pos, tbxDeprecated)
	}
	b.WriteString("        </langSec>\n")
	_, err := b.WriteString("      </conceptEntry>\n")
	return err
}

func (w *tbxTermWriter) termSec(term, pos, status string) {
	w.w.WriteString("          <termSec>\n")
	w.element(12, "term", "", term)
	if pos != "" {
		w.element(12, "termNote", "partOfSpeech", pos)
	}
	w.element(12, "termNote", "administrativeStatus", status)
	w.w.WriteString("          </termSec>\n")
}

// element writes <name type="typ">text</name> on a line of its own, indented.
func (w *tbxTermWriter) element(indent int, name, typ, text string) {
	b := w.w
	b.WriteString(strings.Repeat(" ", indent))
	b.WriteString("<" + name)
	if typ != "" {
		b.WriteString(` type="` + typ + `"`)
	}
	b.WriteByte('>')
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">\n")
}

func (w *tbxTermWriter) flush() error {
	w.w.WriteString("    </body>\n  </text>\n</tbx>\n")
	return w.w.Flush()
}

// WriteTBX writes terms, in the order given, as a TBX-Basic v3 document that Read reads
// back to the same terms: one conceptEntry per term, its Arabic preferred and its variants
// admitted in the Arabic langSec; its English preferred, its alternatives admitted and its
// forbidden renderings deprecated in the English one; partOfSpeech properNoun on names; the
// note as a note of the entry.
func WriteTBX(w io.Writer, terms []Term) error {
	return writeTerms(w, terms, func(w io.Writer) (termWriter, error) { return newTBXTermWriter(w) }, "TBX")
}
