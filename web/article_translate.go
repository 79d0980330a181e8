package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// runOptions reads the translate form or query: retranslate and fresh (skip the cache). The
// run is recorded as started by the reviewer asking for it. A value other than on or off is a
// 400, not a silent "off".
func runOptions(c *gin.Context) (pipeline.RunOptions, error) {
	opt := pipeline.RunOptions{User: reviewerName(c)}
	for name, dst := range map[string]*bool{"retranslate": &opt.Retranslate, "fresh": &opt.NoCache} {
		v := c.PostForm(name)
		if v == "" {
			v = c.Query(name)
		}
		on, err := optionValue(name, v)
		if err != nil {
			return opt, err
		}
		*dst = on
	}
	return opt, nil
}

// optionValue reads an on/off option as forms, queries and scripts write it.
func optionValue(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "off":
		return false, nil
	case "1", "true", "on":
		return true, nil
	}
	return false, badRequest("%s: %q is neither on nor off (use 1 or 0)", name, v)
}

// articleTranslate starts a background run and sends the reviewer back to the article, where
// the page follows the run live.
func (s *Server) articleTranslate(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Articles.ArticleProgress(c.Request.Context(), id); err != nil {
		return err
	}
	opt, err := runOptions(c)
	if err != nil {
		return err
	}
	msg := ""
	if err := s.cfg.MT.Start(id, opt); err != nil {
		if !errors.Is(err, translate.ErrConflict) {
			return err
		}
		msg = "A translation of this article is already running."
	}
	target := fmt.Sprintf("/articles/%d", id)
	if msg == "" {
		c.Redirect(http.StatusSeeOther, target)
		return nil
	}
	redirectWithFlash(c, target, msg)
	return nil
}

func (s *Server) articleTranslateCancel(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	msg := "No translation was running."
	if s.cfg.MT.Cancel(id) {
		msg = "Translation cancelled; everything finished so far is kept."
	}
	if isHTMX(c) || isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"message": msg})
		return nil
	}
	redirectWithFlash(c, fmt.Sprintf("/articles/%d", id), msg)
	return nil
}

// sseEvent is what the page receives for every step of a run: the event, and for a
// segment event the row rendered as the page shows it.
type sseEvent struct {
	pipeline.Event
	HTML    string `json:"html,omitempty"`
	Summary string `json:"summary,omitempty"` // the done event's one-line report
	// ProgressHTML is the article's counts line as stored now, sent with every segment and
	// done event so that the counts at the top follow the run.
	ProgressHTML string `json:"progress_html,omitempty"`
}

func newSSEEvent(ev pipeline.Event) sseEvent {
	out := sseEvent{Event: ev}
	if ev.Report != nil {
		out.Summary = ev.Report.String()
	}
	return out
}

// articleEvents streams an article's run as server-sent events until it ends or the page
// goes away. An article with no run gets a single "idle" event. While no event comes, a
// comment goes out every StreamKeepAlive (proxies keep the stream open, and a gone client is
// noticed); each event must be written within the write deadline, so a page that stops
// reading is cut off; and after StreamMaxLife the stream ends with a "reconnect" event, on
// which the page's EventSource connects again and carries on from the run's latest event.
func (s *Server) articleEvents(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	last, events, stop, ok := s.cfg.MT.Follow(id)
	defer stop()
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	// How soon the browser reconnects after the stream ends: at once, not its default 3 s.
	if _, err := fmt.Fprintf(c.Writer, "retry: %d\n\n", sseRetry.Milliseconds()); err != nil {
		return nil
	}
	if !ok {
		// The run ended before the page got here: replay its final event so the page can
		// show the outcome and refresh its rows.
		if last.Kind == pipeline.EventDone {
			if s.sendEvent(c.Writer, string(last.Kind), s.liveEvent(c, id, last)) != nil {
				return nil
			}
		}
		s.sendEvent(c.Writer, "idle", gin.H{"article_id": id})
		return nil
	}
	if s.sendEvent(c.Writer, string(last.Kind), s.liveEvent(c, id, last)) != nil {
		return nil
	}
	keepAlive := time.NewTicker(s.conns.StreamKeepAlive)
	defer keepAlive.Stop()
	life := time.NewTimer(s.conns.StreamMaxLife)
	defer life.Stop()
	for {
		var err error
		select {
		case <-c.Request.Context().Done():
			return nil
		case <-life.C:
			s.sendEvent(c.Writer, "reconnect", gin.H{"article_id": id})
			return nil
		case <-keepAlive.C:
			_, err = io.WriteString(c.Writer, ": keep-alive\n\n")
			c.Writer.Flush()
		case ev, open := <-events:
			if !open {
				// The run ended, or this follower fell too far behind and was dropped: then
				// the page reloads to catch up.
				kind := "end"
				if st, ok := s.cfg.MT.Status(id); ok && st.Running {
					kind = "lagged"
				}
				s.sendEvent(c.Writer, kind, gin.H{"article_id": id})
				return nil
			}
			err = s.sendEvent(c.Writer, string(ev.Kind), s.liveEvent(c, id, ev))
		}
		if err != nil {
			// The page went away or stopped reading past the write deadline.
			return nil
		}
	}
}

// sseRetry is the reconnection delay the live-progress stream asks of the browser.
const sseRetry = 500 * time.Millisecond

// liveEvent is ev as the page receives it: a segment event with its row rendered, and
// segment and done events with the article's counts line.
func (s *Server) liveEvent(c *gin.Context, articleID int64, ev pipeline.Event) sseEvent {
	out := newSSEEvent(ev)
	if ev.Kind == pipeline.EventSegment && ev.Segment != nil {
		out.HTML = s.segmentHTML(c, *ev.Segment)
	}
	if ev.Kind == pipeline.EventSegment || ev.Kind == pipeline.EventDone {
		out.ProgressHTML = s.progressHTML(c, articleID)
	}
	return out
}

// progressHTML renders the article's counts line as the page shows it at the top.
func (s *Server) progressHTML(c *gin.Context, articleID int64) string {
	pr, err := s.cfg.Articles.ArticleProgress(c.Request.Context(), articleID)
	if err != nil {
		s.log.Warn("render live progress", "article", articleID, "err", err)
		return ""
	}
	var buf bytes.Buffer
	if err := s.tmpl["article.html"].ExecuteTemplate(&buf, "progress", progressView{Progress: pr}); err != nil {
		s.log.Error("render live progress", "article", articleID, "err", err)
		return ""
	}
	return buf.String()
}

// sendEvent writes one server-sent event and flushes it; an error means the stream is
// broken (the client left, or did not read it before the write deadline).
func (s *Server) sendEvent(w gin.ResponseWriter, kind string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		s.log.Error("encode event", "err", err)
		return nil
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, data); err != nil {
		return err
	}
	return http.NewResponseController(w).Flush()
}

// segmentHTML renders one segment row as the article page would.
func (s *Server) segmentHTML(c *gin.Context, g translate.Segment) string {
	views, err := s.segmentViews(c.Request.Context(), []translate.Segment{g})
	if err != nil {
		s.log.Warn("render live segment", "segment", g.ID, "err", err)
		return ""
	}
	var buf bytes.Buffer
	if err := s.tmpl["article.html"].ExecuteTemplate(&buf, "segment", views[0]); err != nil {
		s.log.Error("render live segment", "segment", g.ID, "err", err)
		return ""
	}
	return buf.String()
}

// translateRequest is what POST /api/articles/:id/translate accepts, in the JSON body or as
// query parameters (?fresh=1); every option is off unless given.
type translateRequest struct {
	Retranslate bool `json:"retranslate"` // also redo machine and memory translations
	Fresh       bool `json:"fresh"`       // ask the backend even when the cache has an answer
	Async       bool `json:"async"`       // start in the background and answer 202 at once
}

// translateAccepts names the options for error messages.
const translateAccepts = `accepted: "retranslate", "fresh" (skip the cache) and "async", each true or false`

// readTranslateRequest reads the options of an API translation. Anything it does not know —
// a field such as "backend" or "model", a query parameter, a value that is not true or false,
// a second JSON value — is a 400 naming it: ignoring it would run the configured backend while
// the caller believes it asked for something else.
func readTranslateRequest(c *gin.Context) (translateRequest, error) {
	var req translateRequest
	for name, values := range c.Request.URL.Query() {
		var dst *bool
		switch name {
		case "retranslate":
			dst = &req.Retranslate
		case "fresh":
			dst = &req.Fresh
		case "async":
			dst = &req.Async
		default:
			return req, badRequest("unknown query parameter %q; %s", name, translateAccepts)
		}
		for _, v := range values {
			on, err := optionValue(name, v)
			if err != nil {
				return req, err
			}
			*dst = *dst || on
		}
	}
	data, err := optionalJSON(c)
	if err != nil || data == nil {
		return req, err // no body: the query says it all
	}
	var body translateRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return req, translateBodyError(data, err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return req, badRequest("body: one JSON object expected, but more follows it; %s", translateAccepts)
	}
	req.Retranslate = req.Retranslate || body.Retranslate
	req.Fresh = req.Fresh || body.Fresh
	req.Async = req.Async || body.Async
	return req, nil
}

// translateBodyError says what was wrong with a translate request body that would not
// decode with err.
func translateBodyError(data []byte, err error) error {
	var ute *json.UnmarshalTypeError
	switch {
	case errors.As(err, &ute) && ute.Field != "":
		return badRequest("body: field %q must be true or false, not a JSON %s", ute.Field, ute.Value)
	case errors.As(err, &ute):
		return badRequest("body: expected a JSON object, not a JSON %s; %s", ute.Value, translateAccepts)
	}
	if name := unknownField(data); name != "" {
		return badRequest("body: unknown field %q; %s", name, translateAccepts)
	}
	return badRequest("body: expected a JSON object {\"retranslate\", \"fresh\", \"async\"}: %w", err)
}

// unknownField returns the first name (in sorted order) of a field of the JSON object data
// that translateRequest does not have, matched as encoding/json matches names (ignoring
// case), or "" when there is none or data is not a JSON object.
func unknownField(data []byte) string {
	var fields map[string]json.RawMessage
	if json.NewDecoder(bytes.NewReader(data)).Decode(&fields) != nil {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		known := false
		for _, f := range []string{"retranslate", "fresh", "async"} {
			known = known || strings.EqualFold(name, f)
		}
		if !known {
			return name
		}
	}
	return ""
}

// apiArticleTranslate runs a translation and answers with its report; with async it starts
// a background run and answers 202 at once (follow it with GET on the same path).
func (s *Server) apiArticleTranslate(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Articles.ArticleProgress(c.Request.Context(), id); err != nil {
		return err
	}
	req, err := readTranslateRequest(c)
	if err != nil {
		return err
	}
	opt := pipeline.RunOptions{Retranslate: req.Retranslate, NoCache: req.Fresh, User: reviewerName(c)}
	if req.Async {
		if err := s.cfg.MT.Start(id, opt); err != nil {
			return err
		}
		c.JSON(http.StatusAccepted, gin.H{"status": "started", "follow": fmt.Sprintf("/api/articles/%d/translate", id)})
		return nil
	}
	rep, err := s.cfg.MT.Run(c.Request.Context(), id, opt)
	if err != nil {
		if errors.Is(err, translate.ErrConflict) {
			return err
		}
		return httpError(http.StatusBadGateway, "translation failed: %w", err)
	}
	c.JSON(http.StatusOK, gin.H{"summary": rep.String(), "report": rep, "backend": s.cfg.MT.Describe()})
	return nil
}

func (s *Server) apiArticleTranslateStatus(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, ok := s.cfg.MT.Status(id)
	if !ok {
		c.JSON(http.StatusOK, gin.H{"running": false})
		return nil
	}
	c.JSON(http.StatusOK, st)
	return nil
}

func (s *Server) apiArticleRuns(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Articles.ArticleProgress(c.Request.Context(), id); err != nil {
		return err
	}
	runs, err := s.cfg.Articles.Runs(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []translate.Report{}
	}
	c.JSON(http.StatusOK, gin.H{"runs": runs})
	return nil
}
