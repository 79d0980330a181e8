package glossary

import (
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxUnzipLimit bounds how much a workbook may unpack to, so that a small zip cannot fill
// memory or disk; a glossary of a million terms stays well within it.
const xlsxUnzipLimit = 512 << 20

// xlsxSheet is the name of the sheet WriteXLSX writes.
const xlsxSheet = "Glossary"

// readXLSX reads the first sheet of an Excel workbook (.xlsx; see Read) with the column
// rules of ReadCSV: a header naming the columns, or Arabic and English without one. Rows are
// numbered as the sheet numbers them; cells are read as Excel shows them (a formula's last
// value, never the formula), and an apostrophe before = + - @ is dropped as in CSV. The other
// sheets are named in File.Ignored.
func readXLSX(raw []byte, name string) (*File, error) {
	fail := func(reason string) error {
		return newImportError(name, []RowError{{File: name, Reason: reason}})
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		return nil, fail(fmt.Sprintf("a zip file but not an Excel workbook (.xlsx) that can be read: %v", err))
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, fail("the workbook has no sheet")
	}
	f := &File{Name: name, Format: FormatXLSX, Encoding: "utf-8"}
	for _, other := range sheets[1:] {
		f.Ignored = append(f.Ignored, fmt.Sprintf("sheet %q (only the first sheet is read)", other))
	}
	rows, err := wb.Rows(sheets[0])
	if err != nil {
		return nil, fail(fmt.Sprintf("sheet %q cannot be read: %v", sheets[0], err))
	}
	defer rows.Close()
	tb := newTable(f, false)
	line := 0
	for rows.Next() {
		line++
		rec, err := rows.Columns()
		if err != nil {
			return nil, newImportError(name, []RowError{{File: name, Line: line, Reason: fmt.Sprintf("sheet %q cannot be read: %v", sheets[0], err)}})
		}
		if !tb.started && blankRecord(rec) {
			continue // a sheet may start lower down
		}
		for i := range rec {
			rec[i] = unneutralize(rec[i])
		}
		if err := tb.record(line, rec); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fail(fmt.Sprintf("sheet %q cannot be read: %v", sheets[0], err))
	}
	if !tb.started {
		return nil, fail(fmt.Sprintf("sheet %q is empty", sheets[0]))
	}
	tb.finish(fmt.Sprintf("sheet %q", sheets[0]))
	return f, nil
}

// xlsxTermWriter writes terms as rows of the canonical columns on one sheet, streamed.
type xlsxTermWriter struct {
	out   io.Writer
	wb    *excelize.File
	sw    *excelize.StreamWriter
	row   int
	cells []string
	rec   []any
}

// newXLSXTermWriter starts a workbook whose one sheet has the canonical header in bold,
// frozen above the terms.
func newXLSXTermWriter(w io.Writer) (*xlsxTermWriter, error) {
	wb := excelize.NewFile()
	if err := wb.SetSheetName(wb.GetSheetName(0), xlsxSheet); err != nil {
		return nil, err
	}
	sw, err := wb.NewStreamWriter(xlsxSheet)
	if err != nil {
		return nil, err
	}
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(1, 2, 36); err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(3, len(CSVColumns), 18); err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(CSVColumns))
	for i, c := range CSVColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	return &xlsxTermWriter{out: w, wb: wb, sw: sw, row: 1,
		cells: make([]string, len(CSVColumns)), rec: make([]any, len(CSVColumns))}, nil
}

// write adds a term as a row of text cells, neutralized like CSV cells: a cell is never a
// formula here, but one saved from the sheet as CSV could become one.
func (w *xlsxTermWriter) write(t *Term) error {
	w.row++
	fillRecord(w.cells, t)
	for i, cell := range w.cells {
		w.rec[i] = cell
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(cell, w.rec)
}

func (w *xlsxTermWriter) flush() error {
	defer w.wb.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.wb.WriteTo(w.out)
	return err
}

// WriteXLSX writes terms, in the order given, as an Excel workbook with one sheet of the
// canonical columns (as WriteCSV writes them, formula-like cells neutralized), which Read
// reads back to the same terms.
func WriteXLSX(w io.Writer, terms []Term) error {
	return writeTerms(w, terms, func(w io.Writer) (termWriter, error) { return newXLSXTermWriter(w) }, "XLSX")
}
