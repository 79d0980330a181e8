package web

import (
	"encoding/json"
	"errors"
	"html"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// qaView is the quality checks' part of a segment row: the findings on the text in the
// editor, with the texts their spans mark, for the list under the English and the marks in
// both texts (app.js places them from the data-src and data-tgt spans).
type qaView struct {
	SegmentID int64
	Findings  []findingView
	Open      int  // findings no reviewer has ignored
	Errors    int  // open findings of error severity: approving needs them ignored
	Refused   bool // an approval was just refused over the open errors
}

// findingView is one finding as the row lists it, its fields worked out once: a page may list
// hundreds, and the template reads each field several times.
type findingView struct {
	Check    string
	Severity qa.Severity
	Message  string
	Error    bool // blocks approval while open
	Ignored  bool
	// Src and Tgt are the spans as "start,end" for app.js, "" when the finding marks nothing
	// in that text; SourceText and TargetText the marked text.
	Src, Tgt               string
	SourceText, TargetText string
	// Ignore is the JSON the Ignore button sends besides the row's form (hx-vals).
	Ignore string
	// Item is the finding's entry in the list (itemHTML).
	Item template.HTML
}

// itemHTML is the finding's list item: severity in words, check, message, the texts its
// spans mark, and its Ignore button (or "ignored"). It is written here rather than in the
// template because an article page may list hundreds of findings, and html/template's escaping
// of each action made them cost more than the rest of the page (BenchmarkArticlePage200).
// Every text goes through html.EscapeString, which escapes <, >, &, ' and ", so it is safe
// in element content and in quoted attribute values alike.
func (f findingView) itemHTML(segID int64, i int) template.HTML {
	esc := html.EscapeString
	id := "qa-" + strconv.FormatInt(segID, 10) + "-" + strconv.Itoa(i)
	var b strings.Builder
	b.WriteString(`<li class="qa-finding qa-` + esc(string(f.Severity)))
	if f.Ignored {
		b.WriteString(" qa-ignored")
	}
	b.WriteString(`" id="` + id + `" data-check="` + esc(f.Check) + `"`)
	if f.Src != "" {
		b.WriteString(` data-src="` + f.Src + `"`)
	}
	if f.Tgt != "" {
		b.WriteString(` data-tgt="` + f.Tgt + `"`)
	}
	b.WriteString(">\n      ")
	if f.Error {
		b.WriteString(`<span class="qa-sev"><span aria-hidden="true">✖</span> Error</span>`)
	} else {
		b.WriteString(`<span class="qa-sev"><span aria-hidden="true">⚠</span> Warning</span>`)
	}
	b.WriteString(` <code class="qa-check">` + esc(f.Check) + `</code>: <span class="qa-msg">` + esc(f.Message) + `</span>`)
	if f.SourceText != "" {
		b.WriteString(` <span class="qa-where">Arabic: <q lang="ar" dir="rtl">` + esc(f.SourceText) + `</q></span>`)
	}
	if f.TargetText != "" {
		b.WriteString(` <span class="qa-where">English: <q>` + esc(f.TargetText) + `</q></span>`)
	}
	if f.Ignored {
		b.WriteString(` <span class="qa-ignored-label">ignored</span>`)
	} else {
		b.WriteString(` <button type="button" class="qa-ignore" hx-post="/segments/` + strconv.FormatInt(segID, 10) + `/ignore" hx-vals="` +
			esc(f.Ignore) + `" aria-describedby="` + id + `">Ignore</button>`)
	}
	b.WriteString("\n    </li>")
	return template.HTML(b.String()) // every text above is escaped
}

// newQAView lays out a segment's findings on source and target (the texts they were found on).
func newQAView(id int64, source, target string, fs []store.Finding) qaView {
	v := qaView{SegmentID: id, Findings: make([]findingView, len(fs))}
	var src, tgt []rune
	if len(fs) > 0 {
		src, tgt = []rune(source), []rune(target)
	}
	for i, f := range fs {
		ignore, _ := json.Marshal(map[string]string{"check": f.Check, "message": f.Message})
		fv := findingView{Check: f.Check, Severity: f.Severity, Message: f.Message, Error: f.Severity == qa.Error, Ignored: f.Ignored, Ignore: string(ignore)}
		fv.Src, fv.SourceText = spanOf(src, f.Source)
		fv.Tgt, fv.TargetText = spanOf(tgt, f.Target)
		fv.Item = fv.itemHTML(id, i)
		v.Findings[i] = fv
		if !f.Ignored {
			v.Open++
			if fv.Error {
				v.Errors++
			}
		}
	}
	return v
}

// spanOf is a span as "start,end" and the text it marks; an empty or out-of-range span is "".
func spanOf(text []rune, sp [2]int) (string, string) {
	if sp[0] < 0 || sp[1] <= sp[0] || sp[1] > len(text) {
		return "", ""
	}
	return strconv.Itoa(sp[0]) + "," + strconv.Itoa(sp[1]), string(text[sp[0]:sp[1]])
}

// checkSummary counts an article's open findings per check, for the line above its segments.
type checkSummary struct {
	Check            string
	Errors, Warnings int
}

// summarizeChecks counts the open findings of the article's rows, in the checks' own order.
func summarizeChecks(views []segmentView) []checkSummary {
	by := map[string]*checkSummary{}
	for _, v := range views {
		for _, f := range v.QA.Findings {
			if f.Ignored {
				continue
			}
			c := by[f.Check]
			if c == nil {
				c = &checkSummary{Check: f.Check}
				by[f.Check] = c
			}
			if f.Severity == qa.Error {
				c.Errors++
			} else {
				c.Warnings++
			}
		}
	}
	order := map[string]int{}
	for i, n := range qa.Names() {
		order[n] = i
	}
	out := make([]checkSummary, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].Check] < order[out[j].Check] })
	return out
}

// segmentCheck is the editor's check as the reviewer types (htmx, debounced): the findings of
// the text in the box, as the row's findings list.
func (s *Server) segmentCheck(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return badRequest("form: %w", err)
	}
	target, ok := c.GetPostForm("target")
	if !ok {
		return badRequest("target: required (the English in the editor)")
	}
	if err := checkTargetText(target); err != nil {
		return err
	}
	seg, fs, err := s.cfg.Articles.CheckSegment(c.Request.Context(), id, &target)
	if err != nil {
		return err
	}
	s.renderTemplate(c, "article.html", "qa", newQAView(seg.ID, seg.Source, target, fs))
	return nil
}

// segmentIgnore is the Ignore button of a finding: the finding (check, message) of the text in
// the box is ignored on the segment, and the row's findings list comes back.
func (s *Server) segmentIgnore(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return badRequest("form: %w", err)
	}
	target := c.PostForm("target")
	seg, fs, err := s.cfg.Articles.Ignore(c.Request.Context(), id, target, c.PostForm("check"), c.PostForm("message"), reviewerName(c))
	if err != nil {
		return err
	}
	if target == "" {
		target = seg.Target
	}
	s.renderTemplate(c, "article.html", "qa", newQAView(seg.ID, seg.Source, target, fs))
	return nil
}

// checkTargetText refuses an English the store would refuse to save.
func checkTargetText(target string) error {
	if len(target) > translate.MaxTargetBytes {
		return translate.ErrInvalid.Errorf("target: over %d bytes", translate.MaxTargetBytes)
	}
	if !utf8.ValidString(target) {
		return badRequest("target: not valid UTF-8")
	}
	return nil
}

// checkRequest is the body of POST /api/check.
type checkRequest struct {
	Source *string `json:"source"`
	Target *string `json:"target"`
}

// apiCheck runs the quality checks on a pair with the database's glossary: {"source",
// "target"} → the JSON array of findings (the contract `tarjama check --pairs` writes).
func (s *Server) apiCheck(c *gin.Context) error {
	var req checkRequest
	if err := bindJSON(c, &req, `{"source", "target"}`); err != nil {
		return err
	}
	if req.Source == nil || req.Target == nil {
		return badRequest(`body: expected JSON {"source", "target"}, both strings`)
	}
	if len(*req.Source) > translate.MaxArticleBytes {
		return translate.ErrInvalid.Errorf("source: over %d bytes", translate.MaxArticleBytes)
	}
	if err := checkTargetText(*req.Target); err != nil {
		return err
	}
	fs, err := s.cfg.Articles.Check(c.Request.Context(), *req.Source, *req.Target)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []qa.Finding{}
	}
	c.JSON(http.StatusOK, fs)
	return nil
}

// apiSegmentCheck runs the checks on a segment with {"target"} as its English (the stored
// English without a body or without a target): the findings, ignored ones marked.
func (s *Server) apiSegmentCheck(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Target *string `json:"target"`
	}
	body, err := optionalJSON(c)
	if err != nil {
		return err
	}
	if body != nil {
		if err := bindJSON(c, &req, `{"target"}, or no body`); err != nil {
			return err
		}
	}
	if req.Target != nil {
		if err := checkTargetText(*req.Target); err != nil {
			return err
		}
	}
	_, fs, err := s.cfg.Articles.CheckSegment(c.Request.Context(), id, req.Target)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []store.Finding{}
	}
	c.JSON(http.StatusOK, fs)
	return nil
}

// apiSegmentIgnore ignores a finding on a segment: {"check", "message"} as a finding names
// them, and optionally {"target"}, the text it was found on (the stored English otherwise).
// The answer is the segment and its findings on that text.
func (s *Server) apiSegmentIgnore(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Check   string `json:"check"`
		Message string `json:"message"`
		Target  string `json:"target"`
	}
	if err := bindJSON(c, &req, `{"check", "message"} of a finding, and optionally {"target"}`); err != nil {
		return err
	}
	if req.Check == "" || req.Message == "" {
		return badRequest(`body: expected JSON {"check", "message"} of a finding, as POST /api/segments/:id/check gives them`)
	}
	seg, fs, err := s.cfg.Articles.Ignore(c.Request.Context(), id, req.Target, req.Check, req.Message, reviewerName(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"segment": seg, "findings": fs})
	return nil
}

// approvalRefused is the row an approval refused over open errors answers with (htmx): the
// reviewer's text stays in the box, the findings of that text are listed with their Ignore
// buttons, and the notice says why.
func (s *Server) approvalRefused(c *gin.Context, id int64, target string, qe *store.QAError) error {
	ctx := c.Request.Context()
	seg, err := s.cfg.Articles.Segment(ctx, id)
	if err != nil {
		return err
	}
	if target == "" {
		target = seg.Target
	}
	views, err := s.segmentViews(ctx, []translate.Segment{seg})
	if err != nil {
		return err
	}
	v := views[0]
	_, fs, err := s.cfg.Articles.CheckSegment(ctx, id, &target)
	if err != nil {
		return err
	}
	v.Target = target
	v.QA = newQAView(id, seg.Source, target, fs)
	v.QA.Refused = true
	v.NewParagraph = c.PostForm("para") == "1"
	s.log.Info("approval refused over open findings", "segment", id, "errors", len(qe.Findings))
	c.Status(http.StatusConflict)
	s.renderTemplate(c, "article.html", "segment", v)
	return nil
}

// qaRefusal reports whether err refuses an approval over open findings.
func qaRefusal(err error) (*store.QAError, bool) {
	var qe *store.QAError
	return qe, errors.As(err, &qe)
}
