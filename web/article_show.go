package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// segmentView is a segment as the article page shows it. It repeats translate.Segment's
// fields rather than embedding it: the template reads a dozen fields of each of hundreds of
// rows, and a field promoted from an embedded struct costs text/template a slow reflective
// search (reflect's FieldByNameFunc) on every read, where a field of its own is found at once.
type segmentView struct {
	ID           int64
	ArticleID    int64
	Index        int
	Paragraph    int
	Source       string
	Sep          string
	Target       string
	Status       translate.Status
	Origin       string
	Backend      string
	Model        string
	Version      int
	Flags        []string
	MachineFlags []string
	UpdatedAt    time.Time
	// SourceHTML is the Arabic with its glossary hits marked (sourceHTML), escaped.
	SourceHTML template.HTML
	// Number, StatusLabel, Excluded and Flagged are what the row's template would otherwise
	// compute with a function call each (number, statusLabel, eq, and/or), which
	// text/template makes by reflection, on every row.
	Number       int
	StatusLabel  string
	Excluded     bool
	Flagged      bool // the row is marked for a reviewer's attention: flags, or a failed run
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
	// Saved is, in a conflict, the revision that made the segment what it is now: who saved
	// it and when. ConflictDiff is the word diff from the reviewer's text to theirs (del: only
	// the reviewer's words, ins: only theirs), spaced for reading.
	Saved        *translate.Revision
	ConflictDiff []diff.Op
}

// newSegmentView is g as a row of the page, its Arabic highlighted with m's terms.
func newSegmentView(g translate.Segment, m *glossary.Matcher, buf *strings.Builder) segmentView {
	excluded := g.Status == translate.StatusExcluded
	return segmentView{ID: g.ID, ArticleID: g.ArticleID, Index: g.Index, Paragraph: g.Paragraph, Source: g.Source, Sep: g.Sep,
		Target: g.Target, Status: g.Status, Origin: g.Origin, Backend: g.Backend, Model: g.Model, Version: g.Version,
		Flags: g.Flags, MachineFlags: g.MachineFlags, UpdatedAt: g.UpdatedAt, SourceHTML: sourceHTML(buf, m, g.ID, g.Source),
		Number: g.Number(), StatusLabel: statusLabel(g.Status), Excluded: excluded,
		Flagged: !excluded && (len(g.Flags) > 0 || g.Status == translate.StatusFailed), Base: g.Target}
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
	rows, err := s.renderRows(views)
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
		Article: a, Progress: progressView{Progress: a.Progress}, Segments: views, Rows: rows, Draft: s.cfg.MT.Draft(), Runs: runs, Job: job,
		RunSummary: summary, Failures: failures, Import: imp,
	}})
	return nil
}

// articleView is what article.html renders: the article with its segments side by side, and
// its translation runs.
type articleView struct {
	Article  translate.Article
	Progress progressView
	Segments []segmentView
	// Rows are the segments rendered by the "segment" template (renderRows).
	Rows  []template.HTML
	Draft bool // the backend writes offline drafts only
	Runs  []translate.Report
	Job   pipeline.JobStatus
	// RunSummary and Failures are the outcome of the last run, shown while no run is going.
	RunSummary string
	Failures   []failureView
	// Import is an XLIFF file coming back into the article: its preview, or why it was refused.
	Import *exportImportView
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

// parallelRows is the least number of rows renderRows shares out among the processors.
const parallelRows = 64

// renderRows renders each view with the "segment" template, the rows of the page, in order,
// taking the rows that have not changed from the row cache. The rows of a long article are
// rendered in as many contiguous parts as there are processors, at once: a row is
// independent of the others, and html/template spends its time on the rows
// (BenchmarkArticlePage200). Each row stays a string of its own, a cached one as it is, so
// the page never copies them all into one.
func (s *Server) renderRows(views []segmentView) ([]template.HTML, error) {
	rows := make([]template.HTML, len(views))
	parts := min(runtime.GOMAXPROCS(0), max(1, len(views)/parallelRows))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		render := func() {
			var w strings.Builder
			var key []byte
			lo, hi := p*len(views)/parts, (p+1)*len(views)/parts
			for i := lo; i < hi && errs[p] == nil; i++ {
				rows[i], key, errs[p] = s.renderRow(&w, &views[i], key, hi-i)
			}
		}
		if p == parts-1 {
			render() // this goroutine takes the last part
			continue
		}
		wg.Go(render)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("render the rows: %w", err)
	}
	return rows, nil
}

// renderRow is v's row, from the row cache when it has it, else rendered into w (which
// rows rendered one after another share, left rows to go); buf is the cache key's buffer,
// returned for the next row.
func (s *Server) renderRow(w *strings.Builder, v *segmentView, buf []byte, left int) (template.HTML, []byte, error) {
	var k rowKey
	ok := false
	if s.rows != nil {
		if k, buf, ok = s.rows.key(v, buf); ok {
			if html, hit := s.rows.get(k); hit {
				return template.HTML(html), buf, nil
			}
		}
	}
	if w.Cap() == 0 {
		w.Grow(min(left, 32) * rowBytes) // room for the next rows at once, rather than doubling up to it
	}
	start := w.Len()
	if err := s.tmpl["article.html"].ExecuteTemplate(w, "segment", v); err != nil {
		return "", buf, err
	}
	row := w.String()[start:]
	if ok {
		// A copy: a cached row must not keep the other rows' buffer alive.
		s.rows.put(k, strings.Clone(row))
	}
	return template.HTML(row), buf, nil
}

// rowBytes is about the size of a rendered row, to size a buffer of rows at once.
const rowBytes = 2560

// segmentViews are the rows of segs, each highlighted in one pass of the glossary matcher.
func (s *Server) segmentViews(ctx context.Context, segs []translate.Segment) ([]segmentView, error) {
	m, err := s.cfg.Glossary.Matcher(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]segmentView, len(segs))
	var buf strings.Builder
	for i, g := range segs {
		out[i] = newSegmentView(g, m, &buf)
		out[i].NewParagraph = i > 0 && g.Paragraph != segs[i-1].Paragraph
	}
	return out, nil
}

// sourceHTML is a segment's Arabic as the page shows it, escaped, each glossary hit of m in a
// focusable mark whose tooltip (data-tip, and a hidden text the mark's aria-describedby names
// for screen readers) gives the term's English, its note, and for a spelling variant the
// term's Arabic. It is written here rather than in the template: a row of the page holds
// several hits, and html/template spends some fifteen reflective calls on each, more than
// on the rest of the row (BenchmarkArticlePage200). buf is reused from row to row; id makes
// the hidden texts' ids unique on the page.
func sourceHTML(buf *strings.Builder, m *glossary.Matcher, id int64, text string) template.HTML {
	matches := m.Match(text)
	if len(matches) == 0 {
		return template.HTML(template.HTMLEscapeString(text))
	}
	buf.Reset()
	buf.Grow(len(text) + 160*len(matches))
	var num [20]byte
	idPart := string(strconv.AppendInt(num[:0], id, 10))
	pos, at := 0, 0 // pos in code points, at in bytes: the same place in text
	for i := range matches {
		mt := &matches[i]
		if mt.Start < pos || mt.Start >= mt.End {
			continue // overlapping or empty: never trust offsets blindly
		}
		start := advance(text, at, mt.Start-pos)
		end := advance(text, start, mt.End-mt.Start)
		if end < 0 || start < 0 {
			break // out of range
		}
		writeEscaped(buf, text[at:start])
		note := ""
		if t, ok := m.Term(mt.TermID); ok {
			note = t.Note
		}
		buf.WriteString(`<mark class="term`)
		if mt.Variant {
			buf.WriteString(` variant`)
		}
		buf.WriteString(`" tabindex="0" data-term="`)
		buf.Write(strconv.AppendInt(num[:0], mt.TermID, 10))
		buf.WriteString(`" data-tip="`)
		writeTip(buf, mt, note)
		buf.WriteString(`" aria-describedby="tip-`)
		buf.WriteString(idPart)
		buf.WriteByte('-')
		buf.Write(strconv.AppendInt(num[:0], int64(i), 10))
		buf.WriteString(`">`)
		writeEscaped(buf, text[start:end])
		buf.WriteString(`</mark><span class="tip-text" id="tip-`)
		buf.WriteString(idPart)
		buf.WriteByte('-')
		buf.Write(strconv.AppendInt(num[:0], int64(i), 10))
		buf.WriteString(`" lang="en" dir="ltr" hidden>`)
		writeTip(buf, mt, note)
		buf.WriteString(`</span>`)
		pos, at = mt.End, end
	}
	writeEscaped(buf, text[at:])
	return template.HTML(buf.String())
}

// advance returns the byte offset n code points after byte offset at in text, or -1 when
// text ends before.
func advance(text string, at, n int) int {
	for ; n > 0; n-- {
		if at >= len(text) {
			return -1
		}
		_, w := utf8.DecodeRuneInString(text[at:])
		at += w
	}
	return at
}

// writeTip writes a hit's tooltip, escaped: the term's English, its note, and for a spelling
// variant the term's own Arabic.
func writeTip(buf *strings.Builder, mt *glossary.Match, note string) {
	writeEscaped(buf, mt.English)
	if note != "" {
		buf.WriteString(" — ")
		writeEscaped(buf, note)
	}
	if mt.Variant {
		buf.WriteString(" (spelling variant of ")
		writeEscaped(buf, mt.Arabic)
		buf.WriteString(")")
	}
}

// writeEscaped writes s escaped for HTML text and quoted attribute values, as html/template
// escapes them: & < > " ' and NUL.
func writeEscaped(buf *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case 0:
			esc = "\uFFFD"
		default:
			continue
		}
		buf.WriteString(s[last:i])
		buf.WriteString(esc)
		last = i + 1
	}
	buf.WriteString(s[last:])
}
