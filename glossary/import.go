package glossary

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tarjama/tarjama/migrations"
)

// Import modes: merge keeps terms the file does not mention, replace removes them.
const (
	ModeMerge   = "merge"
	ModeReplace = "replace"
)

// ImportOptions controls Store.Import.
type ImportOptions struct {
	Name    string // file name used in messages and row errors
	Mode    string // ModeMerge (the default when empty) or ModeReplace
	DryRun  bool   // compute the report, write nothing
	SkipBad bool   // import the good rows and list the bad ones instead of refusing the file
	User    string // recorded as updated_by on the terms the import writes
}

// ExportOptions controls Store.Export.
type ExportOptions struct {
	BOM bool // start with a UTF-8 byte order mark so Excel reads the file as UTF-8
}

// Change is one term an import adds, updates, leaves alone or removes.
type Change struct {
	Line       int      `json:"line,omitempty"` // line in the file; 0 for removed terms
	ID         int64    `json:"id,omitempty"`   // the existing term; 0 for added ones
	Arabic     string   `json:"arabic"`
	English    string   `json:"english"`
	OldEnglish string   `json:"old_english,omitempty"` // the English before, for updates and conflicts
	Fields     []string `json:"fields,omitempty"`      // the columns that differ, for updates and conflicts
}

// ImportReport says what an import did, or with DryRun what it would do.
type ImportReport struct {
	File        string     `json:"file"`
	Encoding    string     `json:"encoding"` // "utf-8", "utf-8 with BOM", "windows-1256", "utf-16le with BOM", ...
	Dialect     string     `json:"dialect"`  // e.g. "canonical header, comma", "two columns, no header, tab"
	Mode        string     `json:"mode"`
	Added       []Change   `json:"added"`
	Updated     []Change   `json:"updated"`     // same English, other columns differ
	Unchanged   []Change   `json:"unchanged"`   // identical to the glossary
	Conflicting []Change   `json:"conflicting"` // the file gives a different English: a team decision changes
	Removed     []Change   `json:"removed"`     // replace mode: terms not in the file
	Skipped     []RowError `json:"skipped"`     // bad rows left out, with SkipBad only
	Duplicates  int        `json:"duplicates"`  // rows repeating an earlier row exactly, merged into it
	DryRun      bool       `json:"dry_run"`
}

// existingTerm is a stored term together with its key.
type existingTerm struct {
	norm string
	term Term
}

// importPlan is the writes an import makes, worked out before any of them.
type importPlan struct {
	rows   []CSVRow
	insert []int // indexes into rows
	update []int // indexes into rows whose Term.ID is the existing term's
	remove []int64
}

// Import reads a glossary file (see ReadCSV for what is accepted) and merges it into the
// glossary, or with ModeReplace makes it the glossary, in one transaction. Bad rows stop the
// import with an *ImportError naming each file line, and nothing is written, unless
// opt.SkipBad is set.
func (s *Store) Import(ctx context.Context, r io.Reader, opt ImportOptions) (*ImportReport, error) {
	switch opt.Mode {
	case "":
		opt.Mode = ModeMerge
	case ModeMerge, ModeReplace:
	default:
		return nil, fmt.Errorf("import: %w", &FieldError{"mode", fmt.Sprintf("%q is not one of merge, replace", opt.Mode)})
	}
	f, err := ReadCSV(r, opt.Name)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if len(f.Bad) > 0 && !opt.SkipBad {
		return nil, fmt.Errorf("import: %w", newImportError(f.Name, f.Bad))
	}
	if opt.Mode == ModeReplace && len(f.Rows) == 0 {
		return nil, fmt.Errorf("import: %s has no usable rows; replacing would empty the glossary: %w", f.Name, ErrInvalid)
	}

	// A dry run only reads, so it need not wait for the writer.
	db := s.db.W
	if opt.DryRun {
		db = s.db.R
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	defer tx.Rollback()

	existing, err := loadExisting(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	report, plan := planImport(f, existing, opt)
	if opt.DryRun || plan.empty() {
		return report, nil
	}
	ids, err := applyImport(ctx, tx, plan, opt.User, migrations.Now())
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	for i, id := range ids { // plan.insert and report.Added are in the same order
		report.Added[i].ID = id
	}
	return report, nil
}

// Export writes the whole glossary as canonical CSV (see WriteCSV), ordered by normalized
// Arabic, then id.
func (s *Store) Export(ctx context.Context, w io.Writer, opt ExportOptions) error {
	tx, err := s.db.R.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("export glossary: %w", err)
	}
	defer tx.Rollback()
	if err := exportTerms(ctx, tx, w, opt.BOM); err != nil {
		return fmt.Errorf("export glossary: %w", err)
	}
	return nil
}

func exportTerms(ctx context.Context, tx *sql.Tx, w io.Writer, bom bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+termColumns+` FROM terms ORDER BY arabic_norm, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	tw, err := newCSVTermWriter(w, bom)
	if err != nil {
		return err
	}
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			return err
		}
		if err := tw.write(&t); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.flush()
}

// loadExisting reads every stored term, keyed by normalized Arabic.
func loadExisting(ctx context.Context, tx *sql.Tx) (map[string]existingTerm, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms`).Scan(&n); err != nil {
		return nil, err
	}
	out := make(map[string]existingTerm, n)
	rows, err := tx.QueryContext(ctx, `SELECT `+termColumns+`, arabic_norm FROM terms ORDER BY arabic_norm, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var norm string
		t, err := scanTerm(rows, &norm)
		if err != nil {
			return nil, err
		}
		out[norm] = existingTerm{norm: norm, term: t}
	}
	return out, rows.Err()
}

// keepAbsentColumns copies into t the fields of the existing term old that the file has no
// column for, so importing a two-column file keeps a term's type, variants and notes.
func keepAbsentColumns(t *Term, old Term, present *[colCount]bool) {
	if !present[colType] {
		t.Type = old.Type
	}
	if !present[colVariants] {
		t.Variants = old.Variants
	}
	if !present[colAlternatives] {
		t.Alternatives = old.Alternatives
	}
	if !present[colForbidden] {
		t.Forbidden = old.Forbidden
	}
	if !present[colNote] {
		t.Note = old.Note
	}
	if !present[colDoNotTranslate] {
		t.DoNotTranslate = old.DoNotTranslate
	}
}

// planImport compares the file with the glossary; it is pure so a dry run and a real import
// report exactly the same.
func planImport(f *CSVFile, existing map[string]existingTerm, opt ImportOptions) (*ImportReport, *importPlan) {
	rep := &ImportReport{
		File: f.Name, Encoding: f.Encoding, Dialect: f.Dialect, Mode: opt.Mode, DryRun: opt.DryRun,
		Added: []Change{}, Updated: []Change{}, Unchanged: []Change{}, Conflicting: []Change{}, Removed: []Change{},
		Skipped: append([]RowError{}, f.Bad...), Duplicates: f.Duplicates,
	}
	if guess := len(f.Rows) - len(existing); guess > 0 {
		rep.Added = make([]Change, 0, guess)
	}
	plan := &importPlan{rows: f.Rows, insert: make([]int, 0, cap(rep.Added))}
	inFile := make(map[string]bool, len(f.Rows)+len(f.Bad))
	for i := range f.Rows {
		row := &f.Rows[i]
		inFile[row.Norm] = true
		t := &row.Term
		old, ok := existing[row.Norm]
		if !ok {
			rep.Added = append(rep.Added, Change{Line: row.Line, Arabic: t.Arabic, English: t.English})
			plan.insert = append(plan.insert, i)
			continue
		}
		keepAbsentColumns(t, old.term, &f.Present)
		c := Change{Line: row.Line, ID: old.term.ID, Arabic: t.Arabic, English: t.English}
		diff := termDiff(old.term, *t)
		switch {
		case len(diff) == 0:
			rep.Unchanged = append(rep.Unchanged, c)
			continue
		case old.term.English != t.English:
			c.OldEnglish, c.Fields = old.term.English, diff
			rep.Conflicting = append(rep.Conflicting, c)
		default:
			c.OldEnglish, c.Fields = old.term.English, diff
			rep.Updated = append(rep.Updated, c)
		}
		t.ID = old.term.ID
		plan.update = append(plan.update, i)
	}
	if opt.Mode == ModeReplace {
		// A skipped row still names its term: replacing must not delete a term just because
		// its row in the file had a typo.
		for _, b := range f.Bad {
			if b.norm != "" {
				inFile[b.norm] = true
			}
		}
		for _, old := range sortedExisting(existing) {
			if inFile[old.norm] {
				continue
			}
			rep.Removed = append(rep.Removed, Change{ID: old.term.ID, Arabic: old.term.Arabic, English: old.term.English})
			plan.remove = append(plan.remove, old.term.ID)
		}
	}
	return rep, plan
}

func (p *importPlan) empty() bool {
	return len(p.insert) == 0 && len(p.update) == 0 && len(p.remove) == 0
}

// sortedExisting lists the stored terms in export order, so Removed reads like the glossary.
func sortedExisting(m map[string]existingTerm) []existingTerm {
	out := make([]existingTerm, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b existingTerm) int {
		if c := strings.Compare(a.norm, b.norm); c != 0 {
			return c
		}
		return cmp.Compare(a.term.ID, b.term.ID)
	})
	return out
}

// applyImport makes the planned writes with one prepared statement per kind and returns the
// ids of the added terms. Removals go first and updates before inserts, so no statement ever
// sees a key that is about to leave.
func applyImport(ctx context.Context, tx *sql.Tx, p *importPlan, user, now string) ([]int64, error) {
	if len(p.remove) > 0 {
		del, err := tx.PrepareContext(ctx, `DELETE FROM terms WHERE id = ?`)
		if err != nil {
			return nil, err
		}
		defer del.Close()
		for _, id := range p.remove {
			if _, err := del.ExecContext(ctx, id); err != nil {
				return nil, fmt.Errorf("remove term %d: %w", id, err)
			}
		}
	}
	updatedAt := migrations.ParseTime(now)
	if len(p.update) > 0 {
		upd, err := tx.PrepareContext(ctx, updateTermSQL)
		if err != nil {
			return nil, err
		}
		defer upd.Close()
		for _, i := range p.update {
			t := &p.rows[i].Term
			t.UpdatedBy, t.UpdatedAt = user, updatedAt
			if _, err := upd.ExecContext(ctx, append(termArgs(t, p.rows[i].Norm), t.ID)...); err != nil {
				return nil, fmt.Errorf("update term %d %q: %w", t.ID, t.Arabic, err)
			}
		}
	}
	ids := make([]int64, 0, len(p.insert))
	if len(p.insert) > 0 {
		ins, err := tx.PrepareContext(ctx, insertTermSQL)
		if err != nil {
			return nil, err
		}
		defer ins.Close()
		for _, i := range p.insert {
			t := &p.rows[i].Term
			t.UpdatedBy, t.UpdatedAt = user, updatedAt
			res, err := ins.ExecContext(ctx, termArgs(t, p.rows[i].Norm)...)
			if err != nil {
				return nil, fmt.Errorf("add term %q: %w", t.Arabic, err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}
