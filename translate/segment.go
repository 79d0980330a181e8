package translate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// Piece is one segment of an article's text as cut by Split.
type Piece struct {
	Source    string // the sentence; never empty
	Sep       string // the text between this sentence and the next (whitespace, line breaks), "" possible
	Paragraph int    // 0-based paragraph number; a new paragraph starts after a blank line (two or more line breaks)
}

// Split cuts text into sentences. Concatenating Source+Sep of all pieces gives back text exactly
// (byte for byte, also for text that is not valid UTF-8: an invalid byte is treated as an
// ordinary non-space character).
//
// Rules:
//   - A sentence ends at a run of terminators (. ! ? ؟ … ۔ ‼ ⁇ ⁈ ⁉, e.g. "?!" or "..."), together
//     with any closing quotes, closing brackets and invisible format marks (RLM, ZWJ, ...) that
//     follow it, when the run is followed by white space, the end of the text or, for text typed
//     without a space after the full stop, directly by an Arabic letter.
//     A terminator followed directly by anything else (a Latin letter, a digit, a comma) does
//     not end a sentence: "U.S", "3.5", "٣.٥", "example.com", "?!،".
//   - The Arabic comma ، and semicolon ؛ never end a sentence.
//   - A terminator inside a bracket pair that opens and closes on the same line — ( ) [ ] { } （ ）
//     or the ornate parentheses ﴾ ﴿ — does not end a sentence: "(أ ف ب)", "(أ.ف.ب.)".
//   - Exactly two dots followed by more words on the same line are the pause mark of Arabic
//     news style ("مجدداً.. مكالمة بين بلينكن ولافروف"), not a sentence end; "..." and "…" are.
//   - A single "." after a one-letter word ("د. محمد", "U.S. officials", "e.g. this"), after a
//     title such as "Mr" or "Dr", or after a list number at the start of a line ("1. ") does not
//     end a sentence when more text follows on the same line.
//   - A punctuation-only stray that follows a sentence on the same line ("قال. .") is kept with
//     that sentence rather than becoming a sentence of its own.
//   - Every line break ("\n", "\r\n", a lone "\r", U+0085, U+2028, U+2029) ends a sentence.
//     A single line break (the title line, a byline) does not start a new paragraph; two or
//     more line breaks in a separator (a blank line, also one holding only spaces) do, and so
//     does U+2029 PARAGRAPH SEPARATOR.
//
// White space between two sentences goes into the first one's Sep, as does white space at the
// end of the text, so Source never starts or ends with white space — with one exception: white
// space at the very start of the text stays at the start of the first Source, because Piece has
// no room for a leading separator and the round trip must hold. Importers trim the text anyway.
//
// Text that is empty or only white space gives nil: the one case where Join does not give the
// text back (it gives "").
func Split(text string) []Piece {
	s := sentenceSplitter{text: text, prot: protectedRanges(text)}
	return s.run()
}

// Join is the inverse of Split: it concatenates Source and Sep of every piece in order.
func Join(pieces []Piece) string {
	n := 0
	for _, p := range pieces {
		n += len(p.Source) + len(p.Sep)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range pieces {
		b.WriteString(p.Source)
		b.WriteString(p.Sep)
	}
	return b.String()
}

type sentenceSplitter struct {
	text   string
	prot   []segSpan // sorted, non-overlapping byte ranges inside matched brackets
	pi     int       // index of the first protected range that may still contain the scan position
	pieces []Piece
	para   int
}

type segSpan struct{ start, end int } // [start, end) in bytes

func (s *sentenceSplitter) run() []Piece {
	t := s.text
	start := 0    // start of the current sentence
	lastEnd := -1 // end of the last non-space rune of the current sentence; -1: none yet
	for i := 0; i < len(t); {
		r, w := utf8.DecodeRuneInString(t[i:])
		switch {
		case isBreakRune(r):
			if lastEnd < 0 {
				// Only possible for white space at the very start of the text: it stays in the
				// first Source.
				i += w
				continue
			}
			start, lastEnd = s.emit(start, lastEnd), -1
			i = start
			continue
		case unicode.IsSpace(r):
			i += w
			continue
		case isSentenceTerminator(r) && !s.protected(i):
			end, ok := s.sentenceEnd(i)
			if ok {
				start, lastEnd = s.emit(start, end), -1
				i = start
				continue
			}
			lastEnd = end
			i = end
			continue
		}
		i += w
		lastEnd = i
	}
	if lastEnd >= 0 {
		s.emit(start, lastEnd)
	}
	if len(s.pieces) == 0 {
		return nil
	}
	return s.pieces
}

// emit records the sentence text[start:end] and the white space after it, and returns where the
// next sentence starts.
func (s *sentenceSplitter) emit(start, end int) int {
	t := s.text
	k := end + len(t[end:]) - len(strings.TrimLeftFunc(t[end:], unicode.IsSpace))
	s.pieces = append(s.pieces, Piece{Source: t[start:end], Sep: t[end:k], Paragraph: s.para})
	if NewParagraph(t[end:k]) {
		s.para++
	}
	return k
}

// NewParagraph reports whether a separator between two sentences starts a new paragraph: it
// holds two or more line breaks (a blank line, also one holding only spaces; "\r\n" is one
// break) or a U+2029 PARAGRAPH SEPARATOR.
func NewParagraph(sep string) bool {
	breaks := 0
	for i := 0; i < len(sep); {
		r, w := utf8.DecodeRuneInString(sep[i:])
		switch {
		case r == '\r':
			if i+1 < len(sep) && sep[i+1] == '\n' {
				w = 2
			}
			breaks++
		case r == '\u2029':
			breaks += 2
		case isBreakRune(r):
			breaks++
		}
		i += w
	}
	return breaks >= 2
}

// sentenceEnd looks at the terminator at byte i. It returns the end of the terminator run (with
// its closing quotes and brackets and any punctuation-only stray after it on the same line) and
// whether the sentence ends there.
func (s *sentenceSplitter) sentenceEnd(i int) (int, bool) {
	t := s.text
	j := i
	nterm := 0
	for {
		// terminators, then closers and format marks
		for j < len(t) {
			r, w := utf8.DecodeRuneInString(t[j:])
			if isSentenceTerminator(r) {
				nterm++
			} else if !isSentenceCloser(r) {
				break
			}
			j += w
		}
		// a punctuation-only stray after horizontal space ("قال. .") stays with the sentence
		k := skipHorizontalSpace(t, j)
		if k == j || k >= len(t) {
			break
		}
		m := k
		for m < len(t) {
			r, w := utf8.DecodeRuneInString(t[m:])
			if !isSentenceTerminator(r) && !isSentenceCloser(r) {
				break
			}
			m += w
		}
		if m == k {
			break
		}
		if m < len(t) {
			if r, _ := utf8.DecodeRuneInString(t[m:]); !unicode.IsSpace(r) {
				break // e.g. ". (أ ف ب)" or '. "Quote': the punctuation starts the next sentence
			}
		}
		j = m
	}
	if j >= len(t) {
		return j, true
	}
	if nterm == 2 && j == i+2 && t[i:j] == ".." {
		// ".." is the Arabic newsroom pause ("مجدداً.. مكالمة بين ..."), not a full stop,
		// when the line goes on with a word.
		if k := skipHorizontalSpace(t, j); k < len(t) {
			if r, _ := utf8.DecodeRuneInString(t[k:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				return j, false
			}
		}
	}
	next, _ := utf8.DecodeRuneInString(t[j:])
	switch {
	case unicode.IsSpace(next):
	case arabic.IsScriptLetter(next):
	default:
		return j, false
	}
	if nterm == 1 && t[i] == '.' && !lineBreakAt(t, skipHorizontalSpace(t, j)) && s.abbreviation(i) {
		return j, false
	}
	return j, true
}

// abbreviation reports whether the "." at byte i closes an abbreviation rather than a sentence:
// a one-letter word, a title like "Dr", or a list number at the start of a line.
func (s *sentenceSplitter) abbreviation(i int) bool {
	t := s.text
	// the word before the dot, back to white space, another dot or punctuation
	w0 := i
	for w0 > 0 {
		r, w := utf8.DecodeLastRuneInString(t[:w0])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		w0 -= w
	}
	word := t[w0:i]
	if word == "" {
		return false
	}
	letters := 0
	for _, r := range word {
		if !unicode.Is(unicode.Mn, r) { // harakat do not count: "دُ." is one letter
			letters++
		}
	}
	if r, _ := utf8.DecodeRuneInString(word); letters == 1 && unicode.IsLetter(r) {
		return true
	}
	if abbrevTitles[word] {
		return true
	}
	// "1. " or "١٢. " at the start of a line
	if utf8.RuneCountInString(word) <= 3 && allDigitRunes(word) {
		b := w0
		for b > 0 {
			r, w := utf8.DecodeLastRuneInString(t[:b])
			if isBreakRune(r) {
				break
			}
			if !unicode.IsSpace(r) {
				return false
			}
			b -= w
		}
		return true
	}
	return false
}

// abbrevTitles are Latin abbreviations that are followed by a name, so their dot ends no sentence.
var abbrevTitles = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "Prof": true, "St": true, "Jr": true,
	"Sr": true, "Gen": true, "Lt": true, "Col": true, "Capt": true, "Sgt": true, "Gov": true,
	"Sen": true, "Rep": true, "vs": true,
}

// protected reports whether byte i lies inside a matched bracket pair. Calls must come with
// non-decreasing i.
func (s *sentenceSplitter) protected(i int) bool {
	for s.pi < len(s.prot) && s.prot[s.pi].end <= i {
		s.pi++
	}
	return s.pi < len(s.prot) && s.prot[s.pi].start <= i
}

// protectedRanges finds the bracket pairs that open and close on the same line and returns
// the byte ranges they cover, merged and sorted.
func protectedRanges(t string) []segSpan {
	type open struct {
		kind rune
		pos  int
	}
	var stack []open
	var spans []segSpan
	for i := 0; i < len(t); {
		r, w := utf8.DecodeRuneInString(t[i:])
		switch {
		case isBreakRune(r):
			stack = stack[:0]
		case r == '\uFD3E' || r == '\uFD3F':
			// ornate parentheses are typed in both orders in Arabic text
			if n := len(stack); n > 0 && stack[n-1].kind == '\uFD3F' {
				spans = append(spans, segSpan{stack[n-1].pos, i + w})
				stack = stack[:n-1]
			} else {
				stack = append(stack, open{'\uFD3F', i})
			}
		default:
			if k := openKind(r); k != 0 {
				stack = append(stack, open{k, i})
			} else if k := closeKind(r); k != 0 {
				for n := len(stack) - 1; n >= 0; n-- {
					if stack[n].kind == k {
						spans = append(spans, segSpan{stack[n].pos, i + w})
						stack = stack[:n]
						break
					}
				}
			}
		}
		i += w
	}
	if len(spans) == 0 {
		return nil
	}
	// Spans come out ordered by their end; inner pairs end before outer ones. Sort by start
	// (insertion sort: the list is short and nearly sorted) and merge.
	for a := 1; a < len(spans); a++ {
		for b := a; b > 0 && spans[b].start < spans[b-1].start; b-- {
			spans[b], spans[b-1] = spans[b-1], spans[b]
		}
	}
	merged := spans[:1]
	for _, sp := range spans[1:] {
		last := &merged[len(merged)-1]
		if sp.start < last.end {
			if sp.end > last.end {
				last.end = sp.end
			}
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

func openKind(r rune) rune {
	switch r {
	case '(', '[', '{', '（':
		return r
	}
	return 0
}

func closeKind(r rune) rune {
	switch r {
	case ')':
		return '('
	case ']':
		return '['
	case '}':
		return '{'
	case '）':
		return '（'
	}
	return 0
}

func isSentenceTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '\u061F', '\u2026', '\u06D4', '\u203C', '\u2047', '\u2048', '\u2049':
		return true
	}
	return false
}

// isSentenceCloser reports whether r stays with the sentence when it follows a terminator: closing
// brackets and quotes (also the straight and “ ‘ quotes, which Arabic text often uses
// reversed) and invisible format marks.
func isSentenceCloser(r rune) bool {
	switch r {
	case '"', '\'', '\u201C', '\u2018', '\uFD3E', '\uFD3F':
		return true
	}
	return unicode.In(r, unicode.Pe, unicode.Pf, unicode.Cf)
}

func isBreakRune(r rune) bool {
	switch r {
	case '\n', '\r', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

func lineBreakAt(t string, i int) bool {
	if i >= len(t) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return isBreakRune(r)
}

func skipHorizontalSpace(t string, i int) int {
	for i < len(t) {
		r, w := utf8.DecodeRuneInString(t[i:])
		if !unicode.IsSpace(r) || isBreakRune(r) {
			break
		}
		i += w
	}
	return i
}

func allDigitRunes(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
