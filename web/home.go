package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

// articleForm is the home page's new-article form as it is shown again after a refused
// import: the reason, and the title and text the user typed, so nothing has to be retyped.
type articleForm struct {
	Title, Text, Error string
	// Copy is the stored article the refused text is an exact copy of: the form offers to
	// import it all the same.
	Copy *translate.Article
}

func (s *Server) home(c *gin.Context) error {
	return s.renderHome(c, http.StatusOK, articleForm{})
}

// renderHome shows the article list with the new-article form filled as f says.
func (s *Server) renderHome(c *gin.Context, status int, f articleForm) error {
	list, err := s.cfg.Articles.Articles(c.Request.Context())
	if err != nil {
		return err
	}
	var total translate.Progress
	var issues translate.Issues
	for _, a := range list {
		issues.Errors += a.QA.Errors
		issues.Warnings += a.QA.Warnings
		total.Total += a.Progress.Total
		total.Translated += a.Progress.Translated
		total.Edited += a.Progress.Edited
		total.Approved += a.Progress.Approved
		total.Failed += a.Progress.Failed
		total.Excluded += a.Progress.Excluded
	}
	c.Status(status)
	s.render(c, "home.html", pageData{Title: "Articles", Flash: takeFlash(c),
		Data: homeView{Articles: list, Total: total, QA: issues, Limits: translate.LimitsText, Form: f}})
	return nil
}

// homeView is what home.html renders: the article list with the counts of all articles, and
// the new-article form.
type homeView struct {
	Articles []translate.Article
	Total    translate.Progress
	QA       translate.Issues // the open findings of all articles
	Limits   string           // the article limits, worded for the form
	Form     articleForm
}
