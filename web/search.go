package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// Limits on concordance results.
const (
	searchPageLimit = 200
	searchAPILimit  = 100
	searchAPIMax    = 1000
)

// searchView is the search page: the query, its hits cut into highlighted parts, and whether
// there were more than shown.
type searchView struct {
	Query string
	Hits  []searchHitView
	More  bool
	Error string
}

type searchHitView struct {
	store.SearchHit
	SourceParts []store.TextPart
	TargetParts []store.TextPart
}

func (s *Server) searchPage(c *gin.Context) error {
	v := searchView{Query: strings.TrimSpace(c.Query("q"))}
	if v.Query != "" {
		hits, err := s.cfg.Articles.Search(c.Request.Context(), v.Query, searchPageLimit+1)
		switch {
		case errors.Is(err, translate.ErrInvalid):
			// Shown on the page beside the search box, not as an error page.
			c.Status(http.StatusBadRequest)
			v.Error = userMessage(err)
		case err != nil:
			return err
		}
		if len(hits) > searchPageLimit {
			hits, v.More = hits[:searchPageLimit], true
		}
		for _, h := range hits {
			hv := searchHitView{SearchHit: h, SourceParts: store.Highlight(h.Source, nil), TargetParts: store.Highlight(h.Target, nil)}
			if h.Field == store.FieldSource {
				hv.SourceParts = store.Highlight(h.Source, h.Spans)
			} else {
				hv.TargetParts = store.Highlight(h.Target, h.Spans)
			}
			v.Hits = append(v.Hits, hv)
		}
	}
	title := "Search"
	if v.Query != "" {
		title = v.Query + " · Search"
	}
	s.render(c, "search.html", pageData{Title: title, Data: v})
	return nil
}

// searchResponse is the answer of GET /api/search.
type searchResponse struct {
	Query string            `json:"query"`
	Hits  []store.SearchHit `json:"hits"`
	More  bool              `json:"more"` // there are hits beyond limit
}

// apiSearch answers GET /api/search?q=…&limit=…; spans are code point offsets into the hit's field.
func (s *Server) apiSearch(c *gin.Context) error {
	q := strings.TrimSpace(c.Query("q"))
	if q == "" {
		return badRequest("q: required: the Arabic or English to search for")
	}
	limit, err := intQuery(c, "limit", searchAPILimit, 1, searchAPIMax)
	if err != nil {
		return err
	}
	hits, err := s.cfg.Articles.Search(c.Request.Context(), q, limit+1)
	if err != nil {
		return err
	}
	resp := searchResponse{Query: q, Hits: hits}
	if len(hits) > limit {
		resp.Hits, resp.More = hits[:limit], true
	}
	c.JSON(http.StatusOK, resp)
	return nil
}
