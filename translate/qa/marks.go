package qa

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// checkUntranslated: no Arabic left in the English, except the Arabic of a term the glossary
// keeps as it is (do-not-translate). Each run of Arabic words is one finding.
func checkUntranslated(p *pair) {
	rs := p.rawTgt
	for i := 0; i < len(rs); {
		if !isArabicLetter(rs[i]) {
			i++
			continue
		}
		j := i + 1
		for end := j; end < len(rs); end++ {
			r := rs[end]
			if isArabicLetter(r) || r == 'ـ' { // tatweel, a letter of no script
				j = end + 1
				continue
			}
			if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
				break
			}
		}
		run := string(rs[i:j])
		if !p.keptOnPurpose(run) {
			f := Finding{Target: [2]int{i, j}, Source: p.findInSource(run)}
			if n := arabic.Normalize(run); isDigits(n) {
				f.Message = fmt.Sprintf("Arabic digits left in the English: %s (write %s)", run, n)
			} else {
				f.Message = fmt.Sprintf("Arabic left in the English: «%s»", run)
			}
			p.emit(f)
		}
		i = j
	}
}

func isDigits(s string) bool {
	for _, r := range s {
		if !isDigit(r) {
			return false
		}
	}
	return s != ""
}

// keptOnPurpose reports whether an Arabic run of the English is nothing but the Arabic of
// do-not-translate terms found in the source.
func (p *pair) keptOnPurpose(run string) bool {
	n := arabic.Normalize(run)
	for _, t := range p.terms {
		if !t.DoNotTranslate {
			continue
		}
		for _, form := range append([]string{t.Arabic, t.Text}, t.Variants...) {
			if f := arabic.Normalize(form); f != "" {
				n = strings.ReplaceAll(n, f, "")
			}
		}
	}
	return strings.TrimSpace(n) == ""
}

// findInSource returns where the Arabic run (as folded) first occurs in the source, or an
// empty span: the reviewer sees which words were left untranslated.
func (p *pair) findInSource(run string) [2]int {
	needle := arabic.Fold(strings.TrimSpace(run)).Runes
	hay := p.src.Runes
outer:
	for i := 0; i+len(needle) <= len(hay) && len(needle) > 0; i++ {
		for j, r := range needle {
			if hay[i+j] != r {
				continue outer
			}
		}
		return span(&p.src, i, i+len(needle))
	}
	return [2]int{}
}

// arabicPunct names the Arabic punctuation marks an English text should not carry, with the
// English mark to use instead.
var arabicPunct = map[rune]string{'،': ",", '؛': ";", '؟': "?", '٪': "%", '٫': ".", '٬': ","}

// sentence ends
const (
	endNone = iota
	endStop
	endQuestion
	endExclamation
	endColon
)

var endNames = [...]string{endNone: "no closing punctuation", endStop: "a full stop", endQuestion: "a question mark", endExclamation: "an exclamation mark", endColon: "a colon"}

// sentenceEnd classifies how a text ends, and returns the span of its closing run of
// punctuation, quotes and brackets (the last character when there is none). English puts the
// full stop inside the quotes (…crisis.") where Arabic puts it outside (…”.): both are read
// from the whole run.
func sentenceEnd(rs []rune) (int, [2]int) {
	e := len(rs)
	for e > 0 && unicode.IsSpace(rs[e-1]) {
		e--
	}
	s := e
	for s > 0 && !unicode.IsLetter(rs[s-1]) && !unicode.IsDigit(rs[s-1]) {
		s--
	}
	for s < e && unicode.IsSpace(rs[s]) {
		s++
	}
	if e == 0 {
		return endNone, [2]int{}
	}
	class := endNone
	for _, r := range rs[s:e] {
		switch r {
		case '?', '؟':
			class = endQuestion
		case '!':
			if class != endQuestion {
				class = endExclamation
			}
		case '.', '…', '۔':
			if class == endNone || class == endColon {
				class = endStop
			}
		case ':':
			if class == endNone {
				class = endColon
			}
		}
	}
	if s == e {
		return class, [2]int{e - 1, e}
	}
	return class, [2]int{s, e}
}

// maxEnd bounds the characters sentenceEnd reads at the end of the source.
const maxEnd = 32

// lastRunes returns the last n code points of s and the index of the first of them.
func lastRunes(s string, n int) ([]rune, int) {
	i := len(s)
	for k := 0; k < n && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return []rune(s[i:]), utf8.RuneCountInString(s[:i])
}

// checkPunctuation: the sentence ends alike (a question stays a question, an exclamation an
// exclamation, a full stop is not dropped; English may add one where the Arabic has none), and
// the English carries no Arabic punctuation.
func checkPunctuation(p *pair) {
	for i, r := range p.rawTgt {
		if r < 0x0600 {
			continue
		}
		if use, ok := arabicPunct[r]; ok {
			p.emit(Finding{Target: [2]int{i, i + 1},
				Message: fmt.Sprintf("Arabic punctuation %c in the English (use %s)", r, use)})
		}
	}
	tail, at := lastRunes(p.source, maxEnd)
	se, ss := sentenceEnd(tail)
	ss[0], ss[1] = ss[0]+at, ss[1]+at
	te, ts := sentenceEnd(p.rawTgt)
	bad := false
	switch {
	case se == endQuestion || te == endQuestion:
		bad = se != te
	case se == endExclamation || te == endExclamation:
		bad = se != te
	case se == endStop:
		bad = te == endNone
	}
	if bad {
		p.emit(Finding{Source: ss, Target: ts,
			Message: fmt.Sprintf("the Arabic ends with %s; the English with %s", endNames[se], endNames[te])})
	}
}

// Quotation marks: curly and angle quotes pair up; a straight quote closes an open one or
// opens one.
func isOpenQuote(r rune) bool  { return r == '“' || r == '„' || r == '«' }
func isCloseQuote(r rune) bool { return r == '”' || r == '»' }

// quoteParity counts the double quotation marks of a text: Arabic sources use “ ” « » and "
// in either direction, so only their number is telling. An odd number means a quotation opens
// or closes in another segment (segments are sentences; quotations run over several), and the
// English may then be unbalanced by one too.
func quoteParity(s string) int {
	n := 0
	for _, r := range s {
		if isOpenQuote(r) || isCloseQuote(r) || r == '"' {
			n++
		}
	}
	return n % 2
}

// checkQuotes: quotation marks are balanced in the English, beyond the imbalance the Arabic
// itself has.
func checkQuotes(p *pair) {
	var open []int // positions of unclosed openers
	var stray []int
	for i, r := range p.rawTgt {
		switch {
		case isOpenQuote(r):
			open = append(open, i)
		case isCloseQuote(r):
			if len(open) == 0 {
				stray = append(stray, i)
			} else {
				open = open[:len(open)-1]
			}
		case r == '"':
			if len(open) > 0 {
				open = open[:len(open)-1]
			} else {
				open = append(open, i)
			}
		case r == '‘' && !strings.ContainsRune(string(p.rawTgt[i+1:]), '’'):
			stray = append(stray, i) // single quotes: ’ is also the apostrophe, so only a ‘ never closed
		}
	}
	if len(open)+len(stray) <= quoteParity(p.source) {
		return
	}
	for _, i := range open {
		p.emit(Finding{Target: [2]int{i, i + 1},
			Message: fmt.Sprintf("the English opens a quotation with %c and never closes it", p.rawTgt[i])})
	}
	for _, i := range stray {
		msg := fmt.Sprintf("the English closes a quotation with %c that was never opened", p.rawTgt[i])
		if p.rawTgt[i] == '‘' {
			msg = "the English opens a quotation with ‘ and never closes it"
		}
		p.emit(Finding{Target: [2]int{i, i + 1}, Message: msg})
	}
}

// opening returns the opening bracket of a closing one; the Arabic ornate parentheses of
// Quranic quotations count as round ones.
func opening(r rune) (rune, bool) {
	switch r {
	case ')':
		return '(', true
	case ']':
		return '[', true
	case '}':
		return '{', true
	case '﴿':
		return '﴾', true
	}
	return 0, false
}

func isOpenBracket(r rune) bool { return r == '(' || r == '[' || r == '{' || r == '﴾' }

// bracketImbalance is how many brackets of a text are left unpaired, by count alone.
func bracketImbalance(s string) int {
	n := 0
	for _, r := range s {
		if isOpenBracket(r) {
			n++
		} else if _, ok := opening(r); ok {
			n--
		}
	}
	return max(n, -n)
}

// checkBrackets: brackets are balanced and properly paired in the English, beyond the
// imbalance of the Arabic (a parenthesis may run over two sentences).
func checkBrackets(p *pair) {
	type open struct {
		r rune
		i int
	}
	var stack []open
	var bad []Finding
	for i, r := range p.rawTgt {
		if isOpenBracket(r) {
			stack = append(stack, open{r, i})
			continue
		}
		want, ok := opening(r)
		if !ok {
			continue
		}
		switch {
		case len(stack) == 0:
			bad = append(bad, Finding{Target: [2]int{i, i + 1},
				Message: fmt.Sprintf("the English closes a bracket %c that was never opened", r)})
		case stack[len(stack)-1].r != want:
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			bad = append(bad, Finding{Target: [2]int{o.i, i + 1},
				Message: fmt.Sprintf("the English opens a bracket with %c and closes it with %c", o.r, r)})
		default:
			stack = stack[:len(stack)-1]
		}
	}
	for _, o := range stack {
		bad = append(bad, Finding{Target: [2]int{o.i, o.i + 1},
			Message: fmt.Sprintf("the English opens a bracket %c and never closes it", o.r)})
	}
	if len(bad) <= bracketImbalance(p.source) {
		return
	}
	for _, f := range bad {
		p.emit(f)
	}
}

// isBlankRune is horizontal white space.
func isBlankRune(r rune) bool { return r == ' ' || r == '\t' || r == 0xA0 || r == 0x202F }

// noSpaceBefore are the marks English never puts a space before.
func noSpaceBefore(rs []rune, i int) bool {
	switch rs[i] {
	case ',', ';', ':', '!', '?', ')', ']', '}', '”', '»', '%':
		return true
	case '.': // but " .5", and the spaced ellipsis " ..." are fine
		return !(i+1 < len(rs) && (isDigit(rs[i+1]) || rs[i+1] == '.'))
	}
	return false
}

// checkSpacing: no leading or trailing space, no double space, no space before punctuation in
// the English.
func checkSpacing(p *pair) {
	rs := p.rawTgt
	n := len(rs)
	lead := 0
	for lead < n && unicode.IsSpace(rs[lead]) {
		lead++
	}
	if lead == n {
		return
	}
	trail := n
	for unicode.IsSpace(rs[trail-1]) {
		trail--
	}
	if lead > 0 {
		p.emit(Finding{Target: [2]int{0, lead}, Message: "the English starts with a space"})
	}
	for i := lead; i < trail; {
		if !isBlankRune(rs[i]) {
			i++
			continue
		}
		j := i + 1
		for j < trail && isBlankRune(rs[j]) {
			j++
		}
		switch {
		case noSpaceBefore(rs, j):
			p.emit(Finding{Target: [2]int{i, j + 1}, Message: fmt.Sprintf("a space before %c", rs[j])})
		case j-i > 1:
			p.emit(Finding{Target: [2]int{i, j}, Message: "a double space"})
		}
		i = j
	}
	if trail < n {
		p.emit(Finding{Target: [2]int{trail, n}, Message: "the English ends with a space"})
	}
}

// legitDoubles are the words English doubles on purpose: "he had had enough", "said that that
// decision".
var legitDoubles = map[string]bool{"had": true, "that": true}

// checkRepeat: no word doubled in the English ("the the"), apart from legitDoubles, a
// hyphenated compound (Boutros Boutros-Ghali) and a doubling the Arabic has too (a name like
// «محمد محمد»).
func checkRepeat(p *pair) {
	rs, toks := p.tgt.Runes, p.ttoks
	srcDoubles := -1 // unknown until needed
	for k := 0; k+1 < len(toks); k++ {
		a, b := toks[k], toks[k+1]
		if a.num || b.num || a.key != b.key || !blank(rs, a.b, b.a) || legitDoubles[a.key] {
			continue
		}
		if b.b+1 < len(rs) && rs[b.b] == '-' && unicode.IsLetter(rs[b.b+1]) {
			continue
		}
		if srcDoubles < 0 {
			srcDoubles = doubledWords(p.src.Runes, p.stoks)
		}
		if srcDoubles > 0 {
			continue
		}
		sp := span(&p.tgt, a.a, b.b)
		p.emit(Finding{Target: sp, Message: fmt.Sprintf("%q: a word doubled", cut(p.target, sp))})
	}
}

// doubledWords counts the words a text has twice in a row.
func doubledWords(rs []rune, toks []token) int {
	n := 0
	for k := 0; k+1 < len(toks); k++ {
		a, b := toks[k], toks[k+1]
		if !a.num && !b.num && blank(rs, a.b, b.a) && string(rs[a.a:a.b]) == string(rs[b.a:b.b]) {
			n++
		}
	}
	return n
}

// Letters counts the letters and digits of a text as the length check does: after the fold,
// so harakat and tatweel do not count and a lam-alef ligature counts two. A store that learns
// the length ratio keeps these counts for its approved segments.
func Letters(s string) int { return letters(arabic.Fold(s).Runes) }

func letters(rs []rune) int {
	n := 0
	for _, r := range rs {
		if isLetter(r) || isDigit(r) || r >= utf8.RuneSelf && unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// checkLength: the English is neither far shorter nor far longer than the Arabic predicts.
// Segments with fewer Arabic letters than the configured minimum are not judged.
func checkLength(p *pair) {
	src := letters(p.src.Runes)
	if src < p.cfg.minLetters() {
		return
	}
	tgt := letters(p.tgt.Runes)
	want := p.cfg.ratio() * float64(src)
	tol := p.cfg.tolerance()
	var how string
	switch {
	case float64(tgt) < want/tol:
		how = "much shorter"
	case float64(tgt) > want*tol:
		how = "much longer"
	default:
		return
	}
	p.emit(Finding{Message: fmt.Sprintf("the English is %s than the Arabic suggests: %d letters for %d Arabic letters (about %.0f expected)", how, tgt, src, want)})
}

// LengthStats learns the length ratio from approved segments: add each approved pair (or its
// Letters counts) and read Ratio. Pairs too short for the length check are left out, as they
// would be judged by nothing.
type LengthStats struct {
	Pairs   int `json:"pairs"`
	Arabic  int `json:"arabic"`  // letters of the Arabic sources
	English int `json:"english"` // letters of the English targets
}

// MinLearnPairs is how many approved pairs LengthStats needs before its ratio is trusted.
const MinLearnPairs = 30

// Add counts one approved pair.
func (s *LengthStats) Add(source, target string) { s.AddLetters(Letters(source), Letters(target)) }

// AddLetters counts one approved pair by its Letters counts.
func (s *LengthStats) AddLetters(arabicLetters, englishLetters int) {
	if arabicLetters < DefaultLengthMinLetters || englishLetters == 0 {
		return
	}
	s.Pairs++
	s.Arabic += arabicLetters
	s.English += englishLetters
}

// Ratio returns English letters per Arabic letter over the pairs added, and whether there were
// at least MinLearnPairs of them.
func (s LengthStats) Ratio() (float64, bool) {
	if s.Pairs < MinLearnPairs || s.Arabic == 0 {
		return 0, false
	}
	return float64(s.English) / float64(s.Arabic), true
}
