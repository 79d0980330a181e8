package glossary

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxImportSize is the largest glossary file Read and Import accept, in bytes.
const MaxImportSize = 64 << 20

// importLimit is MaxImportSize; tests lower it rather than allocate 64 MiB.
var importLimit int64 = MaxImportSize

// maxReportedRowErrors caps how many bad rows an ImportError carries; Total still counts all.
const maxReportedRowErrors = 20

// ErrTooLarge means an import file is bigger than MaxImportSize: the one error of kind
// "too large".
var ErrTooLarge = &Error{"too large", "file too large"}

// The file formats Read tells apart, as File.Format and ExportOptions.Format name them.
const (
	FormatCSV  = "csv" // CSV or TSV, in any of the layouts ReadCSV reads
	FormatTBX  = "tbx" // TermBase eXchange v2 (martif) or v3 (tbx)
	FormatXLSX = "xlsx"
)

// RowError says what is wrong with one row of an import file (a line of a CSV file, a row of
// a sheet, the entry that starts on a line of a TBX file).
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
	b.WriteString(e.Summary())
	b.WriteString(": ")
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

// Summary is the message without the rows, for a page that lists them beside it:
// "g.csv: 2 conflicting rows, nothing imported".
func (e *ImportError) Summary() string {
	name := e.File
	if name == "" {
		name = "import"
	}
	what := e.what
	if what == "" {
		what = "bad"
	}
	rows := "rows"
	if e.Total == 1 {
		rows = "row"
	}
	return fmt.Sprintf("%s: %d %s %s, nothing imported", name, e.Total, what, rows)
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

// File is a parsed glossary file, whatever its format: its good rows, its bad rows and how
// it was read.
type File struct {
	Name       string     // file name used in messages
	Format     string     // FormatCSV, FormatTBX or FormatXLSX
	Encoding   string     // "utf-8", "utf-8 with BOM", "windows-1256", "utf-16le with BOM", ...
	Dialect    string     // how the columns or elements were recognized, e.g. "canonical header, comma"
	Rows       []Row      // good rows in file order, exact duplicates left out
	Bad        []RowError // rows that cannot be imported, in file order
	Duplicates int        // rows that repeat an earlier row exactly and were merged into it
	// Ignored names what the file holds that the glossary has no place for (columns, other
	// languages, entries without an Arabic term), so a report can say it was left out.
	Ignored []string
	// Present marks the term fields the file has a column for. An import leaves the other
	// fields of an existing term as they are: a two-column file must not wipe notes.
	Present [colCount]bool

	index map[string]int // normalized Arabic → index into Rows, as the reader kept them (see rowIndex)
}

// rowIndex is the map in which a reader indexes the rows it keeps by their normalized Arabic,
// sized for about n rows; an import plans with it rather than indexing them again.
func (f *File) rowIndex(n int) map[string]int {
	if f.index == nil {
		f.index = make(map[string]int, n)
	}
	return f.index
}

// Row is one good row of a glossary file (for TBX, one entry).
type Row struct {
	Line int    // line on which the row starts (the row number in a sheet)
	Norm string // normalized Arabic, the glossary's unique key
	Term Term   // cleaned and validated
}

// Read is the one reader of glossary files, for the CLI, the page and the API. It reads any
// format Tarjama knows, told apart by its content, not its name: an Excel workbook (a zip
// file; see readXLSX), a TBX file (XML; see readTBX, which refuses another XML document
// naming what it is), or else CSV/TSV text (see ReadCSV). Problems with single rows are
// listed in File.Bad; an error is returned only when the file as a whole cannot be read.
func Read(r io.Reader, name string) (*File, error) {
	if name == "" {
		name = "glossary"
	}
	raw, err := readLimited(r, name)
	if err != nil {
		return nil, err
	}
	switch Detect(raw) {
	case FormatXLSX:
		return readXLSX(raw, name)
	case FormatTBX:
		return readTBX(raw, name)
	}
	if bytes.HasPrefix(raw, oleSignature) {
		return nil, newImportError(name, []RowError{{File: name,
			Reason: "an Excel 97-2003 workbook (.xls) or another Office file; save it as .xlsx or CSV"}})
	}
	return readCSV(raw, name)
}

// oleSignature starts the files of Office 97-2003 (.xls, .doc), which Tarjama does not read.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// readLimited reads a whole import file, refusing one over importLimit.
func readLimited(r io.Reader, name string) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, importLimit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(raw)) > importLimit {
		return nil, ErrTooLarge.Errorf("%s: larger than %s", name, byteSize(importLimit))
	}
	return raw, nil
}

// Detect names the format of a glossary file from its first bytes: FormatXLSX for a zip
// file, FormatTBX for XML (TBX or not: Read says what another document is), FormatCSV for
// anything else.
func Detect(head []byte) string {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatXLSX
	}
	if looksXML(head) {
		return FormatTBX
	}
	return FormatCSV
}

// looksXML reports whether b starts, after a byte order mark and white space, with "<" in
// UTF-8 or UTF-16: no glossary CSV starts with one.
func looksXML(b []byte) bool {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		b = bytes.ReplaceAll(b[2:min(len(b), 512)], []byte{0}, nil)
	}
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 1 && b[0] == '<' && (b[1] == '?' || b[1] == '!' || isNameStart(b[1]))
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
}

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
