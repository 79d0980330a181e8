package xliff

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

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
		{"DeclaredEntity", `<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY nbsp "&#160;">]>` + "\n" + `<xliff version="1.2"><file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1"><source>نص&nbsp;عربي</source></trans-unit></body></file></xliff>`,
			"a.xlf:3: invalid character entity &nbsp; (column 38): Tarjama reads no DTD"},
		{"ExternalEntity", `<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + "\n" + `<xliff version="1.2"><file original="x" source-language="ar" datatype="plaintext"><body>` + "\n" +
			`<trans-unit id="1"><source>&x;</source></trans-unit></body></file></xliff>`,
			"a.xlf:3: invalid character entity &x;"},
		{"UnknownEncoding", `<?xml version="1.0" encoding="x-klingon"?><xliff/>`, `the XML declaration names encoding "x-klingon", which is not known`},
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
		})
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
