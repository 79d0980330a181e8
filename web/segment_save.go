package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// segmentSave handles the in-place editor (htmx): it answers with the segment's row and the
// article's progress (out of band), or on a stale version with the row showing both texts
// and status 409.
func (s *Server) segmentSave(c *gin.Context) error {
	return s.segmentWrite(c, false, func(id int64, target string, version int) (translate.Segment, error) {
		return s.cfg.Articles.SaveTarget(c.Request.Context(), id, target, version, reviewerName(c))
	})
}

func (s *Server) segmentApprove(c *gin.Context) error {
	return s.segmentWrite(c, true, func(id int64, target string, version int) (translate.Segment, error) {
		return s.cfg.Articles.Approve(c.Request.Context(), id, target, version, reviewerName(c))
	})
}

// segmentTheirs settles a conflict by taking the text saved first (see Store.KeepTheirs).
func (s *Server) segmentTheirs(c *gin.Context) error {
	return s.segmentWrite(c, false, func(id int64, mine string, version int) (translate.Segment, error) {
		return s.cfg.Articles.KeepTheirs(c.Request.Context(), id, mine, version, reviewerName(c))
	})
}

func (s *Server) segmentExclude(c *gin.Context) error {
	return s.segmentWrite(c, false, func(id int64, _ string, version int) (translate.Segment, error) {
		return s.cfg.Articles.SetExcluded(c.Request.Context(), id, true, version, reviewerName(c))
	})
}

func (s *Server) segmentInclude(c *gin.Context) error {
	return s.segmentWrite(c, false, func(id int64, _ string, version int) (translate.Segment, error) {
		return s.cfg.Articles.SetExcluded(c.Request.Context(), id, false, version, reviewerName(c))
	})
}

// segmentWrite reads a row's form, writes it and answers with the row; approving says the
// write was an approval, which a conflict view then offers to repeat on the newer text.
func (s *Server) segmentWrite(c *gin.Context, approving bool, write func(id int64, target string, version int) (translate.Segment, error)) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return badRequest("form: %w", err)
	}
	version, err := strconv.Atoi(c.PostForm("version"))
	if err != nil {
		return badRequest("version: %q is not a number", c.PostForm("version"))
	}
	target, removed, err := translate.CleanTarget(c.PostForm("target"))
	if err != nil {
		return err
	}
	seg, err := write(id, target, version)
	if qe, ok := qaRefusal(err); ok && approving {
		return s.approvalRefused(c, id, target, qe)
	}
	var ce *translate.ConflictError
	if errors.As(err, &ce) {
		views, verr := s.segmentViews(c.Request.Context(), []translate.Segment{ce.Current})
		if verr != nil {
			return verr
		}
		v := views[0]
		v.Conflict, v.Theirs, v.Approving = true, ce.Current.Target, approving
		base, sent := c.GetPostForm("base")
		v.Untouched = sent && strings.TrimSpace(base) == strings.TrimSpace(target)
		if !v.Untouched {
			v.Target = strings.TrimSpace(target) // keep the reviewer's own words in the box
			_, fs, err := s.cfg.Articles.CheckSegment(c.Request.Context(), id, &v.Target)
			if err != nil {
				return err
			}
			v.QA = newQAView(id, v.Source, v.Target, fs) // the findings of the words in the box
		}
		// Otherwise the box takes their text: the stale one the page loaded is nobody's
		// work, and a save from the box must not put it back over theirs.
		c.Status(http.StatusConflict)
		s.renderTemplate(c, "article.html", "segment", v)
		return nil
	}
	if err != nil {
		return err
	}
	views, err := s.segmentViews(c.Request.Context(), []translate.Segment{seg})
	if err != nil {
		return err
	}
	views[0].NewParagraph = c.PostForm("para") == "1"
	views[0].Notice = arabic.BidiNotice("target", removed)
	pr, err := s.cfg.Articles.ArticleProgress(c.Request.Context(), seg.ArticleID)
	if err != nil {
		return err
	}
	s.renderTemplate(c, "article.html", "segment-update", segmentUpdate{Segment: views[0], Progress: progressView{Progress: pr, OOB: true}})
	return nil
}

// reviewerName is who made a change; accounts (issue 5) will fill it from the session.
func reviewerName(c *gin.Context) string {
	if v, ok := c.Get("user"); ok {
		if name, ok := v.(string); ok {
			return name
		}
	}
	return "reviewer"
}
