package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// CSRF protection has three layers. http.CrossOriginProtection (see Handler) refuses writes
// that a browser marks as cross-site. A logged-in session must send its own CSRF token on
// every write (checked in identify; API tokens sent as Bearer need none, as no browser
// sends them by itself). Without a session (single-user mode, or no accounts at all),
// browsers get a random token in a SameSite=Strict cookie and must echo it in the
// X-CSRF-Token header or a csrf_token form field (double submit) on every write, whether or
// not the cookie came along. The one exception is a script calling the JSON API: a request
// under /api/ with no CSRF cookie and none of the headers every current browser adds (Origin
// on a cross-origin write, Sec-Fetch-Site on every request) did not come from a page, so no
// page can have forged it.
const (
	csrfCookie = "tarjama_csrf"
	csrfHeader = "X-CSRF-Token"
	csrfField  = "csrf_token"
	csrfKey    = "csrf"

	// maxFormMemory is how much of a multipart form is held in memory (gin's default); the
	// rest goes to temporary files.
	maxFormMemory = 32 << 20
)

// csrf is the double-submit check of a route group's writes. readOnly marks a group whose
// routes change nothing, so that a POST among them (glossary match) needs no token.
func (s *Server) csrf(readOnly bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetBool(csrfCheckedKey) { // a session's token was checked, or an API token needs none
			c.Next()
			return
		}
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
		if readOnly || !isWrite(c.Request.Method) || (!hasCookie && apiScript(c)) {
			c.Next()
			return
		}
		sent, err := sentCSRF(c)
		if err != nil {
			s.fail(c, err)
			c.Abort()
			return
		}
		if !hasCookie || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			msg := "missing or wrong CSRF token; reload the page and try again"
			if isAPI(c) && c.GetHeader("Sec-Fetch-Site") == "" {
				msg += " (a script sends its JSON with Content-Type: application/json)"
			}
			s.fail(c, httpError(http.StatusForbidden, "%s", msg))
			c.Abort()
			return
		}
		c.Next()
	}
}

// apiScript reports whether a write is a script's call of the JSON API rather than a
// browser's: browsers mark their requests with Sec-Fetch-Site and their cross-origin writes
// with Origin, which scripts do not send. Old browsers send neither on a plain <form> post,
// so the body type must also be one such a form cannot forge: JSON (which no browser sends
// cross-origin without a preflight this server never grants), none at all (a body-less
// approve), or multipart (the glossary upload). A urlencoded or text/plain write needs the
// token, since those are exactly what a forged form sends.
func apiScript(c *gin.Context) bool {
	if !isAPI(c) || c.GetHeader("Origin") != "" || c.GetHeader("Sec-Fetch-Site") != "" {
		return false
	}
	switch c.ContentType() {
	case "application/json", "multipart/form-data":
		return true
	case "":
		return c.Request.ContentLength <= 0
	}
	return false
}

// sentCSRF returns the CSRF token a write carries, in the header or the form. A form that
// cannot be read is an error of its own: an oversized upload must answer 413 with the
// limit, not look like a missing token.
func sentCSRF(c *gin.Context) (string, error) {
	if v := c.GetHeader(csrfHeader); v != "" {
		return v, nil
	}
	if !isForm(c) {
		return "", nil
	}
	if err := c.Request.ParseMultipartForm(maxFormMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return "", badRequest("the form could not be read: %w", err)
	}
	return c.PostForm(csrfField), nil
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
