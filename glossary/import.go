package glossary

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/timestamp"
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

// Change is one term an import adds, updates, leaves alone or removes.
type Change struct {
	Line       int      `json:"line,omitempty"` // line in the file; 0 for removed terms
	ID         int64    `json:"id,omitempty"`   // the stored term the row is (or clashes with); 0 when none
	Arabic     string   `json:"arabic"`
	English    string   `json:"english"`
	OldEnglish string   `json:"old_english,omitempty"` // the stored term's English now; "" when none
	Fields     []string `json:"fields,omitempty"`      // updates: the columns that differ; conflicts: the column at fault
	Reason     string   `json:"reason,omitempty"`      // conflicts: why the row is refused
	Detail     string   `json:"detail,omitempty"`      // updates: how the alternatives followed a new English; unchanged: which term a variant's row names
}

// ImportReport says what an import did, or with DryRun what it would do.
type ImportReport struct {
	File        string     `json:"file"`
	Format      string     `json:"format"`   // FormatCSV, FormatTBX or FormatXLSX: what the content is, whatever the name
	Encoding    string     `json:"encoding"` // "utf-8", "utf-8 with BOM", "windows-1256", "utf-16le with BOM", ...
	Dialect     string     `json:"dialect"`  // e.g. "canonical header, comma", "two columns, no header, tab"
	Ignored     []string   `json:"ignored"`  // what the file holds that the glossary has no place for, e.g. `column "Domain"`
	Mode        string     `json:"mode"`
	Added       []Change   `json:"added"`
	Updated     []Change   `json:"updated"`     // an existing term whose English or other columns change
	Unchanged   []Change   `json:"unchanged"`   // identical to the glossary
	Conflicting []Change   `json:"conflicting"` // refused rows: never written (see Store.Import)
	Removed     []Change   `json:"removed"`     // replace mode: terms not in the file
	Skipped     []RowError `json:"skipped"`     // bad rows left out, with SkipBad only
	Duplicates  int        `json:"duplicates"`  // rows repeating an earlier row exactly, merged into it
	DryRun      bool       `json:"dry_run"`
	ImportID    int64      `json:"import_id,omitempty"` // the import as Store.Imports lists it; 0 for a dry run
}

// existingTerm is a stored term together with its key and its normalized variants.
type existingTerm struct {
	norm     string
	variants []string
	term     Term
}

// owns reports whether the stored term has the normalized spelling s.
func (e *existingTerm) owns(s string) bool { return e.norm == s || slices.Contains(e.variants, s) }

// importPlan is the writes an import makes, worked out before any of them.
type importPlan struct {
	rows    []Row
	insert  []int // indexes into rows
	update  []int // indexes into rows whose Term.ID is the existing term's
	remove  []int64
	refused []RowError // the rows in ImportReport.Conflicting, as errors
}

// Import reads a glossary file in any format (see Read) and merges it into the
// glossary, or with ModeReplace makes it the glossary, in one transaction. Bad rows stop the
// import with an *ImportError naming each file line, and nothing is written, unless
// opt.SkipBad is set. So do conflicting rows: a row that gives a spelling (its Arabic or a
// variant) that another term keeps, or that another row of the file gives too, or that
// breaks a rule once the stored columns the file lacks are added. A dry run lists them in
// ImportReport.Conflicting; with SkipBad the import writes the other rows and lists them there.
func (s *Store) Import(ctx context.Context, r io.Reader, opt ImportOptions) (*ImportReport, error) {
	switch opt.Mode {
	case "":
		opt.Mode = ModeMerge
	case ModeMerge, ModeReplace:
	default:
		return nil, fmt.Errorf("import: %w", &FieldError{"mode", fmt.Sprintf("%q is not one of merge, replace", opt.Mode)})
	}
	f, err := Read(r, opt.Name)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if len(f.Bad) > 0 && !opt.SkipBad {
		return nil, fmt.Errorf("import: %w", newImportError(f.Name, f.Bad))
	}
	if opt.Mode == ModeReplace && len(f.Rows) == 0 {
		return nil, ErrInvalid.Errorf("import: %s has no usable rows; replacing would empty the glossary", f.Name)
	}

	// A dry run only reads, so it need not wait for the writer.
	db := s.w
	if opt.DryRun {
		db = s.r
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
	if len(plan.refused) > 0 && !opt.SkipBad && !opt.DryRun {
		ie := newImportError(f.Name, plan.refused)
		ie.what = "conflicting"
		return nil, fmt.Errorf("import: %w", ie)
	}
	if opt.DryRun {
		return report, nil
	}
	now := s.now().UTC()
	first, err := nextTermID(ctx, tx) // of the terms it adds; a removal keeps its id in the history
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	report.ImportID, err = recordImport(ctx, tx, &ImportRecord{File: f.Name, Format: f.Format, Mode: opt.Mode, By: opt.User,
		At: now, Added: len(plan.insert), Updated: len(plan.update), Removed: len(plan.remove), Unchanged: len(report.Unchanged)}, first)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	if !plan.empty() {
		ch := change{author: opt.User, at: timestamp.Format(now), importID: report.ImportID}
		ids, err := applyImport(ctx, tx, plan, ch, opt.User, first)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", f.Name, err)
		}
		if err := bumpVersion(ctx, tx); err != nil {
			return nil, fmt.Errorf("import %s: %w", f.Name, err)
		}
		for i, id := range ids { // plan.insert and report.Added are in the same order
			report.Added[i].ID = id
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("import %s: %w", f.Name, err)
	}
	return report, nil
}

// existingRow is a stored term as one string, the columns of matcherRow and then arabic_norm
// and variants_norm, so that reading the glossary for an import costs one string per row.
var existingRow = matcherRow + ` || char(31) || arabic_norm || char(31) || variants_norm`

// loadExisting reads every stored term, keyed by normalized Arabic, with one query: the rows
// whose text holds rowSep are read again column by column.
func loadExisting(ctx context.Context, tx *sql.Tx) (map[string]*existingTerm, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms`).Scan(&n); err != nil {
		return nil, err
	}
	out := make(map[string]*existingTerm, n)
	all := make([]existingTerm, 0, n) // one allocation for the terms the map points into
	add := func(t Term, norm, variantsNorm string) {
		var e *existingTerm
		if len(all) < cap(all) { // never grown, so the pointers into it stay good
			all = append(all, existingTerm{norm: norm, term: t})
			e = &all[len(all)-1]
		} else {
			e = &existingTerm{norm: norm, term: t}
		}
		if variantsNorm != "" {
			e.variants = strings.Split(variantsNorm, "\n")
		}
		out[norm] = e
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+existingRow+` FROM terms`)
	if err != nil {
		return nil, err
	}
	var odd []int64
	for rows.Next() {
		var (
			row string
			f   [rowColumns + 2]string
		)
		if err := rows.Scan(&row); err != nil {
			rows.Close()
			return nil, err
		}
		if !splitFields(row, f[:]) {
			id, _, _ := strings.Cut(row, rowSep)
			n, _ := strconv.ParseInt(id, 10, 64)
			odd = append(odd, n)
			continue
		}
		add(termOfFields((*[rowColumns]string)(f[:rowColumns])), f[rowColumns], f[rowColumns+1])
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range odd {
		var norm, variantsNorm string
		t, err := scanTerm(tx.QueryRowContext(ctx, `SELECT `+termColumns+`, arabic_norm, variants_norm FROM terms WHERE id = ?`, id),
			&norm, &variantsNorm)
		if err != nil {
			return nil, err
		}
		add(t, norm, variantsNorm)
	}
	return out, nil
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

// rowPlan is what planImport works out for one row of the file.
type rowPlan struct {
	old        *existingTerm // the stored term with the row's Arabic; nil for a new term
	spellingOf *existingTerm // the stored term that has the row's Arabic as a variant and its English
	clash      *existingTerm // the stored term a refused row's spelling belongs to
	diff       []string      // the columns in which the row changes old
	spellings  []spelling    // the row's Arabic and variants, normalized, as they will be stored
	refused    *RowError     // why the row cannot be imported; nil when it can
	detail     string        // what followNewEnglish did, for the report
}

// changes reports whether importing the row writes anything.
func (rp *rowPlan) changes() bool {
	return rp.spellingOf == nil && (rp.old == nil || len(rp.diff) > 0)
}

// stored is the stored term the report shows beside the row ("Now"), or nil.
func (rp *rowPlan) stored() *existingTerm {
	switch {
	case rp.old != nil:
		return rp.old
	case rp.spellingOf != nil:
		return rp.spellingOf
	}
	return rp.clash
}

// spellingOwner is the stored term that has a normalized spelling, and how.
type spellingOwner struct {
	e         *existingTerm
	asVariant bool
}

// followNewEnglish keeps a term's English renderings whole when a row changes its English:
// the new English is never also one of the term's alternatives, and when the alternatives are
// the stored ones (the file has no column for them) and the new English was among them, the
// old English takes its place there, so the team's earlier choice stays an accepted
// rendering. It says what it did, or "" when it changed nothing.
func followNewEnglish(t *Term, old Term, fileHasAlternatives bool) string {
	if t.English == old.English {
		return ""
	}
	i := slices.Index(t.Alternatives, t.English)
	if i < 0 {
		return ""
	}
	alts := slices.Clone(t.Alternatives)
	if fileHasAlternatives || slices.Contains(alts, old.English) {
		t.Alternatives = slices.Delete(alts, i, i+1)
		return fmt.Sprintf("%q is no longer also listed as an alternative", t.English)
	}
	alts[i] = old.English
	t.Alternatives = alts
	return fmt.Sprintf("%q takes its place among the alternatives", old.English)
}

// planImport compares the file with the glossary; it is pure so a dry run and a real import
// report exactly the same.
//
// A row whose Arabic is a stored term's variant, with that term's English or one of its
// accepted alternatives (stored, or given by the file's row for the term), names the term
// by another spelling: it is unchanged, not a new term that would take the spelling away.
// Replace mode makes the glossary the file: a stored term the file rewrites keeps only the
// variants the file names, in its variants column or as rows of their own with the term's
// English; the others are gone and cannot clash with the file's rows.
func planImport(f *File, existing map[string]*existingTerm, opt ImportOptions) (*ImportReport, *importPlan) {
	rep := &ImportReport{
		File: f.Name, Format: f.Format, Encoding: f.Encoding, Dialect: f.Dialect, Mode: opt.Mode, DryRun: opt.DryRun,
		Ignored: append([]string{}, f.Ignored...),
		Added:   []Change{}, Updated: []Change{}, Unchanged: []Change{}, Conflicting: []Change{}, Removed: []Change{},
		Skipped: append([]RowError{}, f.Bad...), Duplicates: f.Duplicates,
	}
	// Most rows of a file are new to an empty glossary and unchanged in a full one.
	if guess := len(f.Rows) - len(existing); guess > 0 {
		rep.Added = make([]Change, 0, guess)
	}
	if guess := min(len(f.Rows), len(existing)); guess > 0 {
		rep.Unchanged = make([]Change, 0, guess)
	}
	plan := &importPlan{rows: f.Rows, insert: make([]int, 0, cap(rep.Added))}
	rows := make([]rowPlan, len(f.Rows))
	// normalized Arabic → row, -1 for a bad row: the reader's index of the rows, or a new one
	inFile := f.index
	if len(inFile) != len(f.Rows) {
		inFile = make(map[string]int, len(f.Rows)+len(f.Bad))
		for i := range f.Rows {
			inFile[f.Rows[i].Norm] = i
		}
	}
	// A skipped row still names its term: replacing must not delete a term just because its
	// row in the file had a typo.
	for _, b := range f.Bad {
		if _, ok := inFile[b.norm]; b.norm != "" && !ok {
			inFile[b.norm] = -1
		}
	}
	onlyNamedVariants := opt.Mode == ModeReplace && !f.Present[colVariants]
	rewrites := make(map[int64]int) // stored term id → the row that changes it
	ownRow := make(map[int64]int)   // stored term id → the row with its Arabic
	for i := range f.Rows {
		row, rp := &f.Rows[i], &rows[i]
		if old, ok := existing[row.Norm]; ok {
			rp.old = old
			ownRow[old.term.ID] = i
			keepAbsentColumns(&row.Term, old.term, &f.Present)
			if onlyNamedVariants {
				row.Term.Variants = namedVariants(f, inFile, i, old)
			}
			rp.detail = followNewEnglish(&row.Term, old.term, f.Present[colAlternatives])
			if rp.diff = termDiff(old.term, row.Term); len(rp.diff) == 0 {
				continue
			}
			rewrites[old.term.ID] = i
			// The stored columns kept may break a rule with the file's ones (a new English
			// that the term forbids), which Read could not see.
			if err := row.Term.Validate(); err != nil {
				rp.refused = rowErrorOf(f.Name, row.Line, err)
			}
		}
		rp.spellings = termSpellings(&row.Term, row.Norm)
	}
	removed := func(e *existingTerm) bool {
		_, named := inFile[e.norm]
		return opt.Mode == ModeReplace && !named
	}
	owners := newSpellingOwners(existing)
	for i := range f.Rows {
		if rows[i].old == nil {
			rows[i].spellingOf = spellingOfStored(f, rows, i, owners, rewrites, ownRow, removed)
		}
	}
	refuseSpellingConflicts(f, rows, owners, rewrites, removed)

	for i := range f.Rows {
		row, rp := &f.Rows[i], &rows[i]
		t := &row.Term
		c := Change{Line: row.Line, Arabic: t.Arabic, English: t.English}
		if st := rp.stored(); st != nil {
			c.ID, c.OldEnglish = st.term.ID, st.term.English
		}
		switch {
		case rp.refused != nil:
			c.Fields, c.Reason = []string{rp.refused.Field}, rp.refused.Reason
			rep.Conflicting = append(rep.Conflicting, c)
			plan.refused = append(plan.refused, *rp.refused)
		case rp.spellingOf != nil:
			c.Detail = fmt.Sprintf("another spelling of «%s»", rp.spellingOf.term.Arabic)
			rep.Unchanged = append(rep.Unchanged, c)
		case rp.old == nil:
			rep.Added = append(rep.Added, c)
			plan.insert = append(plan.insert, i)
		case len(rp.diff) == 0:
			rep.Unchanged = append(rep.Unchanged, c)
		default:
			c.Fields, c.Detail = rp.diff, rp.detail
			rep.Updated = append(rep.Updated, c)
			t.ID = rp.old.term.ID
			plan.update = append(plan.update, i)
		}
	}
	if opt.Mode == ModeReplace {
		for _, old := range sortedExisting(existing) {
			if !removed(old) {
				continue
			}
			rep.Removed = append(rep.Removed, Change{ID: old.term.ID, Arabic: old.term.Arabic, English: old.term.English, OldEnglish: old.term.English})
			plan.remove = append(plan.remove, old.term.ID)
		}
	}
	return rep, plan
}

// acceptsEnglish reports whether en is a stored term's English or accepted alternative, or
// that of the file's row for the term (fileTerm, nil when the file has none).
func acceptsEnglish(e *existingTerm, fileTerm *Term, en string) bool {
	if en == e.term.English || slices.Contains(e.term.Alternatives, en) {
		return true
	}
	return fileTerm != nil && (en == fileTerm.English || slices.Contains(fileTerm.Alternatives, en))
}

// namedVariants is what replace mode keeps of the variants of old, the stored term that row
// i of a file without a variants column rewrites: those that another row of the file gives
// as its Arabic with the term's English.
func namedVariants(f *File, inFile map[string]int, i int, old *existingTerm) []string {
	kept := []string{}
	for _, v := range old.term.Variants {
		j, ok := inFile[arabic.Normalize(v)]
		if ok && j >= 0 && j != i && acceptsEnglish(old, &f.Rows[i].Term, f.Rows[j].Term.English) {
			kept = append(kept, v)
		}
	}
	return kept
}

// spellingOfStored is the stored term that row i, which has no stored term of its own Arabic,
// names by another spelling: the term has the row's Arabic as a variant, keeps it and every
// other spelling the row gives, and accepts the row's English. It is nil when there is none.
func spellingOfStored(f *File, rows []rowPlan, i int, owners spellingOwners,
	rewrites, ownRow map[int64]int, removed func(*existingTerm) bool) *existingTerm {
	o, ok := owners.of(f.Rows[i].Norm)
	if !ok || !o.asVariant || removed(o.e) {
		return nil
	}
	var fileTerm *Term
	if r, ok := ownRow[o.e.term.ID]; ok {
		fileTerm = &f.Rows[r].Term
	}
	if !acceptsEnglish(o.e, fileTerm, f.Rows[i].Term.English) {
		return nil
	}
	keeps := o.e.owns
	if r, ok := rewrites[o.e.term.ID]; ok {
		keeps = func(norm string) bool { return hasSpelling(rows[r].spellings, norm) }
	}
	for _, s := range rows[i].spellings {
		if !keeps(s.norm) {
			return nil
		}
	}
	return o.e
}

// rowErrorOf turns a validation error into a RowError for the row at line.
func rowErrorOf(file string, line int, err error) *RowError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &RowError{File: file, Line: line, Field: fe.Field, Reason: fe.Reason}
	}
	return &RowError{File: file, Line: line, Reason: err.Error()}
}

// spellingOwners finds the stored term that has a normalized spelling: the stored terms by
// their Arabic (an import's map of them) and by their variants.
type spellingOwners struct {
	existing map[string]*existingTerm
	variants map[string]*existingTerm
}

// newSpellingOwners indexes the stored terms' variants beside existing.
func newSpellingOwners(existing map[string]*existingTerm) spellingOwners {
	so := spellingOwners{existing: existing, variants: make(map[string]*existingTerm)}
	for _, e := range existing {
		for _, v := range e.variants {
			_, arabic := existing[v]
			if _, taken := so.variants[v]; !arabic && !taken {
				so.variants[v] = e
			}
		}
	}
	return so
}

// of is the stored term with the spelling norm, its Arabic first.
func (so spellingOwners) of(norm string) (spellingOwner, bool) {
	if e, ok := so.existing[norm]; ok {
		return spellingOwner{e: e}, true
	}
	e, ok := so.variants[norm]
	return spellingOwner{e: e, asVariant: true}, ok
}

// refuseSpellingConflicts marks the rows that would give a spelling to a second term: one
// that a stored term keeps (the file does not change or remove that term, or changes it and
// keeps the spelling), or one that an earlier row of the file gives. Only a spelling new to
// the row's term is checked, so updating a term never trips over its own spellings. Refusing
// a row keeps its stored term as it is, which can make another row's spelling clash, so the
// check repeats until no more rows are refused.
func refuseSpellingConflicts(f *File, rows []rowPlan, owners spellingOwners,
	rewrites map[int64]int, removed func(*existingTerm) bool) {
	conflict := func(i int, s spelling) *RowError {
		if o, ok := owners.of(s.norm); ok && !removed(o.e) {
			if r, changed := rewrites[o.e.term.ID]; !changed || rows[r].refused != nil {
				as := "the Arabic of"
				if o.asVariant {
					as = "a variant of"
				}
				rows[i].clash = o.e
				return &RowError{File: f.Name, Line: f.Rows[i].Line, Field: s.field, Reason: fmt.Sprintf(
					"%q is already %s «%s» → %q; a spelling belongs to one term",
					s.text, as, o.e.term.Arabic, o.e.term.English)}
			} else if hasSpelling(rows[r].spellings, s.norm) {
				return lineConflict(f, i, r, s)
			}
		}
		return nil
	}
	claims := make(map[string]int, len(rows))
	for again := true; again; {
		again = false
		clear(claims)
		for i := range rows {
			rp := &rows[i]
			if rp.refused != nil || !rp.changes() {
				continue
			}
			for _, s := range rp.spellings {
				if rp.old != nil && rp.old.owns(s.norm) {
					continue
				}
				if rp.refused = conflict(i, s); rp.refused != nil {
					break
				}
				if j, ok := claims[s.norm]; ok {
					rp.refused = lineConflict(f, i, j, s)
					break
				}
			}
			if rp.refused != nil {
				again = true
				continue
			}
			for _, s := range rp.spellings {
				if rp.old == nil || !rp.old.owns(s.norm) {
					claims[s.norm] = i
				}
			}
		}
	}
}

// lineConflict says that row i gives spelling s, which row j gives too.
func lineConflict(f *File, i, j int, s spelling) *RowError {
	other := f.Rows[j]
	return &RowError{File: f.Name, Line: f.Rows[i].Line, Field: s.field, Reason: fmt.Sprintf(
		"%q is also a spelling of line %d %q → %q; a spelling belongs to one term",
		s.text, other.Line, other.Term.Arabic, other.Term.English)}
}

func (p *importPlan) empty() bool {
	return len(p.insert) == 0 && len(p.update) == 0 && len(p.remove) == 0
}

// sortedExisting lists the stored terms in export order, so Removed reads like the glossary.
func sortedExisting(m map[string]*existingTerm) []*existingTerm {
	out := make([]*existingTerm, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *existingTerm) int {
		if c := strings.Compare(a.norm, b.norm); c != 0 {
			return c
		}
		return cmp.Compare(a.term.ID, b.term.ID)
	})
	return out
}

// applyImport makes the planned writes, the removals and updates with the revisions of their
// terms (see logRevisions), and returns the ids of the added terms, first and on: their
// creation is the import's record. Removals go first and updates before inserts, so no
// statement ever sees a key that is about to leave.
func applyImport(ctx context.Context, tx *sql.Tx, p *importPlan, ch change, user string, first int64) ([]int64, error) {
	if len(p.remove) > 0 {
		ids := idsJSON(p.remove)
		if _, err := ch.logRevisions(ctx, tx, ActionDelete, inIDs, ids); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM terms WHERE id IN (SELECT value FROM json_each(?))`, ids); err != nil {
			return nil, fmt.Errorf("remove terms: %w", err)
		}
	}
	if len(p.update) > 0 {
		ids := make([]int64, len(p.update))
		for k, i := range p.update {
			ids[k] = p.rows[i].Term.ID
		}
		rs, err := ch.logRevisions(ctx, tx, ActionUpdate, inIDs, idsJSON(ids))
		if err != nil {
			return nil, err
		}
		upd, err := tx.PrepareContext(ctx, updateTermSQL)
		if err != nil {
			return nil, err
		}
		defer upd.Close()
		args := make([]any, 0, 14)
		for _, i := range p.update {
			t := &p.rows[i].Term
			t.UpdatedBy = user
			if _, err := upd.ExecContext(ctx, append(appendTermArgs(args[:0], t, p.rows[i].Norm, ch.at), t.ID)...); err != nil {
				return nil, termError(t.Arabic, err)
			}
		}
		if err := logAfter(ctx, tx, rs); err != nil {
			return nil, err
		}
	}
	if len(p.insert) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(p.insert))
	err := insertTerms(ctx, tx, len(p.insert), user, ch.at, func(k int) (*Term, string) {
		row := &p.rows[p.insert[k]]
		row.Term.ID, row.Term.UpdatedBy = first+int64(k), user
		ids[k] = row.Term.ID
		return &row.Term, row.Norm
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
