package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/web/auth"
)

// who is the least role a group of routes is open to, as the route table says it. Each
// label must agree with what auth.Can answers for the group's action (TestRoutes_TableAgreesWithCan).
type who string

// The audiences of the route table, from everyone to admins only.
const (
	anyone    who = "public"    // no login needed: static files, the login form, logout
	signedIn  who = "signed in" // every account, and single-user mode: reading
	reviewers who = "reviewer"  // reviewers and admins: editing, approving, translating
	admins    who = "admin"     // admins only: shared configuration and data in bulk
)

// route is one method and path with its handler.
type route struct {
	method, path string
	handler      gin.HandlerFunc
}

// routeGroup is routes that need the same permission.
type routeGroup struct {
	who who
	// action is what auth.Can is asked for every route of the group; public groups have
	// none and bring their own middleware instead.
	action     auth.Action
	middleware []gin.HandlerFunc
	// accounts marks routes that exist only when the server has accounts (Config.Auth).
	accounts bool
	routes   []route
}

// routeTable is every route the server answers, grouped by who may call it. A route belongs
// in exactly one group; TestRoutes_EveryRouteIsInTheTable fails for one registered elsewhere.
func (s *Server) routeTable() []routeGroup {
	glossaryPage := newGlossaryPage(s)
	memoryPage := newMemoryPage(s)
	login := newLoginPage(s)
	return []routeGroup{
		// Static files need no one to be identified; they only get the double-submit
		// cookie, like every other answer to a browser without a session.
		{who: anyone, middleware: []gin.HandlerFunc{s.csrf(true)}, routes: []route{
			{"GET", "/static/*path", s.static},
			{"GET", "/favicon.ico", s.favicon},
		}},
		{who: anyone, accounts: true, middleware: []gin.HandlerFunc{s.identifyAnyone(), s.csrf(false)}, routes: []route{
			{"GET", "/login", s.handle(login.show)},
			{"POST", "/login", s.handle(login.submit)},
		}},
		// No double-submit check: identify has checked a session's own CSRF token, and
		// without a session there is nothing to end and nothing to forge, so a stale page's
		// logout button works.
		{who: anyone, accounts: true, middleware: []gin.HandlerFunc{s.identifyAnyone()}, routes: []route{
			{"POST", "/logout", s.handle(login.logout)},
		}},

		{who: signedIn, action: auth.ActionRead, routes: []route{
			{"GET", "/", s.handle(s.home)},
			{"GET", "/articles/:id", s.handle(s.articleShow)},
			{"GET", "/articles/:id/events", s.handle(s.articleEvents)},
			{"GET", "/articles/:id/export", s.handle(s.articleExport)},
			{"GET", "/articles/:id/read", s.handle(s.articleRead)},
			{"GET", "/segments/:id/history", s.handle(s.segmentHistory)},
			{"GET", "/segments/:id/tm", s.handle(s.segmentTM)},
			{"GET", "/glossary", s.handle(glossaryPage.list)},
			{"GET", "/glossary/:id", s.handle(glossaryPage.row)},
			{"GET", "/glossary/:id/edit", s.handle(glossaryPage.editRow)},
			{"GET", "/glossary/:id/history", s.handle(glossaryPage.history)},
			{"GET", "/search", s.handle(s.searchPage)},
			{"GET", "/stats", s.handle(s.statsShow)},
			{"GET", "/settings", s.handle(s.settingsShow)},

			{"GET", "/api/articles", s.handle(s.apiArticleList)},
			{"GET", "/api/articles/:id", s.handle(s.apiArticleGet)},
			{"GET", "/api/articles/:id/translate", s.handle(s.apiArticleTranslateStatus)},
			{"GET", "/api/articles/:id/runs", s.handle(s.apiArticleRuns)},
			{"GET", "/api/articles/:id/replace", s.handle(s.apiArticleReplacePreview)},
			{"GET", "/api/articles/:id/export", s.handle(s.articleExport)},
			{"GET", "/api/segments/:id", s.handle(s.apiSegmentGet)},
			{"GET", "/api/segments/:id/revisions", s.handle(s.apiSegmentRevisions)},
			{"GET", "/api/segments/:id/history", s.handle(s.apiSegmentHistory)},
			{"GET", "/api/segments/:id/tm", s.handle(s.apiSegmentTM)},
			{"GET", "/api/segments/:id/suggestions", s.handle(s.apiSegmentSuggestions)},
			{"GET", "/api/glossary", s.handle(s.apiTermList)},
			{"GET", "/api/glossary/export", s.handle(s.apiGlossaryExport)},
			{"GET", "/api/glossary/imports", s.handle(s.apiGlossaryImports)},
			{"GET", "/api/glossary/:id/history", s.handle(s.apiTermHistory)},
			{"POST", "/segments/:id/check", s.handle(s.segmentCheck)},     // the editor's check as one types: only reads
			{"POST", "/api/glossary/match", s.handle(s.apiGlossaryMatch)}, // a POST that only reads
			{"POST", "/api/check", s.handle(s.apiCheck)},                  // likewise
			{"POST", "/api/segments/:id/check", s.handle(s.apiSegmentCheck)},
			{"GET", "/api/search", s.handle(s.apiSearch)},
			{"GET", "/api/stats", s.handle(s.apiStats)},
		}},
		{who: signedIn, action: auth.ActionRead, accounts: true, routes: []route{
			{"GET", "/api/me", s.handle(s.apiMe)},
		}},

		{who: reviewers, action: auth.ActionEdit, routes: []route{
			{"POST", "/articles/:id/translate", s.handle(s.articleTranslate)},
			{"POST", "/articles/:id/translate/cancel", s.handle(s.articleTranslateCancel)},
			{"POST", "/segments/:id", s.handle(s.segmentSave)},
			{"POST", "/segments/:id/approve", s.handle(s.segmentApprove)},
			{"POST", "/segments/:id/theirs", s.handle(s.segmentTheirs)},
			{"POST", "/segments/:id/exclude", s.handle(s.segmentExclude)},
			{"POST", "/segments/:id/include", s.handle(s.segmentInclude)},
			{"POST", "/segments/:id/ignore", s.handle(s.segmentIgnore)},
			{"POST", "/segments/:id/unapprove", s.handle(s.segmentUnapprove)},
			{"POST", "/segments/:id/restore", s.handle(s.segmentRestore)},

			// An XLIFF export coming back changes the article's segments, as editing does.
			{"POST", "/articles/:id/import", s.handle(s.exports.upload)},
			{"POST", "/articles/:id/import/:token", s.handle(s.exports.apply)},

			{"POST", "/api/articles/:id/translate", s.handle(s.apiArticleTranslate)},
			{"POST", "/api/articles/:id/import", s.handle(s.exports.apiImport)},
			{"POST", "/api/articles/:id/approve", s.handle(s.apiArticleApproveAll)},
			{"POST", "/api/articles/:id/replace", s.handle(s.apiArticleReplace)},
			{"PUT", "/api/segments/:id", s.handle(s.apiSegmentSave)},
			{"POST", "/api/segments/:id/approve", s.handle(s.apiSegmentApprove)},
			{"POST", "/api/segments/:id/exclude", s.handle(s.apiSegmentExclude)},
			{"POST", "/api/segments/:id/ignore", s.handle(s.apiSegmentIgnore)},
			{"POST", "/api/segments/:id/unapprove", s.handle(s.apiSegmentUnapprove)},
			{"POST", "/api/segments/:id/restore", s.handle(s.apiSegmentRestore)},
			{"POST", "/api/segments/:id/split", s.handle(s.apiSegmentSplit)},
			{"POST", "/api/segments/:id/merge", s.handle(s.apiSegmentMerge)},
		}},

		{who: admins, action: auth.ActionImport, routes: []route{
			{"POST", "/articles", s.handle(s.articleCreate)},
			{"POST", "/articles/:id/rename", s.handle(s.articleRename)},
			{"POST", "/articles/:id/delete", s.handle(s.articleDelete)},
			{"POST", "/api/articles", s.handle(s.apiArticleCreate)},
			{"PATCH", "/api/articles/:id", s.handle(s.apiArticleRename)},
			{"DELETE", "/api/articles/:id", s.handle(s.apiArticleDelete)},
			{"GET", "/memory", s.handle(memoryPage.show)},
			{"POST", "/memory/import", s.handle(memoryPage.importUpload)},
			{"POST", "/memory/import/:token", s.handle(memoryPage.importStashed)},
			{"POST", "/api/memory/import", s.handle(s.apiMemoryImport)},
			{"GET", "/api/memory/export", s.handle(s.apiMemoryExport)},
		}},
		{who: admins, action: auth.ActionGlossary, routes: []route{
			{"POST", "/glossary", s.handle(glossaryPage.create)},
			{"POST", "/glossary/:id", s.handle(glossaryPage.save)},
			{"DELETE", "/glossary/:id", s.handle(glossaryPage.delete)},
			{"POST", "/glossary/import", s.handle(glossaryPage.importUpload)},
			{"POST", "/glossary/import/:token", s.handle(glossaryPage.importStashed)},
			{"POST", "/glossary/imports/:id/undo", s.handle(glossaryPage.undo)},

			{"POST", "/api/glossary", s.handle(s.apiTermCreate)},
			{"PUT", "/api/glossary/:id", s.handle(s.apiTermUpdate)},
			{"DELETE", "/api/glossary/:id", s.handle(s.apiTermDelete)},
			{"POST", "/api/glossary/import", s.handle(s.apiGlossaryImport)},
			{"POST", "/api/glossary/imports/:id/undo", s.handle(s.apiGlossaryUndo)},
		}},
		{who: admins, action: auth.ActionSettings, routes: []route{
			{"POST", "/settings", s.handle(s.settingsSave)},
			{"POST", "/settings/qa", s.handle(s.settingsQASave)},
		}},
		{who: admins, action: auth.ActionBackup, routes: []route{
			{"GET", "/settings/backup", s.handle(s.settingsBackup)},
		}},
		{who: admins, action: auth.ActionUsers, accounts: true, routes: []route{
			{"GET", "/api/users", s.handle(s.apiUserList)},
			{"POST", "/api/users", s.handle(s.apiUserCreate)},
			{"DELETE", "/api/users/:name", s.handle(s.apiUserDelete)},
		}},
	}
}

// routes builds the engine from the route table, each group behind its own middleware.
func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(s.recovery(), s.logRequests(), writeDeadlines(s.conns.Write), s.limitBody())
	r.HandleMethodNotAllowed = true
	// A request no route answers is refused as one the table forgot would be: reading needs
	// a login and writing an admin. Who may ask is told 404 or 405.
	r.NoRoute(s.authorizeUnknown(), s.csrf(false), func(c *gin.Context) {
		s.fail(c, fmt.Errorf("%s: %w", c.Request.URL.Path, errPageNotFound))
	})
	r.NoMethod(s.authorizeUnknown(), s.csrf(false), func(c *gin.Context) {
		s.fail(c, httpError(http.StatusMethodNotAllowed, "%s is not allowed here", c.Request.Method))
	})
	for _, g := range s.routeTable() {
		if g.accounts && s.cfg.Auth == nil {
			continue
		}
		group := r.Group("", s.guard(g)...)
		for _, rt := range g.routes {
			group.Handle(rt.method, rt.path, rt.handler)
		}
	}
	return r
}

// guard is a group's middleware: a public group's own, else the permission check for the
// group's action and the CSRF check of its writes (none when the group only reads).
func (s *Server) guard(g routeGroup) []gin.HandlerFunc {
	if g.action == "" {
		return g.middleware
	}
	return []gin.HandlerFunc{s.authorize(g.action), s.csrf(g.action == auth.ActionRead)}
}
