package arabic

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// readAll reads a document with XMLReader: the text of every element and attribute, in
// document order, or the line and reason of the error.
func readAll(t *testing.T, doc []byte) (text string, x *XMLReader, err error) {
	t.Helper()
	x = NewXMLReader(bytes.NewReader(doc))
	var b strings.Builder
	for {
		tok, err := x.Token()
		if err == io.EOF {
			return b.String(), x, nil
		}
		if err != nil {
			return b.String(), x, err
		}
		switch tok := tok.(type) {
		case xml.CharData:
			b.Write(tok)
		case xml.StartElement:
			for _, a := range tok.Attr {
				b.WriteString("[" + a.Name.Local + "=" + a.Value + "]")
			}
		}
	}
}

func TestXMLReader_Encodings(t *testing.T) {
	doc := func(enc string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?>` + "\n<seg>الكرملين: « Moscou »</seg>"
	}
	latin := func(enc string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?>` + "\n<seg>Kremlin – « Moscou » €</seg>"
	}
	for _, tc := range []struct {
		name, encoding, want string
		data                 []byte
	}{
		{"UTF8", EncodingUTF8, "الكرملين: « Moscou »", []byte(doc("UTF-8"))},
		{"UTF8NoDeclaration", EncodingUTF8, "الكرملين", []byte("<seg>الكرملين</seg>")},
		{"UTF8BOM", EncodingUTF8BOM, "الكرملين: « Moscou »", append([]byte{0xEF, 0xBB, 0xBF}, doc("utf-8")...)},
		{"UTF16LE", EncodingUTF16LEBOM, "الكرملين: « Moscou »", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), doc("UTF-16"))},
		{"UTF16BE", EncodingUTF16BEBOM, "الكرملين: « Moscou »", encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), doc("utf-16"))},
		{"Windows1256", "windows-1256", "الكرملين: « Moscou »", encode(t, charmap.Windows1256, doc("windows-1256"))},
		{"ISO88596", "iso-8859-6", "الكرملين", encode(t, charmap.ISO8859_6, `<?xml version="1.0" encoding="ISO-8859-6"?><seg>الكرملين</seg>`)},
		{"Windows1252", "windows-1252", "Kremlin – « Moscou » €", encode(t, charmap.Windows1252, latin("windows-1252"))},
		{"Latin1", "iso-8859-1", "Kremlin – « Moscou » €", encode(t, charmap.Windows1252, latin("ISO-8859-1"))},
		// A UTF-8 file whose declaration wrongly says UTF-16 (it has no BOM): read as it is.
		{"UTF8DeclaredUTF16", EncodingUTF8, "الكرملين: « Moscou »", []byte(doc("UTF-16"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, x, err := readAll(t, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, tc.want) || x.Encoding() != tc.encoding {
				t.Errorf("text %q, encoding %q; want %q in %s", text, x.Encoding(), tc.want, tc.encoding)
			}
		})
	}
}

// TestXMLReader_Entities: the entities of the internal subset are expanded as XML says,
// in text and attribute values, and the rest of a DOCTYPE is read past.
func TestXMLReader_Entities(t *testing.T) {
	doc := `<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [
  <!-- a comment with > and ]> in it -->
  <!ELEMENT tmx ANY>
  <!ENTITY nbsp "&#160;">
  <!ENTITY agency 'وكالة "الأنباء" &amp; &#x0623;خواتها'>
  <!ENTITY both "&agency;&nbsp;(&lt;AFP&gt;)">
  <!ENTITY nbsp "not this: the first declaration binds">
  <!ENTITY % local "<!ENTITY never 'never'>">
  <?tool ignored?>
]>
<tmx note="a&nbsp;b">قال&nbsp;ريابكوف — &both;</tmx>`
	text, _, err := readAll(t, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := "[note=a\u00a0b]قال\u00a0ريابكوف — وكالة \"الأنباء\" & أخواتها\u00a0(<AFP>)"
	if text = strings.TrimLeft(text, "\n"); text != want {
		t.Errorf("text\n got %q\nwant %q", text, want)
	}
}

// TestXMLReader_Refusals: each refusal names its line and says why.
func TestXMLReader_Refusals(t *testing.T) {
	laughs := `<!ENTITY lol "lol">`
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		laughs += fmt.Sprintf(`<!ENTITY lol%d "%s">`, i, strings.Repeat("&"+prev+";", 10))
	}
	// 64 KiB, used 300 times: each use is small, all together too much.
	wide := `<!ENTITY wide "` + strings.Repeat("x", 64<<10) + `">`
	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"Undeclared", "<seg>\na&nbsp;b</seg>", 2, "invalid character entity &nbsp; (column 8): Tarjama reads no external DTD"},
		{"External", "<!DOCTYPE seg [\n<!ENTITY x SYSTEM \"http://example.com/x\">\n]>\n<seg>\n&x;</seg>", 5, `entity &x; is external ("http://example.com/x"): Tarjama never fetches`},
		{"ExternalPublic", "<!DOCTYPE seg [<!ENTITY x PUBLIC \"-//X//EN\" \"x.ent\">]><seg>&x;</seg>", 1, `entity &x; is external ("x.ent")`},
		{"Recursive", "<!DOCTYPE seg [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><seg>&a;</seg>", 1, "entity &a; refers to itself"},
		{"UndeclaredInside", "<!DOCTYPE seg [<!ENTITY a \"x &b; y\">]><seg>&a;</seg>", 1, "entity &a; uses &b;, which is not declared"},
		{"Markup", "<!DOCTYPE seg [<!ENTITY b \"<b>bold</b>\">]><seg>&b;</seg>", 1, "entity &b; holds markup"},
		{"BillionLaughs", "<!DOCTYPE seg [" + laughs + "]>\n<seg>&lol9;</seg>", 2, "entity &lol7; expands to more than 16 MiB"},
		{"QuadraticBlowup", "<!DOCTYPE seg [" + wide + "]>\n<seg>" + strings.Repeat("&wide;", 300) + "</seg>", 2, "would add more than 16 MiB of text (&wide; and others used again and again)"},
		{"UnknownEncoding", "<?xml version=\"1.0\" encoding=\"klingon\"?>\n<seg/>", 1, `the XML declaration names encoding "klingon", which is not known`},
		{"UTF16WithoutBOM", "\x00<\x00s\x00e\x00g\x00/\x00>", 1, "looks like UTF-16 without a byte order mark"},
		{"Malformed", "<seg>\n<b>x</seg>", 2, "element <b> closed by </seg>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, x, err := readAll(t, []byte(tc.doc))
			if err == nil {
				t.Fatal("read without an error")
			}
			line, reason := x.Problem(err)
			if line != tc.line || !strings.Contains(reason.Error(), tc.want) {
				t.Errorf("line %d: %s\nwant line %d: …%s…", line, reason, tc.line, tc.want)
			}
			// What another encoding would read is said as such, so the CLI and the pages
			// can say to save the file as UTF-8.
			var te *TextError
			want := tc.name == "UnknownEncoding" || tc.name == "UTF16WithoutBOM"
			if other := errors.As(reason, &te) && te.OtherEncoding; other != want {
				t.Errorf("a text error of another encoding: %v, want %v", other, want)
			}
		})
	}
}

// TestXMLReader_NeverFetches: an external DTD, an external entity and an external parameter
// entity all name a local server, which must get no request.
func TestXMLReader_NeverFetches(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<!ENTITY ext "fetched">`)
	}))
	defer srv.Close()
	docs := []string{
		`<!DOCTYPE seg SYSTEM "` + srv.URL + `/dtd">` + "<seg>text</seg>",
		`<!DOCTYPE seg PUBLIC "-//X//DTD//EN" "` + srv.URL + `/public">` + "<seg>text</seg>",
		`<!DOCTYPE seg [<!ENTITY % ext SYSTEM "` + srv.URL + `/pe"> %ext;]>` + "<seg>text</seg>",
		`<!DOCTYPE seg [<!ENTITY ext SYSTEM "` + srv.URL + `/ge">]>` + "<seg>&ext;</seg>",
	}
	for i, doc := range docs {
		text, _, err := readAll(t, []byte(doc))
		if i < 3 && (err != nil || text != "text") {
			t.Errorf("document %d: %q, %v", i, text, err)
		}
		if i == 3 && err == nil {
			t.Errorf("document %d: the external entity was not refused: %q", i, text)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests; want none", n)
	}
}

func TestXMLReader_Root(t *testing.T) {
	x := NewXMLReader(strings.NewReader("<?xml version=\"1.0\"?>\n<!-- c -->\n<tmx version=\"1.4\"><body/></tmx>"))
	root, err := x.Root()
	if err != nil || root.Name.Local != "tmx" {
		t.Fatalf("Root = %v, %v", root.Name.Local, err)
	}
	for _, doc := range []string{"", "<?xml version=\"1.0\"?>\n<!-- only a comment -->\n"} {
		_, err := NewXMLReader(strings.NewReader(doc)).Root()
		if err == nil || !strings.Contains(err.Error(), "no root element") {
			t.Errorf("Root of %q: %v", doc, err)
		}
	}
	if _, err := NewXMLReader(strings.NewReader("plain text")).Root(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Root of plain text: %v", err)
	}
}

func TestLanguage(t *testing.T) {
	for _, tc := range []struct {
		tag, want string
		ok        bool
	}{
		{"ar", "ar", true}, {"AR-eg", "ar", true}, {"ara", "ar", true}, {"ar-Arab-EG", "ar", true}, {"ar_SA", "ar", true},
		{"en", "en", true}, {"EN-us", "en", true}, {"eng", "en", true}, {" en-GB ", "en", true},
		{"fr-FR", "fr", true}, {"arn", "arn", true}, {"*all*", "", false}, {"", "", false}, {"english", "", false},
	} {
		if got, ok := Language(tc.tag); got != tc.want || ok != tc.ok {
			t.Errorf("Language(%q) = %q, %v; want %q, %v", tc.tag, got, ok, tc.want, tc.ok)
		}
	}
}
