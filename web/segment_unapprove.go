package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

// segmentUnapprove takes a row's approval back (form: version, reason) and answers with the
// row, as every segment write does.
func (s *Server) segmentUnapprove(c *gin.Context) error {
	return s.segmentWrite(c, false, func(id int64, _ string, version int) (translate.Segment, error) {
		return s.cfg.Articles.Unapprove(c.Request.Context(), id, version, c.PostForm("reason"), reviewerName(c))
	})
}

// apiSegmentUnapprove answers POST /api/segments/:id/unapprove {"version", "reason"} with the
// segment, edited again.
func (s *Server) apiSegmentUnapprove(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Version *int   `json:"version"`
		Reason  string `json:"reason"`
	}
	if err := bindJSON(c, &req, `{"version", "reason"}`); err != nil {
		return err
	}
	if req.Version == nil {
		return badRequest("version: required (the version you reviewed, from GET /api/articles/:id)")
	}
	seg, err := s.cfg.Articles.Unapprove(c.Request.Context(), id, *req.Version, req.Reason, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, seg)
	return nil
}
