package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/model/internal/bulk"
)

// ReliabilityRow is a contact's reliability as of a day (YYYY-MM-DD).
type ReliabilityRow struct {
	ContactID  int64
	Day        string
	Score      *int
	Counted    int
	Unreliable bool
	Summary    string
	// LastIncident is the newest no-show, late cancellation or late
	// arrival, if any.
	LastIncident  *time.Time
	NoticeMinutes int        // the notice window it was scored under
	ValidUntil    *time.Time // when a started appointment changes it; nil: all day
	ScoredAt      time.Time  // the moment it was scored as of
}

// SaveReliabilities writes rows, replacing what each contact had, many rows
// to a statement, in one transaction. With onlyStale, a row already written
// for the same day and rule is kept: a background rescoring that read the
// appointments before a new outcome was recorded must not undo it.
func (s *Store) SaveReliabilities(ctx context.Context, rows []ReliabilityRow, onlyStale bool) error {
	if len(rows) == 0 {
		return nil
	}
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		w := bulk.NewWriter(ctx, tx.Statement.ConnPool, dialectOf(tx).bulkDialect())
		suffix := ` ON CONFLICT (contact_id) DO UPDATE SET day = excluded.day, score = excluded.score,
			counted = excluded.counted, unreliable = excluded.unreliable, summary = excluded.summary,
			last_incident = excluded.last_incident, notice_minutes = excluded.notice_minutes,
			valid_until = excluded.valid_until, scored_at = excluded.scored_at`
		if onlyStale {
			suffix += ` WHERE contact_reliability.day <> excluded.day OR contact_reliability.notice_minutes <> excluded.notice_minutes
				OR contact_reliability.valid_until <= excluded.scored_at`
		}
		w.OnConflict(suffix)
		columns := []string{"contact_id", "day", "score", "counted", "unreliable", "summary", "last_incident",
			"notice_minutes", "valid_until", "scored_at"}
		for _, r := range rows {
			w.Row("contact_reliability", columns,
				r.ContactID, r.Day, r.Score, r.Counted, r.Unreliable, r.Summary, r.LastIncident, r.NoticeMinutes, r.ValidUntil, r.ScoredAt.UTC())
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("save reliability: %w", err)
	}
	return nil
}

// StaleReliability lists the contacts with no reliability kept as of day
// and now under a notice window of noticeMinutes.
func (s *Store) StaleReliability(ctx context.Context, day string, now time.Time, noticeMinutes int) ([]int64, error) {
	// Most of the time every score is fresh: two counts, from the
	// (day, notice_minutes, valid_until) index and the contacts' table,
	// tell so without visiting each contact (100 ms over 50,000).
	// Scanned into a slice, not through Row: GORM hands back an empty
	// sql.Row when the query fails before it runs (a cancelled context),
	// and scanning that panics.
	var counts []struct{ Total, Fresh int64 }
	err := s.with(ctx).Raw(`SELECT (SELECT COUNT(*) FROM contacts) AS total, (SELECT COUNT(*) FROM contact_reliability
		WHERE day = ? AND notice_minutes = ? AND (valid_until IS NULL OR valid_until > ?)) AS fresh`,
		day, noticeMinutes, now.UTC()).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("stale reliability: %w", err)
	}
	if len(counts) == 1 && counts[0].Total == counts[0].Fresh {
		return nil, nil
	}
	return s.scanIDs(ctx, `SELECT c.id FROM contacts c LEFT JOIN contact_reliability r ON r.contact_id = c.id
		WHERE r.day IS NULL OR r.day <> ? OR r.notice_minutes <> ? OR r.valid_until <= ? ORDER BY c.id`,
		day, noticeMinutes, now.UTC())
}

// ForgetReliability drops the kept scores of some contacts, to be scored
// again (after a restore changed their appointments).
func (s *Store) ForgetReliability(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in, arg := s.d.idsIn("contact_id", ids)
	if err := s.with(ctx).Exec("DELETE FROM contact_reliability WHERE "+in, arg).Error; err != nil {
		return fmt.Errorf("forget reliability: %w", err)
	}
	return nil
}

// Setting reads an owner's setting; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	var values []string
	if err := s.with(ctx).Raw("SELECT value FROM settings WHERE key = ?", key).Scan(&values).Error; err != nil {
		return "", false, fmt.Errorf("setting %s: %w", key, err)
	}
	if len(values) == 0 {
		return "", false, nil
	}
	return values[0], true, nil
}

// SetSetting writes an owner's setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if err := s.with(ctx).Exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, value).Error; err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}

// UnreliableIDs lists the contacts unreliable as of day (as last written).
func (s *Store) UnreliableIDs(ctx context.Context, day string) ([]int64, error) {
	return s.scanIDs(ctx, "SELECT contact_id FROM contact_reliability WHERE day = ? AND unreliable = TRUE ORDER BY contact_id", day)
}
