package glossary

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func withDNT(t Term) Term { t.DoNotTranslate = true; return t }

// TestReadTBX_Layouts reads TBX files as Weblate (TBX v2 with untyped descrip, translator
// notes, a forbidden status and "Translation needed: No"), a desktop CAT tool's termbase
// export (TBX v2 with ntig/termGrp, upper-case regions, statuses, a third language, an entry
// without Arabic) and TBX-Basic v3 write them.
func TestReadTBX_Layouts(t *testing.T) {
	tests := []struct {
		file    string
		dialect string
		rows    []csvRow
		bad     []badRow
		ignored []string
		present []column
	}{
		{
			file: "weblate_v2.tbx", dialect: "TBX v2 (martif)",
			rows: []csvRow{
				{13, withNote(tm("الكرملين", "the Kremlin", TypeTerm), "مقر الرئاسة الروسية\nseat of the Russian presidency")},
				{27, tm("لوغانسك", "Luhansk", TypeTerm, nil, nil, []string{"Lugansk"})},
				{43, withDNT(tm("نوفوستي", "Novosti", TypeTerm))},
			},
			present: []column{colArabic, colEnglish, colForbidden, colNote, colDoNotTranslate},
		},
		{
			file: "memoq_v2.tbx", dialect: "TBX v2 (martif)",
			rows: []csvRow{
				{12, withNote(tm("سيرجي ريابكوف", "Sergei Ryabkov", TypeName,
					[]string{"سيرغي ريابكوف"}, []string{"Sergey Ryabkov"}, []string{"Sergej Rjabkow"}),
					"Russian deputy foreign minister\nhouse style spells the first name Sergei")},
				{67, withNote(tm("أوكرانيا", "Ukraine", TypeName, nil, nil, []string{"the Ukraine"}), `never "the Ukraine"`)},
			},
			ignored: []string{"1 entry without an Arabic term", "language fr (2 terms)"},
			present: []column{colArabic, colEnglish, colType, colVariants, colAlternatives, colForbidden, colNote},
		},
		{
			file: "basic_v3.tbx", dialect: "TBX v3 (TBX-Basic)",
			rows: []csvRow{
				{11, withNote(tm("الضمانات الأمنية", "security guarantees", TypeTerm,
					[]string{"ضمانات أمنية"}, []string{"security assurances"}, []string{"safety guarantees"}),
					"التزامات تطلبها روسيا من حلف شمال الأطلسي\na mistranslation of أمنية")},
				{41, withNote(tm("منظمة الأمن والتعاون في أوروبا", "Organization for Security and Co-operation in Europe", TypeName,
					nil, []string{"OSCE"}), `Spell out on first mention, then "OSCE"`)},
			},
			bad: []badRow{
				{60, "english", `conceptEntry "c3" has no English term that is not deprecated: Kiev`},
				{71, "english", `conceptEntry "c4" has no English term`},
			},
			present: []column{colArabic, colEnglish, colType, colVariants, colAlternatives, colForbidden, colNote},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := readFixture(t, tt.file)
			if f.Format != FormatTBX || f.Dialect != tt.dialect || f.Encoding != "utf-8" {
				t.Errorf("Format, Dialect, Encoding = %q, %q, %q; want tbx, %q, utf-8", f.Format, f.Dialect, f.Encoding, tt.dialect)
			}
			checkRows(t, f, tt.rows)
			checkBad(t, f.Bad, tt.bad)
			if !slices.Equal(f.Ignored, tt.ignored) {
				t.Errorf("Ignored = %q, want %q", f.Ignored, tt.ignored)
			}
			for c := colArabic; c < colCount; c++ {
				if want := slices.Contains(tt.present, c); f.Present[c] != want {
					t.Errorf("Present[%s] = %v, want %v", c, f.Present[c], want)
				}
			}
		})
	}
}

// tbxEntry is a TBX v2 document with one entry whose Arabic and English are given.
func tbxEntry(prolog, arabic, english string) string {
	return prolog + `<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="x">
<langSet xml:lang="ar"><tig><term>` + arabic + `</term></tig></langSet>
<langSet xml:lang="en"><tig><term>` + english + `</term></tig></langSet>
</termEntry>
</body></text></martif>
`
}

// TestReadTBX_Encodings: UTF-16 with a byte order mark, and the 8-bit Arabic code pages an
// XML declaration may name, read to the same term.
func TestReadTBX_Encodings(t *testing.T) {
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	codePage := func(cm *charmap.Charmap, s string) []byte {
		b, err := cm.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name, encoding string
		data           []byte
	}{
		{"UTF16LE", "utf-16le with BOM", utf16(tbxEntry(`<?xml version="1.0" encoding="UTF-16"?>`+"\n", "الكرملين", "the Kremlin"))},
		{"UTF8BOM", "utf-8 with BOM", []byte("\uFEFF" + tbxEntry(`<?xml version="1.0" encoding="utf-8"?>`+"\n", "الكرملين", "the Kremlin"))},
		{"Windows1256", "windows-1256", codePage(charmap.Windows1256, tbxEntry(`<?xml version="1.0" encoding="windows-1256"?>`+"\n", "الكرملين", "the Kremlin"))},
		{"ISO88596", "iso-8859-6", codePage(charmap.ISO8859_6, tbxEntry(`<?xml version="1.0" encoding="ISO-8859-6"?>`+"\n", "الكرملين", "the Kremlin"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Read(bytes.NewReader(tc.data), "g.tbx")
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tc.encoding || len(f.Rows) != 1 || f.Rows[0].Term.Arabic != "الكرملين" || f.Rows[0].Term.English != "the Kremlin" {
				t.Errorf("encoding %q, rows %+v; want %s and الكرملين → the Kremlin", f.Encoding, f.Rows, tc.encoding)
			}
		})
	}
}

// TestReadTBX_NeverFetches: a DOCTYPE naming an external DTD is read past without a request;
// an entity declared in the file's own DOCTYPE is expanded, and one that is external, not
// declared or that grows without bound is refused, naming the line, rather than fetched.
func TestReadTBX_NeverFetches(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<!ENTITY ext "fetched">`)
	}))
	defer srv.Close()

	doctype := `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE martif SYSTEM "` + srv.URL + `/TBXcoreStructV02.dtd">` + "\n"
	f, err := Read(strings.NewReader(tbxEntry(doctype, "الكرملين", "the Kremlin")), "dtd.tbx")
	if err != nil || len(f.Rows) != 1 {
		t.Fatalf("a TBX file with an external DTD: %v, %+v", err, f)
	}
	internal := `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE martif SYSTEM "` + srv.URL + `/x.dtd" [ <!ENTITY kremlin "the &#x4B;remlin"> ]>` + "\n"
	f, err = Read(strings.NewReader(tbxEntry(internal, "الكرملين", "&kremlin;")), "internal.tbx")
	if err != nil || len(f.Rows) != 1 || f.Rows[0].Term.English != "the Kremlin" {
		t.Fatalf("an entity of the internal subset: %v, %+v", err, f)
	}

	laughs := `<!ENTITY a0 "ha">`
	for i := 1; i <= 30; i++ {
		laughs += fmt.Sprintf(`<!ENTITY a%d "&a%d;&a%d;">`, i, i-1, i-1)
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"ExternalEntity", tbxEntry(doctype, "&ext;", "the Kremlin"), "ent.tbx:5: invalid character entity &ext; (column 40): Tarjama reads no external DTD"},
		{"InternalSubsetFileEntity", tbxEntry(`<?xml version="1.0"?>
<!DOCTYPE martif [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
`, "الكرملين", "&xxe;"), `ent.tbx:6: entity &xxe; is external ("file:///etc/passwd"): Tarjama never fetches`},
		{"BillionLaughs", tbxEntry(`<?xml version="1.0"?>
<!DOCTYPE martif [ `+laughs+` ]>
`, "&a30;", "x"), "ent.tbx:5: entity &a24; expands to more than 16 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc), "ent.tbx")
			var ie *ImportError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v; want an *ImportError starting %q", err, tc.want)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("reading TBX made %d requests to the DTD's server; want none", n)
	}
}

// TestReadTBX_Refusals: what is not a TBX glossary is refused naming the file, the line and
// the reason.
func TestReadTBX_Refusals(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"TMX", `<?xml version="1.0"?>` + "\n" + `<tmx version="1.4"><header/><body/></tmx>`, "m.tbx:2: this is a TMX translation memory, not a glossary"},
		{"XLIFF", `<xliff version="2.0"><file/></xliff>`, "m.tbx:1: this is an XLIFF bilingual file, not a glossary"},
		{"OtherXML", "<html>\n<body/></html>", "m.tbx:1: the root element is <html>; a TBX file starts with <martif> (TBX v2) or <tbx> (TBX v3)"},
		{"Malformed", tbxEntry("", "الكرملين", "the <b>Kremlin"), "m.tbx:4: element <b> closed by </term>"},
		{"Truncated", tbxEntry("", "الكرملين", "the Kremlin")[:120], "m.tbx:3: unexpected EOF"},
		{"UnknownEncoding", `<?xml version="1.0" encoding="klingon"?>` + "\n<martif/>", `m.tbx:1: the XML declaration names encoding "klingon", which is not known`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc), "m.tbx")
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v; want ErrInvalid starting %q", err, tc.want)
			}
			// An encoding the reader does not know is said as such, so the CLI and the pages
			// can say to save the file as UTF-8.
			var te *arabic.TextError
			if otherEncoding := errors.As(err, &te) && te.OtherEncoding; otherEncoding != (tc.name == "UnknownEncoding") {
				t.Errorf("err = %v: a text error of another encoding: %v", err, otherEncoding)
			}
		})
	}
}

// TestTBX_RoundTrip: WriteTBX then Read gives back the same terms, markup, line breaks,
// names and do-not-translate included.
func TestTBX_RoundTrip(t *testing.T) {
	terms := roundTripTerms(t)
	var buf bytes.Buffer
	if err := WriteTBX(&buf, terms); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">`) {
		t.Errorf("not a TBX-Basic v3 document:\n%.400s", buf.String())
	}
	f, err := Read(&buf, "export.tbx")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Bad) > 0 || len(f.Ignored) > 0 {
		t.Errorf("bad %v, ignored %q", f.Bad, f.Ignored)
	}
	checkSameTerms(t, f, terms)
}

// roundTripTerms is the terms of canonical.csv and roundtrip.csv (but one term per spelling,
// as a glossary has them), and some with markup.
func roundTripTerms(t *testing.T) []Term {
	t.Helper()
	var terms []Term
	seen := map[string]bool{}
	for _, name := range []string{"canonical.csv", "roundtrip.csv"} {
		for _, r := range readFixture(t, name).Rows {
			sp := termSpellings(&r.Term, r.Norm)
			if slices.ContainsFunc(sp, func(s spelling) bool { return seen[s.norm] }) {
				continue
			}
			for _, s := range sp {
				seen[s.norm] = true
			}
			terms = append(terms, r.Term)
		}
	}
	extra := []Term{
		{Arabic: "<b>حلف</b> & «الناتو»", English: `NATO's "alliance" <script>`, Type: TypeName,
			Variants: []string{"الحلف & الناتو"}, Alternatives: []string{"the <Alliance>"}, Forbidden: []string{"O'Tan & co"},
			Note: "line one\nline two\n\ttabbed & <escaped>", DoNotTranslate: true},
		{Arabic: "روسيا", English: "Russia"},
	}
	for i := range extra {
		prepareTerm(&extra[i])
	}
	return append(terms, extra...)
}

// checkSameTerms compares the rows of f with terms, in order.
func checkSameTerms(t *testing.T, f *File, terms []Term) {
	t.Helper()
	if len(f.Rows) != len(terms) {
		t.Fatalf("read back %d terms, wrote %d", len(f.Rows), len(terms))
	}
	for i, r := range f.Rows {
		if d := termDiff(r.Term, terms[i]); len(d) > 0 {
			t.Errorf("term %d differs in %v:\n got %+v\nwant %+v", i, d, r.Term, terms[i])
		}
	}
}
