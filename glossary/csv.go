package glossary

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// CSVColumns is the canonical glossary CSV header, in the order Export writes it.
var CSVColumns = []string{"arabic", "english", "type", "variants", "english_alternatives", "forbidden", "note", "do_not_translate"}

// listSep separates the items of a list inside one CSV cell or database column.
const listSep = "|"

// ReadCSV reads a glossary CSV or TSV file in any accepted encoding and layout. Encodings:
// whatever arabic.DecodeText reads (UTF-8 with or without BOM, UTF-16, Windows-1256 when the
// bytes are not UTF-8); a binary file is refused as not text. Delimiters: comma, semicolon or
// tab, guessed from the first record, or named by an Excel "sep=" line. Leading "#" comment
// lines (OmegaT's "# Glossary in tab-separated format") are skipped. The columns are found
// by the rules of readHeader: by name in any case and order, or without a header by their
// place. Cells starting with an apostrophe before = + - @ tab or CR lose that apostrophe,
// undoing the neutralization WriteCSV applies.
//
// Problems with single rows are listed in Bad; an error is returned only when the file as a
// whole cannot be read (too large, a header without an Arabic or English column, an
// unterminated quote, I/O).
func ReadCSV(r io.Reader, name string) (*File, error) {
	if name == "" {
		name = "glossary.csv"
	}
	raw, err := readLimited(r, name)
	if err != nil {
		return nil, err
	}
	return readCSV(raw, name)
}

func readCSV(raw []byte, name string) (*File, error) {
	text, enc, err := arabic.DecodeText(raw)
	if err != nil {
		var te *arabic.TextError
		if errors.As(err, &te) {
			return nil, fileTextError{te.In(name)}
		}
		return nil, ErrInvalid.Errorf("%s: %v", name, err)
	}
	f := &File{Name: name, Format: FormatCSV, Encoding: enc}
	if err := f.parseCSV(text); err != nil {
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

var delimiterNames = map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}

// parseCSV splits text into records and fills f.
func (f *File) parseCSV(text string) error {
	text, lineOffset, delim, preamble := skipPreamble(text)
	if delim == 0 {
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
	f.Rows = make([]Row, 0, min(lastLine, 1<<20))
	tb := newTable(f, delim == '\t')
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
			if !tb.started {
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
		if err := tb.record(line, rec); err != nil {
			return err
		}
	}
	if !tb.started {
		return newImportError(f.Name, []RowError{{File: f.Name, Reason: "the file is empty"}})
	}
	tb.finish(delimiterNames[delim] + preamble)
	return nil
}

// skipPreamble drops the lines before the first record that are not data: "#" comment lines
// (OmegaT starts its glossaries with one) and Excel's "sep=;" line, which names the
// delimiter (0 when none does). It returns the rest of the text, how many lines it dropped
// and what it dropped, for the dialect.
func skipPreamble(text string) (rest string, dropped int, delim rune, said string) {
	for {
		first, after, found := strings.Cut(text, "\n")
		first = strings.TrimRight(first, "\r")
		switch r, ok := excelSepLine(first); {
		case ok && delim == 0:
			delim = r
			said += " (sep= line)"
		case strings.HasPrefix(first, "#") && found:
			if !strings.Contains(said, "comment") {
				said += " (# comment line skipped)"
			}
		default:
			return text, dropped, delim, said
		}
		text = after
		dropped++
	}
}

// excelSepLine recognizes Excel's "sep=;" line, which names the delimiter.
func excelSepLine(first string) (rune, bool) {
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
	fillRecord(w.rec, t)
	return w.cw.Write(w.rec)
}

// fillRecord puts the cells of t in rec, in CSVColumns order, as the exports write them:
// lists joined with |, formula-like cells neutralized, do_not_translate true or false.
func fillRecord(rec []string, t *Term) {
	dnt := "false"
	if t.DoNotTranslate {
		dnt = "true"
	}
	rec[colArabic] = neutralize(t.Arabic)
	rec[colEnglish] = neutralize(t.English)
	rec[colType] = neutralize(string(t.Type))
	rec[colVariants] = neutralize(joinList(t.Variants))
	rec[colAlternatives] = neutralize(joinList(t.Alternatives))
	rec[colForbidden] = neutralize(joinList(t.Forbidden))
	rec[colNote] = neutralize(t.Note)
	rec[colDoNotTranslate] = dnt
}

func (w *csvTermWriter) flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// WriteCSV writes terms, in the order given, as canonical glossary CSV: the canonical header,
// UTF-8 (with a BOM for Excel when bom is set), LF line endings, lists joined with |, and
// formula-like cells neutralized with a leading apostrophe.
func WriteCSV(w io.Writer, terms []Term, bom bool) error {
	return writeTerms(w, terms, func(w io.Writer) (termWriter, error) { return newCSVTermWriter(w, bom) }, "CSV")
}
