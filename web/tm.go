package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/tarjama/tarjama/translate/memory"
)

// Limits on the translation-memory matches shown for one segment.
const (
	tmDefaultLimit = 5
	tmMaxLimit     = 50
)

// tmView is a segment's translation-memory matches, for the API and the article page.
type tmView struct {
	SegmentID int64          `json:"segment_id"`
	Source    string         `json:"source"`
	Threshold int            `json:"threshold"` // the least similarity shown, in percent
	Matches   []memory.Match `json:"matches"`
}

func (s *Server) segmentMatches(c *gin.Context) (tmView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return tmView{}, err
	}
	limit, err := intQuery(c, "limit", tmDefaultLimit, 1, tmMaxLimit)
	if err != nil {
		return tmView{}, err
	}
	ctx := c.Request.Context()
	seg, err := s.cfg.Articles.Segment(ctx, id)
	if err != nil {
		return tmView{}, err
	}
	matches, err := s.cfg.Memory.FuzzyFor(ctx, seg.ID, seg.Source, limit)
	if err != nil {
		return tmView{}, err
	}
	return tmView{SegmentID: id, Source: seg.Source, Threshold: memory.FuzzyThreshold, Matches: matches}, nil
}

// apiSegmentTM answers GET /api/segments/:id/tm: exact and fuzzy matches, best first, never
// what the segment's own approvals taught the memory.
func (s *Server) apiSegmentTM(c *gin.Context) error {
	v, err := s.segmentMatches(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// segmentTM renders the matches as a fragment the article page loads beside a segment (htmx).
func (s *Server) segmentTM(c *gin.Context) error {
	v, err := s.segmentMatches(c)
	if err != nil {
		return err
	}
	s.renderTemplate(c, "search.html", "tm-matches", v)
	return nil
}
