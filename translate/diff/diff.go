// Package diff compares texts word by word: Words for a reviewer's correction (a segment's
// history), Normalized for a translation-memory match against the segment it was found for.
package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of Op.
const (
	Equal  = "eq"  // text both sides share
	Delete = "del" // text only the old side has
	Insert = "ins" // text only the new side has
)

// Op is one run of a word-level diff.
type Op struct {
	Kind string `json:"kind"` // eq, del or ins
	Text string `json:"text"`
}

// maxDiffCells bounds the LCS table (old tokens × new tokens, after the common prefix and
// suffix are cut off); past it the differing middle is shown as one deletion and one insertion.
const maxDiffCells = 4 << 20

// Words compares two texts word by word, the way a reviewer reads a correction. A word is a
// run of letters and digits; each punctuation mark or symbol is a word of its own, so "ready."
// → "ready!" marks only the mark. Whitespace is kept exactly: joining the eq and del texts gives
// a back, and joining the eq and ins texts gives b. Between two eq runs all deleted text comes
// first as one del, then all inserted text as one ins.
func Words(a, b string) []Op {
	leadA, ta := diffTokens(a)
	leadB, tb := diffTokens(b)
	var d diffBuilder
	d.pair(leadA, leadB)

	pre := 0
	for pre < len(ta) && pre < len(tb) && ta[pre].word == tb[pre].word {
		pre++
	}
	suf := 0
	for suf < len(ta)-pre && suf < len(tb)-pre && ta[len(ta)-1-suf].word == tb[len(tb)-1-suf].word {
		suf++
	}
	for i := 0; i < pre; i++ {
		d.same(ta[i], tb[i])
	}
	midA, midB := ta[pre:len(ta)-suf], tb[pre:len(tb)-suf]
	i, j := 0, 0
	for _, m := range lcsPairs(midA, midB) {
		for ; i < m[0]; i++ {
			d.add(Delete, midA[i].word, midA[i].space)
		}
		for ; j < m[1]; j++ {
			d.add(Insert, midB[j].word, midB[j].space)
		}
		d.same(midA[i], midB[j])
		i, j = i+1, j+1
	}
	for ; i < len(midA); i++ {
		d.add(Delete, midA[i].word, midA[i].space)
	}
	for ; j < len(midB); j++ {
		d.add(Insert, midB[j].word, midB[j].space)
	}
	for k := len(ta) - suf; k < len(ta); k++ {
		d.same(ta[k], tb[k-len(ta)+len(tb)])
	}
	return d.ops()
}

// diffToken is a word and the whitespace after it.
type diffToken struct{ word, space string }

// diffTokens splits s into its leading whitespace and its words, each with the whitespace
// that follows it.
func diffTokens(s string) (lead string, toks []diffToken) {
	rest := strings.TrimLeftFunc(s, unicode.IsSpace)
	lead = s[:len(s)-len(rest)]
	for rest != "" {
		end := 0
		for end < len(rest) {
			r, size := utf8.DecodeRuneInString(rest[end:])
			if unicode.IsSpace(r) {
				break
			}
			if isMark(r) {
				if end == 0 {
					end = size
				}
				break
			}
			end += size
		}
		word := rest[:end]
		rest = rest[end:]
		after := strings.TrimLeftFunc(rest, unicode.IsSpace)
		toks = append(toks, diffToken{word: word, space: rest[:len(rest)-len(after)]})
		rest = after
	}
	return lead, toks
}

// isMark reports whether r stands as a word of its own in a diff.
func isMark(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// lcsPairs returns the index pairs of a longest common subsequence of the two token lists,
// compared by word, in order. Too large an input gets no pairs (a plain replacement).
func lcsPairs(a, b []diffToken) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 || n*m > maxDiffCells {
		return nil
	}
	// lcs[i*(m+1)+j] is the LCS length of a[i:] and b[j:].
	lcs := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i].word == b[j].word:
				lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j+1] + 1
			case lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]:
				lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j]
			default:
				lcs[i*(m+1)+j] = lcs[i*(m+1)+j+1]
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i].word == b[j].word:
			pairs = append(pairs, [2]int{i, j})
			i, j = i+1, j+1
		case lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// diffBuilder collects diff pieces, merging each stretch between two equal runs into one
// deletion followed by one insertion.
type diffBuilder struct {
	done     []Op
	eq       strings.Builder
	del, ins strings.Builder
}

func (d *diffBuilder) add(kind string, parts ...string) {
	if strings.Join(parts, "") == "" {
		return
	}
	switch kind {
	case Equal:
		if d.del.Len() > 0 || d.ins.Len() > 0 {
			d.eq.WriteString(d.flushChange())
		}
		for _, p := range parts {
			d.eq.WriteString(p)
		}
	case Delete, Insert:
		if d.eq.Len() > 0 {
			d.done = append(d.done, Op{Kind: Equal, Text: d.eq.String()})
			d.eq.Reset()
		}
		w := &d.del
		if kind == Insert {
			w = &d.ins
		}
		for _, p := range parts {
			w.WriteString(p)
		}
	}
}

// same records a word both sides share; differing whitespace after it is a change.
func (d *diffBuilder) same(a, b diffToken) {
	d.add(Equal, a.word)
	d.pair(a.space, b.space)
}

// pair records two pieces of whitespace standing at the same place.
func (d *diffBuilder) pair(a, b string) {
	if a == b {
		d.add(Equal, a)
		return
	}
	d.add(Delete, a)
	d.add(Insert, b)
}

// flushChange ends a stretch of changes. Whitespace that both its deleted and inserted text
// end with is returned to be shown as unchanged ("cat sat" → "dog sat" is cat→dog, not "cat "→"dog ").
func (d *diffBuilder) flushChange() (shared string) {
	del, ins := d.del.String(), d.ins.String()
	d.del.Reset()
	d.ins.Reset()
	if del != "" && ins != "" {
		for n := 1; n < len(del) && n < len(ins); n++ {
			c := del[len(del)-n]
			if c != ins[len(ins)-n] || !unicode.IsSpace(rune(c)) || c >= utf8.RuneSelf {
				break
			}
			shared = del[len(del)-n:]
		}
		del, ins = del[:len(del)-len(shared)], ins[:len(ins)-len(shared)]
	}
	if del != "" {
		d.done = append(d.done, Op{Kind: Delete, Text: del})
	}
	if ins != "" {
		d.done = append(d.done, Op{Kind: Insert, Text: ins})
	}
	return shared
}

func (d *diffBuilder) ops() []Op {
	if d.eq.Len() > 0 {
		d.done = append(d.done, Op{Kind: Equal, Text: d.eq.String()})
		d.eq.Reset()
	}
	if shared := d.flushChange(); shared != "" {
		d.done = append(d.done, Op{Kind: Equal, Text: shared})
	}
	if d.done == nil {
		return []Op{}
	}
	return d.done
}

// Readable is ops as a page shows them: where a deletion meets an insertion word to word
// ("on" → "about"), a space goes between them, so that struck-out and new text do not read as
// one word ("onabout"). Its result no longer joins back to the two texts; the result of Words does.
func Readable(ops []Op) []Op {
	out := make([]Op, 0, len(ops))
	for i, op := range ops {
		if i > 0 && op.Kind == Insert && ops[i-1].Kind == Delete && wordEdge(ops[i-1].Text, false) && wordEdge(op.Text, true) {
			out = append(out, Op{Kind: Equal, Text: " "})
		}
		out = append(out, op)
	}
	return out
}

// wordEdge reports whether s starts (or ends) with a letter or digit.
func wordEdge(s string, start bool) bool {
	var r rune
	if start {
		r, _ = utf8.DecodeRuneInString(s)
	} else {
		r, _ = utf8.DecodeLastRuneInString(s)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}
