package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
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
	return s.apiSegmentWrite(c, true, func(id int64, r segmentWriteRequest) (translate.Segment, error) {
		return s.cfg.Articles.SaveTarget(c.Request.Context(), id, r.Target, *r.Version, reviewerName(c))
	})
}

// apiSegmentApprove approves with no body at all (the current text, as the contract says),
// with {"version"} (409 when stale) or with {"target", "version"} (save and approve).
func (s *Server) apiSegmentApprove(c *gin.Context) error {
	return s.apiSegmentWrite(c, false, func(id int64, r segmentWriteRequest) (translate.Segment, error) {
		version := store.AnyVersion
		if r.Version != nil {
			version = *r.Version
		} else if strings.TrimSpace(r.Target) != "" {
			return translate.Segment{}, badRequest("version: required with a target (the version you reviewed, from GET /api/articles/:id)")
		}
		return s.cfg.Articles.Approve(c.Request.Context(), id, r.Target, version, reviewerName(c))
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
// segment (see fail). needVersion refuses a request without one; otherwise an empty body is
// allowed too.
func (s *Server) apiSegmentWrite(c *gin.Context, needVersion bool, write func(int64, segmentWriteRequest) (translate.Segment, error)) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req segmentWriteRequest
	body, err := optionalJSON(c)
	if err != nil {
		return err
	}
	if needVersion || body != nil {
		shape := `{"target", "version"}`
		if !needVersion {
			shape = `{"version"} or {"target", "version"}, or no body`
		}
		if err := bindJSON(c, &req, shape); err != nil {
			return err
		}
	}
	if needVersion && req.Version == nil {
		return badRequest("version: required (the version you reviewed, from GET /api/articles/:id)")
	}
	clean, removed, err := translate.CleanTarget(req.Target)
	if err != nil {
		return err
	}
	req.Target = clean
	seg, err := write(id, req)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, segmentSaved{Segment: seg, Notice: arabic.BidiNotice("target", removed)})
	return nil
}

// segmentSaved is the answer to a segment write: the segment as saved, and what the text
// rule removed from the target sent, if anything.
type segmentSaved struct {
	translate.Segment
	Notice string `json:"notice,omitempty"`
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

// optionalJSON reads the body of a request that may have none: nil when there is none or
// only white space, else the body, left in place for a later bind. A body of any other type
// than JSON is a 415, whether or not something before the handler has read it (a form is
// parsed before the handlers run).
func optionalJSON(c *gin.Context) ([]byte, error) {
	if c.Request.ContentLength == 0 {
		return nil, nil
	}
	if err := requireJSON(c); err != nil {
		return nil, err
	}
	b, err := readBody(c)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return nil, err
	}
	return b, nil
}
