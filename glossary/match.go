package glossary

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// Match is one glossary hit in a text; Start/End are Unicode code point offsets into the original text.
type Match struct {
	TermID  int64    `json:"term_id"`
	Arabic  string   `json:"arabic"`
	English string   `json:"english"`
	Type    TermType `json:"type"`
	Text    string   `json:"text"` // exactly the original text [Start:End] in code points
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Variant bool     `json:"variant"` // not the term's own Arabic: a listed variant or a name variant
}

// Matcher finds glossary terms in Arabic text (DESIGN.md "Term matching", "Name variants").
//
// Every spelling of a term (its Arabic and its Variants) is normalized, cut into tokens, and
// each token reduced to its key (arabic.StripAl: the form without the definite article). The
// keys go into a token-level trie, stored flat: one hash table (keyTable) from the key's runes
// and the parent node to the child node. A text token is looked up by the keys of its readings
// (arabic.Candidates: itself, and with و/ف, ب/ك/ل, ال, لل stripped), so the article is optional
// on both sides and clitics are peeled, on every token of a multi-word term («منظمة للأمن
// والتعاون»), but a term never matches inside a longer word, since only whole tokens and their
// prefix-stripped readings are tried.
//
// Name terms (TypeName) also index each token by its arabic.NameKey (second table, same layout);
// a text token whose name key hits is accepted when arabic.NameDistance to the term's token is
// within arabic.NameBudget (only letters of one sound class swapped and long vowels added or
// dropped), and the match is then reported with Variant set. A single-token name needs at
// least arabic.MinNameConsonants consonants to have variants at all, a token of a multi-token
// name arabic.MinNameConsonantsMulti.
//
// The tokens of a multi-word match follow each other with only white space and quotation
// marks between them (arabic.Joined): «اتفاقية "مينسك"» is one phrase, «الضمانات. الأمنية» or
// «سيرجي (ريابكوف)» are two.
//
// The first token of a match is read with arabic.LeadCandidates: its proclitics and article
// are stripped whatever the length of what is left («والحل السياسي», «فالحل», «للحل»), and a
// proclitic before a short word without the article («وحل سياسي») is stripped when more
// words of the phrase follow. Later tokens keep the length guards of arabic.Candidates.
//
// The span of a match (Start, End, Text) covers the term as written in the text: stripped
// proclitics are left out, the article is kept when the text has it («بالضمانات» → «الضمانات»;
// for «للناتو» only the first ل, the preposition, is left out: «لناتو»), End extends over
// the harakat, tatweel and combining marks that follow the last letter, and a quotation
// mark opened or closed between the tokens takes its partner just outside them into the span
// («اتفاقية «مينسك»»).
//
// Among the matches starting at a token the longest (in tokens) wins, then the cheapest: each
// token costs 0 when it is spelled as in the term, 1 when only the article differs, 2 when a
// proclitic was stripped, 3 more plus one per vowel edit when it matched only as a name
// variant. Single-token terms of at most 3 letters match only at cost 0. A single-token term
// with the article whose bare form has at most 3 letters matches where the text has the
// article too (الغرب matches والغرب and للغرب, but غرب "west of" is not "the West"), and
// without it only as the head of a construct (إضافة), where Arabic drops the article of a
// noun annexed to the next: the next word is the first word of a glossary name («أمن
// أوروبا», «حلف الناتو»), or a definite noun while a preposition, attached or the word before,
// makes the head a noun («لأمن المنطقة», «في أمن الطاقة»); never a direction («غرب البلاد»,
// «غرب أوكرانيا»), and never a bare word before a definite noun with nothing to say it is
// not a verb («حلف اليمين» "swore the oath"); see constructHead. Between matches alike in
// length and cost, a term's own Arabic beats a variant, then the term given first wins (in
// Store.Matcher, the oldest). Matches are taken leftmost first, non-overlapping.
//
// The text is folded and matched a line at a time (a line break ends every phrase), in
// buffers kept between calls, so a text of megabytes costs no more memory than its longest
// line and its matches; a text of a megabyte or more is cut at line breaks into one part per
// processor, matched at once.
//
// A Matcher is immutable once built and safe for concurrent use.
type Matcher struct {
	recs    []termRec
	full    []Term          // the terms given to NewMatcher; nil for stored terms (see Term)
	odd     map[int32]Term  // stored terms whose row is not a matcherRow (see Store.matcherRecs)
	byID    map[int64]int32 // nil when recs are in ascending id order: Term searches them
	nodes   []mnode
	entries []entry  // lists through entry.next, one per node
	keys    []rune   // the arena of edge keys and variant forms
	edges   keyTable // (key, parent) → child node
	vheads  keyTable // (name key, parent) → first vedge of its list
	vedges  []vedge
	maxVar  int // longest name key in vheads, in letters
	maxForm int // longest name token in vedges, in letters
}

type mnode struct {
	first    int32 // 1 + index of the node's first entry; 0: none
	kids     int32 // number of exact children; variant edges always lead to exact children
	nameHead bool  // the first word of a name term's spelling ends here
}

// entry is one spelling of a term ending at a node.
type entry struct {
	alMask    uint64 // bit k: the spelling's token k has the article
	term      int32
	ntok      int32
	next      int32 // 1 + index of the node's next entry; 0: none
	exactOnly bool  // a single token of at most 3 letters
	variants  uint8 // noVariants, strictVariants or looseVariants
	alt       bool  // a listed variant spelling, not the term's Arabic
	needAl    bool  // a single token whose form without the article is at most 3 letters
}

// Which name-variant matches an entry accepts: none (not a name, or too few consonants), only
// those whose every token is within the single-token arabic.NameBudget, or, for a multi-token
// name, the multi-token budget.
const (
	noVariants = iota
	strictVariants
	looseVariants
)

// vedge is a name-variant edge: the name key of a term token, below a parent node, leads to
// the token's exact child.
type vedge struct {
	child   int32
	next    int32  // index of the next vedge with the same key and parent; -1: none
	off     uint32 // the term token's key is keys[off : off+len]
	len     uint32
	article bool // the term token has the article
}

// maxVowelEdits is the largest arabic.NameBudget (of a multi-token name).
const maxVowelEdits = 2

// shortTerm is the longest single-token term (in letters) that matches only exactly.
const shortTerm = 3

// Costs of one token in a match; lower is better among matches of the same length.
const (
	costArticle  = 1
	costProclitc = 2
	costVariant  = 3
)

// termRec is what matching needs of a term: its id, and its type, Arabic, English and
// variant spellings (joined by "|"; no spelling has one, see Validate) as the fields of one
// string, row, which for a stored term is the whole stored row (matcherRow), decoded by Term
// when it is asked for. A matcher over 100,000 stored terms so holds one string per term,
// and the garbage collector one pointer.
type termRec struct {
	id  int64
	row string
	at  [5]uint32 // field k (type, Arabic, English, variants) is row[at[k] : at[k+1]-1]; variants end at at[4]
}

func (r *termRec) field(k int) string {
	if k == 3 {
		return r.row[r.at[3]:r.at[4]]
	}
	return r.row[r.at[k] : r.at[k+1]-1]
}

func (r *termRec) typ() TermType    { return TermType(r.field(0)) }
func (r *termRec) arabic() string   { return r.field(1) }
func (r *termRec) english() string  { return r.field(2) }
func (r *termRec) variants() string { return r.field(3) }

// recOf makes the termRec of a full term, its fields in a row of their own.
func recOf(t *Term) termRec {
	variants := joinList(t.Variants)
	var b strings.Builder
	b.Grow(len(t.Type) + len(t.Arabic) + len(t.English) + len(variants) + 3)
	r := termRec{id: t.ID}
	for k, f := range []string{string(t.Type), t.Arabic, t.English, variants} {
		r.at[k] = uint32(b.Len())
		b.WriteString(f)
		if k < 3 {
			b.WriteString(rowSep)
		}
	}
	r.at[4] = uint32(b.Len())
	r.row = b.String()
	return r
}

// NewMatcher builds a matcher over terms. It keeps a copy of the terms; nil or empty is fine.
func NewMatcher(terms []Term) *Matcher {
	recs := make([]termRec, len(terms))
	for i := range terms {
		recs[i] = recOf(&terms[i])
	}
	m := newMatcher(recs)
	m.full = append([]Term(nil), terms...)
	return m
}

// newMatcher builds a matcher over recs. Among matches of the same length and cost the term
// that comes first in recs wins.
func newMatcher(recs []termRec) *Matcher {
	mb := newMatcherBuilder(len(recs))
	for _, r := range recs {
		mb.add(r, true)
	}
	return mb.finish()
}

// matcherBuilder builds a Matcher from terms handed to it one by one, in order, so that it can
// build while they are still being read (Store.Matcher).
type matcherBuilder struct {
	m *Matcher
	b builder
}

// newMatcherBuilder sizes a builder for about capacity terms.
func newMatcherBuilder(capacity int) *matcherBuilder {
	m := &Matcher{
		recs:    make([]termRec, 0, capacity),
		nodes:   make([]mnode, 1, 2*capacity+1),
		entries: make([]entry, 0, capacity+capacity/4),
		keys:    make([]rune, 0, 16*capacity), // about the letters of two words of two spellings
	}
	m.edges.init(2 * capacity)
	return &matcherBuilder{m: m}
}

// add appends r to the terms and, when index is true, indexes its spellings; a term added
// without (its row is still to be read) is indexed later with index.
func (mb *matcherBuilder) add(r termRec, index bool) {
	mb.m.recs = append(mb.m.recs, r)
	if index {
		mb.index(len(mb.m.recs) - 1)
	}
}

// index indexes the spellings of term i.
func (mb *matcherBuilder) index(i int) {
	m, r := mb.m, &mb.m.recs[i]
	name := r.typ() == TypeName
	own := m.add(&mb.b, int32(i), r.arabic(), name, -1)
	variants := r.variants()
	if variants == "" {
		return
	}
	for v := range strings.SplitSeq(variants, listSep) {
		m.add(&mb.b, int32(i), v, name, own)
	}
}

// finish returns the matcher, after which mb is not to be used.
func (mb *matcherBuilder) finish() *Matcher {
	m := mb.m
	if !slices.IsSortedFunc(m.recs, func(a, b termRec) int { return cmp.Compare(a.id, b.id) }) {
		m.byID = make(map[int64]int32, len(m.recs))
		for i := range m.recs {
			if _, dup := m.byID[m.recs[i].id]; !dup {
				m.byID[m.recs[i].id] = int32(i)
			}
		}
	}
	return m
}

type builder struct {
	f    arabic.Folded
	toks []arabic.Token
	nkey []rune
}

// add indexes one spelling of a term and returns the trie node it ends at (0 when it has no
// letters). own is the node of the term's own Arabic, or -1 when spelling is that Arabic: a
// variant ending elsewhere is reported as a variant; one ending at own differs from the term's
// Arabic only in the article, which is optional anyway.
func (m *Matcher) add(b *builder, term int32, spelling string, name bool, own int32) int32 {
	arabic.FoldInto(&b.f, spelling)
	rs := b.f.Runes
	b.toks = arabic.Tokenize(rs, b.toks[:0])
	if len(b.toks) == 0 {
		return 0
	}
	node := int32(0)
	var mask uint64
	short := len(b.toks) == 1 && b.toks[0].End-b.toks[0].Start <= shortTerm
	multi := len(b.toks) > 1
	minCons := arabic.MinNameConsonants
	if multi {
		minCons = arabic.MinNameConsonantsMulti
	}
	variants := uint8(noVariants)
	needAl := false
	for k, tk := range b.toks {
		key, art := arabic.StripAl(rs[tk.Start:tk.End])
		if art && k < 64 {
			mask |= 1 << k
		}
		needAl = !multi && art && len(key) <= shortTerm
		var child int32
		var found bool
		m.keys, child, found = m.edges.add(m.keys, key, node, int32(len(m.nodes)))
		if !found {
			m.nodes = append(m.nodes, mnode{})
			m.nodes[node].kids++
		}
		if name && k == 0 {
			m.nodes[child].nameHead = true
		}
		if name && !short {
			b.nkey = arabic.AppendNameKey(b.nkey[:0], key)
			if len(key) >= arabic.MinNameLen && len(b.nkey) >= arabic.MinNameKey &&
				arabic.Consonants(key) >= minCons {
				if !multi {
					variants = strictVariants
				}
				m.maxVar = max(m.maxVar, len(b.nkey))
				m.maxForm = max(m.maxForm, len(key))
				m.addVariantEdge(b.nkey, key, node, child, art)
			}
		}
		node = child
	}
	if name && multi {
		variants = looseVariants // a token without variant edges must match as spelled
	}
	for e := m.nodes[node].first; e != 0; e = m.entries[e-1].next {
		if m.entries[e-1].term == term && m.entries[e-1].alMask == mask {
			return node // the same spelling twice (e.g. a variant equal to the Arabic)
		}
	}
	m.entries = append(m.entries, entry{
		alMask: mask, term: term, ntok: int32(len(b.toks)), next: m.nodes[node].first,
		exactOnly: short, variants: variants, alt: own >= 0 && node != own, needAl: needAl,
	})
	m.nodes[node].first = int32(len(m.entries))
	return node
}

// addVariantEdge adds the name-variant edge nkey (the name key of key) from parent to child,
// unless that edge is there already.
func (m *Matcher) addVariantEdge(nkey, key []rune, parent, child int32, art bool) {
	if m.vheads.slots == nil {
		m.vheads.init(cap(m.recs) / 2)
	}
	vi := int32(len(m.vedges))
	var head int32
	var found bool
	m.keys, head, found = m.vheads.add(m.keys, nkey, parent, vi)
	if found {
		for v := head; v >= 0; v = m.vedges[v].next {
			if m.vedges[v].child == child {
				return
			}
		}
		m.vheads.set(m.keys, nkey, parent, vi)
	} else {
		head = -1
	}
	m.vedges = append(m.vedges, vedge{child: child, next: head, off: uint32(len(m.keys)), len: uint32(len(key)), article: art})
	m.keys = append(m.keys, key...)
}

// Len returns the number of terms.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.recs)
}

// Term returns the full term with the given id, as given to NewMatcher or as stored.
func (m *Matcher) Term(id int64) (Term, bool) {
	if m == nil {
		return Term{}, false
	}
	var i int
	if m.byID != nil {
		j, ok := m.byID[id]
		if !ok {
			return Term{}, false
		}
		i = int(j)
	} else {
		j, ok := slices.BinarySearchFunc(m.recs, id, func(r termRec, id int64) int { return cmp.Compare(r.id, id) })
		if !ok {
			return Term{}, false
		}
		i = j
	}
	if m.full != nil {
		return m.full[i], true
	}
	if t, ok := m.odd[int32(i)]; ok {
		return t, true
	}
	return decodeRow(m.recs[i].row), true
}

// state holds the buffers of one Match call. The text is matched line by line (no match
// spans a line break, which ends a sentence), so the buffers hold one line.
type state struct {
	f     arabic.Folded
	toks  []arabic.Token
	nkey  []rune
	raw   []hit
	start int // token where the current search starts
	best  hit
}

// statePool keeps the buffers of Match calls for the next ones (a segment at a time, in the
// pipeline and the pages).
var statePool = sync.Pool{New: func() any { return new(state) }}

// maxPooledLine is the longest line, in runes, whose buffers go back to statePool.
const maxPooledLine = 1 << 16

type hit struct {
	ok      bool
	term    int32
	first   int // first token
	last    int // last token
	skip    int // proclitic letters stripped from the first token
	cost    int
	variant bool
}

// Match returns the glossary terms found in text, sorted by Start and non-overlapping, or nil.
// A long text is cut at line breaks into as many parts as there are processors, matched at
// once.
func (m *Matcher) Match(text string) []Match {
	if m == nil || len(m.nodes) <= 1 || text == "" {
		return nil
	}
	parts := splitLines(text, runtime.GOMAXPROCS(0))
	found := make([]partMatches, len(parts))
	if len(parts) == 1 {
		found[0] = m.matchPart(text)
	} else {
		var wg sync.WaitGroup
		for i, part := range parts {
			wg.Go(func() { found[i] = m.matchPart(part) })
		}
		wg.Wait()
	}
	if len(found) == 1 && len(found[0].pieces) == 1 {
		return found[0].pieces[0]
	}
	// The pieces are copied once into a slice of the right size, each part's offsets moved
	// past the parts before it.
	n := 0
	for _, f := range found {
		for _, p := range f.pieces {
			n += len(p)
		}
	}
	if n == 0 {
		return nil
	}
	all := make([]Match, 0, n)
	base := 0
	for _, f := range found {
		for _, p := range f.pieces {
			for _, mt := range p {
				mt.Start += base
				mt.End += base
				all = append(all, mt)
			}
		}
		base += f.n
	}
	return all
}

// partMatches are the matches of a part of a text, in pieces of about matchPiece (gathered
// so, a long text's matches are copied once, not at every doubling of one slice), with code
// point offsets from the start of the part, which has n code points.
type partMatches struct {
	pieces [][]Match
	n      int
}

// matchPiece is the number of matches gathered in one piece.
const matchPiece = 4096

// parallelText is the least length, in bytes, of a text that Match cuts into parts.
const parallelText = 1 << 20

// splitLines cuts text into at most k parts of about the same length, each ending with a line
// break but the last; a text shorter than parallelText stays whole.
func splitLines(text string, k int) []string {
	if k <= 1 || len(text) < parallelText {
		return []string{text}
	}
	parts := make([]string, 0, k)
	for rest := text; rest != ""; k-- {
		cut := len(rest)
		if k > 1 {
			if i := strings.IndexByte(rest[len(rest)/k:], '\n'); i >= 0 {
				cut = len(rest)/k + i + 1
			}
		}
		parts = append(parts, rest[:cut])
		rest = rest[cut:]
	}
	return parts
}

// matchPart matches text (a whole text, or a part of one that starts a line) line by line.
func (m *Matcher) matchPart(text string) partMatches {
	s := statePool.Get().(*state)
	defer func() {
		if cap(s.f.Runes) <= maxPooledLine {
			statePool.Put(s) // a state that grew for one huge line is left to the collector
		}
	}()
	var found partMatches
	var out []Match
	for rest := text; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		out = m.matchLine(s, line, found.n, out)
		found.n += s.f.N
		if len(out) >= matchPiece {
			found.pieces = append(found.pieces, out)
			out = make([]Match, 0, matchPiece) // a text with so many matches has more
		}
	}
	if len(out) > 0 {
		found.pieces = append(found.pieces, out)
	}
	return found
}

// matchLine appends the matches in line, whose first code point is code point cp of the text.
func (m *Matcher) matchLine(s *state, line string, cp int, out []Match) []Match {
	arabic.FoldInto(&s.f, line)
	s.toks = arabic.Tokenize(s.f.Runes, s.toks[:0])
	s.raw = s.raw[:0]
	for i := 0; i < len(s.toks); {
		s.start = i
		s.best = hit{}
		m.walk(s, i, 0, 0, 0, false, false, 0)
		if !s.best.ok {
			i++
			continue
		}
		s.raw = append(s.raw, s.best)
		i = s.best.last + 1
	}
	if len(s.raw) == 0 {
		return out
	}
	return m.spans(s, line, cp, out)
}

// walk tries token j of the text below trie node parent. cost, mask and variant describe the
// path so far, loose says a variant token on it needed more vowel edits than a single-token
// name allows; skip is the first token's proclitic length.
func (m *Matcher) walk(s *state, j int, parent int32, cost int, mask uint64, variant, loose bool, skip int) {
	t := s.toks[j]
	tok := s.f.Runes[t.Start:t.End]
	depth := j - s.start
	var cbuf [arabic.MaxCandidates]arabic.Candidate
	var cands []arabic.Candidate
	if depth == 0 {
		cands = arabic.LeadCandidates(tok, cbuf[:0])
	} else {
		cands = arabic.Candidates(tok, cbuf[:0])
	}
	for _, c := range cands {
		sk := skip
		if depth == 0 {
			sk = c.Skip
		}
		cc := cost
		if c.Skip > 0 {
			cc += costProclitc
		}
		mk := mask
		if c.Article && depth < 64 {
			mk |= 1 << depth
		}
		krunes := tok[c.Key:]
		child, ok := m.edges.get(m.keys, krunes, parent)
		if ok {
			m.visit(s, j, child, cc, mk, variant, loose, sk, c.Lead)
		}
		if len(m.vedges) == 0 || len(krunes) < arabic.MinNameLen || len(krunes) > m.maxForm+2 {
			continue // no names, or too short for a variant, or too far from every name token
		}
		s.nkey = arabic.AppendNameKey(s.nkey[:0], krunes)
		if len(s.nkey) > m.maxVar {
			continue
		}
		head, found := m.vheads.get(m.keys, s.nkey, parent)
		if !found {
			continue
		}
		for v := head; v >= 0; v = m.vedges[v].next {
			ve := &m.vedges[v]
			if (ok && ve.child == child) || ve.article != c.Article {
				continue // the spelling itself matched; names do not gain or lose ال
			}
			form := m.keys[ve.off : ve.off+ve.len]
			d := arabic.NameDistance(krunes, form, maxVowelEdits)
			if d > maxVowelEdits || slices.Equal(krunes, form) {
				continue
			}
			l := loose || d > arabic.NameBudget(min(len(krunes), len(form)), false)
			m.visit(s, j, ve.child, cc+costVariant+d, mk, true, l, sk, c.Lead)
		}
	}
}

// visit records the terms ending at node (reached with token j) and goes on to token j+1.
// lead says the first token was read with an arabic.Candidate.Lead reading, which only a
// match of two tokens or more may use.
func (m *Matcher) visit(s *state, j int, node int32, cost int, mask uint64, variant, loose bool, skip int, lead bool) {
	n := &m.nodes[node]
	ntok := j - s.start + 1
	var low uint64 = ^uint64(0)
	if ntok < 64 {
		low = 1<<ntok - 1
	}
	for ei := n.first; ei != 0 && !(lead && ntok == 1); {
		e := &m.entries[ei-1]
		ei = e.next
		if variant && (e.variants == noVariants || loose && e.variants == strictVariants) {
			continue // not a name, or a spelling further from the name than it may be
		}
		c := cost + costArticle*bits.OnesCount64((mask^e.alMask)&low)
		if e.exactOnly && (c != 0 || variant) {
			continue
		}
		if e.needAl && mask&1 == 0 && (variant || !m.constructHead(s, j, skip)) {
			continue
		}
		b := &s.best
		v := variant || e.alt
		if b.ok && !better(j, c, v, e.term, b) {
			continue
		}
		*b = hit{ok: true, term: e.term, first: s.start, last: j, skip: skip, cost: c, variant: v}
	}
	if n.kids > 0 && j+1 < len(s.toks) && arabic.Joined(s.f.Runes, s.toks[j], s.toks[j+1]) {
		m.walk(s, j+1, node, cost, mask, variant, loose, skip)
	}
}

// constructHead reports whether text token j, read without the article after skip proclitic
// letters, is the head of a construct (إضافة), where a noun drops its article: it is not a
// direction (arabic.IsDirection), and the word right after it is the first word of a name
// of the glossary (أمن أوروبا, حلف الناتو), or a definite noun (arabic.IsDefinite) while the
// grammar makes token j a noun (arabic.NounEvidence: لأمن المنطقة, في أمن الطاقة).
func (m *Matcher) constructHead(s *state, j, skip int) bool {
	rs, t := s.f.Runes, s.toks[j]
	if arabic.IsDirection(rs[t.Start+skip:t.End]) || j+1 >= len(s.toks) || !arabic.Joined(rs, t, s.toks[j+1]) {
		return false
	}
	nt := s.toks[j+1]
	next := rs[nt.Start:nt.End]
	key, _ := arabic.StripAl(next)
	if child, ok := m.edges.get(m.keys, key, 0); ok && m.nodes[child].nameHead {
		return true
	}
	if !arabic.IsDefinite(next) {
		return false
	}
	var prev []rune
	if j > 0 && arabic.Joined(rs, s.toks[j-1], t) {
		prev = rs[s.toks[j-1].Start:s.toks[j-1].End]
	}
	return arabic.NounEvidence(prev, rs[t.Start:t.End], skip)
}

// better reports whether a match ending at token last with cost, variant and term beats b:
// longer, then cheaper, then a term's own Arabic before a variant spelling, then the first term.
func better(last, cost int, variant bool, term int32, b *hit) bool {
	switch {
	case last != b.last:
		return last > b.last
	case cost != b.cost:
		return cost < b.cost
	case variant != b.variant:
		return !variant
	}
	return term < b.term
}

// isWordMark reports the marks that fold to nothing but belong to the word they follow:
// harakat and their presentation forms, dagger alef, tatweel, combining hamza.
func isWordMark(r rune) bool {
	return (r >= 0x064B && r <= 0x0652) || r == 0x0670 || r == 0x0640 || r == 0x0654 || r == 0x0655 ||
		(r >= 0xFE70 && r <= 0xFE7F) || (r >= 0xFC5E && r <= 0xFC63)
}

// quotesInside counts the quotation marks between the tokens of hit h that the span should
// balance: open, those opened inside and not closed there (اتفاقية «مينسك»), and unopened,
// those closed inside and not opened there («الحرب» الباردة). A mark attached to the end of
// the word before it closes, unless the gap is quotes only and nothing is open; any other
// mark opens.
func quotesInside(s *state, h hit) (open, unopened int) {
	for k := h.first; k < h.last; k++ {
		gap := s.f.Runes[s.toks[k].End:s.toks[k+1].Start]
		attached := true // no blank yet since the word before
		for _, r := range gap {
			switch {
			case !arabic.IsQuote(r):
				attached = false
			case attached && open > 0:
				open--
			case attached && !allQuotes(gap):
				unopened++
			default:
				open++
			}
		}
	}
	return open, unopened
}

func allQuotes(rs []rune) bool {
	for _, r := range rs {
		if !arabic.IsQuote(r) {
			return false
		}
	}
	return true
}

// spans appends the hits of s.raw in line, whose first code point is code point cp0 of the
// text, as Matches with code point offsets and the original text.
func (m *Matcher) spans(s *state, line string, cp0 int, out []Match) []Match {
	if out == nil {
		out = make([]Match, 0, max(len(s.raw), min(matchPiece, len(line)/64)))
	}
	cp, bi := 0, 0
	advance := func(target int) {
		for cp < target && bi < len(line) {
			// The size of each rune, decoded in line for ASCII and Arabic (arabic.DecodeRune).
			if c := line[bi]; c < 0x80 {
				bi++
			} else if c >= 0xC2 && c < 0xE0 && bi+1 < len(line) && line[bi+1]&0xC0 == 0x80 {
				bi += 2
			} else {
				_, sz := utf8.DecodeRuneInString(line[bi:])
				bi += sz
			}
			cp++
		}
	}
	prevEnd := 0
	for _, h := range s.raw {
		first, last := s.toks[h.first], s.toks[h.last]
		start := s.f.Orig[first.Start+h.skip]
		end := s.f.Orig[last.End-1] + 1
		if start < prevEnd {
			continue // two tokens inside one original code point (an NFKC expansion)
		}
		advance(start)
		bs := bi
		open, unopened := quotesInside(s, h)
		for ; unopened > 0 && h.skip == 0 && start > prevEnd; unopened-- {
			r, sz := utf8.DecodeLastRuneInString(line[:bs])
			if !arabic.IsQuote(r) {
				break
			}
			bs -= sz
			start--
		}
		advance(end)
		for bi < len(line) {
			r, sz := utf8.DecodeRuneInString(line[bi:])
			if !isWordMark(r) && (open == 0 || !arabic.IsQuote(r)) {
				break
			}
			if !isWordMark(r) {
				open--
			}
			bi += sz
			cp++
			end++
		}
		t := &m.recs[h.term]
		out = append(out, Match{
			TermID: t.id, Arabic: t.arabic(), English: t.english(), Type: t.typ(),
			Text: line[bs:bi], Start: cp0 + start, End: cp0 + end, Variant: h.variant,
		})
		prevEnd = end
	}
	return out
}
