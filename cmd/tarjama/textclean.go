package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tarjama/tarjama/migrations"
)

// logTextCleaning logs, once, what migration 019 removed from the stored text (control and
// bidi characters the text rule now refuses at the door) and what it could not clean, then
// marks the report logged. The report stays in text_cleaning.
func logTextCleaning(ctx context.Context, db *migrations.DB, now string, log *slog.Logger) error {
	rows, err := db.W.QueryContext(ctx, `SELECT id, what, changed, left_as_was FROM text_cleaning WHERE logged_at = '' ORDER BY id`)
	if err != nil {
		return fmt.Errorf("text cleaning report: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var what string
		var changed, left int
		if err := rows.Scan(&id, &what, &changed, &left); err != nil {
			rows.Close()
			return fmt.Errorf("text cleaning report: %w", err)
		}
		ids = append(ids, id)
		if left > 0 {
			log.Warn("stored text: control or bidi characters left in place", "what", what, "rows", left)
			continue
		}
		log.Warn("stored text: removed control or bidi characters", "what", what, "rows", changed)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("text cleaning report: %w", err)
	}
	for _, id := range ids {
		if _, err := db.W.ExecContext(ctx, `UPDATE text_cleaning SET logged_at = ? WHERE id = ?`, now, id); err != nil {
			return fmt.Errorf("text cleaning report: %w", err)
		}
	}
	return nil
}
