package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate/store"
)

// apiArticleApproveAll answers POST /api/articles/:id/approve {"segments": [{"id", "version"}]}
// (the rows a filter shows, at the versions shown) with what was approved and what was
// skipped and why, by segment number, and the article's progress: one transaction, each
// approval under the rule of a single one, each its own revision.
func (s *Server) apiArticleApproveAll(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Segments []store.Versioned `json:"segments"`
	}
	if err := bindJSON(c, &req, `{"segments": [{"id", "version"}]}`); err != nil {
		return err
	}
	if len(req.Segments) == 0 {
		return badRequest(`segments: required: the rows to approve, as [{"id", "version"}]`)
	}
	rep, err := s.cfg.Articles.ApproveAll(c.Request.Context(), id, req.Segments, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, rep)
	return nil
}
