package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
)

// cacheVersion changes whenever the prompt, the checks or the key itself change in a way that
// should not reuse older answers.
const cacheVersion = "tarjama-mt-2"

// cacheTerm is one glossary term as it enters a cache key: its id and a digest of everything
// the backend is told about it.
type cacheTerm struct {
	ID     int64
	Digest string
}

// newCacheTerm digests the hint a backend sees for t (English, accepted alternatives,
// forbidden renderings, note, do-not-translate…), so editing any of it asks the backend again.
func newCacheTerm(t glossary.Term) cacheTerm {
	b, _ := json.Marshal(translate.HintFor(t)) // a struct of strings and bools always encodes, in field order
	sum := sha256.Sum256(b)
	return cacheTerm{ID: t.ID, Digest: hex.EncodeToString(sum[:])}
}

// cacheKey identifies a machine translation by what decided it: the backend, the server it
// talks to (two servers may serve different models under the same name) and the model, the
// normalized source (so spelling variants of the same sentence share an entry) and the
// glossary terms, in full, that were in the prompt.
func cacheKey(backend, endpoint, model, source string, terms []cacheTerm) string {
	ts := append([]cacheTerm(nil), terms...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].ID < ts[j].ID })
	h := sha256.New()
	for _, s := range []string{cacheVersion, backend, endpoint, model, arabic.Normalize(strings.TrimSpace(source))} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, t := range ts {
		fmt.Fprintf(h, "%d=%s\x00", t.ID, t.Digest)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// endpointOf identifies the server behind b for the cache: its base URL, or "" for a backend
// that talks to none.
func endpointOf(b translate.Backend) string {
	if e, ok := b.(interface{ BaseURL() string }); ok {
		return strings.TrimRight(strings.ToLower(strings.TrimSpace(e.BaseURL())), "/")
	}
	return ""
}

// Cache keeps the backends' clean answers (the mt_cache table) by what decided them
// (cacheKey), so the same sentence with the same glossary terms is not paid for twice.
type Cache struct {
	w, r *sql.DB          // the single writer and the read pool
	now  func() time.Time // the time an answer is cached
}

// NewCache returns the answer cache that writes through w, reads through r (the database's
// writer and read pool) and stamps what it writes with now's time.
func NewCache(w, r *sql.DB, now func() time.Time) *Cache { return &Cache{w: w, r: r, now: now} }

// cacheChunk keeps IN lists well under SQLite's variable limit.
const cacheChunk = 400

// get returns the cached translations for the keys that have one.
func (c *Cache) get(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string)
	for len(keys) > 0 {
		n := min(len(keys), cacheChunk)
		chunk := keys[:n]
		keys = keys[n:]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := c.r.QueryContext(ctx, `SELECT key, translation FROM mt_cache WHERE key IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
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

// put stores translations by key, in one transaction.
func (c *Cache) put(ctx context.Context, entries map[string]string) error {
	if len(entries) == 0 {
		return nil
	}
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("machine translation cache: %w", err)
	}
	defer tx.Rollback()
	now := timestamp.Format(c.now())
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
