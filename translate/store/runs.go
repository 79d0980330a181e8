package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
)

// StartRun records that the run r describes begins now, and sets r.StartedAt (by the store's
// clock, as every time it stores) and r.RunID.
func (s *Store) StartRun(ctx context.Context, r *translate.Report) error {
	r.StartedAt = s.now().UTC()
	res, err := s.w.ExecContext(ctx, `INSERT INTO mt_runs (article_id, backend, model, status, started_at, started_by, draft, segments)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.ArticleID, r.Backend, r.Model, translate.RunRunning, timestamp.Format(r.StartedAt), r.StartedBy, r.Draft, r.Segments)
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	r.RunID, err = res.LastInsertId()
	return err
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
// crash keeps what it cost (InterruptRuns changes only its status).
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
	from_tm, from_cache, failed, flagged, skipped, untouched, requests, retries, prompt_tokens, completion_tokens, error`

func scanRun(sc scanner) (translate.Report, error) {
	var r translate.Report
	var started, finished string
	err := sc.Scan(&r.RunID, &r.ArticleID, &r.Backend, &r.Model, &r.Status, &started, &r.StartedBy, &r.Draft, &finished, &r.Segments, &r.Pending,
		&r.Translated, &r.FromTM, &r.FromCache, &r.Failed, &r.Flagged, &r.Skipped, &r.Untouched, &r.Requests, &r.Retries,
		&r.Usage.PromptTokens, &r.Usage.CompletionTokens, &r.Error)
	r.StartedAt = timestamp.Parse(started)
	r.FinishedAt = timestamp.Parse(finished)
	if !r.FinishedAt.IsZero() {
		r.Duration = r.FinishedAt.Sub(r.StartedAt)
	}
	return r, err
}

// Runs lists an article's machine-translation runs, newest first, with their counts and token
// usage.
func (s *Store) Runs(ctx context.Context, articleID int64) ([]translate.Report, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+runColumns+` FROM mt_runs WHERE article_id = ? ORDER BY id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("runs of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []translate.Report
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("runs of article %d: %w", articleID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Run returns one recorded run.
func (s *Store) Run(ctx context.Context, runID int64) (translate.Report, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, `SELECT `+runColumns+` FROM mt_runs WHERE id = ?`, runID))
	if errors.Is(err, sql.ErrNoRows) {
		return translate.Report{}, fmt.Errorf("run %d: %w", runID, translate.ErrNotFound)
	}
	if err != nil {
		return translate.Report{}, fmt.Errorf("run %d: %w", runID, err)
	}
	return r, nil
}

// InterruptRuns marks runs still recorded as running — left so by a crash or a kill — as
// failed. Call it once at start-up, before any run begins.
func (s *Store) InterruptRuns(ctx context.Context) (int64, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE mt_runs SET status = ?, finished_at = ?, error = 'interrupted: the program stopped during the run'
		WHERE status = ?`, translate.RunFailed, s.stamp(), translate.RunRunning)
	if err != nil {
		return 0, fmt.Errorf("interrupted runs: %w", err)
	}
	return res.RowsAffected()
}
