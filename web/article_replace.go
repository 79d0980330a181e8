package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/translate/store"
)

// replaceChangeView is a change of the preview with the word diff of before and after (del:
// words only before has, ins: words only after has).
type replaceChangeView struct {
	store.ReplaceChange
	Diff []diff.Op `json:"diff"`
}

// replacePreviewView is the answer of GET /api/articles/:id/replace.
type replacePreviewView struct {
	translate.Replacement
	IncludeApproved bool                `json:"include_approved"`
	Changes         []replaceChangeView `json:"changes"`
	Skipped         []store.BulkItem    `json:"skipped"`
}

// apiArticleReplacePreview answers GET /api/articles/:id/replace?find=…&replace=…
// (&case_sensitive, &whole_word, &include_approved: true or false) with what a find and
// replace in the article's English would change, nothing written: each change by segment
// number with its before, after, diff and the version to send back to apply it.
func (s *Server) apiArticleReplacePreview(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v := replacePreviewView{Replacement: translate.Replacement{Find: c.Query("find"), With: c.Query("replace")}}
	for name, dst := range map[string]*bool{"case_sensitive": &v.CaseSensitive, "whole_word": &v.WholeWord, "include_approved": &v.IncludeApproved} {
		if *dst, err = formBool(c, name); err != nil {
			return err
		}
	}
	p, err := s.cfg.Articles.PreviewReplace(c.Request.Context(), id, v.Replacement, v.IncludeApproved)
	if err != nil {
		return err
	}
	v.Changes, v.Skipped = make([]replaceChangeView, len(p.Changes)), p.Skipped
	for i, ch := range p.Changes {
		v.Changes[i] = replaceChangeView{ReplaceChange: ch, Diff: diff.Words(ch.Before, ch.After)}
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// apiArticleReplace answers POST /api/articles/:id/replace {"find", "replace",
// "case_sensitive", "whole_word", "include_approved", "segments": [{"id", "version"}]} (the
// changes of the preview, at its versions) with what was applied, what had changed since
// (conflicts, left as they are) and what was skipped, by segment number.
func (s *Server) apiArticleReplace(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		translate.Replacement
		IncludeApproved bool              `json:"include_approved"`
		Segments        []store.Versioned `json:"segments"`
	}
	if err := bindJSON(c, &req, `{"find", "replace", "case_sensitive", "whole_word", "include_approved", "segments": [{"id", "version"}]}`); err != nil {
		return err
	}
	if len(req.Segments) == 0 {
		return badRequest(`segments: required: the changes of the preview to apply, as [{"id", "version"}]`)
	}
	rep, err := s.cfg.Articles.Replace(c.Request.Context(), id, req.Replacement, req.IncludeApproved, req.Segments, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, rep)
	return nil
}
