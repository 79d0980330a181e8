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
// every write (checked in authenticate; API tokens sent as Bearer need none, as no browser
// sends them by itself). Without a session (single-user mode), browsers get a random token in
// a SameSite=Strict cookie and must echo it in the X-CSRF-Token header or a csrf_token form
// field (double submit); scripts without the cookie are not browsers and pass.
const (
	csrfCookie = "tarjama_csrf"
	csrfHeader = "X-CSRF-Token"
	csrfField  = "csrf_token"
	csrfKey    = "csrf"
	// maxFormMemory is how much of a multipart form is held in memory (gin's default); the
	// body limit bounds the whole request before this.
	maxFormMemory = 32 << 20
)

func (s *Server) csrf() gin.HandlerFunc {
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
				SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil,
			})
		}
		c.Set(csrfKey, token)
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if hasCookie {
			sent := c.GetHeader(csrfHeader)
			if sent == "" && isForm(c) {
				// PostForm hides a form that could not be read; an oversized upload must
				// answer 413 with the limit, not look like a missing token.
				if err := c.Request.ParseMultipartForm(maxFormMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
					var mbe *http.MaxBytesError
					if !errors.As(err, &mbe) {
						err = badRequest("the form could not be read: %v", err)
					}
					s.fail(c, err)
					c.Abort()
					return
				}
				sent = c.PostForm(csrfField)
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				s.fail(c, &statusError{http.StatusForbidden, "missing or wrong CSRF token; reload the page and try again"})
				c.Abort()
				return
			}
		}
		c.Next()
	}
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
