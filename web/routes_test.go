package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/web/auth"
)

// routeIndex is the route table by "METHOD path"; a route listed twice is an error.
func routeIndex(t *testing.T, s *Server) map[string]routeGroup {
	t.Helper()
	out := map[string]routeGroup{}
	for _, g := range s.routeTable() {
		for _, rt := range g.routes {
			key := rt.method + " " + rt.path
			if _, dup := out[key]; dup {
				t.Errorf("%s is in the route table twice", key)
			}
			out[key] = g
		}
	}
	return out
}

// rolesOf is who each audience of the route table lets in.
var rolesOf = map[who][]auth.Role{
	signedIn:  {auth.RoleReviewer, auth.RoleAdmin},
	reviewers: {auth.RoleReviewer, auth.RoleAdmin},
	admins:    {auth.RoleAdmin},
}

// TestRoutes_EveryRouteIsInTheTable walks every route the server registered: each must have
// its line in the route table (routes.go), so a route added without saying who may call it
// fails here. Without accounts, the login and accounts routes are not there at all.
func TestRoutes_EveryRouteIsInTheTable(t *testing.T) {
	for _, tc := range []struct {
		name     string
		server   func(*testing.T) *Server
		accounts bool
	}{
		{"WithAccounts", func(t *testing.T) *Server { return newAuthEnv(t, "127.0.0.1:8080", false).server }, true},
		{"WithoutAccounts", func(t *testing.T) *Server { return newTestEnv(t).server }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.server(t)
			table := routeIndex(t, s)
			registered := map[string]bool{}
			for _, r := range s.engine.Routes() {
				key := r.Method + " " + r.Path
				registered[key] = true
				g, ok := table[key]
				switch {
				case !ok:
					t.Errorf("%s is registered but not in the route table: add it to the group of who may call it", key)
				case g.accounts && !tc.accounts:
					t.Errorf("%s is registered on a server without accounts", key)
				}
			}
			for key, g := range table {
				if !registered[key] && (tc.accounts || !g.accounts) {
					t.Errorf("%s is in the route table but not registered", key)
				}
			}
			if len(registered) < 50 {
				t.Errorf("only %d routes registered; the walk would miss the table", len(registered))
			}
		})
	}
}

// TestRoutes_TableAgreesWithCan: the audience each group of the table names is exactly the
// roles auth.Can lets do the group's action, and only public groups have no action.
func TestRoutes_TableAgreesWithCan(t *testing.T) {
	s := newAuthEnv(t, "127.0.0.1:8080", false).server
	for _, g := range s.routeTable() {
		name := fmt.Sprintf("%s group (%s %s…)", g.who, g.routes[0].method, g.routes[0].path)
		if g.who == anyone {
			if g.action != "" {
				t.Errorf("%s: public, yet asks auth.Can about %q", name, g.action)
			}
			continue
		}
		roles, ok := rolesOf[g.who]
		if !ok || g.action == "" || g.middleware != nil {
			t.Errorf("%s: want a known audience, an action and the permission middleware; have %q %q", name, g.who, g.action)
			continue
		}
		for _, r := range []auth.Role{auth.RoleReviewer, auth.RoleAdmin} {
			if want := slices.Contains(roles, r); auth.Can(r, g.action) != want {
				t.Errorf("%s: auth.Can(%s, %s) = %v, but the table says %s", name, r, g.action, !want, g.who)
			}
		}
	}
}

// TestRoutes_ActionOfEachKindOfRequest keeps the permissions the routes had when they were
// worked out from the URL: reading is open to every role, writes are sorted by what they
// change (the glossary match is a POST that only reads), the accounts need ActionUsers even
// to be listed, and a write no route answers needs an admin.
func TestRoutes_ActionOfEachKindOfRequest(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	table := routeIndex(t, e.server)
	for _, c := range []struct {
		route string
		want  auth.Action
	}{
		{"GET /", auth.ActionRead},
		{"GET /glossary", auth.ActionRead},
		{"GET /api/glossary/export", auth.ActionRead},
		{"GET /settings", auth.ActionRead},
		{"GET /api/users", auth.ActionUsers},
		{"POST /api/glossary/match", auth.ActionRead},
		{"POST /glossary", auth.ActionGlossary},
		{"POST /glossary/import/:token", auth.ActionGlossary},
		{"DELETE /glossary/:id", auth.ActionGlossary},
		{"GET /glossary/:id/history", auth.ActionRead},
		{"GET /api/glossary/:id/history", auth.ActionRead},
		{"GET /api/glossary/imports", auth.ActionRead},
		{"POST /glossary/imports/:id/undo", auth.ActionGlossary},
		{"POST /api/glossary/imports/:id/undo", auth.ActionGlossary},
		{"PUT /api/glossary/:id", auth.ActionGlossary},
		{"POST /api/glossary/import", auth.ActionGlossary},
		{"POST /articles", auth.ActionImport},
		{"POST /api/articles", auth.ActionImport},
		{"GET /memory", auth.ActionImport},
		{"POST /memory/import", auth.ActionImport},
		{"POST /memory/import/:token", auth.ActionImport},
		{"POST /api/memory/import", auth.ActionImport},
		{"GET /api/memory/export", auth.ActionImport},
		{"POST /articles/:id/translate", auth.ActionEdit},
		{"POST /articles/:id/translate/cancel", auth.ActionEdit},
		{"POST /api/articles/:id/translate", auth.ActionEdit},
		{"POST /articles/:id/import", auth.ActionEdit},
		{"POST /articles/:id/import/:token", auth.ActionEdit},
		{"POST /api/articles/:id/import", auth.ActionEdit},
		{"POST /segments/:id", auth.ActionEdit},
		{"POST /segments/:id/approve", auth.ActionEdit},
		{"PUT /api/segments/:id", auth.ActionEdit},
		{"POST /settings", auth.ActionSettings},
		{"GET /settings/backup", auth.ActionBackup},
	} {
		if g, ok := table[c.route]; !ok || g.action != c.want {
			t.Errorf("%s: action %q, want %q", c.route, g.action, c.want)
		}
	}

	e.addUser(t, "zaid", auth.RoleReviewer)
	e.addUser(t, "amal", auth.RoleAdmin)
	reviewer, admin := e.tokenClient(t, "zaid"), e.tokenClient(t, "amal")
	for _, c := range []struct {
		method, path string
		admin        int
	}{
		{"POST", "/something/new", http.StatusNotFound},
		{"PATCH", "/glossaryx", http.StatusNotFound},
		{"POST", "/users", http.StatusNotFound},
		{"POST", "/api/tm/import", http.StatusNotFound},
		{"PUT", "/api/articles/3", http.StatusMethodNotAllowed},
	} {
		r := reviewer.do(c.method, c.path, "", "", nil)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, forbiddenMessage(auth.RoleReviewer, auth.ActionAdmin)) {
			t.Errorf("reviewer: %s %s = %d %s, want 403: a write no route answers needs an admin", c.method, c.path, r.status, r.body)
		}
		if r := admin.do(c.method, c.path, "", "", nil); r.status != c.admin {
			t.Errorf("admin: %s %s = %d, want %d", c.method, c.path, r.status, c.admin)
		}
	}
	if r := reviewer.do("GET", "/nothing/here", "", "", nil); r.status != http.StatusNotFound {
		t.Errorf("reviewer: GET of no route = %d, want 404: reading needs only a login", r.status)
	}
	if r := e.client(t).do("GET", "/nothing/here", "", "", nil); r.status != http.StatusSeeOther {
		t.Errorf("no one: GET of no route = %d, want 303 to the login page", r.status)
	}
}

// tokenClient is a script acting as name with an API token.
func (e *authEnv) tokenClient(t *testing.T, name string) *client {
	t.Helper()
	tok, err := e.users.CreateToken(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t)
	c.bearer = tok
	return c
}

// concretePath fills a route's parameters with values that name nothing, so that a request
// goes as far as the handler and changes nothing.
func concretePath(pattern string) string {
	r := strings.NewReplacer(":id", "999999", ":name", "nobody", ":token", "none", "*path", "app.css")
	return r.Replace(pattern)
}

// TestRoutes_EveryRouteAsEachRole sends every route of the table to a real server over a real
// database, as no one, as a reviewer and as an admin: no one is asked to log in except on
// the public routes; a reviewer is refused exactly the admins' routes, with the reason; an
// admin is refused nothing.
func TestRoutes_EveryRouteAsEachRole(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	e.addUser(t, "amal", auth.RoleAdmin)
	nobody, reviewer, admin := e.client(t), e.tokenClient(t, "zaid"), e.tokenClient(t, "amal")
	for _, g := range e.server.routeTable() {
		for _, rt := range g.routes {
			path := concretePath(rt.path)
			what := rt.method + " " + path

			r := nobody.do(rt.method, path, "", "", nil)
			toLogin := r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login?next=")
			switch {
			case g.who == anyone && (r.status == http.StatusUnauthorized || toLogin):
				t.Errorf("no one: %s = %d: a public route asks for a login", what, r.status)
			case g.who != anyone && r.status != http.StatusUnauthorized && !(toLogin && rt.method == "GET"):
				t.Errorf("no one: %s = %d, want 401 (or a page's redirect to the login form)", what, r.status)
			}

			r = reviewer.do(rt.method, path, "", "", nil)
			if g.who == admins {
				if r.status != http.StatusForbidden || !strings.Contains(r.body, forbiddenMessage(auth.RoleReviewer, g.action)) {
					t.Errorf("reviewer: %s = %d %.200s, want 403 saying %q", what, r.status, r.body, forbiddenMessage(auth.RoleReviewer, g.action))
				}
			} else if r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
				t.Errorf("reviewer: %s = %d %.200s; the table opens it to %s", what, r.status, r.body, g.who)
			}

			if r := admin.do(rt.method, path, "", "", nil); r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
				t.Errorf("admin: %s = %d %.200s", what, r.status, r.body)
			}
		}
	}
}

// TestRoutes_SampleAnswersAsTheTableSays logs in as each role, as a browser does, and sends a
// sample of real requests: each answers as it should where the table lets the role in, and
// 403 where it does not.
func TestRoutes_SampleAnswersAsTheTableSays(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "zaid", auth.RoleReviewer)
	e.addUser(t, "amal", auth.RoleAdmin)
	seg := e.segment(t)
	if _, err := e.articles.SaveTarget(t.Context(), seg.ID, "Ryabkov said Moscow is ready.", seg.Version, "zaid"); err != nil {
		t.Fatal(err)
	}
	term := glossary.Term{Arabic: "الكرملين", English: "the Kremlin", Type: glossary.TypeName}
	if err := e.glossary.Create(t.Context(), &term); err != nil {
		t.Fatal(err)
	}
	table := routeIndex(t, e.server)
	samples := []struct {
		route, path, body string
		ok                int
	}{
		{"GET /", "/", "", 200},
		{"GET /articles/:id", fmt.Sprintf("/articles/%d", seg.ArticleID), "", 200},
		{"GET /segments/:id/history", fmt.Sprintf("/segments/%d/history", seg.ID), "", 200},
		{"GET /glossary", "/glossary", "", 200},
		{"GET /search", "/search?q=" + "موسكو", "", 200},
		{"GET /stats", "/stats", "", 200},
		{"GET /settings", "/settings", "", 200},
		{"GET /api/articles/:id", fmt.Sprintf("/api/articles/%d", seg.ArticleID), "", 200},
		{"GET /api/me", "/api/me", "", 200},
		{"POST /api/glossary/match", "/api/glossary/match", `{"text":"قال الكرملين"}`, 200},
		{"POST /api/segments/:id/approve", fmt.Sprintf("/api/segments/%d/approve", seg.ID), "", 200},
		{"GET /api/glossary/export", "/api/glossary/export", "", 200},
		{"POST /api/glossary", "/api/glossary", `{"arabic":"موسكو","english":"Moscow","type":"name"}`, 201},
		{"POST /api/articles", "/api/articles", `{"title":"t","text":"نص."}`, 201},
		{"GET /api/users", "/api/users", "", 200},
		{"GET /memory", "/memory", "", 200},
		{"GET /api/memory/export", "/api/memory/export", "", 200},
		{"DELETE /api/glossary/:id", fmt.Sprintf("/api/glossary/%d", term.ID), "", 204},
	}
	for _, role := range []auth.Role{auth.RoleReviewer, auth.RoleAdmin} {
		t.Run(string(role), func(t *testing.T) {
			c := e.client(t)
			c.mustLogin(map[auth.Role]string{auth.RoleReviewer: "zaid", auth.RoleAdmin: "amal"}[role])
			for _, s := range samples {
				g, ok := table[s.route]
				if !ok {
					t.Fatalf("%s is not in the route table", s.route)
				}
				want := http.StatusForbidden
				if auth.Can(role, g.action) {
					want = s.ok
				}
				method := strings.Fields(s.route)[0]
				if r := c.api(method, s.path, s.body); r.status != want {
					t.Errorf("%s %s = %d %.200s, want %d (the table opens it to %s)", method, s.path, r.status, r.body, want, g.who)
				}
			}
		})
	}
}
