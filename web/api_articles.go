package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
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
	t, err := translate.NewText("text", req.Title, req.Text)
	if err != nil {
		return err
	}
	a, err := s.cfg.Articles.CreateArticle(c.Request.Context(), t.Title, t.Body, "")
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, articleCreated{Article: a, Notice: t.Notice()})
	return nil
}

// articleCreated is the answer to POST /api/articles: the article, and what was removed from
// its text, if anything.
type articleCreated struct {
	translate.Article
	Notice string `json:"notice,omitempty"`
}

// apiSegment is a segment as the API returns it, with its glossary hits.
type apiSegment struct {
	translate.Segment
	Matches []glossary.Match `json:"matches"`
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
	out := make([]apiSegment, len(segs))
	for i, g := range segs {
		out[i] = apiSegment{Segment: g, Matches: m.Match(g.Source)}
		if out[i].Matches == nil {
			out[i].Matches = []glossary.Match{}
		}
	}
	c.JSON(http.StatusOK, gin.H{"article": a, "segments": out})
	return nil
}
