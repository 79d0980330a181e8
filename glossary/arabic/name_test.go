package arabic

import "testing"

func TestNameKey(t *testing.T) {
	same := [][2]string{
		{"سيرجي", "سيرغي"}, {"سيرجي", "سيرقي"}, {"بلينكين", "بلينكن"}, {"جروشكو", "غروشكو"},
		{"دارتشييف", "دارتشيف"}, {"ڤلاديمير", "فلاديمير"}, {"پوتين", "بوتين"}, {"گروشكو", "جروشكو"},
		{"الكرملين", "كرملين"}, {"ديمتري", "دميتري"},
	}
	for _, p := range same {
		if a, b := NameKey(p[0]), NameKey(p[1]); a != b {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{
		{"روسيا", "روسي"}, {"أوروبا", "أوروبي"}, {"شولتز", "شولتس"}, {"لوغانسك", "لوهانسك"},
	}
	for _, p := range differ {
		if a, b := NameKey(p[0]), NameKey(p[1]); a == b {
			t.Errorf("NameKey(%q) = NameKey(%q) = %q; want different", p[0], p[1], a)
		}
	}
	if got := NameKey("سيرجي"); got != "سرجي" {
		t.Errorf("NameKey(سيرجي) = %q", got)
	}
	if got := NameKey("أوكرانيا"); got != "اكرنا" {
		t.Errorf("NameKey(أوكرانيا) = %q", got)
	}
}

func TestNameDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int // with max 2; 3 means refused
	}{
		{"سيرجي", "سيرغي", 0},      // one sound class: not an edit
		{"جروشكو", "قروشكو", 0},    // ج ق
		{"لافروڤ", "لافروف", 0},    // ڤ ف
		{"سيرگي", "سيرجي", 0},      // گ ج
		{"پوتين", "بوتين", 0},      // پ ب
		{"بلينكين", "بلينكن", 1},   // a long vowel dropped
		{"بلينكن", "بلينكين", 1},   // and added
		{"دارتشييف", "دارتشيف", 1}, //
		{"بلينكين", "بلنكن", 2},    // two vowels
		{"ديمتري", "دميتري", 2},    // a vowel moved across a consonant
		{"ستارت", "سترات", 2},      //
		{"روسيا", "راسيا", 3},      // one vowel for another: refused however large max is
		{"تويتر", "تواتر", 3},      //
		{"جروشكو", "جروشكا", 3},    //
		{"شولتز", "شولتس", 3},      // different consonants
		{"لوغانسك", "لوهانسك", 3},  //
		{"ابابابا", "ا", 3},        // over max
		{"", "", 0},
	} {
		if got := NameDistance([]rune(tt.a), []rune(tt.b), 2); got != tt.want {
			t.Errorf("NameDistance(%q, %q, 2) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := NameDistance([]rune("روسيا"), []rune("راسيا"), 10); got != 11 {
		t.Errorf("vowel substitution with max 10 = %d, want 11", got)
	}
	if got := NameDistance([]rune("بلينكين"), []rune("بلنكن"), 1); got != 2 {
		t.Errorf("over max 1 = %d, want 2", got)
	}
	long := make([]rune, 100)
	for i := range long {
		long[i] = 'ب'
	}
	if got := NameDistance(long, long, 2); got != 3 {
		t.Errorf("over maxNameRunes: %d", got)
	}
}

func TestConsonantsAndBudget(t *testing.T) {
	for _, tt := range []struct {
		tok  string
		want int
	}{
		{"اوروبا", 2}, {"روسيا", 2}, {"تويتر", 3}, {"جروشكو", 4}, {"بلينكن", 5}, {"", 0},
	} {
		if got := Consonants([]rune(tt.tok)); got != tt.want {
			t.Errorf("Consonants(%q) = %d, want %d", tt.tok, got, tt.want)
		}
	}
	if NameBudget(6, false) != 1 || NameBudget(7, false) != 2 || NameBudget(5, true) != 2 {
		t.Error("NameBudget thresholds changed")
	}
}

func TestNameDistanceNoAlloc(t *testing.T) {
	a, b := []rune("دارتشييف"), []rune("دارتشيف")
	if n := testing.AllocsPerRun(100, func() { NameDistance(a, b, 2) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
