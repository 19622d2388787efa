package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MarkReminded records that the person was reminded of appointment id at
// `at` (nil takes the mark off) and, when entry is not nil, logs it in the
// contact's journal, in one transaction. It returns when the appointment
// was marked reminded before (nil: it was not), for the undo.
func (s *Store) MarkReminded(ctx context.Context, id int64, at *time.Time, entry *JournalEntry) (*time.Time, error) {
	var before *time.Time
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		var a Appointment
		res := tx.Where("id = ?", id).Limit(1).Find(&a)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		before = a.RemindedAt
		if err := tx.Model(&Appointment{}).Where("id = ?", id).
			Updates(map[string]any{"reminded_at": utcPtr(at), "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		if entry != nil {
			entry.ContactID = a.ContactID
			if err := tx.Create(entry).Error; err != nil {
				return err
			}
		}
		if err := touch(tx, a.ContactID); err != nil {
			return err
		}
		return reindex(tx, a.ContactID)
	})
	if err != nil {
		return nil, fmt.Errorf("mark appointment %d reminded: %w", id, err)
	}
	return before, nil
}

// UnmarkReminded takes MarkReminded back: the appointment's mark is put
// back to `before` and the journal entry it logged (0: none) is removed,
// in one transaction.
func (s *Store) UnmarkReminded(ctx context.Context, id int64, before *time.Time, entryID int64) error {
	return s.InTx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&Appointment{}).Where("id = ?", id).
			Updates(map[string]any{"reminded_at": utcPtr(before), "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return fmt.Errorf("unmark appointment %d reminded: %w", id, res.Error)
		}
		if entryID != 0 {
			return tx.DeleteJournalEntry(ctx, entryID)
		}
		return nil
	})
}
