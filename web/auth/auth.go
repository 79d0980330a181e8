// Package auth holds Tarjama's accounts: users with roles, password hashing, login sessions,
// API tokens for scripts, and the rule for when the workbench may run without any login.
package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors returned by the store; callers test them with errors.Is.
var (
	// ErrNotFound means no user has the requested name.
	ErrNotFound = errors.New("user not found")
	// ErrInvalid means a name, role or password failed validation.
	ErrInvalid = errors.New("invalid")
	// ErrConflict means another user already has the name.
	ErrConflict = errors.New("conflict")
	// ErrBadCredentials means a name and password, a session or a token did not match an
	// account. It never says which part was wrong.
	ErrBadCredentials = errors.New("wrong name or password")
)

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
		return "", fmt.Errorf("role %q: want admin or reviewer: %w", s, ErrInvalid)
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
		return fmt.Errorf("name: empty: %w", ErrInvalid)
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return fmt.Errorf("name: longer than %d characters: %w", MaxNameLen, ErrInvalid)
	}
	if strings.EqualFold(name, LocalUser) {
		return fmt.Errorf("name %q: reserved for single-user mode: %w", name, ErrInvalid)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return fmt.Errorf("name %q: only letters, digits and . _ - @ are allowed: %w", name, ErrInvalid)
		}
	}
	return nil
}
