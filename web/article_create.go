package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// articleCreate takes the paste/upload form: a file wins over pasted text. A refused
// import shows the home page again with the reason and the typed title and text.
func (s *Server) articleCreate(c *gin.Context) error {
	t, name, err := s.readArticleForm(c)
	var a translate.Article
	if err == nil {
		a, err = s.cfg.Articles.CreateArticle(c.Request.Context(), t.Title, t.Body, name)
	}
	if status := statusOf(err); status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge {
		return s.renderHome(c, status, articleForm{Title: c.PostForm("title"), Text: c.PostForm("text"), Error: userMessage(err)})
	}
	if err != nil {
		return err
	}
	s.log.Info("article imported", "id", a.ID, "segments", a.Progress.Total, "from", name)
	if n := t.Notice(); n != "" {
		redirectWithFlash(c, fmt.Sprintf("/articles/%d", a.ID), "Imported; "+n+".")
		return nil
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d", a.ID))
	return nil
}

// readArticleForm reads the form's file, or else its pasted text, with the title typed in
// the form (empty: the text's first line), and names the file.
func (s *Server) readArticleForm(c *gin.Context) (translate.Text, string, error) {
	fh, ferr := c.FormFile("file")
	switch {
	case ferr == nil:
		f, err := fh.Open()
		if err != nil {
			return translate.Text{}, "", err
		}
		defer f.Close()
		// The request body limit already bounds the file; reading it whole lets the
		// error say how large it really is.
		data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUploadBytes))
		if err != nil {
			return translate.Text{}, "", err
		}
		// The file's name is kept with the article and shown with it.
		if _, _, err := arabic.CleanField("file name", fh.Filename, arabic.RefuseBidi); err != nil {
			return translate.Text{}, "", translate.ErrInvalid.Errorf("%w", err)
		}
		t, err := translate.ReadText(fh.Filename, c.PostForm("title"), data)
		return t, fh.Filename, err
	case !errors.Is(ferr, http.ErrMissingFile) && !errors.Is(ferr, http.ErrNotMultipart):
		return translate.Text{}, "", ferr
	}
	t, err := translate.NewText("pasted text", c.PostForm("title"), c.PostForm("text"))
	return t, "", err
}
