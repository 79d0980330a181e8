package web

import (
	"fmt"
	"io"
	"time"

	"github.com/gin-gonic/gin"
)

// settingsBackup streams a copy of the whole database (Config.Backup) as a download named
// with the time it was taken. An error before the first byte is an ordinary error page; one
// after it cuts the connection, so the browser reports a failed download rather than keep a
// short file.
func (s *Server) settingsBackup(c *gin.Context) error {
	if s.cfg.Backup == nil {
		return fmt.Errorf("backups: %w", errPageNotFound)
	}
	name := "tarjama-backup-" + time.Now().UTC().Format("2006-01-02-1504") + ".db"
	err := s.download(c, "backup", map[string]string{
		"Content-Type":        "application/vnd.sqlite3",
		"Content-Disposition": `attachment; filename="` + name + `"`,
	}, func(w io.Writer) error { return s.cfg.Backup(c.Request.Context(), w) })
	if err == nil {
		s.log.Info("backup downloaded", "by", reviewerName(c), "file", name)
	}
	return err
}
