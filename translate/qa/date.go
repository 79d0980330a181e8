package qa

import (
	"fmt"
	"strings"
	"unicode"
)

// A dateName is a month of either calendar or a weekday.
type dateName struct {
	kind dateKind
	n    int // month 1–12, weekday 0 (Sunday) – 6
}

type dateKind uint8

const (
	gregorian dateKind = iota + 1
	hijri
	weekday
)

// English names of the dates, for messages and for reading the English.
var (
	gregorianEN = [13]string{1: "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	hijriEN     = [13]string{1: "Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula", "Jumada al-Akhirah", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah"}
	weekdayEN   = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func (d dateName) String() string {
	switch d.kind {
	case gregorian:
		return gregorianEN[d.n]
	case hijri:
		return hijriEN[d.n]
	}
	return weekdayEN[d.n]
}

// arDate is one Arabic date word. Ambiguous words are a date only in a date's company (a day
// number, «شهر», «في», «الماضي», the doubled form): مارس is also "he practised", ماي a name,
// صفر "zero", رجب and شعبان first names, محرم "forbidden", الاثنين "the two". Outside such
// company they may answer a date in the English but are never missed.
type arDate struct {
	name      dateName
	ambiguous bool
}

func g(n int) arDate  { return arDate{name: dateName{gregorian, n}} }
func ga(n int) arDate { return arDate{name: dateName{gregorian, n}, ambiguous: true} }
func h(n int) arDate  { return arDate{name: dateName{hijri, n}} }
func ha(n int) arDate { return arDate{name: dateName{hijri, n}, ambiguous: true} }

// arMonths are the one-word months of the three Gregorian traditions (Levantine and Iraqi,
// Egyptian and Gulf, Maghrebi with the Moroccan forms) and of the Hijri calendar, folded.
var arMonths = map[string]arDate{
	// Levantine / Iraqi (كانون الثاني, تشرين الأول … are two words: arMonthPairs)
	"شباط": g(2), "اذار": g(3), "نيسان": ga(4), "ايار": g(5), "حزيران": g(6), "تموز": g(7),
	"اب": ga(8), "ايلول": g(9),
	// Egyptian / Gulf
	"يناير": g(1), "فبراير": g(2), "مارس": ga(3), "ابريل": g(4), "مايو": g(5), "يونيو": g(6),
	"يونيه": g(6), "يوليو": g(7), "يوليه": g(7), "اغسطس": g(8), "سبتمبر": g(9), "اكتوبر": g(10),
	"نوفمبر": g(11), "ديسمبر": g(12),
	// Maghrebi: Algeria and Tunisia, then Morocco
	"جانفي": g(1), "فيفري": g(2), "افريل": g(4), "ماي": ga(5), "جوان": ga(6), "جويليه": g(7),
	"اوت": g(8), "يوليوز": g(7), "غشت": g(8), "شتنبر": g(9), "نونبر": g(11), "دجنبر": g(12),
	// Hijri (ربيع, جمادى, ذو … are two words: arMonthPairs)
	"محرم": ha(1), "صفر": ha(2), "رجب": ha(7), "شعبان": ha(8), "رمضان": h(9), "شوال": h(10),
}

// arMonthPairs are the two-word months: the first word, then the second word's key (without
// the article, which is optional: «تشرين ثاني» is written too) and the month.
var arMonthPairs = map[string]map[string]arDate{
	"كانون": {"ثاني": g(1), "اول": g(12)},
	"تشرين": {"اول": g(10), "ثاني": g(11)},
	"ربيع":  {"اول": h(3), "ثاني": h(4), "اخر": h(4)},
	"جمادي": {"اولي": h(5), "اول": h(5), "ثانيه": h(6), "ثاني": h(6), "اخره": h(6), "اخر": h(6)},
	"ذو":    {"قعده": h(11), "حجه": h(12)},
	"ذي":    {"قعده": h(11), "حجه": h(12)},
}

// arWeekdays are the weekdays, which need the article (الخميس; خميس alone is not a day).
var arWeekdays = map[string]arDate{
	"احد": {name: dateName{weekday, 0}}, "اثنين": {name: dateName{weekday, 1}, ambiguous: true},
	"ثلاثاء": {name: dateName{weekday, 2}}, "اربعاء": {name: dateName{weekday, 3}},
	"خميس": {name: dateName{weekday, 4}}, "جمعه": {name: dateName{weekday, 5}}, "سبت": {name: dateName{weekday, 6}},
}

// arDateCompany are the words before an ambiguous date word that make it a date: «شهر مارس»,
// «في ماي», «يوم الاثنين», «مساء الاثنين», «منذ صفر». arDateAfter are the words after it:
// «مارس الماضي», «الاثنين المقبل».
var (
	arDateCompany = map[string]bool{
		"شهر": true, "في": true, "منذ": true, "حتي": true, "خلال": true, "مطلع": true, "منتصف": true,
		"اواخر": true, "اوائل": true, "نهايه": true, "بدايه": true, "بحلول": true, "يوم": true,
		"امس": true, "مساء": true, "صباح": true, "ليله": true, "فجر": true, "ظهر": true, "عصر": true,
	}
	arDateAfter = map[string]bool{"ماضي": true, "مقبل": true, "قادم": true, "جاري": true}
)

// dateHit is one date found in a text.
type dateHit struct {
	name dateName
	a, b int // folded runes
	hard bool
}

// arabicDates finds the months and weekdays of the source.
func arabicDates(p *pair) []dateHit {
	rs, toks := p.src.Runes, p.stoks
	var out []dateHit
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.num || !p.inLexicon(k) {
			continue
		}
		rb := p.readings(k)
		var d arDate
		found, end := false, k
		for _, r := range rb {
			if second, ok := arMonthPairs[r.surface]; ok && k+1 < len(toks) && !toks[k+1].num && blank(rs, t.b, toks[k+1].a) {
				if d, found = second[p.readings(k + 1)[0].key]; found {
					end = k + 1
					break
				}
			}
			if d, found = arMonths[r.surface]; found {
				break
			}
			if w, ok := arWeekdays[r.key]; ok && r.article && !followedBy(p, k, "عشر") {
				d, found = w, true
				break
			}
		}
		if !found {
			continue
		}
		hit := dateHit{name: d.name, a: t.a, b: toks[end].b, hard: !d.ambiguous}
		if d.ambiguous {
			// آب with its madda is August; without it, it is also أب "father".
			hit.hard = d.name == (dateName{gregorian, 8}) && strings.ContainsRune(origText(p.source, &p.src, t.a, t.b), 'آ') ||
				arabicDateCompany(p, k, end)
		}
		out = append(out, hit)
		k = end
	}
	return out
}

// followedBy reports whether token k of the source is followed by the word w (as a key).
func followedBy(p *pair, k int, w string) bool {
	if k+1 >= len(p.stoks) || p.stoks[k+1].num {
		return false
	}
	rb := p.readings(k + 1)
	return rb[0].key == w || rb[0].surface == w || rb[0].surface == w+"ه"
}

// arabicDateCompany reports whether the ambiguous date word at tokens k..end of the source
// keeps a date's company: a number right before or after it, a word of arDateCompany before
// it, of arDateAfter after it, another month across a slash («ماي/أيار»), or commas around a
// weekday as in «قال، الاثنين، إن».
func arabicDateCompany(p *pair, k, end int) bool {
	rs, toks := p.src.Runes, p.stoks
	if k > 0 {
		prev := toks[k-1]
		if prev.num && blank(rs, prev.b, toks[k].a) {
			return true
		}
		if !prev.num {
			for _, r := range p.readings(k - 1) {
				if arDateCompany[r.key] || arDateCompany[r.surface] {
					return true
				}
			}
		}
		if gap := rs[prev.b:toks[k].a]; len(gap) > 0 && gap[len(gap)-1] == '/' {
			return true
		}
	}
	if end+1 < len(toks) {
		next := toks[end+1]
		gap := rs[toks[end].b:next.a]
		if next.num && blank(rs, toks[end].b, next.a) || len(gap) > 0 && gap[0] == '/' {
			return true
		}
		if !next.num && blank(rs, toks[end].b, next.a) {
			for _, r := range p.readings(end + 1) {
				if arDateAfter[r.key] {
					return true
				}
			}
		}
	}
	before, afterR := prevChar(rs, toks[k].a), nextChar(rs, toks[end].b)
	return isComma(before) && (isComma(afterR) || afterR == '.')
}

func isComma(r rune) bool { return r == ',' || r == '،' }

// prevChar is the last character before rune i that is not white space, or 0.
func prevChar(rs []rune, i int) rune {
	for i--; i >= 0; i-- {
		if !unicode.IsSpace(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

// nextChar is the first character from rune i on that is not white space, or 0.
func nextChar(rs []rune, i int) rune {
	for ; i < len(rs); i++ {
		if !unicode.IsSpace(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

// enMonths maps English month names and their abbreviations to months. An abbreviation counts
// only with its full stop or before a day ("Jan" alone may be a name).
var (
	enMonths = func() map[string]int {
		m := make(map[string]int, 24)
		for n, name := range gregorianEN[1:] {
			m[toLowerASCII(name)] = n + 1
		}
		return m
	}()
	enMonthAbbrevs = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
	enWeekdays     = map[string]int{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}
	// enDateCompany are the words before "March" or "May" that make them months.
	enDateCompany = map[string]bool{
		"in": true, "on": true, "since": true, "until": true, "till": true, "by": true, "of": true,
		"from": true, "to": true, "through": true, "during": true, "early": true, "late": true,
		"mid": true, "last": true, "next": true, "this": true, "before": true, "after": true,
		"between": true, "and": true, "or": true, "end": true, "beginning": true, "start": true,
	}
)

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// englishDates finds the months and weekdays of the target. Names count only capitalized
// ("march" and "may" are verbs); "March" and "May" need a date's company (a day, a year, "in",
// "last"…) to be hard, since they are also a verb at the start of a sentence and a name
// (Theresa May).
func englishDates(p *pair) []dateHit {
	rs, toks := p.tgt.Runes, p.ttoks
	var out []dateHit
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.num || !unicode.IsUpper(rs[t.a]) {
			continue
		}
		if m, ok := enMonths[t.key]; ok {
			hit := dateHit{name: dateName{gregorian, m}, a: t.a, b: t.b, hard: true}
			if m == 3 || m == 5 {
				hit.hard = englishDateCompany(rs, toks, k)
			}
			out = append(out, hit)
			continue
		}
		if m, ok := enMonthAbbrevs[t.key]; ok {
			dot := t.b < len(rs) && rs[t.b] == '.'
			if dot || k+1 < len(toks) && toks[k+1].num && blank(rs, t.b, toks[k+1].a) {
				hit := dateHit{name: dateName{gregorian, m}, a: t.a, b: t.b, hard: true}
				if dot {
					hit.b++
				}
				out = append(out, hit)
				continue
			}
		}
		if d, ok := enWeekdays[t.key]; ok {
			out = append(out, dateHit{name: dateName{weekday, d}, a: t.a, b: t.b, hard: true})
			continue
		}
		if m, end, hard, ok := englishHijri(toks, k); ok {
			out = append(out, dateHit{name: dateName{hijri, m}, a: t.a, b: toks[end].b, hard: hard})
			k = end
		}
	}
	return out
}

// englishDateCompany reports whether the word at token k has a date's company: a number right
// before or after it ("March 3", "3 May", "May 2024") or a word of enDateCompany before it.
func englishDateCompany(rs []rune, toks []token, k int) bool {
	if k+1 < len(toks) && toks[k+1].num && blank(rs, toks[k].b, toks[k+1].a) {
		return true
	}
	if k > 0 {
		prev := toks[k-1]
		return prev.num && blank(rs, prev.b, toks[k].a) || !prev.num && enDateCompany[prev.key]
	}
	return false
}

// Hijri month names in English have many spellings: Rabi al-Awwal, Rabi' I, Rabiul Awal;
// Dhu al-Hijjah, Dhul-Hijja, Zul Hijjah. They are read as a family word, an optional
// linking article and an ordinal or name word.
var (
	enHijriOne = map[string]int{
		"muharram": 1, "moharram": 1, "muharam": 1, "safar": 2, "rajab": 7, "shaban": 8,
		"shaaban": 8, "ramadan": 9, "ramazan": 9, "ramzan": 9, "ramadhan": 9,
		"shawwal": 10, "shawal": 10, "dhulqadah": 11, "dhulqidah": 11, "zulqadah": 11,
		"dhulhijjah": 12, "dhulhijja": 12, "zulhijjah": 12, "rabiulawal": 3, "rabiulawwal": 3,
		"rabiulakhir": 4, "rabiussani": 4,
	}
	// enHijriAmbiguous are month names that are also first names: hard only before a day or
	// a year, or after "month of".
	enHijriAmbiguous = map[int]bool{2: true, 7: true, 8: true}
	enHijriFamily    = map[string]string{
		"rabi": "rabi", "rabia": "rabi", "rabee": "rabi", "rabie": "rabi", "rabiul": "rabi", "rabius": "rabi",
		"jumada": "jumada", "jumadi": "jumada", "jamadi": "jumada", "jumadal": "jumada", "jamada": "jumada",
		"dhu": "dhu", "dhul": "dhu", "dhi": "dhu", "dhil": "dhu", "zul": "dhu", "zil": "dhu", "thul": "dhu", "du": "dhu",
	}
	enHijriLink  = map[string]bool{"al": true, "ul": true, "el": true, "il": true, "us": true, "as": true, "ath": true, "ut": true, "at": true}
	enHijriOrder = map[string]map[string]int{
		"rabi":   {"awwal": 3, "awal": 3, "auwal": 3, "i": 3, "thani": 4, "thaani": 4, "sani": 4, "saani": 4, "akhir": 4, "akhar": 4, "akhira": 4, "akhirah": 4, "ii": 4},
		"jumada": {"ula": 5, "oula": 5, "ulaa": 5, "awwal": 5, "awal": 5, "i": 5, "thani": 6, "thaniyah": 6, "thaniya": 6, "akhirah": 6, "akhira": 6, "akhir": 6, "ukhra": 6, "sani": 6, "ii": 6},
		"dhu":    {"qadah": 11, "qada": 11, "qidah": 11, "qida": 11, "qaadah": 11, "qaada": 11, "qaidah": 11, "qiddah": 11, "kaada": 11, "hijjah": 12, "hijja": 12, "hijah": 12, "hajj": 12},
	}
)

// englishHijri reads a Hijri month at token k: it returns the month, the last token of its
// name, and whether it is hard.
func englishHijri(toks []token, k int) (int, int, bool, bool) {
	w := toks[k].key
	if m, ok := enHijriOne[w]; ok {
		hard := !enHijriAmbiguous[m] || k+1 < len(toks) && toks[k+1].num || k >= 2 && toks[k-1].key == "of" && toks[k-2].key == "month"
		return m, k, hard, true
	}
	fam, ok := enHijriFamily[w]
	if !ok {
		return 0, 0, false, false
	}
	j := k + 1
	if j < len(toks) && !toks[j].num && enHijriLink[toks[j].key] {
		j++
	}
	if j < len(toks) && !toks[j].num {
		if m, ok := enHijriOrder[fam][toks[j].key]; ok {
			return m, j, true, true
		}
	}
	return 0, 0, false, false
}

// checkDates: the months and weekdays of the two texts agree. Each date is compared by what
// it names, so «آذار», «مارس» and «تشرين الثاني/نوفمبر» answer "March", "March" and "November",
// however often the Arabic doubles them.
func checkDates(p *pair) {
	src, tgt := arabicDates(p), englishDates(p)
	if len(src) == 0 && len(tgt) == 0 {
		return
	}
	var missing, extra []*dateHit
	seen := map[dateName]bool{}
	for i := range src {
		s := &src[i]
		if s.hard && !seen[s.name] && !hasDate(tgt, s.name) {
			missing = append(missing, s)
		}
		seen[s.name] = true
	}
	clear(seen)
	for i := range tgt {
		t := &tgt[i]
		if t.hard && !seen[t.name] && !hasDate(src, t.name) {
			extra = append(extra, t)
		}
		seen[t.name] = true
	}
	for _, s := range missing {
		f := Finding{Source: span(&p.src, s.a, s.b)}
		written := origText(p.source, &p.src, s.a, s.b)
		if i := firstOfKind(extra, s.name.kind); i >= 0 {
			t := extra[i]
			extra = append(extra[:i], extra[i+1:]...)
			f.Target = span(&p.tgt, t.a, t.b)
			f.Message = fmt.Sprintf("the Arabic has %s (%s); the English has %s", written, s.name, origText(p.target, &p.tgt, t.a, t.b))
		} else {
			f.Message = fmt.Sprintf("the Arabic has %s (%s), which the English lacks", written, s.name)
		}
		p.emit(f)
	}
	for _, t := range extra {
		p.emit(Finding{Target: span(&p.tgt, t.a, t.b),
			Message: fmt.Sprintf("the English has %s, which the Arabic lacks", origText(p.target, &p.tgt, t.a, t.b))})
	}
}

func hasDate(hs []dateHit, d dateName) bool {
	for _, h := range hs {
		if h.name == d {
			return true
		}
	}
	return false
}

func firstOfKind(hs []*dateHit, k dateKind) int {
	for i, h := range hs {
		if h.name.kind == k {
			return i
		}
	}
	return -1
}
