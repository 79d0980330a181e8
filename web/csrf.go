package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// CSRF protection has three layers. http.CrossOriginProtection (see Handler) refuses writes
// that a browser marks as cross-site. A logged-in session must send its own CSRF token on
// every write (checked in identify; API tokens sent as Bearer need none, as no browser
// sends them by itself). Without a session (single-user mode, or no accounts at all), a write
// needs one of three things: the double-submit token (a random token in a SameSite=Strict
// cookie, echoed in the X-CSRF-Token header or a csrf_token form field); a browser's word
// that it comes from this origin (Sec-Fetch-Site: same-origin, or an Origin naming this
// host), which no page elsewhere can make a browser say; or, for a script calling the JSON
// API, a body no form can send (see apiScript).
const (
	csrfCookie = "tarjama_csrf"
	csrfHeader = "X-CSRF-Token"
	csrfField  = "csrf_token"
	csrfKey    = "csrf"

	// maxFormMemory is how much of a multipart form is held in memory (gin's default); the
	// rest goes to temporary files.
	maxFormMemory = 32 << 20
)

// csrf is the CSRF check of a route group's writes, and the one place a write's form body is
// read (so an oversized form is a 413 before any handler asks for a field). readOnly marks a
// group whose routes change nothing, so that a POST among them (glossary match) needs no
// token and keeps its body for the handler.
func (s *Server) csrf(readOnly bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		write := !readOnly && isWrite(c.Request.Method)
		// A session's token was checked in identify, and an API token needs none.
		if !c.GetBool(csrfCheckedKey) && !s.doubleSubmit(c, write) {
			return
		}
		if write && isForm(c) {
			if err := s.readForm(c); err != nil {
				s.fail(c, err)
				c.Abort()
				return
			}
		}
		c.Next()
	}
}

// doubleSubmit hands out the double-submit cookie and, for a write, checks that the request
// carries its token or needs none (same origin, or a script's JSON). It answers and aborts a
// request that fails, and reports whether the request may go on.
func (s *Server) doubleSubmit(c *gin.Context, write bool) bool {
	token, err := c.Cookie(csrfCookie)
	hasCookie := err == nil && len(token) >= 32
	if !hasCookie {
		token = newToken()
		http.SetCookie(c.Writer, &http.Cookie{
			Name: csrfCookie, Value: token, Path: "/", HttpOnly: false,
			SameSite: http.SameSiteStrictMode, Secure: isHTTPS(c),
		})
	}
	c.Set(csrfKey, token)
	if !write || sameOrigin(c) || (!hasCookie && apiScript(c)) {
		return true
	}
	sent, err := s.sentCSRF(c)
	if err != nil {
		s.fail(c, err)
		c.Abort()
		return false
	}
	if !hasCookie || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
		msg := "missing or wrong CSRF token; reload the page and try again"
		if isAPI(c) && c.GetHeader("Sec-Fetch-Site") == "" {
			msg += " (a script sends its JSON with Content-Type: application/json, and other writes with an Origin header naming this server)"
		}
		s.fail(c, httpError(http.StatusForbidden, "%s", msg))
		c.Abort()
		return false
	}
	return true
}

// sameOrigin reports whether the browser says the request comes from a page of this origin:
// Sec-Fetch-Site: same-origin, or, from a browser too old to send that, an Origin whose
// host is the one the request is addressed to. Browsers set both headers themselves, and no
// page can change them. (A same-site page on another port is not the same origin.)
func sameOrigin(c *gin.Context) bool {
	switch c.GetHeader("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
		origin := c.GetHeader("Origin")
		if origin == "" || origin == "null" {
			return false
		}
		u, err := url.Parse(origin)
		return err == nil && u.Host != "" && strings.EqualFold(u.Host, c.Request.Host)
	}
	return false
}

// apiScript reports whether a write is a script's call of the JSON API rather than a
// browser's: browsers mark their requests with Sec-Fetch-Site and their cross-origin writes
// with Origin, which scripts do not send. Old browsers send neither on a plain <form> post,
// so the body must also be one that no form can send: JSON (which no browser sends
// cross-origin without a preflight this server never grants) or none at all (a body-less
// approve). A form can send urlencoded, text/plain and multipart bodies, so those need the
// token or a same-origin Origin; and since the JSON handlers read only bodies declared as
// application/json (requireJSON), JSON labelled as something else is never read as JSON.
func apiScript(c *gin.Context) bool {
	if !isAPI(c) || c.GetHeader("Origin") != "" || c.GetHeader("Sec-Fetch-Site") != "" {
		return false
	}
	switch c.ContentType() {
	case "application/json":
		return true
	case "":
		return c.Request.ContentLength == 0
	}
	return false
}

// sentCSRF returns the CSRF token a write carries, in the header or the form. An oversized
// form is an error of its own, so that it answers 413 with the limit rather than look like
// a missing token; a form that cannot be read carries no token.
func (s *Server) sentCSRF(c *gin.Context) (string, error) {
	if v := c.GetHeader(csrfHeader); v != "" {
		return v, nil
	}
	if !isForm(c) {
		return "", nil
	}
	if err := s.readForm(c); err != nil && statusOf(err) == http.StatusRequestEntityTooLarge {
		return "", err
	}
	return c.PostForm(csrfField), nil
}

// readForm parses a urlencoded or multipart body once; later reads of its fields (gin's
// PostForm, FormFile) use what it parsed. gin ignores parse errors, so without this an
// oversized form reads as an empty one ("pasted text: empty"): here an unreadable form is
// a 400, and an oversized one a 413 with the limit (statusOf finds the
// *http.MaxBytesError it wraps).
func (s *Server) readForm(c *gin.Context) error {
	r := c.Request
	var err error
	if c.ContentType() == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormMemory)
	} else {
		err = r.ParseForm() // ParseMultipartForm would drop this error for a urlencoded body
	}
	if err == nil {
		return nil
	}
	return badRequest("the form could not be read: %w", err)
}

func isForm(c *gin.Context) bool {
	ct := c.ContentType()
	return ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
