package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/web/auth"
)

// Who is asking, as the handlers see it: reviewerName reads userKey for every revision.
const (
	userKey       = "user"    // string: the account name, or auth.LocalUser in single-user mode
	roleKey       = "role"    // auth.Role
	sessionKey    = "session" // auth.Session, only when logged in with the session cookie
	singleUserKey = "single_user"
	sessionCookie = "tarjama_session"
	// csrfCheckedKey marks a request whose CSRF question identify has settled, so s.csrf
	// lets it through: a session's write carried the session's token, or an API token
	// authenticated it, which no browser sends on its own.
	csrfCheckedKey = "csrf_checked"
)

// authorize is the permission middleware of a route group: it finds out who sends the
// request and lets it through if their role may do the group's action (auth.Can). Who it is
// comes from an API token (Authorization: Bearer, exempt from CSRF checks since browsers
// never send it on their own), else the session cookie (whose CSRF token every write must
// carry), else single-user mode. Without a login it answers 401, or sends a page to the
// login form; with a role that may not, 403. Without Config.Auth everyone may do everything,
// as before accounts existed. It runs before s.csrf, whose double-submit cookie still
// guards single-user mode and the login form.
func (s *Server) authorize(action auth.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.cfg.Auth == nil {
			c.Next()
			return
		}
		if err := s.identify(c); err != nil {
			s.authFail(c, err)
			return
		}
		role, ok := c.Get(roleKey)
		if !ok {
			s.authFail(c, errLoginRequired)
			return
		}
		if !auth.Can(role.(auth.Role), action) {
			s.authFail(c, httpError(http.StatusForbidden, "%s", forbiddenMessage(role.(auth.Role), action)))
			return
		}
		c.Next()
	}
}

// authorizeUnknown is authorize for a request that matches no route: reading needs a login,
// and a write an admin, so that a route missing from the table is safe until it is listed.
func (s *Server) authorizeUnknown() gin.HandlerFunc {
	read, write := s.authorize(auth.ActionRead), s.authorize(auth.ActionAdmin)
	return func(c *gin.Context) {
		if isWrite(c.Request.Method) {
			write(c)
			return
		}
		read(c)
	}
}

// identifyAnyone finds out who sends a request to a route that anyone may use (the login
// form, logout), so the login page knows who is logged in already and logout which session
// to end: bad credentials are refused, but none are needed.
func (s *Server) identifyAnyone() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.identify(c); err != nil {
			s.authFail(c, err)
			return
		}
		c.Next()
	}
}

var (
	errLoginRequired = httpError(http.StatusUnauthorized, "log in first: this workbench has accounts")
	errBadToken      = httpError(http.StatusUnauthorized, "the API token is unknown or revoked")
	errSessionCSRF   = httpError(http.StatusForbidden, "missing or wrong CSRF token; reload the page and try again")
)

// identify sets userKey and roleKey when the request carries valid credentials or the
// server runs in single-user mode. Bad credentials in the Authorization header are an
// error; a stale session cookie is only forgotten.
func (s *Server) identify(c *gin.Context) error {
	ctx := c.Request.Context()
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return httpError(http.StatusUnauthorized, "Authorization: only Bearer API tokens are accepted")
		}
		u, err := s.cfg.Auth.LookupToken(ctx, strings.TrimSpace(token))
		if errors.Is(err, auth.ErrBadCredentials) {
			return errBadToken
		}
		if err != nil {
			return err
		}
		c.Set(userKey, u.Name)
		c.Set(roleKey, u.Role)
		c.Set(csrfCheckedKey, true)
		return nil
	}
	if token, err := c.Cookie(sessionCookie); err == nil && token != "" {
		sess, err := s.cfg.Auth.LookupSession(ctx, token)
		switch {
		case errors.Is(err, auth.ErrBadCredentials):
			clearSessionCookie(c)
		case err != nil:
			return err
		default:
			if isWrite(c.Request.Method) {
				sent, err := s.sentCSRF(c)
				if err != nil {
					return err
				}
				if !sess.CheckCSRF(sent) {
					return errSessionCSRF
				}
			}
			c.Set(userKey, sess.User.Name)
			c.Set(roleKey, sess.User.Role)
			c.Set(sessionKey, sess)
			c.Set(csrfKey, sess.CSRF) // what pages embed for their forms and scripts
			c.Set(csrfCheckedKey, true)
			return nil
		}
	}
	single, err := s.cfg.Auth.SingleUser(ctx, s.cfg.ListenAddr)
	if err != nil {
		return err
	}
	if single {
		// Without accounts anyone who reaches the server is admin, so make sure it is really
		// reached as a local address: a DNS-rebinding page would send its own host name.
		if !localHost(c.Request.Host, s.cfg.ListenAddr) {
			return httpError(http.StatusForbidden, "host %q is not this machine's loopback address; open the workbench as http://127.0.0.1 or http://localhost", c.Request.Host)
		}
		c.Set(userKey, auth.LocalUser)
		c.Set(roleKey, auth.RoleAdmin)
		c.Set(singleUserKey, true)
	}
	return nil
}

// isHTTPS reports whether the browser talks to us over TLS, directly or through a proxy
// that says so. A forged header only makes the forger's own cookies HTTPS-only.
func isHTTPS(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// authFail answers a request that may not go on: API calls and htmx get JSON (htmx is also
// told to go to the login page), a page asked for without a login is sent to the login page.
func (s *Server) authFail(c *gin.Context, err error) {
	defer c.Abort()
	var se *statusError
	if !errors.As(err, &se) || se.status != http.StatusUnauthorized || isAPI(c) {
		if errors.As(err, &se) && se.status == http.StatusUnauthorized {
			c.Header("WWW-Authenticate", `Bearer realm="tarjama"`)
		}
		s.fail(c, err)
		return
	}
	login := "/login?next=" + url.QueryEscape(nextFor(c))
	if isHTMX(c) {
		c.Header("HX-Redirect", login)
		s.fail(c, err)
		return
	}
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Redirect(http.StatusSeeOther, login)
		return
	}
	s.fail(c, err)
}

// nextFor is where to return after logging in: the page asked for, or for htmx the page
// the request came from.
func nextFor(c *gin.Context) string {
	if isHTMX(c) {
		if u, err := url.Parse(c.GetHeader("HX-Current-URL")); err == nil && u.Path != "" {
			return safeNext(u.RequestURI())
		}
		return "/"
	}
	return safeNext(c.Request.URL.RequestURI())
}

// safeNext keeps a redirect target on this site: a local path, never //host, /\host, or a
// path with control characters (browsers drop tabs and newlines, so /\t/host becomes //host).
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/logout") ||
		strings.ContainsAny(next, "\\") || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// localHost reports whether a request's Host names this machine's loopback interface or the
// address the server listens on.
func localHost(host, listenAddr string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(strings.ToLower(h), "[]")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return true
	}
	if lh, _, err := net.SplitHostPort(listenAddr); err == nil && lh != "" && strings.EqualFold(strings.Trim(lh, "[]"), h) {
		return true
	}
	return false
}

func forbiddenMessage(r auth.Role, a auth.Action) string {
	what := map[auth.Action]string{
		auth.ActionEdit:     "edit segments",
		auth.ActionGlossary: "change the glossary",
		auth.ActionImport:   "import or delete articles",
		auth.ActionSettings: "change the settings",
		auth.ActionUsers:    "manage accounts",
		auth.ActionBackup:   "download a backup",
		auth.ActionAdmin:    "do this",
	}[a]
	if what == "" {
		what = "do this"
	}
	return "a " + string(r) + " may not " + what + "; ask an admin"
}

// sessionUser is the name to show as logged in, or "" without a session (single-user mode
// and API tokens have no one to log out).
func sessionUser(c *gin.Context) string {
	if v, ok := c.Get(sessionKey); ok {
		return v.(auth.Session).User.Name
	}
	return ""
}
