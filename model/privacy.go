package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ownedTables are the tables whose rows belong to one contact through a
// contact_id column. import_changes has no foreign key (a change record may
// outlive the row it describes), so deleting the contact does not reach it;
// ForgetContact names every table here rather than trusting the cascade.
func ownedTables() []string {
	return []string{
		"phones", "emails", "addresses", "details", "important_dates", "tags",
		"journal_entries", "appointments", "note_reminders", "contact_reliability", "import_changes",
		"followup_marks",
	}
}

// ForgetContact removes a contact and everything the database holds about
// them in one transaction: their rows in every table, their search entry,
// what imports recorded about them (the card hash goes with the contact's
// own row), their household links. Contacts they referred keep their own data; the reference is
// cleared. Deleted content is overwritten rather than left in free pages,
// and the search index is merged so that its old segments no longer carry
// their words. It returns the name the contact had.
//
// Note reminders about them that other contacts hold (a thank-you for a
// referral) are reworded: rewrite gives, for the name, each reason to find
// and what to say instead.
func (s *Store) ForgetContact(ctx context.Context, id int64, rewrite func(name string) map[string]string) (string, error) {
	var name string
	sqlite := s.d == sqliteDialect
	err := s.with(ctx).Connection(func(conn *gorm.DB) error {
		// secure_delete is a setting of the connection: on for this work
		// only, since zeroing every freed page costs every other delete.
		// PostgreSQL's VACUUM, which its server runs on its own, is what
		// clears dead rows there.
		if sqlite {
			if err := conn.Exec("PRAGMA secure_delete = ON").Error; err != nil {
				return err
			}
			defer conn.Exec("PRAGMA secure_delete = OFF")
		}
		return conn.Transaction(func(tx *gorm.DB) error {
			var err error
			name, err = s.forgetInTx(tx, id, rewrite)
			return err
		})
	})
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("forget contact %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("forget contact %d: %w", id, err)
	}
	if sqlite {
		if err := s.scrub(ctx); err != nil {
			return name, fmt.Errorf("forget contact %d: removed %s, but %w", id, name, err)
		}
	}
	return name, nil
}

// forgetInTx is ForgetContact's transaction tx: it returns the name the
// contact had, or ErrNotFound.
func (s *Store) forgetInTx(tx *gorm.DB, id int64, rewrite func(name string) map[string]string) (string, error) {
	var names []string
	if err := tx.Model(&Contact{}).Where("id = ?", id).Limit(1).Pluck("display_name", &names).Error; err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "", ErrNotFound
	}
	name := names[0]
	if err := forgetOwnedRows(tx, id); err != nil {
		return "", err
	}
	if rewrite != nil {
		for from, to := range rewrite(name) {
			if err := tx.Exec("UPDATE note_reminders SET reason = ? WHERE reason = ?", to, from).Error; err != nil {
				return "", fmt.Errorf("note reminders: %w", err)
			}
		}
	}
	if err := s.forgetSearchEntry(tx, id); err != nil {
		return "", err
	}
	if err := tx.Exec("DELETE FROM contacts WHERE id = ?", id).Error; err != nil {
		return "", err
	}
	return name, nil
}

// forgetOwnedRows deletes in tx the contact's rows in every table but
// contacts and the search index, its links to the phone's cards and events
// and to other contacts, and the references other contacts make to it.
func forgetOwnedRows(tx *gorm.DB, id int64) error {
	// Before their appointments go: the links to their events are found
	// through them.
	if err := forgetDavEvents(tx, id); err != nil {
		return fmt.Errorf("phone calendar links: %w", err)
	}
	for _, table := range ownedTables() {
		if err := tx.Exec("DELETE FROM "+table+" WHERE contact_id = ?", id).Error; err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	// A card of theirs on the phone stays known, so that the next sync
	// asks about it rather than bring them back, but only by a hash of its
	// path (a path may spell their name).
	if err := forgetDavLinks(tx, id); err != nil {
		return fmt.Errorf("phone sync links: %w", err)
	}
	// Links name two contacts, in columns of their own.
	if err := tx.Exec("DELETE FROM contact_links WHERE contact_a = ? OR contact_b = ?", id, id).Error; err != nil {
		return fmt.Errorf("contact links: %w", err)
	}
	return tx.Exec("UPDATE contacts SET referred_by_id = NULL WHERE referred_by_id = ?", id).Error
}

// forgetSearchEntry deletes the contact's search entry in tx.
func (s *Store) forgetSearchEntry(tx *gorm.DB, id int64) error {
	sqlite := s.d == sqliteDialect
	// FTS5's own secure-delete takes their words out of the index's
	// segments at once instead of writing a delete marker, which a merge
	// may keep: on for this delete only, as it slows edits.
	if sqlite {
		if err := tx.Exec("INSERT INTO contact_search (contact_search, rank) VALUES ('secure-delete', 1)").Error; err != nil {
			return err
		}
	}
	if err := tx.Exec("DELETE FROM contact_search WHERE "+searchKey(s.d)+" = ?", id).Error; err != nil {
		return err
	}
	if sqlite {
		if err := tx.Exec("INSERT INTO contact_search (contact_search, rank) VALUES ('secure-delete', 0)").Error; err != nil {
			return err
		}
	}
	return nil
}

// ErrOldCopyHeld says that a forgotten contact is gone from the database but
// another connection (another Rapport, a backup tool, the sqlite3 shell)
// still reads an older snapshot, whose pages the write-ahead log must keep
// until it ends.
var ErrOldCopyHeld = errors.New("another program has the database open and still reads an older copy of it; " +
	"their old data stays in the file's write-ahead log until that program closes the database and Rapport is started again")

// scrub rewrites the SQLite file so that no byte of deleted rows remains.
// secure_delete zeroes only what a delete frees now: an earlier edit of the
// same row, an index entry or a search segment freed by a merge, were left
// in free space and free pages long before. VACUUM builds the file afresh
// from the live rows; the checkpoint copies it over the old pages and
// empties the write-ahead log, which held the old pages and the new copy.
func (s *Store) scrub(ctx context.Context) error {
	if err := s.with(ctx).Exec("VACUUM").Error; err != nil {
		return fmt.Errorf("rewrite the file: %w", err)
	}
	var busy, logFrames, done int
	row := s.with(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row()
	if err := row.Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("empty the write-ahead log: %w", err)
	}
	if busy != 0 {
		return ErrOldCopyHeld
	}
	return nil
}

// RestoreNewsletterConsent puts a contact's consent back as it was before
// a change (consent and day), and removes the journal entry that change
// wrote (entryID 0: none), in one transaction: the change's undo.
func (s *Store) RestoreNewsletterConsent(ctx context.Context, id int64, consent bool, day string, entryID int64) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Contact{}).Where("id = ?", id).UpdateColumns(map[string]any{
			"newsletter_consent":      consent,
			"newsletter_consent_date": day,
			"version":                 gorm.Expr("version + 1"),
			"updated_at":              time.Now().UTC(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if entryID == 0 {
			return nil
		}
		if err := tx.Where("id = ? AND contact_id = ?", entryID, id).Delete(&JournalEntry{}).Error; err != nil {
			return err
		}
		return reindex(tx, id)
	})
	if err != nil {
		return fmt.Errorf("restore the newsletter consent of contact %d: %w", id, err)
	}
	return nil
}

// SetNewsletterConsent records that a contact agreed to receive the
// newsletter on day (YYYY-MM-DD), or no longer does (consent false, day "").
// The entry, when given, is added to the journal in the same transaction.
// It counts as an edit of the contact, so an editor open on an older copy
// cannot save the old answer back.
func (s *Store) SetNewsletterConsent(ctx context.Context, id int64, consent bool, day string, entry *JournalEntry) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Contact{}).Where("id = ?", id).UpdateColumns(map[string]any{
			"newsletter_consent":      consent,
			"newsletter_consent_date": day,
			"version":                 gorm.Expr("version + 1"),
			"updated_at":              time.Now().UTC(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if entry == nil {
			return nil
		}
		entry.ID, entry.ContactID = 0, id
		if err := tx.Create(entry).Error; err != nil {
			return err
		}
		return reindex(tx, id)
	})
	if err != nil {
		return fmt.Errorf("newsletter consent of contact %d: %w", id, err)
	}
	return nil
}
