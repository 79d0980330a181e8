package translate

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// TestErrorKinds: an Error shows its message as written, matches the sentinel of its kind
// and no other, says its kind, and keeps what it wraps reachable.
func TestErrorKinds(t *testing.T) {
	text := &arabic.TextError{File: "a.txt", Line: 3, Reason: "not valid UTF-8 text", OtherEncoding: true}
	err := fmt.Errorf("import: %w", ErrInvalid.Errorf("%w", text))
	if got, want := err.Error(), "import: a.txt:3: not valid UTF-8 text"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
		t.Errorf("%v matches the wrong sentinels", err)
	}
	var te *arabic.TextError
	if !errors.As(err, &te) || te != text || !errors.Is(err, arabic.ErrNotText) {
		t.Errorf("the wrapped TextError is not reachable through %v", err)
	}
	var k interface{ Kind() string }
	if !errors.As(err, &k) || k.Kind() != "invalid" {
		t.Errorf("kind of %v = %v, want invalid", err, k)
	}

	for _, c := range []struct {
		name     string
		err      error
		kind     string
		sentinel error
	}{
		{"NotFound", fmt.Errorf("segment 4: %w", ErrNotFound), "not found", ErrNotFound},
		{"Conflict", ErrConflict.Errorf("segment 4 is excluded"), "conflict", ErrConflict},
		{"StaleVersion", &ConflictError{Current: Segment{ID: 4, Version: 2}}, "conflict", ErrConflict},
		{"FatalBackend", &BackendError{Backend: "openai", Fatal: true, Err: errors.New("no key")}, "unavailable", ErrBackendUnavailable},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.As(c.err, &k) || k.Kind() != c.kind || !errors.Is(c.err, c.sentinel) {
				t.Errorf("%v: kind %v, matches its sentinel %v; want kind %q", c.err, k, errors.Is(c.err, c.sentinel), c.kind)
			}
		})
	}
	if errors.Is(&BackendError{Backend: "openai", Temporary: true, Err: errors.New("busy")}, ErrBackendUnavailable) {
		t.Error("a temporary backend error matches ErrBackendUnavailable, which stops a run")
	}
}
