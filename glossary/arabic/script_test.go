package arabic

import "testing"

func TestHasScriptLetter(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"موسكو", true},
		{"Moscow", false},
		{"said ريابكوف", true},
		{"ﻻ", true},            // a presentation form is a letter of the script
		{"ڤ", true},            // a letter of the Arabic Supplement
		{"١٢٣ ، ؟ ـ َ", false}, // digits, punctuation, tatweel and harakat are not letters
		{"", false},
	} {
		if got := HasScriptLetter(c.in); got != c.want {
			t.Errorf("HasScriptLetter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
