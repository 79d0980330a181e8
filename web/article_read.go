package web

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/export"
)

// readView is what read.html renders: the article's paragraphs, Arabic beside English.
type readView struct {
	Article    translate.Article
	Paragraphs []readParagraph
	Unreviewed int // sentences whose English nobody has reviewed yet, or that have none
}

// readParagraph is one paragraph of the article: its sentences in order.
type readParagraph struct {
	Sentences []readSentence
}

// readSentence is one segment in the reading view.
type readSentence struct {
	ID     int64
	Number int
	Source string
	// English is the segment's English; empty when it has none.
	English string
	// Review classes the sentence (approved, edited, unreviewed, untranslated); Mark is the
	// text label shown in the English beside the class, so the state is never colour only:
	// empty for reviewed text.
	Review translate.Review
	Mark   string
	Label  string // the state in words, for a tooltip
	// LineBreak says the Arabic breaks the line after the sentence (a break inside a
	// paragraph: a byline, a title line).
	LineBreak bool
}

// articleRead is GET /articles/:id/read: the assembled English of the article beside its
// Arabic, paragraph by paragraph, with the sentences no reviewer has approved or edited
// marked. Excluded segments are left out, as the exports leave them out.
func (s *Server) articleRead(c *gin.Context) error {
	a, segs, err := s.loadArticle(c)
	if err != nil {
		return err
	}
	v := readView{Article: a}
	para := -1
	for _, g := range segs {
		r := g.Review()
		if r == translate.ReviewExcluded {
			continue
		}
		if g.Paragraph != para || len(v.Paragraphs) == 0 {
			v.Paragraphs = append(v.Paragraphs, readParagraph{})
			para = g.Paragraph
		}
		sent := readSentence{ID: g.ID, Number: g.Number(), Source: g.Source, English: strings.TrimSpace(g.Target), Review: r,
			Label: export.ReviewLabel(g), LineBreak: strings.ContainsAny(g.Sep, "\n\r\u2028\u0085")}
		switch r {
		case translate.ReviewUnreviewed:
			sent.Mark = "unreviewed"
		case translate.ReviewUntranslated:
			sent.Mark = "untranslated"
		}
		if sent.Mark != "" {
			v.Unreviewed++
		}
		p := &v.Paragraphs[len(v.Paragraphs)-1]
		p.Sentences = append(p.Sentences, sent)
	}
	s.render(c, "read.html", pageData{Title: a.Title + " · Reading view", Data: v})
	return nil
}
