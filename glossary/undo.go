package glossary

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/timestamp"
)

// UndoOptions controls Store.UndoImport.
type UndoOptions struct {
	User  string // who undoes the import: the author of the undo's revisions
	Force bool   // undo even when terms the import changed were changed since
}

// UndoReport says what undoing an import did to the terms it had changed.
type UndoReport struct {
	Import      ImportRecord `json:"import"`      // the import, now marked undone
	Deleted     []Change     `json:"deleted"`     // terms the import added, deleted again
	Restored    []Change     `json:"restored"`    // terms the import updated, as they were before it (English: restored; OldEnglish: until now)
	Recreated   []Change     `json:"recreated"`   // terms the import removed, back under their ids
	Overwritten []Change     `json:"overwritten"` // with Force: terms changed since the import, whose later changes the undo replaced
}

// EditedSinceError refuses to undo an import some of whose terms were changed after it, by an
// edit, a later import or an undo: undoing it would throw those changes away.
type EditedSinceError struct {
	Import ImportRecord
	// Terms are the terms changed since, with their Arabic and English as they are now (as
	// they were last, for a term deleted since); Detail says what changed them last.
	Terms []Change
}

// maxNamedTerms bounds how many terms a message names; the rest are counted.
const maxNamedTerms = 10

// Error names the import and the terms changed since it.
func (e *EditedSinceError) Error() string {
	var b strings.Builder
	n := len(e.Terms)
	fmt.Fprintf(&b, "%s: %d %s it changed %s changed again since: ", e.Import.Name(), n, plural(n, "term", "terms"), plural(n, "was", "were"))
	nameTerms(&b, e.Terms)
	b.WriteString("; undoing it would lose those changes")
	return b.String()
}

// Kind is ErrConflict's.
func (e *EditedSinceError) Kind() string { return ErrConflict.kind }

// Is makes every EditedSinceError match ErrConflict.
func (e *EditedSinceError) Is(target error) bool { return ErrConflict.Is(target) }

// nameTerms names terms as people know them, «Arabic» → English (detail), the first
// maxNamedTerms of them.
func nameTerms(b *strings.Builder, terms []Change) {
	for i, c := range terms {
		if i == maxNamedTerms {
			fmt.Fprintf(b, " and %d more", len(terms)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "«%s» → %s", c.Arabic, c.English)
		if c.Detail != "" {
			fmt.Fprintf(b, " (%s)", c.Detail)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// touched is a term an import changed, what the import left of it, and what became of it.
type touched struct {
	rev   Revision // the import's revision of the term
	left  *Term    // the term as the import left it; nil when it removed it
	now   *Term    // the term now; nil when there is none
	later *laterChange
}

// target is what undoing the import makes of the term: nothing for a term it added, the
// term as it was before it for one it updated or removed.
func (t *touched) target() *Term {
	if t.rev.Action == ActionCreate {
		return nil
	}
	return t.rev.Before
}

// laterChange is what a term's revisions after an import say.
type laterChange struct {
	firstBefore *Term  // the state before the first of them: what the import left
	lastBefore  *Term  // the state before the last of them
	lastWhat    string // the last of them, in words: "edited by amal, 2026-05-02 14:03 UTC"
}

// UndoImport undoes the import with the given id, in one transaction: the terms it added are
// deleted, the terms it updated get back what they had before it, and the terms it removed
// come back under their ids, as they were. The history records the undo's changes as made by
// opt.User and marks the import undone. It refuses (*EditedSinceError) when a term the import
// changed was changed since and the undo would lose that change (the term is neither as the
// import left it nor as the undo would make it), unless opt.Force; it refuses an import
// already undone, and an undo that would give a spelling to two terms.
func (s *Store) UndoImport(ctx context.Context, id int64, opt UndoOptions) (*UndoReport, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("undo glossary import %d: %w", id, err)
	}
	defer tx.Rollback()
	imp, err := getImport(ctx, tx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, err // it says which
	}
	if err != nil {
		return nil, fmt.Errorf("undo glossary import %d: %w", id, err)
	}
	if imp.UndoneAt != nil {
		return nil, ErrConflict.Errorf("%s was undone already, %s by %s", imp.Name(), dateText(*imp.UndoneAt), who(imp.UndoneBy))
	}
	terms, err := touchedBy(ctx, tx, imp)
	if err != nil {
		return nil, fmt.Errorf("undo %s: %w", imp.Name(), err)
	}
	rep := &UndoReport{Deleted: []Change{}, Restored: []Change{}, Recreated: []Change{}, Overwritten: []Change{}}
	for _, t := range terms {
		if t.later == nil || sameTerm(t.left, t.now) || sameTerm(t.target(), t.now) {
			continue // as the import left it, or as the undo makes it: nothing lost
		}
		last := t.now
		if last == nil {
			last = t.later.lastBefore
		}
		c := Change{ID: t.rev.TermID, Detail: t.later.lastWhat}
		if last != nil {
			c.Arabic, c.English = last.Arabic, last.English
		}
		rep.Overwritten = append(rep.Overwritten, c)
	}
	if len(rep.Overwritten) > 0 && !opt.Force {
		return nil, &EditedSinceError{Import: imp, Terms: rep.Overwritten}
	}

	var plan undoPlan
	for i := range terms {
		plan.add(&terms[i], rep)
	}
	if err := plan.checkSpellings(ctx, tx, imp); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	ch := change{author: opt.User, at: timestamp.Format(now), undoOf: imp.ID}
	if err := plan.apply(ctx, tx, ch); err != nil {
		return nil, fmt.Errorf("undo %s: %w", imp.Name(), err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE glossary_imports SET undone_at = ?, undone_by = ? WHERE id = ?`,
		ch.at, opt.User, imp.ID); err != nil {
		return nil, fmt.Errorf("undo %s: %w", imp.Name(), err)
	}
	if !plan.empty() {
		if err := bumpVersion(ctx, tx); err != nil {
			return nil, fmt.Errorf("undo %s: %w", imp.Name(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("undo %s: %w", imp.Name(), err)
	}
	imp.UndoneAt, imp.UndoneBy = &now, opt.User
	rep.Import = imp
	return rep, nil
}

// dateText is a time as messages give it: "2026-05-02 14:03 UTC".
func dateText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func who(name string) string {
	if name == "" {
		return "someone"
	}
	return name
}

// touchedBy reads the terms the import imp changed, with what it left of each, what each is
// now and what changed it since: the terms it updated or removed by its revisions, the terms it
// added by its range of ids.
func touchedBy(ctx context.Context, tx *sql.Tx, imp ImportRecord) ([]touched, error) {
	revs, err := readRevisions(ctx, tx, `r.import_id = ? ORDER BY r.id`, imp.ID)
	if err != nil {
		return nil, err
	}
	out := make([]touched, len(revs), len(revs)+imp.Added)
	at := make(map[int64]int, cap(out)) // term id → index into out
	ids := make([]int64, len(revs))
	for i, r := range revs {
		out[i].rev = r
		out[i].left = r.After
		at[r.TermID], ids[i] = i, r.TermID
	}
	// added is the entry of a term the import added, made on first sight.
	added := func(id int64) *touched {
		i, ok := at[id]
		if !ok {
			out = append(out, touched{rev: importCreate(imp, id)})
			i = len(out) - 1
			at[id] = i
		}
		return &out[i]
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+termColumns+` FROM terms
		WHERE id IN (SELECT value FROM json_each(?)) OR id BETWEEN ? AND ?`, idsJSON(ids), imp.addedFrom, imp.addedTo)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		added(t.ID).now = &t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// For each term changed since: the state before its first later revision, and its last.
	// Every revision of a term the import added is later than the import.
	rows, err = tx.QueryContext(ctx, `WITH touched (term_id, rev_id) AS (
			SELECT term_id, id FROM term_revisions WHERE import_id = ?1
			UNION ALL
			SELECT DISTINCT term_id, 0 FROM term_revisions WHERE term_id BETWEEN ?2 AND ?3)
		SELECT x.term_id,
			COALESCE((SELECT f.before FROM term_revisions f WHERE f.term_id = x.term_id AND f.id > x.rev_id ORDER BY f.id LIMIT 1), ''),
			COALESCE(l.before, ''), l.action, l.author, l.created_at, COALESCE(i.file, ''), COALESCE(l.import_id, 0), COALESCE(l.undo_of, 0)
		FROM touched x
		JOIN term_revisions l ON l.id = (SELECT MAX(y.id) FROM term_revisions y WHERE y.term_id = x.term_id)
		LEFT JOIN glossary_imports i ON i.id = COALESCE(l.import_id, l.undo_of)
		WHERE l.id > x.rev_id`, imp.ID, imp.addedFrom, imp.addedTo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			termID, importID, undoOf  int64
			firstJSON, lastJSON, file string
			action, author, when      string
		)
		if err := rows.Scan(&termID, &firstJSON, &lastJSON, &action, &author, &when, &file, &importID, &undoOf); err != nil {
			return nil, err
		}
		first, err := termOfJSON(firstJSON)
		if err != nil {
			return nil, fmt.Errorf("history of term %d: %w", termID, err)
		}
		last, err := termOfJSON(lastJSON)
		if err != nil {
			return nil, fmt.Errorf("history of term %d: %w", termID, err)
		}
		t := added(termID)
		t.later = &laterChange{firstBefore: first, lastBefore: last,
			lastWhat: changeText(action, author, timestamp.Parse(when), file, importID, undoOf)}
		if t.rev.Action == ActionCreate {
			t.left = first // the term as the import added it
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if t := &out[i]; t.rev.Action == ActionCreate && t.later == nil {
			t.left = t.now // added by the import and not changed since
		}
	}
	return out, nil
}

// changeText says in words what a revision did: "edited by amal, 2026-05-02 14:03 UTC".
func changeText(action, author string, at time.Time, file string, importID, undoOf int64) string {
	verb := map[string]string{ActionCreate: "added", ActionUpdate: "edited", ActionDelete: "deleted"}[action]
	by := "by " + who(author)
	switch {
	case importID != 0:
		by = fmt.Sprintf("by import %d (%s)", importID, file)
	case undoOf != 0:
		by = fmt.Sprintf("by %s, undoing import %d (%s)", who(author), undoOf, file)
	}
	return verb + " " + by + ", " + dateText(at)
}

// sameTerm reports whether a and b (nil: no term) are the same term with the same fields.
func sameTerm(a, b *Term) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && len(termDiff(*a, *b)) == 0
}

// undoPlan is the writes that undo an import.
type undoPlan struct {
	remove   []int64 // terms the import added
	restore  []*Term // terms to update to their state before the import
	recreate []*Term // terms to put back under their ids
}

func (p *undoPlan) empty() bool {
	return len(p.remove) == 0 && len(p.restore) == 0 && len(p.recreate) == 0
}

// add plans the undo of what the import did to t and says so in rep.
func (p *undoPlan) add(t *touched, rep *UndoReport) {
	before := t.rev.Before
	switch {
	case t.rev.Action == ActionCreate:
		if t.now != nil {
			p.remove = append(p.remove, t.now.ID)
			rep.Deleted = append(rep.Deleted, Change{ID: t.now.ID, Arabic: t.now.Arabic, English: t.now.English})
		}
	case before == nil:
		// A revision without its state: nothing to go back to.
	case t.now == nil:
		p.recreate = append(p.recreate, before)
		rep.Recreated = append(rep.Recreated, Change{ID: before.ID, Arabic: before.Arabic, English: before.English})
	case !sameTerm(before, t.now):
		p.restore = append(p.restore, before)
		rep.Restored = append(rep.Restored, Change{ID: before.ID, Arabic: before.Arabic, English: before.English,
			OldEnglish: t.now.English, Fields: termDiff(*t.now, *before)})
	}
}

// checkSpellings refuses an undo that would give a spelling (an Arabic or a variant,
// normalized) to two terms: a term coming back whose spelling a term added or changed since
// the import has taken.
func (p *undoPlan) checkSpellings(ctx context.Context, tx *sql.Tx, imp ImportRecord) error {
	if len(p.restore) == 0 && len(p.recreate) == 0 {
		return nil
	}
	existing, err := loadExisting(ctx, tx)
	if err != nil {
		return fmt.Errorf("undo %s: %w", imp.Name(), err)
	}
	changing := make(map[int64]bool, len(p.remove)+len(p.restore))
	for _, id := range p.remove {
		changing[id] = true
	}
	for _, t := range p.restore {
		changing[t.ID] = true
	}
	owner := make(map[string]*Term, len(existing))
	for _, e := range existing {
		if changing[e.term.ID] {
			continue
		}
		owner[e.norm] = &e.term
		for _, v := range e.variants {
			owner[v] = &e.term
		}
	}
	var clashes []string
	for _, t := range append(append([]*Term{}, p.restore...), p.recreate...) {
		for _, sp := range termSpellings(t, arabic.Normalize(t.Arabic)) {
			if o, taken := owner[sp.norm]; taken && o.ID != t.ID {
				clashes = append(clashes, fmt.Sprintf("«%s» → %s would come back with %q, which «%s» → %s has now",
					t.Arabic, t.English, sp.text, o.Arabic, o.English))
				break
			}
			owner[sp.norm] = t
		}
	}
	if len(clashes) == 0 {
		return nil
	}
	more := ""
	if len(clashes) > maxNamedTerms {
		more = fmt.Sprintf(" and %d more", len(clashes)-maxNamedTerms)
		clashes = clashes[:maxNamedTerms]
	}
	return ErrConflict.Errorf("%s cannot be undone: %s%s; a spelling belongs to one term",
		imp.Name(), strings.Join(clashes, "; "), more)
}

// apply makes the undo's writes with their revisions: deletes, then updates, then the terms
// put back under their ids, which the search index is told about (it takes an id below the
// highest it holds for a term it has indexed already).
func (p *undoPlan) apply(ctx context.Context, tx *sql.Tx, ch change) error {
	if len(p.remove) > 0 {
		ids := idsJSON(p.remove)
		if _, err := ch.logRevisions(ctx, tx, ActionDelete, inIDs, ids); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM terms WHERE id IN (SELECT value FROM json_each(?))`, ids); err != nil {
			return fmt.Errorf("delete the added terms: %w", err)
		}
	}
	if len(p.restore) > 0 {
		ids := make([]int64, len(p.restore))
		for i, t := range p.restore {
			ids[i] = t.ID
		}
		rs, err := ch.logRevisions(ctx, tx, ActionUpdate, inIDs, idsJSON(ids))
		if err != nil {
			return err
		}
		for _, t := range p.restore {
			if err := updateTerm(ctx, tx, t, arabic.Normalize(t.Arabic)); err != nil {
				return fmt.Errorf("restore «%s»: %w", t.Arabic, err)
			}
		}
		if err := logAfter(ctx, tx, rs); err != nil {
			return err
		}
	}
	if len(p.recreate) == 0 {
		return nil
	}
	ids := make([]int64, len(p.recreate))
	for i, t := range p.recreate {
		ids[i] = t.ID
	}
	// insertTerms writes one updated_by and updated_at for all its terms: the terms come back
	// with their own, in groups that share them (an import's terms share them).
	type stamp struct{ by, at string }
	groups := make(map[stamp][]*Term)
	var order []stamp
	for _, t := range p.recreate {
		k := stamp{t.UpdatedBy, formatTime(t)}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], t)
	}
	for _, k := range order {
		g := groups[k]
		err := insertTerms(ctx, tx, len(g), k.by, k.at, func(i int) (*Term, string) { return g[i], arabic.Normalize(g[i].Arabic) })
		if err != nil {
			return err
		}
	}
	if _, err := ch.logRevisions(ctx, tx, ActionCreate, inIDs, idsJSON(ids)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO term_changes (term_id) SELECT value FROM json_each(?)`, idsJSON(ids)); err != nil {
		return fmt.Errorf("index the terms put back: %w", err)
	}
	return nil
}
