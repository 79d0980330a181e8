package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/translate/store"
)

var errPageNotFound = httpError(http.StatusNotFound, "page not found")

// statusError is an error whose HTTP status the handler that refuses the request decides
// (bad ids, unsupported methods, a missing login); it keeps the error it wraps.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }

// Unwrap gives the error the message wraps, so that statusOf still sees an oversized body.
func (e *statusError) Unwrap() error { return e.err }

// httpError returns an error with the status and the message fmt.Errorf(format, args...)
// gives.
func httpError(status int, format string, args ...any) error {
	return &statusError{status, fmt.Errorf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return httpError(http.StatusBadRequest, format, args...)
}

// kinded is how the domain packages' errors (translate, glossary, web/auth, arabic) say
// what kind of failure they are; statusOf answers each kind with its status.
type kinded interface{ Kind() string }

// kindStatus gives the HTTP status of each kind of error.
var kindStatus = map[string]int{
	"not found":   http.StatusNotFound,
	"invalid":     http.StatusBadRequest,
	"conflict":    http.StatusConflict,
	"forbidden":   http.StatusForbidden,
	"too large":   http.StatusRequestEntityTooLarge,
	"unavailable": http.StatusBadGateway, // the translation backend failed us
}

// statusOf is the one mapping from errors to HTTP statuses: a body over the upload limit
// wherever it was read, then the status a handler chose, then the error's kind.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	var se *statusError
	var k kinded
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.As(err, &se):
		return se.status
	case errors.As(err, &k):
		if status, ok := kindStatus[k.Kind()]; ok {
			return status
		}
	}
	return http.StatusInternalServerError
}

// userMessage is what a user is told about a refused request (a 4xx): the limit for an
// oversized body, or the message as written with how to fix it here when the error says
// what to fix (the domain packages say what is wrong, the pages and the API what to do).
func userMessage(err error) string {
	var mbe *http.MaxBytesError
	var ve *store.VersionError
	var te *arabic.TextError
	var se *translate.SettingError
	var wf *store.WrongFileError
	var since *glossary.EditedSinceError
	fix := ""
	switch {
	case errors.As(err, &since):
		fix = `undo it with "force": true to replace those changes`
	case errors.As(err, &mbe):
		return "upload too large: the limit is " + strconv.FormatInt(mbe.Limit>>20, 10) + " MiB"
	case errors.As(err, &ve):
		fix = "send the version you started from, as GET /api/articles/:id gives it"
	case errors.As(err, &te) && te.OtherEncoding:
		fix = "save the file as UTF-8 and upload it again"
	case errors.As(err, &se):
		fix = settingHints[se.Setting][se.Missing]
	case errors.As(err, &wf):
		fix = wrongFileHints[wf.Takes]
	case errors.As(err, new(*store.QAError)):
		fix = "fix the English, or ignore each finding explicitly: the Ignore button beside it, or POST /api/segments/:id/ignore with its check and message"
	}
	if fix == "" {
		return err.Error()
	}
	return err.Error() + " (" + fix + ")"
}

// wrongFileHints says where a file that is no article goes, by the command that takes it.
var wrongFileHints = map[string]string{
	store.WrongGlossary: "import it on the Glossary page",
	store.WrongTMX:      "import it into the translation memory with tarjama tm import",
}

// settingHints says, for each backend setting, how to give it (Missing) or correct it on the
// Settings page.
var settingHints = map[string]map[bool]string{
	translate.SettingAPIKey: {true: "type the key on the Settings page, or choose a local server there", false: "check the key on the Settings page"},
	translate.SettingModel:  {true: "choose a model the server serves on the Settings page", false: "check the model and the server URL on the Settings page"},
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
			addConflict(body, ce)
		}
		var gce *glossary.ConflictError
		if errors.As(err, &gce) {
			body["existing"] = gce.Existing
		}
		var dup *translate.DuplicateError
		if errors.As(err, &dup) {
			body["existing"] = dup.Existing
		}
		var since *glossary.EditedSinceError
		if errors.As(err, &since) {
			body["terms"] = since.Terms
		}
		if qe, ok := qaRefusal(err); ok {
			body["findings"] = qe.Findings
		}
		c.AbortWithStatusJSON(status, body)
		return
	}
	c.Status(status)
	s.render(c, "error.html", pageData{Title: http.StatusText(status), Data: errorView{Status: status, Message: msg}})
	c.Abort()
}

// addConflict puts into a 409's body what the reviewer needs to choose: the segment as it is
// now ("current"), who saved it and when ("saved_by", "saved_at", "saved_kind", from the
// revision that made it so; absent when it has none), the text the refused write brought
// ("mine") and the word diff from mine to theirs ("diff": del runs are words only mine has,
// ins runs words only theirs has; absent when the write brought no text).
func addConflict(body gin.H, ce *translate.ConflictError) {
	body["current"] = ce.Current
	if ce.Saved != nil {
		body["saved_by"] = ce.Saved.Author
		body["saved_at"] = ce.Saved.CreatedAt
		body["saved_kind"] = ce.Saved.Kind
	}
	if ce.Mine != "" {
		body["mine"] = ce.Mine
		body["diff"] = diff.Words(ce.Mine, ce.Current.Target)
	}
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
		return httpError(http.StatusUnsupportedMediaType, "body: send JSON with Content-Type: application/json (the request's content type: %s)", ct)
	}
	return nil
}

// bindJSON decodes a JSON body into v; a body not declared as JSON is a 415, a malformed
// one a 400 that shows the expected shape (an oversized one a 413, see statusOf).
func bindJSON(c *gin.Context, v any, shape string) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	if err := c.ShouldBindJSON(v); err != nil {
		return badRequest("body: expected JSON %s: %w", shape, err)
	}
	return nil
}

// readBody reads the request body whole and leaves it in place for a later bind.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return nil, badRequest("body: %w", err)
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// idParam reads a positive integer path parameter.
func idParam(c *gin.Context, name string) (int64, error) {
	v := c.Param(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("%s %q is not a valid id", name, v)
	}
	return id, nil
}
