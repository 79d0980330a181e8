package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate/backends"
)

// settingsView is the settings form; the key is only ever shown masked.
type settingsView struct {
	Backends    []string
	Backend     string
	BaseURL     string
	Model       string
	KeyMasked   string
	BatchSize   int
	Concurrency int
	Timeout     string
	Error       string
}

func (s *Server) settingsView(cfg backends.Config) settingsView {
	v := settingsView{Backends: backends.Names(), Backend: cfg.Backend, BaseURL: cfg.BaseURL, Model: cfg.Model,
		KeyMasked: backends.MaskKey(cfg.APIKey), BatchSize: cfg.BatchSize, Concurrency: cfg.Concurrency}
	if cfg.Timeout > 0 {
		v.Timeout = cfg.Timeout.String()
	}
	return v
}

func (s *Server) settingsShow(c *gin.Context) error {
	s.render(c, "settings.html", pageData{Title: "Settings", Flash: c.Query("msg"), Data: s.settingsView(s.cfg.MT.Config())})
	return nil
}

// settingsSave reconfigures the translation backend of the running server. An empty key
// field keeps the current key; "clear" removes it.
func (s *Server) settingsSave(c *gin.Context) error {
	cur := s.cfg.MT.Config()
	next := cur
	next.Backend = strings.TrimSpace(c.PostForm("backend"))
	next.BaseURL = strings.TrimSpace(c.PostForm("base_url"))
	next.Model = strings.TrimSpace(c.PostForm("model"))
	// The stored key only ever goes back to the server it was set for: a new backend or host
	// needs its key typed again, so nobody can redirect the operator's key to another server.
	sameServer := next.Backend == cur.Backend && hostOf(next.BaseURL) == hostOf(cur.BaseURL)
	switch key := strings.TrimSpace(c.PostForm("api_key")); {
	case key != "":
		next.APIKey = key
	case c.PostForm("clear_key") == "1" || !sameServer:
		next.APIKey = ""
	}
	formErr := func(msg string) error {
		v := s.settingsView(next)
		v.Error = msg
		c.Status(http.StatusBadRequest)
		s.render(c, "settings.html", pageData{Title: "Settings", Data: v})
		return nil
	}
	var err error
	if next.BatchSize, err = intField(c, "batch_size", 0, 100); err != nil {
		return formErr(err.Error())
	}
	if next.Concurrency, err = intField(c, "concurrency", 0, 32); err != nil {
		return formErr(err.Error())
	}
	next.Timeout = 0
	if t := strings.TrimSpace(c.PostForm("timeout")); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d < time.Second || d > time.Hour {
			return formErr(fmt.Sprintf("timeout: %q is not a duration between 1s and 1h (e.g. 90s, 2m)", t))
		}
		next.Timeout = d
	}
	if err := s.cfg.MT.Configure(next); err != nil {
		return formErr(err.Error())
	}
	c.Redirect(http.StatusSeeOther, "/settings?msg="+url.QueryEscape("Saved. Now translating with "+s.cfg.MT.Describe()+"."))
	return nil
}

// hostOf is the host:port of a server URL, or the text itself when it does not parse.
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimSpace(raw))
	}
	return strings.ToLower(u.Host)
}

func intField(c *gin.Context, name string, lo, hi int) (int, error) {
	v := strings.TrimSpace(c.PostForm(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}
