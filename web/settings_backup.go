package web

import (
	"fmt"
	"net/http"
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
	w := &downloadWriter{c: c, name: name}
	if err := s.cfg.Backup(c.Request.Context(), w); err != nil {
		if !w.started {
			return err
		}
		s.log.Error("backup download cut off", "by", reviewerName(c), "err", err)
		panic(http.ErrAbortHandler)
	}
	w.start()
	s.log.Info("backup downloaded", "by", reviewerName(c), "file", name)
	return nil
}

// downloadWriter sends the download's headers with its first byte, so that the handler can
// still answer with an error while nothing has been written.
type downloadWriter struct {
	c       *gin.Context
	name    string
	started bool
}

func (w *downloadWriter) start() {
	if w.started {
		return
	}
	w.started = true
	h := w.c.Writer.Header()
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", `attachment; filename="`+w.name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.c.Status(http.StatusOK)
}

func (w *downloadWriter) Write(p []byte) (int, error) {
	w.start()
	return w.c.Writer.Write(p)
}
