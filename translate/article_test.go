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
			got, err := ReadText("a.txt", "", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "روسيا تطالب بضمانات أمنية" || got.Body != article || got.Encoding != tc.wantEnc {
				t.Errorf("ReadText = %q, %q, %q; want the article as UTF-8 and %q", got.Title, got.Body, got.Encoding, tc.wantEnc)
			}
		})
	}
	for _, tc := range []struct{ name, data, want string }{
		{"Binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt: not a text file"},
		{"BrokenUTF8", "عنوان\n\nنص \xe9 آخر", "a.txt:3: not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadText("a.txt", "", []byte(tc.data))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

// TestNewText_TextRule: an article's title and text follow the one text rule: a control
// character is refused naming the field (the file for a file's text, with the line), a bidi
// control is refused in a title and removed from the text, counted for the notice.
func TestNewText_TextRule(t *testing.T) {
	for _, tc := range []struct {
		name, title, text string
		want              string // a part of the error
	}{
		{"ESC in the title", "Red \x1b[31m", "نص.", "title: character 5: U+001B"},
		{"RLO in the title", "عنوان\u202e", "نص.", "title: character 6: U+202E"},
		{"NUL in the text", "", "عنوان\n\nنص\x00.", "text: line 3, character 3: U+0000"},
		{"C1 in the text", "", "نص\u009b.", "text: character 3: U+009B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewText("text", tc.title, tc.text)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewText = %v; want ErrInvalid with %q", err, tc.want)
			}
		})
	}
	got, err := NewText("text", "", "عنوان\u2067 الخبر\u200f\n\nقال\u202b ريابكوف.")
	if err != nil || got.Body != "عنوان الخبر\u200f\n\nقال ريابكوف." || got.Title != "عنوان الخبر\u200f" || got.Stripped != 2 ||
		got.Notice() != "text: removed 2 invisible bidi control characters (U+202A–U+202E, U+2066–U+2069), which would reorder the text without showing" {
		t.Errorf("NewText with bidi controls = %+v (%q), %v", got, got.Notice(), err)
	}
	if _, err := ReadText("a.txt", "", []byte("عنوان\n\nنص\x1b.")); err == nil || !strings.Contains(err.Error(), "a.txt: line 3, character 3: U+001B") {
		t.Errorf("ReadText of a file with ESC = %v; want the file and line named", err)
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
