package arabic

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCleanField(t *testing.T) {
	const rlm, lrm, alm = "\u200f", "\u200e", "\u061c"
	for _, tc := range []struct {
		name, in string
		bidi     Bidi
		want     string
		removed  int
		err      string // a part of the error; "" for none
	}{
		{"plain Arabic", "قال ريابكوف", RefuseBidi, "قال ريابكوف", 0, ""},
		{"tab and line breaks stay", "a\tb\r\nc\nd", RefuseBidi, "a\tb\r\nc\nd", 0, ""},
		{"RLM, LRM and ALM stay", "قال" + rlm + " (NATO)" + lrm + " و" + alm + "٥", RefuseBidi, "قال" + rlm + " (NATO)" + lrm + " و" + alm + "٥", 0, ""},
		{"NUL", "ab\x00c", StripBidi, "", 0, "title: character 3: U+0000 (NUL) is not allowed"},
		{"ESC of a terminal colour", "red \x1b[31mtext", StripBidi, "", 0, "character 5: U+001B (ESC"},
		{"BEL", "\x07", RefuseBidi, "", 0, "U+0007 (BEL"},
		{"backspace", "a\bb", RefuseBidi, "", 0, "U+0008"},
		{"vertical tab", "a\vb", RefuseBidi, "", 0, "U+000B (vertical tab)"},
		{"form feed", "a\fb", RefuseBidi, "", 0, "U+000C"},
		{"unit separator", "a\x1fb", RefuseBidi, "", 0, "U+001F"},
		{"DEL", "a\x7fb", RefuseBidi, "", 0, "U+007F (DEL)"},
		{"C1 NEL", "a\u0085b", RefuseBidi, "", 0, "U+0085 (NEL"},
		{"C1 CSI", "a\u009b31mb", StripBidi, "", 0, "U+009B (a C1 control character)"},
		{"line and column of a text", "first line\nsecond \x1b line", StripBidi, "", 0, "title: line 2, character 8: U+001B"},
		{"RLO refused in a title", "abc\u202edef", RefuseBidi, "", 0, "character 4: U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed here"},
		{"RLO stripped from text", "abc\u202edef", StripBidi, "abcdef", 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, removed, err := CleanField("title", tc.in, tc.bidi)
			if tc.err != "" {
				var fe *FieldError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.err) || fe.Kind() != "invalid" {
					t.Fatalf("CleanField(%q) = %q, %v; want a FieldError containing %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want || removed != tc.removed {
				t.Fatalf("CleanField(%q) = %q, %d, %v; want %q, %d", tc.in, got, removed, err, tc.want, tc.removed)
			}
		})
	}
}

// TestCleanFieldEveryBidiControl: each of the nine embedding, override and isolate
// characters is refused by RefuseBidi and removed by StripBidi, and nothing else near them is.
func TestCleanFieldEveryBidiControl(t *testing.T) {
	var all strings.Builder
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069} {
		in := "x" + string(r) + "y"
		if _, _, err := CleanField("arabic", in, RefuseBidi); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("U+%04X", r)) {
			t.Errorf("RefuseBidi of U+%04X: %v", r, err)
		}
		all.WriteString(in)
	}
	for _, r := range []rune{0x2029, 0x202F, 0x2065, 0x206A, 0x200F, 0x200E, 0x061C, 0x200D} {
		if _, _, err := CleanField("arabic", "x"+string(r)+"y", RefuseBidi); err != nil {
			t.Errorf("U+%04X is not a bidi control, but: %v", r, err)
		}
	}
	got, removed, err := CleanField("target", all.String(), StripBidi)
	if err != nil || got != strings.Repeat("xy", 9) || removed != 9 {
		t.Errorf("StripBidi = %q, %d, %v", got, removed, err)
	}
	if n := BidiNotice("target", removed); !strings.Contains(n, "target: removed 9 invisible bidi control characters") {
		t.Errorf("notice = %q", n)
	}
}

// TestIsControl covers every code point below U+00A0, the range the rule is about.
func TestIsControl(t *testing.T) {
	for r := rune(0); r < 0xA0; r++ {
		want := r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7F
		if got := IsControl(r); got != want {
			t.Errorf("IsControl(U+%04X) = %v", r, got)
		}
	}
}

// TestNeedsCleaningByteByByte: the byte scan of needsCleaning finds exactly the characters the
// rule names, rune by rune, wherever they stand, and lets their neighbours in UTF-8 through
// (U+00A0 after C2, the marks and dashes after E2, Arabic letters).
func TestNeedsCleaningByteByByte(t *testing.T) {
	var runes []rune
	for r := rune(0); r < 0x3000; r++ {
		runes = append(runes, r)
	}
	runes = append(runes, 0xFEFF, 0x1F600, 0x10FFFF)
	for _, r := range runes {
		want := IsControl(r) || IsBidiControl(r)
		for _, s := range []string{string(r), "قال " + string(r), string(r) + "x", "a" + string(r) + "ب"} {
			if got := needsCleaning(s); got != want {
				t.Errorf("needsCleaning(%q) = %v, want %v (U+%04X)", s, got, want, r)
			}
		}
	}
}
