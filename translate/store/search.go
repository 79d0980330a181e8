package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// Concordance search over every article's segments.
//
// A query with Arabic letters searches the Arabic sources the way the glossary matches terms:
// both sides normalized (arabic.Normalize), the query's words matched against consecutive
// words of the text, each text word read with its optional proclitic chain [و|ف][ب|ك|ل][ال]
// stripped (arabic.Candidates), and the definite article optional on both sides, so ضمانات
// finds بالضمانات and الضمانات. A one-word query of three letters or fewer matches only whole
// words. Any other query searches the English targets, case-insensitively, as a substring.
//
// It reads every segment (no index): normalizing in Go is what makes the Arabic side
// clitic-aware, and a newsroom's corpus of some thousand articles is scanned in milliseconds.

// MaxSearchRunes bounds a search query.
const MaxSearchRunes = 200

// Span is a stretch of a text in code points: [Start, End).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// SearchHit is a segment that contains the query.
type SearchHit struct {
	ArticleID    int64            `json:"article_id"`
	ArticleTitle string           `json:"article_title"`
	SegmentID    int64            `json:"segment_id"`
	Index        int              `json:"index"`
	Source       string           `json:"source"`
	Target       string           `json:"target"`
	Status       translate.Status `json:"status"`
	// Field says which text the spans are in: "source" for an Arabic query, "target" for an
	// English one.
	Field string `json:"field"`
	Spans []Span `json:"spans"` // the hits, in code points of Field, in order, not overlapping
}

// Fields of SearchHit.Field.
const (
	FieldSource = "source"
	FieldTarget = "target"
)

// Search finds up to limit segments, in article and segment order, that contain q.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return nil, translate.ErrInvalid.Errorf("q: empty search")
	case !utf8.ValidString(q):
		return nil, translate.ErrInvalid.Errorf("q: not valid UTF-8")
	case utf8.RuneCountInString(q) > MaxSearchRunes:
		return nil, translate.ErrInvalid.Errorf("q: longer than %d characters", MaxSearchRunes)
	}
	if limit <= 0 {
		limit = 100
	}
	find, field := englishFinder(q), FieldTarget
	if arabic.HasScriptLetter(q) {
		find, field = arabicFinder(q), FieldSource
	}
	if find == nil {
		return []SearchHit{}, nil // nothing searchable in the query (punctuation only)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT s.article_id, a.title, s.id, s.idx, s.source, s.target, s.status
		FROM segments s JOIN articles a ON a.id = s.article_id ORDER BY s.article_id, s.idx`)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	out := []SearchHit{}
	for rows.Next() {
		var h SearchHit
		if err := rows.Scan(&h.ArticleID, &h.ArticleTitle, &h.SegmentID, &h.Index, &h.Source, &h.Target, &h.Status); err != nil {
			return nil, err
		}
		text := h.Source
		if field == FieldTarget {
			text = h.Target
		}
		if h.Spans = find(text); len(h.Spans) == 0 {
			continue
		}
		h.Field = field
		out = append(out, h)
		if len(out) == limit {
			break
		}
	}
	return out, rows.Err()
}

// arabicFinder returns a function that finds the normalized, clitic-aware occurrences of the
// query's words in a text, or nil when the query has no words.
func arabicFinder(q string) func(string) []Span {
	qr := []rune(arabic.Normalize(q))
	qtoks := arabic.Tokenize(qr, nil)
	if len(qtoks) == 0 {
		return nil
	}
	keys := make([][]rune, len(qtoks))
	for i, t := range qtoks {
		keys[i], _ = arabic.StripAl(qr[t.Start:t.End])
	}
	wholeOnly := len(qtoks) == 1 && qtoks[0].End-qtoks[0].Start <= 3
	return func(text string) []Span {
		f := arabic.Fold(text)
		toks := arabic.Tokenize(f.Runes, nil)
		var spans []Span
		cands := make([]arabic.Candidate, 0, arabic.MaxCandidates)
		for i := 0; i+len(keys) <= len(toks); {
			skip, ok := 0, true
			for k, key := range keys {
				tok := f.Runes[toks[i+k].Start:toks[i+k].End]
				s, match := matchToken(tok, key, wholeOnly, cands[:0])
				if !match {
					ok = false
					break
				}
				if k == 0 {
					skip = s
				}
			}
			if !ok {
				i++
				continue
			}
			last := toks[i+len(keys)-1]
			spans = append(spans, Span{Start: f.Orig[toks[i].Start+skip], End: origEnd(text, f, last.End)})
			i += len(keys)
		}
		return spans
	}
}

// matchToken reports whether a normalized text token reads as key (a query word without its
// article), and how many proclitic letters the reading strips from its front.
func matchToken(tok, key []rune, wholeOnly bool, buf []arabic.Candidate) (skip int, ok bool) {
	if wholeOnly {
		return 0, string(tok) == string(key)
	}
	for _, c := range arabic.Candidates(tok, buf) {
		if string(tok[c.Key:]) == string(key) {
			return c.Skip, true
		}
	}
	return 0, false
}

// origEnd maps the end of a folded token to the original text, taking in the harakat and
// other combining marks written on its last letter.
func origEnd(text string, f arabic.Folded, end int) int {
	e := f.Orig[end-1] + 1
	rs := []rune(text)
	for e < len(rs) && unicode.Is(unicode.Mn, rs[e]) {
		e++
	}
	return e
}

// englishFinder returns a function that finds the case-insensitive occurrences of q, with
// its runs of white space matching any run of white space.
func englishFinder(q string) func(string) []Span {
	words := strings.Fields(q)
	if len(words) == 0 {
		return nil
	}
	pat := []rune(strings.Join(words, " "))
	return func(text string) []Span {
		rs := []rune(text)
		var spans []Span
		for i := 0; i < len(rs); {
			if end, ok := foldPrefix(rs[i:], pat); ok {
				spans = append(spans, Span{Start: i, End: i + end})
				i += end
				continue
			}
			i++
		}
		return spans
	}
}

// foldPrefix reports whether text starts with pat under simple case folding, a space in pat
// matching one or more white-space runes, and returns the length matched.
func foldPrefix(text, pat []rune) (int, bool) {
	i := 0
	for _, p := range pat {
		if i >= len(text) {
			return 0, false
		}
		if p == ' ' {
			if !unicode.IsSpace(text[i]) {
				return 0, false
			}
			for i < len(text) && unicode.IsSpace(text[i]) {
				i++
			}
			continue
		}
		if !equalFold(text[i], p) {
			return 0, false
		}
		i++
	}
	return i, true
}

// equalFold reports whether two runes are equal under simple Unicode case folding.
func equalFold(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// TextPart is a run of a text, marked when it is a search hit.
type TextPart struct {
	Text string
	Hit  bool
}

// Highlight cuts text at the spans (code points) into parts for a template to mark.
func Highlight(text string, spans []Span) []TextPart {
	rs := []rune(text)
	var out []TextPart
	pos := 0
	for _, sp := range spans {
		start, end := max(sp.Start, pos), min(sp.End, len(rs))
		if start >= end {
			continue
		}
		if start > pos {
			out = append(out, TextPart{Text: string(rs[pos:start])})
		}
		out = append(out, TextPart{Text: string(rs[start:end]), Hit: true})
		pos = end
	}
	if pos < len(rs) {
		out = append(out, TextPart{Text: string(rs[pos:])})
	}
	return out
}
