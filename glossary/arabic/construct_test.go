package arabic

import "testing"

func TestConstructWords(t *testing.T) {
	r := func(s string) []rune { return Fold(s).Runes }
	for _, w := range []string{"غرب", "شرق", "شمال", "جنوب", "وسط"} {
		if !IsDirection(r(w)) {
			t.Errorf("IsDirection(%q) = false", w)
		}
	}
	for _, w := range []string{"أمن", "حلف", "غربي", "الغرب"} {
		if IsDirection(r(w)) {
			t.Errorf("IsDirection(%q) = true", w)
		}
	}
	for _, tt := range []struct {
		word string
		want bool
	}{
		{"المنطقة", true}, {"الطاقة", true}, {"اليمين", true}, {"الحل", true},
		{"منطقة", false}, {"للمنطقة", false}, {"والمنطقة", false}, {"ال", false}, {"الف", false},
		{"الذي", false}, {"التي", false}, {"إلى", false}, {"إلا", false}, {"الآن", false}, {"اليوم", false},
	} {
		if got := IsDefinite(r(tt.word)); got != tt.want {
			t.Errorf("IsDefinite(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
	for _, tt := range []struct {
		prev, word string
		skip       int
		want       bool
	}{
		{"", "لامن", 1, true},  // ل
		{"", "بامن", 1, true},  // ب
		{"", "وبامن", 2, true}, // و then ب
		{"في", "امن", 0, true},
		{"على", "امن", 0, true},
		{"وعلى", "امن", 0, true},
		{"إلى", "حلف", 0, true},
		{"", "وامن", 1, false}, // و is a conjunction, not a preposition
		{"", "حلف", 0, false},
		{"قد", "حلف", 0, false},
		{"من", "حلف", 0, false}, // من is also "who"
		{"يهدد", "امن", 0, false},
	} {
		var prev []rune
		if tt.prev != "" {
			prev = r(tt.prev)
		}
		if got := NounEvidence(prev, r(tt.word), tt.skip); got != tt.want {
			t.Errorf("NounEvidence(%q, %q, %d) = %v, want %v", tt.prev, tt.word, tt.skip, got, tt.want)
		}
	}
}
