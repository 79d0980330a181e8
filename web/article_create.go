package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// articleCreate takes the paste/upload form: a file wins over pasted text, and its content
// decides what it is (store.ReadUpload). A text or another tool's XLIFF file becomes a new
// article; an XLIFF export of an article goes to that article's page, to be previewed before
// it comes back. A refused import shows the home page again with the reason and the typed
// title and text.
func (s *Server) articleCreate(c *gin.Context) error {
	up, err := s.readArticleForm(c)
	var p *store.Parsed
	if err == nil {
		p, err = store.ReadUpload(up)
	}
	if err == nil && p.Kind == store.KindExport {
		_, err = s.cfg.Articles.ArticleProgress(c.Request.Context(), p.ExportOf)
		if err == nil {
			return s.exports.preview(c, p.ExportOf, up.Name, up.Data)
		}
		if errors.Is(err, translate.ErrNotFound) {
			err = translate.ErrInvalid.Errorf("%s is an export of article %d, which is not in this database", up.Name, p.ExportOf)
		}
	}
	allow, ferr := formBool(c, "allow_duplicate")
	if err == nil {
		err = ferr
	}
	var a translate.Article
	var notice string
	if err == nil {
		a, notice, err = s.importArticle(c, up, allow)
	}
	if status := statusOf(err); status == http.StatusBadRequest || status == http.StatusConflict || status == http.StatusRequestEntityTooLarge {
		f := articleForm{Title: c.PostForm("title"), Text: c.PostForm("text"), Error: userMessage(err)}
		var dup *translate.DuplicateError
		if errors.As(err, &dup) {
			f.Copy = &dup.Existing
		}
		return s.renderHome(c, status, f)
	}
	if err != nil {
		return err
	}
	s.log.Info("article imported", "id", a.ID, "segments", a.Progress.Total, "from", up.Name)
	if notice != "" {
		redirectWithFlash(c, fmt.Sprintf("/articles/%d", a.ID), "Imported; "+notice+".")
		return nil
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d", a.ID))
	return nil
}

// readArticleForm reads the form into an upload: the file when one was chosen, else the
// pasted title and text.
func (s *Server) readArticleForm(c *gin.Context) (store.Upload, error) {
	if _, err := c.FormFile("file"); err == nil {
		name, data, err := s.readFileUpload(c, "the article", s.cfg.MaxUploadBytes)
		return store.Upload{Name: name, Data: data, Title: c.PostForm("title")}, err
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return store.Upload{}, err
	}
	return store.Upload{Name: "pasted text", Title: c.PostForm("title"), Text: c.PostForm("text")}, nil
}
