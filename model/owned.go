package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// owned are the rows that belong to one contact and are edited one at a time
// from the card.
type owned interface {
	Detail | ImportantDate | JournalEntry | Appointment | NoteReminder
}

// SaveDetail adds a remembered detail (ID 0, placed last) or updates one.
func (s *Store) SaveDetail(ctx context.Context, d *Detail) error {
	if d.ID == 0 {
		var last *int
		err := s.with(ctx).Model(&Detail{}).Where("contact_id = ?", d.ContactID).
			Select("MAX(position)").Scan(&last).Error
		if err != nil {
			return fmt.Errorf("save detail: %w", err)
		}
		if last != nil {
			d.Position = *last + 1
		}
	}
	return saveOwned(ctx, s, d, d.ContactID, "detail")
}

// DeleteDetail removes a remembered detail.
func (s *Store) DeleteDetail(ctx context.Context, id int64) error {
	return deleteOwned[Detail](ctx, s, id, "detail")
}

// SaveDate adds or updates an important date.
func (s *Store) SaveDate(ctx context.Context, d *ImportantDate) error {
	return saveOwned(ctx, s, d, d.ContactID, "date")
}

// DeleteDate removes an important date.
func (s *Store) DeleteDate(ctx context.Context, id int64) error {
	return deleteOwned[ImportantDate](ctx, s, id, "date")
}

// SaveJournalEntry adds or updates a journal entry.
func (s *Store) SaveJournalEntry(ctx context.Context, e *JournalEntry) error {
	return saveOwned(ctx, s, e, e.ContactID, "journal entry")
}

// DeleteJournalEntry removes a journal entry.
func (s *Store) DeleteJournalEntry(ctx context.Context, id int64) error {
	return deleteOwned[JournalEntry](ctx, s, id, "journal entry")
}

// SaveAppointment adds or updates an appointment.
func (s *Store) SaveAppointment(ctx context.Context, a *Appointment) error {
	return saveOwned(ctx, s, a, a.ContactID, "appointment")
}

// DeleteAppointment removes an appointment.
func (s *Store) DeleteAppointment(ctx context.Context, id int64) error {
	return deleteOwned[Appointment](ctx, s, id, "appointment")
}

// SaveNoteReminder adds or updates a note reminder.
func (s *Store) SaveNoteReminder(ctx context.Context, n *NoteReminder) error {
	return saveOwned(ctx, s, n, n.ContactID, "note reminder")
}

// DeleteNoteReminder removes a note reminder.
func (s *Store) DeleteNoteReminder(ctx context.Context, id int64) error {
	return deleteOwned[NoteReminder](ctx, s, id, "note reminder")
}

// saveOwned inserts (ID 0) or updates one row of a contact and refreshes the
// contact's search entry, in one transaction.
func saveOwned[T owned](ctx context.Context, s *Store, row *T, contactID int64, what string) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(row).Error; err != nil {
			return err
		}
		if err := touch(tx, contactID); err != nil {
			return err
		}
		return reindex(tx, contactID)
	})
	if err != nil {
		return fmt.Errorf("save %s of contact %d: %w", what, contactID, err)
	}
	return nil
}

// deleteOwned removes one row of a contact and refreshes its search entry.
func deleteOwned[T owned](ctx context.Context, s *Store, id int64, what string) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		var contactIDs []int64
		if err := tx.Model(new(T)).Where("id = ?", id).Pluck("contact_id", &contactIDs).Error; err != nil {
			return err
		}
		if len(contactIDs) == 0 {
			return ErrNotFound
		}
		if err := tx.Delete(new(T), id).Error; err != nil {
			return err
		}
		if err := touch(tx, contactIDs[0]); err != nil {
			return err
		}
		return reindex(tx, contactIDs[0])
	})
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("delete %s %d: %w", what, id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("delete %s %d: %w", what, id, err)
	}
	return nil
}

// touch marks a contact changed: a new journal entry or detail is an edit of
// the contact, which restores and import undo respect.
func touch(tx *gorm.DB, contactID int64) error {
	return tx.Model(&Contact{}).Where("id = ?", contactID).UpdateColumn("updated_at", time.Now().UTC()).Error
}
