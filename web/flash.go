package web

import (
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

// flashCookie carries a one-time message ("Saved.") across the redirect after a form post.
// A cookie, not ?msg= in the URL, so that reloading or bookmarking the page does not show it
// again: the page that shows it clears it.
const flashCookie = "tarjama_flash"

// flashMaxAge bounds how long an unread flash waits, in seconds: only across a redirect.
const flashMaxAge = 60

// redirectWithFlash sends the browser to target (a path with an optional query) and has the
// page there show msg once. The cookie is scoped to target's path, so another page does not
// take it.
func redirectWithFlash(c *gin.Context, target, msg string) {
	path := target
	if u, err := url.Parse(target); err == nil && u.Path != "" {
		path = u.Path
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: path,
		MaxAge: flashMaxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(c),
	})
	c.Redirect(http.StatusSeeOther, target)
}

// takeFlash returns the message redirectWithFlash left for this page, or "", and clears it.
func takeFlash(c *gin.Context) string {
	v, err := c.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashCookie, Value: "", Path: c.Request.URL.Path, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: isHTTPS(c),
	})
	msg, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return "" // not one of ours
	}
	return string(msg)
}
