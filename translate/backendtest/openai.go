// Package backendtest provides fake translation servers on loopback for tests: an
// OpenAI-compatible chat-completions server and a LibreTranslate server, each answering by a
// scenario (success, rate limits, server errors, broken answers, slowness) and recording every
// request so tests can assert what was sent and how often.
package backendtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Segment is one segment as it arrives in a request's JSON document.
type Segment struct {
	ID     int64  `json:"id"`
	Source string `json:"source"`
}

// Term is one glossary entry as it arrives in a request's JSON document.
type Term struct {
	Arabic         string   `json:"arabic"`
	English        string   `json:"english"`
	Type           string   `json:"type,omitempty"`
	Alternatives   []string `json:"accepted_alternatives,omitempty"`
	Forbidden      []string `json:"forbidden,omitempty"`
	Note           string   `json:"note,omitempty"`
	DoNotTranslate bool     `json:"do_not_translate,omitempty"`
}

// Payload is the JSON document a client sends as the user message.
type Payload struct {
	ContextBefore []string  `json:"context_before"`
	Segments      []Segment `json:"segments"`
	ContextAfter  []string  `json:"context_after"`
	Glossary      []Term    `json:"glossary"`
}

// Request is one chat-completions request as the fake server received it.
type Request struct {
	N              int    // arrival order, from 1
	Model          string // the "model" field
	System         string // the system message
	User           string // the user message, raw
	Payload        Payload
	PayloadErr     error    // why User did not parse as a Payload, if it did not
	ResponseFormat string   // "json_schema", "json_object" or "" when absent
	Temperature    *float64 // nil when the field was absent
	Header         http.Header
	Body           []byte
}

// Reply is what the fake server answers to one request.
type Reply struct {
	Status       int               // default 200
	Header       map[string]string // extra response headers (Retry-After)
	Body         string            // sent as is when not empty
	Content      string            // the assistant message, wrapped in a chat-completions answer
	FinishReason string            // default "stop"
	Delay        time.Duration     // wait this long first (or until the client gives up)
}

// Scenario decides the reply to each request.
type Scenario func(r *Request) Reply

// OpenAI is a fake OpenAI-compatible server. Its zero Scenario answers every request well.
type OpenAI struct {
	*httptest.Server
	// Latency is added to every chat request, before the scenario's own Delay.
	Latency time.Duration
	// Models is what GET /v1/models lists.
	Models []string

	mu       sync.Mutex
	scenario Scenario
	reqs     []Request
}

// NewOpenAI starts a fake server with the scenario (nil: Success) and stops it when the test ends.
func NewOpenAI(tb testing.TB, sc Scenario) *OpenAI {
	tb.Helper()
	s := &OpenAI{scenario: sc, Models: []string{"fake-model"}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// BaseURL is what a client takes as its base URL.
func (s *OpenAI) BaseURL() string { return s.URL + "/v1" }

// SetScenario replaces the scenario for the requests to come.
func (s *OpenAI) SetScenario(sc Scenario) {
	s.mu.Lock()
	s.scenario = sc
	s.mu.Unlock()
}

// Requests returns a copy of the chat requests received so far.
func (s *OpenAI) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Count is how many chat requests arrived.
func (s *OpenAI) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// Reset forgets the recorded requests.
func (s *OpenAI) Reset() {
	s.mu.Lock()
	s.reqs = nil
	s.mu.Unlock()
}

func (s *OpenAI) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		var data []map[string]any
		for _, m := range s.Models {
			data = append(data, map[string]any{"id": m, "object": "model", "owned_by": "backendtest"})
		}
		writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
		return
	case r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions":
		writeError(w, http.StatusNotFound, "no route "+r.Method+" "+r.URL.Path, "")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "")
		return
	}
	req, perr := parseChat(body)
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr.Error(), "")
		return
	}
	req.Header = r.Header.Clone()
	s.mu.Lock()
	req.N = len(s.reqs) + 1
	s.reqs = append(s.reqs, req)
	sc := s.scenario
	s.mu.Unlock()
	if sc == nil {
		sc = Success()
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
	finish := reply.FinishReason
	if finish == "" {
		finish = "stop"
	}
	writeJSON(w, status, map[string]any{
		"id": fmt.Sprintf("chatcmpl-%d", req.N), "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": reply.Content},
			"finish_reason": finish,
		}},
		"usage": map[string]int{
			"prompt_tokens":     len(body) / 4,
			"completion_tokens": len(reply.Content) / 4,
			"total_tokens":      len(body)/4 + len(reply.Content)/4,
		},
	})
}

// sleep waits d or until the client goes away; it reports whether to answer.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func parseChat(body []byte) (Request, error) {
	var raw struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		ResponseFormat *struct {
			Type string `json:"type"`
		} `json:"response_format"`
		Temperature *float64 `json:"temperature"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Request{}, fmt.Errorf("request body: %w", err)
	}
	req := Request{Model: raw.Model, Temperature: raw.Temperature, Body: body}
	if raw.ResponseFormat != nil {
		req.ResponseFormat = raw.ResponseFormat.Type
	}
	for _, m := range raw.Messages {
		switch m.Role {
		case "system":
			req.System += m.Content
		case "user":
			req.User += m.Content
		}
	}
	req.PayloadErr = json.Unmarshal([]byte(req.User), &req.Payload)
	return req, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg, param string) {
	e := map[string]any{"message": msg, "type": "invalid_request_error"}
	if param != "" {
		e["param"] = param
	}
	writeJSON(w, status, map[string]any{"error": e})
}

// English is the fake translation of a segment: recognisably English, naming the segment, and
// using the English of every glossary term whose Arabic occurs in the source, the way a model
// that follows the glossary would.
func English(seg Segment, glossary []Term) string {
	var b strings.Builder
	fmt.Fprintf(&b, "English text of segment %d", seg.ID)
	for _, t := range glossary {
		if strings.Contains(seg.Source, t.Arabic) {
			b.WriteString(", " + t.English)
		}
	}
	b.WriteString(".")
	return b.String()
}

// Translation is one answer entry.
type Translation struct {
	ID          int64  `json:"id"`
	Translation string `json:"translation"`
}

// Answer renders translations in the shape the client asks for.
func Answer(trs []Translation) string {
	b, _ := json.Marshal(map[string]any{"translations": trs})
	return string(b)
}

// Good is the well-behaved answer to r: every segment translated by English.
func Good(r *Request) []Translation {
	out := make([]Translation, 0, len(r.Payload.Segments))
	for _, s := range r.Payload.Segments {
		out = append(out, Translation{ID: s.ID, Translation: English(s, r.Payload.Glossary)})
	}
	return out
}

// Success answers every request well.
func Success() Scenario {
	return func(r *Request) Reply { return Reply{Content: Answer(Good(r))} }
}

// Then answers the first n requests with first and every later one with then.
func Then(n int, first, then Scenario) Scenario {
	return func(r *Request) Reply {
		if r.N <= n {
			return first(r)
		}
		return then(r)
	}
}

// Status answers with an HTTP error and an OpenAI-style error body.
func Status(code int, msg string, header map[string]string) Scenario {
	return func(r *Request) Reply {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "server_error"}})
		return Reply{Status: code, Header: header, Body: string(b)}
	}
}

// RateLimited answers the first n requests with 429 and the given Retry-After, then succeeds.
func RateLimited(n int, retryAfter string) Scenario {
	return Then(n, Status(http.StatusTooManyRequests, "Rate limit reached for requests", map[string]string{"Retry-After": retryAfter}), Success())
}

// Unavailable answers the first n requests with 503 and the given Retry-After, then succeeds,
// as an overloaded server does.
func Unavailable(n int, retryAfter string) Scenario {
	return Then(n, Status(http.StatusServiceUnavailable, "The engine is currently overloaded, please try again later",
		map[string]string{"Retry-After": retryAfter}), Success())
}

// ServerError answers the first n requests with 500, then succeeds.
func ServerError(n int) Scenario {
	return Then(n, Status(http.StatusInternalServerError, "The server had an error while processing your request", nil), Success())
}

// AlwaysFail answers every request with 500.
func AlwaysFail() Scenario {
	return Status(http.StatusInternalServerError, "The server had an error while processing your request", nil)
}

// Truncated cuts the first n answers in half, as a model stopped by its token limit does.
func Truncated(n int) Scenario {
	return Then(n, func(r *Request) Reply {
		full := Answer(Good(r))
		return Reply{Content: full[:len(full)/2], FinishReason: "length"}
	}, Success())
}

// TruncatedStop cuts the first n answers in half but says finish_reason "stop", as a proxy or
// a server that drops the end of a stream does: nothing tells the client the answer is short.
func TruncatedStop(n int) Scenario {
	return Then(n, func(r *Request) Reply {
		full := Answer(Good(r))
		return Reply{Content: full[:len(full)/2], FinishReason: "stop"}
	}, Success())
}

// Wrapped answers in prose with the JSON inside a ```json fence, as chatty local models do.
func Wrapped() Scenario {
	return func(r *Request) Reply {
		return Reply{Content: "Sure! Here are the translations you asked for:\n\n```json\n" + Answer(Good(r)) +
			"\n```\n\nLet me know if you need anything else."}
	}
}

// MissingID leaves the last segment out of the first n answers that have more than one
// segment (n < 0: of every such answer).
func MissingID(n int) Scenario {
	count := 0
	var mu sync.Mutex
	return func(r *Request) Reply {
		trs := Good(r)
		mu.Lock()
		drop := len(trs) > 1 && (n < 0 || count < n)
		if drop {
			count++
		}
		mu.Unlock()
		if drop {
			trs = trs[:len(trs)-1]
		}
		return Reply{Content: Answer(trs)}
	}
}

// EchoArabic answers with the Arabic source instead of a translation for segment id, in the
// first n answers that contain it (n < 0: always).
func EchoArabic(id int64, n int) Scenario {
	count := 0
	var mu sync.Mutex
	return func(r *Request) Reply {
		trs := Good(r)
		mu.Lock()
		defer mu.Unlock()
		for i, s := range r.Payload.Segments {
			if s.ID == id && (n < 0 || count < n) {
				count++
				trs[i].Translation = s.Source
			}
		}
		return Reply{Content: Answer(trs)}
	}
}

// Slow answers well after d.
func Slow(d time.Duration) Scenario {
	return func(r *Request) Reply { return Reply{Content: Answer(Good(r)), Delay: d} }
}

// RejectSchema answers requests asking for response_format json_schema with a 400, as servers
// without structured output do, and everything else well.
func RejectSchema() Scenario {
	return func(r *Request) Reply {
		if r.ResponseFormat == "json_schema" {
			b, _ := json.Marshal(map[string]any{"error": map[string]any{
				"message": "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
				"type":    "invalid_request_error", "param": "response_format"}})
			return Reply{Status: http.StatusBadRequest, Body: string(b)}
		}
		return Reply{Content: Answer(Good(r))}
	}
}
