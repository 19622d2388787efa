package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReliabilityRow is a contact's reliability as of a day (YYYY-MM-DD).
type ReliabilityRow struct {
	ContactID  int64
	Day        string
	Score      *int
	Counted    int
	Unreliable bool
	Summary    string
	// LastIncident is the newest no-show or late cancellation, if any.
	LastIncident *time.Time
}

// SaveReliabilities writes rows, replacing what each contact had, many rows
// to a statement, in one transaction.
func (s *Store) SaveReliabilities(ctx context.Context, rows []ReliabilityRow) error {
	if len(rows) == 0 {
		return nil
	}
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		conn, ok := tx.Statement.ConnPool.(execer)
		if !ok {
			return fmt.Errorf("no connection")
		}
		w := multiRow{ctx: ctx, conn: conn, verb: "INSERT OR REPLACE"}
		for _, r := range rows {
			w.row("contact_reliability", "contact_id, day, score, counted, unreliable, summary, last_incident",
				r.ContactID, r.Day, r.Score, r.Counted, r.Unreliable, r.Summary, r.LastIncident)
		}
		return w.flush()
	})
	if err != nil {
		return fmt.Errorf("save reliability: %w", err)
	}
	return nil
}

// StaleReliability lists the contacts with no reliability as of day.
func (s *Store) StaleReliability(ctx context.Context, day string) ([]int64, error) {
	return s.scanIDs(ctx, `SELECT c.id FROM contacts c LEFT JOIN contact_reliability r ON r.contact_id = c.id
		WHERE r.day IS NULL OR r.day <> ? ORDER BY c.id`, day)
}

// UnreliableIDs lists the contacts unreliable as of day (as last written).
func (s *Store) UnreliableIDs(ctx context.Context, day string) ([]int64, error) {
	return s.scanIDs(ctx, "SELECT contact_id FROM contact_reliability WHERE day = ? AND unreliable = 1 ORDER BY contact_id", day)
}

// ClearReliability drops every kept score (the rules changed).
func (s *Store) ClearReliability(ctx context.Context) error {
	if err := s.with(ctx).Exec("DELETE FROM contact_reliability").Error; err != nil {
		return fmt.Errorf("clear reliability: %w", err)
	}
	return nil
}
