package glossary

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/migrations/timestamp"
)

// Store keeps the glossary in SQLite and hands out a Matcher built from it.
// It is safe for concurrent use.
type Store struct {
	w, r *sql.DB          // the single writer and the read pool
	now  func() time.Time // the time each write records

	cached  atomic.Pointer[cachedMatcher]
	buildMu sync.Mutex // one rebuild at a time; the others wait for its result
}

type cachedMatcher struct {
	gen uint64
	m   *Matcher
}

// NewStore returns a Store that writes through w, reads through r (the database's writer and
// read pool) and stamps what it writes with now's time.
func NewStore(w, r *sql.DB, now func() time.Time) *Store { return &Store{w: w, r: r, now: now} }

// Filter selects a page of terms for List.
type Filter struct {
	Query  string   // English (term or alternative) as a substring, or Arabic read as the matcher reads text (see arabicWordsCondition)
	Type   TermType // empty for both kinds
	Limit  int      // page size; 0 or less means no limit
	Offset int
}

// ConflictError says which existing term already has one of the spellings (the Arabic or a
// variant, normalized) of a term being saved: every spelling belongs to at most one term, or
// the same Arabic could be given two Englishes.
type ConflictError struct {
	Arabic    string // the spelling, as the user wrote it, that another term has
	Field     string // where the user wrote it: "arabic" or "variants"
	Existing  Term   // the term that has it
	AsVariant bool   // Existing has it among its variants rather than as its Arabic
}

// Error names the spelling and the existing term so the user can go and edit that instead.
func (e *ConflictError) Error() string {
	field := e.Field
	if field == "" {
		field = "arabic"
	}
	as := "in the glossary as"
	if e.AsVariant {
		as = "a variant of"
	}
	return fmt.Sprintf("%s %q is already %s term %d %q → %q",
		field, e.Arabic, as, e.Existing.ID, e.Existing.Arabic, e.Existing.English)
}

// Kind is ErrConflict's.
func (e *ConflictError) Kind() string { return ErrConflict.kind }

// Is makes every ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return ErrConflict.Is(target) }

const termColumns = `id, arabic, english, type, variants, english_alternatives, forbidden, note,
	do_not_translate, updated_by, updated_at`

// Create cleans, validates and saves a new term, setting its ID and UpdatedAt.
func (s *Store) Create(ctx context.Context, t *Term) error {
	prepareTerm(t)
	if err := t.Validate(); err != nil {
		return fmt.Errorf("create term: %w", err)
	}
	norm := arabic.Normalize(t.Arabic)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create term: %w", err)
	}
	defer tx.Rollback()
	if err := checkNoConflict(ctx, tx, t, 0); err != nil {
		return fmt.Errorf("create term: %w", err)
	}
	saved := *t
	saved.UpdatedAt = s.now().UTC()
	id, err := insertTerm(ctx, tx, &saved, norm)
	if err != nil {
		return fmt.Errorf("create term: %w", err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return fmt.Errorf("create term: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create term: %w", err)
	}
	saved.ID = id
	*t = saved
	return nil
}

// Update saves t over the term with t.ID, setting UpdatedAt.
func (s *Store) Update(ctx context.Context, t *Term) error {
	prepareTerm(t)
	if err := t.Validate(); err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	norm := arabic.Normalize(t.Arabic)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	defer tx.Rollback()
	if _, err := getTerm(ctx, tx, t.ID); err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	if err := checkNoConflict(ctx, tx, t, t.ID); err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	saved := *t
	saved.UpdatedAt = s.now().UTC()
	if err := updateTerm(ctx, tx, &saved, norm); err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update term %d: %w", t.ID, err)
	}
	*t = saved
	return nil
}

// Delete removes the term with the given id.
func (s *Store) Delete(ctx context.Context, id int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete term %d: %w", id, err)
	}
	defer tx.Rollback()
	if err := deleteTerm(ctx, tx, id); err != nil {
		return fmt.Errorf("delete term %d: %w", id, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return fmt.Errorf("delete term %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete term %d: %w", id, err)
	}
	return nil
}

// Get returns the term with the given id, or an error matching ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Term, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return Term{}, fmt.Errorf("get term %d: %w", id, err)
	}
	defer tx.Rollback()
	t, err := getTerm(ctx, tx, id)
	if err != nil {
		return Term{}, fmt.Errorf("get term %d: %w", id, err)
	}
	return t, nil
}

// List returns one page of the terms f selects, ordered by normalized Arabic, and how many
// terms it selects in all.
func (s *Store) List(ctx context.Context, f Filter) ([]Term, int, error) {
	switch f.Type {
	case "", TypeName, TypeTerm:
	default:
		return nil, 0, fmt.Errorf("list terms: %w", &FieldError{"type", fmt.Sprintf("%q is not one of name, term", f.Type)})
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("list terms: %w", err)
	}
	defer tx.Rollback()
	terms, total, err := listTerms(ctx, tx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list terms: %w", err)
	}
	return terms, total, nil
}

// All returns every term, ordered by normalized Arabic.
func (s *Store) All(ctx context.Context) ([]Term, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("list all terms: %w", err)
	}
	defer tx.Rollback()
	terms, _, err := listTerms(ctx, tx, Filter{})
	if err != nil {
		return nil, fmt.Errorf("list all terms: %w", err)
	}
	return terms, nil
}

// Matcher returns a Matcher over the whole glossary. It is built once and reused until the
// glossary version in the database moves, which every glossary write does in its own
// transaction: a change made by another process (the CLI) is seen too, at the cost of one
// one-row read per call.
func (s *Store) Matcher(ctx context.Context) (*Matcher, error) {
	gen, err := s.version(ctx)
	if err != nil {
		return nil, fmt.Errorf("build matcher: %w", err)
	}
	if c := s.cached.Load(); c != nil && c.gen == gen {
		return c.m, nil
	}
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if c := s.cached.Load(); c != nil && c.gen == gen {
		return c.m, nil // built by the caller we waited for
	}
	// The version was read before the terms: a write landing in between moves it past gen,
	// so the next call rebuilds rather than keeping a stale matcher.
	terms, err := s.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("build matcher: %w", err)
	}
	m := NewMatcher(terms)
	s.cached.Store(&cachedMatcher{gen: gen, m: m})
	return m, nil
}

func (s *Store) version(ctx context.Context) (uint64, error) {
	var n uint64
	err := s.r.QueryRowContext(ctx, `SELECT n FROM glossary_version WHERE id = 1`).Scan(&n)
	return n, err
}

// bumpVersion marks the glossary as changed; call it inside every writing transaction.
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE glossary_version SET n = n + 1 WHERE id = 1`)
	return err
}

type rowScanner interface {
	Scan(dest ...any) error
}

func scanTerm(r rowScanner, extra ...any) (Term, error) {
	var (
		t                              Term
		typ, variants, alts, forbidden string
		updatedAt                      string
		dnt                            int
	)
	dest := append([]any{&t.ID, &t.Arabic, &t.English, &typ, &variants, &alts, &forbidden, &t.Note,
		&dnt, &t.UpdatedBy, &updatedAt}, extra...)
	if err := r.Scan(dest...); err != nil {
		return Term{}, err
	}
	t.Type = TermType(typ)
	t.Variants = splitList(variants)
	t.Alternatives = splitList(alts)
	t.Forbidden = splitList(forbidden)
	t.DoNotTranslate = dnt != 0
	t.UpdatedAt = timestamp.Parse(updatedAt)
	return t, nil
}

func getTerm(ctx context.Context, q sqlread.Queryer, id int64) (Term, error) {
	t, err := scanTerm(q.QueryRowContext(ctx, `SELECT `+termColumns+` FROM terms WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Term{}, ErrNotFound
	}
	return t, err
}

// spelling is one normalized Arabic form of a term and where the term has it.
type spelling struct {
	norm  string
	text  string // as written
	field string // "arabic" or "variants"
}

// termSpellings lists the term's Arabic (norm, normalized already) and then its variants,
// normalized, each once.
func termSpellings(t *Term, norm string) []spelling {
	out := make([]spelling, 1, 1+len(t.Variants))
	out[0] = spelling{norm, t.Arabic, "arabic"}
	for _, v := range t.Variants {
		if n := arabic.Normalize(v); !hasSpelling(out, n) {
			out = append(out, spelling{n, v, "variants"})
		}
	}
	return out
}

func hasSpelling(sp []spelling, norm string) bool {
	return slices.ContainsFunc(sp, func(s spelling) bool { return s.norm == norm })
}

// checkNoConflict fails with a *ConflictError when a term other than selfID has one of t's
// spellings as its Arabic or as a variant.
func checkNoConflict(ctx context.Context, q sqlread.Queryer, t *Term, selfID int64) error {
	sp := termSpellings(t, arabic.Normalize(t.Arabic))
	// variants_norm holds one normalized variant per line; wrapping it in newlines lets instr
	// find whole lines only.
	var heads, lines []string
	args := []any{selfID}
	for _, s := range sp {
		heads = append(heads, "?")
		args = append(args, s.norm)
	}
	for _, s := range sp {
		lines = append(lines, `instr(char(10) || variants_norm || char(10), ?) > 0`)
		args = append(args, "\n"+s.norm+"\n")
	}
	var norm, variantsNorm string
	existing, err := scanTerm(q.QueryRowContext(ctx, `SELECT `+termColumns+`, arabic_norm, variants_norm FROM terms
		WHERE id != ? AND (arabic_norm IN (`+strings.Join(heads, ", ")+`)
			OR (variants_norm != '' AND (`+strings.Join(lines, " OR ")+`)))
		ORDER BY id LIMIT 1`, args...), &norm, &variantsNorm)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	owned := strings.Split(variantsNorm, "\n")
	for _, s := range sp {
		if s.norm == norm {
			return &ConflictError{Arabic: s.text, Field: s.field, Existing: existing}
		}
	}
	for _, s := range sp {
		if slices.Contains(owned, s.norm) {
			return &ConflictError{Arabic: s.text, Field: s.field, Existing: existing, AsVariant: true}
		}
	}
	return fmt.Errorf("term %d matched a spelling check it does not fail", existing.ID)
}

// searchColumns computes the derived columns List searches: the normalized variants and
// the lower-cased English with its alternatives, one item per line.
func searchColumns(t *Term) (variantsNorm, englishFold string) {
	norms := make([]string, len(t.Variants))
	for i, v := range t.Variants {
		norms[i] = arabic.Normalize(v)
	}
	folds := make([]string, 0, 1+len(t.Alternatives))
	folds = append(folds, strings.ToLower(t.English))
	for _, a := range t.Alternatives {
		folds = append(folds, strings.ToLower(a))
	}
	return strings.Join(norms, "\n"), strings.Join(folds, "\n")
}

const insertTermSQL = `INSERT INTO terms (arabic, arabic_norm, english, type, variants, english_alternatives,
	forbidden, note, do_not_translate, updated_by, updated_at, variants_norm, english_fold)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const updateTermSQL = `UPDATE terms SET arabic = ?, arabic_norm = ?, english = ?, type = ?, variants = ?,
	english_alternatives = ?, forbidden = ?, note = ?, do_not_translate = ?, updated_by = ?, updated_at = ?,
	variants_norm = ?, english_fold = ? WHERE id = ?`

// termArgs are the values for insertTermSQL, and the leading ones for updateTermSQL.
func termArgs(t *Term, norm string) []any {
	vn, ef := searchColumns(t)
	return []any{t.Arabic, norm, t.English, string(t.Type), joinList(t.Variants), joinList(t.Alternatives),
		joinList(t.Forbidden), t.Note, t.DoNotTranslate, t.UpdatedBy, formatTime(t), vn, ef}
}

// formatTime is UpdatedAt as the updated_at column stores it.
func formatTime(t *Term) string { return timestamp.Format(t.UpdatedAt) }

func insertTerm(ctx context.Context, tx *sql.Tx, t *Term, norm string) (int64, error) {
	res, err := tx.ExecContext(ctx, insertTermSQL, termArgs(t, norm)...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func updateTerm(ctx context.Context, tx *sql.Tx, t *Term, norm string) error {
	res, err := tx.ExecContext(ctx, updateTermSQL, append(termArgs(t, norm), t.ID)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

func deleteTerm(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM terms WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// searchHaystack is every stored normalized spelling of a term (its Arabic, then its
// variants), each word preceded by a space, so that instr(searchHaystack, ' ' || w) finds a
// word starting with w.
const searchHaystack = `(' ' || arabic_norm || ' ' || replace(variants_norm, char(10), ' '))`

// maxSearchWords bounds how many words of a query the Arabic search reads (the rest are
// left out), which bounds the SQL it builds.
const maxSearchWords = 12

// arabicWordsCondition is the SQL (and its arguments) that finds the terms having every word
// of norm (a normalized query) as the matcher reads a word of text (arabic.Candidates): the
// word as typed, without its article, anywhere in a spelling; or, with a proclitic chain
// [و|ف][ب|ك|ل] stripped, at the start of a word, with or without the article. So بالضمانات
// and «ضمانات امنية» find الضمانات الأمنية. It is "" when norm has no words.
func arabicWordsCondition(norm string) (string, []any) {
	runes := []rune(norm)
	toks := arabic.Tokenize(runes, nil)
	if len(toks) > maxSearchWords {
		toks = toks[:maxSearchWords]
	}
	var (
		and   []string
		args  []any
		cands [arabic.MaxCandidates]arabic.Candidate
	)
	for _, tk := range toks {
		tok := runes[tk.Start:tk.End]
		var or []string
		for _, c := range arabic.Candidates(tok, cands[:0]) {
			key := string(tok[c.Key:])
			// The plain instr calls come first: SQLite stops at the first false term of an AND,
			// so the haystack is built only for the few rows that contain the key at all.
			if c.Skip == 0 {
				or = append(or, `instr(arabic_norm, ?) > 0`, `instr(variants_norm, ?) > 0`)
				args = append(args, key, key)
				continue
			}
			or = append(or, `((instr(arabic_norm, ?) > 0 OR instr(variants_norm, ?) > 0)
				AND (instr(`+searchHaystack+`, ?) > 0 OR instr(`+searchHaystack+`, ?) > 0))`)
			args = append(args, key, key, " "+key, " ال"+key)
		}
		and = append(and, "("+strings.Join(or, " OR ")+")")
	}
	if len(and) == 0 {
		return "", nil
	}
	return "(" + strings.Join(and, " AND ") + ")", args
}

// listTerms runs a Filter: the page of terms and the count of all matching ones.
func listTerms(ctx context.Context, q sqlread.Queryer, f Filter) ([]Term, int, error) {
	var (
		where []string
		args  []any
	)
	if f.Type != "" {
		where = append(where, `type = ?`)
		args = append(args, string(f.Type))
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		// instr, not LIKE: no wildcard characters to escape in what the user typed.
		or := []string{`instr(english_fold, ?) > 0`}
		args = append(args, strings.ToLower(query))
		if norm := arabic.Normalize(query); norm != "" {
			or = append(or, `instr(arabic_norm, ?) > 0`, `instr(variants_norm, ?) > 0`)
			args = append(args, norm, norm)
			if cond, a := arabicWordsCondition(norm); cond != "" {
				or = append(or, cond)
				args = append(args, a...)
			}
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}

	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := f.Limit, f.Offset
	if limit <= 0 {
		limit = -1
	}
	if offset < 0 {
		offset = 0
	}
	rows, err := q.QueryContext(ctx, `SELECT `+termColumns+` FROM terms`+cond+
		` ORDER BY arabic_norm, id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	capHint := total - offset
	if f.Limit > 0 && f.Limit < capHint {
		capHint = f.Limit
	}
	terms := make([]Term, 0, max(capHint, 0))
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			return nil, 0, err
		}
		terms = append(terms, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return terms, total, nil
}
