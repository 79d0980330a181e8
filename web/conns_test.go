package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// serveLimited runs a server with the connection limits given on a loopback port until the
// test ends, and returns its address; log receives what it logs.
func serveLimited(t *testing.T, e *testEnv, limits ConnLimits, log *slog.Logger) string {
	t.Helper()
	s, err := NewServer(Config{Articles: e.articles, Memory: e.stores.Memory, Glossary: e.glossary, MT: e.mt, Logger: log, Conns: limits})
	if err != nil {
		t.Fatal(err)
	}
	return listenOnLoopback(t, s)
}

// listenOnLoopback runs s.ListenAndServe on a free loopback port until the test ends, and
// returns the address.
func listenOnLoopback(tb testing.TB, s *Server) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() }) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("shutdown: %v", err)
		}
	})
	return <-addrc
}

// cutOffLog counts the downloads the server logs as cut off.
type cutOffLog struct {
	slog.Handler
	cut chan string
}

func (h cutOffLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "download cut off" {
		h.cut <- r.Message
	}
	return nil
}

func (h cutOffLog) Enabled(context.Context, slog.Level) bool { return true }

func (h cutOffLog) WithAttrs([]slog.Attr) slog.Handler { return h }

// bigGlossary stores n terms whose notes make the CSV export about n×2 KB.
func bigGlossary(t *testing.T, g *glossary.Store, n int) int {
	t.Helper()
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	var b strings.Builder
	b.WriteString("arabic,english,note\n")
	note := strings.Repeat("a long note on usage. ", 90)
	for i := range n {
		word := []rune{'ك', 'ل', 'م'}
		for v := i; ; v /= len(letters) {
			word = append(word, letters[v%len(letters)])
			if v < len(letters) {
				break
			}
		}
		fmt.Fprintf(&b, "%s,term %d,%s\n", string(word), i, note)
	}
	if _, err := g.Import(t.Context(), strings.NewReader(b.String()), glossary.ImportOptions{Name: "big.csv"}); err != nil {
		t.Fatal(err)
	}
	return b.Len()
}

// dialSmallWindow opens a connection that takes little before its receive window is full,
// as a client that does not read soon looks to the server.
func dialSmallWindow(t *testing.T, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// liveHeap is the bytes of live heap objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSlowReadersAreCutOff: clients that ask for a large glossary export and never read it
// hold no copy of the file in the server (the export streams) and are cut off once a write
// has waited for the write deadline; they then find their download broken, not complete.
func TestSlowReadersAreCutOff(t *testing.T) {
	e := newTestEnv(t)
	size := bigGlossary(t, e.glossary, 4000) // ~8 MB, beyond what the sockets buffer
	const clients = 8
	cut := make(chan string, clients)
	addr := serveLimited(t, e, ConnLimits{Write: time.Second}, slog.New(cutOffLog{slog.DiscardHandler, cut}))

	before := liveHeap()
	conns := make([]net.Conn, clients)
	for i := range conns {
		conns[i] = dialSmallWindow(t, addr)
		if _, err := io.WriteString(conns[i], "GET /api/glossary/export HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	// While the exports wait on their clients, and until the last is cut off, the server
	// holds a few buffers per export, not the export.
	var peak uint64
	timeout := time.After(20 * time.Second)
	for n := 0; n < clients; {
		select {
		case <-cut:
			n++
		case <-time.After(50 * time.Millisecond):
			peak = max(peak, liveHeap())
		case <-timeout:
			t.Fatalf("%d of %d slow readers cut off after 20 s; the write deadline is 1 s", n, clients)
		}
	}
	growth := int64(peak) - int64(before)
	t.Logf("live heap %.1f MB before, %.1f MB at most while %d clients stalled on a %.1f MB export each (%+.1f MB)",
		mb(before), mb(peak), clients, mb(uint64(size)), float64(growth)/(1<<20))
	if limit := int64(clients * size / 8); growth > limit {
		t.Errorf("the live heap grew by %.1f MB while %d slow readers stalled, over %.1f MB: exports are held in memory",
			float64(growth)/(1<<20), clients, float64(limit)/(1<<20))
	}
	// Reading now, each client finds the download broken off before its end.
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err == nil || n >= int64(size) {
			t.Errorf("client %d: status %d, %d of ~%d bytes, read error %v; want a download cut off", i, resp.StatusCode, n, size, err)
		}
	}
	if after := liveHeap(); int64(after)-int64(before) > int64(size) {
		t.Errorf("live heap %.1f MB after the slow readers were cut off, %.1f MB before", mb(after), mb(before))
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// TestConnectionCap: with MaxConns connections open, a request on one more is answered 503
// "server busy" with Retry-After at once, and the connection closed; once one closes, a new
// connection is served.
func TestConnectionCap(t *testing.T) {
	e := newTestEnv(t)
	addr := serveLimited(t, e, ConnLimits{MaxConns: 2}, slogDiscard())
	get := func(c net.Conn, path string) *http.Response {
		t.Helper()
		if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		return resp
	}
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// Two kept-alive connections, each having been served.
	open := []net.Conn{dial(), dial()}
	for _, c := range open {
		if resp := get(c, "/api/articles"); resp.StatusCode != http.StatusOK {
			t.Fatalf("within the cap: %d", resp.StatusCode)
		}
	}
	for _, path := range []string{"/api/articles", "/"} {
		c := dial()
		resp := get(c, path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "server busy") {
			t.Errorf("%s beyond the cap = %d, Retry-After %q, %q; want 503 server busy with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		if !resp.Close {
			t.Errorf("%s beyond the cap: the connection is kept open", path)
		}
		// The server closes it: the next read ends.
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s beyond the cap: the connection is still open", path)
		}
	}
	open[0].Close()
	// The closed connection's place comes free once the server has seen it close.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp := get(dial(), "/api/articles")
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a connection closed, a new one still gets %d", resp.StatusCode)
		}
	}
}

// TestWriteDeadlineRenewsWhileTheClientReads: a download that takes many write deadlines
// to send goes through to a client that reads it slowly but steadily: the deadline bounds
// each write, not the whole answer.
func TestWriteDeadlineRenewsWhileTheClientReads(t *testing.T) {
	e := newTestEnv(t)
	size := bigGlossary(t, e.glossary, 500) // ~1 MB
	const deadline = 200 * time.Millisecond
	addr := serveLimited(t, e, ConnLimits{Write: deadline}, slogDiscard())
	c := dialSmallWindow(t, addr)
	if _, err := io.WriteString(c, "GET /api/glossary/export HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(slowReader{c}), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil || n < int64(size)*9/10 {
		t.Fatalf("read %d of ~%d bytes in %s: %v; want the whole export", n, size, took, err)
	}
	if took < 3*deadline {
		t.Errorf("the export took %s, less than three write deadlines (%s): the client was not slow enough to test", took, deadline)
	}
}

// slowReader reads at most 16 KB at a time, 5 ms apart.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(5 * time.Millisecond)
	return s.r.Read(p[:min(len(p), 16<<10)])
}

// TestLiveStreamKeepAliveAndReconnect: the live-progress stream sends a comment while no
// event comes, and ends with a "reconnect" event after its maximum life, the run still
// going; following again picks the run up.
func TestLiveStreamKeepAliveAndReconnect(t *testing.T) {
	e := newTestEnv(t)
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	e.llm.SetScenario(func(r *backendtest.Request) backendtest.Reply {
		<-release // the run waits here until the test has followed it twice
		return backendtest.Success()(r)
	})
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	addr := serveLimited(t, e, ConnLimits{StreamKeepAlive: 50 * time.Millisecond, StreamMaxLife: 400 * time.Millisecond}, slogDiscard())
	if err := e.mt.Start(a.ID, pipeline.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		resp, err := http.Get(fmt.Sprintf("http://%s/articles/%d/events", addr, a.ID))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		text := string(body)
		if !strings.HasPrefix(text, "retry: ") || !strings.Contains(text, "\n: keep-alive\n") || !strings.HasSuffix(text, "event: reconnect\ndata: {\"article_id\":"+fmt.Sprint(a.ID)+"}\n\n") {
			t.Errorf("round %d: stream %q; want a retry delay, keep-alive comments and a closing reconnect event", round, text)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("round %d: stream lasted %s, its maximum life is 400ms", round, d)
		}
	}
	free()
	waitForRun(t, e.mt, a.ID)
}
