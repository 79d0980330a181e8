package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
)

// articleCreate takes the paste/upload form: a file wins over pasted text. A refused
// import shows the home page again with the reason and the typed title and text.
func (s *Server) articleCreate(c *gin.Context) error {
	title, text, name, err := s.readArticleForm(c)
	var a translate.Article
	if err == nil {
		a, err = s.cfg.Articles.CreateArticle(c.Request.Context(), title, text, name)
	}
	if status := statusOf(err); status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge {
		return s.renderHome(c, status, articleForm{Title: c.PostForm("title"), Text: c.PostForm("text"), Error: userMessage(err)})
	}
	if err != nil {
		return err
	}
	s.log.Info("article imported", "id", a.ID, "segments", a.Progress.Total, "from", name)
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d", a.ID))
	return nil
}

func (s *Server) readArticleForm(c *gin.Context) (title, text, name string, err error) {
	fh, ferr := c.FormFile("file")
	switch {
	case ferr == nil:
		f, err := fh.Open()
		if err != nil {
			return "", "", "", err
		}
		defer f.Close()
		// The request body limit already bounds the file; reading it whole lets the
		// error say how large it really is.
		data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUploadBytes))
		if err != nil {
			return "", "", "", err
		}
		t, body, err := translate.ParseText(fh.Filename, data)
		if err != nil {
			return "", "", "", err
		}
		if ft := c.PostForm("title"); ft != "" {
			t = ft
		}
		return t, body, fh.Filename, nil
	case !errors.Is(ferr, http.ErrMissingFile) && !errors.Is(ferr, http.ErrNotMultipart):
		return "", "", "", ferr
	}
	t, body, err := translate.NewText("pasted text", c.PostForm("title"), c.PostForm("text"))
	return t, body, "", err
}
