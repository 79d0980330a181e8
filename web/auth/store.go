package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/migrations/timestamp"
)

// DefaultCost is the bcrypt work factor for new password hashes.
const DefaultCost = 12

// Store keeps users, sessions and API tokens in the application database.
type Store struct {
	w, r *sql.DB          // the single writer and the read pool
	now  func() time.Time // the time each write records, and the time sessions expire by
	cost int

	dummyOnce sync.Once
	dummy     []byte // a hash to compare against for unknown names, so they take as long as known ones
}

// NewStore returns a store that writes through w, reads through r (the database's writer and
// read pool) and tells the time by now; it hashes new passwords with DefaultCost.
func NewStore(w, r *sql.DB, now func() time.Time) *Store {
	return &Store{w: w, r: r, now: now, cost: DefaultCost}
}

// stamp is t as the *_at columns store it, so stored expiry times compare correctly as text.
func (s *Store) stamp(t time.Time) string { return timestamp.Format(t) }

// Create adds a user with the role and password.
func (s *Store) Create(ctx context.Context, name string, role Role, password string) (User, error) {
	name = strings.TrimSpace(name)
	if err := ValidateName(name); err != nil {
		return User{}, fmt.Errorf("add user: %w", err)
	}
	if !role.Valid() {
		return User{}, ErrInvalid.Errorf("add user %s: role %q: want admin or reviewer", name, role)
	}
	if err := ValidatePassword(name, password); err != nil {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return User{}, fmt.Errorf("add user %s: hash password: %w", name, err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := getUser(ctx, tx, name); err == nil {
		return User{}, ErrConflict.Errorf("add user %s: the name is taken", name)
	} else if !errors.Is(err, ErrNotFound) {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	now := s.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)`,
		name, string(role), string(hash), s.stamp(now))
	if err != nil {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	return User{ID: id, Name: name, Role: role, CreatedAt: now.UTC()}, nil
}

// Authenticate checks a name and password. Any mismatch, including an unknown name, is
// ErrBadCredentials and takes about as long as a match.
func (s *Store) Authenticate(ctx context.Context, name, password string) (User, error) {
	var u User
	var role, created, hash string
	err := s.r.QueryRowContext(ctx, `SELECT id, name, role, created_at, password_hash FROM users WHERE name = ?`,
		strings.TrimSpace(name)).Scan(&u.ID, &u.Name, &role, &created, &hash)
	if errors.Is(err, sql.ErrNoRows) || err == nil && hash == "" {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("log in %s: %w", name, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	u.Role, u.CreatedAt = Role(role), timestamp.Parse(created)
	return u, nil
}

func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("no such user, no such password"), s.cost)
	})
	return s.dummy
}

// Get returns the user with the name.
func (s *Store) Get(ctx context.Context, name string) (User, error) {
	u, err := getUser(ctx, s.r, name)
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", name, err)
	}
	return u, nil
}

// List returns every user, by name.
func (s *Store) List(ctx context.Context) ([]User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, role, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var role, created string
		if err := rows.Scan(&u.ID, &u.Name, &role, &created); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.Role, u.CreatedAt = Role(role), timestamp.Parse(created)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// Count returns how many accounts exist.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetPassword replaces a user's password and ends all of the user's sessions; with
// revokeTokens it also deletes the user's API tokens, in the same transaction, and says how
// many there were.
func (s *Store) SetPassword(ctx context.Context, name, password string, revokeTokens bool) (revoked int, err error) {
	if err := ValidatePassword(name, password); err != nil {
		return 0, fmt.Errorf("set password of %s: %w", name, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return 0, fmt.Errorf("set password of %s: hash password: %w", name, err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("set password of %s: %w", name, err)
	}
	defer tx.Rollback()
	u, err := getUser(ctx, tx, name)
	if err != nil {
		return 0, fmt.Errorf("set password of %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), u.ID); err != nil {
		return 0, fmt.Errorf("set password of %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
		return 0, fmt.Errorf("set password of %s: %w", name, err)
	}
	if revokeTokens {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, u.ID)
		if err != nil {
			return 0, fmt.Errorf("set password of %s: revoke tokens: %w", name, err)
		}
		n, _ := res.RowsAffected()
		revoked = int(n)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("set password of %s: %w", name, err)
	}
	return revoked, nil
}

// Delete removes a user with the user's sessions and API tokens. Revisions keep the name.
func (s *Store) Delete(ctx context.Context, name string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM users WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete user %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete user %s: %w", name, ErrNotFound)
	}
	return nil
}

func getUser(ctx context.Context, q sqlread.Queryer, name string) (User, error) {
	var u User
	var role, created string
	err := q.QueryRowContext(ctx, `SELECT id, name, role, created_at FROM users WHERE name = ?`, name).
		Scan(&u.ID, &u.Name, &role, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, err
	}
	u.Role, u.CreatedAt = Role(role), timestamp.Parse(created)
	return u, nil
}
