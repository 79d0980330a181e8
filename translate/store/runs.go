package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
)

// RunLease is how long a run stays "running" without a sign of life from its process: the
// process renews the lease (RenewRun) every RunLease/6 while it works, and a run whose lease
// has lapsed reads as translate.RunInterrupted. Long enough to ride out a busy database
// (the writer waits up to 10 s for a lock), short enough that a killed run shows soon.
const RunLease = 30 * time.Second

// StartRun records that the run r describes begins now, holding a lease of RunLease, and
// sets r.StartedAt and r.LeaseUntil (by the store's clock, as every time it stores) and
// r.RunID.
func (s *Store) StartRun(ctx context.Context, r *translate.Report) error {
	r.StartedAt = s.now().UTC()
	r.LeaseUntil = r.StartedAt.Add(RunLease)
	res, err := s.w.ExecContext(ctx, `INSERT INTO mt_runs (article_id, backend, model, status, started_at, started_by, draft, segments, lease_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ArticleID, r.Backend, r.Model, translate.RunRunning, timestamp.Format(r.StartedAt), r.StartedBy, r.Draft, r.Segments,
		timestamp.Format(r.LeaseUntil))
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	r.RunID, err = res.LastInsertId()
	return err
}

// RenewRun extends a running run's lease to RunLease from now: its process is alive. A run
// that has finished is left as it is.
func (s *Store) RenewRun(ctx context.Context, runID int64) error {
	_, err := s.w.ExecContext(ctx, `UPDATE mt_runs SET lease_until = ? WHERE id = ? AND status = ?`,
		timestamp.Format(s.now().Add(RunLease)), runID, translate.RunRunning)
	if err != nil {
		return fmt.Errorf("renew the lease of run %d: %w", runID, err)
	}
	return nil
}

// FinishRun stores a run's outcome, finished now: it sets r.FinishedAt by the store's clock and
// r.Duration since StartedAt.
func (s *Store) FinishRun(ctx context.Context, r *translate.Report) error {
	r.FinishedAt = s.now().UTC()
	r.Duration = r.FinishedAt.Sub(r.StartedAt)
	_, err := s.w.ExecContext(ctx, `UPDATE mt_runs SET status = ?, finished_at = ?, segments = ?, pending = ?, translated = ?,
		from_tm = ?, from_cache = ?, failed = ?, flagged = ?, skipped = ?, untouched = ?, requests = ?, retries = ?,
		prompt_tokens = ?, completion_tokens = ?, error = ? WHERE id = ?`,
		r.Status, timestamp.Format(r.FinishedAt), r.Segments, r.Pending, r.Translated, r.FromTM, r.FromCache,
		r.Failed, r.Flagged, r.Skipped, r.Untouched, r.Requests, r.Retries, r.Usage.PromptTokens, r.Usage.CompletionTokens,
		r.Error, r.RunID)
	if err != nil {
		return fmt.Errorf("record run %d: %w", r.RunID, err)
	}
	return nil
}

// ProgressRun stores a running run's counts and token usage so far, so a run cut off by a
// crash keeps what it cost.
func (s *Store) ProgressRun(ctx context.Context, r translate.Report) error {
	_, err := s.w.ExecContext(ctx, `UPDATE mt_runs SET pending = ?, translated = ?, from_tm = ?, from_cache = ?, failed = ?,
		flagged = ?, skipped = ?, requests = ?, retries = ?, prompt_tokens = ?, completion_tokens = ? WHERE id = ? AND status = ?`,
		r.Pending, r.Translated, r.FromTM, r.FromCache, r.Failed, r.Flagged, r.Skipped, r.Requests, r.Retries,
		r.Usage.PromptTokens, r.Usage.CompletionTokens, r.RunID, translate.RunRunning)
	if err != nil {
		return fmt.Errorf("record run %d: %w", r.RunID, err)
	}
	return nil
}

const runColumns = `id, article_id, backend, model, status, started_at, started_by, draft, finished_at, segments, pending, translated,
	from_tm, from_cache, failed, flagged, skipped, untouched, requests, retries, prompt_tokens, completion_tokens, error, lease_until`

// scanRun reads a run as it stands at now: a run recorded as running whose lease ended
// before now lost its process, and reads as interrupted, finished when its lease ended.
func scanRun(sc scanner, now time.Time) (translate.Report, error) {
	var r translate.Report
	var started, finished, lease string
	err := sc.Scan(&r.RunID, &r.ArticleID, &r.Backend, &r.Model, &r.Status, &started, &r.StartedBy, &r.Draft, &finished, &r.Segments, &r.Pending,
		&r.Translated, &r.FromTM, &r.FromCache, &r.Failed, &r.Flagged, &r.Skipped, &r.Untouched, &r.Requests, &r.Retries,
		&r.Usage.PromptTokens, &r.Usage.CompletionTokens, &r.Error, &lease)
	r.StartedAt = timestamp.Parse(started)
	r.FinishedAt = timestamp.Parse(finished)
	if r.Status == translate.RunRunning {
		r.LeaseUntil = timestamp.Parse(lease)
		if !r.LeaseUntil.After(now) {
			r.Status = translate.RunInterrupted
			r.FinishedAt = r.LeaseUntil
			r.Untouched = max(0, r.Pending-r.Translated-r.Failed)
			r.Error = fmt.Sprintf("the process running it stopped (no sign of life since %s UTC); what it finished is kept",
				r.LeaseUntil.Add(-RunLease).UTC().Format("2006-01-02 15:04:05"))
		}
	}
	if !r.FinishedAt.IsZero() {
		r.Duration = r.FinishedAt.Sub(r.StartedAt)
	}
	return r, err
}

// Runs lists an article's machine-translation runs, newest first, with their counts and token
// usage; a run whose process stopped renewing its lease reads as interrupted.
func (s *Store) Runs(ctx context.Context, articleID int64) ([]translate.Report, error) {
	now := s.now()
	rows, err := s.r.QueryContext(ctx, `SELECT `+runColumns+` FROM mt_runs WHERE article_id = ? ORDER BY id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("runs of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []translate.Report
	for rows.Next() {
		r, err := scanRun(rows, now)
		if err != nil {
			return nil, fmt.Errorf("runs of article %d: %w", articleID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Run returns one recorded run, read as Runs reads it.
func (s *Store) Run(ctx context.Context, runID int64) (translate.Report, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, `SELECT `+runColumns+` FROM mt_runs WHERE id = ?`, runID), s.now())
	if errors.Is(err, sql.ErrNoRows) {
		return translate.Report{}, fmt.Errorf("run %d: %w", runID, translate.ErrNotFound)
	}
	if err != nil {
		return translate.Report{}, fmt.Errorf("run %d: %w", runID, err)
	}
	return r, nil
}
