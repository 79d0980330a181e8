// Package sqlread names what the stores' read helpers need of the database, so one helper
// serves inside a write transaction and outside it. It imports nothing of the project, so
// every store can use it.
package sqlread

import (
	"context"
	"database/sql"
)

// Queryer is what both a *sql.DB and a *sql.Tx offer for reads.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
