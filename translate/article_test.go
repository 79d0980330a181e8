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

func TestParseText(t *testing.T) {
	tests := []struct {
		name, data, wantTitle, wantErr string
	}{
		{"OK", "\ufeff\n\n  عنوان المقال  \nنص.", "عنوان المقال", ""},
		{"ErrEmpty", " \n\t\n", "", "x.txt: empty"},
		{"ErrNotUTF8", "سطر\n\xe1\xc7\xe1", "", "x.txt:2: not valid UTF-8"},
		{"ErrNUL", "a\x00b", "", "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, _, err := ParseText("x.txt", []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || title != tt.wantTitle {
				t.Fatalf("got %q, %v; want %q", title, err, tt.wantTitle)
			}
		})
	}
}

func TestProgress_Done(t *testing.T) {
	for _, c := range []struct {
		p    Progress
		want int
	}{
		{Progress{}, 0},
		{Progress{Total: 4, Approved: 1, Excluded: 1}, 33}, // 1 of the 3 to translate
		{Progress{Total: 4, Approved: 3, Excluded: 1}, 100},
		{Progress{Total: 4, Approved: 2}, 50},
		{Progress{Total: 2, Excluded: 2}, 100}, // nothing left to approve
		{Progress{Total: 3, Excluded: 1}, 0},
	} {
		if got := c.p.Done(); got != c.want {
			t.Errorf("%+v.Done() = %d, want %d", c.p, got, c.want)
		}
	}
}
