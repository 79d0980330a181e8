package translate

import (
	"errors"
	"testing"
)

func TestCut(t *testing.T) {
	for _, c := range []struct {
		source             string
		at                 int
		first, sep, second string
		wantErr            bool
	}{
		{"قال ريابكوف إن موسكو مستعدة.", 12, "قال ريابكوف", " ", "إن موسكو مستعدة.", false},
		{"قال ريابكوف إن موسكو مستعدة.", 11, "قال ريابكوف", " ", "إن موسكو مستعدة.", false},
		{"قال  ريابكوف", 4, "قال", "  ", "ريابكوف", false},
		{"الموقع قدم أوراق اعتماده\nالى نقابة", 24, "الموقع قدم أوراق اعتماده", "\n", "الى نقابة", false},
		{"ab", 1, "a", "", "b", false},
		{"ab", 0, "", "", "", true},
		{"ab", 2, "", "", "", true},
		{"ab", 7, "", "", "", true},
		{"a  ", 1, "", "", "", true},
	} {
		first, sep, second, err := Cut(c.source, c.at)
		if c.wantErr {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Cut(%q, %d) = %q %q %q, %v; want an invalid cut", c.source, c.at, first, sep, second, err)
			}
			continue
		}
		if err != nil || first != c.first || sep != c.sep || second != c.second || first+sep+second != c.source {
			t.Errorf("Cut(%q, %d) = %q %q %q, %v; want %q %q %q", c.source, c.at, first, sep, second, err, c.first, c.sep, c.second)
		}
	}
}

func TestNewParagraph(t *testing.T) {
	for sep, want := range map[string]bool{"": false, " ": false, "\n": false, "\r\n": false, "\n\n": true, "\r\n\r\n": true, "\n \n": true, "\u2029": true, "\r\r": true} {
		if got := NewParagraph(sep); got != want {
			t.Errorf("NewParagraph(%q) = %v, want %v", sep, got, want)
		}
	}
}
