package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// authEnv is a server with accounts turned on, listening (as far as it knows) on listenAddr.
type authEnv struct {
	server   *Server
	srv      *httptest.Server
	users    *auth.Store
	articles *store.Store
	glossary *glossary.Store
}

func newAuthEnv(t *testing.T, listenAddr string, tls bool) *authEnv {
	t.Helper()
	db := migrationstest.Open(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db.W, db.R, time.Now)
	e := &authEnv{users: auth.NewStore(db.W, db.R, time.Now), articles: store.New(db.W, db.R, time.Now, terms), glossary: terms}
	stores := testStores(db, e.articles, e.glossary)
	mt := newTestService(t, stores, backendtest.NewOpenAI(t, backendtest.Success()), log)
	s, err := NewServer(Config{Articles: e.articles, Memory: stores.Memory, Glossary: e.glossary, MT: mt, Logger: log,
		Auth: e.users, ListenAddr: listenAddr})
	if err != nil {
		t.Fatal(err)
	}
	e.server = s
	if tls {
		e.srv = httptest.NewTLSServer(s.Handler())
	} else {
		e.srv = httptest.NewServer(s.Handler())
	}
	t.Cleanup(e.srv.Close)
	return e
}

func (e *authEnv) addUser(t *testing.T, name string, role auth.Role) {
	t.Helper()
	if _, err := e.users.Create(context.Background(), name, role, "password-of-"+name); err != nil {
		t.Fatal(err)
	}
}

// segment makes an article and returns its first sentence segment.
func (e *authEnv) segment(t *testing.T) translate.Segment {
	t.Helper()
	a, err := e.articles.CreateArticle(context.Background(), "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.", "")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := e.articles.Segments(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return segs[1]
}

// client is one browser or script: a cookie jar that does not follow redirects, the CSRF
// token its pages would carry, and optionally an API token.
type client struct {
	t      *testing.T
	e      *authEnv
	http   *http.Client
	csrf   string
	bearer string
}

func (e *authEnv) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	hc := *e.srv.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: t, e: e, http: &hc}
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) json(t *testing.T, out any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), out); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
}

func (c *client) do(method, path, contentType, body string, header map[string]string) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(data)}
}

// api sends JSON with the client's CSRF token, as the pages' scripts do.
func (c *client) api(method, path, body string) reply {
	c.t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	h := map[string]string{}
	if c.csrf != "" {
		h[csrfHeader] = c.csrf
	}
	return c.do(method, path, ct, body, h)
}

func (c *client) form(path string, v url.Values) reply {
	c.t.Helper()
	return c.do("POST", path, "application/x-www-form-urlencoded", v.Encode(), nil)
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.e.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// login logs in through the form, as a browser does, and keeps the page's CSRF token.
func (c *client) login(name, password string) reply {
	c.t.Helper()
	page := c.do("GET", "/login", "", "", nil)
	if page.status != http.StatusOK {
		c.t.Fatalf("GET /login = %d", page.status)
	}
	r := c.form("/login", url.Values{"name": {name}, "password": {password}, "next": {"/"}, csrfField: {csrfOf(page.body)}})
	if r.status == http.StatusSeeOther {
		c.csrf = csrfOf(c.do("GET", "/", "", "", nil).body)
	}
	return r
}

func csrfOf(page string) string {
	const marker = `<meta name="csrf-token" content="`
	i := strings.Index(page, marker)
	if i < 0 {
		return ""
	}
	rest := page[i+len(marker):]
	return rest[:strings.IndexByte(rest, '"')]
}

func (c *client) mustLogin(name string) {
	c.t.Helper()
	if r := c.login(name, "password-of-"+name); r.status != http.StatusSeeOther {
		c.t.Fatalf("login as %s = %d %s", name, r.status, r.body)
	}
}

func TestAuth_SingleUserModeNeedsNoLogin(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	seg := e.segment(t)
	c := e.client(t)
	c.csrf = csrfOf(c.do("GET", "/", "", "", nil).body) // the double-submit token, as before accounts

	var me struct {
		Name       string
		Role       string
		SingleUser bool `json:"single_user"`
	}
	c.api("GET", "/api/me", "").json(t, &me)
	if me.Name != auth.LocalUser || me.Role != "admin" || !me.SingleUser {
		t.Fatalf("/api/me = %+v, want local admin in single-user mode", me)
	}
	forged := c.do("PUT", fmt.Sprintf("/api/segments/%d", seg.ID), "application/json", `{"target":"x","version":1}`, map[string]string{csrfHeader: "forged"})
	if forged.status != http.StatusForbidden {
		t.Fatalf("single-user write with a wrong CSRF token = %d, want 403 (the double-submit check still applies)", forged.status)
	}
	if r := c.api("PUT", fmt.Sprintf("/api/segments/%d", seg.ID), `{"target":"Ryabkov spoke.","version":1}`); r.status != 200 {
		t.Fatalf("save in single-user mode = %d %s", r.status, r.body)
	}
	if r := c.api("POST", "/api/glossary", `{"arabic":"الكرملين","english":"the Kremlin","type":"name"}`); r.status != http.StatusCreated {
		t.Fatalf("glossary write in single-user mode = %d %s", r.status, r.body)
	}
	if r := c.do("GET", "/login", "", "", nil); r.status != http.StatusSeeOther {
		t.Errorf("GET /login in single-user mode = %d, want a redirect to the workbench", r.status)
	}
	revs, _ := e.articles.Revisions(context.Background(), seg.ID)
	if len(revs) != 1 || revs[0].Author != auth.LocalUser {
		t.Fatalf("revisions = %+v, want one by %q", revs, auth.LocalUser)
	}
}

func TestAuth_LoginRequiredBeyondLoopbackOrOnceAnAccountExists(t *testing.T) {
	for _, c := range []struct {
		name, addr string
		account    bool
	}{
		{"AllInterfacesNoAccount", "0.0.0.0:8080", false},
		{"LoopbackWithAccount", "127.0.0.1:8080", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newAuthEnv(t, c.addr, false)
			if c.account {
				e.addUser(t, "amal", auth.RoleAdmin)
			}
			cl := e.client(t)
			var body struct{ Error string }
			r := cl.api("GET", "/api/articles", "")
			r.json(t, &body)
			if r.status != http.StatusUnauthorized || !strings.Contains(body.Error, "log in") {
				t.Errorf("GET /api/articles without a session = %d %q, want 401", r.status, body.Error)
			}
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if r := cl.api("POST", "/api/glossary", `{"arabic":"الكرملين","english":"the Kremlin","type":"name"}`); r.status != http.StatusUnauthorized {
				t.Errorf("POST /api/glossary without a session = %d, want 401", r.status)
			}
			r = cl.do("GET", "/articles/1?x=1", "", "", nil)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Farticles%2F1%3Fx%3D1" {
				t.Errorf("page without a session = %d to %q, want 303 to the login page", r.status, r.header.Get("Location"))
			}
			r = cl.do("POST", "/segments/1", "application/x-www-form-urlencoded", "version=1", map[string]string{"HX-Request": "true", "HX-Current-URL": cl.e.srv.URL + "/articles/1"})
			if r.status != http.StatusUnauthorized || r.header.Get("HX-Redirect") != "/login?next=%2Farticles%2F1" {
				t.Errorf("htmx write without a session = %d, HX-Redirect %q", r.status, r.header.Get("HX-Redirect"))
			}
			if r := cl.do("GET", "/static/app.css", "", "", nil); r.status != 200 {
				t.Errorf("static asset without a session = %d, want 200", r.status)
			}
			if r := cl.do("GET", "/login", "", "", nil); r.status != 200 || !strings.Contains(r.body, `action="/login"`) {
				t.Errorf("GET /login = %d", r.status)
			}
		})
	}
}

func TestAuth_RoleBoundaries(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "amal", auth.RoleAdmin)
	e.addUser(t, "zaid", auth.RoleReviewer)
	seg := e.segment(t)
	term := glossary.Term{Arabic: "الكرملين", English: "the Kremlin", Type: glossary.TypeName}
	if err := e.glossary.Create(context.Background(), &term); err != nil {
		t.Fatal(err)
	}
	reviewer, admin := e.client(t), e.client(t)
	reviewer.mustLogin("zaid")
	admin.mustLogin("amal")
	tok, err := e.users.CreateToken(context.Background(), "zaid")
	if err != nil {
		t.Fatal(err)
	}
	script := e.client(t)
	script.bearer = tok

	seen := fmt.Sprintf("/api/segments/%d", seg.ID)
	termPath := fmt.Sprintf("/api/glossary/%d", term.ID)
	version := 1
	for _, c := range []struct {
		method, path, body string
		reviewer, admin    int
	}{
		{"GET", "/api/articles", "", 200, 200},
		{"GET", "/api/glossary", "", 200, 200},
		{"POST", "/api/glossary/match", `{"text":"قال الكرملين"}`, 200, 200},
		{"POST", "/api/glossary", `{"arabic":"موسكو","english":"Moscow","type":"name"}`, 403, 201},
		{"PUT", termPath, `{"arabic":"الكرملين","english":"Kremlin","type":"name"}`, 403, 200},
		{"POST", "/api/glossary/import", "", 403, 400},
		{"POST", "/api/articles", `{"title":"t","text":"نص."}`, 403, 201},
		{"GET", "/api/users", "", 403, 200},
		{"POST", "/api/users", `{"name":"noor","role":"reviewer","password":"long enough to pass"}`, 403, 201},
		{"DELETE", "/api/users/noor", "", 403, 204},
		{"DELETE", termPath, "", 403, 204},
	} {
		for _, who := range []struct {
			name string
			cl   *client
			want int
		}{{"reviewer", reviewer, c.reviewer}, {"reviewer token", script, c.reviewer}, {"admin", admin, c.admin}} {
			if who.name == "reviewer token" && c.method == "GET" {
				continue
			}
			r := who.cl.api(c.method, c.path, c.body)
			if r.status != who.want {
				t.Errorf("%s: %s %s = %d %s, want %d", who.name, c.method, c.path, r.status, r.body, who.want)
			}
			if r.status == 403 && !strings.Contains(r.body, "ask an admin") {
				t.Errorf("%s: %s %s: 403 body %q does not say why", who.name, c.method, c.path, r.body)
			}
		}
	}
	// Reviewers edit and approve, through the API, the page form and a token.
	for _, w := range []struct {
		name string
		cl   *client
		do   func(*client, int) reply
	}{
		{"reviewer API", reviewer, func(cl *client, v int) reply {
			return cl.api("PUT", seen, fmt.Sprintf(`{"target":"Ryabkov spoke %d.","version":%d}`, v, v))
		}},
		{"reviewer form", reviewer, func(cl *client, v int) reply {
			return cl.form(fmt.Sprintf("/segments/%d", seg.ID), url.Values{"version": {fmt.Sprint(v)}, "target": {"Ryabkov said in Moscow."}, csrfField: {cl.csrf}})
		}},
		{"reviewer token", script, func(cl *client, v int) reply {
			return cl.api("POST", seen+"/approve", fmt.Sprintf(`{"version":%d}`, v))
		}},
	} {
		if r := w.do(w.cl, version); r.status != 200 {
			t.Fatalf("%s: write = %d %s", w.name, r.status, r.body)
		}
		version++
	}
	if r := reviewer.form("/settings", url.Values{"backend": {"offline"}, csrfField: {reviewer.csrf}}); r.status != 403 {
		t.Errorf("reviewer: POST /settings = %d, want 403", r.status)
	}
	revs, _ := e.articles.Revisions(context.Background(), seg.ID)
	if len(revs) != 3 {
		t.Fatalf("revisions = %+v, want 3", revs)
	}
	for _, r := range revs {
		if r.Author != "zaid" {
			t.Errorf("revision %s by %q, want zaid", r.Kind, r.Author)
		}
	}
}

func TestAuth_SessionCSRF(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	seg := e.segment(t)
	cl, other := e.client(t), e.client(t)
	cl.mustLogin("zaid")
	other.mustLogin("zaid")
	if cl.csrf == "" || cl.csrf == other.csrf {
		t.Fatalf("sessions' CSRF tokens %q and %q: want two different ones", cl.csrf, other.csrf)
	}
	path := fmt.Sprintf("/segments/%d", seg.ID)
	save := func(token string, header bool) int {
		v := url.Values{"version": {"1"}, "target": {"Text."}}
		h := map[string]string{}
		if header {
			h[csrfHeader] = token
		} else if token != "" {
			v.Set(csrfField, token)
		}
		return cl.do("POST", path, "application/x-www-form-urlencoded", v.Encode(), h).status
	}
	for _, c := range []struct {
		name   string
		token  string
		header bool
	}{
		{"NoToken", "", false},
		{"WrongToken", "wrong", false},
		{"OtherSessionsToken", other.csrf, false},
		{"OtherSessionsTokenInHeader", other.csrf, true},
	} {
		if got := save(c.token, c.header); got != http.StatusForbidden {
			t.Errorf("%s: write with a session cookie = %d, want 403", c.name, got)
		}
	}
	// The same cookie and a stale double-submit cookie that matches the sent token: the
	// session's own token is still required.
	u, _ := url.Parse(e.srv.URL)
	cl.http.Jar.SetCookies(u, []*http.Cookie{{Name: csrfCookie, Value: strings.Repeat("a", 43), Path: "/"}})
	if got := save(strings.Repeat("a", 43), true); got != http.StatusForbidden {
		t.Errorf("write with a forged double-submit pair = %d, want 403", got)
	}
	cl.http.Jar.SetCookies(u, []*http.Cookie{{Name: csrfCookie, Value: cl.csrf, Path: "/"}})
	if got := save(cl.csrf, false); got != 200 {
		t.Fatalf("write with the session's token in the form = %d, want 200", got)
	}
	if r := cl.api("GET", "/api/articles", ""); r.status != 200 {
		t.Errorf("read without a token = %d, want 200", r.status)
	}
	// A page carries the session's token for its scripts and forms.
	if page := cl.do("GET", "/", "", "", nil); csrfOf(page.body) != cl.csrf {
		t.Errorf("page CSRF token %q, want the session's %q", csrfOf(page.body), cl.csrf)
	}
}

func TestAuth_BearerToken(t *testing.T) {
	e := newAuthEnv(t, "0.0.0.0:8080", false)
	e.addUser(t, "bot", auth.RoleReviewer)
	seg := e.segment(t)
	tok, err := e.users.CreateToken(context.Background(), "bot")
	if err != nil {
		t.Fatal(err)
	}
	script := e.client(t)
	script.bearer = tok
	r := script.do("PUT", fmt.Sprintf("/api/segments/%d", seg.ID), "application/json", `{"target":"By script.","version":1}`, nil)
	if r.status != 200 {
		t.Fatalf("token write without CSRF = %d %s", r.status, r.body)
	}
	revs, _ := e.articles.Revisions(context.Background(), seg.ID)
	if len(revs) != 1 || revs[0].Author != "bot" {
		t.Fatalf("revisions = %+v, want one by bot", revs)
	}
	for _, bad := range []string{"Bearer " + tok + "x", "Bearer ", "Basic Ym90OnB3", tok} {
		r := script.do("GET", "/api/articles", "", "", map[string]string{"Authorization": bad})
		if r.status != http.StatusUnauthorized {
			t.Errorf("Authorization %q = %d, want 401", bad, r.status)
		}
	}
	if _, err := e.users.RevokeTokens(context.Background(), "bot"); err != nil {
		t.Fatal(err)
	}
	if r := script.api("GET", "/api/articles", ""); r.status != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", r.status)
	}
}

func TestLogin_SafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/articles/3":       "/articles/3",
		"/glossary?q=x":     "/glossary?q=x",
		"":                  "/",
		"//evil.example/":   "/",
		"/\\evil.example":   "/",
		"https://evil.com/": "/",
		"articles":          "/",
		"/login?next=/":     "/",
		"/logout":           "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAuth_SingleUserModeRefusesForeignHost(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	c := e.client(t)
	for _, tc := range []struct {
		host string
		want int
	}{
		{"evil.example:8080", http.StatusForbidden}, // a DNS-rebinding page keeps its own name
		{"127.0.0.1:8080", http.StatusOK},
		{"localhost:8080", http.StatusOK},
		{"[::1]:8080", http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/articles", nil)
		req.Host = tc.host
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Host %s: %d, want %d", tc.host, resp.StatusCode, tc.want)
		}
	}
}

func TestSafeNextRejectsBrowserTricks(t *testing.T) {
	for in, want := range map[string]string{
		"/articles/3":      "/articles/3",
		"/search?q=x":      "/search?q=x",
		"//evil.example":   "/",
		"/\\evil.example":  "/",
		"/\t/evil.example": "/",
		"/\n/evil.example": "/",
		"https://evil":     "/",
		"/login?next=/x":   "/",
		"":                 "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
