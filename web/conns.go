package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// ConnLimits bound what one connection may take from the server, so that slow or idle
// clients cannot pile up: a client that stops reading is cut off, and connections beyond
// MaxConns are turned away with 503. Zero fields take the defaults below.
type ConnLimits struct {
	// ReadHeader is how long a client may take to send a request's headers.
	ReadHeader time.Duration
	// Read is how long a client may take to send a whole request, its body included (an
	// upload of the largest allowed file over a slow line).
	Read time.Duration
	// Write is how long any one write of a response may take, counted afresh for each piece
	// written: a response, a download or the live-progress stream goes on while the client
	// reads it, and a client that stops reading is cut off this long after.
	Write time.Duration
	// Idle is how long a kept-alive connection waits for its next request.
	Idle time.Duration
	// MaxConns is how many connections may be open at once; a request on a connection
	// beyond it is answered 503 "server busy" with Retry-After, and the connection closed.
	MaxConns int
	// StreamKeepAlive is how often the live-progress stream sends a comment when no event
	// came, so that proxies keep it open and a gone client is noticed.
	StreamKeepAlive time.Duration
	// StreamMaxLife ends a live-progress stream after this long; the page's EventSource
	// reconnects at once and carries on.
	StreamMaxLife time.Duration
}

// Defaults of ConnLimits.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 2 * time.Minute
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = time.Minute
	DefaultMaxConns          = 256
	DefaultStreamKeepAlive   = 15 * time.Second
	DefaultStreamMaxLife     = 5 * time.Minute
)

func (l ConnLimits) withDefaults() ConnLimits {
	for _, f := range []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&l.ReadHeader, DefaultReadHeaderTimeout}, {&l.Read, DefaultReadTimeout}, {&l.Write, DefaultWriteTimeout},
		{&l.Idle, DefaultIdleTimeout}, {&l.StreamKeepAlive, DefaultStreamKeepAlive}, {&l.StreamMaxLife, DefaultStreamMaxLife},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if l.MaxConns <= 0 {
		l.MaxConns = DefaultMaxConns
	}
	return l
}

// busyRetryAfter is what a 503 "server busy" tells the client to wait, in seconds.
const busyRetryAfter = 5

// writeChunk is the most one write of a response sends under one deadline; a larger write
// is cut into pieces, each with the deadline renewed, so a big answer needs a client that
// keeps reading, not one fast enough to take it all within one deadline.
const writeChunk = 64 << 10

// connCap is a listener that counts its open connections. A connection accepted while
// max are open is marked busy rather than refused at once: the server reads its request and
// answers 503 with Retry-After, which a client can act on, where a bare close looks like a
// crash. Busy connections are themselves capped at max; beyond that one is closed unanswered.
type connCap struct {
	net.Listener
	max        int64
	open, busy atomic.Int64
}

// cappedConn is a connection counted by connCap until it is closed.
type cappedConn struct {
	net.Conn
	busy    bool
	once    sync.Once
	release func()
}

func (c *cappedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

func (l *connCap) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Add(1) <= l.max {
			return &cappedConn{Conn: c, release: func() { l.open.Add(-1) }}, nil
		}
		l.open.Add(-1)
		if l.busy.Add(1) <= l.max {
			return &cappedConn{Conn: c, busy: true, release: func() { l.busy.Add(-1) }}, nil
		}
		l.busy.Add(-1)
		c.Close()
	}
}

// busyKey marks the context of a connection accepted beyond the cap.
type busyKey struct{}

// connContext marks the requests of a busy connection, for refuseBusy.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*cappedConn); ok && cc.busy {
		return context.WithValue(ctx, busyKey{}, true)
	}
	return ctx
}

// refuseBusy answers every request of a connection beyond the cap with 503 "server busy"
// and closes the connection; the others go to next. Refusals are logged at most once per
// interval, with their count, so a flood does not flood the log too.
func (s *Server) refuseBusy(next http.Handler) http.Handler {
	var refused atomic.Int64
	var lastLog atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(busyKey{}) == nil {
			next.ServeHTTP(w, r)
			return
		}
		n := refused.Add(1)
		if now, last := time.Now().UnixNano(), lastLog.Load(); now-last > int64(10*time.Second) && lastLog.CompareAndSwap(last, now) {
			s.log.Warn("server busy: connections beyond the cap refused", "max_conns", s.conns.MaxConns, "refused_so_far", n)
		}
		w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
		w.Header().Set("Connection", "close")
		msg := "server busy: " + strconv.Itoa(s.conns.MaxConns) + " connections are open, the most it takes; try again in a few seconds"
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusServiceUnavailable, msg)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, msg+"\n")
	})
}

// deadlineWriter renews the connection's write deadline before each piece it writes, so
// that every write of a response must finish within the Write limit.
type deadlineWriter struct {
	gin.ResponseWriter
	rc *http.ResponseController // of the connection's own writer, under gin's
	d  time.Duration
}

func (w *deadlineWriter) renew() {
	// An error means the writer cannot take deadlines (a test's recorder); nothing to bound.
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.d))
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		piece := p[:min(len(p), writeChunk)]
		w.renew()
		n, err := w.ResponseWriter.Write(piece)
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

func (w *deadlineWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// FlushError sends what is buffered and says whether it got out, which gin's Flush does
// not: the live-progress stream stops at the first event its client did not take.
func (w *deadlineWriter) FlushError() error {
	w.ResponseWriter.WriteHeaderNow()
	w.renew()
	return w.rc.Flush()
}

func (w *deadlineWriter) Flush() { _ = w.FlushError() }

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeDeadlines puts a write deadline on every response: each write must finish within
// limit, and so must what the server sends after the handler returns (the headers of an
// empty answer, the end of a chunked one).
func writeDeadlines(limit time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		var raw http.ResponseWriter = c.Writer
		if u, ok := raw.(interface{ Unwrap() http.ResponseWriter }); ok {
			raw = u.Unwrap()
		}
		w := &deadlineWriter{ResponseWriter: c.Writer, rc: http.NewResponseController(raw), d: limit}
		c.Writer = w
		c.Next()
		w.renew()
	}
}

// downloadWriter sends a download's headers with its first byte, so that the handler can
// still answer with an error while nothing has been written.
type downloadWriter struct {
	c       *gin.Context
	header  map[string]string
	started bool
}

func (w *downloadWriter) start() {
	if w.started {
		return
	}
	w.started = true
	h := w.c.Writer.Header()
	for k, v := range w.header {
		h.Set(k, v)
	}
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.c.Status(http.StatusOK)
}

func (w *downloadWriter) Write(p []byte) (int, error) {
	w.start()
	return w.c.Writer.Write(p)
}

// download streams what write writes to the client as a file, with the headers given (its
// Content-Type and Content-Disposition), never holding the whole file in memory. An error
// before the first byte is an ordinary error answer; one after it cuts the connection, so
// that the client reports a failed download rather than keep a short file — as it does when
// the client stops reading and the write deadline passes.
func (s *Server) download(c *gin.Context, what string, header map[string]string, write func(io.Writer) error) error {
	w := &downloadWriter{c: c, header: header}
	if err := write(w); err != nil {
		if !w.started {
			return err
		}
		s.log.Warn("download cut off", "download", what, "path", c.Request.URL.Path, "by", reviewerName(c), "err", err)
		panic(http.ErrAbortHandler)
	}
	w.start()
	return nil
}
