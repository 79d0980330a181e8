package web

import (
	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

func (s *Server) home(c *gin.Context) error {
	list, err := s.cfg.Articles.Articles(c.Request.Context())
	if err != nil {
		return err
	}
	var total translate.Progress
	for _, a := range list {
		total.Total += a.Progress.Total
		total.Translated += a.Progress.Translated
		total.Edited += a.Progress.Edited
		total.Approved += a.Progress.Approved
		total.Failed += a.Progress.Failed
		total.Excluded += a.Progress.Excluded
	}
	s.render(c, "home.html", pageData{Title: "Articles", Flash: c.Query("msg"), Data: gin.H{"Articles": list, "Total": total, "Limits": translate.LimitsText}})
	return nil
}
