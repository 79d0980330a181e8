package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// articleDelete takes the article page's delete form (the page asks first) and goes to the
// article list, saying what was deleted.
func (s *Server) articleDelete(c *gin.Context) error {
	a, err := s.deleteArticle(c)
	if err != nil {
		return err
	}
	redirectWithFlash(c, "/", "Deleted «"+a.Title+"». Its approved translations stay in the translation memory.")
	return nil
}

// apiArticleDelete answers DELETE /api/articles/:id with {"deleted": the article as it was}.
func (s *Server) apiArticleDelete(c *gin.Context) error {
	a, err := s.deleteArticle(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"deleted": a})
	return nil
}

// deleteArticle deletes the article of the :id parameter, refusing while a translation runs
// on it (the store refuses a run it has recorded; a run of this server is refused already
// while it is starting).
func (s *Server) deleteArticle(c *gin.Context) (translate.Article, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return translate.Article{}, err
	}
	ctx := c.Request.Context()
	a, err := s.cfg.Articles.Article(ctx, id)
	if err != nil {
		return translate.Article{}, err
	}
	if err := s.refuseWhileTranslating(a, "deleting it"); err != nil {
		return translate.Article{}, err
	}
	if err := s.cfg.Articles.DeleteArticle(ctx, id); err != nil {
		return translate.Article{}, err
	}
	s.log.Info("article deleted", "id", a.ID, "segments", a.Progress.Total, "by", reviewerName(c))
	a.SourceText = ""
	return a, nil
}

// refuseWhileTranslating refuses (ErrConflict) an action on article a, what ("deleting it"),
// while this server runs a translation on it.
func (s *Server) refuseWhileTranslating(a translate.Article, what string) error {
	if job, _ := s.cfg.MT.Status(a.ID); job.Running {
		return store.RunningError(a, what)
	}
	return nil
}
