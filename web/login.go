package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/web/auth"
)

// loginPage serves the login form and logout.
type loginPage struct {
	s       *Server
	limiter *loginLimiter
}

func newLoginPage(s *Server) *loginPage {
	return &loginPage{s: s, limiter: s.logins}
}

// loginView is what login.html shows.
type loginView struct {
	Name  string
	Next  string
	Error string
}

func (p *loginPage) show(c *gin.Context) error {
	next := safeNext(c.Query("next"))
	if _, ok := c.Get(roleKey); ok { // logged in already, or single-user mode
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	p.render(c, http.StatusOK, loginView{Next: next})
	return nil
}

func (p *loginPage) render(c *gin.Context, status int, v loginView) {
	c.Status(status)
	p.s.render(c, "login.html", pageData{Title: "Log in", Data: v})
}

func (p *loginPage) submit(c *gin.Context) error {
	name := strings.TrimSpace(c.PostForm("name"))
	password := c.PostForm("password")
	v := loginView{Name: name, Next: safeNext(c.PostForm("next"))}
	if name == "" || password == "" {
		v.Error = "Enter your name and password."
		p.render(c, http.StatusBadRequest, v)
		return nil
	}
	attempt, wait := p.limiter.admit(strings.ToLower(name), c.RemoteIP())
	if wait > 0 {
		c.Header("Retry-After", retryAfter(wait))
		v.Error = "Too many failed attempts. Try again in " + waitText(wait) + "."
		p.render(c, http.StatusTooManyRequests, v)
		return nil
	}
	u, err := p.s.cfg.Auth.Authenticate(c.Request.Context(), name, password)
	if errors.Is(err, auth.ErrBadCredentials) {
		p.s.log.Warn("failed login", "name", name, "ip", c.RemoteIP())
		v.Error = "Wrong name or password."
		p.render(c, http.StatusUnauthorized, v)
		return nil
	}
	if err != nil {
		p.limiter.release(attempt, false)
		return err
	}
	p.limiter.release(attempt, true)
	if old, err := c.Cookie(sessionCookie); err == nil {
		if err := p.s.cfg.Auth.DeleteSession(c.Request.Context(), old); err != nil {
			return err
		}
	}
	sess, err := p.s.cfg.Auth.CreateSession(c.Request.Context(), u)
	if err != nil {
		return err
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		MaxAge: int(time.Until(sess.ExpiresAt).Seconds()), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: isHTTPS(c),
	})
	p.s.log.Info("login", "name", u.Name, "role", u.Role, "ip", c.RemoteIP())
	c.Redirect(http.StatusSeeOther, v.Next)
	return nil
}

// logout ends the session. The CSRF check in identify has already passed, so a page on
// another site cannot log anyone out.
func (p *loginPage) logout(c *gin.Context) error {
	if token, err := c.Cookie(sessionCookie); err == nil {
		if err := p.s.cfg.Auth.DeleteSession(c.Request.Context(), token); err != nil {
			return err
		}
	}
	clearSessionCookie(c)
	if isHTMX(c) {
		c.Header("HX-Redirect", "/login")
		c.Status(http.StatusNoContent)
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

func clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: isHTTPS(c),
	})
}

// retryAfter is a wait in whole seconds, rounded up, for the Retry-After header.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(waitSeconds(d))
}

func waitSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// waitText says a wait the way a person reads it: seconds under two minutes, else minutes.
func waitText(d time.Duration) string {
	if s := waitSeconds(d); s < 120 {
		return translate.Plural(s, "second")
	}
	return translate.Plural(int((d+time.Minute-1)/time.Minute), "minute")
}
