package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate/store"
)

// apiSegmentSplit answers POST /api/segments/:id/split {"version", "at", "targets": {"first",
// "second"}} (at: a code point offset in the segment's Arabic; targets optional) with
// {"segments": [the first part, the second part]}. The segments after it are renumbered: a
// page shows the article again.
func (s *Server) apiSegmentSplit(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Version *int `json:"version"`
		At      *int `json:"at"`
		Targets *struct {
			First  string `json:"first"`
			Second string `json:"second"`
		} `json:"targets"`
	}
	if err := bindJSON(c, &req, `{"version", "at", "targets": {"first", "second"}}`); err != nil {
		return err
	}
	if req.Version == nil || req.At == nil {
		return badRequest(`body: expected {"version": the segment's version, "at": where to cut, in characters of its Arabic}`)
	}
	if err := s.refuseResegmentingWhileTranslating(c, id, "splitting"); err != nil {
		return err
	}
	var targets *store.SplitTargets
	if req.Targets != nil {
		targets = &store.SplitTargets{First: req.Targets.First, Second: req.Targets.Second}
	}
	parts, err := s.cfg.Articles.SplitSegment(c.Request.Context(), id, *req.Version, *req.At, targets, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"segments": parts})
	return nil
}

// refuseResegmentingWhileTranslating refuses a split or merge (verb: "splitting", "merging")
// of segment id while this server runs a translation of its article (the store refuses a run
// it has recorded).
func (s *Server) refuseResegmentingWhileTranslating(c *gin.Context, id int64, verb string) error {
	ctx := c.Request.Context()
	seg, err := s.cfg.Articles.Segment(ctx, id)
	if err != nil {
		return err
	}
	if job, _ := s.cfg.MT.Status(seg.ArticleID); !job.Running {
		return nil
	}
	a, err := s.cfg.Articles.Article(ctx, seg.ArticleID)
	if err != nil {
		return err
	}
	return s.refuseWhileTranslating(a, fmt.Sprintf("%s #%d", verb, seg.Number()))
}
