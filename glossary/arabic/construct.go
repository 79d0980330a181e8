package arabic

import "slices"

// Construct state (إضافة): a noun annexed to the noun after it drops its article, since the
// annexation makes it definite: الأمن "security" is أمن in أمن أوروبا "the security of
// Europe" and لأمن المنطقة "for the security of the region". The matcher accepts the bare
// form of a short term with the article (which alone would be too ambiguous) only where the
// grammar says it is such a head; these are the word classes it needs for that. All take
// normalized words (Fold).

// IsDirection reports the nouns of direction (غرب شرق شمال جنوب وسط). In construct they
// name a part of the place after them — غرب البلاد "the west of the country", شرق أوكرانيا
// "eastern Ukraine" — never the entity the word is with the article: الغرب "the West".
func IsDirection(word []rune) bool { return inList(directions, word) }

// IsDefinite reports whether word is a definite noun that can complete a construct: it has
// the article and at least MinAlStripped letters after it, and is not one of the function
// words and adverbs that merely start with ال (الذي, التي, إلى, إلا, الآن, اليوم, ...).
func IsDefinite(word []rune) bool {
	return hasAl(word) && len(word)-2 >= MinAlStripped && !inList(alFunctionWords, word)
}

// NounEvidence reports whether the grammar makes word, read with its first skip letters as
// proclitics, a noun rather than a verb of the same spelling (أمن "security" or "felt
// safe", حلف "alliance" or "swore"): only a noun takes a preposition, attached (ب ك ل among
// the proclitics: لأمن, بأمن) or as the word before it, prev (في أمن, على أمن; nil when
// there is none). A verb followed by its definite subject or object has exactly the shape
// of a construct (حلف اليمين "swore the oath"), so without such evidence the bare word
// stays unread.
func NounEvidence(prev, word []rune, skip int) bool {
	for _, r := range word[:skip] {
		if r == 'ب' || r == 'ك' || r == 'ل' {
			return true
		}
	}
	if len(prev) > 1 && (prev[0] == 'و' || prev[0] == 'ف') && inList(prepositions, prev[1:]) {
		return true // وفي, فعلى
	}
	return inList(prepositions, prev)
}

var (
	directions = foldList("غرب", "شرق", "شمال", "جنوب", "وسط")
	// The prepositions that stand as words. من is left out: it is also مَن "who", which a
	// verb follows (من حلف اليمين "whoever swore the oath").
	prepositions = foldList("في", "على", "عن", "إلى", "حول", "بشأن", "ضد", "مع", "عبر", "تجاه",
		"نحو", "لدى", "عند", "بين", "دون", "خلال", "حيال", "إزاء")
	alFunctionWords = foldList("إلى", "إلا", "ألا", "الذي", "التي", "الذين", "اللذان", "اللتان",
		"اللذين", "اللتين", "اللاتي", "اللواتي", "اللائي", "الآن", "اليوم", "الليلة")
)

func foldList(words ...string) [][]rune {
	out := make([][]rune, len(words))
	for i, w := range words {
		out[i] = Fold(w).Runes
	}
	return out
}

func inList(list [][]rune, word []rune) bool {
	return slices.ContainsFunc(list, func(w []rune) bool { return slices.Equal(w, word) })
}
