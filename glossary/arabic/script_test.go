package arabic

import "testing"

func TestHasScriptLetter(t *testing.T) {
	want := map[string]bool{
		"موسكو":        true,
		"Moscow":       false,
		"said ريابكوف": true,
		"ﻻ":            true,  // a presentation form is a letter of the script
		"ڤ":            true,  // a letter Arabic borrows for a sound it lacks (v)
		"١٢٣ ، ؟ ـ َ":  false, // digits, punctuation, tatweel and harakat are not letters
		"":             false,
	}
	for in, w := range want {
		if got := HasScriptLetter(in); got != w {
			t.Errorf("HasScriptLetter(%q) = %v, want %v", in, got, w)
		}
	}
}
