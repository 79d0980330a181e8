package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/web/auth"
)

// Failed logins allowed per minute, per account name and per client address. The address
// limit is higher because a team behind one proxy or NAT shares an address.
const (
	loginFailsPerName = 5
	loginFailsPerIP   = 20
	loginFailWindow   = time.Minute
)

// loginPage serves the login form and logout.
type loginPage struct {
	s       *Server
	limiter *loginLimiter
}

func newLoginPage(s *Server) *loginPage {
	return &loginPage{s: s, limiter: newLoginLimiter(time.Now)}
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
	keys := []limitKey{{"name:" + strings.ToLower(name), loginFailsPerName}, {"ip:" + c.RemoteIP(), loginFailsPerIP}}
	if wait := p.limiter.blocked(keys...); wait > 0 {
		c.Header("Retry-After", retryAfter(wait))
		v.Error = "Too many failed attempts. Wait a minute and try again."
		p.render(c, http.StatusTooManyRequests, v)
		return nil
	}
	if name == "" || password == "" {
		v.Error = "Enter your name and password."
		p.render(c, http.StatusBadRequest, v)
		return nil
	}
	u, err := p.s.cfg.Auth.Authenticate(c.Request.Context(), name, password)
	if errors.Is(err, auth.ErrBadCredentials) {
		p.limiter.fail(keys...)
		p.s.log.Warn("failed login", "name", name, "ip", c.RemoteIP())
		v.Error = "Wrong name or password."
		p.render(c, http.StatusUnauthorized, v)
		return nil
	}
	if err != nil {
		return err
	}
	p.limiter.reset(keys[0])
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

func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(d.Round(time.Second)/time.Second)))
}

// limitKey is one thing failed logins are counted by, with its limit per window.
type limitKey struct {
	key string
	max int
}

// loginLimiter counts failed logins in memory over a sliding window. It forgets keys whose
// failures have all aged out, so a flood of made-up names cannot grow it without bound.
type loginLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	fails map[string][]time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, fails: map[string][]time.Time{}}
}

// blocked returns how long to wait before another attempt, or 0 if one may go ahead.
func (l *loginLimiter) blocked(keys ...limitKey) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		times := l.recent(k.key, now)
		if len(times) >= k.max {
			if w := times[len(times)-k.max].Add(loginFailWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait
}

func (l *loginLimiter) fail(keys ...limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.fails) > 10000 {
		for k := range l.fails {
			l.recent(k, now)
		}
	}
	for _, k := range keys {
		l.fails[k.key] = append(l.recent(k.key, now), now)
	}
}

func (l *loginLimiter) reset(k limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, k.key)
}

// recent drops the key's failures older than the window and returns the rest.
func (l *loginLimiter) recent(key string, now time.Time) []time.Time {
	times := l.fails[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= loginFailWindow {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = times
	return times
}
