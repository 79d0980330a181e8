package qa

// The number words of both languages. Arabic words are in arabic.Fold's normal form (أ إ آ →
// ا, ى → ي, ة → ه) and without the definite article, which arabicReadings strips.

// arUnits are the Arabic units in their masculine and feminine forms and, for 1 and 2, the
// forms used before عشر (أحد عشر, اثنا عشر); the stems of the tens, hundreds and decades
// follow from them.
var arUnits = []struct {
	forms []string
	v     float64
	stem  string // tens: stem+ون/ين; hundreds: stem+مئه/مائه; decades: stem+ينيات/ينات
}{
	{[]string{"واحد", "واحده", "احد", "احدي"}, 1, ""},
	{[]string{"اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي"}, 2, ""},
	{[]string{"ثلاث", "ثلاثه"}, 3, "ثلاث"},
	{[]string{"اربع", "اربعه"}, 4, "اربع"},
	{[]string{"خمس", "خمسه"}, 5, "خمس"},
	{[]string{"ست", "سته"}, 6, "ست"},
	{[]string{"سبع", "سبعه"}, 7, "سبع"},
	{[]string{"ثمان", "ثماني", "ثمانيه"}, 8, "ثمان"},
	{[]string{"تسع", "تسعه"}, 9, "تسع"},
	{[]string{"عشر", "عشره"}, 10, ""},
}

// arOrdinals are the Arabic ordinals, masculine and feminine: الثالث is "third", and in
// «القمة الثالثة» may be written "3rd summit".
var arOrdinals = map[string]float64{
	"اول": 1, "اولي": 1, "ثاني": 2, "ثانيه": 2, "ثالث": 3, "ثالثه": 3, "رابع": 4, "رابعه": 4,
	"خامس": 5, "خامسه": 5, "سادس": 6, "سادسه": 6, "سابع": 7, "سابعه": 7, "ثامن": 8, "ثامنه": 8,
	"تاسع": 9, "تاسعه": 9, "عاشر": 10, "عاشره": 10, "حادي": 1, "حاديه": 1,
}

// arCardinals maps the Arabic cardinal number words to their values: units, tens
// (عشرون/عشرين) and hundreds (مئة, مائتان, ثلاثمئة).
var arCardinals = func() map[string]float64 {
	m := map[string]float64{
		"عشرون": 20, "عشرين": 20,
		"مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200, "مئتا": 200, "مئتي": 200, "مائتا": 200, "مائتي": 200,
	}
	for _, u := range arUnits {
		for _, f := range u.forms {
			m[f] = u.v
		}
		if u.stem != "" {
			m[u.stem+"ون"] = u.v * 10
			m[u.stem+"ين"] = u.v * 10
			m[u.stem+"مئه"] = u.v * 100
			m[u.stem+"مائه"] = u.v * 100
		}
	}
	return m
}()

// arFractions are the fractions that stand before a scale word: «نصف مليون» is 500,000.
var arFractions = map[string]float64{"نصف": 0.5, "ربع": 0.25}

// How an Arabic number word counts. A cardinal of three or more is a number the English must
// render («ثلاثة مدنيين» is not "four civilians"); one and two are too often "an" and a dual
// («أحد المسؤولين», «الاثنين»), and ordinals and fractions too often a phrase ("first", "half"),
// to be more than soft.
const (
	cardinal = iota + 1
	ordinal
	fraction
)

// arabicWordNumber returns the value and kind of an Arabic number word. «المئة» with the
// article is the percent of «في المئة», «بالمئة»: no number.
func arabicWordNumber(rb []reading) (float64, int, bool) {
	for _, r := range rb {
		if r.article && (r.key == "مئه" || r.key == "مائه") {
			return 0, 0, false
		}
	}
	if v, ok := lookupArabic(arCardinals, rb); ok {
		return v, cardinal, true
	}
	if v, ok := lookupArabic(arOrdinals, rb); ok {
		return v, ordinal, true
	}
	if v, ok := lookupArabic(arFractions, rb); ok {
		return v, fraction, true
	}
	return 0, 0, false
}

// arDecades maps the decade words (التسعينيات, الثمانينات) to the tens they name; English
// writes "the 1990s" or "the '90s".
var arDecades = func() map[string]float64 {
	m := map[string]float64{"عشرينيات": 20, "عشرينات": 20}
	for _, u := range arUnits {
		if u.stem != "" {
			m[u.stem+"ينيات"] = u.v * 10
			m[u.stem+"ينات"] = u.v * 10
		}
	}
	return m
}()

// arScales are the scale words after a number: «40 ألف», «3 آلاف», «2.7 مليار», «عشرين ألفا».
var arScales = map[string]float64{
	"الف": 1e3, "الفا": 1e3, "الاف": 1e3,
	"مليون": 1e6, "مليونا": 1e6, "ملايين": 1e6,
	"مليار": 1e9, "مليارا": 1e9, "مليارات": 1e9, "بليون": 1e9, "بلايين": 1e9,
	"تريليون": 1e12, "تريليونات": 1e12,
	"مئه": 100, "مائه": 100,
}

// arScaleAlone are scale words that are a number by themselves: «مليون دولار» is a million
// dollars, «مليونا و300 ألف» 1.3 million, the dual «ألفي جندي» two thousand soldiers. Plurals (آلاف, ملايين) alone are
// "thousands", "millions": no number.
var arScaleAlone = map[string]float64{
	"الف": 1e3, "مليون": 1e6, "مليونا": 1e6, "مليار": 1e9, "مليارا": 1e9, "بليون": 1e9, "تريليون": 1e12,
	"الفي": 2e3, "الفين": 2e3, "الفان": 2e3,
	"مليوني": 2e6, "مليونين": 2e6, "مليونان": 2e6,
	"ملياري": 2e9, "مليارين": 2e9, "ملياران": 2e9,
}

// lookupArabic returns the value of the first reading found in m: first without the article
// (the key), then as written (the surface: آلاف folds to الاف, which looks like ال + اف).
func lookupArabic(m map[string]float64, rb []reading) (float64, bool) {
	for _, r := range rb {
		if v, ok := m[r.key]; ok {
			return v, true
		}
		if r.surface != r.key {
			if v, ok := m[r.surface]; ok {
				return v, true
			}
		}
	}
	return 0, false
}

// lookupDecade returns the readings of a decade word: «التسعينيات» is the 1990s (or the '90s,
// or the 1890s, rarer in news).
func lookupDecade(rb []reading) ([]float64, bool) {
	if v, ok := lookupArabic(arDecades, rb); ok {
		return []float64{1900 + v, v}, true
	}
	return nil, false
}

// English number words. Wire style spells out one to nine and writes digits from 10 on, but
// translations spell out more, so every word up to twenty, the tens and the scales count.
var enCardinals = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

// enOrdinals are the ordinal words; each ends a spelled-out number (twenty-first).
var enOrdinals = map[string]float64{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
	"eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
	"fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
	"nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
	"sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}

// enScales are the English scale words, after digits ("2.7 million") or words ("two million").
var enScales = map[string]float64{
	"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

// enSuffixes are what English glues to digits: ordinals (28th), decades (1990s) and the
// financial press's "bn".
var enSuffixes = map[string]float64{
	"st": 1, "nd": 1, "rd": 1, "th": 1, "s": 1, "bn": 1e9,
}

// enShortScales are the financial press's "m" and "k", which may also be metres and
// kilometres' k: a number with one has both readings.
var enShortScales = map[string]float64{"m": 1e6, "mn": 1e6, "k": 1e3}

// arLexicon holds every word of the Arabic lexicons (numbers, scales, months, weekdays), as
// keys and as written: a token none of whose readings is here needs no further lookup.
var arLexicon = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range []map[string]float64{arCardinals, arOrdinals, arFractions, arDecades, arScales, arScaleAlone} {
		for w := range l {
			m[w] = true
		}
	}
	for w := range arMonths {
		m[w] = true
	}
	for w := range arMonthPairs {
		m[w] = true
	}
	for w := range arWeekdays {
		m[w] = true
	}
	return m
}()
