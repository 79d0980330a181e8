// Package memory is the translation memory: the Arabic–English pairs reviewers approved (or a
// TMX file brought in), looked up exactly to fill segments before any backend runs and fuzzily
// to show a reviewer similar sentences, with TMX import and export of the whole memory.
package memory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate/diff"
)

// Memory is the translation memory in the database (the tm and tm_tokens tables).
type Memory struct {
	w, r *sql.DB          // the single writer and the read pool
	now  func() time.Time // the time an imported pair without a date records
}

// New returns the translation memory that writes through w, reads through r (the database's
// writer and read pool) and stamps what it writes with now's time.
func New(w, r *sql.DB, now func() time.Time) *Memory { return &Memory{w: w, r: r, now: now} }

// Remember adds an approved pair to the translation memory inside tx, the transaction that
// approves it, so a segment is never approved without the memory learning it. A pair approved
// again is written anew, so it becomes the newest entry (highest id), which Exact prefers; what
// a TMX file said about it (tuid, ids, change date, notes, properties) stays with it.
func Remember(ctx context.Context, tx *sql.Tx, source, target, origin, now string) error {
	norm := arabic.Normalize(source)
	var id int64
	var m entryMeta
	err := tx.QueryRowContext(ctx, `SELECT id, tuid, creation_id, changed_at, change_id, notes, props FROM tm
		WHERE source_norm = ? AND target = ?`, norm, target).Scan(&id, &m.tuid, &m.creationID, &m.changedAt, &m.changeID, &m.notes, &m.props)
	switch {
	case err == nil:
		if err := unindexEntry(ctx, tx, id, norm); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tm WHERE id = ?`, id); err != nil {
			return fmt.Errorf("translation memory: %w", err)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("translation memory: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at, tuid, creation_id, changed_at, change_id, notes, props)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, norm, source, target, origin, now, m.tuid, m.creationID, m.changedAt, m.changeID, m.notes, m.props)
	if err != nil {
		return fmt.Errorf("translation memory: %w", err)
	}
	return indexPair(ctx, tx, norm, target)
}

// Exact returns the newest English (the last written entry) for each source whose
// normalized form is in the translation memory, keyed by the source as given. Entries are
// ordered by id, not created_at: an imported entry keeps its file's date, so the newest date
// need not be the last written.
func (m *Memory) Exact(ctx context.Context, sources []string) (map[string]string, error) {
	out := make(map[string]string)
	stmt, err := m.r.PrepareContext(ctx, `SELECT target FROM tm WHERE source_norm = ? ORDER BY id DESC LIMIT 1`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	for _, src := range sources {
		var t string
		err := stmt.QueryRowContext(ctx, arabic.Normalize(src)).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("translation memory: %w", err)
		}
		out[src] = t
	}
	return out, nil
}

// Fuzzy matching in the translation memory.
//
// Similarity is word-level: both sources are normalized (arabic.Normalize) and split into
// letter tokens (arabic.Tokenize), and similarity = 1 − d / max(n, m), where d is the
// Levenshtein distance over tokens (insert, delete or replace one word) and n, m are the token
// counts. It is shown in whole percent, rounded down, so 70 never stands for 69.6. Word level
// is what a translator reads: one changed word in a ten-word sentence is 90%, whatever its
// length. Only the spelling variation the normalizer removes (harakat, hamza forms, ة/ه, …)
// counts as equal; a clitic or the article makes a word different, because it changes the
// English.
//
// Candidates come from an inverted index, tm_tokens(token, tm_id), holding each entry's
// distinct tokens, and tm.tokens, its token count. Two filters make the lookup exact without
// scanning the memory:
//   - length: d ≥ |n − m|, so a match at threshold T needs T·n ≤ m ≤ n / T;
//   - prefix filtering: d ≥ max(n, m) − c, where c is the number of query words (counted with
//     repetition) the entry shares, so a match needs c ≥ ⌈T·n⌉; it can miss at most
//     n − ⌈T·n⌉ query words, and so shares at least one word of any set of distinct query
//     words that covers n − ⌈T·n⌉ + 1 of them. Taking that set from the rarest words (by
//     document frequency in tm_tokens) keeps the posting lists short: common words like في or
//     أن are only read when the sentence has nothing rarer.
// The candidates, at most maxFuzzyCandidates (those sharing the most of those rare words), are
// then scored exactly. The cap is the one bound on exactness: it only bites when more than
// that many entries of similar length share the query's rarest words.

// FuzzyThreshold is the least similarity, in percent, that Fuzzy reports.
const FuzzyThreshold = 70

// maxFuzzyCandidates bounds the entries one fuzzy lookup scores exactly.
const maxFuzzyCandidates = 500

// Match is an entry of the translation memory that resembles a segment's source.
type Match struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"` // the Arabic as it was remembered
	Target     string    `json:"target"` // its approved English
	Origin     string    `json:"origin"`
	Similarity int       `json:"similarity"` // word-level similarity in percent, 100 for an exact match
	Exact      bool      `json:"exact"`      // the normalized sources are equal
	CreatedAt  time.Time `json:"created_at"`
	// Diff compares the remembered Arabic with the segment's word by word: eq and del runs are
	// the remembered text (del: words the segment does not have), ins runs are the segment's
	// words that the memory does not have. Joining eq and del gives back Source.
	Diff []diff.Op `json:"diff"`
}

// entry is one pair of the translation memory.
type entry struct {
	ID        int64
	Source    string
	Target    string
	Origin    string
	CreatedAt time.Time
}

// normTokens returns the tokens of a normalized text, in order.
func normTokens(norm string) []string {
	rs := []rune(norm)
	toks := arabic.Tokenize(rs, nil)
	// The tokens are cut out of norm itself (by the byte offset of each rune), not copied:
	// an import tokenizes every source it adds.
	at := make([]int, 0, len(rs)+1)
	for i := range norm {
		at = append(at, i)
	}
	at = append(at, len(norm))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = norm[at[t.Start]:at[t.End]]
	}
	return out
}

// index writes the word index of the memory entry (sourceNorm, target) unless it is already
// indexed. Everything that inserts into tm calls it in the same transaction.
func indexPair(ctx context.Context, tx *sql.Tx, sourceNorm, target string) error {
	var id int64
	var indexed bool
	err := tx.QueryRowContext(ctx, `SELECT id, indexed FROM tm WHERE source_norm = ? AND target = ?`, sourceNorm, target).Scan(&id, &indexed)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("translation memory index: no entry for %q", sourceNorm)
	}
	if err != nil {
		return fmt.Errorf("translation memory index: %w", err)
	}
	if indexed {
		return nil
	}
	return indexEntry(ctx, tx, id, sourceNorm)
}

// distinctTokens returns the distinct tokens of a normalized text, in order, and how many
// tokens it has in all. A sentence has a few dozen words: a scan of those kept is cheaper
// than a map.
func distinctTokens(norm string) (distinct []string, n int) {
	toks := normTokens(norm)
	distinct = toks[:0]
	for _, t := range toks {
		if !slices.Contains(distinct, t) {
			distinct = append(distinct, t)
		}
	}
	return distinct, len(toks)
}

// unindexEntry removes the word index of the entry with the id (migration 016: the index has
// no cascade; its primary key finds the rows by the entry's words).
func unindexEntry(ctx context.Context, tx *sql.Tx, id int64, sourceNorm string) error {
	toks, _ := distinctTokens(sourceNorm)
	if len(toks) == 0 {
		return nil
	}
	args := append([]any{id}, anySlice(toks)...)
	if _, err := tx.ExecContext(ctx, `DELETE FROM tm_tokens WHERE tm_id = ? AND token IN (`+placeholders(len(toks))+`)`, args...); err != nil {
		return fmt.Errorf("translation memory index: %w", err)
	}
	return nil
}

// indexEntry writes the word index of the entry with the id.
func indexEntry(ctx context.Context, tx *sql.Tx, id int64, sourceNorm string) error {
	toks, n := distinctTokens(sourceNorm)
	for _, t := range toks {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO tm_tokens (token, tm_id) VALUES (?, ?)`, t, id); err != nil {
			return fmt.Errorf("translation memory index: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tm SET tokens = ?, indexed = 1 WHERE id = ?`, n, id); err != nil {
		return fmt.Errorf("translation memory index: %w", err)
	}
	return nil
}

// indexPending indexes entries written without the index (before migration 005, or by a
// writer that skipped index), so fuzzy lookups never miss them.
func (m *Memory) indexPending(ctx context.Context) error {
	var pending bool
	if err := m.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tm WHERE indexed = 0)`).Scan(&pending); err != nil {
		return fmt.Errorf("translation memory index: %w", err)
	}
	if !pending {
		return nil
	}
	tx, err := m.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, source_norm FROM tm WHERE indexed = 0`)
	if err != nil {
		return fmt.Errorf("translation memory index: %w", err)
	}
	type entry struct {
		id   int64
		norm string
	}
	var todo []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.norm); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range todo {
		if err := indexEntry(ctx, tx, e.id, e.norm); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Fuzzy returns up to limit entries of the translation memory whose source is at least
// FuzzyThreshold percent similar to source, best first (then newest), each with the
// word-level difference marked. Exact matches are included at 100%.
func (m *Memory) Fuzzy(ctx context.Context, source string, limit int) ([]Match, error) {
	if limit <= 0 {
		limit = 5
	}
	query := normTokens(arabic.Normalize(source))
	if len(query) == 0 {
		return []Match{}, nil
	}
	if err := m.indexPending(ctx); err != nil {
		return nil, err
	}
	ids, err := m.fuzzyCandidates(ctx, query)
	if err != nil {
		return nil, err
	}
	type scored struct {
		e    entry
		norm string
		sim  int
	}
	var kept []scored
	err = m.eachEntry(ctx, ids, func(e entry, norm string) {
		if sim := similarity(query, normTokens(norm)); sim >= FuzzyThreshold {
			kept = append(kept, scored{e, norm, sim})
		}
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.sim != b.sim {
			return a.sim > b.sim
		}
		if !a.e.CreatedAt.Equal(b.e.CreatedAt) {
			return a.e.CreatedAt.After(b.e.CreatedAt)
		}
		return a.e.ID > b.e.ID
	})
	if len(kept) > limit {
		kept = kept[:limit]
	}
	norm := arabic.Normalize(source)
	out := make([]Match, len(kept))
	for i, k := range kept {
		out[i] = Match{ID: k.e.ID, Source: k.e.Source, Target: k.e.Target, Origin: k.e.Origin, CreatedAt: k.e.CreatedAt,
			Similarity: k.sim, Exact: k.norm == norm, Diff: diff.Normalized(k.e.Source, source)}
	}
	return out, nil
}

// fuzzyCandidates returns the ids of the entries that can reach the threshold (see the
// comment at the top of this file).
func (m *Memory) fuzzyCandidates(ctx context.Context, query []string) ([]int64, error) {
	n := len(query)
	minShared := (FuzzyThreshold*n + 99) / 100
	minLen, maxLen := minShared, n*100/FuzzyThreshold

	count := map[string]int{}
	var distinct []string
	for _, t := range query {
		if count[t] == 0 {
			distinct = append(distinct, t)
		}
		count[t]++
	}
	df := make(map[string]int, len(distinct))
	rows, err := m.r.QueryContext(ctx, `SELECT token, COUNT(*) FROM tm_tokens WHERE token IN (`+placeholders(len(distinct))+`) GROUP BY token`, anySlice(distinct)...)
	if err != nil {
		return nil, fmt.Errorf("translation memory: %w", err)
	}
	for rows.Next() {
		var t string
		var c int
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return nil, err
		}
		df[t] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(distinct, func(i, j int) bool { return df[distinct[i]] < df[distinct[j]] })
	var probe []string
	covered, need := 0, n-minShared+1
	for _, t := range distinct {
		if covered >= need {
			break
		}
		covered += count[t]
		if df[t] > 0 {
			probe = append(probe, t)
		}
	}
	if len(probe) == 0 {
		return nil, nil // the words any match must share are in no entry
	}
	args := append(anySlice(probe), minLen, maxLen, maxFuzzyCandidates)
	rows, err = m.r.QueryContext(ctx, `SELECT t.tm_id FROM tm_tokens t JOIN tm ON tm.id = t.tm_id
		WHERE t.token IN (`+placeholders(len(probe))+`) AND tm.tokens BETWEEN ? AND ?
		GROUP BY t.tm_id ORDER BY COUNT(*) DESC, t.tm_id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("translation memory: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// eachEntry calls fn for each memory entry with one of the ids.
func (m *Memory) eachEntry(ctx context.Context, ids []int64, fn func(e entry, norm string)) error {
	const chunk = 500
	for len(ids) > 0 {
		part := ids[:min(chunk, len(ids))]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := m.r.QueryContext(ctx, `SELECT id, source, source_norm, target, origin, created_at FROM tm WHERE id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return fmt.Errorf("translation memory: %w", err)
		}
		for rows.Next() {
			var e entry
			var norm, created string
			if err := rows.Scan(&e.ID, &e.Source, &norm, &e.Target, &e.Origin, &created); err != nil {
				rows.Close()
				return err
			}
			e.CreatedAt = timestamp.Parse(created)
			fn(e, norm)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// similarity is the word-level similarity of two token lists in whole percent, rounded down.
func similarity(a, b []string) int {
	longest := max(len(a), len(b))
	if longest == 0 {
		return 100
	}
	d := tokenDistance(a, b)
	return (longest - d) * 100 / longest
}

// tokenDistance is the Levenshtein distance between two token lists, in two rows of memory.
func tokenDistance(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Count returns the number of pairs in the translation memory.
func (m *Memory) Count(ctx context.Context) (int, error) {
	var n int
	if err := m.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tm`).Scan(&n); err != nil {
		return 0, fmt.Errorf("translation memory: %w", err)
	}
	return n, nil
}
