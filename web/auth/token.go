package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tarjama/tarjama/migrations/timestamp"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognize in logs and
// secret scanners.
const TokenPrefix = "tjt_"

// tokenTouchEvery limits how often a token's last use is written back.
const tokenTouchEvery = time.Minute

// CreateToken makes a new API token for the user. The token is returned once and only its
// hash is stored; a user may have several.
func (s *Store) CreateToken(ctx context.Context, name string) (string, error) {
	token := newSecret(TokenPrefix)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	defer tx.Rollback()
	u, err := getUser(ctx, tx, name)
	if err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)`,
		hashSecret(token), u.ID, s.stamp(s.now())); err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("create token for %s: %w", name, err)
	}
	return token, nil
}

// LookupToken returns the user an API token belongs to. An unknown token is ErrBadCredentials.
func (s *Store) LookupToken(ctx context.Context, token string) (User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return User{}, ErrBadCredentials
	}
	var u User
	var role, created, used string
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT t.id, t.last_used_at, u.id, u.name, u.role, u.created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hashSecret(token)).
		Scan(&id, &used, &u.ID, &u.Name, &role, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("look up token: %w", err)
	}
	u.Role, u.CreatedAt = Role(role), timestamp.Parse(created)
	if now := s.now(); used == "" || now.Sub(timestamp.Parse(used)) > tokenTouchEvery {
		if _, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, s.stamp(now), id); err != nil {
			return User{}, fmt.Errorf("look up token: %w", err)
		}
	}
	return u, nil
}

// RevokeTokens deletes all of a user's API tokens and returns how many there were.
func (s *Store) RevokeTokens(ctx context.Context, name string) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	defer tx.Rollback()
	u, err := getUser(ctx, tx, name)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, u.ID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	return int(n), nil
}

// Token is what the CLI lists of an API token; the token itself is never stored.
type Token struct {
	ID        int64
	User      string
	CreatedAt time.Time
	// LastUsedAt is when the token last authenticated a request, to the minute (lookups
	// write it back at most once a minute); zero if never.
	LastUsedAt time.Time
}

// Tokens returns every API token, by user name and then age.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT t.id, u.name, t.created_at, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY u.name, t.id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, used string
		if err := rows.Scan(&t.ID, &t.User, &created, &used); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt = timestamp.Parse(created)
		if used != "" {
			t.LastUsedAt = timestamp.Parse(used)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}
