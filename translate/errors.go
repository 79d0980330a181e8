package translate

import "fmt"

// Error is an error of the translate packages that says its kind ("not found", "invalid",
// "conflict", "unavailable"), so that the web server and the CLI can answer each kind alike
// without knowing every message. The message is shown as written; make one with the Errorf
// of the kind's sentinel: ErrInvalid.Errorf("target: over %d bytes", n).
type Error struct {
	kind  string
	error // the message; through it, what the message wraps (%w)
}

// Kind says what kind of failure this is.
func (e *Error) Kind() string { return e.kind }

// Unwrap keeps what the message wraps (a store's database error, a file's
// arabic.TextError) reachable for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.error }

// Is makes every Error match the sentinel of its kind, so errors.Is(err, ErrInvalid) holds
// for each invalid input whatever its message.
func (e *Error) Is(target error) bool { t, ok := target.(*Error); return ok && t.kind == e.kind }

// Errorf returns an error of e's kind with the message fmt.Errorf(format, args...) gives;
// the sub-packages make their errors with it too.
func (e *Error) Errorf(format string, args ...any) error {
	return &Error{e.kind, fmt.Errorf(format, args...)}
}
