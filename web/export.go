package web

import (
	"bytes"
	"mime"
	"net/http"

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
	// Written to a buffer first, so a failure is a clean error response, not half a file.
	var buf bytes.Buffer
	if err := export.Write(&buf, f, a, segs); err != nil {
		return err
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": export.FileName(a, f)}))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cache-Control", "no-store")
	// Should a browser render the download anyway, it gets no scripts and no network.
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	c.Data(http.StatusOK, f.ContentType(), buf.Bytes())
	return nil
}
