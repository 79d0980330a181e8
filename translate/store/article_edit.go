package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/sqlread"
	"github.com/tarjama/tarjama/translate"
)

// RenameArticle gives article id a new title (trimmed; at most translate.MaxTitleRunes
// characters) and returns the article as it is now.
func (s *Store) RenameArticle(ctx context.Context, id int64, title string) (translate.Article, error) {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return translate.Article{}, translate.ErrInvalid.Errorf("title: required")
	case !utf8.ValidString(title):
		return translate.Article{}, translate.ErrInvalid.Errorf("title: not valid UTF-8")
	case utf8.RuneCountInString(title) > translate.MaxTitleRunes:
		return translate.Article{}, translate.ErrInvalid.Errorf("title: longer than %d characters", translate.MaxTitleRunes)
	case strings.ContainsAny(title, "\r\n"):
		return translate.Article{}, translate.ErrInvalid.Errorf("title: one line only")
	}
	if _, _, err := arabic.CleanField("title", title, arabic.RefuseBidi); err != nil {
		return translate.Article{}, translate.ErrInvalid.Errorf("%w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return translate.Article{}, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE articles SET title = ? WHERE id = ?`, title, id)
	if err != nil {
		return translate.Article{}, fmt.Errorf("renaming the article: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return translate.Article{}, articleGone(id)
	}
	a, err := articleHead(ctx, tx, id)
	if err != nil {
		return translate.Article{}, err
	}
	return a, tx.Commit()
}

// DeleteArticle deletes article id with its segments, their revisions and its runs. The
// translation memory its approvals taught stays (its entries only forget their segment), and
// so do the machine-translation cache and the glossary. A run going on the article refuses
// the deletion (ErrConflict): it would write to segments that are gone.
func (s *Store) DeleteArticle(ctx context.Context, id int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, err := articleHead(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := refuseWhileRunning(ctx, tx, a, "deleting it", s.stamp()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
		return fmt.Errorf("deleting «%s»: %w", a.Title, err)
	}
	return tx.Commit()
}

// articleGone says that no article has the id a request named.
func articleGone(id int64) error {
	return translate.ErrNotFound.Errorf("article not found (id %d): it may have been deleted", id)
}

// refuseWhileRunning refuses, with ErrConflict, an action (what, as "deleting it") on article
// a while a machine-translation run on it is going, in this program or another one (tarjama
// translate) on the same database: recorded as running, its lease not lapsed at now (a
// stored time). The run writes to the article's segments by their ids.
func refuseWhileRunning(ctx context.Context, q sqlread.Queryer, a translate.Article, what, now string) error {
	var running bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM mt_runs WHERE article_id = ? AND status = ? AND lease_until > ?)`,
		a.ID, translate.RunRunning, now).Scan(&running); err != nil {
		return fmt.Errorf("runs of «%s»: %w", a.Title, err)
	}
	if running {
		return RunningError(a, what)
	}
	return nil
}

// RunningError refuses an action (what, as "deleting it") on article a while a translation
// runs on it: the store's refusal, and the web server's while its own run is starting.
func RunningError(a translate.Article, what string) error {
	return translate.ErrConflict.Errorf("«%s» is being translated; wait for the run to end, or cancel it, before %s", a.Title, what)
}
