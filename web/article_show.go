package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"runtime"
	"slices"
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
	// QA is the quality checks' findings on the English shown; ShownFlags the flags the
	// findings do not already say (a failed run's reason).
	QA         qaView
	ShownFlags []string
	// Notice says what the text rule removed from the reviewer's text as it was saved.
	Notice string
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
	rows, checks, err := s.articleRows(ctx, segs)
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
		Article: a, Progress: progressView{Progress: a.Progress}, Rows: rows, Draft: s.cfg.MT.Draft(), Runs: runs, Job: job,
		RunSummary: summary, Failures: failures, Import: imp, Checks: checks,
	}})
	return nil
}

// articleView is what article.html renders: the article with its segments side by side, and
// its translation runs.
type articleView struct {
	Article  translate.Article
	Progress progressView
	// Rows are the segments rendered by the "segment" template (articleRows).
	Rows  []template.HTML
	Draft bool // the backend writes offline drafts only
	Runs  []translate.Report
	Job   pipeline.JobStatus
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

// parallelRows is the least number of rows renderRows shares out among the processors.
const parallelRows = 64

// articleRows are the rows of the article page for segs (an article's segments, in order),
// and the article's open findings per check: the rows that have not changed since they were
// last shown come from the row cache (rowCache); only the others are built (segment views,
// their Arabic marked, their English checked) and rendered.
func (s *Server) articleRows(ctx context.Context, segs []translate.Segment) ([]template.HTML, []checkSummary, error) {
	rows := make([]template.HTML, len(segs))
	counts := make([][]checkSummary, len(segs))
	newPara := make([]bool, len(segs))
	for i, g := range segs {
		newPara[i] = i > 0 && g.Paragraph != segs[i-1].Paragraph
	}
	var (
		gen   rowGen
		keys  []rowKey
		keyed []bool
		miss  []int
	)
	if s.rows == nil {
		miss = make([]int, len(segs))
		for i := range segs {
			miss[i] = i
		}
	} else {
		var err error
		if gen.matcher, err = s.cfg.Glossary.Matcher(ctx); err != nil {
			return nil, nil, err
		}
		if gen.checker, err = s.cfg.Articles.Checker(ctx); err != nil {
			return nil, nil, err
		}
		ignores, err := s.cfg.Articles.Ignores(ctx, segs)
		if err != nil {
			return nil, nil, err
		}
		s.rows.use(gen)
		keys, keyed = make([]rowKey, len(segs)), make([]bool, len(segs))
		var buf []byte
		for i, g := range segs {
			in := rowInput{Segment: g, NewParagraph: newPara[i], Ignored: slices.Sorted(maps.Keys(ignores[g.ID]))}
			keys[i], buf, keyed[i] = s.rows.key(&in, buf)
			if keyed[i] {
				if e, hit := s.rows.get(gen, keys[i]); hit {
					rows[i], counts[i] = template.HTML(e.html), e.checks
					continue
				}
			}
			miss = append(miss, i)
		}
	}
	if len(miss) > 0 {
		missed, paras := make([]translate.Segment, len(miss)), make([]bool, len(miss))
		for j, i := range miss {
			missed[j], paras[j] = segs[i], newPara[i]
		}
		views, err := s.buildViews(ctx, missed, paras)
		if err != nil {
			return nil, nil, err
		}
		html, err := s.renderViews(views)
		if err != nil {
			return nil, nil, err
		}
		for j, i := range miss {
			rows[i], counts[i] = html[j], rowChecks(&views[j])
			if s.rows != nil && keyed[i] {
				// A copy: a cached row must not keep the other rows' buffer alive.
				s.rows.put(gen, keys[i], rowEntry{html: strings.Clone(string(html[j])), checks: counts[i]})
			}
		}
	}
	return rows, summarizeChecks(counts), nil
}

// renderViews renders each view with the "segment" template, in order. The rows of a long
// article are rendered in as many contiguous parts as there are processors, at once: a row
// is independent of the others, and html/template spends its time on the rows
// (BenchmarkArticlePage200). Each row is a string of its own, in its part's buffer.
func (s *Server) renderViews(views []segmentView) ([]template.HTML, error) {
	rows := make([]template.HTML, len(views))
	t := s.tmpl["article.html"]
	parts := min(runtime.GOMAXPROCS(0), max(1, len(views)/parallelRows))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		render := func() {
			lo, hi := p*len(views)/parts, (p+1)*len(views)/parts
			var w strings.Builder
			w.Grow((hi - lo) * rowBytes)
			for i := lo; i < hi; i++ {
				start := w.Len()
				if errs[p] = t.ExecuteTemplate(&w, "segment", &views[i]); errs[p] != nil {
					return
				}
				rows[i] = template.HTML(w.String()[start:])
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

// rowBytes is about the size of a rendered row, to size a buffer of rows at once.
const rowBytes = 4096

// segmentViews are the rows of segs, each highlighted in one pass of the glossary matcher
// and checked by the quality checks; a segment starts a paragraph when the one before it in
// segs is of another.
func (s *Server) segmentViews(ctx context.Context, segs []translate.Segment) ([]segmentView, error) {
	newPara := make([]bool, len(segs))
	for i, g := range segs {
		newPara[i] = i > 0 && g.Paragraph != segs[i-1].Paragraph
	}
	return s.buildViews(ctx, segs, newPara)
}

// buildViews are the rows of segs, the i-th starting a paragraph when newPara[i]. What a
// row shows must come from its segment, its paragraph start, the glossary matcher, the
// quality checker and its ignored findings: the row cache knows a row by those (rowInput).
func (s *Server) buildViews(ctx context.Context, segs []translate.Segment, newPara []bool) ([]segmentView, error) {
	m, err := s.cfg.Glossary.Matcher(ctx)
	if err != nil {
		return nil, err
	}
	found, err := s.cfg.Articles.Findings(ctx, segs)
	if err != nil {
		return nil, err
	}
	out := make([]segmentView, len(segs))
	var buf strings.Builder
	for i, g := range segs {
		out[i] = newSegmentView(g, m, &buf)
		out[i].NewParagraph = newPara[i]
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
