package model

import (
	"context"
	"database/sql"
	"time"
)

// execer is what a GORM transaction's connection offers below GORM: plain
// statements without GORM's reflection (see BulkInsert).
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t.UTC()
}
