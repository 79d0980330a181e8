package xliff

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// The Arabic and English of the layout fixtures: a headline and two paragraphs.
const (
	arTitle = "الأمم المتحدة تدعو إلى هدنة إنسانية في السودان"
	enTitle = "UN calls for a humanitarian truce in Sudan"
	arCall  = "دعا الأمين العام للأمم المتحدة يوم الثلاثاء إلى هدنة فورية في السودان."
	enCall  = "The UN Secretary-General on Tuesday called for an immediate truce in Sudan."
	arNeed  = "وقال إن ملايين المدنيين بحاجة إلى مساعدات عاجلة."
	enNeed  = "He said millions of civilians urgently need aid."
	arReady = "وأضاف أن المنظمة مستعدة لدعم أي مفاوضات بين الطرفين."
)

// want is what a test expects of one unit.
type want struct {
	part, source, target string
	state                State
	para                 int
}

func readLayout(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "layouts", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(bytes.NewReader(data), name)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return f
}

func checkUnits(t *testing.T, f *File, wants []want) {
	t.Helper()
	if len(f.Units) != len(wants) {
		t.Fatalf("%d units, want %d: %+v", len(f.Units), len(wants), f.Units)
	}
	for i, w := range wants {
		u := f.Units[i]
		if u.Part != w.part || u.Source != w.source || u.Target != w.target || u.HasTarget != (w.target != "") || u.State != w.state || u.Paragraph != w.para || u.Meta != nil {
			t.Errorf("unit %d = %+v\nwant %+v", i, u, w)
		}
	}
}

// TestRead_Layouts reads a file in each layout the tools write, told by its content: the
// units, their segmentation, paragraphs, targets and states, with inline codes dropped.
func TestRead_Layouts(t *testing.T) {
	for _, tc := range []struct {
		file         string
		version, src string
		tool         string
		skipped      int
		units        []want
	}{
		{"okapi-omegat-1.2.xlf", "1.2", "ar", "okapi-framework:xliff-filter", 2, []want{
			{"", arTitle, enTitle, StateTranslated, 0},
			{"", arCall + " " + arNeed, enCall + " " + enNeed, StateNone, 1},
			{"", arReady, "", StateNone, 2},
		}},
		{"trados-sdlxliff-1.2.xlf", "1.2", "ar-SA", "", 1, []want{
			{"", arTitle, enTitle, StateNone, 0},
			{"2", arCall, enCall, StateNone, 1},
			{"3", arNeed, enNeed, StateNone, 1},
			{"", arReady, "", StateNone, 2},
		}},
		{"memoq-1.2.xlf", "1.2", "ar-EG", "", 0, []want{
			{"", arTitle, enTitle, StateNone, 0},
			{"", "دعا الأمين العام يوم الثلاثاء إلى هدنة فورية في السودان.", "The Secretary-General on Tuesday called for an immediate truce in Sudan.", StateNone, 1},
			{"", arNeed, "", StateNone, 2},
		}},
		{"matecat-1.2.xlf", "1.2", "ar-SA", "MateCat", 0, []want{
			{"", arTitle, enTitle, StateFinal, 0},
			{"1", arCall, enCall, StateTranslated, 1},
			{"2", arNeed, enNeed, StateTranslated, 1},
			{"", arReady, "He added the organisation is ready to back any talks between the two sides.", StateNeedsReview, 2},
		}},
		{"groups-2.0.xlf", "2.0", "AR-eg", "", 1, []want{
			{"", arTitle, enTitle, StateFinal, 0},
			{"s2", arCall, enCall, StateReviewed, 1},
			{"s3", arNeed + "\u200f", enNeed, StateTranslated, 1},
			{"", arReady, "", StateInitial, 2},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f := readLayout(t, tc.file)
			if f.Version != tc.version || f.SrcLang != tc.src || f.Tool != tc.tool || f.Skipped != tc.skipped || f.Article != 0 {
				t.Errorf("file = version %s, source %s, tool %q, %d skipped, article %d; want %s, %s, %q, %d, 0",
					f.Version, f.SrcLang, f.Tool, f.Skipped, f.Article, tc.version, tc.src, tc.tool, tc.skipped)
			}
			checkUnits(t, f, tc.units)
		})
	}
}

// TestRead_ParagraphsFromGroups: in a file whose units are single sentences, the innermost
// <group> makes the paragraph; units outside any group are paragraphs of their own.
func TestRead_ParagraphsFromGroups(t *testing.T) {
	doc := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="a" source-language="ar" datatype="plaintext"><body>
<trans-unit id="t"><source>` + arTitle + `</source></trans-unit>
<group id="section"><group id="p1">
<trans-unit id="1"><source>` + arCall + `</source></trans-unit><trans-unit id="2"><source>` + arNeed + `</source></trans-unit>
</group><group id="p2"><trans-unit id="3"><source>` + arReady + `</source></trans-unit></group></group>
</body></file></xliff>`
	f, err := Read(strings.NewReader(doc), "g.xlf")
	if err != nil {
		t.Fatal(err)
	}
	checkUnits(t, f, []want{{"", arTitle, "", StateNone, 0}, {"", arCall, "", StateNone, 1}, {"", arNeed, "", StateNone, 1}, {"", arReady, "", StateNone, 2}})
}

// TestRead_Encodings: UTF-16 with a byte order mark, and an encoding the declaration names.
func TestRead_Encodings(t *testing.T) {
	doc := `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar" trgLang="en"><file id="f"><unit id="u"><segment><source>` +
		arTitle + `</source><target>` + enTitle + `</target></segment></unit></file></xliff>`
	u16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(`<?xml version="1.0" encoding="UTF-16"?>` + doc)
	if err != nil {
		t.Fatal(err)
	}
	cp1256, err := charmap.Windows1256.NewEncoder().String(`<?xml version="1.0" encoding="windows-1256"?>` + doc)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf-16": u16, "windows-1256": cp1256, "bom": "\ufeff" + doc} {
		f, err := Read(strings.NewReader(data), name+".xlf")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkUnits(t, f, []want{{"", arTitle, enTitle, StateInitial, 0}})
	}
}

// TestRead_Refusals: every refusal names the file, the line and the element, and the reason.
func TestRead_Refusals(t *testing.T) {
	const head12 = `<?xml version="1.0"?>` + "\n" + `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">` + "\n"
	const head20 = `<?xml version="1.0"?>` + "\n" + `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar" trgLang="en">` + "\n"
	laughs := `<!ENTITY l0 "ha">`
	for i := 1; i <= 40; i++ {
		laughs += fmt.Sprintf(`<!ENTITY l%d "&l%d;&l%d;">`, i, i-1, i-1)
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"EnglishSource", head12 + `<file original="news.docx" source-language="en-US" target-language="fr-FR" datatype="plaintext"><body/></file></xliff>`,
			`a.xlf:3: <file original="news.docx">: source language "en-US", target language "fr-FR"; Tarjama reads Arabic → English files`},
		{"FrenchTarget20", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar-SA" trgLang="fr"><file id="f"/></xliff>`,
			`a.xlf:1: <xliff>: source language "ar-SA", target language "fr"; Tarjama reads Arabic → English files`},
		{"NoSourceLanguage", head12 + `<file original="x" datatype="plaintext"><body/></file></xliff>`,
			`a.xlf:3: <file original="x">: no source language; Tarjama reads Arabic → English files`},
		{"NoSource", head20 + `<file id="f">` + "\n" + `<unit id="u7"><segment id="s1"><target>x</target></segment></unit></file></xliff>`,
			`a.xlf:4: <segment id="s1">: no <source> in <unit id="u7">`},
		{"NoSegment", head20 + `<file id="f">` + "\n" + `<unit id="u7"><notes><note>n</note></notes></unit></file></xliff>`,
			`a.xlf:4: <unit id="u7">: no <segment>`},
		{"Unclosed", head12 + `<file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" + `<trans-unit id="1"><source>نص</trans-unit></body></file></xliff>`,
			"a.xlf:4: element <source> closed by </trans-unit>"},
		{"UndeclaredEntity", `<?xml version="1.0"?>` + "\n" + `<xliff version="1.2"><file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1"><source>نص&nbsp;عربي</source></trans-unit></body></file></xliff>`,
			"a.xlf:3: invalid character entity &nbsp; (column 38): Tarjama reads no external DTD"},
		{"ExternalEntity", `<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + "\n" + `<xliff version="1.2"><file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1"><source>&x;</source></trans-unit></body></file></xliff>`,
			`a.xlf:3: entity &x; is external ("file:///etc/passwd"): Tarjama never fetches`},
		{"BillionLaughs", `<!DOCTYPE xliff [` + laughs + `]>` + "\n" + `<xliff version="1.2"><file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1"><source>&l40;</source></trans-unit></body></file></xliff>`,
			"a.xlf:3: entity &l24; expands to more than 16 MiB"},
		{"UnknownEncoding", `<?xml version="1.0" encoding="x-klingon"?><xliff/>`, `a.xlf:1: the XML declaration names encoding "x-klingon", which is not known`},
		{"NotXLIFF", `<tmx version="1.4"><header/><body/></tmx>`, "a.xlf:1: the root element is <tmx>, not <xliff>: this is not an XLIFF file"},
		{"Empty", ``, "a.xlf: no root element"},
		{"NothingToTranslate", head20 + `<file id="f"><unit id="u" translate="no"><segment><source>نص</source></segment></unit></file></xliff>`,
			`a.xlf: no unit to translate`},
		{"OursMixedArticles", head12 + `<file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1" extradata="tarjama article=3 segment=1 version=0"><source>نص</source></trans-unit>` + "\n" +
			`<trans-unit id="9" extradata="tarjama article=4 segment=9 version=0"><source>نص</source></trans-unit></body></file></xliff>`,
			`a.xlf:5: <trans-unit id="9">: exported from article 4, but unit "1" from article 3`},
		{"OursUnitWithoutRecord", head12 + `<file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1" extradata="tarjama article=3 segment=1 version=0"><source>نص</source></trans-unit>` + "\n" +
			`<trans-unit id="new"><source>نص</source></trans-unit></body></file></xliff>`,
			`a.xlf:5: <trans-unit id="new">: has no Tarjama segment record, though the file is an export of article 3`},
		{"OursBadVersion", head12 + `<file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1" extradata="tarjama article=3 segment=1 version=new"><source>نص</source></trans-unit></body></file></xliff>`,
			`a.xlf:4: <trans-unit id="1">: Tarjama's record of the unit has no valid version ("new")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc), "a.xlf")
			var xe *Error
			if err == nil || !errors.As(err, &xe) || !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v, want an *Error containing %q", err, tc.want)
			}
			// An encoding the reader does not know is said as such, so the CLI and the pages
			// can say to save the file as UTF-8.
			var te *arabic.TextError
			if other := errors.As(err, &te) && te.OtherEncoding; other != (tc.name == "UnknownEncoding") {
				t.Errorf("Read = %v: an *arabic.TextError of another encoding: %v", err, other)
			}
		})
	}
}

// TestRead_DeclaredEntities: entities the file declares in its own DOCTYPE are expanded, in
// text and in attributes, as in TBX and TMX files.
func TestRead_DeclaredEntities(t *testing.T) {
	doc := `<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY nbsp "&#160;">
  <!ENTITY un "the UN">
  <!ENTITY src "ar-SA">
]>
<xliff version="1.2"><file original="x" source-language="&src;" target-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>نص&nbsp;عربي</source><target>&un;&nbsp;&amp; Sudan</target></trans-unit></body></file></xliff>`
	f, err := Read(strings.NewReader(doc), "ent.xlf")
	if err != nil {
		t.Fatal(err)
	}
	if f.SrcLang != "ar-SA" {
		t.Errorf("source language %q, want the entity's ar-SA", f.SrcLang)
	}
	checkUnits(t, f, []want{{"", "نص\u00a0عربي", "the UN\u00a0& Sudan", StateNone, 0}})
}

// TestRead_NeverFetches: an external DTD and external entities name a local server, which
// must get no request, from Read or Root; using an external entity is refused naming the
// file and line.
func TestRead_NeverFetches(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<!ENTITY ext "fetched">`)
	}))
	defer srv.Close()
	body := "\n" + `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar" trgLang="en"><file id="f">` + "\n" +
		`<unit id="u"><segment><source>%s</source></segment></unit></file></xliff>`
	dtd := `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE xliff SYSTEM "` + srv.URL + `/xliff.dtd">` + fmt.Sprintf(body, arTitle)
	if f, err := Read(strings.NewReader(dtd), "dtd.xlf"); err != nil || len(f.Units) != 1 || f.Units[0].Source != arTitle {
		t.Errorf("an XLIFF file naming an external DTD: %v %+v", err, f)
	}
	for _, doc := range []string{
		`<!DOCTYPE xliff [<!ENTITY ext SYSTEM "` + srv.URL + `/ext">]>` + "\n" + fmt.Sprintf(body, "&ext;"),
		`<!DOCTYPE xliff [<!ENTITY ext PUBLIC "-//X//EN" "` + srv.URL + `/ext">]>` + "\n" + fmt.Sprintf(body, "&ext;"),
		`<!DOCTYPE xliff [<!ENTITY % pe SYSTEM "` + srv.URL + `/pe"> %pe;]>` + "\n" + fmt.Sprintf(body, "&ext;"),
	} {
		_, err := Read(strings.NewReader(doc), "ext.xlf")
		var xe *Error
		if !errors.As(err, &xe) || !errors.Is(err, translate.ErrInvalid) || !strings.HasPrefix(err.Error(), "ext.xlf:4: ") {
			t.Errorf("an external entity: err = %v, want an *Error naming the file and line 4", err)
		}
		if root, err := Root([]byte(doc), "ext.xlf"); err != nil || root != "xliff" {
			t.Errorf("Root = %q, %v", root, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("reading XLIFF made %d requests; want none", n)
	}
}

// TestRoot names the root element as the import needs it to tell the formats apart, and
// refuses what is not XML naming the file, an unknown encoding as an *arabic.TextError.
func TestRoot(t *testing.T) {
	for _, tc := range []struct {
		doc, root string
	}{
		{`<?xml version="1.0"?><!-- a memory --><tmx version="1.4"><body/></tmx>`, "tmx"},
		{"\ufeff<martif type=\"TBX\"/>", "martif"},
		{`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"><file`, "xliff"},
	} {
		if root, err := Root([]byte(tc.doc), "r.xml"); err != nil || root != tc.root {
			t.Errorf("Root(%q) = %q, %v; want %q", tc.doc, root, err, tc.root)
		}
	}
	for _, tc := range []struct {
		doc, want string
		text      bool
	}{
		{"", "r.xml:1: no root element", false},
		{"just text", "r.xml:1: ", false},
		{"<?xml version=\"1.0\" encoding=\"x-klingon\"?>\n<xliff/>", `r.xml:1: the XML declaration names encoding "x-klingon", which is not known`, true},
	} {
		_, err := Root([]byte(tc.doc), "r.xml")
		var xe *Error
		var te *arabic.TextError
		if !errors.As(err, &xe) || !errors.Is(err, translate.ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Root(%q) = %v, want an *Error starting %q", tc.doc, err, tc.want)
		}
		if got := errors.As(err, &te) && te.OtherEncoding; got != tc.text {
			t.Errorf("Root(%q) = %v: an *arabic.TextError of another encoding: %v, want %v", tc.doc, err, got, tc.text)
		}
	}
}

// TestRead_TooLarge refuses a file over MaxFileBytes without reading all of it.
func TestRead_TooLarge(t *testing.T) {
	_, err := Read(strings.NewReader(strings.Repeat(" ", MaxFileBytes+1)), "big.xlf")
	if err == nil || !strings.Contains(err.Error(), "big.xlf: larger than 32 MiB") {
		t.Errorf("Read = %v", err)
	}
}

// TestRead_OurUnitCutByAnotherTool: a tool that cut one of Tarjama's 1.2 units into sentences
// gives it back whole, its parts joined, at the least advanced state of them.
func TestRead_OurUnitCutByAnotherTool(t *testing.T) {
	doc := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="x" source-language="ar" target-language="en" datatype="plaintext"><body>
<trans-unit id="12" extradata="tarjama article=3 segment=12 version=2 target=0123456789abcdef"><source>` + arCall + " " + arNeed + `</source>
<seg-source><mrk mtype="seg" mid="1">` + arCall + `</mrk> <mrk mtype="seg" mid="2">` + arNeed + `</mrk></seg-source>
<target state="translated"><mrk mtype="seg" mid="1">` + enCall + `</mrk> <mrk mtype="seg" mid="2">` + enNeed + `</mrk></target></trans-unit>
</body></file></xliff>`
	f, err := Read(strings.NewReader(doc), "back.xlf")
	if err != nil {
		t.Fatal(err)
	}
	if f.Article != 3 || len(f.Units) != 1 {
		t.Fatalf("article %d, units %+v", f.Article, f.Units)
	}
	u := f.Units[0]
	if u.Source != arCall+" "+arNeed || u.Target != enCall+" "+enNeed || u.State != StateTranslated || u.Part != "" ||
		*u.Meta != (Meta{Article: 3, Segment: 12, Version: 2, Target: "0123456789abcdef"}) {
		t.Errorf("unit = %+v %+v", u, u.Meta)
	}
}

// TestState_Status: final comes in approved, the rest edited; only a further state raises a
// segment whose text did not change.
func TestState_Status(t *testing.T) {
	if StateFinal.Status() != translate.StatusApproved || StateTranslated.Status() != translate.StatusEdited || StateInitial.Status() != translate.StatusEdited {
		t.Error("Status maps final to approved and the rest to edited")
	}
	for _, tc := range []struct {
		s    State
		st   translate.Status
		want bool
	}{
		{StateFinal, translate.StatusEdited, true}, {StateFinal, translate.StatusApproved, false},
		{StateReviewed, translate.StatusMachine, true}, {StateTranslated, translate.StatusTM, true},
		{StateTranslated, translate.StatusEdited, false}, {StateTranslated, translate.StatusApproved, false},
		{StateNeedsReview, translate.StatusMachine, false}, {StateInitial, translate.StatusDraft, false},
	} {
		if got := tc.s.Raises(tc.st); got != tc.want {
			t.Errorf("%s.Raises(%s) = %v", tc.s, tc.st, got)
		}
	}
}

func TestLanguages(t *testing.T) {
	for _, tag := range []string{"ar", "AR", "ar-SA", "ar_EG", "ara", "ar-Arab-EG"} {
		if !IsArabic(tag) {
			t.Errorf("IsArabic(%q) = false", tag)
		}
	}
	for _, tag := range []string{"", "fa", "arn", "en"} {
		if IsArabic(tag) {
			t.Errorf("IsArabic(%q) = true", tag)
		}
	}
	for _, tag := range []string{"en", "EN-us", "en_GB", "eng"} {
		if !IsEnglish(tag) {
			t.Errorf("IsEnglish(%q) = false", tag)
		}
	}
}
