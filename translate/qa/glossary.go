package qa

import (
	"fmt"
	"strings"
)

// glossHit is what the glossary check found for one term: where its accepted renderings are in
// the target (target token ranges) and the first forbidden rendering used outside them.
type glossHit struct {
	term      *Term
	accepted  [][2]int // token ranges [first, end) of p.ttoks
	forbidden string   // "" when none
	fspan     [2]int   // token range of the forbidden rendering
}

// glossary matches every term's renderings in the target, once per pair: the glossary check
// reports from it, and the number check leaves numbers inside an accepted rendering alone.
//
// Matching is the rule of translate.CheckGlossary: word by word, ignoring case, accents,
// possessives and plural endings ("Guarantees" counts for "guarantees", "NATO's" for "NATO"),
// and a forbidden rendering inside an accepted one is fine ("guarantees" alone may be
// forbidden while "security guarantees" is the term).
func (p *pair) glossary() []glossHit {
	if p.gloss != nil || len(p.terms) == 0 {
		return p.gloss
	}
	stems := make([]string, len(p.ttoks))
	for i, t := range p.ttoks {
		stems[i] = tokenStem(&p.tgt, t)
	}
	hits := make([]glossHit, 0, len(p.terms))
	for i := range p.terms {
		t := &p.terms[i]
		h := glossHit{term: t}
		for _, e := range append([]string{t.English}, t.Alternatives...) {
			h.accepted = append(h.accepted, findPhrase(stems, phraseStems(e))...)
		}
		if t.DoNotTranslate { // the Arabic kept as it is is the term too
			for _, a := range append([]string{t.Arabic, t.Text}, t.Variants...) {
				h.accepted = append(h.accepted, findPhrase(stems, phraseStems(a))...)
			}
		}
	forbidden:
		for _, f := range t.Forbidden {
			for _, sp := range findPhrase(stems, phraseStems(f)) {
				if !within(sp, h.accepted) {
					h.forbidden, h.fspan = f, sp
					break forbidden
				}
			}
		}
		hits = append(hits, h)
	}
	p.gloss = hits
	return hits
}

// acceptedSpans returns the target spans (original code points) of every accepted rendering.
func (p *pair) acceptedSpans() [][2]int {
	var out [][2]int
	for _, h := range p.glossary() {
		for _, r := range h.accepted {
			out = append(out, p.tokenSpan(r))
		}
	}
	return out
}

// tokenSpan maps a range of target tokens to original code points.
func (p *pair) tokenSpan(r [2]int) [2]int {
	return span(&p.tgt, p.ttoks[r[0]].a, p.ttoks[r[1]-1].b)
}

// checkGlossary: each term found in the source has its English, or an accepted alternative,
// in the target (or, for a do-not-translate term, its Arabic), and none of its forbidden
// renderings. A term found several times is reported
// once, at its first place in the source.
func checkGlossary(p *pair) {
	seen := make(map[string]bool, len(p.terms))
	for _, h := range p.glossary() {
		t := h.term
		id := t.Arabic + "\x00" + t.English
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(h.accepted) == 0 {
			p.emit(Finding{Source: t.Source,
				Message: fmt.Sprintf("«%s» should be %s (glossary)", termText(t), renderings(t))})
		}
		if h.forbidden != "" {
			p.emit(Finding{Source: t.Source, Target: p.tokenSpan(h.fspan),
				Message: fmt.Sprintf("%q is a forbidden rendering of «%s»; use %s", cut(p.target, p.tokenSpan(h.fspan)), termText(t), renderings(t))})
		}
	}
}

// termText is the Arabic a reviewer sees in the source.
func termText(t *Term) string {
	if t.Text != "" {
		return t.Text
	}
	return t.Arabic
}

// renderings lists a term's English and its alternatives for a message: "Kyiv", or "Sergei
// Ryabkov" or "Sergey Ryabkov".
func renderings(t *Term) string {
	q := make([]string, 0, 1+len(t.Alternatives))
	for _, e := range append([]string{t.English}, t.Alternatives...) {
		q = append(q, fmt.Sprintf("%q", e))
	}
	return strings.Join(q, " or ")
}

// phraseStems cuts an English rendering into word stems the way the target is cut.
func phraseStems(s string) []string {
	f := fold(s)
	toks := tokenize(&f, true, nil)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = tokenStem(&f, t)
	}
	return out
}

// tokenStem is the comparable form of a token: a number's digits, a word's singular key.
func tokenStem(f *ftext, t token) string {
	if t.num {
		return f.sub(t.a, t.b)
	}
	return stem(t.key)
}

// stem reduces an English plural to its singular closely enough to compare words.
func stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// findPhrase returns the token ranges where needle occurs in hay.
func findPhrase(hay, needle []string) [][2]int {
	if len(needle) == 0 {
		return nil
	}
	var out [][2]int
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j, w := range needle {
			if hay[i+j] != w {
				continue outer
			}
		}
		out = append(out, [2]int{i, i + len(needle)})
	}
	return out
}

// within reports whether r lies inside one of rs.
func within(r [2]int, rs [][2]int) bool {
	for _, s := range rs {
		if r[0] >= s[0] && r[1] <= s[1] {
			return true
		}
	}
	return false
}
