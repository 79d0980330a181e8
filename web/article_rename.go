package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// articleRename takes the article page's rename form (title) and goes back to the article,
// saying so.
func (s *Server) articleRename(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.cfg.Articles.RenameArticle(c.Request.Context(), id, c.PostForm("title"))
	if err != nil {
		return err
	}
	s.log.Info("article renamed", "id", a.ID, "by", reviewerName(c))
	redirectWithFlash(c, fmt.Sprintf("/articles/%d", a.ID), "Renamed to «"+a.Title+"».")
	return nil
}

// apiArticleRename answers PATCH /api/articles/:id {"title"} with the renamed article.
func (s *Server) apiArticleRename(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		Title *string `json:"title"`
	}
	if err := bindJSON(c, &req, `{"title"}`); err != nil {
		return err
	}
	if req.Title == nil {
		return badRequest(`title: required: the article's new title, as {"title"}`)
	}
	a, err := s.cfg.Articles.RenameArticle(c.Request.Context(), id, *req.Title)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, a)
	return nil
}
