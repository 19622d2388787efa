package model

import (
	"context"
	"database/sql"
	"time"

	"github.com/rapportjournal/rapport/model/internal/bulk"
)

// execer is what a GORM transaction's connection offers below GORM: plain
// statements without GORM's reflection (see BulkInsert).
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// nilIfEmpty is b, or nil (NULL) when it holds nothing.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// sqliteTimeFormat is how the SQLite driver writes a time.Time it binds.
const sqliteTimeFormat = bulk.SQLiteTimeFormat

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t.UTC()
}

// scan runs query and hands each row to fn.
func (s *Store) scan(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.with(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
