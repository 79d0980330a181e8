package glossary

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// CSVColumns is the canonical glossary CSV header, in the order Export writes it.
var CSVColumns = []string{"arabic", "english", "type", "variants", "english_alternatives", "forbidden", "note", "do_not_translate"}

// MaxImportSize is the largest glossary file ReadCSV and Import accept, in bytes.
const MaxImportSize = 64 << 20

// importLimit is MaxImportSize; tests lower it rather than allocate 64 MiB.
var importLimit int64 = MaxImportSize

// maxReportedRowErrors caps how many bad rows an ImportError carries; Total still counts all.
const maxReportedRowErrors = 20

// listSep separates the items of a list inside one CSV cell or database column.
const listSep = "|"

// ErrTooLarge means an import file is bigger than MaxImportSize: the one error of kind
// "too large".
var ErrTooLarge = &Error{"too large", "file too large"}

// RowError says what is wrong with one row of an import file.
type RowError struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`

	norm string // the row's normalized Arabic when it has one: replace imports keep that term
}

// Error reads like a compiler message: "glossary.csv:12: english: required".
func (e RowError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	} else if e.File != "" {
		b.WriteByte(' ')
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Kind is ErrInvalid's: the row failed validation.
func (e RowError) Kind() string { return ErrInvalid.kind }

// Is makes every RowError match ErrInvalid.
func (e RowError) Is(target error) bool { return ErrInvalid.Is(target) }

// ImportError stops an import because of bad rows or an unreadable file; nothing was written.
type ImportError struct {
	File  string     `json:"file"`
	Rows  []RowError `json:"rows"`  // the first bad rows, in file order (at most 20)
	Total int        `json:"total"` // how many rows were bad in all

	what string // what the rows are, in the message: "bad" (the default) or "conflicting"
}

// Error names the file, the first bad rows and how many more there are.
func (e *ImportError) Error() string {
	var b strings.Builder
	if e.Total == 1 && len(e.Rows) == 1 {
		b.WriteString(e.Rows[0].Error())
		b.WriteString("; nothing imported")
		return b.String()
	}
	name := e.File
	if name == "" {
		name = "import"
	}
	what := e.what
	if what == "" {
		what = "bad"
	}
	fmt.Fprintf(&b, "%s: %d %s rows, nothing imported: ", name, e.Total, what)
	for i, r := range e.Rows {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.Error())
	}
	if more := e.Total - len(e.Rows); more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// Kind is ErrInvalid's: the file has bad rows.
func (e *ImportError) Kind() string { return ErrInvalid.kind }

// Is makes every ImportError match ErrInvalid.
func (e *ImportError) Is(target error) bool { return ErrInvalid.Is(target) }

func newImportError(file string, rows []RowError) *ImportError {
	e := &ImportError{File: file, Total: len(rows)}
	if len(rows) > maxReportedRowErrors {
		rows = rows[:maxReportedRowErrors]
	}
	e.Rows = append([]RowError(nil), rows...)
	return e
}

// CSVFile is a parsed glossary file: its good rows, its bad rows and how it was read.
type CSVFile struct {
	Name       string     // file name used in messages
	Encoding   string     // "utf-8", "utf-8 with BOM", "windows-1256", "utf-16le with BOM", "utf-16be with BOM"
	Dialect    string     // how the columns were recognized, e.g. "canonical header, comma"
	Rows       []CSVRow   // good rows in file order, exact duplicates left out
	Bad        []RowError // rows that cannot be imported, in file order
	Duplicates int        // rows that repeat an earlier row exactly and were merged into it
	// Present marks the term fields the file has a column for. An import leaves the other
	// fields of an existing term as they are: a two-column file must not wipe notes.
	Present [colCount]bool
}

// CSVRow is one good row of a glossary file.
type CSVRow struct {
	Line int    // line on which the row starts
	Norm string // normalized Arabic, the glossary's unique key
	Term Term   // cleaned and validated
}

// column is a field of Term that a CSV column fills.
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
)

func (c column) String() string { return CSVColumns[c] }

// ReadCSV reads a glossary file in any accepted encoding and dialect: the canonical header
// (columns in any order, names compared without regard to case, spaces or hyphens), a header
// of language codes (ar,en / ar-SA,en-US) or source,target, or no header and two columns
// (Arabic, English); comma, semicolon or tab separated (guessed from the first record, or an
// Excel "sep=" line); whatever arabic.DecodeText reads (UTF-8 with or without BOM, UTF-16,
// Windows-1256 when the bytes are not UTF-8), and a binary file is refused as not text. Cells starting with an apostrophe before = + - @ tab or CR lose that
// apostrophe, undoing the neutralization WriteCSV applies.
//
// Problems with single rows are listed in Bad; an error is returned only when the file as a
// whole cannot be read (too large, unknown header columns, an unterminated quote, I/O).
func ReadCSV(r io.Reader, name string) (*CSVFile, error) {
	if name == "" {
		name = "glossary.csv"
	}
	raw, err := io.ReadAll(io.LimitReader(r, importLimit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(raw)) > importLimit {
		return nil, ErrTooLarge.Errorf("%s: larger than %s", name, byteSize(importLimit))
	}
	text, enc, err := arabic.DecodeText(raw)
	if err != nil {
		var te *arabic.TextError
		if errors.As(err, &te) {
			return nil, fileTextError{te.In(name)}
		}
		return nil, ErrInvalid.Errorf("%s: %v", name, err)
	}
	f := &CSVFile{Name: name, Encoding: enc}
	if err := f.parse(text); err != nil {
		return nil, err
	}
	return f, nil
}

// fileTextError is an import file that arabic.DecodeText cannot read as text: its
// *arabic.TextError, said of the file, which also matches ErrInvalid.
type fileTextError struct{ *arabic.TextError }

// Unwrap gives the text error, which matches arabic.ErrNotText.
func (e fileTextError) Unwrap() error { return e.TextError }

// Is makes every fileTextError match ErrInvalid.
func (e fileTextError) Is(target error) bool { return ErrInvalid.Is(target) }

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

var delimiterNames = map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}

// parse splits text into records and fills f.
func (f *CSVFile) parse(text string) error {
	lineOffset := 0
	delim, explicit := excelSepLine(text)
	if explicit {
		_, text, _ = strings.Cut(text, "\n")
		lineOffset = 1
	} else {
		delim = guessDelimiter(text)
	}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.LazyQuotes = false
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	// With a tab delimiter, trimming leading space would swallow empty cells.
	cr.TrimLeadingSpace = delim != '\t'

	lastLine := strings.Count(strings.TrimRight(text, "\r\n"), "\n") + 1
	// One row per line is the usual case; guessing it saves regrowing a large slice.
	f.Rows = make([]CSVRow, 0, min(lastLine, 1<<20))
	var (
		layout  []column // column index → Term field
		seen    = make(map[string]int)
		started bool
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("read %s: %w", f.Name, err)
			}
			re := RowError{File: f.Name, Line: pe.StartLine + lineOffset, Reason: "malformed CSV: " + pe.Err.Error()}
			if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine && pe.Line >= lastLine {
				// A quote opened and never closed swallowed every line after it: no row
				// there can be trusted, so this stops the file even with SkipBad.
				re.Reason = "a quoted cell is never closed, so the rest of the file cannot be read"
				return newImportError(f.Name, append(f.Bad, re))
			}
			if !started {
				return newImportError(f.Name, []RowError{re})
			}
			f.Bad = append(f.Bad, re)
			continue
		}
		line, _ := cr.FieldPos(0)
		line += lineOffset
		for i := range rec {
			rec[i] = unneutralize(rec[i])
		}
		if !started {
			started = true
			var dialect string
			var isHeader bool
			var herr *RowError
			layout, dialect, isHeader, herr = readHeader(rec)
			if herr != nil {
				herr.File, herr.Line = f.Name, line
				return newImportError(f.Name, []RowError{*herr})
			}
			for _, c := range layout {
				f.Present[c] = true
			}
			f.Dialect = dialect + ", " + delimiterNames[delim]
			if explicit {
				f.Dialect += " (sep= line)"
			}
			if isHeader {
				continue
			}
		}
		if blankRecord(rec) {
			continue
		}
		f.addRecord(line, rec, layout, seen)
	}
	if !started {
		return newImportError(f.Name, []RowError{{File: f.Name, Reason: "the file is empty"}})
	}
	return nil
}

// excelSepLine recognizes Excel's "sep=;" first line, which names the delimiter.
func excelSepLine(text string) (rune, bool) {
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimRight(first, "\r")
	if len(first) == 5 && strings.EqualFold(first[:4], "sep=") {
		if r := rune(first[4]); r == ',' || r == ';' || r == '\t' {
			return r, true
		}
	}
	return 0, false
}

// guessDelimiter looks at the first record (quotes respected, so a quoted cell may span
// lines): any tab outside quotes means tab-separated, more semicolons than commas means
// semicolon-separated (European Excel), anything else is comma-separated.
func guessDelimiter(text string) rune {
	var tabs, commas, semis int
	inQuotes := false
scan:
	for _, r := range text {
		switch {
		case r == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case r == '\n':
			break scan
		case r == '\t':
			tabs++
		case r == ',':
			commas++
		case r == ';':
			semis++
		}
	}
	switch {
	case tabs > 0:
		return '\t'
	case semis > commas:
		return ';'
	default:
		return ','
	}
}

var (
	headerSpaces = strings.NewReplacer(" ", "_", "-", "_")
	langCode     = regexp.MustCompile(`^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$`)
)

// readHeader decides whether the first record is a header and which field each column fills.
// A first record with Arabic letters in it is data: headers are written in Latin letters.
func readHeader(rec []string) (layout []column, dialect string, isHeader bool, herr *RowError) {
	for _, cell := range rec {
		if arabic.HasScriptLetter(cell) {
			return []column{colArabic, colEnglish}, "two columns, no header", false, nil
		}
	}
	cells := append([]string(nil), rec...)
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	var (
		unknown  []string
		byName   = 0
		byCode   = 0
		bySource = 0
		used     = make(map[column]string)
	)
	layout = make([]column, len(cells))
	for i, cell := range cells {
		raw := strings.TrimSpace(cell)
		key := strings.ToLower(raw)
		c, ok := columnByName(headerSpaces.Replace(key))
		switch {
		case ok:
			byName++
		case key == "source":
			c, ok = colArabic, true
			bySource++
		case key == "target":
			c, ok = colEnglish, true
			bySource++
		default:
			if m := langCode.FindStringSubmatch(key); m != nil {
				switch m[1] {
				case "ar", "ara":
					c, ok = colArabic, true
					byCode++
				case "en", "eng":
					c, ok = colEnglish, true
					byCode++
				}
			}
		}
		if !ok {
			if raw == "" {
				unknown = append(unknown, fmt.Sprintf("(empty, column %d)", i+1))
			} else {
				unknown = append(unknown, strconv.Quote(raw))
			}
			continue
		}
		if prev, dup := used[c]; dup {
			return nil, "", false, &RowError{Field: "header", Reason: fmt.Sprintf("columns %q and %q both give the %s", prev, raw, c)}
		}
		used[c] = raw
		layout[i] = c
	}
	if len(unknown) > 0 {
		return nil, "", false, &RowError{Field: "header", Reason: fmt.Sprintf(
			"unknown column(s) %s; want %s (any order), language codes like ar,en, or no header and two columns Arabic, English",
			strings.Join(unknown, ", "), strings.Join(CSVColumns, ","))}
	}
	for _, need := range []column{colArabic, colEnglish} {
		if _, ok := used[need]; !ok {
			return nil, "", false, &RowError{Field: "header", Reason: fmt.Sprintf("no %s column", need)}
		}
	}
	switch {
	case byCode > 0 && byName == 0 && bySource == 0:
		dialect = "language codes " + strings.Join(trimAll(cells), ",")
	case bySource > 0 && byName == 0 && byCode == 0:
		dialect = "header " + strings.Join(trimAll(cells), ",")
	case byName == len(CSVColumns) && isCanonicalOrder(layout):
		dialect = "canonical header"
	default:
		names := make([]string, len(layout))
		for i, c := range layout {
			names[i] = c.String()
		}
		dialect = "header " + strings.Join(names, ",")
	}
	return layout, dialect, true, nil
}

func columnByName(name string) (column, bool) {
	for i, n := range CSVColumns {
		if n == name {
			return column(i), true
		}
	}
	return 0, false
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

// addRecord turns one data record into a good row, a merged duplicate or a bad row.
func (f *CSVFile) addRecord(line int, rec []string, layout []column, seen map[string]int) {
	// The key is known before validation so that even a bad row's term can be named.
	var arabicCell, norm string
	for i, c := range layout {
		if c == colArabic && i < len(rec) {
			arabicCell = strings.TrimSpace(rec[i])
		}
	}
	if arabic.HasScriptLetter(arabicCell) {
		norm = arabic.Normalize(arabicCell)
	}
	bad := func(field, reason string) {
		f.Bad = append(f.Bad, RowError{File: f.Name, Line: line, Field: field, Reason: reason, norm: norm})
	}
	if len(rec) > len(layout) {
		// Trailing empty cells are what spreadsheets leave behind; anything else is a mistake.
		for _, extra := range rec[len(layout):] {
			if strings.TrimSpace(extra) != "" {
				bad("", fmt.Sprintf("too many columns: %d, want at most %d", len(rec), len(layout)))
				return
			}
		}
	}
	var t Term
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
			t.Note = cell
		case colDoNotTranslate:
			v, ok := parseBool(cell)
			if !ok {
				bad(c.String(), fmt.Sprintf("%q is not true or false", strings.TrimSpace(cell)))
				return
			}
			t.DoNotTranslate = v
		}
	}
	prepareTerm(&t)
	if err := t.Validate(); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			bad(fe.Field, fe.Reason)
		} else {
			bad("", err.Error())
		}
		return
	}
	if t.Arabic != arabicCell {
		norm = arabic.Normalize(t.Arabic)
	}
	if prev, dup := seen[norm]; dup {
		first := f.Rows[prev]
		diff := termDiff(first.Term, t)
		switch {
		case len(diff) == 0:
			f.Duplicates++
		case first.Term.English != t.English:
			bad("english", fmt.Sprintf("line %d has the same Arabic (%q) with a different English: %q here, %q there",
				first.Line, first.Term.Arabic, t.English, first.Term.English))
		default:
			bad(diff[0], fmt.Sprintf("line %d has the same Arabic (%q) with a different %s",
				first.Line, first.Term.Arabic, strings.Join(diff, ", ")))
		}
		return
	}
	seen[norm] = len(f.Rows)
	f.Rows = append(f.Rows, CSVRow{Line: line, Norm: norm, Term: t})
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
// (or, for tab and CR, as one after its own trimming).
func formulaStart(r byte) bool {
	switch r {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// neutralize prefixes an apostrophe to any cell matching ^'*[=+\-@\t\r]. Counting the cells
// that already start with apostrophes makes the mapping reversible: unneutralize drops
// exactly one apostrophe from cells matching ^'+[=+\-@\t\r], and from nothing else.
func neutralize(cell string) string {
	rest := strings.TrimLeft(cell, "'")
	if rest != "" && formulaStart(rest[0]) {
		return "'" + cell
	}
	return cell
}

// unneutralize undoes neutralize; it also reads the apostrophe-protected cells other tools write.
func unneutralize(cell string) string {
	if !strings.HasPrefix(cell, "'") {
		return cell
	}
	rest := strings.TrimLeft(cell, "'")
	if rest != "" && formulaStart(rest[0]) {
		return cell[1:]
	}
	return cell
}

// csvTermWriter writes terms as canonical glossary CSV rows.
type csvTermWriter struct {
	cw  *csv.Writer
	rec []string
}

// newCSVTermWriter writes the optional BOM and the canonical header. Lines end in LF:
// spreadsheets read it, and it keeps exports byte-stable across platforms.
func newCSVTermWriter(w io.Writer, bom bool) (*csvTermWriter, error) {
	if bom {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return nil, err
	}
	return &csvTermWriter{cw: cw, rec: make([]string, len(CSVColumns))}, nil
}

func (w *csvTermWriter) write(t *Term) error {
	dnt := "false"
	if t.DoNotTranslate {
		dnt = "true"
	}
	w.rec[colArabic] = neutralize(t.Arabic)
	w.rec[colEnglish] = neutralize(t.English)
	w.rec[colType] = neutralize(string(t.Type))
	w.rec[colVariants] = neutralize(joinList(t.Variants))
	w.rec[colAlternatives] = neutralize(joinList(t.Alternatives))
	w.rec[colForbidden] = neutralize(joinList(t.Forbidden))
	w.rec[colNote] = neutralize(t.Note)
	w.rec[colDoNotTranslate] = dnt
	return w.cw.Write(w.rec)
}

func (w *csvTermWriter) flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// WriteCSV writes terms, in the order given, as canonical glossary CSV: the canonical header,
// UTF-8 (with a BOM for Excel when bom is set), LF line endings, lists joined with |, and
// formula-like cells neutralized with a leading apostrophe.
func WriteCSV(w io.Writer, terms []Term, bom bool) error {
	tw, err := newCSVTermWriter(w, bom)
	if err != nil {
		return fmt.Errorf("write glossary CSV: %w", err)
	}
	for i := range terms {
		if err := tw.write(&terms[i]); err != nil {
			return fmt.Errorf("write glossary CSV: %w", err)
		}
	}
	if err := tw.flush(); err != nil {
		return fmt.Errorf("write glossary CSV: %w", err)
	}
	return nil
}
