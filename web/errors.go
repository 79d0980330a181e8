package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/web/auth"
)

var errPageNotFound = errors.New("page not found")

// statusError is an error that already knows its HTTP status (bad ids, unsupported methods).
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &statusError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// statusOf is the one mapping from errors to HTTP statuses.
func statusOf(err error) int {
	var se *statusError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se.status
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, translate.ErrNotFound), errors.Is(err, glossary.ErrNotFound), errors.Is(err, errPageNotFound):
		return http.StatusNotFound
	case errors.Is(err, translate.ErrConflict), errors.Is(err, glossary.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, translate.ErrInvalid), errors.Is(err, glossary.ErrInvalid):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// codeWords are the texts of the error codes that are wrapped with %w so that statusOf and
// callers can test them with errors.Is ("invalid", "conflict"): they classify the error and
// say nothing to a reader, who would otherwise see "invalid: text: empty".
var codeWords = map[string]bool{
	translate.ErrInvalid.Error(): true, translate.ErrConflict.Error(): true,
	glossary.ErrInvalid.Error(): true, glossary.ErrConflict.Error(): true,
	auth.ErrInvalid.Error(): true, auth.ErrConflict.Error(): true,
}

// Message is the text of err as a user reads it, in a response or on the terminal: the
// error codes wrapped into it ("invalid: ", ": invalid") are left out. It works on the text,
// not the error chain, because some callers (usage errors, statusError) keep only the text.
func Message(err error) string {
	lines := strings.Split(err.Error(), "\n")
	for i, line := range lines {
		rest := strings.TrimLeft(line, " \t")
		indent := line[:len(line)-len(rest)]
		parts := strings.Split(rest, ": ")
		kept := parts[:0]
		for _, p := range parts {
			if !codeWords[p] {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			continue // the line was nothing but a code: keep it as it was
		}
		lines[i] = indent + strings.Join(kept, ": ")
	}
	return strings.Join(lines, "\n")
}

// userMessage is what a user is told about a refused request (a 4xx): Message, and the
// limit for an oversized body.
func userMessage(err error) string {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "upload too large: the limit is " + strconv.FormatInt(mbe.Limit>>20, 10) + " MiB"
	}
	return Message(err)
}

// fail writes err as JSON for API calls and htmx requests, and as an HTML page otherwise.
// Internal errors are logged in full and shown to the user only in general terms.
func (s *Server) fail(c *gin.Context, err error) {
	status := statusOf(err)
	msg := userMessage(err)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		msg = "internal error; the server log has the details"
	}
	if c.Writer.Written() {
		return
	}
	if isAPI(c) || isHTMX(c) {
		body := gin.H{"error": msg}
		var ce *translate.ConflictError
		if errors.As(err, &ce) {
			body["current"] = ce.Current
		}
		var gce *glossary.ConflictError
		if errors.As(err, &gce) {
			body["existing"] = gce.Existing
		}
		c.AbortWithStatusJSON(status, body)
		return
	}
	c.Status(status)
	s.render(c, "error.html", pageData{Title: http.StatusText(status), Data: errorView{Status: status, Message: msg}})
	c.Abort()
}

// errorView is what error.html renders.
type errorView struct {
	Status  int
	Message string
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

func isHTMX(c *gin.Context) bool { return c.GetHeader("HX-Request") == "true" }

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// requireJSON refuses a body that is not declared as JSON (415). gin's ShouldBindJSON
// decodes whatever it is given, so without this a form could post JSON labelled as
// multipart or text/plain and have it read as JSON.
func requireJSON(c *gin.Context) error {
	if ct := c.ContentType(); ct != "application/json" {
		if ct == "" {
			ct = "none"
		}
		return &statusError{http.StatusUnsupportedMediaType, "body: send JSON with Content-Type: application/json (the request's content type: " + ct + ")"}
	}
	return nil
}

// bindJSON decodes a JSON body into v; a body not declared as JSON is a 415, a malformed
// one a 400 that shows the expected shape, an oversized one stays a *http.MaxBytesError (413).
func bindJSON(c *gin.Context, v any, shape string) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	err := c.ShouldBindJSON(v)
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe):
		return mbe
	}
	return badRequest("body: expected JSON %s: %v", shape, err)
}

// idParam reads a positive integer path parameter.
func idParam(c *gin.Context, name string) (int64, error) {
	v := c.Param(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &statusError{http.StatusBadRequest, name + " " + strconv.Quote(v) + " is not a valid id"}
	}
	return id, nil
}
