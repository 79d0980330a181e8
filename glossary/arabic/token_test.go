package arabic

import (
	"reflect"
	"testing"
)

func TestTokenize(t *testing.T) {
	f := Fold("قال: روسيا،بيلاروسيا (أ ف ب) 2022 New-START ﻻ")
	var got []string
	for _, tk := range Tokenize(f.Runes, nil) {
		got = append(got, string(f.Runes[tk.Start:tk.End]))
	}
	want := []string{"قال", "روسيا", "بيلاروسيا", "ا", "ف", "ب", "2022", "New", "START", "لا"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokenize = %q, want %q", got, want)
	}
	if got := Tokenize(nil, nil); got != nil {
		t.Errorf("Tokenize(nil) = %v", got)
	}
}

func TestStripAl(t *testing.T) {
	for _, tt := range []struct {
		in, key string
		art     bool
	}{
		{"الضمانات", "ضمانات", true},
		{"الحل", "حل", true}, // two letters left: enough for the article alone
		{"الي", "الي", false},
		{"لافروف", "لافروف", false},
		{"ضمانات", "ضمانات", false},
	} {
		key, art := StripAl([]rune(tt.in))
		if string(key) != tt.key || art != tt.art {
			t.Errorf("StripAl(%q) = %q, %v; want %q, %v", tt.in, string(key), art, tt.key, tt.art)
		}
	}
}

// readings renders Candidates as "highlight|key|article" strings.
func readings(tok string) []string {
	r := []rune(tok)
	var out []string
	for _, c := range Candidates(r, nil) {
		s := string(r[c.Skip:]) + "|" + string(r[c.Key:])
		if c.Article {
			s += "|ال"
		}
		out = append(out, s)
	}
	return out
}

func TestCandidates(t *testing.T) {
	for _, tt := range []struct {
		tok  string
		want []string
	}{
		{"روسيا", []string{"روسيا|روسيا"}},
		{"الناتو", []string{"الناتو|ناتو|ال"}},
		{"للناتو", []string{"للناتو|للناتو", "لناتو|لناتو", "لناتو|ناتو|ال"}},
		{"وللناتو", []string{"وللناتو|وللناتو", "للناتو|للناتو", "لناتو|لناتو", "لناتو|ناتو|ال"}},
		{"بالضمانات", []string{"بالضمانات|بالضمانات", "الضمانات|ضمانات|ال"}},
		{"وبالضمانات", []string{"وبالضمانات|وبالضمانات", "بالضمانات|بالضمانات", "الضمانات|ضمانات|ال"}},
		{"فكالحلف", []string{"فكالحلف|فكالحلف", "كالحلف|كالحلف", "الحلف|حلف|ال"}},
		{"لافروف", []string{"لافروف|لافروف", "افروف|افروف"}},
		{"ولافروف", []string{"ولافروف|ولافروف", "لافروف|لافروف", "افروف|افروف"}},
		{"وزير", []string{"وزير|وزير", "زير|زير"}},
		{"وزر", []string{"وزر|وزر"}},                    // would leave two letters
		{"والحل", []string{"والحل|والحل", "الحل|الحل"}}, // ال not stripped: two letters after a proclitic
		{"بال", []string{"بال|بال"}},
		{"ب", []string{"ب|ب"}},
		{"", []string{"|"}},
	} {
		if got := readings(tt.tok); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Candidates(%q) = %q, want %q", tt.tok, got, tt.want)
		}
	}
}

func TestLeadCandidates(t *testing.T) {
	lead := func(tok string) []string {
		r := []rune(tok)
		var out []string
		for _, c := range LeadCandidates(r, nil) {
			s := string(r[c.Skip:]) + "|" + string(r[c.Key:])
			if c.Article {
				s += "|ال"
			}
			if c.Lead {
				s += "|lead"
			}
			out = append(out, s)
		}
		return out
	}
	for _, tt := range []struct {
		tok  string
		want []string
	}{
		// the article after a proclitic leaves as few letters as StripAl leaves a term's word
		{"والحل", []string{"والحل|والحل", "الحل|حل|ال"}},
		{"فالحل", []string{"فالحل|فالحل", "الحل|حل|ال"}},
		{"بالحل", []string{"بالحل|بالحل", "الحل|حل|ال"}},
		{"للحل", []string{"للحل|للحل", "لحل|لحل", "لحل|حل|ال"}},
		{"وبالحل", []string{"وبالحل|وبالحل", "بالحل|بالحل", "الحل|حل|ال"}},
		// a short word without the article: only to start a longer phrase
		{"وحل", []string{"وحل|وحل", "حل|حل|lead"}},
		{"وا", []string{"وا|وا", "ا|ا|lead"}},
		{"بال", []string{"بال|بال", "ال|ال|lead"}},
		// long words read as Candidates reads them
		{"بالضمانات", []string{"بالضمانات|بالضمانات", "الضمانات|ضمانات|ال"}},
		{"وزير", []string{"وزير|وزير", "زير|زير"}},
		{"ب", []string{"ب|ب"}},
		{"", []string{"|"}},
	} {
		if got := lead(tt.tok); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LeadCandidates(%q) = %q, want %q", tt.tok, got, tt.want)
		}
	}
}

func TestCandidatesBounded(t *testing.T) {
	for _, tok := range []string{"وبللللل", "فللالالا", "ولللل", "فكلبال", "وبلل", "فلل", "وبالل"} {
		if n := len(Candidates([]rune(tok), nil)); n > MaxCandidates {
			t.Errorf("%q: %d candidates", tok, n)
		}
		if n := len(LeadCandidates([]rune(tok), nil)); n > MaxCandidates {
			t.Errorf("%q: %d lead candidates", tok, n)
		}
	}
}

func TestJoined(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"الضمانات الأمنية", true},
		{"الضمانات   الأمنية", true},
		{"الضمانات\u00a0الأمنية", true},               // NBSP
		{"الضمانات \u0640\u200f\u200b الأمنية", true}, // tatweel and invisible marks fold away
		{"الضمانات\tالأمنية", true},
		{"الأوروبية-الأطلسية", true},  // an unspaced hyphen joins a compound
		{"الضمانات - الأمنية", false}, // a spaced dash separates
		{"الضمانات--الأمنية", false},
		{"الضمانات. الأمنية", false},
		{"الضمانات، الأمنية", false},
		{"الضمانات؛ الأمنية", false},
		{"الضمانات: الأمنية", false},
		{"سيرجي (ريابكوف)", false},
		{"سيرجي «ريابكوف»", true}, // quotes around or between the words of a phrase
		{"سيرجي \"ريابكوف", true},
		{"اتفاقية “مينسك”", true},
		{"اتفاقية' مينسك", true},
		{"اتفاقية» «مينسك", true},
		{"اتفاقية». «مينسك", false}, // but not sentence punctuation among them
		{"اتفاقية «، مينسك", false},
		{"اتفاقية «\nمينسك", false},
		{"الضمانات/الأمنية", false},
		{"الضمانات\nالأمنية", false}, // a line break ends the sentence
		{"الضمانات – الأمنية", false},
	} {
		f := Fold(tt.text)
		toks := Tokenize(f.Runes, nil)
		if len(toks) != 2 {
			t.Fatalf("%q: %d tokens", tt.text, len(toks))
		}
		if got := Joined(f.Runes, toks[0], toks[1]); got != tt.want {
			t.Errorf("Joined(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
