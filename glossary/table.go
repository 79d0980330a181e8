package glossary

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// column is what a column of a table (a CSV or TSV file, a sheet) holds: a field of Term, or
// one of the kinds after colCount, which fill a field another way or none.
type column int

const (
	colArabic column = iota
	colEnglish
	colType
	colVariants
	colAlternatives
	colForbidden
	colNote
	colDoNotTranslate
	colCount

	colIgnored       // another column or another language: read past, named in File.Ignored
	colPartOfSpeech  // a part of speech; a name-like one makes the type name
	colForbiddenFlag // Matecat's Forbidden: TRUE makes the row's English a forbidden rendering
	colLanguage      // DeepL's export: the language of the row's first or second term
)

func (c column) String() string {
	switch {
	case c < colCount:
		return CSVColumns[c]
	case c == colPartOfSpeech:
		return "type (part of speech)"
	case c == colForbiddenFlag:
		return "forbidden flag"
	case c == colLanguage:
		return "language"
	}
	return "ignored"
}

// How a header named the Arabic or English column, for the dialect.
const (
	byName   = iota + 1 // arabic, english and the other canonical names
	bySource            // source/target, term/translation
	byCode              // a language code: ar, ar-SA, ara, en_GB, ...
)

var (
	headerSpaces = strings.NewReplacer(" ", "_", "-", "_")

	// headerAliases are the other names, found in other tools' files, of the columns a
	// header may have (keys lower-cased, spaces and hyphens as underscores).
	headerAliases = map[string]struct {
		c   column
		how int
	}{
		"source": {colArabic, bySource}, "term": {colArabic, bySource},
		"target": {colEnglish, bySource}, "translation": {colEnglish, bySource},
		"notes": {colNote, byName}, "comment": {colNote, byName}, "comments": {colNote, byName},
		"description": {colNote, byName}, "definition": {colNote, byName}, "explanation": {colNote, byName},
		"translator_comments": {colNote, byName}, "developer_comments": {colNote, byName},
		"pos": {colPartOfSpeech, byName}, "part_of_speech": {colPartOfSpeech, byName}, "partofspeech": {colPartOfSpeech, byName},
	}

	// notLanguages are short header words that the language-code pattern would take for one.
	notLanguages = map[string]bool{"id": true, "key": true, "url": true, "tag": true, "ref": true, "no": true, "nr": true, "num": true}
)

// language names the glossary side of a language code (primary subtag, any case, with or
// without a region: ar, AR, ar-SA, ar_SA, ara; en, en-US, en_GB, eng): colArabic,
// colEnglish, or colIgnored for another language; ok is false when code is not one.
func language(code string) (c column, ok bool) {
	code = strings.ToLower(strings.TrimSpace(code))
	l, ok := arabic.Language(code)
	if !ok || notLanguages[code] {
		return 0, false
	}
	switch l {
	case arabic.LangArabic:
		return colArabic, true
	case arabic.LangEnglish:
		return colEnglish, true
	}
	return colIgnored, true
}

// nameLike reports whether a part of speech says the term is a proper name (TBX's
// properNoun, Universal Dependencies' PROPN, or plain "name").
func nameLike(pos string) bool {
	switch strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(pos))) {
	case "propernoun", "propn", "name", "propername", "nounproper":
		return true
	}
	return false
}

// table reads the records of a CSV, TSV or sheet into a File: the first record decides the
// layout, every other one is a row.
type table struct {
	f        *File
	tab      bool // tab-separated: a header-less third column is a note (OmegaT)
	started  bool
	layout   []column // column index → what it holds
	swapped  []column // DeepL: the layout of a row whose first term is the English
	deepl    bool     // DeepL's export: columns 3 and 4 name the languages of 1 and 2
	bare     bool     // no header: the columns are known by their place
	noteSeen bool     // a header-less row had a third (note) column
	dialect  string
	seen     map[string]int // normalized Arabic → index into f.Rows
	flagged  []flaggedRow
	pairs    map[string]int // DeepL rows of another language pair, by pair
}

// flaggedRow is a row whose Forbidden cell is TRUE: its English is a rendering the term with
// its Arabic must not use. It goes to that term once every row is read.
type flaggedRow struct {
	line                        int
	norm, arabic, english, note string
}

// newTable makes the table that fills f; the capacity of f.Rows, when the reader guessed the
// number of rows, sizes its index of them.
func newTable(f *File, tab bool) *table {
	return &table{f: f, tab: tab, seen: f.rowIndex(cap(f.Rows))}
}

// record takes one record: the first decides the layout (a header, or data in a known
// place), the others are rows. An error stops the whole file.
func (tb *table) record(line int, rec []string) error {
	if !tb.started {
		tb.started = true
		isHeader, herr := tb.header(rec)
		if herr != nil {
			herr.File, herr.Line = tb.f.Name, line
			return newImportError(tb.f.Name, []RowError{*herr})
		}
		if isHeader {
			return nil
		}
	}
	if blankRecord(rec) {
		return nil
	}
	tb.add(line, rec)
	return nil
}

// finish gives the flagged rows' English to their terms and completes the dialect with how
// the records were separated (e.g. "comma (sep= line)").
func (tb *table) finish(how string) {
	f := tb.f
	bad := len(f.Bad)
	for _, fr := range tb.flagged {
		fail := func(reason string) {
			f.Bad = append(f.Bad, RowError{File: f.Name, Line: fr.line, Field: "forbidden", Reason: reason, norm: fr.norm})
		}
		i, ok := tb.seen[fr.norm]
		if !ok {
			fail(fmt.Sprintf("%q is marked forbidden, but no row gives %q an English to use instead", fr.english, fr.arabic))
			continue
		}
		t := &f.Rows[i].Term
		// The note of a forbidden rendering says why it is one: it stays, beside it.
		note := t.Note
		if fr.note != "" {
			note = joinNote(note, fr.english+": "+fr.note)
		}
		switch {
		case strings.EqualFold(t.English, fr.english):
			fail(fmt.Sprintf("line %d gives %q as the English of %q; it cannot be forbidden too", f.Rows[i].Line, fr.english, fr.arabic))
		case slices.Contains(t.Forbidden, fr.english):
		case len(t.Forbidden) >= maxListItems:
			fail(fmt.Sprintf("%q has more than %d forbidden renderings", fr.arabic, maxListItems))
		case len([]rune(note)) > maxNoteLen:
			fail(fmt.Sprintf("the note of %q would be longer than %d characters", fr.arabic, maxNoteLen))
		default:
			t.Forbidden = append(t.Forbidden, fr.english)
			t.Note = note
		}
	}
	if len(f.Bad) > bad {
		slices.SortStableFunc(f.Bad, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	}
	pairs := make([]string, 0, len(tb.pairs))
	for p := range tb.pairs {
		pairs = append(pairs, p)
	}
	slices.Sort(pairs)
	for _, p := range pairs {
		f.Ignored = append(f.Ignored, fmt.Sprintf("%s in %s (another language pair)", rowCount(tb.pairs[p]), p))
	}
	if tb.bare && tb.noteSeen {
		f.Present[colNote] = true
		tb.dialect = "three columns (Arabic, English, note), no header"
	}
	f.Dialect = tb.dialect + ", " + how
}

// header decides whether the first record is a header and what each column holds.
//
// Without a header: DeepL's export (term, term, language, language and, from its glossary
// generator, a relevance), told by the two language codes; otherwise a first record with
// Arabic letters is data (headers are written in Latin letters), read as Arabic, English and,
// in a tab-separated file, a note (OmegaT's comment column).
//
// A header names its columns in any case and order (spaces, hyphens and underscores alike):
// the canonical names; language codes (see language); source/target and term/translation
// (Arabic → English); note-like names (notes, comment, description, definition,
// translator_comments, ...), several of which are joined into the note; pos or
// part_of_speech, a name-like one making the type name; and Matecat's Forbidden, a TRUE/FALSE
// flag when the languages are named by code. Other columns and languages are ignored and
// named in File.Ignored.
func (tb *table) header(rec []string) (isHeader bool, herr *RowError) {
	cells := trimAll(rec)
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	if isDeepL(cells) {
		tb.deepl = true
		tb.layout = []column{colArabic, colEnglish, colLanguage, colLanguage, colIgnored}
		tb.swapped = []column{colEnglish, colArabic, colLanguage, colLanguage, colIgnored}
		tb.f.Present[colArabic], tb.f.Present[colEnglish] = true, true
		isHeader = headerWord(cells[0]) && headerWord(cells[1])
		tb.dialect = "DeepL export (term, term, language, language), no header"
		if isHeader {
			tb.dialect = "DeepL export, header " + strings.Join(cells, ",")
		}
		if len(cells) == 5 {
			tb.f.Ignored = append(tb.f.Ignored, "column 5 (the DeepL glossary generator's relevance)")
		}
		return isHeader, nil
	}
	for _, cell := range cells {
		if arabic.HasScriptLetter(cell) {
			tb.bare = true
			tb.layout = []column{colArabic, colEnglish}
			if tb.tab {
				tb.layout = append(tb.layout, colNote)
			}
			tb.f.Present[colArabic], tb.f.Present[colEnglish] = true, true
			tb.dialect = "two columns, no header"
			return false, nil
		}
	}
	return true, tb.namedColumns(cells)
}

// isDeepL reports whether a first record is DeepL's export layout: four or five cells, the
// third and fourth the codes of Arabic and English (either way round), and the first two an
// Arabic and an English term or, in a header, the names of term columns (source, target).
func isDeepL(cells []string) bool {
	if len(cells) != 4 && len(cells) != 5 {
		return false
	}
	first, _ := language(cells[2])
	second, _ := language(cells[3])
	if !(first == colArabic && second == colEnglish || first == colEnglish && second == colArabic) {
		return false
	}
	return arabic.HasScriptLetter(cells[0]) || arabic.HasScriptLetter(cells[1]) || headerWord(cells[0]) && headerWord(cells[1])
}

// headerWord reports whether cell names an Arabic or English term column.
func headerWord(cell string) bool {
	name := headerSpaces.Replace(strings.ToLower(cell))
	if name == "arabic" || name == "english" {
		return true
	}
	a, ok := headerAliases[name]
	return ok && (a.c == colArabic || a.c == colEnglish)
}

// namedColumns reads a header row: see header.
func (tb *table) namedColumns(cells []string) *RowError {
	var (
		f       = tb.f
		layout  = make([]column, len(cells))
		used    = make(map[column]int) // column → index of the cell that names it
		how     = make(map[column]int)
		ignored []string
	)
	for i, raw := range cells {
		key := strings.ToLower(raw)
		name := headerSpaces.Replace(key)
		c, h, ok := columnNamed(name)
		if !ok {
			layout[i] = colIgnored
			_, isLang := language(key)
			switch {
			case raw == "":
				ignored = append(ignored, fmt.Sprintf("column %d (no name)", i+1))
			case isLang:
				ignored = append(ignored, fmt.Sprintf("column %q (another language)", raw))
			default:
				ignored = append(ignored, fmt.Sprintf("column %q", raw))
			}
			continue
		}
		layout[i] = c
		if c == colNote { // Matecat has a Definition and a Notes column per language
			used[c] = i
			continue
		}
		if prev, dup := used[c]; dup {
			return &RowError{Field: "header", Reason: fmt.Sprintf("columns %q and %q both give the %s", cells[prev], raw, c)}
		}
		used[c], how[c] = i, h
	}
	if i, ok := used[colPartOfSpeech]; ok {
		if _, typed := used[colType]; typed {
			layout[i] = colIgnored
			ignored = append(ignored, fmt.Sprintf("column %q (the type column gives the type)", cells[i]))
			delete(used, colPartOfSpeech)
		}
	}
	if i, ok := used[colForbidden]; ok && how[colArabic] == byCode {
		layout[i] = colForbiddenFlag
	}
	for _, need := range []column{colArabic, colEnglish} {
		if _, ok := used[need]; !ok {
			return &RowError{Field: "header", Reason: fmt.Sprintf("no %s column; name it %s", need, columnHint[need])}
		}
	}
	var recognized, labels []string
	codesOnly, sourceOnly := true, true
	for i, c := range layout {
		switch c {
		case colIgnored:
			continue
		case colPartOfSpeech:
			f.Present[colType] = true
		case colForbiddenFlag:
			f.Present[colForbidden] = true
		default:
			f.Present[c] = true
		}
		recognized = append(recognized, cells[i])
		labels = append(labels, c.String())
		codesOnly = codesOnly && (c == colArabic || c == colEnglish) && how[c] == byCode
		sourceOnly = sourceOnly && (c == colArabic || c == colEnglish) && how[c] == bySource
	}
	switch {
	case codesOnly:
		tb.dialect = "language codes " + strings.Join(recognized, ",")
	case sourceOnly:
		tb.dialect = "header " + strings.Join(recognized, ",")
	case len(ignored) == 0 && len(layout) == len(CSVColumns) && isCanonicalOrder(layout):
		tb.dialect = "canonical header"
	default:
		tb.dialect = "header " + strings.Join(labels, ",")
	}
	tb.layout = layout
	f.Ignored = append(f.Ignored, ignored...)
	return nil
}

// columnHint says how a header may name the Arabic or the English column.
var columnHint = map[column]string{
	colArabic:  "arabic, ar (ar-SA, ara, ...), source or term",
	colEnglish: "english, en (en-US, eng, ...), target or translation",
}

// columnNamed finds the column a header name (lower-cased, with underscores) gives.
func columnNamed(name string) (c column, how int, ok bool) {
	for i, n := range CSVColumns {
		if n == name {
			return column(i), byName, true
		}
	}
	if a, ok := headerAliases[name]; ok {
		return a.c, a.how, true
	}
	if l, ok := language(name); ok && l != colIgnored {
		return l, byCode, true
	}
	return 0, 0, false
}

func isCanonicalOrder(layout []column) bool {
	for i, c := range layout {
		if int(c) != i {
			return false
		}
	}
	return true
}

func trimAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// add turns one data record into a good row, a merged duplicate, a flagged row or a bad row.
func (tb *table) add(line int, rec []string) {
	f, layout := tb.f, tb.layout
	if tb.deepl {
		var ok bool
		if layout, ok = tb.deeplLayout(line, rec); !ok {
			return
		}
	}
	// The key is known before validation so that even a bad row's term can be named.
	var norm string
	for i, c := range layout {
		if c == colArabic && i < len(rec) {
			norm = rowNorm(rec[i])
		}
	}
	bad := func(field, reason string) { f.bad(line, field, reason, norm) }
	if len(rec) > len(layout) {
		// Trailing empty cells are what spreadsheets leave behind; anything else is a mistake.
		for _, extra := range rec[len(layout):] {
			if strings.TrimSpace(extra) != "" {
				bad("", fmt.Sprintf("too many columns: %d, want at most %d", len(rec), len(layout)))
				return
			}
		}
	}
	var (
		t         Term
		forbidden bool
	)
	for i, c := range layout {
		if i >= len(rec) {
			break
		}
		cell := rec[i]
		switch c {
		case colArabic:
			t.Arabic = cell
		case colEnglish:
			t.English = cell
		case colType:
			t.Type = TermType(cell)
		case colVariants:
			t.Variants = splitList(cell)
		case colAlternatives:
			t.Alternatives = splitList(cell)
		case colForbidden:
			t.Forbidden = splitList(cell)
		case colNote:
			t.Note = joinNote(t.Note, cell)
			if tb.bare {
				tb.noteSeen = true
			}
		case colDoNotTranslate:
			v, ok := parseBool(cell)
			if !ok {
				bad(c.String(), fmt.Sprintf("%q is not true or false", strings.TrimSpace(cell)))
				return
			}
			t.DoNotTranslate = v
		case colPartOfSpeech:
			if nameLike(cell) {
				t.Type = TypeName
			}
		case colForbiddenFlag:
			v, ok := parseBool(cell)
			if !ok {
				bad("forbidden", fmt.Sprintf("%q is not TRUE or FALSE", strings.TrimSpace(cell)))
				return
			}
			forbidden = v
		}
	}
	norm, ok := f.valid(line, &t, norm)
	if !ok {
		return
	}
	if forbidden {
		tb.flagged = append(tb.flagged, flaggedRow{line: line, norm: norm, arabic: t.Arabic, english: t.English, note: t.Note})
		return
	}
	f.keep(tb.seen, line, norm, t)
}

// rowNorm is the glossary key of a row's Arabic as written, known before the row is
// validated so that even a bad row's term can be named; "" when it has no Arabic letters.
func rowNorm(arabicCell string) string {
	arabicCell = strings.TrimSpace(arabicCell)
	if !arabic.HasScriptLetter(arabicCell) {
		return ""
	}
	return arabic.Normalize(arabicCell)
}

// bad records a bad row; norm is its rowNorm.
func (f *File) bad(line int, field, reason, norm string) {
	f.Bad = append(f.Bad, RowError{File: f.Name, Line: line, Field: field, Reason: reason, norm: norm})
}

// valid cleans and validates the term of the row at line, whose Arabic had the key norm as
// written, and returns the key of its cleaned Arabic; a term that fails is a bad row.
func (f *File) valid(line int, t *Term, norm string) (string, bool) {
	raw := t.Arabic
	prepareTerm(t)
	if err := t.Validate(); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			f.bad(line, fe.Field, fe.Reason, norm)
		} else {
			f.bad(line, "", err.Error(), norm)
		}
		return "", false
	}
	if t.Arabic != strings.TrimSpace(raw) || norm == "" {
		norm = arabic.Normalize(t.Arabic)
	}
	return norm, true
}

// keep adds a valid term as a row of f, unless an earlier row (seen: key → index into
// f.Rows) has the same Arabic: the same term again is a merged duplicate, a different one a
// bad row naming that line.
func (f *File) keep(seen map[string]int, line int, norm string, t Term) {
	if prev, dup := seen[norm]; dup {
		first := f.Rows[prev]
		diff := termDiff(first.Term, t)
		switch {
		case len(diff) == 0:
			f.Duplicates++
		case first.Term.English != t.English:
			f.bad(line, "english", fmt.Sprintf("line %d has the same Arabic (%q) with a different English: %q here, %q there",
				first.Line, first.Term.Arabic, t.English, first.Term.English), norm)
		default:
			f.bad(line, diff[0], fmt.Sprintf("line %d has the same Arabic (%q) with a different %s",
				first.Line, first.Term.Arabic, strings.Join(diff, ", ")), norm)
		}
		return
	}
	seen[norm] = len(f.Rows)
	f.Rows = append(f.Rows, Row{Line: line, Norm: norm, Term: t})
}

// deeplLayout reads the languages of a row of DeepL's export: the layout that puts its
// Arabic and English in place, or false when the row is of another language pair (counted)
// or has no language cells (a bad row).
func (tb *table) deeplLayout(line int, rec []string) ([]column, bool) {
	if len(rec) < 4 {
		tb.f.Bad = append(tb.f.Bad, RowError{File: tb.f.Name, Line: line, Reason: fmt.Sprintf(
			"%d columns, want 4 as in the rest of this DeepL export: term, term, language, language", len(rec))})
		return nil, false
	}
	first, _ := language(rec[2])
	second, _ := language(rec[3])
	switch {
	case first == colArabic && second == colEnglish:
		return tb.layout, true
	case first == colEnglish && second == colArabic:
		return tb.swapped, true
	}
	if tb.pairs == nil {
		tb.pairs = make(map[string]int)
	}
	tb.pairs[strings.TrimSpace(rec[2])+"→"+strings.TrimSpace(rec[3])]++
	return nil, false
}

// rowCount says "1 row" or "n rows".
func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// joinNote adds one more note-like cell to a note, a line apart.
func joinNote(note, cell string) string {
	switch {
	case strings.TrimSpace(cell) == "":
		return note
	case strings.TrimSpace(note) == "":
		return cell
	}
	return strings.TrimSpace(note) + "\n" + strings.TrimSpace(cell)
}

// prepareTerm cleans a term the way every write path does: Term.Clean, and line breaks
// reduced to LF so a CSV round trip (which turns CRLF inside cells into LF) changes nothing.
func prepareTerm(t *Term) {
	t.Clean()
	t.Arabic = normalizeNewlines(t.Arabic)
	t.English = normalizeNewlines(t.English)
	t.Note = normalizeNewlines(t.Note)
	for _, l := range [][]string{t.Variants, t.Alternatives, t.Forbidden} {
		for i := range l {
			l[i] = normalizeNewlines(l[i])
		}
	}
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// termDiff names the CSV columns in which two terms differ (updated_by/at are not compared).
func termDiff(a, b Term) []string {
	var d []string
	if a.Arabic != b.Arabic {
		d = append(d, "arabic")
	}
	if a.English != b.English {
		d = append(d, "english")
	}
	if a.Type != b.Type {
		d = append(d, "type")
	}
	if !equalLists(a.Variants, b.Variants) {
		d = append(d, "variants")
	}
	if !equalLists(a.Alternatives, b.Alternatives) {
		d = append(d, "english_alternatives")
	}
	if !equalLists(a.Forbidden, b.Forbidden) {
		d = append(d, "forbidden")
	}
	if a.Note != b.Note {
		d = append(d, "note")
	}
	if a.DoNotTranslate != b.DoNotTranslate {
		d = append(d, "do_not_translate")
	}
	return d
}

func equalLists(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	return strings.Split(s, listSep)
}

func joinList(l []string) string { return strings.Join(l, listSep) }

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no", "n":
		return false, true
	case "true", "1", "yes", "y":
		return true, true
	}
	return false, false
}

// formulaStart reports whether a spreadsheet would treat a cell starting with r as a formula
