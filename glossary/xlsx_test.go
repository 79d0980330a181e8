package glossary

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbook builds an .xlsx in memory: sheets in order, each a list of rows from A1 down; a
// nil row is left empty. Cells keep their Go type (bool, float64, string).
func workbook(t *testing.T, sheets []string, rows map[string][][]any) []byte {
	t.Helper()
	wb := excelize.NewFile()
	defer wb.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := wb.SetSheetName(wb.GetSheetName(0), name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := wb.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := wb.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadXLSX_Layouts: a glossary kept in Excel (header in any order, a blank row, a
// boolean cell, a second sheet) and Matecat's glossary template layout, read from the first
// sheet with the CSV rules.
func TestReadXLSX_Layouts(t *testing.T) {
	t.Run("NewsroomSheet", func(t *testing.T) {
		data := workbook(t, []string{"Terms", "Notes"}, map[string][][]any{
			"Terms": {
				{"English", "Arabic", "Type", "Do not translate", "Comment"},
				{"the Kremlin", "الكرملين", "name", false, "seat of the Russian presidency"},
				nil,
				{"Novosti", "نوفوستي", "name", true, ""},
				{"'=SUM(A1)", "صيغة", "term", false, "'@mention"},
			},
			"Notes": {{"not read"}},
		})
		f, err := Read(bytes.NewReader(data), "newsroom.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if f.Format != FormatXLSX || f.Dialect != `header english,arabic,type,do_not_translate,note, sheet "Terms"` {
			t.Errorf("Format %q, Dialect %q", f.Format, f.Dialect)
		}
		checkRows(t, f, []csvRow{
			{2, withNote(tm("الكرملين", "the Kremlin", TypeName), "seat of the Russian presidency")},
			{4, dnt(tm("نوفوستي", "Novosti", TypeName))},
			{5, withNote(tm("صيغة", "=SUM(A1)", TypeTerm), "@mention")},
		})
		checkBad(t, f.Bad, nil)
		if want := []string{`sheet "Notes" (only the first sheet is read)`}; !slices.Equal(f.Ignored, want) {
			t.Errorf("Ignored = %q, want %q", f.Ignored, want)
		}
	})
	t.Run("MatecatTemplate", func(t *testing.T) {
		data := workbook(t, []string{"Sheet1"}, map[string][][]any{"Sheet1": {
			{"Forbidden", "Domain", "Subdomain", "Definition", "ar-SA", "Notes", "Example of use", "en-US", "Notes", "Example of use"},
			{false, "Politics", "", "", "كييف", "", "", "Kyiv", "house style since 2019", ""},
			{true, "Politics", "", "", "كييف", "", "", "Kiev", "", ""},
			{"maybe", "", "", "", "موسكو", "", "", "Moscow", "", ""},
		}})
		f, err := Read(bytes.NewReader(data), "matecat.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, f, []csvRow{{2, withNote(tm("كييف", "Kyiv", TypeTerm, nil, nil, []string{"Kiev"}), "house style since 2019")}})
		checkBad(t, f.Bad, []badRow{{4, "forbidden", `"maybe" is not TRUE or FALSE`}})
	})
}

// TestXLSX_RoundTrip: WriteXLSX then Read gives back the same terms; no cell of the sheet is
// a formula or starts like one.
func TestXLSX_RoundTrip(t *testing.T) {
	terms := roundTripTerms(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, terms); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := Read(bytes.NewReader(data), "export.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if f.Dialect != `canonical header, sheet "Glossary"` || len(f.Bad) > 0 {
		t.Errorf("Dialect %q, bad %v", f.Dialect, f.Bad)
	}
	checkSameTerms(t, f, terms)

	wb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(xlsxSheet)
	if err != nil {
		t.Fatal(err)
	}
	neutralized := 0
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, _ := wb.GetCellFormula(xlsxSheet, cell); formula != "" {
				t.Errorf("cell %s is a formula: %q", cell, formula)
			}
			if v != "" && formulaStart(v[0]) {
				t.Errorf("cell %s starts like a formula: %q", cell, v)
			}
			if strings.HasPrefix(v, "'=") || strings.HasPrefix(v, "'@") || strings.HasPrefix(v, "'-") {
				neutralized++
			}
		}
	}
	if neutralized < 3 {
		t.Errorf("%d neutralized cells; roundtrip.csv has at least 3 formula-like ones", neutralized)
	}
}

func TestReadXLSX_Refusals(t *testing.T) {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("not a workbook"))
	zw.Close()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"ZipNotWorkbook", z.Bytes(), "g.xlsx: a zip file but not an Excel workbook (.xlsx) that can be read"},
		{"OldExcel", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "g.xlsx: an Excel 97-2003 workbook (.xls)"},
		{"EmptySheet", workbook(t, []string{"Sheet1"}, nil), `g.xlsx: sheet "Sheet1" is empty`},
		{"NoArabicColumn", workbook(t, []string{"Sheet1"}, map[string][][]any{"Sheet1": {{"Name", "Value"}}}), "g.xlsx:1: header: no arabic column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data), "g.xlsx")
			var ie *ImportError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v; want an *ImportError starting %q", err, tc.want)
			}
		})
	}
}
