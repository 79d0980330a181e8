package web

import (
	"github.com/gin-gonic/gin"
)

func (s *Server) home(c *gin.Context) error {
	list, err := s.cfg.Articles.Articles(c.Request.Context())
	if err != nil {
		return err
	}
	s.render(c, "home.html", pageData{Title: "Articles", Flash: c.Query("msg"), Data: gin.H{"Articles": list}})
	return nil
}
