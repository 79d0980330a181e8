package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/tarjama/tarjama/migrations/timestamp"
)

// SessionTTL is how long a login lasts.
const SessionTTL = 14 * 24 * time.Hour

// Session is a login. Token is the secret the browser keeps in its cookie; the database has
// only its hash. CSRF is derived from the token, so it needs no storage and is worthless
// without the cookie.
type Session struct {
	Token     string
	CSRF      string
	User      User
	ExpiresAt time.Time
}

// CreateSession logs the user in: it stores a new session and returns it with its token.
// Expired sessions of all users are cleared on the way.
func (s *Store) CreateSession(ctx context.Context, u User) (Session, error) {
	token := newSecret("")
	now := s.now()
	exp := now.Add(SessionTTL)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", u.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, s.stamp(now)); err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", u.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hashSecret(token), u.ID, s.stamp(now), s.stamp(exp)); err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", u.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", u.Name, err)
	}
	return Session{Token: token, CSRF: csrfFor(token), User: u, ExpiresAt: exp.UTC()}, nil
}

// LookupSession finds the live session with the token. An unknown or expired token is
// ErrBadCredentials.
func (s *Store) LookupSession(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrBadCredentials
	}
	var u User
	var role, created, expires string
	err := s.r.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.created_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hashSecret(token)).
		Scan(&u.ID, &u.Name, &role, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, fmt.Errorf("look up session: %w", err)
	}
	exp := timestamp.Parse(expires)
	if !s.now().Before(exp) {
		return Session{}, ErrBadCredentials
	}
	u.Role, u.CreatedAt = Role(role), timestamp.Parse(created)
	return Session{Token: token, CSRF: csrfFor(token), User: u, ExpiresAt: exp}, nil
}

// DeleteSession logs out: the token stops working. Deleting an unknown token is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// newSecret returns prefix and 32 random bytes, URL-safe.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is what the database keeps of a token. The tokens are 256 random bits, so a
// plain SHA-256 is enough; no salt or slow hash is needed as it is for passwords.
func hashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func csrfFor(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("tarjama csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether sent is the session's CSRF token, in constant time.
func (s Session) CheckCSRF(sent string) bool {
	return sent != "" && hmac.Equal([]byte(sent), []byte(s.CSRF))
}
