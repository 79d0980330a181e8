package arabic

import (
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"harakat", "الضَّمَانَاتُ الأَمْنِيَّةُ", "الضمانات الامنيه"},
		{"hamza forms of alef", "أإآٱ", "اااا"},
		{"ta marbuta", "الأمنية", "الامنيه"},
		{"alef maqsura and Persian ye", "مصطفى یے", "مصطفي يي"},
		{"Persian letter forms", "کۀہھ", "كههه"},
		{"tatweel", "روســـيا", "روسيا"},
		{"dagger alef", "هٰذا", "هذا"},
		{"combining hamza above", "أ", "ا"},
		{"bidi and zero-width marks", "\u200fموسكو\u200e\u200b \u202bكييف\u202c\u2067\u2069\u061c", "موسكو كييف"},
		{"lam-alef ligature", "\ufefbمن", "لامن"},
		{"presentation forms", "\ufe8d\ufedf\ufee8\ufe8e\ufe97\ufeee", "النات" + "و"},
		{"Arabic-Indic digits", "٢٠٢٢ و۱۹۹۱", "2022 و1991"},
		{"white space collapsed and trimmed", "  حلف\u00a0 \n شمال  ", "حلف شمال"},
		{"Latin untouched", "New START", "New START"},
		{"isolated fathatan form", "شكرا\ufe70", "شكرا"},
		{"medial harakat forms inside a word", "رو\ufe76سي\ufe77ا", "روسيا"},
		{"every presentation haraka", "ر\ufe70\ufe71\ufe72\ufe74\ufe76\ufe77\ufe78\ufe79\ufe7a\ufe7b\ufe7c\ufe7d\ufe7e\ufe7fوسيا", "روسيا"},
		{"shadda ligature forms", "ر\ufc5e\ufc5f\ufc60\ufc61\ufc62\ufc63وسيا", "روسيا"},
		{"heh goal with hamza", "ۂ", "ه"},
		{"yeh barree with hamza", "ۓ", "ي"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldKeepsOriginalOffsets(t *testing.T) {
	in := "بِالضَّمانات \ufefb"
	f := Fold(in)
	if string(f.Runes) != "بالضمانات لا" {
		t.Fatalf("Fold = %q", string(f.Runes))
	}
	if f.N != utf8.RuneCountInString(in) || len(f.Orig) != len(f.Runes) {
		t.Fatalf("N = %d, len(Orig) = %d, len(Runes) = %d", f.N, len(f.Orig), len(f.Runes))
	}
	orig := []rune(in)
	for i, r := range f.Runes {
		o := orig[f.Orig[i]]
		if r != o && Normalize(string(o)) == "" {
			t.Errorf("normalized rune %d %q maps to a dropped mark %q", i, r, o)
		}
	}
	// Both letters of the ligature map to the one original code point.
	last := len(f.Runes) - 1
	if f.Orig[last] != f.Orig[last-1] || f.Orig[last] != len(orig)-1 {
		t.Errorf("ligature offsets = %d %d, want both %d", f.Orig[last-1], f.Orig[last], len(orig)-1)
	}
	// The kasra after ب is dropped: ا maps past it.
	if f.Orig[1] != 2 {
		t.Errorf("Orig[1] = %d, want 2 (after the dropped kasra)", f.Orig[1])
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, s := range []string{"الضَّمانات الأمنية", "\ufefbلـــ", "رو\ufe76سيا\ufc60", "ۂۓ", "٣٫٥ ملايين", "سيرغي ريابكوف"} {
		once := Normalize(s)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize not idempotent on %q: %q then %q", s, once, twice)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"الضَّمانات", "\ufefb", "a\u200fb", "\xff\xfe", "رو\ufe76سيا", "\ufc5e ۂ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fo := Fold(s)
		if len(fo.Runes) != len(fo.Orig) {
			t.Fatalf("len mismatch")
		}
		prev := 0
		for _, o := range fo.Orig {
			if o < prev || o >= fo.N {
				t.Fatalf("offset %d out of order or range (N=%d)", o, fo.N)
			}
			prev = o
		}
		if n := Normalize(s); Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q", s)
		}
	})
}

// TestFoldIntoFastPath checks that the fast path of FoldInto agrees with foldRune, the full
// rule, on every rune of the Arabic block and ASCII, and that FoldInto reuses its buffers.
func TestFoldIntoFastPath(t *testing.T) {
	var f Folded
	for r := rune(0); r < 0x0700; r++ {
		if r >= 0x80 && r < 0x0600 {
			continue
		}
		FoldInto(&f, string(r))
		if want := foldRune(r, nil); string(f.Runes) != string(want) || f.N != 1 {
			t.Errorf("FoldInto(%U) = %q, N %d; want %q", r, string(f.Runes), f.N, string(want))
		}
	}
	FoldInto(&f, "بِالضَّمَانَاتِ")
	before := &f.Runes[:1][0]
	FoldInto(&f, "روسيا")
	if &f.Runes[:1][0] != before || string(f.Runes) != "روسيا" {
		t.Errorf("FoldInto did not reuse its buffer: %q", string(f.Runes))
	}
}

// TestDecodeRune checks DecodeRune against utf8.DecodeRuneInString on valid and broken text.
func TestDecodeRune(t *testing.T) {
	for _, s := range []string{"روسيا abc", "\xff\xfe", "\xc0\x80", "\xc2", "\xd8", "\xd8a", "€😀", "\x80روس"} {
		for i := 0; i < len(s); {
			r, size := DecodeRune(s, i)
			wr, wsize := utf8.DecodeRuneInString(s[i:])
			if r != wr || size != wsize {
				t.Errorf("DecodeRune(%q, %d) = %U, %d; want %U, %d", s, i, r, size, wr, wsize)
			}
			i += size
		}
	}
}
