package glossary

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/migrations/timestamp"
)

// Term history (migration 021): every write of terms records, in the same transaction, one
// revision per term it changes — who, when, the whole term before and after as JSON, and the
// import or the undo it came with — and an import records itself in glossary_imports. The
// revisions are written by SQL from the rows themselves (logRevisions), one statement per kind
// of change; the terms an import adds are recorded by its row alone, as the range of ids it
// gave them (added_from, added_to), so an import of 100,000 new terms pays for its history
// with one row.

// The actions of a revision.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// Revision is one change of a term.
type Revision struct {
	ID         int64         `json:"id"` // 0 for the creation of a term by an import, which the import's record keeps
	TermID     int64         `json:"term_id"`
	Action     string        `json:"action"` // ActionCreate, ActionUpdate or ActionDelete
	Author     string        `json:"author"`
	At         time.Time     `json:"at"`
	ImportID   int64         `json:"import_id,omitempty"` // the import the change came with
	ImportFile string        `json:"import_file,omitempty"`
	UndoOf     int64         `json:"undo_of,omitempty"` // the import whose undo made the change
	UndoFile   string        `json:"undo_file,omitempty"`
	Before     *Term         `json:"before"` // nil for a create
	After      *Term         `json:"after"`  // nil for a delete; for a create, the term as created (see History)
	Changes    []FieldChange `json:"changes"`
}

// FieldChange is one field of a term that a revision changed, as the page shows it: lists
// with their items separated by " | ", do_not_translate as yes or no.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// ImportRecord is an import as glossary_imports keeps it: what `tarjama glossary imports`
// lists and an undo names.
type ImportRecord struct {
	ID        int64      `json:"id"`
	File      string     `json:"file"`
	Format    string     `json:"format"`
	Mode      string     `json:"mode"`
	By        string     `json:"by"`
	At        time.Time  `json:"at"`
	Added     int        `json:"added"`
	Updated   int        `json:"updated"`
	Removed   int        `json:"removed"`
	Unchanged int        `json:"unchanged"`
	UndoneAt  *time.Time `json:"undone_at,omitempty"`
	UndoneBy  string     `json:"undone_by,omitempty"`

	addedFrom, addedTo int64 // the ids of the terms it added; from > to when none
}

// Name is how messages name the import: `import 7 (glossary.csv)`.
func (r *ImportRecord) Name() string { return fmt.Sprintf("import %d (%s)", r.ID, r.File) }

// jsonList is the SQL of a stored list column as a JSON array. An item never holds the
// separator | and json_quote escapes none, so the quoted list split at | is the quoted items.
func jsonList(col string) string {
	return `CASE WHEN ` + col + ` = '' THEN json_array() ELSE json('[' || replace(json_quote(` + col + `), '|', '","') || ']') END`
}

// termJSON is the SQL of the JSON of a row of terms named t, with Term's field names, so that
// encoding/json reads it back as a Term.
var termJSON = `json_object('id', t.id, 'arabic', t.arabic, 'english', t.english, 'type', t.type,
	'variants', ` + jsonList("t.variants") + `, 'english_alternatives', ` + jsonList("t.english_alternatives") + `,
	'forbidden', ` + jsonList("t.forbidden") + `, 'note', t.note,
	'do_not_translate', json(CASE WHEN t.do_not_translate THEN 'true' ELSE 'false' END),
	'updated_by', t.updated_by, 'updated_at', t.updated_at)`

// change is what every revision of one write records besides the term: who, when, and the
// import it belongs to or the import it undoes.
type change struct {
	author   string
	at       string // the time as stored (timestamp.Format)
	importID int64  // 0 when none
	undoOf   int64  // 0 when none
}

// revisions is a run of revision ids [first, last] that one statement wrote; empty when last < first.
type revisions struct{ first, last int64 }

// logRevisions records a revision of action for each term that cond (a condition on terms t,
// with args) selects. An update or a delete keeps the term as it is now, as its state before:
// call it before updating (logAfter then adds the state after) or deleting. A create keeps no
// state: call it after inserting (see Revision.After).
func (c change) logRevisions(ctx context.Context, tx *sql.Tx, action, cond string, args ...any) (revisions, error) {
	before := termJSON
	if action == ActionCreate {
		before = "NULL"
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO term_revisions (term_id, action, author, created_at, import_id, undo_of, before)
		SELECT t.id, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), `+before+` FROM terms t WHERE `+cond+` ORDER BY t.id`,
		append([]any{action, c.author, c.at, c.importID, c.undoOf}, args...)...)
	if err != nil {
		return revisions{}, fmt.Errorf("record the history: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return revisions{1, 0}, err
	}
	last, err := res.LastInsertId()
	return revisions{last - n + 1, last}, err
}

// logAfter records the terms' state after an update in the revisions rs that logRevisions wrote.
func logAfter(ctx context.Context, tx *sql.Tx, rs revisions) error {
	if rs.last < rs.first {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE term_revisions SET after = (SELECT `+termJSON+` FROM terms t WHERE t.id = term_revisions.term_id)
		WHERE id BETWEEN ? AND ?`, rs.first, rs.last)
	if err != nil {
		return fmt.Errorf("record the history: %w", err)
	}
	return nil
}

// idsJSON renders ids as a JSON array, for conditions like `t.id IN (SELECT value FROM json_each(?))`.
func idsJSON(ids []int64) string {
	b := make([]byte, 0, 2+8*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", id)
	}
	return string(append(b, ']'))
}

// inIDs is the condition that selects the terms of an idsJSON argument.
const inIDs = `t.id IN (SELECT value FROM json_each(?))`

// nextTermID is the id a new term gets: above every id a term has had, so that a deleted
// term's history stays its own and an undo can put it back under its id.
func nextTermID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT MAX(id) FROM terms), 0),
		COALESCE((SELECT MAX(term_id) FROM term_revisions), 0),
		COALESCE((SELECT MAX(added_to) FROM glossary_imports WHERE added_to IS NOT NULL), 0)) + 1`).Scan(&id)
	return id, err
}

// History returns the revisions of the term with the given id, newest first. A term from
// before the history was kept has none until it changes; an id no term has ever had is
// ErrNotFound. A create's state after, which the history does not copy, is the state before
// the next revision, or the term as it is now.
func (s *Store) History(ctx context.Context, id int64) ([]Revision, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("the term's history: %w", err)
	}
	defer tx.Rollback()
	revs, err := readRevisions(ctx, tx, `r.term_id = ? ORDER BY r.id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("the term's history: %w", err)
	}
	added, err := importThatAdded(ctx, tx, id)
	switch {
	case err == nil:
		revs = append(revs, importCreate(added, id))
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("the term's history: %w", err)
	}
	var next *Term // the state after the revision at hand: the term now, for the newest
	now, err := getTerm(ctx, tx, id)
	switch {
	case err == nil:
		next = &now
	case !errors.Is(err, ErrNotFound) || len(revs) == 0:
		return nil, fmt.Errorf("the term's history: %w", err)
	}
	for i := range revs {
		r := &revs[i]
		if r.Action == ActionCreate && r.After == nil {
			r.After = next
			r.Changes = fieldChanges(r.Before, r.After)
		}
		next = r.Before
	}
	return revs, nil
}

// importThatAdded reads the import that added the term id; sql.ErrNoRows when none did.
func importThatAdded(ctx context.Context, q sqlread.Queryer, id int64) (ImportRecord, error) {
	return scanImport(q.QueryRowContext(ctx, `SELECT `+importColumns+` FROM glossary_imports
		WHERE added_to >= ? AND added_from <= ? ORDER BY added_to LIMIT 1`, id, id))
}

// importCreate is the revision that the import imp's record stands for: it added the term id.
func importCreate(imp ImportRecord, id int64) Revision {
	return Revision{TermID: id, Action: ActionCreate, Author: imp.By, At: imp.At, ImportID: imp.ID, ImportFile: imp.File,
		Changes: []FieldChange{}}
}

// readRevisions reads the revisions that cond (on term_revisions r, with its ORDER BY) selects.
func readRevisions(ctx context.Context, q sqlread.Queryer, cond string, args ...any) ([]Revision, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.term_id, r.action, r.author, r.created_at,
		COALESCE(r.import_id, 0), COALESCE(i.file, ''), COALESCE(r.undo_of, 0), COALESCE(u.file, ''),
		COALESCE(r.before, ''), COALESCE(r.after, '')
		FROM term_revisions r LEFT JOIN glossary_imports i ON i.id = r.import_id
		LEFT JOIN glossary_imports u ON u.id = r.undo_of WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Revision{}
	for rows.Next() {
		var (
			r             Revision
			at            string
			before, after string
		)
		if err := rows.Scan(&r.ID, &r.TermID, &r.Action, &r.Author, &at, &r.ImportID, &r.ImportFile,
			&r.UndoOf, &r.UndoFile, &before, &after); err != nil {
			return nil, err
		}
		r.At = timestamp.Parse(at)
		if r.Before, err = termOfJSON(before); err != nil {
			return nil, fmt.Errorf("revision %d: %w", r.ID, err)
		}
		if r.After, err = termOfJSON(after); err != nil {
			return nil, fmt.Errorf("revision %d: %w", r.ID, err)
		}
		r.Changes = fieldChanges(r.Before, r.After)
		out = append(out, r)
	}
	return out, rows.Err()
}

// termOfJSON reads a term kept as JSON; "" (no state) is nil.
func termOfJSON(s string) (*Term, error) {
	if s == "" {
		return nil, nil
	}
	t := new(Term)
	if err := json.Unmarshal([]byte(s), t); err != nil {
		return nil, err
	}
	return t, nil
}

// fieldChanges lists the fields that differ between before and after (either nil: a create
// lists the fields the term was created with, a delete those it had).
func fieldChanges(before, after *Term) []FieldChange {
	var zero Term
	a, b := before, after
	if a == nil {
		a = &zero
	}
	if b == nil {
		b = &zero
	}
	fields := termDiff(*a, *b)
	out := make([]FieldChange, 0, len(fields))
	for _, f := range fields {
		out = append(out, FieldChange{Field: f, Before: fieldText(a, f), After: fieldText(b, f)})
	}
	return out
}

// fieldText is a field of t as a line of text, named as termDiff names it.
func fieldText(t *Term, field string) string {
	switch field {
	case "arabic":
		return t.Arabic
	case "english":
		return t.English
	case "type":
		return string(t.Type)
	case "variants":
		return strings.Join(t.Variants, " | ")
	case "english_alternatives":
		return strings.Join(t.Alternatives, " | ")
	case "forbidden":
		return strings.Join(t.Forbidden, " | ")
	case "note":
		return t.Note
	case "do_not_translate":
		if t.DoNotTranslate {
			return "yes"
		}
		if t.Arabic == "" { // no term at all: a create's before, a delete's after
			return ""
		}
		return "no"
	}
	return ""
}

// recordImport adds the glossary_imports row of an import being written, which adds its
// r.Added new terms under the ids from firstID on, and returns its id.
func recordImport(ctx context.Context, tx *sql.Tx, r *ImportRecord, firstID int64) (int64, error) {
	var from, to any // NULL when it adds none
	if r.Added > 0 {
		from, to = firstID, firstID+int64(r.Added)-1
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO glossary_imports (file, format, mode, imported_by, imported_at,
		added, updated, removed, unchanged, added_from, added_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.File, r.Format, r.Mode, r.By, timestamp.Format(r.At), r.Added, r.Updated, r.Removed, r.Unchanged, from, to)
	if err != nil {
		return 0, fmt.Errorf("record the import: %w", err)
	}
	return res.LastInsertId()
}

const importColumns = `id, file, format, mode, imported_by, imported_at, added, updated, removed, unchanged, undone_at, undone_by,
	COALESCE(added_from, 0), COALESCE(added_to, -1)`

func scanImport(r rowScanner) (ImportRecord, error) {
	var (
		rec          ImportRecord
		at, undoneAt string
	)
	err := r.Scan(&rec.ID, &rec.File, &rec.Format, &rec.Mode, &rec.By, &at, &rec.Added, &rec.Updated,
		&rec.Removed, &rec.Unchanged, &undoneAt, &rec.UndoneBy, &rec.addedFrom, &rec.addedTo)
	if err != nil {
		return rec, err
	}
	rec.At = timestamp.Parse(at)
	if undoneAt != "" {
		t := timestamp.Parse(undoneAt)
		rec.UndoneAt = &t
	}
	return rec, nil
}

// Imports returns the latest imports, newest first: limit of them, or all when limit ≤ 0.
func (s *Store) Imports(ctx context.Context, limit int) ([]ImportRecord, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+importColumns+` FROM glossary_imports ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list glossary imports: %w", err)
	}
	defer rows.Close()
	out := []ImportRecord{}
	for rows.Next() {
		rec, err := scanImport(rows)
		if err != nil {
			return nil, fmt.Errorf("list glossary imports: %w", err)
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list glossary imports: %w", err)
	}
	return out, nil
}

// getImport reads one import's record; ErrNotFound when there is none.
func getImport(ctx context.Context, q sqlread.Queryer, id int64) (ImportRecord, error) {
	rec, err := scanImport(q.QueryRowContext(ctx, `SELECT `+importColumns+` FROM glossary_imports WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, ErrNotFound.Errorf("no glossary import has the number %d", id)
	}
	return rec, err
}
