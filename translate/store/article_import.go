package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
)

// NewArticle is one article for CreateArticles: its title, its text and the file it came from.
type NewArticle struct {
	Title, Text, SourceName string
}

// CreateArticles stores several articles with all their segments in one transaction, so a
// failure on any of them (bad text, a constraint, a cancelled context) leaves none stored.
// An error names the article by its source name, or by its position when it has none.
func (s *Store) CreateArticles(ctx context.Context, arts []NewArticle) ([]translate.Article, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create articles: %w", err)
	}
	defer tx.Rollback()
	now := s.stamp()
	ids := make([]int64, len(arts))
	for i, a := range arts {
		if ids[i], err = insertArticle(ctx, tx, a.Title, a.Text, a.SourceName, now); err != nil {
			name := a.SourceName
			if name == "" {
				name = fmt.Sprintf("article %d of %d", i+1, len(arts))
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create articles: %w", err)
	}
	out := make([]translate.Article, len(ids))
	for i, id := range ids {
		if out[i], err = s.Article(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insertArticle segments text and inserts the article and its segments inside tx; the caller
// commits. It is the one place an article's rows are written, so it holds the one text rule
// whoever calls it: translate.NewText has already removed the bidi controls from the text,
// and anything the rule refuses is refused here too.
func insertArticle(ctx context.Context, tx *sql.Tx, title, text, sourceName, now string) (int64, error) {
	for _, f := range []struct{ name, value string }{{"title", title}, {"text", text}, {"file name", sourceName}} {
		if _, _, err := arabic.CleanField(f.name, f.value, arabic.RefuseBidi); err != nil {
			return 0, translate.ErrInvalid.Errorf("%w", err)
		}
	}
	pieces := translate.Split(text)
	if len(pieces) == 0 {
		return 0, translate.ErrInvalid.Errorf("text: no sentences found")
	}
	if err := translate.CheckSegments(pieces); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO articles (title, source_text, source_name, created_at) VALUES (?, ?, ?, ?)`,
		title, text, sourceName, now)
	if err != nil {
		return 0, fmt.Errorf("create article: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("create article: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO segments (article_id, idx, paragraph, source, sep, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("create article: %w", err)
	}
	defer stmt.Close()
	for i, p := range pieces {
		if _, err := stmt.ExecContext(ctx, id, i, p.Paragraph, p.Source, p.Sep, now); err != nil {
			return 0, fmt.Errorf("create article: segment %d: %w", i, err)
		}
	}
	return id, nil
}
