package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations"
)

// cacheVersion changes whenever the prompt or the checks change in a way that should not reuse
// older answers.
const cacheVersion = "tarjama-mt-1"

// cacheTerm is one glossary term as it enters a cache key.
type cacheTerm struct {
	ID      int64
	English string
}

// cacheKey identifies a machine translation by what decided it: the backend and model, the
// normalized source (so spelling variants of the same sentence share an entry) and the
// glossary terms, with their English, that were in the prompt.
func cacheKey(backend, model, source string, terms []cacheTerm) string {
	ts := append([]cacheTerm(nil), terms...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].ID < ts[j].ID })
	h := sha256.New()
	for _, s := range []string{cacheVersion, backend, model, arabic.Normalize(strings.TrimSpace(source))} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, t := range ts {
		fmt.Fprintf(h, "%d=%s\x00", t.ID, t.English)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheChunk keeps IN lists well under SQLite's variable limit.
const cacheChunk = 400

// cacheGet returns the cached translations for the keys that have one.
func (s *Store) cacheGet(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string)
	for len(keys) > 0 {
		n := min(len(keys), cacheChunk)
		chunk := keys[:n]
		keys = keys[n:]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := s.db.R.QueryContext(ctx, `SELECT key, translation FROM mt_cache WHERE key IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("machine translation cache: %w", err)
		}
		for rows.Next() {
			var k, t string
			if err := rows.Scan(&k, &t); err != nil {
				rows.Close()
				return nil, fmt.Errorf("machine translation cache: %w", err)
			}
			out[k] = t
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("machine translation cache: %w", err)
		}
	}
	return out, nil
}

// cachePut stores translations by key, in one transaction.
func (s *Store) cachePut(ctx context.Context, entries map[string]string) error {
	if len(entries) == 0 {
		return nil
	}
	tx, err := s.db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("machine translation cache: %w", err)
	}
	defer tx.Rollback()
	now := migrations.Now()
	for k, t := range entries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mt_cache (key, translation, created_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET translation = excluded.translation, created_at = excluded.created_at`, k, t, now); err != nil {
			return fmt.Errorf("machine translation cache: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("machine translation cache: %w", err)
	}
	return nil
}
