package glossary

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// csvRow is what a test expects of one good row.
type csvRow struct {
	line int
	term Term
}

// tm builds an expected term; the optional lists are variants, alternatives, forbidden.
func tm(ar, en string, typ TermType, lists ...[]string) Term {
	t := Term{Arabic: ar, English: en, Type: typ}
	for i, l := range lists {
		switch i {
		case 0:
			t.Variants = l
		case 1:
			t.Alternatives = l
		case 2:
			t.Forbidden = l
		}
	}
	return t
}

func withNote(t Term, note string) Term { t.Note = note; return t }

func dnt(t Term) Term { t.DoNotTranslate = true; return t }

// badRow is what a test expects of one bad row; reason is a substring.
type badRow struct {
	line   int
	field  string
	reason string
}

func checkRows(t *testing.T, f *File, want []csvRow) {
	t.Helper()
	if len(f.Rows) != len(want) {
		t.Errorf("got %d rows, want %d:", len(f.Rows), len(want))
		for _, r := range f.Rows {
			t.Logf("  line %d: %+v", r.Line, r.Term)
		}
		return
	}
	for i, w := range want {
		got := f.Rows[i]
		if got.Line != w.line {
			t.Errorf("row %d: line %d, want %d", i, got.Line, w.line)
		}
		if d := termDiff(got.Term, w.term); len(d) > 0 {
			t.Errorf("row %d (line %d) differs in %v:\n got %+v\nwant %+v", i, got.Line, d, got.Term, w.term)
		}
	}
}

func checkBad(t *testing.T, got []RowError, want []badRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d bad rows %v, want %d", len(got), got, len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Field != w.field || !strings.Contains(g.Reason, w.reason) {
			t.Errorf("bad row %d = %q (line %d, field %q); want line %d, field %q, reason containing %q",
				i, g.Error(), g.Line, g.Field, w.line, w.field, w.reason)
		}
	}
}

// readFixture reads a testdata file through Read, which tells the format by its content.
func readFixture(t *testing.T, name string) *File {
	t.Helper()
	fh, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := Read(fh, name)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return f
}

func TestReadCSV_Fixtures(t *testing.T) {
	tests := []struct {
		file     string
		encoding string
		dialect  string
		rows     []csvRow
		bad      []badRow
		dups     int
	}{
		{
			file: "canonical.csv", encoding: "utf-8", dialect: "canonical header, comma",
			rows: []csvRow{
				{2, withNote(tm("سيرغي ريابكوف", "Sergei Ryabkov", TypeName,
					[]string{"سيرجي ريابكوف", "ريابكوف"}, []string{"Ryabkov"}, []string{"Sergey Ryabkov"}),
					"Russian deputy foreign minister")},
				{3, withNote(tm("منظمة الأمن والتعاون في أوروبا", "Organization for Security and Co-operation in Europe", TypeTerm,
					nil, []string{"OSCE"}), `Spell out on first mention, then "OSCE"`)},
				{4, dnt(tm("الكرملين", "the Kremlin", TypeName, nil, []string{"Kremlin"}))},
				{5, dnt(withNote(tm("نوفوستي", "Novosti", TypeName), "Agency name, kept as is"))},
				{6, tm("الضمانات الأمنية", "security guarantees", TypeTerm,
					[]string{"ضمانات أمنية"}, []string{"security assurances", "guarantees of security"})},
			},
		},
		{
			file: "twocol_noheader.csv", encoding: "utf-8", dialect: "two columns, no header, comma",
			rows: []csvRow{
				{1, tm("الضمانات الأمنية", "security guarantees", TypeTerm)},
				{2, tm("حلف شمال الأطلسي", "NATO", TypeTerm)},
				{3, tm("العملية العسكرية الخاصة", "special military operation", TypeTerm)},
				{4, tm("عدم تجزئة الأمن", "indivisibility of security", TypeTerm)},
			},
			dups: 1, // line 5 repeats line 2
		},
		{
			file: "langcodes.csv", encoding: "utf-8", dialect: "language codes ar,en, comma",
			rows: []csvRow{
				{2, tm("الاستقرار الاستراتيجي", "strategic stability", TypeTerm)},
				{3, tm("معاهدة ستارت الجديدة", "New START treaty", TypeTerm)},
			},
		},
		{
			file: "tabs.tsv", encoding: "utf-8", dialect: "two columns, no header, tab",
			rows: []csvRow{
				{1, tm("دونيتسك", "Donetsk", TypeTerm)},
				{2, tm("لوغانسك", "Luhansk", TypeTerm)},
				{3, tm("موسكو، واشنطن", "Moscow, Washington", TypeTerm)},
			},
		},
		{
			file: "bom_crlf.csv", encoding: "utf-8 with BOM", dialect: "header arabic,english,note, comma",
			rows: []csvRow{
				{2, withNote(tm("الكرملين", "the Kremlin", TypeTerm), "seat of power,\nin Moscow")},
				{4, withNote(tm("بيسكوف", "Dmitry Peskov", TypeTerm), "Kremlin spokesman")},
			},
		},
		{
			file: "windows1256.csv", encoding: "windows-1256", dialect: "header arabic,english,note, comma",
			rows: []csvRow{
				{2, tm("روسيا", "Russia", TypeTerm)},
				{3, withNote(tm("الكرملين", "the Kremlin", TypeTerm), "مقر الرئاسة، موسكو")},
				{4, withNote(tm("سيرغي لافروف", "Sergei Lavrov", TypeTerm), "وزير الخارجية")},
			},
		},
		{
			file: "quoted_multiline.csv", encoding: "utf-8", dialect: "header arabic,english,note, comma",
			rows: []csvRow{
				{2, withNote(tm("حلف شمال الأطلسي", "NATO", TypeTerm),
					"Use \"NATO\", never \"the Alliance\" alone;\nsecond line of the note,\nthird line")},
				{5, tm("عدم تجزئة الأمن", "indivisibility of security, the principle", TypeTerm)},
				{6, withNote(tm("بيسكوف", "Dmitry Peskov", TypeTerm), "Kremlin spokesman")},
			},
		},
		{
			file: "bad_empty_english.csv", encoding: "utf-8", dialect: "header arabic,english, comma",
			rows: []csvRow{
				{2, tm("روسيا", "Russia", TypeTerm)},
				{4, tm("بيلاروسيا", "Belarus", TypeTerm)},
			},
			bad: []badRow{{3, "english", "required"}},
		},
		{
			file: "bad_too_many_columns.csv", encoding: "utf-8", dialect: "header arabic,english,note, comma",
			rows: []csvRow{{2, withNote(tm("ناتو", "NATO", TypeTerm), "Alliance;\ntwo lines")}},
			bad:  []badRow{{4, "", "too many columns: 4, want at most 3"}},
		},
		{
			file: "bad_duplicate_conflict.csv", encoding: "utf-8", dialect: "header arabic,english, comma",
			rows: []csvRow{
				{2, tm("الأمن", "security", TypeTerm)},
				{3, tm("روسيا", "Russia", TypeTerm)},
			},
			bad: []badRow{{4, "english", `line 2 has the same Arabic ("الأمن") with a different English: "safety" here, "security" there`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := readFixture(t, tt.file)
			if f.Encoding != tt.encoding {
				t.Errorf("Encoding = %q, want %q", f.Encoding, tt.encoding)
			}
			if f.Dialect != tt.dialect {
				t.Errorf("Dialect = %q, want %q", f.Dialect, tt.dialect)
			}
			checkRows(t, f, tt.rows)
			checkBad(t, f.Bad, tt.bad)
			if f.Duplicates != tt.dups {
				t.Errorf("Duplicates = %d, want %d", f.Duplicates, tt.dups)
			}
		})
	}
}

func TestReadCSV_Windows1256FixtureIsNotUTF8(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "windows1256.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Fatal("testdata/windows1256.csv is valid UTF-8; it must hold Windows-1256 bytes")
	}
}

func utf16LE(t *testing.T, s string) string {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadCSV_Dialects(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		encoding string
		dialect  string
		rows     []csvRow
		bad      []badRow
		ignored  []string
	}{
		{
			name: "SemicolonExcel", in: "arabic;english;note\nروسيا;Russia;a, b\n",
			dialect: "header arabic,english,note, semicolon",
			rows:    []csvRow{{2, withNote(tm("روسيا", "Russia", TypeTerm), "a, b")}},
		},
		{
			name: "ExcelSepLine", in: "sep=;\r\narabic;english\r\nروسيا;Russia\r\n",
			dialect: "header arabic,english, semicolon (sep= line)",
			rows:    []csvRow{{3, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "LanguageCodesReversedWithRegions", in: "en-US\tar-SA\nRussia\tروسيا\n",
			dialect: "language codes en-US,ar-SA, tab",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "SourceTarget", in: "Source,Target\nروسيا,Russia\n",
			dialect: "header Source,Target, comma",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "ReorderedHeaderWithSpacesAndCase", in: "English, Do Not Translate ,ARABIC\nRussia,yes,روسيا\n",
			dialect: "header english,do_not_translate,arabic, comma",
			rows:    []csvRow{{2, dnt(tm("روسيا", "Russia", TypeTerm))}},
		},
		{
			name: "UTF16WithBOM", in: utf16LE(t, "arabic\tenglish\r\nروسيا\tRussia\r\n"),
			encoding: "utf-16le with BOM", dialect: "header arabic,english, tab",
			rows: []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "ApostropheBeforeFormulaIsDropped", in: "arabic,english\nروسيا,'=cmd\nالصين,'China\nكوبا,''-x\n",
			dialect: "header arabic,english, comma",
			rows: []csvRow{
				{2, tm("روسيا", "=cmd", TypeTerm)},
				{3, tm("الصين", "'China", TypeTerm)},
				{4, tm("كوبا", "'-x", TypeTerm)},
			},
		},
		{
			name: "TrailingEmptyCellsAndBlankRows", in: "ناتو,NATO,,\n,,\n\nروسيا,Russia\n",
			dialect: "two columns, no header, comma",
			rows:    []csvRow{{1, tm("ناتو", "NATO", TypeTerm)}, {4, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "ErrNoArabicLetters", in: "arabic,english\nNATO,NATO\n",
			dialect: "header arabic,english, comma",
			bad:     []badRow{{2, "arabic", "no Arabic letters"}},
		},
		{
			name: "ErrArabicRequired", in: "arabic,english\n,Russia\n",
			dialect: "header arabic,english, comma",
			bad:     []badRow{{2, "arabic", "required"}},
		},
		{
			name: "UnknownColumnsAreIgnoredAndNamed", in: "arabic,english,colour,,Size,fr-FR\nروسيا,Russia,red,,2,Russie\n",
			dialect: "header arabic,english, comma",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
			ignored: []string{`column "colour"`, "column 4 (no name)", `column "Size"`, `column "fr-FR" (another language)`},
		},
		{
			name: "TermTranslation", in: "Term,Translation\nروسيا,Russia\n",
			dialect: "header Term,Translation, comma",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "LanguageCodeForms", in: "ENG;AR_sa;ID\nRussia;روسيا;7\n",
			dialect: "language codes ENG,AR_sa, semicolon",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
			ignored: []string{`column "ID"`},
		},
		{
			name: "ThreeLetterCodes", in: "ara\teng\nروسيا\tRussia\n",
			dialect: "language codes ara,eng, tab",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "CommentLineThenSepLine", in: "# exported by hand\nsep=;\narabic;english\nروسيا;Russia\n",
			dialect: "header arabic,english, semicolon (# comment line skipped) (sep= line)",
			rows:    []csvRow{{4, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "SeveralNoteColumnsAreJoined", in: "arabic,english,definition,notes,comment\nروسيا,Russia,a state, ,the country\n",
			dialect: "header arabic,english,note,note,note, comma",
			rows:    []csvRow{{2, withNote(tm("روسيا", "Russia", TypeTerm), "a state\nthe country")}},
		},
		{
			name: "PartOfSpeechBesideTypeIsIgnored", in: "arabic,english,type,pos\nروسيا,Russia,term,proper noun\n",
			dialect: "header arabic,english,type, comma",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
			ignored: []string{`column "pos" (the type column gives the type)`},
		},
		{
			name: "ForbiddenIsAListBesideCanonicalNames", in: "arabic,english,forbidden\nكييف,Kyiv,Kiev|Kiyev\n",
			dialect: "header arabic,english,forbidden, comma",
			rows:    []csvRow{{2, tm("كييف", "Kyiv", TypeTerm, nil, nil, []string{"Kiev", "Kiyev"})}},
		},
		{
			name: "ForbiddenFlagBesideLanguageCodes", in: "ar,en,Forbidden\nكييف,Kiev,true\nكييف,Kyiv,\n",
			dialect: "header arabic,english,forbidden flag, comma",
			rows:    []csvRow{{3, tm("كييف", "Kyiv", TypeTerm, nil, nil, []string{"Kiev"})}},
		},
		{
			name: "ErrForbiddenFlag", in: "ar,en,Forbidden\nكييف,Kiev,maybe\n",
			dialect: "header arabic,english,forbidden flag, comma",
			bad:     []badRow{{2, "forbidden", `"maybe" is not TRUE or FALSE`}},
		},
		{
			name: "ErrForbiddenWithoutAnEnglishToUse", in: "ar,en,Forbidden\nروسيا,Russia,false\nكييف,Kiev,TRUE\nروسيا,Russie,TRUE\nروسيا,Russia,TRUE\n",
			dialect: "header arabic,english,forbidden flag, comma",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm, nil, nil, []string{"Russie"})}},
			bad: []badRow{
				{3, "forbidden", `"Kiev" is marked forbidden, but no row gives "كييف" an English to use instead`},
				{5, "forbidden", `line 2 gives "Russia" as the English of "روسيا"; it cannot be forbidden too`},
			},
		},
		{
			name: "DeepLRowsAreReadByTheirLanguages", in: "the Kremlin,الكرملين,EN,AR\nHaus,house,de,en\nروسيا,Russia,ar,en\nHund,dog,de,en\n",
			dialect: "DeepL export (term, term, language, language), no header, comma",
			rows:    []csvRow{{1, tm("الكرملين", "the Kremlin", TypeTerm)}, {3, tm("روسيا", "Russia", TypeTerm)}},
			ignored: []string{"2 rows in de→en (another language pair)"},
		},
		{
			name: "FourColumnsEndingInCodesIsAHeaderNotDeepL", in: "Forbidden,Domain,ar-SA,en-US\nFALSE,Geography,كييف,Kyiv\n",
			dialect: "header forbidden flag,arabic,english, comma",
			rows:    []csvRow{{2, tm("كييف", "Kyiv", TypeTerm)}},
			ignored: []string{`column "Domain"`},
		},
		{
			name: "DeepLWithAHeader", in: "source,target,ar,en\nروسيا,Russia,ar,en\n",
			dialect: "DeepL export, header source,target,ar,en, comma",
			rows:    []csvRow{{2, tm("روسيا", "Russia", TypeTerm)}},
		},
		{
			name: "ErrDeepLRowWithoutLanguages", in: "روسيا,Russia,ar,en\nكييف,Kyiv\n",
			dialect: "DeepL export (term, term, language, language), no header, comma",
			rows:    []csvRow{{1, tm("روسيا", "Russia", TypeTerm)}},
			bad:     []badRow{{2, "", "2 columns, want 4"}},
		},
		{
			name: "TabSeparatedThirdColumnIsANote", in: "روسيا\tRussia\nكييف\tKyiv\tnot Kiev\n",
			dialect: "three columns (Arabic, English, note), no header, tab",
			rows:    []csvRow{{1, tm("روسيا", "Russia", TypeTerm)}, {2, withNote(tm("كييف", "Kyiv", TypeTerm), "not Kiev")}},
		},
		{
			name: "ErrDoNotTranslate", in: "arabic,english,do_not_translate\nروسيا,Russia,maybe\n",
			dialect: "header arabic,english,do_not_translate, comma",
			bad:     []badRow{{2, "do_not_translate", `"maybe" is not true or false`}},
		},
		{
			name: "ErrType", in: "arabic,english,type\nروسيا,Russia,place\n",
			dialect: "header arabic,english,type, comma",
			bad:     []badRow{{2, "type", `"place" is not one of name, term`}},
		},
		{
			name: "ErrBareQuoteSkipsOnlyThatRow", in: "arabic,english\nروسيا,Rus\"sia\nالصين,China\n",
			dialect: "header arabic,english, comma",
			rows:    []csvRow{{3, tm("الصين", "China", TypeTerm)}},
			bad:     []badRow{{2, "", "malformed CSV"}},
		},
		{
			name: "ErrTextAfterClosingQuoteSkipsOnlyThatRow", in: "arabic,english\nروسيا,\"Russia\"x\nالصين,China\n",
			dialect: "header arabic,english, comma",
			rows:    []csvRow{{3, tm("الصين", "China", TypeTerm)}},
			bad:     []badRow{{2, "", "malformed CSV"}},
		},
		{
			name: "ErrDuplicateWithDifferentNote", in: "arabic,english,note\nروسيا,Russia,a\nروسيا,Russia,b\n",
			dialect: "header arabic,english,note, comma",
			rows:    []csvRow{{2, withNote(tm("روسيا", "Russia", TypeTerm), "a")}},
			bad:     []badRow{{3, "note", "line 2 has the same Arabic"}},
		},
		{
			name: "ErrTooManyColumnsNoHeader", in: "روسيا,Russia,extra\n",
			dialect: "two columns, no header, comma",
			bad:     []badRow{{1, "", "too many columns: 3, want at most 2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadCSV(strings.NewReader(tt.in), "in.csv")
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			enc := tt.encoding
			if enc == "" {
				enc = "utf-8"
			}
			if f.Encoding != enc {
				t.Errorf("Encoding = %q, want %q", f.Encoding, enc)
			}
			if f.Dialect != tt.dialect {
				t.Errorf("Dialect = %q, want %q", f.Dialect, tt.dialect)
			}
			checkRows(t, f, tt.rows)
			checkBad(t, f.Bad, tt.bad)
			if !slices.Equal(f.Ignored, tt.ignored) {
				t.Errorf("Ignored = %q, want %q", f.Ignored, tt.ignored)
			}
		})
	}
}

// TestReadCSV_FileErrors covers problems that stop the whole file, whatever SkipBad says.
func TestReadCSV_FileErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want badRow
	}{
		{"ErrNoEnglishColumn", "arabic,note\nروسيا,x\n", badRow{1, "header", "no english column; name it english, en"}},
		{"ErrNoColumnKnown", "colour,Size\nred,2\n", badRow{1, "header", "no arabic column"}},
		{"ErrTwoPartsOfSpeech", "ar,en,pos,part of speech\n", badRow{1, "header", `columns "pos" and "part of speech" both give the type (part of speech)`}},
		{"ErrDuplicateColumn", "arabic,Arabic,english\n", badRow{1, "header", `columns "arabic" and "Arabic" both give the arabic`}},
		{"ErrUnterminatedQuote", "arabic,english\nروسيا,Russia\nالصين,\"China\nكوبا,Cuba\n", badRow{3, "", "never closed"}},
		{"ErrEmpty", "", badRow{0, "", "empty"}},
		{"ErrOnlyBlankLines", "\n\n", badRow{0, "", "empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), "g.csv")
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v; want an *ImportError", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err does not match ErrInvalid")
			}
			checkBad(t, ie.Rows, []badRow{tt.want})
			if !strings.HasPrefix(err.Error(), "g.csv:") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

// TestReadCSV_ErrNotText: a binary file is refused as not text, not read as a header of
// unknown columns; broken UTF-8 names its line.
func TestReadCSV_ErrNotText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"ELF", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00", "g.csv: not a text file"},
		{"ZIP", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "g.csv: not a text file"},
		{"BrokenUTF8", "arabic,english\nروسيا,Russia\nالصين,Ch\xefna\n", "g.csv:3: not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tc.in), "g.csv")
			if !errors.Is(err, ErrInvalid) || !errors.Is(err, arabic.ErrNotText) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v; want ErrInvalid and arabic.ErrNotText, starting %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "column") {
				t.Errorf("err = %q talks of columns", err)
			}
		})
	}
}

func TestReadCSV_ErrTooLarge(t *testing.T) {
	if got := byteSize(MaxImportSize); got != "64 MiB" {
		t.Errorf("the limit reads as %q, want 64 MiB", got)
	}
	// Lowered so the test need not allocate 64 MiB.
	defer func(old int64) { importLimit = old }(importLimit)
	importLimit = 1 << 20
	header := "arabic,english\n"
	body := header + strings.Repeat("\n", int(importLimit)-len(header))
	if _, err := ReadCSV(strings.NewReader(body), "ok.csv"); err != nil {
		t.Fatalf("a file of exactly the limit: %v", err)
	}
	_, err := ReadCSV(strings.NewReader(body+"x"), "big.csv")
	var k interface{ Kind() string }
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &k) || k.Kind() != "too large" {
		t.Fatalf("err = %v; want ErrTooLarge, of kind \"too large\"", err)
	}
	if want := "big.csv: larger than 1 MiB"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q should start with %q", err, want)
	}
}

func TestRowError_Error(t *testing.T) {
	got := RowError{File: "glossary.csv", Line: 12, Field: "english", Reason: "required"}.Error()
	if want := "glossary.csv:12: english: required"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	ie := newImportError("g.csv", []RowError{{File: "g.csv", Line: 3, Field: "english", Reason: "required"}})
	if want := "g.csv:3: english: required; nothing imported"; ie.Error() != want {
		t.Errorf("got %q, want %q", ie.Error(), want)
	}
	many := make([]RowError, 25)
	for i := range many {
		many[i] = RowError{File: "g.csv", Line: i + 2, Field: "english", Reason: "required"}
	}
	ie = newImportError("g.csv", many)
	if len(ie.Rows) != 20 || ie.Total != 25 || !strings.HasSuffix(ie.Error(), "; and 5 more") {
		t.Errorf("got %d rows, total %d, %q; want 20, 25, ending in \"and 5 more\"", len(ie.Rows), ie.Total, ie.Error())
	}
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-ism", "'-ism"},
		{"@user", "'@user"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"''@x", "'''@x"},
		{"'quoted", "'quoted"},
		{"'", "'"},
		{"a=b", "a=b"},
		{"روسيا", "روسيا"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := neutralize(tt.in); got != tt.want {
			t.Errorf("neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := unneutralize(neutralize(tt.in)); back != tt.in {
			t.Errorf("unneutralize(neutralize(%q)) = %q", tt.in, back)
		}
	}
}

func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "''", "-", "'-", "abc", "@", "'\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := neutralize(s)
		if n != "" && formulaStart(n[0]) {
			t.Fatalf("neutralize(%q) = %q still starts a formula", s, n)
		}
		if back := unneutralize(n); back != s {
			t.Fatalf("unneutralize(neutralize(%q)) = %q", s, back)
		}
	})
}

// TestCSV_RoundTrip reads the golden export-form fixture and writes it back byte for byte.
func TestCSV_RoundTrip(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "roundtrip.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f := readFixture(t, "roundtrip.csv")
	if len(f.Bad) > 0 {
		t.Fatalf("bad rows: %v", f.Bad)
	}
	terms := make([]Term, len(f.Rows))
	for i, r := range f.Rows {
		terms[i] = r.Term
	}
	byEnglish := map[string]Term{}
	for _, tr := range terms {
		byEnglish[tr.English] = tr
	}
	for _, en := range []string{"=HYPERLINK(\"http://evil.example\",\"click\")", "-ism", "@user"} {
		if _, ok := byEnglish[en]; !ok {
			t.Errorf("no term with English %q after reading; apostrophe not removed?", en)
		}
	}
	if got := byEnglish["@user"].Alternatives; len(got) != 2 || got[0] != "@handle" || got[1] != "=SUM(A1)" {
		t.Errorf("alternatives of @user = %q", got)
	}
	if got := byEnglish["=HYPERLINK(\"http://evil.example\",\"click\")"].Note; got != "'=already protected" {
		t.Errorf("note = %q, want %q", got, "'=already protected")
	}

	var buf bytes.Buffer
	if err := WriteCSV(&buf, terms, false); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteCSV(ReadCSV(roundtrip.csv)) differs:\n got:\n%s\nwant:\n%s", buf.Bytes(), want)
	}

	buf.Reset()
	if err := WriteCSV(&buf, terms, true); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), append([]byte("\xEF\xBB\xBF"), want...)) {
		t.Errorf("with BOM: got a different file")
	}
}
