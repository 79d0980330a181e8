package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/store"
)

// suggestionMatches is how many memory matches a segment's suggestions offer (Ctrl+1…3).
const suggestionMatches = 3

// termSuggestion is a glossary term found in a segment's Arabic, offered for insertion.
type termSuggestion struct {
	TermID         int64             `json:"term_id"`
	Arabic         string            `json:"arabic"` // the term's Arabic, as the glossary has it
	Text           string            `json:"text"`   // the first occurrence, as the segment writes it
	English        string            `json:"english"`
	Alternatives   []string          `json:"english_alternatives"`
	Forbidden      []string          `json:"forbidden"`
	Type           glossary.TermType `json:"type"`
	Note           string            `json:"note,omitempty"`
	DoNotTranslate bool              `json:"do_not_translate,omitempty"`
	Variant        bool              `json:"variant"` // the first occurrence is a variant spelling
	// Start and End are the first occurrence in code points of the segment's Arabic; Spans
	// are every occurrence, in order.
	Start int          `json:"start"`
	End   int          `json:"end"`
	Spans []store.Span `json:"spans"`
}

// suggestionsView is the answer of GET /api/segments/:id/suggestions.
type suggestionsView struct {
	SegmentID int64  `json:"segment_id"`
	Number    int    `json:"number"` // the segment's #, from 1
	Source    string `json:"source"`
	// Terms are the glossary terms of the Arabic, each once, in the order they first occur.
	Terms []termSuggestion `json:"terms"`
	// Matches are the best memory matches (at most 3, best first), each with the word diff
	// from its Arabic to this segment's; never the segment's own approved text.
	Matches   []memory.Match `json:"matches"`
	Threshold int            `json:"threshold"` // the least similarity of a match, in percent
}

// apiSegmentSuggestions answers GET /api/segments/:id/suggestions: what the editor offers
// beside a segment, one key away.
func (s *Server) apiSegmentSuggestions(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	seg, err := s.cfg.Articles.Segment(ctx, id)
	if err != nil {
		return err
	}
	m, err := s.cfg.Glossary.Matcher(ctx)
	if err != nil {
		return err
	}
	matches, err := s.cfg.Memory.FuzzyFor(ctx, seg.ID, seg.Source, suggestionMatches)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, suggestionsView{SegmentID: seg.ID, Number: seg.Number(), Source: seg.Source,
		Terms: termSuggestions(m, seg.Source), Matches: matches, Threshold: memory.FuzzyThreshold})
	return nil
}

// termSuggestions lists the terms m finds in source, each once, in order of first occurrence.
func termSuggestions(m *glossary.Matcher, source string) []termSuggestion {
	out := []termSuggestion{}
	at := map[int64]int{} // term id → its place in out
	for _, mt := range m.Match(source) {
		if i, ok := at[mt.TermID]; ok {
			out[i].Spans = append(out[i].Spans, store.Span{Start: mt.Start, End: mt.End})
			continue
		}
		t, ok := m.Term(mt.TermID)
		if !ok {
			continue
		}
		at[mt.TermID] = len(out)
		out = append(out, termSuggestion{TermID: t.ID, Arabic: t.Arabic, Text: mt.Text, English: t.English,
			Alternatives: nonNil(t.Alternatives), Forbidden: nonNil(t.Forbidden), Type: t.Type, Note: t.Note,
			DoNotTranslate: t.DoNotTranslate, Variant: mt.Variant, Start: mt.Start, End: mt.End,
			Spans: []store.Span{{Start: mt.Start, End: mt.End}}})
	}
	return out
}

// nonNil is ss, or an empty list for nil, so JSON says [] rather than null.
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
