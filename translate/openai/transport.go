package openai

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
)

// go-openai turns an HTTP error into *openai.APIError without the response headers, and its
// request struct drops a temperature of 0 (omitempty), which servers then read as their
// default of 1. Both are fixed below the client, in the HTTP transport: each request carries
// a *call in its context, the transport copies the response headers into it and, when asked,
// puts "temperature": 0 into the body.

// call is what one chat request shares with the transport.
type call struct {
	zeroTemperature bool        // add "temperature": 0 when the body has no temperature
	header          http.Header // the response headers, once an answer arrived
	status          int
	sent            int // requests handed to the network, whether or not an answer came
}

type callKey struct{}

func withCall(ctx context.Context, c *call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// transport wraps the real transport for the two fixes above.
type transport struct {
	base http.RoundTripper
}

// RoundTrip applies the two fixes around the wrapped transport.
func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c, _ := req.Context().Value(callKey{}).(*call)
	if c != nil && c.zeroTemperature && req.Body != nil && req.Method == http.MethodPost {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = withZeroTemperature(body)
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.ContentLength = int64(len(body))
		req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if c != nil {
		c.sent++
	}
	if c != nil && resp != nil {
		c.header = resp.Header.Clone()
		c.status = resp.StatusCode
	}
	return resp, err
}

// withZeroTemperature adds "temperature":0 as the first member of a JSON object body that has
// no temperature member. JSON objects are unordered, so putting it first is as good as anywhere.
func withZeroTemperature(body []byte) []byte {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || bytes.Contains(body, []byte(`"temperature"`)) {
		return body
	}
	rest := bytes.TrimLeft(trimmed[1:], " \t\r\n")
	out := make([]byte, 0, len(body)+18)
	out = append(out, `{"temperature":0`...)
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}
