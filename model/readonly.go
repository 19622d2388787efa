package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// OpenReadOnly opens an existing database only to read it, while another
// process may be writing: nothing is created, migrated or written. For
// checks and tests; the program itself opens with Open.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	s, err := openReadOnly(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

func openReadOnly(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := gorm.Open(sqlite.Open(path+"?"+q.Encode()), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, err
	}
	return &Store{db: db.WithContext(ctx), path: path}, nil
}

// Digest is a checksum of every row of every table: two databases, or one
// before and after a command, hold the same data exactly when their digests
// are equal, however their files' bytes differ (WAL, free pages).
func (s *Store) Digest(ctx context.Context) (string, error) {
	var tables []string
	if err := s.with(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).
		Scan(&tables).Error; err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	sum := sha256.New()
	for _, table := range tables {
		rows, err := s.with(ctx).Raw(`SELECT * FROM "` + table + `"`).Rows()
		if err != nil {
			return "", fmt.Errorf("digest %s: %w", table, err)
		}
		cols, _ := rows.Columns()
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		var lines []string // sorted: the order rows come in is not data
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", fmt.Errorf("digest %s: %w", table, err)
			}
			line := ""
			for _, v := range values {
				line += fmt.Sprintf("%T:%v\x1f", v, v)
			}
			lines = append(lines, line)
		}
		err = errors.Join(rows.Err(), rows.Close())
		if err != nil {
			return "", fmt.Errorf("digest %s: %w", table, err)
		}
		slices.Sort(lines)
		fmt.Fprintf(sum, "table %s %d\n", table, len(lines))
		for _, l := range lines {
			fmt.Fprintln(sum, l)
		}
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}
