package qa

import (
	"testing"
	"unicode/utf8"
)

// FuzzCheck feeds arbitrary pairs to every check: none may panic, and every span must lie
// inside its text (half-open, in code points, never negative).
func FuzzCheck(f *testing.F) {
	for _, p := range [][2]string{
		{"قتل ١٧ شخصا يوم الأربعاء 9 آذار.", "71 people were killed on Monday, April 9."},
		{"بلغ 2,5 مليون و300 ألف و50 (عام 2014", "\"2.5 million\" ((in 2014]"},
		{"تشرين الثاني/نوفمبر ذو الحجة ربيع", "Dhu al-Hijjah Rabi' I  Nov. , ١٧ ،"},
		{"ﻻ ﷲ ٫٬ ۱۲", "O'Brien’s ‘ ” » 5m 3rd a million twenty-one"},
		{"", "x"},
	} {
		f.Add(p[0], p[1])
	}
	m := testMatcher(f)
	c, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, source, target string) {
		ns, nt := utf8.RuneCountInString(source), utf8.RuneCountInString(target)
		for _, fd := range c.Check(source, target, Terms(m, source)) {
			if fd.Source[0] < 0 || fd.Source[0] > fd.Source[1] || fd.Source[1] > ns ||
				fd.Target[0] < 0 || fd.Target[0] > fd.Target[1] || fd.Target[1] > nt {
				t.Errorf("%q | %q: %+v out of bounds (%d, %d code points)", source, target, fd, ns, nt)
			}
			if fd.Message == "" || fd.Severity == "" {
				t.Errorf("%+v: no message or severity", fd)
			}
		}
	})
}
