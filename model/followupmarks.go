package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FollowupMark is what the owner did with one occurrence of a follow-up on
// Today: done (SnoozedUntil empty) or snoozed until a day (YYYY-MM-DD).
type FollowupMark struct {
	ID           int64 `gorm:"primaryKey"`
	ContactID    int64
	Kind         string
	Occurrence   string
	SnoozedUntil string
	CreatedAt    time.Time
}

// AddFollowupMark records a Done or Snooze.
func (s *Store) AddFollowupMark(ctx context.Context, m *FollowupMark) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC()
	}
	if err := s.with(ctx).Create(m).Error; err != nil {
		return fmt.Errorf("mark follow-up %s of contact %d: %w", m.Kind, m.ContactID, err)
	}
	return nil
}

// DeleteFollowupMark takes a Done or Snooze back.
func (s *Store) DeleteFollowupMark(ctx context.Context, id int64) error {
	res := s.with(ctx).Delete(&FollowupMark{}, id)
	if res.Error != nil {
		return fmt.Errorf("unmark follow-up %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("unmark follow-up %d: %w", id, ErrNotFound)
	}
	return nil
}

// HiddenFollowups gives the occurrences hidden on day (YYYY-MM-DD): done,
// or snoozed until a later day. The key is kind, contact and occurrence,
// joined by "|". Few rows: the owner marks them one by one.
func (s *Store) HiddenFollowups(ctx context.Context, day string) (map[string]bool, error) {
	var rows []FollowupMark
	err := s.with(ctx).Where("snoozed_until = '' OR snoozed_until > ?", day).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("follow-ups done and snoozed: %w", err)
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[FollowupKey(r.Kind, r.ContactID, r.Occurrence)] = true
	}
	return out, nil
}

// FollowupKey names one occurrence of a follow-up.
func FollowupKey(kind string, contactID int64, occurrence string) string {
	return fmt.Sprintf("%s|%d|%s", kind, contactID, occurrence)
}

// RestoreOwned puts back a row of a contact exactly as it was read before
// it was deleted, under its old ID: the undo of a delete.
func RestoreOwned[T Detail | ImportantDate | JournalEntry](ctx context.Context, s *Store, row *T, contactID int64) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		if err := touch(tx, contactID); err != nil {
			return err
		}
		return reindex(tx, contactID)
	})
	if err != nil {
		return fmt.Errorf("restore a row of contact %d: %w", contactID, err)
	}
	return nil
}

// OwnedRow reads one row of a contact by ID, to restore it after a delete.
func OwnedRow[T Detail | ImportantDate | JournalEntry](ctx context.Context, s *Store, id int64) (*T, error) {
	row := new(T)
	res := s.with(ctx).Where("id = ?", id).Limit(1).Find(row)
	if res.Error != nil {
		return nil, fmt.Errorf("read row %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, fmt.Errorf("read row %d: %w", id, ErrNotFound)
	}
	return row, nil
}

// ChangeStage moves a contact to stage and logs entry (the stage change),
// in one transaction; it returns the stage the contact was at.
func (s *Store) ChangeStage(ctx context.Context, id int64, stage Stage, entry *JournalEntry) (Stage, error) {
	var before Stage
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		var stages []string
		if err := tx.Model(&Contact{}).Where("id = ?", id).Limit(1).Pluck("stage", &stages).Error; err != nil {
			return err
		}
		if len(stages) == 0 {
			return ErrNotFound
		}
		before = Stage(stages[0])
		if err := tx.Model(&Contact{}).Where("id = ?", id).UpdateColumn("stage", string(stage)).Error; err != nil {
			return err
		}
		entry.ContactID = id
		if err := tx.Create(entry).Error; err != nil {
			return err
		}
		if err := touch(tx, id); err != nil {
			return err
		}
		return reindex(tx, id)
	})
	if err != nil {
		return "", fmt.Errorf("change the stage of contact %d: %w", id, err)
	}
	return before, nil
}

// RevertStage takes ChangeStage back: the stage as it was, the entry gone.
func (s *Store) RevertStage(ctx context.Context, id int64, stage Stage, entryID int64) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Contact{}).Where("id = ?", id).UpdateColumn("stage", string(stage)).Error; err != nil {
			return err
		}
		if err := tx.Delete(&JournalEntry{}, entryID).Error; err != nil {
			return err
		}
		if err := touch(tx, id); err != nil {
			return err
		}
		return reindex(tx, id)
	})
	if err != nil {
		return fmt.Errorf("put back the stage of contact %d: %w", id, err)
	}
	return nil
}
