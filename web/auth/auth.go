// Package auth holds Tarjama's accounts: users with roles, password hashing, login sessions,
// API tokens for scripts, and the rule for when the workbench may run without any login.
package auth

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// Error is an account error that says its kind ("not found", "invalid", "conflict",
// "forbidden"), for callers that answer each kind alike. Its message is shown as written.
type Error struct{ kind, msg string }

// The kinds of account error; callers test them with errors.Is, and every Error of a kind
// matches its sentinel.
var (
	// ErrNotFound means no user has the requested name.
	ErrNotFound = &Error{"not found", "user not found"}
	// ErrInvalid means a name, role or password failed validation.
	ErrInvalid = &Error{"invalid", "invalid account"}
	// ErrConflict means another user already has the name.
	ErrConflict = &Error{"conflict", "conflict"}
	// ErrBadCredentials means a name and password, a session or a token did not match an
	// account. It never says which part was wrong.
	ErrBadCredentials = &Error{"forbidden", "wrong name or password"}
)

// Errorf makes an account error of e's kind: ErrInvalid.Errorf("name: empty").
func (e *Error) Errorf(f string, a ...any) error { return &Error{e.kind, fmt.Sprintf(f, a...)} }

// Error is the message as written.
func (e *Error) Error() string { return e.msg }

// Kind is what kind of failure the account store had.
func (e *Error) Kind() string { return e.kind }

// Is makes every Error match the sentinel of its kind: errors.Is(err, ErrConflict).
func (e *Error) Is(target error) bool { t, ok := target.(*Error); return ok && t.kind == e.kind }

// Role is what a user may do; see Can.
type Role string

// The two roles. Admins do everything reviewers do.
const (
	RoleAdmin    Role = "admin"
	RoleReviewer Role = "reviewer"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleReviewer }

// ParseRole reads a role name as typed on the command line or in a form.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", ErrInvalid.Errorf("role %q: want admin or reviewer", s)
	}
	return r, nil
}

// Action is a kind of request, as far as permissions go.
type Action string

// The actions Can decides on.
const (
	ActionRead     Action = "read"     // pages, articles, segments, the glossary, exports
	ActionEdit     Action = "edit"     // edit, approve or exclude segments; run a translation
	ActionGlossary Action = "glossary" // add, change, delete or import glossary terms
	ActionImport   Action = "import"   // import articles or a translation memory
	ActionSettings Action = "settings" // change the translation backend
	ActionUsers    Action = "users"    // list, add or remove accounts
	ActionBackup   Action = "backup"   // download a copy of the whole database (password hashes included)
	ActionAdmin    Action = "admin"    // any other write: admins only until someone decides otherwise
)

// Can reports whether a user with the role may perform the action. Reviewers read, edit and
// approve; everything that changes shared configuration or data in bulk is for admins.
func Can(r Role, a Action) bool {
	switch r {
	case RoleAdmin:
		return true
	case RoleReviewer:
		return a == ActionRead || a == ActionEdit
	}
	return false
}

// User is an account.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Limits on names and passwords. bcrypt reads at most 72 bytes of a password; longer ones
// are refused rather than silently cut.
const (
	MaxNameLen        = 64
	MinPasswordLen    = 12
	MaxPasswordLength = 72
)

// ValidateName checks a user name: 1–64 characters, letters, digits and . _ - @ only, so
// names read the same in the CLI, the page header and the revision history. LocalUser is
// taken: revisions by it come from single-user mode.
func ValidateName(name string) error {
	if name == "" {
		return ErrInvalid.Errorf("name: empty")
	}
	// The one text rule first, so a control or bidi character is named as such.
	if _, _, err := arabic.CleanField("name", name, arabic.RefuseBidi); err != nil {
		return ErrInvalid.Errorf("%s", err)
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return ErrInvalid.Errorf("name: longer than %d characters", MaxNameLen)
	}
	if strings.EqualFold(name, LocalUser) {
		return ErrInvalid.Errorf("name %q: reserved for single-user mode", name)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return ErrInvalid.Errorf("name %q: only letters, digits and . _ - @ are allowed", name)
		}
	}
	return nil
}
