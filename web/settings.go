package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
)

// settingsView is the settings form; the key is only ever shown masked.
type settingsView struct {
	Backends    []string
	Backend     string
	BaseURL     string
	Model       string
	KeyMasked   string
	KeyFrom     string // the variable or flag the key in use came from; "" when typed here
	KeyNote     string
	BatchSize   int
	Concurrency int
	Timeout     string
	// Pins names, for each field given at start, the flag or variable that gave it: the
	// page shows those fields but cannot change them.
	Pins    map[string]string
	Stored  bool
	SavedBy string
	SavedAt string
	Error   string
	// Backup offers admins the download of a copy of the database.
	Backup bool
	// QA is the quality checks' part of the page.
	QA qaSettingsView
}

func (s *Server) settingsView(ctx context.Context) (settingsView, error) {
	st := s.cfg.MT.Settings()
	v := settingsView{Backends: backends.Names(), Backend: st.Backend, BaseURL: st.BaseURL, Model: st.Model,
		KeyMasked: backends.MaskKey(st.APIKey), KeyFrom: st.KeyFrom, KeyNote: keyNote(st.KeyNote), BatchSize: st.BatchSize,
		Concurrency: st.Concurrency, Pins: st.Pins, Stored: st.Stored, SavedBy: st.SavedBy, Backup: s.cfg.Backup != nil}
	delete(v.Pins, backends.FieldAPIKey) // a key may always be typed; KeyFrom says where the one in use came from
	if st.Timeout > 0 {
		v.Timeout = st.Timeout.String()
	}
	if !st.SavedAt.IsZero() {
		v.SavedAt = st.SavedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	qs, err := s.cfg.Articles.QASettings(ctx)
	if err != nil {
		return settingsView{}, err
	}
	v.QA = newQASettingsView(qs)
	return v, nil
}

// keyNote says why a key is not sent, with what to do about it on this page.
func keyNote(n *backends.KeyNote) string {
	switch {
	case n == nil:
		return ""
	case n.From == "":
		return n.String() + ". Type it again to use it there"
	}
	return n.String() + ". Give the server's URL at start too, or type the key here"
}

func (s *Server) settingsShow(c *gin.Context) error {
	v, err := s.settingsView(c.Request.Context())
	if err != nil {
		return err
	}
	s.render(c, "settings.html", pageData{Title: "Settings", Flash: takeFlash(c), Data: v})
	return nil
}

// settingsSave stores the settings and reconfigures the running server, all or nothing
// (see backends.Service.SaveSettings). An empty key field keeps the current key for the same
// backend and origin (scheme, host and port); "clear" removes it. A typed key is kept in memory only.
func (s *Server) settingsSave(c *gin.Context) error {
	ch := backends.SettingsChange{
		Backend: strings.TrimSpace(c.PostForm(backends.FieldBackend)),
		BaseURL: strings.TrimSpace(c.PostForm(backends.FieldBaseURL)),
		Model:   strings.TrimSpace(c.PostForm(backends.FieldModel)),
		Key:     strings.TrimSpace(c.PostForm(backends.FieldAPIKey)),
		// The key field's "remove" box.
		ClearKey: c.PostForm("clear_key") == "1",
	}
	formErr := func(msg string) error {
		v, err := s.settingsView(c.Request.Context())
		if err != nil {
			return err
		}
		// Show what was typed, so it can be corrected; a pinned field shows its value.
		typed := func(field, cur string) string {
			if v.Pins[field] != "" {
				return cur
			}
			return strings.TrimSpace(c.PostForm(field))
		}
		v.Backend, v.BaseURL = typed(backends.FieldBackend, v.Backend), typed(backends.FieldBaseURL, v.BaseURL)
		v.Model, v.Timeout = typed(backends.FieldModel, v.Model), typed(backends.FieldTimeout, v.Timeout)
		v.Error = msg
		c.Status(http.StatusBadRequest)
		s.render(c, "settings.html", pageData{Title: "Settings", Data: v})
		return nil
	}
	var err error
	if ch.BatchSize, err = intField(c, backends.FieldBatchSize, 0, 100); err != nil {
		return formErr(err.Error())
	}
	if ch.Concurrency, err = intField(c, backends.FieldConcurrency, 0, 32); err != nil {
		return formErr(err.Error())
	}
	if t := strings.TrimSpace(c.PostForm(backends.FieldTimeout)); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d < time.Second || d > time.Hour {
			return formErr(fmt.Sprintf("%s: %q is not a duration between 1s and 1h (e.g. 90s, 2m)", backends.FieldTimeout, t))
		}
		ch.Timeout = d
	}
	if err := s.cfg.MT.SaveSettings(c.Request.Context(), ch, reviewerName(c)); err != nil {
		if errors.Is(err, translate.ErrInvalid) {
			return formErr(userMessage(err))
		}
		return err
	}
	redirectWithFlash(c, "/settings", "Saved. Now translating with "+s.cfg.MT.Describe()+".")
	return nil
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
