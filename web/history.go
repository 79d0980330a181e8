package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
)

// historyEntry is one revision of a segment with the word-level diff of its change.
type historyEntry struct {
	translate.Revision
	Diff    []diff.Op `json:"diff"`
	Changed bool      `json:"changed"` // false when the text stayed the same (an approval as is, a status change)
	// OnMachine names the backend and model whose output this reviewer's revision started
	// from; empty when it started from a person's text (or is machine output itself).
	OnMachine string `json:"on_machine,omitempty"`
}

// Shown is the diff as the page shows it, with a space between a replaced word and its
// replacement.
func (h historyEntry) Shown() []diff.Op { return diff.Readable(h.Diff) }

// KindLabel says in words what the revision did.
func (h historyEntry) KindLabel() string {
	switch h.Kind {
	case "machine":
		return "machine translation"
	case "tm":
		return "from translation memory"
	case "edit":
		return "edited"
	case "approve":
		if h.Changed {
			return "edited and approved"
		}
		return "approved"
	case "status":
		return "status changed"
	case "theirs":
		return "kept the text saved first, set aside their own"
	case "imported":
		return "imported from an XLIFF file"
	case "ignore":
		return "ignored a quality check finding"
	}
	return h.Kind
}

// Machine reports whether the revision is machine output rather than a reviewer's change.
func (h historyEntry) Machine() bool { return h.Kind == "machine" || h.Kind == "tm" }

// Who names who made the revision: the reviewer, or for machine output the backend and model
// and who started the run.
func (h historyEntry) Who() string {
	switch {
	case h.Machine() && h.Backend != "" && h.Author != "":
		return strings.TrimSpace(h.Backend+" "+h.Model) + ", run by " + h.Author
	case h.Author != "":
		return h.Author
	case h.Machine() && h.Backend != "":
		return strings.TrimSpace(h.Backend + " " + h.Model)
	case h.Machine():
		return "machine"
	}
	return "unknown"
}

// historyResponse is the JSON of GET /api/segments/:id/history, and what the history
// fragment renders (newest first there).
type historyResponse struct {
	SegmentID int64          `json:"segment_id"`
	Index     int            `json:"-"` // the segment's place in its article, for the page
	Revisions []historyEntry `json:"revisions"`
}

// segmentHistoryOf loads a segment's revisions, oldest first, each with its diff.
func (s *Server) segmentHistoryOf(c *gin.Context) (historyResponse, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return historyResponse{}, err
	}
	ctx := c.Request.Context()
	seg, err := s.cfg.Articles.Segment(ctx, id)
	if err != nil {
		return historyResponse{}, err
	}
	revs, err := s.cfg.Articles.Revisions(ctx, id)
	if err != nil {
		return historyResponse{}, err
	}
	out := historyResponse{SegmentID: id, Index: seg.Index, Revisions: make([]historyEntry, 0, len(revs))}
	// source is the revision whose text the segment holds at each step: a revision that only
	// approves or keeps the text (or keeps theirs, whose After is the text already there)
	// leaves it as it was.
	var source historyEntry
	for _, r := range revs {
		h := historyEntry{Revision: r, Diff: diff.Words(r.Before, r.After), Changed: r.Before != r.After}
		if !h.Machine() && source.Machine() && source.After == r.Before && source.Backend != "" {
			h.OnMachine = strings.TrimSpace(source.Backend + " " + source.Model)
		}
		out.Revisions = append(out.Revisions, h)
		if h.Changed && h.Kind != "theirs" {
			source = h
		}
	}
	return out, nil
}

func (s *Server) apiSegmentHistory(c *gin.Context) error {
	h, err := s.segmentHistoryOf(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, h)
	return nil
}

// segmentHistory is the htmx fragment listing the revisions, newest first.
func (s *Server) segmentHistory(c *gin.Context) error {
	h, err := s.segmentHistoryOf(c)
	if err != nil {
		return err
	}
	newest := make([]historyEntry, len(h.Revisions))
	for i, r := range h.Revisions {
		newest[len(h.Revisions)-1-i] = r
	}
	h.Revisions = newest
	s.renderTemplate(c, "stats.html", "history", h)
	return nil
}
