package backendtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// LibreRequest is one /translate request as the fake LibreTranslate server received it.
type LibreRequest struct {
	N      int
	Q      []string
	Source string
	Target string
	Format string
	APIKey string
}

// LibreScenario decides the reply to each /translate request. Reply.Content is not used;
// Reply.Body, when empty, is filled with LibreEnglish of every q.
type LibreScenario func(r *LibreRequest) Reply

// LibreTranslate is a fake LibreTranslate server.
type LibreTranslate struct {
	*httptest.Server
	// Latency is added to every /translate request.
	Latency time.Duration
	// Key, when set, is the only api_key accepted (403 otherwise).
	Key string

	mu       sync.Mutex
	scenario LibreScenario
	reqs     []LibreRequest
}

// NewLibreTranslate starts a fake LibreTranslate server (nil scenario: every request
// succeeds) and stops it when the test ends.
func NewLibreTranslate(tb testing.TB, sc LibreScenario) *LibreTranslate {
	tb.Helper()
	s := &LibreTranslate{scenario: sc}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Requests returns a copy of the /translate requests received so far.
func (s *LibreTranslate) Requests() []LibreRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LibreRequest(nil), s.reqs...)
}

// Count is how many /translate requests arrived.
func (s *LibreTranslate) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// LibreEnglish is the fake LibreTranslate translation of one text.
func LibreEnglish(q string) string {
	return fmt.Sprintf("English sentence of %d characters.", utf8.RuneCountInString(q))
}

// LibreStatus answers with an HTTP error in LibreTranslate's {"error": …} shape.
func LibreStatus(code int, msg string, header map[string]string) LibreScenario {
	return func(r *LibreRequest) Reply {
		b, _ := json.Marshal(map[string]string{"error": msg})
		return Reply{Status: code, Header: header, Body: string(b)}
	}
}

// LibreThen answers the first n requests with first and every later one with then.
func LibreThen(n int, first, then LibreScenario) LibreScenario {
	return func(r *LibreRequest) Reply {
		if r.N <= n {
			return first(r)
		}
		return then(r)
	}
}

// LibreSuccess answers every request well.
func LibreSuccess() LibreScenario { return func(r *LibreRequest) Reply { return Reply{} } }

// LibreAlwaysFail answers every request with 500.
func LibreAlwaysFail() LibreScenario {
	return LibreStatus(http.StatusInternalServerError, "Cannot translate text: internal error", nil)
}

// LibreSlow answers well after d.
func LibreSlow(d time.Duration) LibreScenario {
	return func(r *LibreRequest) Reply { return Reply{Delay: d} }
}

// LibreEchoArabic answers with the text itself, untranslated, for every q equal to source, as a
// model that does not know a sentence passes it through; the other texts are translated.
func LibreEchoArabic(source string) LibreScenario {
	return func(r *LibreRequest) Reply {
		out := make([]string, len(r.Q))
		for i, q := range r.Q {
			out[i] = LibreEnglish(q)
			if q == source {
				out[i] = q
			}
		}
		b, _ := json.Marshal(map[string]any{"translatedText": out})
		return Reply{Body: string(b)}
	}
}

func (s *LibreTranslate) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/languages":
		writeJSON(w, http.StatusOK, []map[string]any{
			{"code": "ar", "name": "Arabic", "targets": []string{"ar", "en"}},
			{"code": "en", "name": "English", "targets": []string{"ar", "en"}},
		})
		return
	case r.Method != http.MethodPost || r.URL.Path != "/translate":
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Not Found"})
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	var raw struct {
		Q      json.RawMessage `json:"q"`
		Source string          `json:"source"`
		Target string          `json:"target"`
		Format string          `json:"format"`
		APIKey string          `json:"api_key"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Invalid request: " + err.Error()})
		return
	}
	req := LibreRequest{Source: raw.Source, Target: raw.Target, Format: raw.Format, APIKey: raw.APIKey}
	single := false
	if err := json.Unmarshal(raw.Q, &req.Q); err != nil {
		var one string
		if err := json.Unmarshal(raw.Q, &one); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Invalid request: missing q parameter"})
			return
		}
		req.Q, single = []string{one}, true
	}
	s.mu.Lock()
	req.N = len(s.reqs) + 1
	s.reqs = append(s.reqs, req)
	sc := s.scenario
	s.mu.Unlock()
	if s.Key != "" && req.APIKey != s.Key {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "Invalid API key"})
		return
	}
	if sc == nil {
		sc = LibreSuccess()
	}
	reply := sc(&req)
	if !sleep(r, s.Latency+reply.Delay) {
		return
	}
	for k, v := range reply.Header {
		w.Header().Set(k, v)
	}
	status := reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	if reply.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, reply.Body)
		return
	}
	out := make([]string, len(req.Q))
	for i, q := range req.Q {
		out[i] = LibreEnglish(q)
	}
	if single {
		writeJSON(w, status, map[string]any{"translatedText": out[0]})
		return
	}
	writeJSON(w, status, map[string]any{"translatedText": out})
}
