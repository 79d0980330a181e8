package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// segmentView is a segment as the article page shows it.
type segmentView struct {
	translate.Segment
	Parts        []sourcePart
	NewParagraph bool
	// Base is the text the page loaded into the box, sent back with every write so that a
	// conflict can tell a reviewer who changed the text from one who did not.
	Base     string
	Conflict bool
	Theirs   string
	// Untouched marks a conflict where the reviewer's box still held the text their page had
	// loaded: there is nothing of theirs to keep, only the newer text to take (or approve,
	// when Approving).
	Untouched bool
	Approving bool
	// QA is the quality checks' findings on the English shown; ShownFlags the flags the
	// findings do not already say (a failed run's reason).
	QA         qaView
	ShownFlags []string
	// Notice says what the text rule removed from the reviewer's text as it was saved.
	Notice string
}

// progressView is an article's progress line; OOB marks it for an htmx out-of-band swap.
type progressView struct {
	translate.Progress
	OOB bool
}

// segmentUpdate is the answer to a segment write: the row and the article's progress.
type segmentUpdate struct {
	Segment  segmentView
	Progress progressView
}

// sourcePart is a run of the Arabic source, highlighted when it is a glossary hit.
type sourcePart struct {
	Text  string
	Match *glossary.Match
	Note  string
}

// loadArticle reads the article named by the :id parameter with its segments.
func (s *Server) loadArticle(c *gin.Context) (translate.Article, []translate.Segment, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return translate.Article{}, nil, err
	}
	return s.articleWithSegments(c.Request.Context(), id)
}

// articleWithSegments reads article id with its segments in order.
func (s *Server) articleWithSegments(ctx context.Context, id int64) (translate.Article, []translate.Segment, error) {
	a, err := s.cfg.Articles.Article(ctx, id)
	if err != nil {
		return translate.Article{}, nil, err
	}
	segs, err := s.cfg.Articles.Segments(ctx, id)
	return a, segs, err
}

func (s *Server) articleShow(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.showArticle(c, http.StatusOK, id, nil)
}

// showArticle renders the article page of article id, with imp (an XLIFF file coming back:
// its preview or why it was refused) when there is one.
func (s *Server) showArticle(c *gin.Context, status int, id int64, imp *exportImportView) error {
	ctx := c.Request.Context()
	a, segs, err := s.articleWithSegments(ctx, id)
	if err != nil {
		return err
	}
	views, err := s.segmentViews(ctx, segs)
	if err != nil {
		return err
	}
	runs, err := s.cfg.Articles.Runs(ctx, id)
	if err != nil {
		return err
	}
	if len(runs) > 5 {
		runs = runs[:5]
	}
	job, _ := s.cfg.MT.Status(id)
	var summary string
	var failures []failureView
	if !job.Running {
		summary = lastRunSummary(runs)
		failures = failedSegments(segs)
	}
	c.Status(status)
	s.render(c, "article.html", pageData{Title: a.Title, Flash: takeFlash(c), Data: articleView{
		Article: a, Progress: progressView{Progress: a.Progress}, Segments: views, Draft: s.cfg.MT.Draft(), Runs: runs, Job: job,
		RunSummary: summary, Failures: failures, Import: imp, Checks: summarizeChecks(views),
	}})
	return nil
}

// articleView is what article.html renders: the article with its segments side by side, and
// its translation runs.
type articleView struct {
	Article  translate.Article
	Progress progressView
	Segments []segmentView
	Draft    bool // the backend writes offline drafts only
	Runs     []translate.Report
	Job      pipeline.JobStatus
	// RunSummary and Failures are the outcome of the last run, shown while no run is going.
	RunSummary string
	Failures   []failureView
	// Import is an XLIFF file coming back into the article: its preview, or why it was refused.
	Import *exportImportView
	// Checks counts the open findings of the quality checks per check, over the article.
	Checks []checkSummary
}

// failureView is a line of the failures list under the run summary.
type failureView struct {
	Index  int // the segment's 0-based index
	Reason string
}

// lastRunSummary is the stored outcome of the article's latest finished run, worded as the
// live page words it at the end of a run, so that a reload keeps it; runs is newest first.
func lastRunSummary(runs []translate.Report) string {
	if len(runs) == 0 || runs[0].Status == translate.RunRunning {
		return ""
	}
	out := runs[0].String()
	if runs[0].Error != "" {
		out += " — " + runs[0].Error
	}
	return out
}

// failedSegments lists the segments the backend failed on, with the reason stored in their
// flags: the failures list the live page shows, rebuilt on load.
func failedSegments(segs []translate.Segment) []failureView {
	var out []failureView
	for _, g := range segs {
		if g.Status != translate.StatusFailed {
			continue
		}
		reason := strings.Join(g.Flags, "; ")
		if reason == "" {
			reason = "failed"
		}
		out = append(out, failureView{Index: g.Index, Reason: reason})
	}
	return out
}

func (s *Server) segmentViews(ctx context.Context, segs []translate.Segment) ([]segmentView, error) {
	m, err := s.cfg.Glossary.Matcher(ctx)
	if err != nil {
		return nil, err
	}
	found, err := s.cfg.Articles.Findings(ctx, segs)
	if err != nil {
		return nil, err
	}
	out := make([]segmentView, len(segs))
	for i, g := range segs {
		out[i] = segmentView{Segment: g, Parts: highlight(m, g.Source), Base: g.Target}
		out[i].NewParagraph = i > 0 && g.Paragraph != segs[i-1].Paragraph
		out[i].QA = newQAView(g.ID, g.Source, g.Target, found[g.ID])
		said := map[string]bool{}
		for _, f := range found[g.ID] {
			said[f.Message] = true
		}
		for _, f := range g.Flags {
			if !said[f] {
				out[i].ShownFlags = append(out[i].ShownFlags, f)
			}
		}
	}
	return out, nil
}

// highlight cuts text into plain runs and glossary hits (offsets are code points).
func highlight(m *glossary.Matcher, text string) []sourcePart {
	matches := m.Match(text)
	if len(matches) == 0 {
		return []sourcePart{{Text: text}}
	}
	runes := []rune(text)
	parts := make([]sourcePart, 0, 2*len(matches)+1)
	pos := 0
	for i := range matches {
		mt := &matches[i]
		if mt.Start < pos || mt.End > len(runes) || mt.Start >= mt.End {
			continue // overlapping or out of range: never trust offsets blindly
		}
		if mt.Start > pos {
			parts = append(parts, sourcePart{Text: string(runes[pos:mt.Start])})
		}
		note := ""
		if t, ok := m.Term(mt.TermID); ok {
			note = t.Note
		}
		parts = append(parts, sourcePart{Text: string(runes[mt.Start:mt.End]), Match: mt, Note: note})
		pos = mt.End
	}
	if pos < len(runes) {
		parts = append(parts, sourcePart{Text: string(runes[pos:])})
	}
	return parts
}
