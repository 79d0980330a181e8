package translate

import (
	"errors"
	"strings"
	"testing"
)

func TestReplacement_Apply(t *testing.T) {
	for _, c := range []struct {
		name string
		r    Replacement
		text string
		want string
		n    int
	}{
		{"AnyCase", Replacement{Find: "moscow", With: "Moskva"}, "Moscow said MOSCOW is ready.", "Moskva said Moskva is ready.", 2},
		{"CaseSensitive", Replacement{Find: "Moscow", With: "Moskva", CaseSensitive: true}, "Moscow said moscow.", "Moskva said moscow.", 1},
		{"InsideWords", Replacement{Find: "cat", With: "dog"}, "cat catalogue concat", "dog dogalogue condog", 3},
		{"WholeWord", Replacement{Find: "cat", With: "dog", WholeWord: true}, "cat catalogue concat cat.", "dog catalogue concat dog.", 2},
		{"WholeWordNextToDigits", Replacement{Find: "5", With: "five", WholeWord: true}, "5 15 5a (5)", "five 15 5a (five)", 2},
		{"PlainTextNotAPattern", Replacement{Find: "U.S.", With: "US"}, "U.S. and USSR, U.S.A", "US and USSR, USA", 2},
		{"BracketsAsWritten", Replacement{Find: "(AFP)", With: "", WholeWord: true}, "Moscow (AFP) said", "Moscow  said", 1},
		{"NotOverlapping", Replacement{Find: "aa", With: "b"}, "aaaaa", "bba", 2},
		{"DeleteWord", Replacement{Find: " very", With: ""}, "a very very big deal", "a big deal", 2},
		{"UnicodeFold", Replacement{Find: "straße", With: "street"}, "STRASSE Straße", "STRASSE street", 1},
		{"KelvinSign", Replacement{Find: "k", With: "x"}, "\u212A k", "x x", 2},
		{"Nothing", Replacement{Find: "Kyiv", With: "Kiev"}, "Moscow", "Moscow", 0},
		{"Arabic", Replacement{Find: "الكرملين", With: "Kremlin", WholeWord: true}, "the الكرملين said", "the Kremlin said", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, n := c.r.Apply(c.text)
			if got != c.want || n != c.n {
				t.Errorf("Apply(%q) = %q, %d; want %q, %d", c.text, got, n, c.want, c.n)
			}
		})
	}
}

func TestReplacement_Validate(t *testing.T) {
	for _, c := range []struct {
		r    Replacement
		want string
	}{
		{Replacement{}, "find: required"},
		{Replacement{Find: strings.Repeat("x", 501)}, "find: longer than 500 characters"},
		{Replacement{Find: "x", With: strings.Repeat("y", 501)}, "replace: longer than 500 characters"},
		{Replacement{Find: "\xff"}, "find: not valid UTF-8"},
		{Replacement{Find: "x", With: "a\x00b"}, "replace: "},
		{Replacement{Find: "\u202Ex"}, "find: "},
	} {
		err := c.r.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want %q", c.r, err, c.want)
		}
	}
	if err := (Replacement{Find: "x"}).Validate(); err != nil {
		t.Errorf("a plain find: %v", err)
	}
}
