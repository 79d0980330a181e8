package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// newSeededAuthServer is newSeededServer with accounts: one reviewer, so logins are needed.
func newSeededAuthServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	return newSeededServerWith(t, func(cfg *Config, db *migrations.DB) {
		users := auth.NewStore(db.W, db.R, time.Now)
		if _, err := users.Create(context.Background(), "huda", auth.RoleReviewer, "the right password"); err != nil {
			t.Fatal(err)
		}
		cfg.Auth, cfg.ListenAddr = users, "127.0.0.1:8080"
	})
}

func TestBrowser_LoginEditLogout(t *testing.T) {
	ctx := newBrowser(t)
	srv, articles := newSeededAuthServer(t)
	list, _ := articles.Articles(context.Background())
	first := list[0]
	segs, _ := articles.Segments(context.Background(), first.ID)
	edit := segs[2]
	correction := "Ryabkov said Moscow was ready for dialogue."
	articlePath := fmt.Sprintf("/articles/%d", first.ID)

	var loginURL, wrong, user, errorsShown string
	err := chromedp.Run(ctx,
		// A page without a session leads to the login form, remembering where it was going.
		chromedp.Navigate(srv.URL+articlePath),
		chromedp.WaitVisible("#login-form"),
		chromedp.Location(&loginURL),
		chromedp.SendKeys(`#login-form input[name="name"]`, "huda", chromedp.ByQuery),
		chromedp.SendKeys(`#login-form input[name="password"]`, "a wrong password", chromedp.ByQuery),
		chromedp.Submit("#login-form", chromedp.ByQuery),
		chromedp.WaitVisible("#login-error"),
		chromedp.Text("#login-error", &wrong),
		// The name stays filled in; only the password is typed again.
		chromedp.SendKeys(`#login-form input[name="password"]`, "the right password", chromedp.ByQuery),
		chromedp.Submit("#login-form", chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf("#seg-%d textarea", edit.ID), chromedp.ByQuery),
		chromedp.Text("header form.logout .user", &user, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loginURL, "/login?next=%2Farticles%2F"+fmt.Sprint(first.ID)) {
		t.Errorf("redirected to %q, want the login page with next", loginURL)
	}
	if wrong != "Wrong name or password." {
		t.Errorf("wrong password message = %q", wrong)
	}
	if user != "huda" {
		t.Errorf("header shows %q logged in, want huda", user)
	}

	err = chromedp.Run(ctx,
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector("#seg-%d textarea").value = ""`, edit.ID), nil),
		chromedp.SendKeys(fmt.Sprintf("#seg-%d textarea", edit.ID), correction, chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf("#seg-%d button.save", edit.ID), chromedp.ByQuery),
		waitJS(fmt.Sprintf(`document.querySelector("#seg-%d .status") && document.querySelector("#seg-%d .status").textContent.trim() === "edited"`, edit.ID, edit.ID), 10*time.Second),
		chromedp.Evaluate(`document.getElementById("errors").hidden ? "" : document.getElementById("errors").textContent`, &errorsShown),
	)
	if err != nil {
		t.Fatalf("saving a segment after login: %v", err)
	}
	if errorsShown != "" {
		t.Errorf("page shows an error: %s", errorsShown)
	}
	saved, _ := articles.Segment(context.Background(), edit.ID)
	revs, _ := articles.Revisions(context.Background(), edit.ID)
	if saved.Target != correction || len(revs) == 0 || revs[len(revs)-1].Author != "huda" {
		t.Fatalf("stored %q with revisions %+v; want the correction by huda", saved.Target, revs)
	}

	var afterLogout string
	err = chromedp.Run(ctx,
		chromedp.Click("header form.logout button", chromedp.ByQuery),
		chromedp.WaitVisible("#login-form"),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#login-form"),
		chromedp.Location(&afterLogout),
	)
	if err != nil {
		t.Fatalf("logout: %v", err)
	}
	if !strings.Contains(afterLogout, "/login") {
		t.Errorf("after logout / shows %q, want the login page", afterLogout)
	}
}
