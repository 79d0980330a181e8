package xliff

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// MaxFileBytes is the largest XLIFF file Read accepts: markup takes many times the room of the
// text it carries, and the article it makes must still fit translate.MaxArticleBytes.
const MaxFileBytes = 32 << 20

// maxDepth bounds how deeply elements may nest; no XLIFF file needs more.
const maxDepth = 256

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// node is an element with its attributes, the line it starts on, and its content in order:
// *node children and string character data.
type node struct {
	name     xml.Name
	attr     []xml.Attr
	line     int
	kids     []any
	preserve bool // xml:space="preserve" is in effect here
}

func (n *node) get(local string) string {
	for _, a := range n.attr {
		if a.Name.Local == local && (a.Name.Space == "" || a.Name.Space == n.name.Space) {
			return a.Value
		}
	}
	return ""
}

// parseTree reads a whole document into a tree, with arabic.XMLReader, the one reader of
// uploaded XML (see Read). A syntax error, an encoding it cannot decode, an entity the file
// does not declare or an external one is an *Error naming the line.
func parseTree(raw []byte, name string) (*node, error) {
	x := arabic.NewXMLReader(bytes.NewReader(raw))
	var root *node
	var stack []*node
	for {
		tok, err := x.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(x, name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := x.StartLine()
			n := &node{name: t.Name, attr: t.Attr, line: line}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				n.preserve = parent.preserve
				parent.kids = append(parent.kids, n)
			} else {
				root = n
			}
			for _, a := range t.Attr {
				if a.Name.Space == xmlNamespace && a.Name.Local == "space" {
					n.preserve = a.Value == "preserve"
				}
			}
			if stack = append(stack, n); len(stack) > maxDepth {
				return nil, &Error{File: name, Line: line, Reason: fmt.Sprintf("elements nested more than %d deep", maxDepth)}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, string(t))
			}
		}
	}
	if root == nil {
		return nil, &Error{File: name, Reason: "no root element: the file is empty or not XML"}
	}
	return root, nil
}

// xmlError is the *Error for a problem the XML reader met, at the line and for the reason its
// Problem gives; the reason stays reachable through errors.As, so a file in an encoding
// that cannot be decoded gives its *arabic.TextError and the CLI and the pages can say to
// save it as UTF-8.
func xmlError(x *arabic.XMLReader, name string, err error) *Error {
	line, reason := x.Problem(err)
	return &Error{File: name, Line: line, Reason: reason.Error(), Err: reason}
}

// Root names the root element of an XML document (its local name, e.g. "xliff", "tmx",
// "martif"), read with the same safety as Read; it reads no further than that element.
// Problems are *Error values naming the file (name) and the line.
func Root(raw []byte, name string) (string, error) {
	x := arabic.NewXMLReader(bytes.NewReader(raw))
	root, err := x.Root()
	if err != nil {
		return "", xmlError(x, name, err)
	}
	return root.Name.Local, nil
}

// Read reads an XLIFF 1.2 or 2.0 file (1.0, 1.1, 2.1 and 2.2 files alike), from Tarjama or
// from another tool, into its translatable units:
//
//   - 2.0: every <segment> of every <unit> (translate="no" ones, inherited from <file> or
//     <group>, left out); its state attribute is the unit's State.
//   - 1.2: every <trans-unit>, or, where its <seg-source> cuts it into <mrk mtype="seg">
//     segments, each of those with the target <mrk> of the same mid; the target's state
//     (and the unit's approved="yes") is the State.
//   - Inline codes are dropped and the text around them kept: 1.2 <g> and <mrk> keep their
//     text, <x/> <bx/> <ex/> go, and <ph> <bpt> <ept> <it> go with the native code inside;
//     2.0 <pc> and <mrk> keep their text, <ph/> <sc/> <ec/> <sm/> <em/> go, <cp/> is its
//     character. Outside xml:space="preserve", runs of white space become one space.
//   - Paragraphs: where units are cut into segments, each unit is a paragraph; otherwise
//     each innermost <group> is one; in a file with neither, each unit is one.
//   - A unit Tarjama wrote carries Meta (2.0: the Metadata module; 1.2: extradata), and
//     File.Article names the article; one Tarjama unit cut into segments by another tool
//     comes back whole.
//
// The XML is read by arabic.XMLReader, the one reader of uploaded XML, as TBX glossaries and
// TMX memories are: UTF-8, UTF-16 with a byte order mark, or any encoding the XML declaration
// names that golang.org/x/text knows; nothing is ever fetched (an external DTD is read past,
// an external entity refused where it is used); entities declared in the file's own DOCTYPE
// are expanded within a bound.
//
// The source language must be Arabic and the target language, when given, English, in any
// case and with any region. Problems are *Error values naming the file, line and element.
func Read(r io.Reader, name string) (*File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(raw) > MaxFileBytes {
		return nil, &Error{File: name, Reason: fmt.Sprintf("larger than %d MiB", MaxFileBytes>>20)}
	}
	root, err := parseTree(raw, name)
	if err != nil {
		return nil, err
	}
	if root.name.Local != "xliff" {
		return nil, &Error{File: name, Line: root.line, Reason: fmt.Sprintf("the root element is <%s>, not <xliff>: this is not an XLIFF file", root.name.Local)}
	}
	rd := &reader{f: &File{Name: name}, ns: root.name.Space}
	version := strings.TrimSpace(root.get("version"))
	if strings.HasPrefix(version, "2") || version == "" && strings.HasPrefix(root.name.Space, "urn:oasis:names:tc:xliff:document:2") {
		rd.f.Version = "2.0"
		err = rd.read20(root)
	} else {
		rd.f.Version = "1.2"
		err = rd.read12(root)
	}
	if err != nil {
		return nil, err
	}
	if err := rd.finish(); err != nil {
		return nil, err
	}
	return rd.f, nil
}

// reader walks one document.
type reader struct {
	f   *File
	ns  string // the namespace of the document's XLIFF elements
	raw []rawUnit
}

// rawUnit is a unit before paragraphs are assigned: the elements that decide them.
type rawUnit struct {
	Unit
	file, group, unit *node
	parts             int // how many segments the unit was cut into
}

// is reports whether n is the XLIFF element local.
func (rd *reader) is(n *node, local string) bool {
	return n.name.Local == local && n.name.Space == rd.ns
}

func (rd *reader) children(n *node, local string) []*node {
	var out []*node
	for _, k := range n.kids {
		if c, ok := k.(*node); ok && rd.is(c, local) {
			out = append(out, c)
		}
	}
	return out
}

func (rd *reader) child(n *node, local string) *node {
	if c := rd.children(n, local); len(c) > 0 {
		return c[0]
	}
	return nil
}

// errAt is an *Error about element n.
func (rd *reader) errAt(n *node, format string, args ...any) error {
	return &Error{File: rd.f.Name, Line: n.line, Element: describe(n), Reason: fmt.Sprintf(format, args...)}
}

// describe writes an element's start tag for messages, with the attribute that identifies it.
func describe(n *node) string {
	for _, key := range []string{"id", "original", "mid"} {
		if v := n.get(key); v != "" {
			return fmt.Sprintf("<%s %s=%q>", n.name.Local, key, v)
		}
	}
	return "<" + n.name.Local + ">"
}

// languages checks a file's language pair.
func (rd *reader) languages(n *node, src, trg string) error {
	if rd.f.SrcLang == "" {
		rd.f.SrcLang, rd.f.TrgLang = src, trg
	}
	pair := fmt.Sprintf("source language %q", src)
	if src == "" {
		pair = "no source language"
	}
	if trg != "" {
		pair += fmt.Sprintf(", target language %q", trg)
	}
	if !IsArabic(src) || trg != "" && !IsEnglish(trg) {
		return rd.errAt(n, "%s; Tarjama reads Arabic → English files", pair)
	}
	return nil
}

// translatable reads a translate attribute, inheriting the enclosing element's value.
func translatable(n *node, inherited bool) bool {
	switch n.get("translate") {
	case "no":
		return false
	case "yes":
		return true
	}
	return inherited
}

func (rd *reader) read20(root *node) error {
	files := rd.children(root, "file")
	if len(files) == 0 {
		return rd.errAt(root, "no <file>")
	}
	if err := rd.languages(root, root.get("srcLang"), root.get("trgLang")); err != nil {
		return err
	}
	for _, file := range files {
		if err := rd.walk(file, file, nil, translatable(file, true), "unit", rd.unit20); err != nil {
			return err
		}
	}
	return nil
}

// walk visits the units (elements named unit) under n in document order, through nested
// groups, giving each the innermost group around it and whether it is to be translated
// (translate attributes inherit).
func (rd *reader) walk(file, n, group *node, tr bool, unit string, visit func(file, group, u *node, tr bool) error) error {
	for _, k := range n.kids {
		c, ok := k.(*node)
		if !ok {
			continue
		}
		var err error
		switch {
		case rd.is(c, "group"):
			err = rd.walk(file, c, c, translatable(c, tr), unit, visit)
		case rd.is(c, unit):
			err = visit(file, group, c, translatable(c, tr))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (rd *reader) unit20(file, group, u *node, tr bool) error {
	if !tr {
		rd.f.Skipped++
		return nil
	}
	m, err := rd.meta20(u)
	if err != nil {
		return err
	}
	segs := rd.children(u, "segment")
	if len(segs) == 0 {
		return rd.errAt(u, "no <segment>")
	}
	for i, s := range segs {
		src := rd.child(s, "source")
		if src == nil {
			return rd.errAt(s, "no <source> in %s", describe(u))
		}
		ru := rawUnit{Unit: Unit{Line: s.line, ID: u.get("id"), Source: rd.text(src), State: state20(s.get("state")), Meta: m},
			file: file, group: group, unit: u, parts: len(segs)}
		if len(segs) > 1 {
			ru.Part = s.get("id")
			if ru.Part == "" {
				ru.Part = strconv.Itoa(i + 1)
			}
		}
		if tgt := rd.child(s, "target"); tgt != nil {
			ru.Target = rd.text(tgt)
		}
		rd.add(ru)
	}
	return nil
}

// state20 maps a 2.0 segment state; a segment without one is initial.
func state20(s string) State {
	switch s {
	case "translated":
		return StateTranslated
	case "reviewed":
		return StateReviewed
	case "final":
		return StateFinal
	}
	return StateInitial
}

// meta20 reads Tarjama's values from a unit's Metadata module, if it has them.
func (rd *reader) meta20(u *node) (*Meta, error) {
	for _, k := range u.kids {
		md, ok := k.(*node)
		if !ok || md.name.Space != NamespaceMetadata || md.name.Local != "metadata" {
			continue
		}
		for _, g := range md.kids {
			grp, ok := g.(*node)
			if !ok || grp.name.Local != "metaGroup" || grp.get("category") != metaCategory {
				continue
			}
			vals := map[string]string{}
			for _, v := range grp.kids {
				if mv, ok := v.(*node); ok && mv.name.Local == "meta" {
					vals[mv.get("type")] = strings.TrimSpace(plain(mv))
				}
			}
			return rd.parseMeta(u, vals)
		}
	}
	return nil, nil
}

// plain is all the character data inside n.
func plain(n *node) string {
	var b strings.Builder
	for _, k := range n.kids {
		switch c := k.(type) {
		case string:
			b.WriteString(c)
		case *node:
			b.WriteString(plain(c))
		}
	}
	return b.String()
}

// parseMeta checks the values of Meta, as either version records them.
func (rd *reader) parseMeta(u *node, vals map[string]string) (*Meta, error) {
	var m Meta
	var err error
	if m.Article, err = strconv.ParseInt(vals["article"], 10, 64); err != nil || m.Article <= 0 {
		return nil, rd.errAt(u, "Tarjama's record of the unit has no valid article (%q)", vals["article"])
	}
	if m.Segment, err = strconv.ParseInt(vals["segment"], 10, 64); err != nil || m.Segment <= 0 {
		return nil, rd.errAt(u, "Tarjama's record of the unit has no valid segment (%q)", vals["segment"])
	}
	if m.Version, err = strconv.Atoi(vals["version"]); err != nil || m.Version < 0 {
		return nil, rd.errAt(u, "Tarjama's record of the unit has no valid version (%q)", vals["version"])
	}
	m.Target = vals["target"]
	return &m, nil
}

func (rd *reader) read12(root *node) error {
	files := rd.children(root, "file")
	if len(files) == 0 {
		return rd.errAt(root, "no <file>")
	}
	for _, file := range files {
		if err := rd.languages(file, file.get("source-language"), file.get("target-language")); err != nil {
			return err
		}
		if rd.f.Tool == "" {
			if h := rd.child(file, "header"); h != nil {
				if t := rd.child(h, "tool"); t != nil {
					rd.f.Tool = t.get("tool-name")
				}
			}
		}
		body := rd.child(file, "body")
		if body == nil {
			return rd.errAt(file, "no <body>")
		}
		if err := rd.walk(file, body, nil, true, "trans-unit", rd.unit12); err != nil {
			return err
		}
	}
	return nil
}

func (rd *reader) unit12(file, group, u *node, tr bool) error {
	if !tr {
		rd.f.Skipped++
		return nil
	}
	var m *Meta
	if x, ok := strings.CutPrefix(u.get("extradata"), metaCategory+" "); ok {
		vals := map[string]string{}
		for _, f := range strings.Fields(x) {
			k, v, _ := strings.Cut(f, "=")
			vals[k] = v
		}
		var err error
		if m, err = rd.parseMeta(u, vals); err != nil {
			return err
		}
	}
	src := rd.child(u, "source")
	if src == nil {
		return rd.errAt(u, "no <source>")
	}
	tgt := rd.child(u, "target")
	st := StateNone
	if tgt != nil {
		st = state12(tgt.get("state"))
	}
	if u.get("approved") == "yes" {
		st = StateFinal
	}
	base := rawUnit{Unit: Unit{Line: u.line, ID: u.get("id"), State: st, Meta: m}, file: file, group: group, unit: u, parts: 1}
	var srcSegs, tgtSegs []*node
	if ss := rd.child(u, "seg-source"); ss != nil {
		srcSegs = rd.segMarks(ss, nil)
	}
	if tgt != nil {
		tgtSegs = rd.segMarks(tgt, nil)
	}
	// A target not cut like its seg-source cannot be shared out among the segments: the unit
	// is then read whole.
	if len(srcSegs) == 0 || len(srcSegs) > 1 && len(tgtSegs) == 0 && tgt != nil && strings.TrimSpace(rd.text(tgt)) != "" {
		base.Source = rd.text(src)
		if tgt != nil {
			base.Target = rd.text(tgt)
		}
		rd.add(base)
		return nil
	}
	byMid := map[string]*node{}
	for _, t := range tgtSegs {
		byMid[t.get("mid")] = t
	}
	for _, s := range srcSegs {
		ru := base
		ru.Line, ru.parts, ru.Source = s.line, len(srcSegs), rd.text(s)
		if len(srcSegs) > 1 {
			ru.Part = s.get("mid")
		}
		switch t := byMid[s.get("mid")]; {
		case t != nil:
			ru.Target = rd.text(t)
		case len(srcSegs) == 1 && tgt != nil:
			ru.Target = rd.text(tgt)
		}
		rd.add(ru)
	}
	return nil
}

// state12 maps a 1.2 target state; x- values and none say nothing.
func state12(s string) State {
	switch s {
	case "final", "signed-off":
		return StateFinal
	case "translated":
		return StateTranslated
	case "new", "needs-translation":
		return StateInitial
	case "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n", "needs-review-translation":
		return StateNeedsReview
	}
	return StateNone
}

// segMarks finds the <mrk mtype="seg"> elements under n, in order, at any depth (Trados puts
// them inside <g>), without looking inside one.
func (rd *reader) segMarks(n *node, out []*node) []*node {
	for _, k := range n.kids {
		c, ok := k.(*node)
		if !ok {
			continue
		}
		if rd.is(c, "mrk") && c.get("mtype") == "seg" {
			out = append(out, c)
			continue
		}
		out = rd.segMarks(c, out)
	}
	return out
}

// dropped are the inline elements whose content is not text: codes, and the native code of
// 1.2's <ph> <bpt> <ept> <it>.
var dropped = map[string]bool{
	"x": true, "bx": true, "ex": true, "ph": true, "bpt": true, "ept": true, "it": true,
	"sc": true, "ec": true, "sm": true, "em": true,
}

// text is the plain text of a <source>, <target> or segment marker: inline codes dropped
// (see Read), white space collapsed outside xml:space="preserve", and trimmed.
func (rd *reader) text(n *node) string {
	var b strings.Builder
	rd.appendText(&b, n)
	s := b.String()
	if !n.preserve {
		s = strings.Join(strings.FieldsFunc(s, isXMLSpace), " ")
	}
	return strings.TrimSpace(s)
}

func (rd *reader) appendText(b *strings.Builder, n *node) {
	for _, k := range n.kids {
		switch c := k.(type) {
		case string:
			b.WriteString(c)
		case *node:
			switch {
			case c.name.Space == rd.ns && dropped[c.name.Local]:
			case c.name.Space == rd.ns && c.name.Local == "cp":
				if v, err := strconv.ParseUint(c.get("hex"), 16, 32); err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
				}
			default:
				rd.appendText(b, c)
			}
		}
	}
}

func isXMLSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// add keeps a unit that has text, and counts one without.
func (rd *reader) add(ru rawUnit) {
	if ru.Source == "" {
		rd.f.Skipped++
		return
	}
	ru.HasTarget = ru.Target != ""
	rd.raw = append(rd.raw, ru)
}

// finish checks Tarjama's records, puts back together a Tarjama unit another tool cut into
// segments, and assigns the paragraphs.
func (rd *reader) finish() error {
	f := rd.f
	var first *rawUnit
	for i := range rd.raw {
		ru := &rd.raw[i]
		if ru.Meta == nil {
			continue
		}
		if first == nil {
			first = ru
		} else if ru.Meta.Article != first.Meta.Article {
			return rd.errAt(ru.unit, "exported from article %d, but %s from article %d; export each article to its own file",
				ru.Meta.Article, first.Label(), first.Meta.Article)
		}
	}
	if first != nil {
		f.Article = first.Meta.Article
		for i := range rd.raw {
			if rd.raw[i].Meta == nil {
				return rd.errAt(rd.raw[i].unit, "has no Tarjama segment record, though the file is an export of article %d; was it added by another tool?", f.Article)
			}
		}
		rd.raw = mergeParts(rd.raw)
	}
	if len(rd.raw) == 0 {
		return &Error{File: f.Name, Reason: "no unit to translate: every unit is empty or marked translate=\"no\""}
	}
	segmented, grouped := false, false
	for _, ru := range rd.raw {
		segmented = segmented || ru.parts > 1
		grouped = grouped || ru.group != nil
	}
	key := func(ru rawUnit) *node {
		if !segmented && grouped && ru.group != nil {
			return ru.group
		}
		return ru.unit
	}
	para := 0
	for i, ru := range rd.raw {
		if i > 0 && (key(ru) != key(rd.raw[i-1]) || ru.file != rd.raw[i-1].file) {
			para++
		}
		ru.Paragraph = para
		f.Units = append(f.Units, ru.Unit)
	}
	return nil
}

// mergeParts joins the segments another tool cut one Tarjama unit into: sources and targets
// with a space, the state the least advanced of them.
func mergeParts(in []rawUnit) []rawUnit {
	var out []rawUnit
	for _, ru := range in {
		if n := len(out); n > 0 && ru.unit == out[n-1].unit {
			last := &out[n-1]
			last.Source += " " + ru.Source
			last.Target = strings.TrimSpace(last.Target + " " + ru.Target)
			last.HasTarget = last.Target != ""
			last.State = min(last.State, ru.State)
			continue
		}
		ru.Part, ru.parts = "", 1
		out = append(out, ru)
	}
	return out
}
