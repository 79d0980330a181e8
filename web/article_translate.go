package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

// runOptions reads the translate form or query: retranslate and fresh (skip the cache). The
// run is recorded as started by the reviewer asking for it.
func runOptions(c *gin.Context) translate.RunOptions {
	on := func(k string) bool {
		v := c.PostForm(k)
		if v == "" {
			v = c.Query(k)
		}
		return v == "1" || v == "on" || v == "true"
	}
	return translate.RunOptions{Retranslate: on("retranslate"), NoCache: on("fresh"), User: reviewerName(c)}
}

// articleTranslate starts a background run and sends the reviewer back to the article, where
// the page follows the run live.
func (s *Server) articleTranslate(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Articles.Article(c.Request.Context(), id); err != nil {
		return err
	}
	msg := ""
	if err := s.cfg.MT.Start(id, runOptions(c)); err != nil {
		if !errors.Is(err, translate.ErrConflict) {
			return err
		}
		msg = "A translation of this article is already running."
	}
	target := fmt.Sprintf("/articles/%d", id)
	if msg != "" {
		target += "?msg=" + url.QueryEscape(msg)
	}
	c.Redirect(http.StatusSeeOther, target)
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
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d?msg=%s", id, url.QueryEscape(msg)))
	return nil
}

// sseEvent is what the page receives for every step of a run: the event, and for a
// segment event the row rendered as the page shows it.
type sseEvent struct {
	translate.Event
	HTML    string `json:"html,omitempty"`
	Summary string `json:"summary,omitempty"` // the done event's one-line report
}

func newSSEEvent(ev translate.Event) sseEvent {
	out := sseEvent{Event: ev}
	if ev.Report != nil {
		out.Summary = ev.Report.String()
	}
	return out
}

// articleEvents streams an article's run as server-sent events until it ends or the page
// goes away. An article with no run gets a single "idle" event.
func (s *Server) articleEvents(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	last, events, stop, ok := s.cfg.MT.Follow(id)
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	if !ok {
		// The run ended before the page got here: replay its final event so the page can
		// show the outcome and refresh its rows.
		if last.Kind == translate.EventDone {
			s.sendEvent(c.Writer, string(last.Kind), newSSEEvent(last))
		}
		s.sendEvent(c.Writer, "idle", gin.H{"article_id": id})
		return nil
	}
	defer stop()
	s.sendEvent(c.Writer, string(last.Kind), newSSEEvent(last))
	for {
		select {
		case <-c.Request.Context().Done():
			return nil
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
			out := newSSEEvent(ev)
			if ev.Kind == translate.EventSegment && ev.Segment != nil {
				out.HTML = s.segmentHTML(c, *ev.Segment)
			}
			s.sendEvent(c.Writer, string(ev.Kind), out)
		}
	}
}

func (s *Server) sendEvent(w gin.ResponseWriter, kind string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		s.log.Error("encode event", "err", err)
		return
	}
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, data)
	w.Flush()
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

// apiArticleTranslate runs a translation and answers with its report; with async=1 it starts
// a background run and answers 202 at once (follow it with GET on the same path).
func (s *Server) apiArticleTranslate(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.Articles.Article(c.Request.Context(), id); err != nil {
		return err
	}
	var body struct {
		Retranslate bool `json:"retranslate"`
		Fresh       bool `json:"fresh"`
		Async       bool `json:"async"`
	}
	if c.Request.ContentLength > 0 {
		if err := c.ShouldBindJSON(&body); err != nil && !errors.Is(err, io.EOF) {
			return badRequest("body: expected JSON {\"retranslate\", \"fresh\", \"async\"}: %v", err)
		}
	}
	opt := runOptions(c)
	opt.Retranslate = opt.Retranslate || body.Retranslate
	opt.NoCache = opt.NoCache || body.Fresh
	if body.Async || c.Query("async") == "1" {
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
		return &statusError{http.StatusBadGateway, "translation failed: " + err.Error()}
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
	if _, err := s.cfg.Articles.Article(c.Request.Context(), id); err != nil {
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
