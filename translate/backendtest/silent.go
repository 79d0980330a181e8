package backendtest

import (
	"net"
	"sync"
	"testing"
)

// Silent is a server that accepts connections and never answers: not a byte, not a close.
// It is what a hung model server or a stuck proxy looks like to a client.
type Silent struct {
	URL string // http://127.0.0.1:port

	mu    sync.Mutex
	conns []net.Conn
	n     int
}

// NewSilent starts a silent server on loopback and stops it when the test ends.
func NewSilent(tb testing.TB) *Silent {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Silent{URL: "http://" + ln.Addr().String()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.n++
			s.mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		<-done
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

// Accepted is how many connections the server took.
func (s *Silent) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}
