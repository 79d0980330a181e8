// Package store is the review store: articles and their segments, the revisions reviewers
// and machine runs write, the record of each run, concordance search and the per-backend
// quality figures. Approving a segment teaches the translation memory (translate/memory) in
// the same transaction.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/qa"
)

// Store keeps articles, segments, revisions and runs in SQLite.
type Store struct {
	w, r     *sql.DB                 // the single writer and the read pool
	now      func() time.Time        // the time each write records
	glossary translate.MatcherSource // rechecks a reviewer's text; nil: no terms to check
	checks   *checkerCache           // the quality checker (Checker)
}

// New returns a store that writes through w, reads through r (the database's writer and read
// pool) and stamps what it writes with now's time. Every English written is checked by the
// quality checks (translate/qa) with glossary's terms, as the pipeline checks machine output,
// so a fixed term loses its flag and a wrong one keeps it, and an approval with an open error
// is refused; the program passes its glossary store. Nil has no terms to check.
//
// The store holds the one quality checker of the program (Checker), built from the settings
// saved in the same database (SaveQASettings) and the length learned from its approved
// segments.
func New(w, r *sql.DB, now func() time.Time, glossary translate.MatcherSource) *Store {
	return &Store{w: w, r: r, now: now, glossary: glossary, checks: &checkerCache{}}
}

// stamp is the time now as the *_at columns store it.
func (s *Store) stamp() string { return timestamp.Format(s.now()) }

// reviewMatcher is the glossary matcher for checking a text, read before a write transaction
// opens.
func (s *Store) reviewMatcher(ctx context.Context) (*glossary.Matcher, error) {
	if s.glossary == nil {
		return nil, nil
	}
	m, err := s.glossary.Matcher(ctx)
	if err != nil {
		return nil, fmt.Errorf("glossary check: %w", err)
	}
	return m, nil
}

const articleColumns = `a.id, a.title, a.source_name, a.created_at,
	COUNT(s.id),
	COALESCE(SUM(s.status IN ('machine', 'tm', 'draft')), 0),
	COALESCE(SUM(s.status = 'edited'), 0),
	COALESCE(SUM(s.status = 'approved'), 0),
	COALESCE(SUM(s.status = 'failed'), 0),
	COALESCE(SUM(s.status = 'excluded'), 0),
	COALESCE(SUM(s.qa_errors), 0),
	COALESCE(SUM(s.qa_warnings), 0)`

func scanArticle(sc interface{ Scan(...any) error }) (translate.Article, error) {
	var a translate.Article
	var created string
	err := sc.Scan(&a.ID, &a.Title, &a.SourceName, &created,
		&a.Progress.Total, &a.Progress.Translated, &a.Progress.Edited, &a.Progress.Approved, &a.Progress.Failed, &a.Progress.Excluded,
		&a.QA.Errors, &a.QA.Warnings)
	a.CreatedAt = timestamp.Parse(created)
	return a, err
}

// Articles lists every article, newest first, with its progress and open findings.
func (s *Store) Articles(ctx context.Context) ([]translate.Article, error) {
	if _, err := s.checkerKey(ctx); err != nil { // the findings are counted once before the first list
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+articleColumns+`
		FROM articles a LEFT JOIN segments s ON s.article_id = a.id
		GROUP BY a.id ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	var out []translate.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Article returns one article with its progress and full source text.
func (s *Store) Article(ctx context.Context, id int64) (translate.Article, error) {
	a, err := s.articleHead(ctx, id)
	if err != nil {
		return translate.Article{}, err
	}
	if err := s.r.QueryRowContext(ctx, `SELECT source_text FROM articles WHERE id = ?`, id).Scan(&a.SourceText); err != nil {
		return translate.Article{}, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// ArticleProgress returns an article's segment counts (ErrNotFound when there is no such
// article) without reading its source text, which may be megabytes: live progress and every
// save ask for it.
func (s *Store) ArticleProgress(ctx context.Context, id int64) (translate.Progress, error) {
	a, err := s.articleHead(ctx, id)
	return a.Progress, err
}

// articleHead is an article without its source text.
func (s *Store) articleHead(ctx context.Context, id int64) (translate.Article, error) {
	return articleHead(ctx, s.r, id)
}

// articleHead reads an article without its source text through q, which may be a
// transaction that has just written it.
func articleHead(ctx context.Context, q sqlread.Queryer, id int64) (translate.Article, error) {
	row := q.QueryRowContext(ctx, `SELECT `+articleColumns+`
		FROM articles a LEFT JOIN segments s ON s.article_id = a.id
		WHERE a.id = ? GROUP BY a.id`, id)
	a, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return translate.Article{}, fmt.Errorf("article %d: %w", id, translate.ErrNotFound)
	}
	if err != nil {
		return translate.Article{}, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// HasArticleFrom reports whether an article imported from the file sourceName is stored: the
// seed loader asks before loading a file again.
func (s *Store) HasArticleFrom(ctx context.Context, sourceName string) (bool, error) {
	var found bool
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE source_name = ?)`, sourceName).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("articles from %s: %w", sourceName, err)
	}
	return found, nil
}

const segmentColumns = `id, article_id, idx, paragraph, source, sep, target, status, origin, backend, model, version, flags, machine_flags, updated_at`

type scanner interface{ Scan(...any) error }

func scanSegment(sc scanner) (translate.Segment, error) {
	var g translate.Segment
	var flags, machineFlags, updated string
	err := sc.Scan(&g.ID, &g.ArticleID, &g.Index, &g.Paragraph, &g.Source, &g.Sep, &g.Target, &g.Status,
		&g.Origin, &g.Backend, &g.Model, &g.Version, &flags, &machineFlags, &updated)
	g.Flags = splitFlags(flags)
	g.MachineFlags = splitFlags(machineFlags)
	g.UpdatedAt = timestamp.Parse(updated)
	return g, err
}

// Flags are stored one per line.
func splitFlags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

func joinFlags(f []string) string {
	clean := make([]string, 0, len(f))
	for _, x := range f {
		x = strings.TrimSpace(strings.ReplaceAll(x, "\n", " "))
		if x != "" {
			clean = append(clean, x)
		}
	}
	return strings.Join(clean, "\n")
}

// Segments returns an article's segments in order.
func (s *Store) Segments(ctx context.Context, articleID int64) ([]translate.Segment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+segmentColumns+` FROM segments WHERE article_id = ? ORDER BY idx`, articleID)
	if err != nil {
		return nil, fmt.Errorf("segments of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []translate.Segment
	for rows.Next() {
		g, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Segment returns one segment.
func (s *Store) Segment(ctx context.Context, id int64) (translate.Segment, error) {
	return getSegment(ctx, s.r, id)
}

func getSegment(ctx context.Context, q sqlread.Queryer, id int64) (translate.Segment, error) {
	g, err := scanSegment(q.QueryRowContext(ctx, `SELECT `+segmentColumns+` FROM segments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return translate.Segment{}, fmt.Errorf("segment %d: %w", id, translate.ErrNotFound)
	}
	if err != nil {
		return translate.Segment{}, fmt.Errorf("segment %d: %w", id, err)
	}
	return g, nil
}

// AnyVersion, given as the version to Approve, signs off the segment's current text whatever
// its version: for API clients that approve without having read the segment first.
const AnyVersion = -1

// SaveTarget stores a reviewer's English for a segment. version must be the version the
// reviewer started from; if the segment has moved on since, nothing is written and a
// *ConflictError carrying the current segment is returned.
func (s *Store) SaveTarget(ctx context.Context, id int64, target string, version int, author string) (translate.Segment, error) {
	target, _, err := translate.CleanTarget(target)
	if err != nil {
		return translate.Segment{}, err
	}
	target = strings.TrimSpace(target)
	if target == "" {
		return translate.Segment{}, translate.ErrInvalid.Errorf("target: required")
	}
	if version < 0 {
		return translate.Segment{}, &VersionError{version}
	}
	if len(target) > translate.MaxTargetBytes {
		return translate.Segment{}, translate.ErrInvalid.Errorf("target: over %d bytes", translate.MaxTargetBytes)
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, err
	}
	return s.change(ctx, q, id, version, func(cur translate.Segment) (change, error) {
		if cur.Status == translate.StatusExcluded {
			return change{}, excludedError(id)
		}
		if cur.Status == translate.StatusEdited && cur.Target == target {
			return change{}, nil // saving the same text twice is not a new revision
		}
		return change{target: target, status: translate.StatusEdited, origin: translate.OriginHuman, kind: "edit", recheck: true}, nil
	}, author)
}

// Approve signs off a segment's current target (or, when target is not empty, the given
// text, saved and approved in one step) under the same version rule as SaveTarget. With
// AnyVersion it approves the current text as it is; new text always needs a real version.
// While the text has an error-level finding no reviewer has ignored (Ignore), nothing is
// written and a *QAError lists the open errors.
func (s *Store) Approve(ctx context.Context, id int64, target string, version int, author string) (translate.Segment, error) {
	target, _, err := translate.CleanTarget(target)
	if err != nil {
		return translate.Segment{}, err
	}
	target = strings.TrimSpace(target)
	switch {
	case version == AnyVersion && target != "":
		return translate.Segment{}, translate.ErrInvalid.Errorf("version: required when approving new text")
	case version < 0 && version != AnyVersion:
		return translate.Segment{}, &VersionError{version}
	}
	if len(target) > translate.MaxTargetBytes {
		return translate.Segment{}, translate.ErrInvalid.Errorf("target: over %d bytes", translate.MaxTargetBytes)
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, err
	}
	return s.change(ctx, q, id, version, func(cur translate.Segment) (change, error) {
		if cur.Status == translate.StatusExcluded {
			return change{}, excludedError(id)
		}
		t := cur.Target
		if target != "" {
			t = target
		}
		if strings.TrimSpace(t) == "" {
			return change{}, translate.ErrInvalid.Errorf("target: nothing to approve; segment %d has no English yet", id)
		}
		if cur.Status == translate.StatusApproved && cur.Target == t {
			return change{}, nil
		}
		origin := cur.Origin
		if t != cur.Target {
			origin = translate.OriginHuman
		}
		return change{target: t, status: translate.StatusApproved, origin: origin, kind: "approve", recheck: true}, nil
	}, author)
}

// KeepTheirs settles a conflict in favour of the text someone else saved first: the segment
// stays as they left it (same text, status and version) and a "theirs" revision records the
// reviewer's discarded text beside it, so the choice and the words given up stay in the
// history. version is the one the conflict showed; if the segment has moved on again, a
// *ConflictError with the newer state comes back.
func (s *Store) KeepTheirs(ctx context.Context, id int64, mine string, version int, author string) (translate.Segment, error) {
	mine, _, err := translate.CleanTarget(mine)
	if err != nil {
		return translate.Segment{}, err
	}
	mine = strings.TrimSpace(mine)
	if len(mine) > translate.MaxTargetBytes {
		return translate.Segment{}, translate.ErrInvalid.Errorf("target: over %d bytes", translate.MaxTargetBytes)
	}
	if version < 0 {
		return translate.Segment{}, &VersionError{version}
	}
	tx, cur, err := s.beginChange(ctx, id, version)
	if err != nil {
		return translate.Segment{}, err
	}
	defer tx.Rollback()
	if mine == cur.Target {
		return cur, nil // nothing was given up
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (segment_id, kind, author, before, after, backend, model, created_at)
		VALUES (?, 'theirs', ?, ?, ?, ?, ?, ?)`, id, author, mine, cur.Target, cur.Backend, cur.Model, s.stamp()); err != nil {
		return translate.Segment{}, fmt.Errorf("segment %d: revision: %w", id, err)
	}
	return cur, tx.Commit()
}

// VersionError refuses a write based on a negative version: versions count up from 0, so
// it was not read from the segment. The web server says where to read it.
type VersionError struct{ Version int }

func (e *VersionError) Error() string {
	return fmt.Sprintf("version: %d is not a segment version", e.Version)
}

// Kind is translate.ErrInvalid's.
func (e *VersionError) Kind() string { return translate.ErrInvalid.Kind() }

// Is makes every VersionError match translate.ErrInvalid.
func (e *VersionError) Is(target error) bool { return translate.ErrInvalid.Is(target) }

// excludedError refuses to edit or approve an excluded segment: that would quietly bring
// boilerplate back into the article, which only an explicit Include may do.
func excludedError(id int64) error {
	return translate.ErrConflict.Errorf("segment %d is excluded; include it again before editing or approving it", id)
}

// SetExcluded marks a segment as boilerplate (excluded) or brings it back into review.
func (s *Store) SetExcluded(ctx context.Context, id int64, excluded bool, version int, author string) (translate.Segment, error) {
	if version < 0 {
		return translate.Segment{}, &VersionError{version}
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, err
	}
	return s.change(ctx, q, id, version, func(cur translate.Segment) (change, error) {
		st := translate.StatusUntranslated
		switch {
		case excluded:
			st = translate.StatusExcluded
		case cur.Status != translate.StatusExcluded:
			return change{}, nil
		case cur.Target != "" && (cur.Origin == translate.OriginHuman || cur.Origin == translate.OriginXLIFF):
			st = translate.StatusEdited
		case cur.Target != "" && cur.Origin == translate.OriginDraft:
			st = translate.StatusDraft
		case cur.Target != "" && cur.Origin == translate.OriginTM:
			st = translate.StatusTM
		case cur.Target != "":
			st = translate.StatusMachine
		}
		if st == cur.Status {
			return change{}, nil
		}
		return change{target: cur.Target, status: st, origin: cur.Origin, kind: "status"}, nil
	}, author)
}

type change struct {
	target, origin, kind string
	status               translate.Status
	// recheck replaces the current flags with the glossary findings of the new text (a
	// reviewer's text was checked again); otherwise they stay. The machine's flags always stay.
	recheck bool
}

// change runs a versioned update of one segment: it reads the current row inside the write
// transaction, checks the version, applies decide's change and records a revision. The new
// text is checked with q: an approval with an open error-level finding is refused with a
// *QAError, and the segment's open findings are counted.
func (s *Store) change(ctx context.Context, q qaState, id int64, version int, decide func(translate.Segment) (change, error), author string) (translate.Segment, error) {
	tx, cur, err := s.beginChange(ctx, id, version)
	if err != nil {
		return translate.Segment{}, err
	}
	defer tx.Rollback()
	c, err := decide(cur)
	if err != nil {
		return translate.Segment{}, err
	}
	if c.kind == "" {
		return cur, nil
	}
	fs := q.check(cur.Source, c.target)
	if c.status == translate.StatusApproved {
		ignored, err := segmentIgnores(ctx, tx, id)
		if err != nil {
			return translate.Segment{}, err
		}
		var open []qa.Finding
		for _, f := range fs {
			if f.Severity == qa.Error && !ignored[f.Key()] {
				open = append(open, f)
			}
		}
		if len(open) > 0 {
			return translate.Segment{}, &QAError{Index: cur.Index, Findings: open}
		}
	}
	if err := applyChange(ctx, tx, cur, c, fs, author, s.stamp()); err != nil {
		return translate.Segment{}, err
	}
	out, err := getSegment(ctx, tx, id)
	if err != nil {
		return translate.Segment{}, err
	}
	return out, tx.Commit()
}

// applyChange writes a decided change of segment cur inside tx: the new target, status and
// origin with the version counted up, the open findings counted from fs (the quality checks'
// findings on the new target, qaState.check), the length learned from an approval, the
// revision by author, and, for an approval, the pair taught to the translation memory. The
// caller commits.
func applyChange(ctx context.Context, tx *sql.Tx, cur translate.Segment, c change, fs []qa.Finding, author, now string) error {
	flags := joinFlags(cur.Flags)
	if c.recheck {
		flags = joinFlags(GlossaryFlags(fs))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE segments SET target = ?, status = ?, origin = ?, flags = ?, version = version + 1, updated_at = ?
		WHERE id = ?`, c.target, c.status, c.origin, flags, now, cur.ID); err != nil {
		return fmt.Errorf("segment %d: %w", cur.ID, err)
	}
	if err := writeChecked(ctx, tx, cur.ID, c.status, fs); err != nil {
		return fmt.Errorf("segment %d: quality checks: %w", cur.ID, err)
	}
	if err := learnLength(ctx, tx, cur, c.status, c.target); err != nil {
		return fmt.Errorf("segment %d: length: %w", cur.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (segment_id, kind, author, before, after, backend, model, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, cur.ID, c.kind, author, cur.Target, c.target, cur.Backend, cur.Model, now); err != nil {
		return fmt.Errorf("segment %d: revision: %w", cur.ID, err)
	}
	if c.status == translate.StatusApproved {
		if err := memory.Remember(ctx, tx, cur.Source, c.target, "approved", now); err != nil {
			return err
		}
	}
	return nil
}

// beginChange opens the write transaction of a versioned change and reads the segment inside
// it; a version other than the current one (or AnyVersion) is a *ConflictError carrying the
// current state. On success the caller owns tx and must roll it back or commit it.
func (s *Store) beginChange(ctx context.Context, id int64, version int) (*sql.Tx, translate.Segment, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, translate.Segment{}, err
	}
	cur, err := getSegment(ctx, tx, id)
	if err == nil && version != cur.Version && version != AnyVersion {
		err = &translate.ConflictError{Current: cur}
	}
	if err != nil {
		tx.Rollback()
		return nil, translate.Segment{}, err
	}
	return tx, cur, nil
}

// MachineOutput is one result of a machine run to be stored on a segment.
type MachineOutput struct {
	SegmentID int64
	Target    string
	Status    translate.Status // machine, tm, draft or failed
	Origin    string
	Backend   string
	Model     string
	Flags     []string
	Author    string // who started the run, recorded on the revision
}

// machineFindings is how a segment's machine_findings column keeps the findings of its last
// machine output: a JSON array, "" for none.
func machineFindings(fs []qa.Finding) (string, error) {
	if len(fs) == 0 {
		return "", nil
	}
	b, err := json.Marshal(fs)
	return string(b), err
}

// ApplyMachine stores a batch of machine results in one transaction. Segments a reviewer has
// edited, approved or excluded are left alone; a failed result keeps the segment's old target.
// Each new text is checked: its findings are kept as the machine's (for the quality figures)
// and counted as the segment's open findings. It returns how many segments changed.
func (s *Store) ApplyMachine(ctx context.Context, outs []MachineOutput) (int, error) {
	q, err := s.qaState(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := s.stamp()
	applied := 0
	for _, o := range outs {
		cur, err := getSegment(ctx, tx, o.SegmentID)
		if err != nil {
			return 0, err
		}
		if cur.Status.Reviewed() {
			continue
		}
		target := o.Target
		if o.Status == translate.StatusFailed {
			target = cur.Target
		}
		if target == cur.Target && o.Status == cur.Status && joinFlags(o.Flags) == joinFlags(cur.Flags) &&
			o.Backend == cur.Backend && o.Model == cur.Model {
			continue
		}
		// A failed result keeps the old text, and with it the old machine flags and findings.
		fs := q.check(cur.Source, target)
		machineFlags := joinFlags(o.Flags)
		found, err := machineFindings(fs)
		if err != nil {
			return 0, err
		}
		if o.Status == translate.StatusFailed {
			machineFlags = joinFlags(cur.MachineFlags)
			found = ""
			if err := tx.QueryRowContext(ctx, `SELECT machine_findings FROM segments WHERE id = ?`, o.SegmentID).Scan(&found); err != nil {
				return 0, fmt.Errorf("segment %d: %w", o.SegmentID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET target = ?, status = ?, origin = ?, backend = ?, model = ?, flags = ?,
			machine_flags = ?, machine_findings = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			target, o.Status, o.Origin, o.Backend, o.Model, joinFlags(o.Flags), machineFlags, found, now, o.SegmentID); err != nil {
			return 0, fmt.Errorf("segment %d: %w", o.SegmentID, err)
		}
		if err := writeChecked(ctx, tx, o.SegmentID, o.Status, fs); err != nil {
			return 0, fmt.Errorf("segment %d: quality checks: %w", o.SegmentID, err)
		}
		if target != cur.Target {
			kind := "machine"
			if o.Status == translate.StatusTM {
				kind = "tm"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (segment_id, kind, author, before, after, backend, model, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, o.SegmentID, kind, o.Author, cur.Target, target, o.Backend, o.Model, now); err != nil {
				return 0, fmt.Errorf("segment %d: revision: %w", o.SegmentID, err)
			}
		}
		applied++
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return applied, nil
}

// Revisions returns a segment's history in the order it was written. That is id order: the
// one writer hands out ids in commit order, so revisions stamped with the same time (or by a
// clock set back) keep their order, and the revisions_segment index serves it without a sort.
func (s *Store) Revisions(ctx context.Context, segmentID int64) ([]translate.Revision, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, segment_id, kind, author, before, after, backend, model, created_at, note
		FROM revisions WHERE segment_id = ? ORDER BY id`, segmentID)
	if err != nil {
		return nil, fmt.Errorf("revisions of segment %d: %w", segmentID, err)
	}
	defer rows.Close()
	var out []translate.Revision
	for rows.Next() {
		var r translate.Revision
		var created string
		if err := rows.Scan(&r.ID, &r.SegmentID, &r.Kind, &r.Author, &r.Before, &r.After, &r.Backend, &r.Model, &created, &r.Note); err != nil {
			return nil, err
		}
		r.CreatedAt = timestamp.Parse(created)
		out = append(out, r)
	}
	return out, rows.Err()
}
