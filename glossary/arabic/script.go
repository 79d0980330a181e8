package arabic

import "unicode"

// IsScriptLetter reports whether r is a letter of the Arabic script (unicode.Arabic): the
// one test of "is this Arabic" that segmentation, search, the output checks and the glossary
// share. Harakat, tatweel, Arabic punctuation and digits are not letters.
func IsScriptLetter(r rune) bool { return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) }

// HasScriptLetter reports whether s has a letter of the Arabic script.
func HasScriptLetter(s string) bool {
	for _, r := range s {
		if IsScriptLetter(r) {
			return true
		}
	}
	return false
}
