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
	Title          string `json:"title"`
	Text           string `json:"text"`
	AllowDuplicate bool   `json:"allow_duplicate"`
}

// apiArticleCreate imports a text under the rules of every import (store.ReadUpload,
// store.Import): Arabic, and no exact copy of a stored article unless allow_duplicate.
func (s *Server) apiArticleCreate(c *gin.Context) error {
	var req articleCreateRequest
	if err := bindJSON(c, &req, `{"title", "text", "allow_duplicate"}`); err != nil {
		return err
	}
	a, notice, err := s.importArticle(c, store.Upload{Name: "text", Title: req.Title, Text: req.Text}, req.AllowDuplicate)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, articleCreated{Article: a, Notice: notice})
	return nil
}

// articleCreated is the answer to POST /api/articles: the article, and what the text rule
// removed from its text, if anything.
type articleCreated struct {
	translate.Article
	Notice string `json:"notice,omitempty"`
}

// importArticle imports one text or another tool's bilingual file as a new article and reads
// it back whole, with the notice of what the text rule removed from it ("" for nothing).
func (s *Server) importArticle(c *gin.Context, up store.Upload, allowDuplicate bool) (translate.Article, string, error) {
	p, err := store.ReadUpload(up)
	if err != nil {
		return translate.Article{}, "", err
	}
	ctx := c.Request.Context()
	done, err := s.cfg.Articles.Import(ctx, []*store.Parsed{p}, store.ImportOptions{Author: reviewerName(c), AllowDuplicate: allowDuplicate})
	if err != nil {
		return translate.Article{}, "", err
	}
	a, err := s.cfg.Articles.Article(ctx, done[0].Article.ID)
	return a, p.Notice(), err
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
