package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
)

// qaSetting is the settings row that holds the quality checks' configuration as JSON; its
// saves are marked with the part qaPart, so the machine-translation settings keep their own
// "saved by".
const (
	qaSetting = "qa"
	qaPart    = "qa"
)

// Finding is a finding of the quality checks on a segment, and whether a reviewer has ignored
// it (an ignored finding no longer blocks approval and is not counted as open).
type Finding struct {
	qa.Finding
	Ignored bool `json:"ignored,omitempty"`
}

// Open returns the findings no reviewer has ignored.
func Open(fs []Finding) []qa.Finding {
	var out []qa.Finding
	for _, f := range fs {
		if !f.Ignored {
			out = append(out, f.Finding)
		}
	}
	return out
}

// countOpen counts the open findings by severity.
func countOpen(fs []Finding) translate.Issues {
	var n translate.Issues
	for _, f := range fs {
		switch {
		case f.Ignored:
		case f.Severity == qa.Error:
			n.Errors++
		default:
			n.Warnings++
		}
	}
	return n
}

// QAError refuses to approve a segment while an error-level finding is open: the reviewer
// fixes the English or ignores the finding explicitly first.
type QAError struct {
	Index    int          // the segment's place in its article, from 0
	Findings []qa.Finding // the open errors
}

func (e *QAError) Error() string {
	msgs := make([]string, len(e.Findings))
	for i, f := range e.Findings {
		msgs[i] = f.Check + ": " + f.Message
	}
	return fmt.Sprintf("segment #%d is not approved: %s open (%s)", e.Index+1,
		translate.Plural(len(e.Findings), "quality check error"), strings.Join(msgs, "; "))
}

// Kind is translate.ErrConflict's: the segment's text is in no state to be approved.
func (e *QAError) Kind() string { return translate.ErrConflict.Kind() }

// Is makes every QAError match translate.ErrConflict.
func (e *QAError) Is(target error) bool { return translate.ErrConflict.Is(target) }

// QASettings are the quality checks' saved configuration, who saved it and when, and what the
// length check has learned from the approved segments.
type QASettings struct {
	Config  qa.Config
	SavedBy string // empty when nothing was ever saved (the defaults apply)
	SavedAt time.Time
	Learned qa.LengthStats
}

// Ratio is the length ratio in force: the fixed one, else the learned one once there are
// enough approved pairs, else the default; learned says which of the last two it is.
func (st QASettings) Ratio() (ratio float64, learned bool) {
	if st.Config.LengthRatio > 0 {
		return st.Config.LengthRatio, false
	}
	if r, ok := st.Learned.Ratio(); ok {
		return r, true
	}
	return qa.DefaultLengthRatio, false
}

// checkerCache is the one checker a store hands out, rebuilt when the saved settings or the
// learned length change: every request reads both (one small query) and compares.
type checkerCache struct {
	mu  sync.Mutex
	key checkerKey
	c   *qa.Checker
}

type checkerKey struct {
	config string
	length qa.LengthStats
}

// Checker returns the quality checker every part of the program uses: the saved settings
// (the defaults when none are saved) with the length ratio learned from the approved segments.
// It is shared and rebuilt only when either changes.
func (s *Store) Checker(ctx context.Context) (*qa.Checker, error) {
	k, err := s.checkerKey(ctx)
	if err != nil {
		return nil, err
	}
	s.checks.mu.Lock()
	defer s.checks.mu.Unlock()
	if s.checks.c != nil && s.checks.key == k {
		return s.checks.c, nil
	}
	cfg, err := parseQAConfig(k.config)
	if err != nil {
		return nil, err
	}
	c, err := newChecker(cfg, k.length)
	if err != nil {
		return nil, err
	}
	s.checks.key, s.checks.c = k, c
	return c, nil
}

// checkerKey reads what the checker is built from. The first time, before any length is
// learned, it counts the approved segments and every segment's findings (see countAll).
func (s *Store) checkerKey(ctx context.Context) (checkerKey, error) {
	k, found, err := readCheckerKey(ctx, s.r)
	if err == nil && !found {
		if err = s.countAll(ctx, nil); err == nil {
			k, _, err = readCheckerKey(ctx, s.r)
		}
	}
	if err != nil {
		return checkerKey{}, fmt.Errorf("quality checks: %w", err)
	}
	return k, nil
}

func readCheckerKey(ctx context.Context, q sqlread.Queryer) (checkerKey, bool, error) {
	var k checkerKey
	var pairs sql.NullInt64
	var arabic, english int
	err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM settings WHERE name = ?), ''),
		(SELECT pairs FROM qa_length WHERE id = 1), COALESCE((SELECT arabic FROM qa_length WHERE id = 1), 0),
		COALESCE((SELECT english FROM qa_length WHERE id = 1), 0)`, qaSetting).Scan(&k.config, &pairs, &arabic, &english)
	k.length = qa.LengthStats{Pairs: int(pairs.Int64), Arabic: arabic, English: english}
	return k, pairs.Valid, err
}

func parseQAConfig(stored string) (qa.Config, error) {
	var cfg qa.Config
	if stored == "" {
		return cfg, nil
	}
	if err := json.Unmarshal([]byte(stored), &cfg); err != nil {
		return qa.Config{}, fmt.Errorf("setting %s: %w", qaSetting, err)
	}
	return cfg, nil
}

func newChecker(cfg qa.Config, learned qa.LengthStats) (*qa.Checker, error) {
	if r, ok := learned.Ratio(); ok {
		cfg = cfg.WithLearnedRatio(r)
	}
	return qa.New(cfg)
}

// QASettings returns the quality checks' saved settings (the defaults, listed in full, when
// none are saved) and the length learned so far.
func (s *Store) QASettings(ctx context.Context) (QASettings, error) {
	k, err := s.checkerKey(ctx)
	if err != nil {
		return QASettings{}, err
	}
	st := QASettings{Config: qa.DefaultConfig(), Learned: k.length}
	if k.config == "" {
		return st, nil
	}
	if st.Config, err = parseQAConfig(k.config); err != nil {
		return QASettings{}, fmt.Errorf("quality checks: %w", err)
	}
	var at string
	err = s.r.QueryRowContext(ctx, `SELECT v.saved_by, v.saved_at FROM settings t JOIN settings_saves v ON v.id = t.save_id
		WHERE t.name = ?`, qaSetting).Scan(&st.SavedBy, &at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return QASettings{}, fmt.Errorf("quality checks: %w", err)
	}
	st.SavedAt = timestamp.Parse(at)
	return st, nil
}

// SaveQASettings stores the quality checks' configuration (an invalid one is a *qa.ConfigError
// naming the field), records who saved it and when, and counts every segment's open findings
// again under it, all in one transaction.
func (s *Store) SaveQASettings(ctx context.Context, cfg qa.Config, by string) (QASettings, error) {
	if err := cfg.Validate(); err != nil {
		return QASettings{}, err
	}
	value, err := json.Marshal(cfg)
	if err != nil {
		return QASettings{}, err
	}
	if _, err := s.checkerKey(ctx); err != nil { // the length is learned before the first save counts
		return QASettings{}, err
	}
	err = s.countAll(ctx, func(ctx context.Context, tx *sql.Tx) (qa.Config, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO settings_saves (saved_by, saved_at, part) VALUES (?, ?, ?)`, by, s.stamp(), qaPart)
		if err != nil {
			return qa.Config{}, err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return qa.Config{}, err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (name, value, save_id) VALUES (?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value, save_id = excluded.save_id`, qaSetting, string(value), id)
		return cfg, err
	})
	if err != nil {
		return QASettings{}, fmt.Errorf("save quality check settings: %w", err)
	}
	return s.QASettings(ctx)
}

// countAll counts, in one write transaction, what the checks keep per segment: the open
// findings of every segment's English under the configuration in force, and, the first time
// (no qa_length row yet), the length of the approved pairs. save, when not nil, first writes
// a new configuration inside the same transaction and returns it.
func (s *Store) countAll(ctx context.Context, save func(context.Context, *sql.Tx) (qa.Config, error)) error {
	m, err := s.reviewMatcher(ctx)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	k, found, err := readCheckerKey(ctx, tx)
	if err != nil {
		return err
	}
	cfg, err := parseQAConfig(k.config)
	if err != nil {
		return err
	}
	if save != nil {
		if cfg, err = save(ctx, tx); err != nil {
			return err
		}
	}
	type row struct {
		id             int64
		source, target string
		status         translate.Status
	}
	var segs []row
	rows, err := tx.QueryContext(ctx, `SELECT id, source, target, status FROM segments WHERE target <> '' ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.source, &r.target, &r.status); err != nil {
			rows.Close()
			return err
		}
		segs = append(segs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !found {
		k.length = qa.LengthStats{}
		for _, r := range segs {
			if r.status == translate.StatusApproved {
				k.length.Add(r.source, r.target)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO qa_length (id, pairs, arabic, english) VALUES (1, ?, ?, ?)`,
			k.length.Pairs, k.length.Arabic, k.length.English); err != nil {
			return err
		}
	}
	c, err := newChecker(cfg, k.length)
	if err != nil {
		return err
	}
	ignores, err := allIgnores(ctx, tx)
	if err != nil {
		return err
	}
	q := qaState{c: c, m: m}
	if _, err := tx.ExecContext(ctx, `UPDATE segments SET qa_errors = 0, qa_warnings = 0 WHERE qa_errors <> 0 OR qa_warnings <> 0`); err != nil {
		return err
	}
	for _, r := range segs {
		if r.status == translate.StatusExcluded {
			continue
		}
		n := countOpen(markIgnored(q.check(r.source, r.target), ignores[r.id]))
		if n.Total() == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET qa_errors = ?, qa_warnings = ? WHERE id = ?`, n.Errors, n.Warnings, r.id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// allIgnores reads every ignored finding's key, by segment.
func allIgnores(ctx context.Context, q sqlread.Queryer) (map[int64]map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT segment_id, key FROM qa_ignores`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]bool{}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]bool{}
		}
		out[id][key] = true
	}
	return out, rows.Err()
}

// segmentIgnores reads the keys ignored on one segment.
func segmentIgnores(ctx context.Context, q sqlread.Queryer, id int64) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT key FROM qa_ignores WHERE segment_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("segment %d: ignored findings: %w", id, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		out[key] = true
	}
	return out, rows.Err()
}

// markIgnored pairs findings with whether they are ignored.
func markIgnored(fs []qa.Finding, ignored map[string]bool) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		out[i] = Finding{Finding: f, Ignored: ignored[f.Key()]}
	}
	return out
}

// qaState is what a write or a check needs to run the checks: the checker and the glossary
// matcher, both read before a write transaction opens.
type qaState struct {
	c *qa.Checker
	m *glossary.Matcher // nil: no glossary
}

func (s *Store) qaState(ctx context.Context) (qaState, error) {
	c, err := s.Checker(ctx)
	if err != nil {
		return qaState{}, err
	}
	m, err := s.reviewMatcher(ctx)
	if err != nil {
		return qaState{}, err
	}
	return qaState{c: c, m: m}, nil
}

// check runs the checks on a pair with the glossary terms found in the source.
func (q qaState) check(source, target string) []qa.Finding {
	if strings.TrimSpace(target) == "" {
		return nil
	}
	return q.c.Check(source, target, qa.Terms(q.m, source))
}

// GlossaryFlags are a segment's review flags from its findings: the glossary check's
// messages. A reviewer's save sets them so, and the pipeline flags machine output the same way.
func GlossaryFlags(fs []qa.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Check == qa.Glossary {
			out = append(out, f.Message)
		}
	}
	return out
}

// writeChecked keeps a segment's stored check results up to date after its English or status
// changed inside tx: ignores of findings the text no longer has are dropped (an edit that
// changes a finding brings it back), and the open findings are counted. An excluded segment
// counts none and keeps its ignores for when it is included again.
func writeChecked(ctx context.Context, tx *sql.Tx, id int64, status translate.Status, fs []qa.Finding) error {
	if status == translate.StatusExcluded {
		_, err := tx.ExecContext(ctx, `UPDATE segments SET qa_errors = 0, qa_warnings = 0 WHERE id = ?`, id)
		return err
	}
	ignored, err := segmentIgnores(ctx, tx, id)
	if err != nil {
		return err
	}
	keep := make(map[string]bool, len(fs))
	for _, f := range fs {
		keep[f.Key()] = true
	}
	for key := range ignored {
		if !keep[key] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM qa_ignores WHERE segment_id = ? AND key = ?`, id, key); err != nil {
				return err
			}
		}
	}
	n := countOpen(markIgnored(fs, ignored))
	_, err = tx.ExecContext(ctx, `UPDATE segments SET qa_errors = ?, qa_warnings = ? WHERE id = ?`, n.Errors, n.Warnings, id)
	return err
}

// learnLength keeps the length check's running sums when a segment's approved text changes:
// its old approved pair (if it had one) goes out, its new one (if it is approved now) comes in.
func learnLength(ctx context.Context, tx *sql.Tx, cur translate.Segment, status translate.Status, target string) error {
	was, is := cur.Status == translate.StatusApproved, status == translate.StatusApproved
	if was == is && (!is || cur.Target == target) {
		return nil
	}
	var out, in qa.LengthStats
	if was {
		out.Add(cur.Source, cur.Target)
	}
	if is {
		in.Add(cur.Source, target)
	}
	if in == out {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE qa_length SET pairs = pairs + ?, arabic = arabic + ?, english = english + ? WHERE id = 1`,
		in.Pairs-out.Pairs, in.Arabic-out.Arabic, in.English-out.English)
	return err
}

// Check runs the quality checks on a pair with the database's glossary: POST /api/check and
// `tarjama check --pairs`.
func (s *Store) Check(ctx context.Context, source, target string) ([]qa.Finding, error) {
	q, err := s.qaState(ctx)
	if err != nil {
		return nil, err
	}
	return q.check(source, target), nil
}

// CheckSegment runs the checks on a segment's source with target as its English (the text in
// the editor, not saved yet), marking the findings a reviewer has ignored on it. A nil target
// checks the stored English.
func (s *Store) CheckSegment(ctx context.Context, id int64, target *string) (translate.Segment, []Finding, error) {
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	seg, err := s.Segment(ctx, id)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	t := seg.Target
	if target != nil {
		t = *target
	}
	if seg.Status == translate.StatusExcluded {
		return seg, []Finding{}, nil
	}
	ignored, err := segmentIgnores(ctx, s.r, id)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	return seg, markIgnored(q.check(seg.Source, t), ignored), nil
}

// Findings runs the checks on the stored English of segs (an article's segments), marking the
// ignored findings: the article page, the API, the exports and `tarjama check` show them.
// Excluded and untranslated segments have none; every segment has an entry.
func (s *Store) Findings(ctx context.Context, segs []translate.Segment) (map[int64][]Finding, error) {
	out := make(map[int64][]Finding, len(segs))
	if len(segs) == 0 {
		return out, nil
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return nil, err
	}
	ignores := map[int64]map[string]bool{}
	articles := map[int64]bool{}
	for _, g := range segs {
		if articles[g.ArticleID] {
			continue
		}
		articles[g.ArticleID] = true
		rows, err := s.r.QueryContext(ctx, `SELECT i.segment_id, i.key FROM qa_ignores i JOIN segments s ON s.id = i.segment_id
			WHERE s.article_id = ?`, g.ArticleID)
		if err != nil {
			return nil, fmt.Errorf("ignored findings of article %d: %w", g.ArticleID, err)
		}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return nil, err
			}
			if ignores[id] == nil {
				ignores[id] = map[string]bool{}
			}
			ignores[id][key] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, g := range segs {
		out[g.ID] = []Finding{}
		if g.Status != translate.StatusExcluded {
			out[g.ID] = markIgnored(q.check(g.Source, g.Target), ignores[g.ID])
		}
	}
	return out, nil
}

// OpenFindings are the findings of Findings no reviewer has ignored, by segment id: what the
// exports carry and what `tarjama check` fails on.
func (s *Store) OpenFindings(ctx context.Context, segs []translate.Segment) (map[int64][]qa.Finding, error) {
	found, err := s.Findings(ctx, segs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]qa.Finding, len(found))
	for id, fs := range found {
		out[id] = Open(fs)
	}
	return out, nil
}

// Ignore records a reviewer's explicit ignore of a finding on a segment, so that it no longer
// blocks approval: the finding (check and message) must be one the checks give for target,
// the English in the editor, or for the stored English when target is empty. The ignore is
// kept by the finding's key and recorded in the history as an "ignore" revision with who and
// when. It returns the segment and its findings on the text checked.
func (s *Store) Ignore(ctx context.Context, id int64, target, check, message, author string) (translate.Segment, []Finding, error) {
	if len(target) > translate.MaxTargetBytes {
		return translate.Segment{}, nil, translate.ErrInvalid.Errorf("target: over %d bytes", translate.MaxTargetBytes)
	}
	q, err := s.qaState(ctx)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	defer tx.Rollback()
	cur, err := getSegment(ctx, tx, id)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	if cur.Status == translate.StatusExcluded {
		return translate.Segment{}, nil, translate.ErrConflict.Errorf("segment #%d is excluded; include it again before checking it", cur.Index+1)
	}
	text := strings.TrimSpace(target)
	if text == "" {
		text = cur.Target
	}
	fs := q.check(cur.Source, text)
	var found *qa.Finding
	for i := range fs {
		if fs[i].Check == check && fs[i].Message == message {
			found = &fs[i]
			break
		}
	}
	if found == nil {
		return translate.Segment{}, nil, translate.ErrConflict.Errorf("segment #%d has no finding %s: %q on its English now; check it again", cur.Index+1, check, message)
	}
	ignored, err := segmentIgnores(ctx, tx, id)
	if err != nil {
		return translate.Segment{}, nil, err
	}
	if !ignored[found.Key()] {
		now := s.stamp()
		if _, err := tx.ExecContext(ctx, `INSERT INTO qa_ignores (segment_id, key, author, created_at) VALUES (?, ?, ?, ?)`,
			id, found.Key(), author, now); err != nil {
			return translate.Segment{}, nil, fmt.Errorf("segment %d: ignore: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (segment_id, kind, author, before, after, backend, model, created_at, note)
			VALUES (?, 'ignore', ?, ?, ?, ?, ?, ?, ?)`, id, author, cur.Target, cur.Target, cur.Backend, cur.Model, now,
			string(found.Severity)+" "+found.Check+": "+found.Message); err != nil {
			return translate.Segment{}, nil, fmt.Errorf("segment %d: revision: %w", id, err)
		}
		ignored[found.Key()] = true
		// The stored English's counts: the ignored finding may be one of its own.
		n := countOpen(markIgnored(q.check(cur.Source, cur.Target), ignored))
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET qa_errors = ?, qa_warnings = ? WHERE id = ?`, n.Errors, n.Warnings, id); err != nil {
			return translate.Segment{}, nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return translate.Segment{}, nil, err
	}
	return cur, markIgnored(fs, ignored), nil
}
