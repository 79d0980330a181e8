package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/web/auth"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the templates rendered as whole pages; each is parsed together with layout.html.
var pages = []string{"home.html", "article.html", "error.html", "glossary.html", "settings.html", "stats.html", "login.html", "search.html", "memory.html"}

// startTime versions static URLs so browsers pick up assets of a new binary.
var startTime = time.Now()

func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"statusLabel": statusLabel,
		"static":      func(p string) string { return "/static/" + p + "?v=" + fmt.Sprint(startTime.Unix()) },
		"percent": func(n, total int) int {
			if total == 0 {
				return 0
			}
			return n * 100 / total
		},
		"ago": func(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04") },
		// number is a segment's position as people count it: Index is 0-based, the page 1-based.
		"number":   func(index int) int { return index + 1 },
		"readable": diff.Readable,
	}
	out := make(map[string]*template.Template, len(pages))
	for _, p := range pages {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", p, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("template %s defines no \"content\"", p)
		}
		out[p] = t
	}
	if out["article.html"].Lookup("segment") == nil {
		return nil, fmt.Errorf("template article.html defines no \"segment\"")
	}
	return out, nil
}

// pageData is what every page template gets.
type pageData struct {
	Title   string
	CSRF    string
	Backend string
	Flash   string
	User    string // who is logged in; empty in single-user mode
	Admin   bool   // show admin-only controls (the server enforces roles either way)
	// Anonymous is true for a visitor who has not logged in (the login page): the header
	// then shows only the brand, not links and backend details they cannot use yet.
	Anonymous bool
	Data      any
}

// render executes a page into a buffer first, so a template error becomes a clean 500
// instead of half a page.
func (s *Server) render(c *gin.Context, page string, d pageData) {
	s.renderTemplate(c, page, "layout", d)
}

func (s *Server) renderTemplate(c *gin.Context, page, name string, d any) {
	t, ok := s.tmpl[page]
	if !ok {
		s.log.Error("no such template", "page", page)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	if pd, ok := d.(pageData); ok {
		pd.CSRF = c.GetString(csrfKey)
		pd.User = sessionUser(c)
		role, known := c.Get(roleKey)
		pd.Admin = role == nil || role == auth.RoleAdmin
		pd.Anonymous = s.cfg.Auth != nil && !known // without accounts (no Auth) everyone is in
		if pd.Backend == "" {
			pd.Backend = s.cfg.MT.Describe()
		}
		d = pd
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, d); err != nil {
		s.log.Error("render", "page", page, "template", name, "err", err)
		c.String(http.StatusInternalServerError, "internal error rendering the page")
		return
	}
	c.Header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Referrer-Policy", "same-origin")
	status := c.Writer.Status()
	if status == 0 {
		status = http.StatusOK
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (s *Server) static(c *gin.Context) {
	p := strings.TrimPrefix(path.Clean(c.Param("path")), "/")
	data, err := fs.ReadFile(staticFS, "static/"+p)
	if err != nil || p == "" {
		s.fail(c, fmt.Errorf("static file %s: %w", p, errPageNotFound))
		return
	}
	ct := mime.TypeByExtension(path.Ext(p))
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, ct, data)
}

// favicon answers the /favicon.ico that browsers and feed readers ask for even though the
// pages link the SVG icon: with the same icon, not a 404 in every console.
func (s *Server) favicon(c *gin.Context) {
	data, err := fs.ReadFile(staticFS, "static/favicon.svg")
	if err != nil {
		s.fail(c, fmt.Errorf("favicon: %w", err))
		return
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "image/svg+xml", data)
}

func statusLabel(s translate.Status) string {
	switch s {
	case translate.StatusUntranslated:
		return "not translated"
	case translate.StatusDraft:
		return "draft (offline)"
	case translate.StatusMachine:
		return "machine"
	case translate.StatusTM:
		return "from memory"
	case translate.StatusEdited:
		return "edited"
	case translate.StatusApproved:
		return "approved"
	case translate.StatusFailed:
		return "failed"
	case translate.StatusExcluded:
		return "excluded"
	}
	return string(s)
}
