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

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		max  int
		want int
	}{
		{"بلينكين", "بلينكن", 2, 1},
		{"سيرجي", "سيرغي", 2, 1},
		{"ديمتري", "دميتري", 2, 1}, // transposition
		{"بايدن", "بدن", 2, 2},
		{"بايدن", "بدن", 1, 2}, // over max: max+1
		{"", "", 1, 0},
		{"abc", "", 5, 3},
		{"kitten", "sitting", 5, 3},
		{"ca", "abc", 5, 3}, // OSA, not full Damerau
	} {
		if got := EditDistance([]rune(tt.a), []rune(tt.b), tt.max); got != tt.want {
			t.Errorf("EditDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
	long := make([]rune, 100)
	for i := range long {
		long[i] = 'ب'
	}
	if got := EditDistance(long, long[1:], 2); got != 1 {
		t.Errorf("long: %d", got)
	}
}

func TestMaxNameDistance(t *testing.T) {
	if MaxNameDistance(5, 6) != 1 || MaxNameDistance(7, 8) != 2 || MaxNameDistance(9, 6) != 1 {
		t.Error("MaxNameDistance thresholds changed")
	}
}

func TestEditDistanceNoAlloc(t *testing.T) {
	a, b := []rune("دارتشييف"), []rune("دارتشيف")
	if n := testing.AllocsPerRun(100, func() { EditDistance(a, b, 2) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
