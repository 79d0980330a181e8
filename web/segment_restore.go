package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

// segmentRestore brings back the text of an older revision from the row's History (form:
// revision, version) and answers with the row.
func (s *Server) segmentRestore(c *gin.Context) error {
	return s.segmentWrite(c, false, func(id int64, _ string, version int) (translate.Segment, error) {
		rev, err := strconv.ParseInt(c.PostForm("revision"), 10, 64)
		if err != nil || rev <= 0 {
			return translate.Segment{}, badRequest("revision: %q is not a revision of the history", c.PostForm("revision"))
		}
		return s.cfg.Articles.Restore(c.Request.Context(), id, rev, version, reviewerName(c))
	})
}

// apiSegmentRestore answers POST /api/segments/:id/restore {"revision", "version"} with the
// segment holding the revision's text again (GET /api/segments/:id/history lists the
// revisions, each with the text it restores).
func (s *Server) apiSegmentRestore(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Revision int64 `json:"revision"`
		Version  *int  `json:"version"`
	}
	if err := bindJSON(c, &req, `{"revision", "version"}`); err != nil {
		return err
	}
	if req.Version == nil || req.Revision <= 0 {
		return badRequest(`body: expected {"revision": the id of a revision from GET /api/segments/:id/history, "version": the segment's version}`)
	}
	seg, err := s.cfg.Articles.Restore(c.Request.Context(), id, req.Revision, *req.Version, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, seg)
	return nil
}
