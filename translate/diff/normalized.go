package diff

import (
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// wordSpan is a token of a text: its normalized form and where it stands in the original,
// in code points.
type wordSpan struct {
	norm       string
	start, end int
}

// wordSpans tokenizes text the way the translation memory is indexed, keeping original
// positions.
func wordSpans(text string) []wordSpan {
	f := arabic.Fold(text)
	toks := arabic.Tokenize(f.Runes, nil)
	out := make([]wordSpan, len(toks))
	for i, t := range toks {
		end := f.N
		if t.End < len(f.Runes) {
			end = f.Orig[t.End]
		}
		out[i] = wordSpan{norm: string(f.Runes[t.Start:t.End]), start: f.Orig[t.Start], end: end}
	}
	return out
}

// Normalized compares a remembered source with a segment's source the way the translation
// memory reads them: word by word, each word in its normalized form (arabic.Normalize, so
// harakat or a hamza form is no difference), by the word-level edit distance the memory's
// similarity counts. It returns the runs of the remembered text, with the words the segment
// does not have as Delete, and the segment's extra words as Insert, spaced from their
// neighbours: joining the Equal and Delete runs gives back remembered.
func Normalized(remembered, segment string) []Op {
	ow, nw := wordSpans(remembered), wordSpans(segment)
	or, nr := []rune(remembered), []rune(segment)
	// cost[i][j] is the edit cost of ow[i:] into nw[j:]; walking it forward gives the edits.
	// Each edit costs w and a replacement one more, so among the alignments with the fewest
	// edits the one keeping the most words in place wins.
	n, m := len(ow), len(nw)
	w := n + m + 1
	cost := make([][]int, n+1)
	for i := range cost {
		cost[i] = make([]int, m+1)
	}
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			switch {
			case i == n:
				cost[i][j] = (m - j) * w
			case j == m:
				cost[i][j] = (n - i) * w
			default:
				diag := cost[i+1][j+1] + w + 1
				if ow[i].norm == nw[j].norm {
					diag = cost[i+1][j+1]
				}
				cost[i][j] = min(cost[i+1][j]+w, cost[i][j+1]+w, diag)
			}
		}
	}
	var d normBuilder
	pos := 0 // next rune of old to emit
	oldWord := func(i int, kind string) {
		d.add(Equal, string(or[pos:ow[i].start]))
		d.add(kind, string(or[ow[i].start:ow[i].end]))
		pos = ow[i].end
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && ow[i].norm == nw[j].norm && cost[i][j] == cost[i+1][j+1]:
			oldWord(i, Equal)
			i, j = i+1, j+1
		case i < n && j < m && cost[i][j] == cost[i+1][j+1]+w+1:
			oldWord(i, Delete)
			d.insert(string(nr[nw[j].start:nw[j].end]))
			i, j = i+1, j+1
		case i < n && cost[i][j] == cost[i+1][j]+w:
			oldWord(i, Delete)
			i++
		default:
			d.insert(string(nr[nw[j].start:nw[j].end]))
			j++
		}
	}
	d.add(Equal, string(or[pos:]))
	return d.done()
}

// normBuilder merges runs of the same kind and spaces inserted words from their neighbours.
type normBuilder struct{ ops []Op }

func (d *normBuilder) add(kind, text string) {
	if text == "" {
		return
	}
	if k := len(d.ops); k > 0 && d.ops[k-1].Kind == kind {
		d.ops[k-1].Text += text
		return
	}
	d.ops = append(d.ops, Op{Kind: kind, Text: text})
}

// insert adds a word of the new text, with a space where it would otherwise touch a word.
func (d *normBuilder) insert(word string) {
	if k := len(d.ops); k > 0 {
		last := d.ops[k-1].Text
		if !strings.HasSuffix(last, " ") && !strings.HasSuffix(last, "\n") {
			word = " " + word
		}
	} else {
		word += " "
	}
	d.add(Insert, word)
}

func (d *normBuilder) done() []Op {
	if d.ops == nil {
		return []Op{}
	}
	return d.ops
}
