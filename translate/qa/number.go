package qa

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// num is one number found in a text.
type num struct {
	a, b int        // folded runes of the whole expression, scale words included
	vals [2]float64 // its readings: "1.000" may be one or a thousand
	n    int        // how many readings
	// hard numbers are written with digits and must be answered in the other text; soft ones
	// (number words, ordinals, numbers inside a glossary term) may answer a hard one but are
	// never missed: «5 صواريخ» may be "five missiles", «السبع» need not become a digit.
	hard bool
	word bool // spelled out: a soft number a reviewer would call a number ("six")
	used bool
}

func (n *num) add(v float64) {
	if n.n < len(n.vals) {
		n.vals[n.n] = v
		n.n++
	}
}

func (n *num) scale(f float64) {
	for i := range n.n {
		n.vals[i] *= f
	}
}

// same reports whether two numbers have a reading in common.
func same(x, y *num) bool {
	for _, a := range x.vals[:x.n] {
		for _, b := range y.vals[:y.n] {
			if a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) {
				return true
			}
		}
	}
	return false
}

// checkNumbers: every number of the source is in the target with the same value, and the
// target has none the source lacks.
func checkNumbers(p *pair) {
	src := arabicNumbers(p)
	tgt := englishNumbers(p)
	if len(src) == 0 && len(tgt) == 0 {
		return
	}
	// Hard answers hard first, so that a soft word never takes a digit's partner away.
	pairUp(src, tgt, true)
	pairUp(src, tgt, false)
	pairUp(tgt, src, false)

	var missing, extra []*num
	for i := range src {
		if src[i].hard && !src[i].used {
			missing = append(missing, &src[i])
		}
	}
	for i := range tgt {
		if tgt[i].hard && !tgt[i].used {
			extra = append(extra, &tgt[i])
		}
	}
	// A source number left over is set against a spelled-out English number left over
	// ("five" for «٦»), so the reviewer sees both sides of the slip.
	if len(missing) > len(extra) {
		for i := range tgt {
			if len(extra) == len(missing) {
				break
			}
			if tgt[i].word && !tgt[i].used && tgt[i].vals[0] != 1 {
				extra = append(extra, &tgt[i])
			}
		}
	}
	for i := 0; i < len(missing) || i < len(extra); i++ {
		var f Finding
		switch {
		case i < len(missing) && i < len(extra):
			s, t := missing[i], extra[i]
			f.Message = fmt.Sprintf("the Arabic has %s; the English has %s", sourceNumber(p, s), origText(p.target, &p.tgt, t.a, t.b))
			f.Source, f.Target = span(&p.src, s.a, s.b), span(&p.tgt, t.a, t.b)
		case i < len(missing):
			s := missing[i]
			f.Message = fmt.Sprintf("the Arabic has %s, which the English lacks", sourceNumber(p, s))
			f.Source = span(&p.src, s.a, s.b)
		default:
			t := extra[i]
			if !t.hard {
				continue
			}
			f.Message = fmt.Sprintf("the English has %s, which the Arabic lacks", origText(p.target, &p.tgt, t.a, t.b))
			f.Target = span(&p.tgt, t.a, t.b)
		}
		p.emit(f)
	}
}

// pairUp marks as used each unused hard number of xs that finds an unused number of ys with
// the same value (a hard one when yHard, else a soft one), in order.
func pairUp(xs, ys []num, yHard bool) {
	for i := range xs {
		x := &xs[i]
		if x.used || !x.hard {
			continue
		}
		for j := range ys {
			y := &ys[j]
			if !y.used && y.hard == yHard && same(x, y) {
				x.used, y.used = true, true
				break
			}
		}
	}
}

// sourceNumber names a source number for a message: its value, and how the Arabic wrote it
// when that differs ("17 (١٧)", "40,000 (40 ألف)").
func sourceNumber(p *pair, n *num) string {
	written := origText(p.source, &p.src, n.a, n.b)
	if n.n != 1 {
		return written
	}
	v := formatValue(n.vals[0])
	if v == written {
		return v
	}
	return v + " (" + written + ")"
}

// formatValue writes a value the way an English news text would: 40,000; 2.7 million; 0.5.
func formatValue(v float64) string {
	for _, s := range []struct {
		f    float64
		name string
	}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}} {
		if m := v / s.f; m >= 1 && math.Abs(m*1000-math.Round(m*1000)) < 1e-6 {
			return strconv.FormatFloat(math.Round(m*1000)/1000, 'f', -1, 64) + " " + s.name
		}
	}
	if v != math.Trunc(v) || v >= 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	d := strconv.FormatFloat(v, 'f', 0, 64)
	if len(d) <= 4 { // 2014 is a year, not 2,014
		return d
	}
	var b strings.Builder
	for i, r := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Digit separators. Arabic has its own decimal (٫) and thousands (٬) separators; ASCII ones
// are read by how they are used (decimalReading).
const (
	arDecimal   = '٫'
	arThousands = '٬'
)

func isNumSep(r rune) bool { return r == ',' || r == '.' || r == arDecimal || r == arThousands }

// parseDigits reads the number whose first digit is rs[i]: digit groups joined by
// separators. It returns where the number ends and its readings. Separators it cannot read
// as one number ("1.2.3", a list "1,2,3") end the number after its first group.
func parseDigits(rs []rune, i int) (end int, n num) {
	var groups [][2]int
	var seps []rune
	j := i
	for {
		s := j
		for j < len(rs) && isDigit(rs[j]) {
			j++
		}
		groups = append(groups, [2]int{s, j})
		if j+1 < len(rs) && isNumSep(rs[j]) && isDigit(rs[j+1]) && len(groups) < 8 {
			seps = append(seps, rs[j])
			j++
			continue
		}
		break
	}
	n.a, n.b = i, j
	if ok := decimalReading(rs, groups, seps, &n); !ok {
		n = num{a: i, b: groups[0][1]}
		n.add(digitsValue(rs, groups[:1], -1))
	}
	return n.b, n
}

// decimalReading interprets digit groups and their separators, adding the readings to n, or
// reports that they do not make one number. ٫ is always the decimal point and ٬ the thousands
// separator. A comma followed by groups of three is a thousands separator (40,000); a single
// comma followed by anything else can only be a decimal comma (2,7 مليون). A single dot
// before three digits is read both ways (1.000 is one in English and a thousand in much of the
// Arab press); several dots before groups of three are thousands. A run of one separator then
// a different last one is thousands then decimals (3,000.5; 3.000,5; ٣٬٠٠٠٫٥).
func decimalReading(rs []rune, groups [][2]int, seps []rune, n *num) bool {
	if len(seps) == 0 {
		n.add(digitsValue(rs, groups, -1))
		return true
	}
	last := len(seps) - 1
	lead, final := seps[0], seps[last]
	for _, s := range seps[:last] {
		if s != lead {
			return false
		}
	}
	// grouped reports whether groups 1..to have three digits each after a lead of one to three.
	grouped := func(to int) bool {
		if l := groups[0][1] - groups[0][0]; l > 3 {
			return false
		}
		for _, g := range groups[1 : to+1] {
			if g[1]-g[0] != 3 {
				return false
			}
		}
		return true
	}
	if lead != final {
		if lead == arDecimal || final == arThousands || !grouped(last) {
			return false
		}
		n.add(digitsValue(rs, groups, last))
		return true
	}
	single := last == 0
	switch {
	case lead == arDecimal && single:
		n.add(digitsValue(rs, groups, 0))
	case lead == arDecimal:
		return false
	case lead == '.' && single:
		n.add(digitsValue(rs, groups, 0))
		if grouped(1) {
			n.add(digitsValue(rs, groups, -1))
		}
	case grouped(len(groups) - 1):
		n.add(digitsValue(rs, groups, -1))
	case lead == ',' && single: // 2,7: only a decimal comma
		n.add(digitsValue(rs, groups, 0))
	default:
		return false
	}
	return true
}

// digitsValue joins digit groups into a value, with a decimal point after group point (none
// when point is -1).
func digitsValue(rs []rune, groups [][2]int, point int) float64 {
	var b strings.Builder
	for k, g := range groups {
		for _, r := range rs[g[0]:g[1]] {
			b.WriteRune(r)
		}
		if k == point {
			b.WriteByte('.')
		}
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil { // only digits and one point: cannot fail but for absurd lengths
		return math.Inf(1)
	}
	return v
}

// arabicNumbers finds the numbers of the Arabic source. Hard: digits in any system (the fold
// made them ASCII) with their separators and a following scale word («40 ألف», «2.7 مليار»,
// «مليون و200 ألف»), and cardinal words from three up («ثلاثة مدنيين», «خمسة وعشرون»).
// Soft: one and two, ordinals, fractions and decades (الثالث, السبع in مجموعة السبع when the
// English says "Group of Seven", نصف مليون, التسعينيات), and scale words alone (مليون).
func arabicNumbers(p *pair) []num {
	rs, toks := p.src.Runes, p.stoks
	var out []num
	for k := 0; k < len(toks); {
		t := toks[k]
		if t.num {
			n, next := digitsAt(rs, toks, k)
			k = arabicScale(p, next, &n, 0)
			out = append(out, n)
			continue
		}
		if !p.inLexicon(k) {
			k++
			continue
		}
		rb := p.readings(k)
		if v, kind, ok := arabicWordNumber(rb); ok {
			n, next := arabicCompound(p, k, v)
			n.hard = kind == cardinal && n.vals[0] >= 3
			out = append(out, n)
			k = next
			continue
		}
		if vs, ok := lookupDecade(rb); ok {
			n := num{a: t.a, b: t.b}
			for _, v := range vs {
				n.add(v)
			}
			out = append(out, n)
			k++
			continue
		}
		if v, ok := lookupArabic(arScaleAlone, rb); ok {
			n := num{a: t.a, b: t.b}
			n.add(v)
			k = arabicScale(p, k+1, &n, v) // مليون و200 ألف
			out = append(out, n)
			continue
		}
		k++
	}
	spans := make([][2]int, len(p.terms))
	for i, t := range p.terms {
		spans[i] = t.Source
	}
	soften(out, &p.src, spans)
	return out
}

// digitsAt reads the number written in digits at token k, a hard one, and returns it with the
// token after it.
func digitsAt(rs []rune, toks []token, k int) (num, int) {
	end, n := parseDigits(rs, toks[k].a)
	n.hard = true
	return n, after(toks, end)
}

// arabicScale reads, from token k on, a scale word after the number n when it has none yet
// (scale is 0: «40 ألف»), then the parts joined to it by و with smaller scales («3 آلاف و500»,
// «مليون و200 ألف»), adds them to n, and returns the token after them. Without a scale, a
// glued و starts another number: «بين 3 و5» is 3 and 5.
func arabicScale(p *pair, k int, n *num, scale float64) int {
	rs, toks := p.src.Runes, p.stoks
	if scale == 0 && k < len(toks) && !toks[k].num && blank(rs, n.b, toks[k].a) {
		if f, ok := lookupArabic(arScales, p.readings(k)); ok {
			n.scale(f)
			n.b = toks[k].b
			scale = f
			k++
		}
	}
	for scale > 1 && n.n == 1 && k+1 < len(toks) && !toks[k].num && toks[k].b-toks[k].a == 1 &&
		rs[toks[k].a] == 'و' && toks[k+1].num && toks[k+1].a == toks[k].b && blank(rs, n.b, toks[k].a) {
		end, part := parseDigits(rs, toks[k+1].a)
		j := after(toks, end)
		f := 1.0
		if j < len(toks) && !toks[j].num && blank(rs, end, toks[j].a) {
			if s, ok := lookupArabic(arScales, p.readings(j)); ok {
				f = s
				end = toks[j].b
				j++
			}
		}
		if f >= scale || part.n != 1 {
			break
		}
		n.vals[0] += part.vals[0] * f
		n.b = end
		n.hard = true
		scale = f
		k = j
	}
	return k
}

// arabicCompound reads the number words that follow a number word of value v at token k:
// «أحد عشر», «خمسة وعشرون», «ثلاثة آلاف», «ثلاث مئة», «نصف مليون». It returns the whole as one
// number and the token after it.
func arabicCompound(p *pair, k int, v float64) (num, int) {
	rs, toks := p.src.Runes, p.stoks
	n := num{a: toks[k].a, b: toks[k].b}
	total := v
	j := k + 1
	for ; j < len(toks) && !toks[j].num && blank(rs, n.b, toks[j].a); j++ {
		rb := p.readings(j)
		w, ok := lookupArabic(arCardinals, rb)
		if !ok {
			w, ok = lookupArabic(arOrdinals, rb) // الحادي والعشرون
		}
		if ok && w == 10 && total < 10 { // أحد عشر, ثلاثة عشر
			total += 10
		} else if ok && w >= 20 && w < 100 && total < 10 && strings.HasPrefix(rb[0].surface, "و") { // خمسة وعشرون
			total += w
		} else if f, ok := lookupArabic(arScales, rb); ok && f > total {
			total *= f
		} else {
			break
		}
		n.b = toks[j].b
	}
	n.add(total)
	return n, j
}

// soften makes the hard numbers inside the given spans (original code points of f's text)
// soft: inside a glossary term the term's English decides how a number reads («ستارت 3» is
// "New START"; "G20" may be the agreed English of «مجموعة العشرين»).
func soften(ns []num, f *ftext, spans [][2]int) {
	for i := range ns {
		if !ns[i].hard {
			continue
		}
		sp := span(f, ns[i].a, ns[i].b)
		for _, t := range spans {
			if sp[0] >= t[0] && sp[1] <= t[1] {
				ns[i].hard = false
				break
			}
		}
	}
}

// englishNumbers finds the numbers of the English target: digits with their separators,
// suffixes ("28th", "1990s", "$2bn") and scale words ("2.7 million"), codes included (G7,
// H5N1, resolution 2231), as hard numbers; spelled-out numbers ("five", "twenty-one",
// "a million", "third") as soft ones. Numbers inside an accepted glossary rendering are soft.
func englishNumbers(p *pair) []num {
	rs, toks := p.tgt.Runes, p.ttoks
	var out []num
	for k := 0; k < len(toks); {
		t := toks[k]
		if t.num {
			n, next := digitsAt(rs, toks, k)
			k = next
			if k < len(toks) && !toks[k].num && toks[k].a == n.b {
				if f, ok := enSuffixes[toks[k].key]; ok {
					n.scale(f)
					n.b = toks[k].b
					k++
				} else if f, ok := enShortScales[toks[k].key]; ok && n.n == 1 {
					n.add(n.vals[0] * f) // "$5m" is five million, "100m" a hundred metres
					n.b = toks[k].b
					k++
				}
			}
			if k < len(toks) && !toks[k].num && blank(rs, n.b, toks[k].a) {
				if f, ok := enScales[toks[k].key]; ok && f > 100 {
					n.scale(f)
					n.b = toks[k].b
					k++
				}
			}
			out = append(out, n)
			continue
		}
		if n, next, ok := englishWordNumber(rs, toks, k); ok {
			out = append(out, n)
			k = next
			continue
		}
		k++
	}
	if len(p.terms) > 0 {
		soften(out, &p.tgt, p.acceptedSpans())
	}
	return out
}

// englishWordNumber reads a spelled-out number starting at token k: "five", "twenty-one",
// "three hundred and twenty", "two million", "a thousand", "twenty-first". The words are
// joined by spaces or a hyphen.
func englishWordNumber(rs []rune, toks []token, k int) (num, int, bool) {
	joined := func(j int) bool { // token j follows token j-1 as part of one number
		if j >= len(toks) || toks[j].num {
			return false
		}
		a, b := toks[j-1].b, toks[j].a
		return blank(rs, a, b) || (b == a+1 && rs[a] == '-')
	}
	w := toks[k].key
	if w == "a" || w == "an" { // "a million", "a dozen"
		if !joined(k + 1) {
			return num{}, 0, false
		}
		if _, ok := enScales[toks[k+1].key]; !ok && toks[k+1].key != "dozen" {
			return num{}, 0, false
		}
		w = "one"
	} else if _, ok := enCardinals[w]; !ok {
		if v, ok := enOrdinals[w]; ok {
			n := num{a: toks[k].a, b: toks[k].b, word: true}
			n.add(v)
			return n, k + 1, true
		}
		return num{}, 0, false
	}
	var total, cur float64
	j := k
	for ; j < len(toks); j++ {
		if j > k && !joined(j) {
			break
		}
		key := toks[j].key
		if j == k {
			key = w
		}
		if v, ok := enCardinals[key]; ok {
			cur += v
			continue
		}
		if v, ok := enOrdinals[key]; ok && j > k {
			cur += v
			j++
			break
		}
		if f, ok := enScales[key]; ok && j > k {
			if cur == 0 {
				cur = 1
			}
			if f == 100 {
				cur *= f
			} else {
				total += cur * f
				cur = 0
			}
			continue
		}
		// "three hundred and twenty": and joins only after hundred
		if key == "and" && j > k && toks[j-1].key == "hundred" && joined(j+1) {
			if _, ok := enCardinals[toks[j+1].key]; ok {
				continue
			}
		}
		break
	}
	n := num{a: toks[k].a, b: toks[j-1].b, word: true}
	n.add(total + cur)
	return n, j, true
}
