package tmx

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/fixtures"
	"golang.org/x/text/encoding/unicode"
)

func TestRead(t *testing.T) {
	read, err := Read(bytes.NewReader(fixtures.TMX), "memory.tmx")
	if err != nil {
		t.Fatal(err)
	}
	want := []Pair{
		{Source: "قال ريابكوف إن موسكو مستعدة للحوار.", Target: "Ryabkov said Moscow is ready for dialogue.",
			Created: time.Date(2022, 3, 1, 10, 15, 0, 0, time.UTC), Line: 8},
		{Source: "الضمانات الأمنية ضرورية.", Target: "Security guarantees are essential.", Line: 13},
		{Source: "موسكو وواشنطن", Target: `Moscow & Washington "talks" <now>`, Origin: "approved", Line: 18},
	}
	if !reflect.DeepEqual(read.Pairs, want) {
		t.Errorf("pairs:\n got %+v\nwant %+v", read.Pairs, want)
	}
	if read.Units != 5 || read.Skipped != 2 || len(read.Notes) != 2 ||
		!strings.HasPrefix(read.Notes[0], "line 25: no Arabic text") || !strings.HasPrefix(read.Notes[1], "line 30: no Arabic text") {
		t.Errorf("units %d, skipped %d, notes %q", read.Units, read.Skipped, read.Notes)
	}
}

func TestRead_UTF16(t *testing.T) {
	utf8Doc := strings.Replace(string(fixtures.TMX), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	enc, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(utf8Doc)
	if err != nil {
		t.Fatal(err)
	}
	read, err := Read(strings.NewReader(enc), "utf16.tmx")
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Pairs) != 3 || read.Pairs[1].Source != "الضمانات الأمنية ضرورية." {
		t.Errorf("UTF-16 file read as %+v", read.Pairs)
	}
}

func TestRead_Errors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"mismatched tag", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x</tuv>\n</body></tmx>", "bad.tmx:3:"},
		{"cut off", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x", "bad.tmx:3:"},
		{"bad entity", "<tmx version=\"1.4\"><body>\n\n<tu><tuv xml:lang=\"en\"><seg>a &nbsp; b</seg></tuv></tu></body></tmx>", "bad.tmx:3:"},
		{"not tmx", "<html><body></body></html>", "root element is <html>"},
		{"empty", "", "no <tmx> element"},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><tmx/>", "ISO-8859-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.doc), "bad.tmx")
			if err == nil || !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.tmx") {
				t.Fatalf("err = %v, want translate.ErrInvalid naming %q", err, tc.want)
			}
		})
	}
}
