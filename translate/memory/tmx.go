package memory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/tmx"
)

// ImportOptions says how to import a TMX file.
type ImportOptions struct {
	Name   string // the file name, for messages
	DryRun bool   // report what would change; write nothing
	Origin string // origin recorded for pairs that do not carry one; default "tmx"
}

// MaxListed bounds the units an ImportReport lists of each kind; the totals count them all.
const MaxListed = 200

// UnitChange is a unit of an imported file and what the import does with it.
type UnitChange struct {
	Line   int    `json:"line"`
	TUID   string `json:"tuid,omitempty"`
	Source string `json:"source"`
	Target string `json:"target"`
	// Fields names what an update changes in the stored entry: tuid, creationid, changedate,
	// changeid, notes, props, origin.
	Fields []string `json:"fields,omitempty"`
	// Detail says why a unit is unchanged: the memory has it, or it repeats an earlier unit
	// of the file.
	Detail string `json:"detail,omitempty"`
}

// Listed is the units of a report of one kind: how many there are, and the first MaxListed.
type Listed[T any] struct {
	Total int `json:"total"`
	Items []T `json:"items"`
}

func (l *Listed[T]) add(item T) {
	l.Total++
	if len(l.Items) < MaxListed {
		l.Items = append(l.Items, item)
	}
}

// ImportReport is what an import did, or would do in a dry run, unit by unit.
type ImportReport struct {
	File      string   `json:"file"`
	DryRun    bool     `json:"dry_run"`
	Version   string   `json:"version"`   // the TMX version the file names
	Encoding  string   `json:"encoding"`  // how the file was decoded
	Languages []string `json:"languages"` // the languages of the file's variants
	Units     int      `json:"units"`     // translation units in the file
	Pairs     int      `json:"pairs"`     // units with an Arabic and an English text

	Added     Listed[UnitChange]  `json:"added"`     // new to the memory
	Updated   Listed[UnitChange]  `json:"updated"`   // in the memory, with other metadata in the file
	Unchanged Listed[UnitChange]  `json:"unchanged"` // in the memory as the file has it, or repeated in the file
	Refused   Listed[tmx.Refusal] `json:"refused"`   // units that give no pair, with the reason
	// Stripped counts the bidi embedding, override and isolate characters the text rule
	// removed from the pairs (arabic.CleanField): they reorder text without showing.
	Stripped int `json:"stripped,omitempty"`
}

// entryMeta is what the memory keeps of a unit beside its texts, as stored.
type entryMeta struct {
	origin, tuid, creationID, changedAt, changeID, notes, props string
}

// metaOf is a pair's metadata as the tm table stores it.
func metaOf(p tmx.Pair) (entryMeta, error) {
	m := entryMeta{origin: p.Origin, tuid: p.TUID, creationID: p.CreationID, changeID: p.ChangeID}
	if !p.Changed.IsZero() {
		m.changedAt = timestamp.Format(p.Changed)
	}
	var err error
	if m.notes, err = jsonList(p.Notes); err != nil {
		return m, err
	}
	m.props, err = jsonList(p.Props)
	return m, err
}

// jsonList is a list as a JSON array, or "" when it is empty.
func jsonList[T any](list []T) (string, error) {
	if len(list) == 0 {
		return "", nil
	}
	b, err := json.Marshal(list)
	return string(b), err
}

// merge is the stored metadata with what the file says put over it, and the names of the
// fields that change. A file never erases: what it leaves empty stays as stored.
func (stored entryMeta) merge(file entryMeta) (entryMeta, []string) {
	out := stored
	var fields []string
	for _, f := range []struct {
		name      string
		from, dst *string
	}{
		{"tuid", &file.tuid, &out.tuid},
		{"creationid", &file.creationID, &out.creationID},
		{"changedate", &file.changedAt, &out.changedAt},
		{"changeid", &file.changeID, &out.changeID},
		{"notes", &file.notes, &out.notes},
		{"props", &file.props, &out.props},
		{"origin", &file.origin, &out.origin},
	} {
		if *f.from != "" && *f.from != *f.dst {
			*f.dst = *f.from
			fields = append(fields, f.name)
		}
	}
	return out, fields
}

// noPairs is the error for a file without a single Arabic–English pair: it names the
// languages the file has and, when it has both, why its units were refused.
func noPairs(name string, f *tmx.File) error {
	if f.Units == 0 {
		return translate.ErrInvalid.Errorf("%s: no translation units (<tu>) in the file", name)
	}
	langs := "none"
	if len(f.Languages) > 0 {
		langs = strings.Join(f.Languages, ", ")
	}
	msg := fmt.Sprintf("%s: no Arabic–English pair in %s; the file's languages are: %s", name, translate.Plural(f.Units, "translation unit"), langs)
	if !slices.Contains(f.Languages, arabic.LangArabic) || !slices.Contains(f.Languages, arabic.LangEnglish) {
		return translate.ErrInvalid.Errorf("%s", msg)
	}
	for i, r := range f.Refused { // both languages are there: say why no unit has them both
		if i == 3 {
			msg += "; …"
			break
		}
		msg += "; " + r.String()
	}
	return translate.ErrInvalid.Errorf("%s", msg)
}

// ImportTMX brings the Arabic–English pairs of a TMX file (see tmx.Read) into the
// translation memory in one transaction: it lands whole or not at all. A pair is new (added),
// or the memory has it (the same normalized Arabic and the same English): then the file's
// tuid, ids, change date, notes, properties and origin, where it has them and they differ,
// update the entry, and otherwise it is unchanged. A pair the file repeats is unchanged. The
// units without a pair are listed as refused. A file that is not TMX or not well-formed, or
// that has no Arabic–English pair at all, is an ErrInvalid naming the file (and the line,
// or the languages found), and changes nothing.
//
// The words of every added entry are indexed for fuzzy lookups in the same transaction, in
// batches: importing is a few statements per pair, not one per word.
func (m *Memory) ImportTMX(ctx context.Context, r io.Reader, opt ImportOptions) (ImportReport, error) {
	if opt.Origin == "" {
		opt.Origin = "tmx"
	}
	rep := ImportReport{File: opt.Name, DryRun: opt.DryRun}
	// Empty lists are [] in JSON, not null: a script reads every kind the same way.
	rep.Added.Items, rep.Updated.Items, rep.Unchanged.Items = []UnitChange{}, []UnitChange{}, []UnitChange{}
	rep.Refused.Items = []tmx.Refusal{}
	db := m.w
	if opt.DryRun {
		db = m.r // a dry run only reads: it need not wait for the writer, nor hold it
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return rep, err
	}
	defer conn.Close()
	if !opt.DryRun {
		restore, err := bulkCache(ctx, conn)
		if err != nil {
			return rep, err
		}
		defer restore()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return rep, err
	}
	defer tx.Rollback()
	im, err := newImporter(ctx, tx, !opt.DryRun)
	if err != nil {
		return rep, err
	}
	defer im.close()

	// The file is read in a goroutine of its own, which also keys each pair's Arabic, while
	// this one writes: the Go work of an import overlaps SQLite's.
	ctx, stop := context.WithCancel(ctx)
	pairs := make(chan keyedPair, 256)
	var read *tmx.File
	var readErr error
	var ruled []tmx.Refusal // units the text rule refuses
	stripped := 0
	go func() {
		defer close(pairs)
		read, readErr = tmx.Scan(r, opt.Name, func(p tmx.Pair) error {
			p, removed, refusal := cleanPair(p)
			if refusal != nil {
				ruled = append(ruled, *refusal)
				return nil
			}
			stripped += removed
			select {
			case pairs <- keyPair(p):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	defer func() {
		stop()
		for range pairs { // wait for the reader, which must not outlive the import
		}
	}()

	now := timestamp.Format(m.now())
	seen := make(map[string]int) // normalized Arabic and English → line of the first
	for kp := range pairs {
		p := kp.Pair
		rep.Pairs++
		key := kp.norm + "\x00" + p.Target
		change := UnitChange{Line: p.Line, TUID: p.TUID, Source: p.Source, Target: p.Target}
		if first, dup := seen[key]; dup {
			change.Detail = fmt.Sprintf("repeats the unit on line %d", first)
			rep.Unchanged.add(change)
			continue
		}
		seen[key] = p.Line
		meta, err := metaOf(p)
		if err != nil {
			return rep, fmt.Errorf("%s:%d: %w", opt.Name, p.Line, err)
		}
		id, stored, found, err := im.lookup(ctx, kp.norm, p.Target)
		if err != nil {
			return rep, fmt.Errorf("%s:%d: translation memory: %w", opt.Name, p.Line, err)
		}
		if !found {
			if meta.origin == "" {
				meta.origin = opt.Origin
			}
			created := now
			if !p.Created.IsZero() {
				created = timestamp.Format(p.Created)
			}
			if err := im.insert(ctx, kp, created, meta); err != nil {
				return rep, fmt.Errorf("%s:%d: translation memory: %w", opt.Name, p.Line, err)
			}
			rep.Added.add(change)
			continue
		}
		merged, fields := stored.merge(meta)
		if len(fields) == 0 {
			change.Detail = "already in the memory"
			rep.Unchanged.add(change)
			continue
		}
		change.Fields = fields
		if err := im.update(ctx, id, merged); err != nil {
			return rep, fmt.Errorf("%s:%d: translation memory: %w", opt.Name, p.Line, err)
		}
		rep.Updated.add(change)
	}
	if readErr != nil {
		return rep, readErr
	}
	rep.Version, rep.Encoding, rep.Languages, rep.Units = read.Version, read.Encoding, read.Languages, read.Units
	if rep.Languages == nil {
		rep.Languages = []string{}
	}
	for _, ref := range read.Refused {
		rep.Refused.add(ref)
	}
	for _, ref := range ruled {
		rep.Refused.add(ref)
	}
	rep.Stripped = stripped
	if rep.Pairs == 0 {
		return rep, noPairs(opt.Name, read)
	}
	if opt.DryRun {
		return rep, nil // nothing was written; the deferred rollback ends the read
	}
	if err := im.flush(ctx); err != nil {
		return rep, fmt.Errorf("%s: translation memory index: %w", opt.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("%s: %w", opt.Name, err)
	}
	return rep, nil
}

// cleanPair applies the one text rule (arabic.CleanField) to a pair's Arabic and English: a
// control character refuses the unit, naming the side and the character; bidi controls are
// removed, and removed says how many.
func cleanPair(p tmx.Pair) (tmx.Pair, int, *tmx.Refusal) {
	removed := 0
	for _, f := range []struct {
		name string
		text *string
	}{{"Arabic", &p.Source}, {"English", &p.Target}} {
		clean, n, err := arabic.CleanField(f.name, *f.text, arabic.StripBidi)
		if err != nil {
			return p, 0, &tmx.Refusal{Line: p.Line, Element: "tu", TUID: p.TUID, Reason: err.Error()}
		}
		*f.text = clean
		removed += n
	}
	return p, removed, nil
}

// tokenBatch is how many (token, entry) rows one statement adds to the word index: 2 × 500
// parameters, well under SQLite's limit.
const tokenBatch = 500

// importer holds an import's prepared statements and the word index of the entries it
// added, written at the end in batches.
type importer struct {
	tx                     *sql.Tx
	write                  bool // false in a dry run: look up only
	empty                  bool // the memory had no entry when the import began: nothing to look up
	find, add, set, tokens *sql.Stmt
	index                  map[string]*[]int64 // token → the added entries that have it, in id order
}

func newImporter(ctx context.Context, tx *sql.Tx, write bool) (*importer, error) {
	im := &importer{tx: tx, write: write, index: make(map[string]*[]int64)}
	if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM tm)`).Scan(&im.empty); err != nil {
		return im, err
	}
	var err error
	im.find, err = tx.PrepareContext(ctx, `SELECT id, origin, tuid, creation_id, changed_at, change_id, notes, props
		FROM tm WHERE source_norm = ? AND target = ?`)
	if err != nil || !write {
		return im, err
	}
	if im.add, err = tx.PrepareContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at,
		tuid, creation_id, changed_at, change_id, notes, props, tokens, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`); err != nil {
		return im, err
	}
	if im.set, err = tx.PrepareContext(ctx, `UPDATE tm SET origin = ?, tuid = ?, creation_id = ?, changed_at = ?, change_id = ?,
		notes = ?, props = ? WHERE id = ?`); err != nil {
		return im, err
	}
	im.tokens, err = tx.PrepareContext(ctx, tokenInsert(tokenBatch))
	return im, err
}

func tokenInsert(rows int) string {
	return `INSERT OR IGNORE INTO tm_tokens (token, tm_id) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", rows), ", ")
}

func (im *importer) close() {
	for _, s := range []*sql.Stmt{im.find, im.add, im.set, im.tokens} {
		if s != nil {
			s.Close()
		}
	}
}

// lookup finds the entry with the normalized Arabic and the English.
func (im *importer) lookup(ctx context.Context, norm, target string) (id int64, meta entryMeta, found bool, err error) {
	if im.empty {
		return 0, meta, false, nil // an import into an empty memory only repeats its own pairs, which ImportTMX sees
	}
	err = im.find.QueryRowContext(ctx, norm, target).Scan(&id, &meta.origin, &meta.tuid, &meta.creationID,
		&meta.changedAt, &meta.changeID, &meta.notes, &meta.props)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, meta, false, nil
	}
	return id, meta, err == nil, err
}

// insert adds an entry, indexed: its distinct words go to the pending index rows.
func (im *importer) insert(ctx context.Context, kp keyedPair, created string, meta entryMeta) error {
	if !im.write {
		return nil
	}
	res, err := im.add.ExecContext(ctx, kp.norm, kp.Source, kp.Target, meta.origin, created,
		meta.tuid, meta.creationID, meta.changedAt, meta.changeID, meta.notes, meta.props, kp.tokens)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for _, t := range kp.words {
		if ids := im.index[t]; ids != nil {
			*ids = append(*ids, id)
		} else {
			im.index[t] = &[]int64{id}
		}
	}
	return nil
}

// keyedPair is a pair of a TMX file with its Arabic as the memory keys and indexes it.
type keyedPair struct {
	tmx.Pair
	norm   string   // arabic.Normalize of the source
	words  []string // its distinct words, for the index
	tokens int      // how many words it has in all
}

func keyPair(p tmx.Pair) keyedPair {
	kp := keyedPair{Pair: p, norm: arabic.Normalize(p.Source)}
	kp.words, kp.tokens = distinctTokens(kp.norm)
	return kp
}

// bulkCacheKiB is the page cache an import's connection has while it writes: the memory's
// tables and indexes being written stay in memory rather than spill to the WAL page by page
// in the middle of the transaction.
const bulkCacheKiB = 64 << 10

// bulkCache gives conn bulkCacheKiB of page cache until restore puts its own size back.
func bulkCache(ctx context.Context, conn *sql.Conn) (restore func(), err error) {
	var size int
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return nil, err
	}
	return func() { _, _ = conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d`, size)) }, nil
}

func (im *importer) update(ctx context.Context, id int64, m entryMeta) error {
	if !im.write {
		return nil
	}
	_, err := im.set.ExecContext(ctx, m.origin, m.tuid, m.creationID, m.changedAt, m.changeID, m.notes, m.props, id)
	return err
}

// flush writes the word index of the added entries in the index's own order (by token, then
// entry), so that SQLite adds to the pages of each word in turn rather than to a random page
// for every row.
func (im *importer) flush(ctx context.Context) error {
	tokens := make([]string, 0, len(im.index))
	for t := range im.index {
		tokens = append(tokens, t)
	}
	slices.Sort(tokens)
	args := make([]any, 0, 2*tokenBatch)
	write := func(stmt *sql.Stmt) error {
		_, err := stmt.ExecContext(ctx, args...)
		args = args[:0]
		return err
	}
	for _, t := range tokens {
		for _, id := range *im.index[t] {
			args = append(args, t, id)
			if len(args) == 2*tokenBatch {
				if err := write(im.tokens); err != nil {
					return err
				}
			}
		}
	}
	if len(args) > 0 {
		stmt, err := im.tx.PrepareContext(ctx, tokenInsert(len(args)/2))
		if err != nil {
			return err
		}
		defer stmt.Close()
		if err := write(stmt); err != nil {
			return err
		}
	}
	clear(im.index)
	return nil
}

// ExportTMX writes the whole translation memory as TMX 1.4, oldest entry first, streaming:
// each entry with the tuid, dates, ids, notes and properties an import brought in, and its
// origin as the x-tarjama-origin property, so that importing the file into a fresh database
// and exporting again gives the same units, and importing it into this one adds nothing.
func (m *Memory) ExportTMX(ctx context.Context, w io.Writer) error {
	t, err := tmx.NewWriter(w)
	if err != nil {
		return err
	}
	rows, err := m.r.QueryContext(ctx, `SELECT source, target, origin, created_at, tuid, creation_id, changed_at, change_id, notes, props
		FROM tm ORDER BY id`)
	if err != nil {
		return fmt.Errorf("translation memory: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p tmx.Pair
		var created, changed, notes, props string
		if err := rows.Scan(&p.Source, &p.Target, &p.Origin, &created, &p.TUID, &p.CreationID, &changed, &p.ChangeID, &notes, &props); err != nil {
			return err
		}
		p.Created, p.Changed = timestamp.Parse(created), timestamp.Parse(changed)
		if err := unmarshalList(notes, &p.Notes); err != nil {
			return fmt.Errorf("translation memory: notes of %q: %w", p.Source, err)
		}
		if err := unmarshalList(props, &p.Props); err != nil {
			return fmt.Errorf("translation memory: props of %q: %w", p.Source, err)
		}
		if err := t.Add(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return t.Close("the translation memory is empty")
}

func unmarshalList[T any](s string, dst *[]T) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}
