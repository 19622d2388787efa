package model

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
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
// time, so that memory stays flat however many contacts there are. Rows are
// scanned by hand, each table's rows of a page in one statement whose IDs
// travel as one JSON parameter: GORM's preloads (reflection, and a
// statement of 500 placeholders parsed for each table) took 8 s over 50,000
// contacts.
func (s *Store) EachExportRecord(ctx context.Context, fn func(*ExportRecord) error) error {
	var afterKey string
	var afterID int64
	for {
		page, err := s.exportPage(ctx, afterKey, afterID)
		if err != nil {
			return fmt.Errorf("read contacts: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		byID := make(map[int64]*ExportRecord, len(page))
		ids := make([]int64, len(page))
		var referrers []int64
		for i := range page {
			c := page[i].Contact
			byID[c.ID], ids[i] = &page[i], c.ID
			if c.ReferredByID != nil {
				referrers = append(referrers, *c.ReferredByID)
			}
		}
		if err := s.exportChildren(ctx, ids, byID); err != nil {
			return fmt.Errorf("read contacts: %w", err)
		}
		names, err := s.displayNames(ctx, referrers)
		if err != nil {
			return err
		}
		for i := range page {
			rec := &page[i]
			if id := rec.Contact.ReferredByID; id != nil {
				rec.ReferredBy = names[*id]
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
		last := page[len(page)-1].Contact
		afterKey, afterID = last.SortKey, last.ID
	}
}

// exportPage reads the next page of contacts' own fields after the given
// place in name order.
func (s *Store) exportPage(ctx context.Context, afterKey string, afterID int64) ([]ExportRecord, error) {
	rows, err := s.with(ctx).Raw(`SELECT id, uid, given_name, family_name, display_name, organization, stage,
			referred_by_id, sort_key, newsletter_consent, newsletter_consent_date
		FROM contacts WHERE (sort_key, id) > (?, ?) ORDER BY sort_key, id LIMIT ?`, afterKey, afterID, exportPage).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []ExportRecord
	for rows.Next() {
		c := &Contact{}
		if err := rows.Scan(&c.ID, &c.UID, &c.GivenName, &c.FamilyName, &c.DisplayName, &c.Organization, &c.Stage,
			&c.ReferredByID, &c.SortKey, &c.NewsletterConsent, &c.NewsletterConsentDate); err != nil {
			return nil, err
		}
		page = append(page, ExportRecord{Contact: c})
	}
	return page, rows.Err()
}

// exportChildren reads the phones, emails, first addresses, birthdays, tags
// and newest journal entry of the contacts ids into byID.
func (s *Store) exportChildren(ctx context.Context, ids []int64, byID map[int64]*ExportRecord) error {
	in, list := s.d.idsIn("contact_id", ids)
	if err := s.exportLists(ctx, in, list, byID); err != nil {
		return err
	}
	if err := s.exportTagsAndLast(ctx, in, list, byID); err != nil {
		return err
	}
	sortExportChildren(byID)
	return nil
}

// exportRead is one table's rows of a page: the statement that reads them,
// and what files each row into its record.
type exportRead struct {
	query string
	scan  func(rows *sql.Rows) error
}

// exportLists reads the phones, emails, addresses and dates of the
// contacts matched by in (a condition on contact_id, list its parameter)
// into byID, unsorted.
func (s *Store) exportLists(ctx context.Context, in string, list any, byID map[int64]*ExportRecord) error {
	// The table is built and run here, not returned: returned, its
	// statements and closures would go to the heap for every page.
	reads := []exportRead{
		{"SELECT id, contact_id, number, position FROM phones WHERE " + in, func(rows *sql.Rows) error {
			p := Phone{}
			if err := rows.Scan(&p.ID, &p.ContactID, &p.Number, &p.Position); err != nil {
				return err
			}
			c := byID[p.ContactID].Contact
			c.Phones = append(c.Phones, p)
			return nil
		}},
		{"SELECT id, contact_id, address, position FROM emails WHERE " + in, func(rows *sql.Rows) error {
			e := Email{}
			if err := rows.Scan(&e.ID, &e.ContactID, &e.Address, &e.Position); err != nil {
				return err
			}
			c := byID[e.ContactID].Contact
			c.Emails = append(c.Emails, e)
			return nil
		}},
		{"SELECT id, contact_id, label, street, city, region, postal_code, country, position FROM addresses WHERE " + in, func(rows *sql.Rows) error {
			a := Address{}
			if err := rows.Scan(&a.ID, &a.ContactID, &a.Label, &a.Street, &a.City, &a.Region, &a.PostalCode, &a.Country, &a.Position); err != nil {
				return err
			}
			c := byID[a.ContactID].Contact
			c.Addresses = append(c.Addresses, a)
			return nil
		}},
		{"SELECT id, contact_id, label, year, month, day FROM important_dates WHERE " + in, func(rows *sql.Rows) error {
			d := ImportantDate{}
			if err := rows.Scan(&d.ID, &d.ContactID, &d.Label, &d.Year, &d.Month, &d.Day); err != nil {
				return err
			}
			c := byID[d.ContactID].Contact
			c.Dates = append(c.Dates, d)
			return nil
		}},
	}
	return s.runExportReads(ctx, reads, list)
}

// exportTagsAndLast reads the tags and the time of the newest journal entry
// of the contacts matched by in (a condition on contact_id, list its
// parameter) into byID.
func (s *Store) exportTagsAndLast(ctx context.Context, in string, list any, byID map[int64]*ExportRecord) error {
	var id int64
	var text string
	reads := []exportRead{
		{"SELECT contact_id, name FROM tags WHERE " + in, func(rows *sql.Rows) error {
			if err := rows.Scan(&id, &text); err != nil {
				return err
			}
			c := byID[id].Contact
			c.Tags = append(c.Tags, Tag{ContactID: id, Name: text})
			return nil
		}},
		{"SELECT contact_id, MAX(at) FROM journal_entries WHERE " + in + " GROUP BY contact_id", func(rows *sql.Rows) error {
			if err := rows.Scan(&id, &text); err != nil {
				return err
			}
			t, err := parseStoredTime(text)
			if err != nil {
				return fmt.Errorf("last journal entry of contact %d: %w", id, err)
			}
			byID[id].LastContact = t
			return nil
		}},
	}
	return s.runExportReads(ctx, reads, list)
}

// runExportReads runs reads in turn with list as each one's parameter.
func (s *Store) runExportReads(ctx context.Context, reads []exportRead, list any) error {
	for _, read := range reads {
		if err := s.scan(ctx, read.query, []any{list}, read.scan); err != nil {
			return err
		}
	}
	return nil
}

// sortExportChildren puts each record's phones, emails and addresses in
// their order, its dates in calendar order and its tags by name.
func sortExportChildren(byID map[int64]*ExportRecord) {
	// Sorted here: an ORDER BY made SQLite sort each table's rows of the
	// page in a temporary b-tree, a third of the export's time.
	byPosition := func(pa, pb int, ia, ib int64) int { return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(ia, ib)) }
	for _, r := range byID {
		c := r.Contact
		slices.SortFunc(c.Phones, func(a, b Phone) int { return byPosition(a.Position, b.Position, a.ID, b.ID) })
		slices.SortFunc(c.Emails, func(a, b Email) int { return byPosition(a.Position, b.Position, a.ID, b.ID) })
		slices.SortFunc(c.Addresses, func(a, b Address) int { return byPosition(a.Position, b.Position, a.ID, b.ID) })
		slices.SortFunc(c.Dates, func(a, b ImportantDate) int {
			return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day), cmp.Compare(a.ID, b.ID))
		})
		slices.SortFunc(c.Tags, func(a, b Tag) int { return cmp.Compare(a.Name, b.Name) })
	}
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
			FROM contacts c WHERE c.newsletter_consent = TRUE) AS n
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
