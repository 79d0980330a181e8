package arabic

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// sample is Arabic news text with the punctuation Windows-1256 files carry (، ؟ ؛), digits
// and Latin letters.
const sample = "قال سيرغي لافروف، وزير الخارجية، إن موسكو مستعدة؟ نعم؛ New START 2026\r\nالسطر الثاني\n"

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeText(t *testing.T) {
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	for _, tc := range []struct {
		name    string
		in      []byte
		want    string
		wantEnc string
	}{
		{"UTF8", []byte(sample), sample, EncodingUTF8},
		{"UTF8BOM", append([]byte("\uFEFF"), sample...), sample, EncodingUTF8BOM},
		{"UTF16LEBOM", append([]byte{0xFF, 0xFE}, encode(t, utf16le, sample)...), sample, EncodingUTF16LEBOM},
		{"UTF16BEBOM", append([]byte{0xFE, 0xFF}, encode(t, utf16be, sample)...), sample, EncodingUTF16BEBOM},
		{"UTF16LENoBOM", encode(t, utf16le, sample), sample, EncodingUTF16LE},
		{"UTF16BENoBOM", encode(t, utf16be, sample), sample, EncodingUTF16BE},
		{"Windows1256", encode(t, charmap.Windows1256, sample), sample, EncodingWindows1256},
		// A single Arabic word before ؟ is a valid UTF-8 pair (0xDF 0xBF): still Windows-1256.
		{"Windows1256WithAQuestionMark", encode(t, charmap.Windows1256, "هل؟ لا"), "هل؟ لا", EncodingWindows1256},
		{"ASCII", []byte("NATO\n"), "NATO\n", EncodingUTF8},
		{"Empty", nil, "", EncodingUTF8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, enc, err := DecodeText(tc.in)
			if err != nil {
				t.Fatalf("DecodeText: %v", err)
			}
			if got != tc.want || enc != tc.wantEnc {
				t.Errorf("DecodeText = %q, %q; want %q, %q", got, enc, tc.want, tc.wantEnc)
			}
		})
	}
}

func TestDecodeText_NotText(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       []byte
		line     int
		contains string
	}{
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00\xc0\x10"), 0, "not a text file"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), 0, "not a text file"},
		{"NULInUTF8", []byte("سطر\nنص\x00آخر"), 0, "not a text file"},
		{"NULInUTF16", append([]byte{0xFF, 0xFE}, 'a', 0, 0, 0, 'b', 0), 0, "not a text file"},
		{"BrokenUTF8", []byte("سطر أول\nسطر \xe9ثاني\n"), 2, "not valid UTF-8"},
		{"BOMThenBrokenUTF8", []byte("\uFEFFسطر\n\xff"), 2, "not valid UTF-8"},
		// Every byte decodes as Windows-1256, but Latin-1 French does not come out Arabic: it
		// is refused, not read as mojibake.
		{"Latin1", encode(t, charmap.ISO8859_1, "Le café de la rédaction\n"), 1, "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := DecodeText(tc.in)
			var te *TextError
			if !errors.As(err, &te) || !errors.Is(err, ErrNotText) {
				t.Fatalf("err = %v; want a *TextError matching ErrNotText", err)
			}
			if te.Line != tc.line || !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("err = %q (line %d); want line %d and %q", err, te.Line, tc.line, tc.contains)
			}
		})
	}
}
