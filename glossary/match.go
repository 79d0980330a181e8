package glossary

import (
	"encoding/binary"
	"math/bits"
	"slices"
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
// keys go into a token-level trie, stored flat: one map from "key bytes + 4-byte parent node
// id" to the child node. A text token is looked up by the keys of its readings
// (arabic.Candidates: itself, and with و/ف, ب/ك/ل, ال, لل stripped), so the article is optional
// on both sides and clitics are peeled, on every token of a multi-word term («منظمة للأمن
// والتعاون»), but a term never matches inside a longer word, since only whole tokens and their
// prefix-stripped readings are tried.
//
// Name terms (TypeName) also index each token by its arabic.NameKey (second map, same layout);
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
// not a verb («حلف اليمين» "swore the oath"); see constructHead. Matches are taken leftmost
// first, non-overlapping.
//
// A Matcher is immutable once built and safe for concurrent use.
type Matcher struct {
	terms   []Term
	byID    map[int64]int32
	nodes   []mnode
	edges   map[string]int32   // key + parent id → child
	vedges  map[string][]vedge // name key + parent id → children
	maxVar  int                // longest name key in vedges, in bytes (without the id)
	maxForm int                // longest name token in vedges, in letters
}

type mnode struct {
	entries  []entry
	kids     int32 // number of exact children; variant edges always lead to exact children
	nameHead bool  // the first word of a name term's spelling ends here
}

// entry is one spelling of a term ending at a node.
type entry struct {
	term      int32
	ntok      int32
	alMask    uint64 // bit k: the spelling's token k has the article
	exactOnly bool   // a single token of at most 3 letters
	variants  uint8  // noVariants, strictVariants or looseVariants
	alt       bool   // a listed variant spelling, not the term's Arabic
	needAl    bool   // a single token whose form without the article is at most 3 letters
}

// Which name-variant matches an entry accepts: none (not a name, or too few consonants), only
// those whose every token is within the single-token arabic.NameBudget, or, for a multi-token
// name, the multi-token budget.
const (
	noVariants = iota
	strictVariants
	looseVariants
)

type vedge struct {
	child   int32
	article bool   // the term token has the article
	form    []rune // the term token's key
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

// NewMatcher builds a matcher over terms. It keeps a copy of the terms; nil or empty is fine.
func NewMatcher(terms []Term) *Matcher {
	m := &Matcher{
		terms:  append([]Term(nil), terms...),
		byID:   make(map[int64]int32, len(terms)),
		nodes:  make([]mnode, 1, len(terms)+1),
		edges:  make(map[string]int32, len(terms)),
		vedges: make(map[string][]vedge),
	}
	var b builder
	for i := range m.terms {
		t := &m.terms[i]
		if _, dup := m.byID[t.ID]; !dup {
			m.byID[t.ID] = int32(i)
		}
		name := t.Type == TypeName
		b.seen = b.seen[:0]
		own := m.add(&b, int32(i), t.Arabic, name, -1)
		for _, v := range t.Variants {
			m.add(&b, int32(i), v, name, own)
		}
	}
	return m
}

type builder struct {
	toks []arabic.Token
	key  []byte
	seen []string // normalized spellings of the current term
}

// appendID appends a node id to a key, making it an edge key.
func appendID(b []byte, id int32) []byte {
	return binary.LittleEndian.AppendUint32(b, uint32(id))
}

// add indexes one spelling of a term and returns the trie node it ends at (0 when it has no
// letters). own is the node of the term's own Arabic, or -1 when spelling is that Arabic: a
// variant ending elsewhere is reported as a variant; one ending at own differs from the term's
// Arabic only in the article, which is optional anyway.
func (m *Matcher) add(b *builder, term int32, spelling string, name bool, own int32) int32 {
	f := arabic.Fold(spelling)
	b.toks = arabic.Tokenize(f.Runes, b.toks[:0])
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
		key, art := arabic.StripAl(f.Runes[tk.Start:tk.End])
		if art && k < 64 {
			mask |= 1 << k
		}
		needAl = !multi && art && len(key) <= shortTerm
		b.key = appendID(appendRunes(b.key[:0], key), node)
		child, ok := m.edges[string(b.key)]
		if !ok {
			child = int32(len(m.nodes))
			m.nodes = append(m.nodes, mnode{})
			m.nodes[node].kids++
			m.edges[string(b.key)] = child
		}
		if name && !short {
			b.key = arabic.AppendNameKey(b.key[:0], key)
			if len(key) >= arabic.MinNameLen && utf8.RuneCount(b.key) >= arabic.MinNameKey &&
				arabic.Consonants(key) >= minCons {
				if !multi {
					variants = strictVariants
				}
				m.maxVar = max(m.maxVar, len(b.key))
				m.maxForm = max(m.maxForm, len(key))
				b.key = appendID(b.key, node)
				list := m.vedges[string(b.key)]
				dup := false
				for _, e := range list {
					if e.child == child {
						dup = true
						break
					}
				}
				if !dup {
					m.vedges[string(b.key)] = append(list, vedge{child, art, append([]rune(nil), key...)})
				}
			}
		}
		if name && k == 0 {
			m.nodes[child].nameHead = true
		}
		node = child
	}
	if name && multi {
		variants = looseVariants // a token without variant edges must match as spelled
	}
	for _, e := range m.nodes[node].entries {
		if e.term == term && e.alMask == mask {
			return node // the same spelling twice (e.g. a variant equal to the Arabic)
		}
	}
	m.nodes[node].entries = append(m.nodes[node].entries, entry{
		term: term, ntok: int32(len(b.toks)), alMask: mask, exactOnly: short, variants: variants,
		alt: own >= 0 && node != own, needAl: needAl,
	})
	return node
}

func appendRunes(b []byte, rs []rune) []byte {
	for _, r := range rs {
		b = utf8.AppendRune(b, r)
	}
	return b
}

// Len returns the number of terms.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.terms)
}

// Term returns the full term with the given id, as given to NewMatcher.
func (m *Matcher) Term(id int64) (Term, bool) {
	if m == nil {
		return Term{}, false
	}
	i, ok := m.byID[id]
	if !ok {
		return Term{}, false
	}
	return m.terms[i], true
}

// state holds the buffers of one Match call.
type state struct {
	f     arabic.Folded
	toks  []arabic.Token
	key   []byte
	start int // token where the current search starts
	best  hit
}

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
func (m *Matcher) Match(text string) []Match {
	if m == nil || len(m.nodes) <= 1 || text == "" {
		return nil
	}
	s := &state{f: arabic.Fold(text)}
	s.toks = arabic.Tokenize(s.f.Runes, make([]arabic.Token, 0, len(s.f.Runes)/5+1))
	s.key = make([]byte, 0, 64)
	var raw []hit
	for i := 0; i < len(s.toks); {
		s.start = i
		s.best = hit{}
		m.walk(s, i, 0, 0, 0, false, false, 0)
		if !s.best.ok {
			i++
			continue
		}
		raw = append(raw, s.best)
		i = s.best.last + 1
	}
	if len(raw) == 0 {
		return nil
	}
	return m.spans(s, text, raw)
}

// walk tries token j of the text below trie node parent. cost, mask and variant describe the
// path so far, loose says a variant token on it needed more vowel edits than a single-token
// name allows; skip is the first token's proclitic length.
func (m *Matcher) walk(s *state, j int, parent int32, cost int, mask uint64, variant, loose bool, skip int) {
	t := s.toks[j]
	depth := j - s.start
	var cbuf [arabic.MaxCandidates]arabic.Candidate
	var cands []arabic.Candidate
	if depth == 0 {
		cands = arabic.LeadCandidates(s.f.Runes[t.Start:t.End], cbuf[:0])
	} else {
		cands = arabic.Candidates(s.f.Runes[t.Start:t.End], cbuf[:0])
	}
	for _, c := range cands {
		sk := skip
		if j == s.start {
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
		krunes := s.f.Runes[t.Start+c.Key : t.End]
		s.key = appendID(appendRunes(s.key[:0], krunes), parent)
		child, ok := m.edges[string(s.key)]
		if ok {
			m.visit(s, j, child, cc, mk, variant, loose, sk, c.Lead)
		}
		if len(m.vedges) == 0 {
			continue
		}
		if len(krunes) < arabic.MinNameLen || len(krunes) > m.maxForm+2 {
			continue // too short for a variant, or too far from every name token
		}
		s.key = arabic.AppendNameKey(s.key[:0], krunes)
		if len(s.key) > m.maxVar {
			continue
		}
		s.key = appendID(s.key, parent)
		for _, ve := range m.vedges[string(s.key)] {
			if (ok && ve.child == child) || ve.article != c.Article {
				continue // the spelling itself matched; names do not gain or lose ال
			}
			d := arabic.NameDistance(krunes, ve.form, maxVowelEdits)
			if d > maxVowelEdits || slices.Equal(krunes, ve.form) {
				continue
			}
			l := loose || d > arabic.NameBudget(min(len(krunes), len(ve.form)), false)
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
	for _, e := range n.entries {
		if lead && ntok == 1 {
			break
		}
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
	s.key = appendID(appendRunes(s.key[:0], key), 0)
	if child, ok := m.edges[string(s.key)]; ok && m.nodes[child].nameHead {
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

// spans turns hits into Matches with code point offsets and the original text.
func (m *Matcher) spans(s *state, text string, raw []hit) []Match {
	out := make([]Match, 0, len(raw))
	cp, bi := 0, 0
	advance := func(target int) {
		for cp < target && bi < len(text) {
			_, sz := utf8.DecodeRuneInString(text[bi:])
			bi += sz
			cp++
		}
	}
	prevEnd := 0
	for _, h := range raw {
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
			r, sz := utf8.DecodeLastRuneInString(text[:bs])
			if !arabic.IsQuote(r) {
				break
			}
			bs -= sz
			start--
		}
		advance(end)
		for bi < len(text) {
			r, sz := utf8.DecodeRuneInString(text[bi:])
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
		t := &m.terms[h.term]
		out = append(out, Match{
			TermID: t.ID, Arabic: t.Arabic, English: t.English, Type: t.Type,
			Text: text[bs:bi], Start: start, End: end, Variant: h.variant,
		})
		prevEnd = end
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
