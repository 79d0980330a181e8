package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiSegmentMerge answers POST /api/segments/:id/merge {"version", "next_version"} (the
// versions of the segment and of the one after it, as shown) with the merged segment. The
// segments after it are renumbered: a page shows the article again.
func (s *Server) apiSegmentMerge(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Version     *int `json:"version"`
		NextVersion *int `json:"next_version"`
	}
	if err := bindJSON(c, &req, `{"version", "next_version"}`); err != nil {
		return err
	}
	if req.Version == nil || req.NextVersion == nil {
		return badRequest(`body: expected {"version": the segment's version, "next_version": the version of the segment after it}`)
	}
	if err := s.refuseResegmentingWhileTranslating(c, id, "merging"); err != nil {
		return err
	}
	seg, err := s.cfg.Articles.MergeSegment(c.Request.Context(), id, *req.Version, *req.NextVersion, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, seg)
	return nil
}
