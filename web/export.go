package web

import (
	"io"
	"mime"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate/export"
)

// articleExport sends the article as a download: GET /articles/:id/export?format=txt|md|html|xliff|tmx.
func (s *Server) articleExport(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := export.ParseFormat(c.DefaultQuery("format", string(export.FormatTXT)))
	if err != nil {
		return err
	}
	a, segs, err := s.articleWithSegments(c.Request.Context(), id)
	if err != nil {
		return err
	}
	open, err := s.cfg.Articles.OpenFindings(c.Request.Context(), segs)
	if err != nil {
		return err
	}
	return s.download(c, "article", map[string]string{
		"Content-Type":        f.ContentType(),
		"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": export.FileName(a, f)}),
		// Should a browser render the download anyway, it gets no scripts and no network.
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
	}, func(w io.Writer) error { return export.Write(w, f, a, segs, open) })
}
