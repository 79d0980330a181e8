package translate

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// TestReadText: an article reads the same whatever encoding it was saved in, and ReadText
// says which one that was.
func TestReadText(t *testing.T) {
	const article = "روسيا تطالب بضمانات أمنية\r\n\r\nقال ريابكوف، نائب وزير الخارجية، إن موسكو مستعدة للحوار؟\r\n"
	enc := func(e encoding.Encoding, bom []byte) []byte {
		b, err := e.NewEncoder().Bytes([]byte(article))
		if err != nil {
			t.Fatal(err)
		}
		return append(bom, b...)
	}
	for _, tc := range []struct {
		name, wantEnc string
		data          []byte
	}{
		{"UTF8", "utf-8", []byte(article)},
		{"UTF8BOM", "utf-8 with BOM", append([]byte("\uFEFF"), article...)},
		{"UTF16LEBOM", "utf-16le with BOM", enc(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), []byte{0xFF, 0xFE})},
		{"UTF16BEBOM", "utf-16be with BOM", enc(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), []byte{0xFE, 0xFF})},
		{"Windows1256", "windows-1256", enc(charmap.Windows1256, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			title, text, gotEnc, err := ReadText("a.txt", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if title != "روسيا تطالب بضمانات أمنية" || text != article || gotEnc != tc.wantEnc {
				t.Errorf("ReadText = %q, %q, %q; want the article as UTF-8 and %q", title, text, gotEnc, tc.wantEnc)
			}
		})
	}
	for _, tc := range []struct{ name, data, want string }{
		{"Binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt: not a text file"},
		{"BrokenUTF8", "عنوان\n\nنص \xe9 آخر", "a.txt:3: not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := ReadText("a.txt", []byte(tc.data))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want ErrInvalid with %q", err, tc.want)
			}
		})
	}
}
