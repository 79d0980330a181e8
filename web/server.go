// Package web is Tarjama's HTTP server: the review pages, the JSON API under /api, and the
// embedded templates and static assets.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// Config is everything the server needs; cmd/tarjama fills it in.
type Config struct {
	Articles *store.Store
	Memory   *memory.Memory // the translation memory: similar sentences beside a segment
	Glossary *glossary.Store
	MT       *backends.Service
	Logger   *slog.Logger
	// MaxUploadBytes limits request bodies (article uploads, glossary CSV); 0 means 8 MiB.
	MaxUploadBytes int64
	// Auth holds the accounts; nil leaves the workbench open to anyone who can reach it.
	Auth *auth.Store
	// ListenAddr is the address served on: with Auth and no account yet, a loopback address
	// runs in single-user mode and any other needs a login.
	ListenAddr string
	// Backup writes a consistent, verified copy of the database (an SQLite file) to w, for
	// the settings page's download; it writes nothing unless the whole copy is good. nil
	// leaves the download out. cmd/tarjama provides it, since only it holds the database.
	Backup func(ctx context.Context, w io.Writer) error
	// Conns bounds the connections: timeouts, the write deadline, the cap on open
	// connections, the live-progress stream's keep-alive and life; zero fields take defaults.
	Conns ConnLimits
}

// Server serves the workbench.
type Server struct {
	cfg    Config
	log    *slog.Logger
	tmpl   map[string]*template.Template
	engine *gin.Engine
	logins *loginLimiter
	conns  ConnLimits
	// xlsxSlots bounds the XLSX exports built at once: a workbook is zipped whole in
	// memory before its first byte goes out (excelize cannot stream the zip), unlike the
	// CSV and TBX exports, which stream.
	xlsxSlots chan struct{}
	// exports brings XLIFF exports back into their articles; the article page and the home
	// page's upload form both send files to it.
	exports *exportImport
}

// NewServer builds the server, parsing and checking every template once.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Articles == nil || cfg.Memory == nil || cfg.Glossary == nil || cfg.MT == nil {
		return nil, errors.New("web: Config needs Articles, Memory, Glossary and MT")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 8 << 20
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, tmpl: tmpl, logins: newLoginLimiter(time.Now), conns: cfg.Conns.withDefaults(),
		xlsxSlots: make(chan struct{}, maxXLSXExports)}
	s.exports = newExportImport(s)
	s.engine = s.routes()
	return s, nil
}

// Handler returns the server's http.Handler, wrapped in cross-origin protection. Every
// response it writes has a write deadline (ConnLimits.Write); the cap on connections and the
// connection timeouts are ListenAndServe's.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusForbidden, "cross-origin request refused")
	}))
	return cop.Handler(s.engine)
}

// handle adapts a handler that returns an error into a gin handler; all errors go through
// s.fail, the one place that turns them into statuses.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.fail(c, err)
		}
	}
}

func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "path", c.Request.URL.Path, "panic", v)
				s.fail(c, errors.New("internal error"))
				c.Abort()
			}
		}()
		c.Next()
	}
}

func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if c.Request.URL.Path == "/static" || len(c.Request.URL.Path) > 7 && c.Request.URL.Path[:8] == "/static/" {
			return
		}
		s.log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "duration", time.Since(start).Round(time.Microsecond))
	}
}

func (s *Server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes)
		}
		c.Next()
	}
}

// ListenAndServe serves on addr until ctx is cancelled, then shuts down gracefully. ready,
// if not nil, receives the bound address once the listener is open (addr may use port 0).
// Connections are bounded by Config.Conns: header, body and idle timeouts, and at most
// MaxConns open at once, a request on any further one answered 503 "server busy".
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.refuseBusy(s.Handler()),
		ConnContext:       connContext,
		ReadHeaderTimeout: s.conns.ReadHeader,
		ReadTimeout:       s.conns.Read,
		// No WriteTimeout: it would count from the request's headers and so cut off a
		// long translation or the live-progress stream; each write has its own deadline
		// instead (writeDeadlines).
		IdleTimeout: s.conns.Idle,
		ErrorLog:    slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	// Live progress streams last as long as a run: end the runs when shutting down so the
	// streams close and Shutdown does not wait for them.
	srv.RegisterOnShutdown(s.cfg.MT.Close)
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(&connCap{Listener: ln, max: int64(s.conns.MaxConns)}) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
