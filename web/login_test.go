package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/web/auth"
)

func TestLogin_FormSessionAndLogout(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", true)
	e.addUser(t, "amal", auth.RoleReviewer)
	seg := e.segment(t)
	cl := e.client(t)
	clock := newTestClock() // each failure delays the next attempt from the address
	e.server.logins.setClock(clock.now)

	r := cl.login("amal", "wrong password")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong name or password.") || !strings.Contains(r.body, `value="amal"`) {
		t.Fatalf("wrong password = %d\n%s", r.status, r.body)
	}
	if r := cl.login("nobody", "wrong password"); !strings.Contains(r.body, "Wrong name or password.") {
		t.Fatalf("unknown name = %d, and a different message", r.status)
	}
	if r := cl.login("amal", "password-of-amal"); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many failed attempts. Try again in 1 second.") {
		t.Fatalf("an attempt inside the wait = %d, want 429 saying how long to wait\n%s", r.status, r.body)
	}
	clock.advance(time.Second)
	if cl.cookie(sessionCookie) != nil {
		t.Fatal("a failed login set a session cookie")
	}

	page := cl.do("GET", "/login?next=/articles/1", "", "", nil)
	r = cl.form("/login", url.Values{"name": {"amal"}, "password": {"password-of-amal"}, "next": {"/articles/1"}, csrfField: {csrfOf(page.body)}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/articles/1" {
		t.Fatalf("login = %d to %q", r.status, r.header.Get("Location"))
	}
	var set *http.Cookie
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == sessionCookie {
			set = ck
		}
	}
	if set == nil || !set.HttpOnly || !set.Secure || set.SameSite != http.SameSiteLaxMode || set.Path != "/" || set.MaxAge < 13*24*3600 {
		t.Fatalf("session cookie = %+v, want HttpOnly, Secure under TLS, SameSite=Lax, Path=/, 14 days", set)
	}
	home := cl.do("GET", "/", "", "", nil)
	cl.csrf = csrfOf(home.body)
	if home.status != 200 {
		t.Fatalf("GET / after login = %d", home.status)
	}
	if r := cl.form(fmt.Sprintf("/segments/%d", seg.ID), url.Values{"version": {"1"}, "target": {"Ryabkov said."}, csrfField: {csrfOf(home.body)}}); r.status != 200 {
		t.Fatalf("save after login = %d %s", r.status, r.body)
	}
	revs, _ := e.articles.Revisions(context.Background(), seg.ID)
	if len(revs) != 1 || revs[0].Author != "amal" {
		t.Fatalf("revisions = %+v, want one by amal", revs)
	}

	if r := cl.form("/logout", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("logout without the CSRF token = %d, want 403", r.status)
	}
	stolen := set.Value
	r = cl.form("/logout", url.Values{csrfField: {cl.csrf}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("logout = %d to %q", r.status, r.header.Get("Location"))
	}
	if cl.cookie(sessionCookie) != nil {
		t.Error("logout left the session cookie")
	}
	if r := cl.form("/logout", url.Values{}); r.status != http.StatusSeeOther {
		t.Errorf("logout without a session = %d, want 303 to the login page", r.status)
	}
	if r := cl.login(`<script>alert(1)</script>`, "x"); strings.Contains(r.body, "<script>alert(1)") || !strings.Contains(r.body, "&lt;script&gt;") {
		t.Error("the login form echoes the name unescaped")
	}
	replay := e.client(t)
	u, _ := url.Parse(e.srv.URL)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: stolen, Path: "/"}})
	if r := replay.api("GET", "/api/articles", ""); r.status != http.StatusUnauthorized {
		t.Errorf("the logged-out session's cookie = %d, want 401", r.status)
	}
}

// TestLoginPage_ShowsOnlyTheBrand: someone not logged in sees the brand, not the links
// and the backend of a workbench they cannot use yet; once logged in, both are there.
func TestLoginPage_ShowsOnlyTheBrand(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "amal", auth.RoleReviewer)
	cl := e.client(t)
	page := cl.do("GET", "/login", "", "", nil)
	if page.status != http.StatusOK || !strings.Contains(page.body, `class="brand"`) {
		t.Fatalf("GET /login = %d without the brand", page.status)
	}
	for _, hidden := range []string{"<nav>", "MT:", `href="/glossary"`} {
		if strings.Contains(page.body, hidden) {
			t.Errorf("login page shows %q to a visitor not logged in", hidden)
		}
	}
	cl.mustLogin("amal")
	home := cl.do("GET", "/", "", "", nil)
	for _, shown := range []string{"<nav>", "MT:", `href="/glossary"`} {
		if !strings.Contains(home.body, shown) {
			t.Errorf("home page after login lacks %q", shown)
		}
	}
}
