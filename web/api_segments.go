package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

type segmentWriteRequest struct {
	Target  string `json:"target"`
	Version *int   `json:"version"`
}

func (s *Server) apiSegmentGet(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	seg, err := s.cfg.Articles.Segment(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, seg)
	return nil
}

func (s *Server) apiSegmentSave(c *gin.Context) error {
	return s.apiSegmentWrite(c, func(id int64, r segmentWriteRequest) (translate.Segment, error) {
		return s.cfg.Articles.SaveTarget(c.Request.Context(), id, r.Target, *r.Version, reviewerName(c))
	})
}

func (s *Server) apiSegmentApprove(c *gin.Context) error {
	return s.apiSegmentWrite(c, func(id int64, r segmentWriteRequest) (translate.Segment, error) {
		return s.cfg.Articles.Approve(c.Request.Context(), id, r.Target, *r.Version, reviewerName(c))
	})
}

// apiSegmentExclude marks a segment as boilerplate ({"excluded": true, "version"}) or brings
// it back ({"excluded": false, "version"}).
func (s *Server) apiSegmentExclude(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Excluded *bool `json:"excluded"`
		Version  *int  `json:"version"`
	}
	if err := bindJSON(c, &req, `{"excluded": true|false, "version"}`); err != nil {
		return err
	}
	if req.Excluded == nil || req.Version == nil {
		return badRequest(`body: expected JSON {"excluded": true|false, "version"}`)
	}
	seg, err := s.cfg.Articles.SetExcluded(c.Request.Context(), id, *req.Excluded, *req.Version, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, seg)
	return nil
}

// apiSegmentWrite reads {target, version}; a stale version comes back as 409 with the current
// segment (see fail). The version is always required, approvals included: nobody signs off
// text they have not seen.
func (s *Server) apiSegmentWrite(c *gin.Context, write func(int64, segmentWriteRequest) (translate.Segment, error)) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req segmentWriteRequest
	if err := bindJSON(c, &req, `{"target", "version"}`); err != nil {
		return err
	}
	if req.Version == nil {
		return badRequest("version: required (the version you reviewed, from GET /api/articles/:id)")
	}
	seg, err := write(id, req)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, seg)
	return nil
}

func (s *Server) apiSegmentRevisions(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Articles.Segment(c.Request.Context(), id); err != nil {
		return err
	}
	revs, err := s.cfg.Articles.Revisions(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if revs == nil {
		revs = []translate.Revision{}
	}
	c.JSON(http.StatusOK, gin.H{"revisions": revs})
	return nil
}
