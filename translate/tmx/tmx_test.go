package tmx

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/fixtures"
	"github.com/tarjama/tarjama/translate/internal/xmllint"
)

func readFixture(t *testing.T, name string) *File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read, err := Read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return read
}

func date(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// pairsOnly drops what tests do not compare: the lines, checked on their own.
func pairsOnly(ps []Pair) []Pair {
	out := make([]Pair, len(ps))
	for i, p := range ps {
		p.Line = 0
		out[i] = p
	}
	return out
}

func checkPairs(t *testing.T, got, want []Pair) {
	t.Helper()
	got = pairsOnly(got)
	if len(got) != len(want) {
		t.Fatalf("%d pairs, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("pair %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestRead_Metadata: the tuid, dates, ids, notes and properties of a unit and of its two
// variants come with the pair; what a tool keeps on the header or counts (usage) does not.
func TestRead_Metadata(t *testing.T) {
	f := readFixture(t, "metadata.tmx")
	checkPairs(t, f.Pairs, []Pair{
		{
			Source: "أعلن الكرملين أن المحادثات ستستأنف الأسبوع المقبل.", Target: "The Kremlin announced that the talks would resume next week.",
			TUID: "news-0001", Created: date("20240110T083512Z"), CreationID: "mona", Changed: date("20240212T141003Z"), ChangeID: "sami",
			Notes: []Note{{Text: "Checked against the agency wire."}, {Text: "Tense follows the wire copy.", Lang: "en", Variant: OnTarget}},
			Props: []Prop{{Type: "x-Client", Value: "Desk"}, {Type: "x-Domain", Value: "Politics"}, {Type: "x-Context", Value: "headline", Variant: OnSource}},
		},
		{
			Source: "وقال المتحدث باسم الوزارة إن الوفد وصل إلى جنيف.", Target: "The ministry spokesman said the delegation had arrived in Geneva.",
			TUID: "news-0002", Created: date("20240111T090000Z"), CreationID: "mona",
		},
	})
	if f.Version != "1.4" || f.Units != 2 || len(f.Refused) != 0 || !reflect.DeepEqual(f.Languages, []string{"ar", "en"}) {
		t.Errorf("version %q, units %d, refused %v, languages %v", f.Version, f.Units, f.Refused, f.Languages)
	}
	if f.Pairs[0].Line != 12 || f.Pairs[1].Line != 26 {
		t.Errorf("lines %d, %d; want 12 and 26 (where each <tu> opens)", f.Pairs[0].Line, f.Pairs[1].Line)
	}
}

// TestRead_Text: what a segment's text is, one fixture per feature.
func TestRead_Text(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []Pair
	}{
		// The text of a segment is kept exactly.
		{"WhiteSpace", "whitespace.tmx", []Pair{
			{Source: "قال:[\t\t   ]انتهى", Target: "He said:[\t\t   ]the end", TUID: "ws-tabs"},
			{Source: "السطر الأول\nالسطر الثاني", Target: "First line\nsecond line", TUID: "ws-lines"},
			{Source: "  بداية ونهاية  ", Target: "  start and end \t", TUID: "ws-edges"},
		}},
		// Native codes and their sub-flows leave the text, the text around them stays as it
		// is, and <hi> keeps its text (nested too).
		{"InlineCodes", "inline.tmx", []Pair{
			{Source: "قال ريابكوف إن الحوار ممكن.", Target: "Ryabkov said dialogue was possible.", TUID: "in-paired"},
			{Source: "انظر الصورة  أدناه.", Target: "See the picture  below.", TUID: "in-placeholder"},
			{Source: "الأمم المتحدة: مجلس الأمن", Target: "United Nations: the Security Council", TUID: "in-isolated"},
		}},
		// Entities declared in the file's DOCTYPE are expanded in text and attributes,
		// character references and entities inside entities included.
		{"Entities", "entities.tmx", []Pair{{
			Source: "نقلت\u00a0وكالة الصحافة الفرنسية الخبر.", Target: "Agence France-Presse\u00a0(AFP) carried the report.",
			TUID: "وكالة الصحافة الفرنسية",
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkPairs(t, readFixture(t, tc.file).Pairs, tc.want) })
	}
}

// TestRead_LanguageCodes: Arabic and English are told by the primary subtag in any case,
// with a region or a script, or by the ISO 639-2 code; the units without both are refused
// naming their languages, and the file's languages are listed.
func TestRead_LanguageCodes(t *testing.T) {
	f := readFixture(t, "langcodes.tmx")
	checkPairs(t, f.Pairs, []Pair{
		{Source: "صباح الخير", Target: "Good morning", TUID: "plain"},
		{Source: "مساء الخير", Target: "Good evening", TUID: "cased"},
		{Source: "شكرا جزيلا", Target: "Thank you very much", TUID: "iso639-2"},
		{Source: "تصبح على خير", Target: "Good night", TUID: "script"},
	})
	want := []Refusal{
		{Line: 11, Element: "tu", TUID: "mapudungun", Reason: "no Arabic variant (languages arn, en)"},
		{Line: 12, Element: "tu", TUID: "french-german", Reason: "no Arabic and no English variant (languages fr, de)"},
	}
	if !reflect.DeepEqual(f.Refused, want) || !reflect.DeepEqual(f.Languages, []string{"ar", "arn", "de", "en", "fr"}) {
		t.Errorf("refused %+v\nlanguages %v", f.Refused, f.Languages)
	}
	if s := f.Refused[0].String(); s != `line 11: <tu tuid="mapudungun">: no Arabic variant (languages arn, en)` {
		t.Errorf("Refusal.String() = %q", s)
	}
}

// TestRead_TMX11: the lang attribute of TMX 1.1 on variants and notes, upper-case codes,
// English first, <ut> codes.
func TestRead_TMX11(t *testing.T) {
	f := readFixture(t, "tmx11.tmx")
	checkPairs(t, f.Pairs, []Pair{
		{Source: "ارتفع سعر النفط.", Target: "The oil price rose.", TUID: "1", Created: date("19990412T101500Z"), CreationID: "ALI",
			Props: []Prop{{Type: "x-Domain", Value: "Economy"}}},
		{Source: "عاجل: انتهى الاجتماع.", Target: "Breaking: the meeting has ended.", TUID: "2",
			Notes: []Note{{Text: "Urgent wire.", Lang: "EN"}}},
	})
	if f.Version != "1.1" {
		t.Errorf("version %q", f.Version)
	}
}

// TestRead_Encodings: the code pages an XML declaration names and UTF-16 with either byte
// order mark read to the same Arabic, notes included.
func TestRead_Encodings(t *testing.T) {
	ar := "قال وزير الخارجية، في مؤتمر صحفي: هل انتهت الأزمة؟ نعم؛ لقد انتهت."
	en := "The foreign minister said at a press conference: is the crisis over? Yes; it is over."
	for _, tc := range []struct {
		file, encoding string
		want           Pair
	}{
		{"windows1256.tmx", "windows-1256", Pair{Source: ar, Target: en, TUID: "cp1256", Notes: []Note{{Text: "Windows-1256"}}}},
		{"iso88596.tmx", "iso-8859-6", Pair{Source: "قال وزير الخارجية، هل انتهت الازمة؟ نعم؛ لقد انتهت.",
			Target: "The foreign minister said: is the crisis over? Yes; it is over.", TUID: "iso", Notes: []Note{{Text: "ISO-8859-6"}}}},
		{"windows1252.tmx", "windows-1252", Pair{Source: ar, Target: "The minister’s “crisis” is over – café talk.", TUID: "cp1252",
			Notes: []Note{{Text: "Café “résumé” – Windows-1252"}}}},
		{"utf16le.tmx", "utf-16le with BOM", Pair{Source: ar, Target: en, TUID: "utf16", Notes: []Note{{Text: "UTF-16 وثيقة"}}}},
		{"utf16be.tmx", "utf-16be with BOM", Pair{Source: ar, Target: en, TUID: "utf16be", Notes: []Note{{Text: "UTF-16 وثيقة"}}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f := readFixture(t, tc.file)
			checkPairs(t, f.Pairs, []Pair{tc.want})
			if f.Encoding != tc.encoding {
				t.Errorf("encoding %q, want %q", f.Encoding, tc.encoding)
			}
		})
	}
}

// TestRead_Fixture: the shared fixture the memory and command tests import.
func TestRead_Fixture(t *testing.T) {
	read, err := Read(bytes.NewReader(fixtures.TMX), "memory.tmx")
	if err != nil {
		t.Fatal(err)
	}
	checkPairs(t, read.Pairs, []Pair{
		{Source: "قال ريابكوف إن موسكو مستعدة للحوار.", Target: "Ryabkov said Moscow is ready for dialogue.", Created: date("20220301T101500Z")},
		{Source: "الضمانات الأمنية ضرورية.", Target: "Security guarantees are essential."},
		{Source: "موسكو وواشنطن", Target: "Moscow & Washington\n          \"talks\" <now>", Origin: "approved"},
	})
	if read.Units != 5 || len(read.Refused) != 2 || read.Refused[0].Line != 25 || read.Refused[1].Line != 30 {
		t.Errorf("units %d, refused %+v", read.Units, read.Refused)
	}
}

// TestRead_NeverFetches: an external DTD and external entities name a local server, which
// must get no request; using an external entity is refused naming the file and line.
func TestRead_NeverFetches(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<!ENTITY ext "fetched">`)
	}))
	defer srv.Close()
	unit := "<body>\n<tu><tuv xml:lang=\"ar\"><seg>%s</seg></tuv><tuv xml:lang=\"en\"><seg>text</seg></tuv></tu>\n</body></tmx>"
	dtd := `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE tmx SYSTEM "` + srv.URL + `/tmx14.dtd">` + "\n<tmx version=\"1.4\">" + fmt.Sprintf(unit, "نص")
	if f, err := Read(strings.NewReader(dtd), "dtd.tmx"); err != nil || len(f.Pairs) != 1 {
		t.Errorf("a TMX file naming an external DTD: %v %+v", err, f)
	}
	for _, doc := range []string{
		`<!DOCTYPE tmx [<!ENTITY ext SYSTEM "` + srv.URL + `/ext">]>` + "\n<tmx version=\"1.4\">" + fmt.Sprintf(unit, "&ext;"),
		`<!DOCTYPE tmx [<!ENTITY % pe SYSTEM "` + srv.URL + `/pe"> %pe;]>` + "\n<tmx version=\"1.4\">" + fmt.Sprintf(unit, "&ext;"),
	} {
		_, err := Read(strings.NewReader(doc), "ext.tmx")
		if err == nil || !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), "ext.tmx:3: ") {
			t.Errorf("an external entity: err = %v, want the file and line 3", err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("reading TMX made %d requests; want none", n)
	}
}

func TestRead_Errors(t *testing.T) {
	laughs := `<!ENTITY l0 "ha">`
	for i := 1; i <= 40; i++ {
		laughs += fmt.Sprintf(`<!ENTITY l%d "&l%d;&l%d;">`, i, i-1, i-1)
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"mismatched tag", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x</tuv>\n</body></tmx>", "bad.tmx:3: element <seg> closed by </tuv>"},
		{"cut off", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x", "bad.tmx:3: unexpected EOF"},
		{"undeclared entity", "<tmx version=\"1.4\"><body>\n\n<tu><tuv xml:lang=\"en\"><seg>a &nbsp; b</seg></tuv></tu></body></tmx>", "bad.tmx:3: invalid character entity &nbsp;"},
		{"billion laughs", "<!DOCTYPE tmx [" + laughs + "]>\n<tmx version=\"1.4\"><body>\n<tu><tuv xml:lang=\"en\"><seg>&l40;</seg></tuv></tu></body></tmx>", "bad.tmx:3: entity &l24; expands to more than 16 MiB"},
		{"not tmx", "<html><body></body></html>", "bad.tmx:1: the root element is <html>; a TMX file starts with <tmx>"},
		{"tbx", "<martif type=\"TBX\"/>", "a TBX glossary, not a TMX memory"},
		{"empty", "", "no root element"},
		{"unknown encoding", "<?xml version=\"1.0\" encoding=\"x-klingon\"?><tmx/>", `names encoding "x-klingon", which is not known`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc), "bad.tmx")
			if err == nil || !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want translate.ErrInvalid with %q", err, tc.want)
			}
			// An encoding the reader does not know is said as such, so the CLI and the pages
			// can say to save the file as UTF-8.
			var te *arabic.TextError
			if other := errors.As(err, &te) && te.OtherEncoding; other != (tc.name == "unknown encoding") {
				t.Errorf("a text error of another encoding: %v", other)
			}
		})
	}
}

// TestRead_RefusedUnits: a unit that cannot be a pair is refused with its line and every
// reason, and the others still come in.
func TestRead_RefusedUnits(t *testing.T) {
	doc := `<tmx version="1.4"><header/><body>
<tu tuid="a" creationdate="yesterday"><tuv xml:lang="ar"><seg>نص</seg></tuv><tuv xml:lang="en"><seg>text</seg></tuv></tu>
<tu tuid="b"><tuv xml:lang="ar"><seg>   </seg></tuv><tuv xml:lang="en"><seg>text</seg></tuv></tu>
<tu tuid="c"></tu>
<tu tuid="d"><tuv xml:lang="ar"><seg>` + strings.Repeat("ب", MaxSourceBytes) + `</seg></tuv><tuv xml:lang="en"><seg>long</seg></tuv></tu>
<tu tuid="e" changedate="20240101T000000Z"><tuv xml:lang="ar"><seg>نص آخر</seg></tuv><tuv xml:lang="en"><seg>other text</seg></tuv></tu>
</body></tmx>`
	f, err := Read(strings.NewReader(doc), "refused.tmx")
	if err != nil {
		t.Fatal(err)
	}
	want := []Refusal{
		{Line: 2, Element: "tu", TUID: "a", Reason: `creationdate "yesterday": not a TMX date (YYYYMMDDThhmmssZ)`},
		{Line: 3, Element: "tu", TUID: "b", Reason: "the Arabic segment is empty"},
		{Line: 4, Element: "tu", TUID: "c", Reason: "no Arabic and no English variant (the unit has no variants)"},
		{Line: 5, Element: "tu", TUID: "d", Reason: "a segment is too long for a translation memory entry (at most 128 KiB of Arabic and 64 KiB of English)"},
	}
	if !reflect.DeepEqual(f.Refused, want) {
		t.Errorf("refused:\n got %+v\nwant %+v", f.Refused, want)
	}
	checkPairs(t, f.Pairs, []Pair{{Source: "نص آخر", Target: "other text", TUID: "e", Changed: date("20240101T000000Z")}})
}

// everything is a pair with every field Write writes.
var everything = Pair{
	Source: "قال:\t«الحوار» <ممكن> & ضروري\nالسطر الثاني ", Target: `He said: "dialogue" <is> possible & needed` + "\n  second line\t",
	Origin: "approved", TUID: "t-1 & <2>", Created: date("20240110T083512Z"), CreationID: "mona", Changed: date("20240212T141003Z"), ChangeID: "sami",
	Notes: []Note{{Text: "on the unit"}, {Text: "ملاحظة", Lang: "ar", Variant: OnSource}, {Text: "on the English", Variant: OnTarget}},
	Props: []Prop{{Type: "x-Domain", Value: "Politics & <war>"}, {Type: "x-Context", Value: "headline", Lang: "en", Variant: OnSource}, {Type: "x-Len", Value: "40", Variant: OnTarget}},
}

// TestWrite_RoundTrip: what Write writes, Read reads back the same, white space, markup
// characters and metadata included.
func TestWrite_RoundTrip(t *testing.T) {
	pairs := []Pair{everything, {Source: "نص", Target: "text"}}
	var buf bytes.Buffer
	if err := Write(&buf, pairs, ""); err != nil {
		t.Fatal(err)
	}
	read, err := Read(bytes.NewReader(buf.Bytes()), "out.tmx")
	if err != nil {
		t.Fatal(err)
	}
	checkPairs(t, read.Pairs, pairs)
	var again bytes.Buffer
	if err := Write(&again, read.Pairs, ""); err != nil || again.String() != buf.String() {
		t.Errorf("written again differs (%v):\n%s\n---\n%s", err, again.String(), buf.String())
	}
}

// TestWrite_ValidatesAgainstDTD: a memory with every field, and an empty one, are valid TMX
// 1.4 by the standard's DTD (testdata/tmx14.dtd, as published).
func TestWrite_ValidatesAgainstDTD(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pairs []Pair
	}{{"Pairs", []Pair{everything, {Source: "نص", Target: "text"}}}, {"Empty", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tc.pairs, "the translation memory is empty -- nothing to write"); err != nil {
				t.Fatal(err)
			}
			xmllint.Validate(t, buf.Bytes(), "--dtdvalid", filepath.Join("testdata", "tmx14.dtd"))
		})
	}
}

// TestScan: Scan hands over the pairs in file order as it reads them, and an error of its
// function stops the reading and comes back as it is.
func TestScan(t *testing.T) {
	var got []string
	f, err := Scan(bytes.NewReader(fixtures.TMX), "memory.tmx", func(p Pair) error {
		got = append(got, p.Target)
		return nil
	})
	if err != nil || len(got) != 3 || got[1] != "Security guarantees are essential." || f.Pairs != nil || f.Units != 5 || len(f.Refused) != 2 {
		t.Fatalf("Scan = %+v, %v; pairs %q", f, err, got)
	}
	stop := errors.New("stop here")
	n := 0
	_, err = Scan(bytes.NewReader(fixtures.TMX), "memory.tmx", func(Pair) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("Scan stopped by its function: err %v after %d pairs; want the function's error after 1", err, n)
	}
}
