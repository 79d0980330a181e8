package glossary

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

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
	Query  string   // words that start words of the term's Arabic, variants, English or alternatives, read as the matcher reads text (see queryReadings)
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
	return fmt.Sprintf("%s %q is already %s «%s» → %q",
		field, e.Arabic, as, e.Existing.Arabic, e.Existing.English)
}

// Kind is ErrConflict's.
func (e *ConflictError) Kind() string { return ErrConflict.kind }

// Is makes every ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return ErrConflict.Is(target) }

const termColumns = `id, arabic, english, type, variants, english_alternatives, forbidden, note,
	do_not_translate, updated_by, updated_at`

// Create cleans, validates and saves a new term, setting its ID and UpdatedAt; its history
// records it as created by t.UpdatedBy.
func (s *Store) Create(ctx context.Context, t *Term) error {
	prepareTerm(t)
	if err := t.Validate(); err != nil {
		return termError(t.Arabic, err)
	}
	norm := arabic.Normalize(t.Arabic)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return termError(t.Arabic, err)
	}
	defer tx.Rollback()
	if err := checkNoConflict(ctx, tx, t, 0); err != nil {
		return termError(t.Arabic, err)
	}
	saved := *t
	saved.UpdatedAt = s.now().UTC()
	if saved.ID, err = nextTermID(ctx, tx); err != nil {
		return termError(t.Arabic, err)
	}
	at := formatTime(&saved)
	err = insertTerms(ctx, tx, 1, saved.UpdatedBy, at, func(int) (*Term, string) { return &saved, norm })
	if err != nil {
		return termError(t.Arabic, err)
	}
	ch := change{author: saved.UpdatedBy, at: at}
	if _, err := ch.logRevisions(ctx, tx, ActionCreate, `t.id = ?`, saved.ID); err != nil {
		return termError(t.Arabic, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return termError(t.Arabic, err)
	}
	if err := tx.Commit(); err != nil {
		return termError(t.Arabic, err)
	}
	*t = saved
	return nil
}

// Update saves t over the term with t.ID, setting UpdatedAt; its history records the change
// as made by t.UpdatedBy. Saving a term as it is changes nothing, and t becomes the stored term.
func (s *Store) Update(ctx context.Context, t *Term) error {
	prepareTerm(t)
	if err := t.Validate(); err != nil {
		return termError(t.Arabic, err)
	}
	norm := arabic.Normalize(t.Arabic)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return termError(t.Arabic, err)
	}
	defer tx.Rollback()
	old, err := getTerm(ctx, tx, t.ID)
	if err != nil {
		return termError(t.Arabic, err)
	}
	if len(termDiff(old, *t)) == 0 {
		*t = old
		return nil
	}
	if err := checkNoConflict(ctx, tx, t, t.ID); err != nil {
		return termError(t.Arabic, err)
	}
	saved := *t
	saved.UpdatedAt = s.now().UTC()
	ch := change{author: saved.UpdatedBy, at: formatTime(&saved)}
	rs, err := ch.logRevisions(ctx, tx, ActionUpdate, `t.id = ?`, saved.ID)
	if err != nil {
		return termError(t.Arabic, err)
	}
	if err := updateTerm(ctx, tx, &saved, norm); err != nil {
		return termError(t.Arabic, err)
	}
	if err := logAfter(ctx, tx, rs); err != nil {
		return termError(t.Arabic, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return termError(t.Arabic, err)
	}
	if err := tx.Commit(); err != nil {
		return termError(t.Arabic, err)
	}
	*t = saved
	return nil
}

// termError names the term an error is about by its Arabic, as the glossary page shows it
// (never by its internal id): "«الضمانات»: english: required". A conflict names the
// spellings and terms itself, and a term without Arabic has nothing to name.
func termError(arabicText string, err error) error {
	var ce *ConflictError
	if arabicText == "" || errors.As(err, &ce) {
		return err
	}
	return fmt.Errorf("«%s»: %w", arabicText, err)
}

// Delete removes the term with the given id; its history records that user deleted it.
func (s *Store) Delete(ctx context.Context, id int64, user string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("deleting a term: %w", err)
	}
	defer tx.Rollback()
	ch := change{author: user, at: timestamp.Format(s.now())}
	rs, err := ch.logRevisions(ctx, tx, ActionDelete, `t.id = ?`, id)
	if err != nil {
		return fmt.Errorf("deleting a term: %w", err)
	}
	if rs.last < rs.first {
		return fmt.Errorf("deleting a term: %w", ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM terms WHERE id = ?`, id); err != nil {
		return fmt.Errorf("deleting a term: %w", err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return fmt.Errorf("deleting a term: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("deleting a term: %w", err)
	}
	return nil
}

// Get returns the term with the given id, or an error matching ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Term, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return Term{}, fmt.Errorf("reading a term: %w", err)
	}
	defer tx.Rollback()
	t, err := getTerm(ctx, tx, id)
	if err != nil {
		return Term{}, fmt.Errorf("reading a term: %w", err)
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
	if strings.TrimSpace(f.Query) != "" {
		if err := s.syncSearchIndex(ctx); err != nil {
			return nil, 0, fmt.Errorf("list terms: %w", err)
		}
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
	m, err := s.loadMatcher(ctx)
	if err != nil {
		return nil, fmt.Errorf("build matcher: %w", err)
	}
	s.cached.Store(&cachedMatcher{gen: gen, m: m})
	return m, nil
}

// rowSep separates the columns of matcherRow: the unit separator, a control character no
// term is expected to hold; a row that holds one anyway is read column by column.
const rowSep = "\x1f"

// matcherRow is a stored term as one string, the columns of termColumns joined by rowSep
// (id first, then type, Arabic, English and variants, the fields of a termRec), so that
// loading the whole glossary costs one string per row; decodeRow reads the whole Term.
var matcherRow = strings.ReplaceAll(`id, type, arabic, english, variants, english_alternatives, forbidden, note,
	do_not_translate, updated_by, updated_at`, ",", ` || char(31) ||`)

// rowColumns is the number of columns in matcherRow.
const rowColumns = 11

// loadMatcher reads every term with one query, in id order (the order of the table, so SQLite
// reads it straight through), and builds the matcher while it reads: the rows go to the
// builder in batches, on another goroutine. The few rows whose text holds rowSep are read
// again as full terms and indexed last.
func (s *Store) loadMatcher(ctx context.Context) (*Matcher, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms`).Scan(&n); err != nil {
		return nil, err
	}
	const batchSize = 1024
	batches := make(chan []termRec, 8)
	built := make(chan *matcherBuilder)
	go func() {
		mb := newMatcherBuilder(n)
		for batch := range batches {
			for _, r := range batch {
				mb.add(r, r.row != "")
			}
		}
		built <- mb
	}()
	odd, err := sendRows(ctx, tx, batches, batchSize)
	mb := <-built
	if err != nil {
		return nil, err
	}
	for _, i := range odd {
		t, err := getTerm(ctx, tx, mb.m.recs[i].id)
		if err != nil {
			return nil, err
		}
		mb.m.recs[i] = recOf(&t)
		if mb.m.odd == nil {
			mb.m.odd = make(map[int32]Term)
		}
		mb.m.odd[int32(i)] = t
		mb.index(i)
	}
	return mb.finish(), nil
}

// sendRows reads the matcherRow of every term into batches, which it closes, and returns the
// positions of the rows that splitRow cannot read (sent with their id only).
func sendRows(ctx context.Context, tx *sql.Tx, batches chan<- []termRec, size int) (odd []int, err error) {
	defer close(batches)
	rows, err := tx.QueryContext(ctx, `SELECT `+matcherRow+` FROM terms ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	batch := make([]termRec, 0, size)
	sent := 0
	for rows.Next() {
		var row string
		if err := rows.Scan(&row); err != nil {
			return nil, err
		}
		r, ok := splitRow(row)
		if !ok {
			odd = append(odd, sent+len(batch))
		}
		batch = append(batch, r)
		if len(batch) == size {
			batches <- batch
			sent += len(batch)
			batch = make([]termRec, 0, size)
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	return odd, rows.Err()
}

// splitRow makes the termRec of a matcherRow; ok is false when the row does not have
// exactly rowColumns columns (a text held rowSep), and then only the id is read.
func splitRow(row string) (r termRec, ok bool) {
	seps := 0
	for i := 0; i < len(row); i++ {
		if row[i] != rowSep[0] {
			continue
		}
		switch seps {
		case 0:
			r.id, _ = strconv.ParseInt(row[:i], 10, 64)
			r.at[0] = uint32(i + 1)
		case 1, 2, 3:
			r.at[seps] = uint32(i + 1)
		case 4:
			r.at[4] = uint32(i)
		}
		seps++
	}
	if seps != rowColumns-1 {
		return r, false
	}
	r.row = row
	return r, true
}

// decodeRow makes the full Term of a matcherRow that splitRow reads, as scanTerm makes it of
// the columns.
func decodeRow(row string) Term {
	var f [rowColumns]string
	splitFields(row, f[:])
	return termOfFields(&f)
}

// splitFields cuts row at rowSep into the fields f, and reports whether it has exactly as
// many fields as f.
func splitFields(row string, f []string) bool {
	n := 0
	for col := range strings.SplitSeq(row, rowSep) {
		if n == len(f) {
			return false
		}
		f[n] = col
		n++
	}
	return n == len(f)
}

// termOfFields makes the Term of the fields of a matcherRow.
func termOfFields(f *[rowColumns]string) Term {
	id, _ := strconv.ParseInt(f[0], 10, 64)
	return Term{
		ID: id, Type: TermType(f[1]), Arabic: f[2], English: f[3], Variants: splitList(f[4]),
		Alternatives: splitList(f[5]), Forbidden: splitList(f[6]), Note: f[7], DoNotTranslate: f[8] != "0",
		UpdatedBy: f[9], UpdatedAt: timestamp.Parse(f[10]),
	}
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
	return fmt.Errorf("«%s» matched a spelling check it does not fail", existing.Arabic)
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

// insertTermsHead starts the INSERT that adds terms under ids of their own (see nextTermID);
// insertValues makes its VALUES.
const insertTermsHead = `INSERT INTO terms (id, arabic, arabic_norm, english, type, variants, english_alternatives,
	forbidden, note, do_not_translate, updated_by, updated_at, variants_norm, english_fold) VALUES `

const updateTermSQL = `UPDATE terms SET arabic = ?, arabic_norm = ?, english = ?, type = ?, variants = ?,
	english_alternatives = ?, forbidden = ?, note = ?, do_not_translate = ?, updated_by = ?, updated_at = ?,
	variants_norm = ?, english_fold = ? WHERE id = ?`

// appendTermArgs appends the values of t's columns after the id, in the order of
// updateTermSQL: norm is its normalized Arabic and updatedAt its UpdatedAt as stored.
func appendTermArgs(dst []any, t *Term, norm, updatedAt string) []any {
	vn, ef := searchColumns(t)
	return append(dst, t.Arabic, norm, t.English, string(t.Type), joinList(t.Variants), joinList(t.Alternatives),
		joinList(t.Forbidden), t.Note, t.DoNotTranslate, t.UpdatedBy, updatedAt, vn, ef)
}

// insertBatch is how many terms one INSERT adds: few statements to run, and few enough
// values for SQLite's limit on a statement's parameters.
const insertBatch = 256

// A term's shape says which of its columns an INSERT binds: most terms of a glossary are
// plain — no lists, no note, an English in ASCII, not marked do-not-translate — and for them
// the type is written into the statement, the empty columns are ” and the folded English is
// SQLite's lower() of the English (the same as Go's for ASCII), so each binds four values
// (id, Arabic, its normalized form, English) instead of twelve.
const (
	shapeFull = iota
	shapePlainTerm
	shapePlainName
	shapeCount
)

// shapeOf is the shape of t.
func shapeOf(t *Term) int {
	if len(t.Variants) > 0 || len(t.Alternatives) > 0 || len(t.Forbidden) > 0 || t.Note != "" || t.DoNotTranslate {
		return shapeFull
	}
	for i := 0; i < len(t.English); i++ {
		if t.English[i] >= utf8.RuneSelf {
			return shapeFull
		}
	}
	switch t.Type {
	case TypeTerm:
		return shapePlainTerm
	case TypeName:
		return shapePlainName
	}
	return shapeFull
}

// insertValues is the VALUES of n terms of a shape for insertTermsHead: ?1 and ?2 are the
// updated_by and updated_at they share, the rest numbered from 3 on.
func insertValues(n, shape int) string {
	var b strings.Builder
	p := 3
	param := func(after string) int {
		b.WriteByte('?')
		b.WriteString(strconv.Itoa(p))
		b.WriteString(after)
		p++
		return p - 1
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		param(",")            // id
		param(",")            // arabic
		param(",")            // arabic_norm
		english := param(",") // english
		switch shape {
		case shapeFull:
			for c := 0; c < 6; c++ { // type, variants, english_alternatives, forbidden, note, do_not_translate
				param(",")
			}
			b.WriteString(`?1,?2,`)
			param(",") // variants_norm
			param(")") // english_fold
			continue
		case shapePlainTerm:
			b.WriteString(`'term',`)
		case shapePlainName:
			b.WriteString(`'name',`)
		}
		fmt.Fprintf(&b, `'','','','',0,?1,?2,'',lower(?%d))`, english)
	}
	return b.String()
}

// termBatch is the terms of one shape waiting to be inserted.
type termBatch struct {
	shape int
	n     int
	args  []any     // updated_by, updated_at, then the values of each term
	full  *sql.Stmt // the INSERT of insertBatch terms, prepared for the first full batch
}

func (b *termBatch) add(t *Term, norm string) {
	b.args = append(b.args, t.ID, t.Arabic, norm, t.English)
	if b.shape == shapeFull {
		vn, ef := searchColumns(t)
		b.args = append(b.args, string(t.Type), joinList(t.Variants), joinList(t.Alternatives), joinList(t.Forbidden),
			t.Note, t.DoNotTranslate, vn, ef)
	}
	b.n++
}

// flush inserts the batch's terms.
func (b *termBatch) flush(ctx context.Context, tx *sql.Tx) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == insertBatch {
		if b.full == nil {
			if b.full, err = tx.PrepareContext(ctx, insertTermsHead+insertValues(insertBatch, b.shape)); err != nil {
				return err
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = tx.ExecContext(ctx, insertTermsHead+insertValues(b.n, b.shape), b.args...)
	}
	b.args, b.n = b.args[:2], 0
	return err
}

// insertTerms adds n terms with their ids set, all updated by `by` at `at` (as stored): term(i)
// gives the i-th and its normalized Arabic. The terms of each shape go in statements of
// their own, insertBatch terms each: passing fewer values is most of what inserting 100,000
// terms costs outside SQLite.
func insertTerms(ctx context.Context, tx *sql.Tx, n int, by, at string, term func(i int) (t *Term, norm string)) error {
	var batches [shapeCount]termBatch
	for i := range batches {
		b := &batches[i]
		b.shape = i
		b.args = append(make([]any, 0, 2+12*min(n, insertBatch)), by, at)
		defer func() {
			if b.full != nil {
				b.full.Close()
			}
		}()
	}
	for i := 0; i < n; i++ {
		t, norm := term(i)
		b := &batches[shapeOf(t)]
		b.add(t, norm)
		if b.n == insertBatch {
			if err := b.flush(ctx, tx); err != nil {
				return fmt.Errorf("add terms: %w", err)
			}
		}
	}
	for i := range batches {
		if err := batches[i].flush(ctx, tx); err != nil {
			return fmt.Errorf("add terms: %w", err)
		}
	}
	return nil
}

// updateTerm saves t over the stored term t.ID.
func updateTerm(ctx context.Context, tx *sql.Tx, t *Term, norm string) error {
	res, err := tx.ExecContext(ctx, updateTermSQL, append(appendTermArgs(nil, t, norm, formatTime(t)), t.ID)...)
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

// formatTime is UpdatedAt as the updated_at column stores it.
func formatTime(t *Term) string { return timestamp.Format(t.UpdatedAt) }

// countFound counts the terms of type typ (any when "") among those the SQL ids selects.
func countFound(ctx context.Context, q sqlread.Queryer, ids string, args []any, typ TermType) (int, error) {
	var n int
	if typ == "" {
		// Counted in the index alone, without reading a row.
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+ids+`)`, args...).Scan(&n)
		return n, err
	}
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms WHERE type = ? AND id IN (`+ids+`)`,
		append([]any{string(typ)}, args...)...).Scan(&n)
	return n, err
}

// listTerms runs a Filter: the page of terms and the count of all matching ones.
func listTerms(ctx context.Context, q sqlread.Queryer, f Filter) ([]Term, int, error) {
	limit, offset := f.Limit, f.Offset
	if limit <= 0 {
		limit = -1
	}
	if offset < 0 {
		offset = 0
	}
	var (
		where []string
		args  []any
		total int
	)
	if f.Type != "" {
		where = append(where, `type = ?`)
		args = append(args, string(f.Type))
	}
	query := strings.TrimSpace(f.Query)
	if query != "" {
		readings := queryReadings(query)
		if len(readings) == 0 {
			return []Term{}, 0, nil // nothing searchable: punctuation only
		}
		ids, idArgs := wordsQuery(readings)
		in := `id IN (` + ids + `)`
		var err error
		if total, err = countFound(ctx, q, ids, idArgs, f.Type); err != nil {
			return nil, 0, err
		}
		if total == 0 || offset >= total {
			return []Term{}, total, nil
		}
		if total >= broadSearch && limit > 0 && offset+limit <= total/8 {
			in = `+` + in // not by id: SQLite then walks arabic_norm, which is the page's order
		}
		where = append(where, in)
		args = append(args, idArgs...)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	if query == "" {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms`+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	terms, err := readPage(ctx, q, cond, args, limit, offset, total)
	return terms, total, err
}

// readPage reads the page of limit terms (all when negative) from offset of those that cond,
// a WHERE clause with args, selects, ordered by normalized Arabic; total is how many it selects.
func readPage(ctx context.Context, q sqlread.Queryer, cond string, args []any, limit, offset, total int) ([]Term, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+termColumns+` FROM terms`+cond+
		` ORDER BY arabic_norm, id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	capHint := total - offset
	if limit >= 0 && limit < capHint {
		capHint = limit
	}
	terms := make([]Term, 0, max(capHint, 0))
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return terms, rows.Err()
}
