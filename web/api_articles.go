package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

func (s *Server) apiArticleList(c *gin.Context) error {
	list, err := s.cfg.Articles.Articles(c.Request.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []translate.Article{}
	}
	c.JSON(http.StatusOK, gin.H{"articles": list})
	return nil
}

type articleCreateRequest struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

func (s *Server) apiArticleCreate(c *gin.Context) error {
	var req articleCreateRequest
	if err := bindJSON(c, &req, `{"title", "text"}`); err != nil {
		return err
	}
	title, text, err := translate.NewText("text", req.Title, req.Text)
	if err != nil {
		return err
	}
	a, err := s.cfg.Articles.CreateArticle(c.Request.Context(), title, text, "")
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, a)
	return nil
}

// apiSegment is a segment as the API returns it, with its glossary hits and the quality
// checks' findings on its English (ignored ones marked).
type apiSegment struct {
	translate.Segment
	Matches  []glossary.Match `json:"matches"`
	Findings []store.Finding  `json:"findings"`
}

func (s *Server) apiArticleGet(c *gin.Context) error {
	a, segs, err := s.loadArticle(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	m, err := s.cfg.Glossary.Matcher(ctx)
	if err != nil {
		return err
	}
	found, err := s.cfg.Articles.Findings(ctx, segs)
	if err != nil {
		return err
	}
	out := make([]apiSegment, len(segs))
	for i, g := range segs {
		out[i] = apiSegment{Segment: g, Matches: m.Match(g.Source), Findings: found[g.ID]}
		if out[i].Matches == nil {
			out[i].Matches = []glossary.Match{}
		}
	}
	c.JSON(http.StatusOK, gin.H{"article": a, "segments": out})
	return nil
}
