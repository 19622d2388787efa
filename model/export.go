package model

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ExportRecord is what the spreadsheet export writes of one contact.
type ExportRecord struct {
	// The contact's own fields with its phones, emails, addresses, dates
	// and tags; no photo, journal, appointments or notes.
	Contact     *Contact
	ReferredBy  string    // the referrer's display name, "" for none
	LastContact time.Time // the newest journal entry, zero when there is none
}

// exportPage is how many contacts EachExportRecord reads at a time.
const exportPage = 500

// EachExportRecord calls fn with every contact in name order, a page at a
// time, so that memory stays flat however many contacts there are.
func (s *Store) EachExportRecord(ctx context.Context, fn func(*ExportRecord) error) error {
	byPosition := func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }
	var afterKey string
	var afterID int64
	for {
		var page []Contact
		err := s.with(ctx).
			Select("id, uid, given_name, family_name, display_name, nickname, organization, title, stage, referred_by_id, sort_key, newsletter_consent, newsletter_consent_date, created_at, updated_at").
			Preload("Phones", byPosition).Preload("Emails", byPosition).Preload("Addresses", byPosition).
			Preload("Dates", func(db *gorm.DB) *gorm.DB { return db.Order("month, day, id") }).
			Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
			Where("sort_key > ? OR (sort_key = ? AND id > ?)", afterKey, afterKey, afterID).
			Order("sort_key, id").Limit(exportPage).Find(&page).Error
		if err != nil {
			return fmt.Errorf("read contacts: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		ids := make([]int64, len(page))
		var referrers []int64
		for i, c := range page {
			ids[i] = c.ID
			if c.ReferredByID != nil {
				referrers = append(referrers, *c.ReferredByID)
			}
		}
		last, err := s.lastEntries(ctx, ids)
		if err != nil {
			return err
		}
		names, err := s.displayNames(ctx, referrers)
		if err != nil {
			return err
		}
		for i := range page {
			c := &page[i]
			rec := ExportRecord{Contact: c, LastContact: last[c.ID]}
			if c.ReferredByID != nil {
				rec.ReferredBy = names[*c.ReferredByID]
			}
			if err := fn(&rec); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
		afterKey, afterID = page[len(page)-1].SortKey, page[len(page)-1].ID
	}
}

// lastEntries is the time of each contact's newest journal entry.
func (s *Store) lastEntries(ctx context.Context, ids []int64) (map[int64]time.Time, error) {
	rows, err := s.with(ctx).Raw("SELECT contact_id, MAX(at) FROM journal_entries WHERE contact_id IN ? GROUP BY contact_id", ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("last journal entries: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]time.Time, len(ids))
	for rows.Next() {
		var id int64
		var at string
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("last journal entries: %w", err)
		}
		t, err := parseStoredTime(at)
		if err != nil {
			return nil, fmt.Errorf("last journal entry of contact %d: %w", id, err)
		}
		out[id] = t
	}
	return out, rows.Err()
}

// displayNames maps the given contacts' IDs to their names.
func (s *Store) displayNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.with(ctx).Raw("SELECT id, display_name FROM contacts WHERE id IN ?", ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("contact names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("contact names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// EachNewsletterRecipient calls fn with the name and first email address of
// every contact who agreed to receive the newsletter and has an address, in
// name order.
func (s *Store) EachNewsletterRecipient(ctx context.Context, fn func(name, email string) error) error {
	rows, err := s.with(ctx).Raw(`SELECT display_name, email FROM (
			SELECT c.display_name, c.sort_key, c.id,
				(SELECT e.address FROM emails e WHERE e.contact_id = c.id AND e.address <> '' ORDER BY e.position, e.id LIMIT 1) AS email
			FROM contacts c WHERE c.newsletter_consent = 1)
		WHERE email IS NOT NULL ORDER BY sort_key, id`).Rows()
	if err != nil {
		return fmt.Errorf("newsletter recipients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var email sql.NullString
		if err := rows.Scan(&name, &email); err != nil {
			return fmt.Errorf("newsletter recipients: %w", err)
		}
		if err := fn(name, email.String); err != nil {
			return err
		}
	}
	return rows.Err()
}
