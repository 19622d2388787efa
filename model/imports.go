package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/model/internal/bulk"
)

// ContactName is a contact's display name.
func (s *Store) ContactName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.with(ctx).Statement.ConnPool.QueryRowContext(ctx, s.d.rebind("SELECT display_name FROM contacts WHERE id = ?"), id).Scan(&name)
	if err != nil {
		return "", fmt.Errorf("contact %d: %w", id, err)
	}
	return name, nil
}

// ContactsNamed finds contacts whose display name folds to the same text as
// name: a suggestion for the owner, never a match by itself.
func (s *Store) ContactsNamed(ctx context.Context, name string, limit int) ([]ContactRow, error) {
	key := Fold(strings.TrimSpace(name))
	if key == "" {
		return nil, nil
	}
	return s.scanRows(ctx, "SELECT id, uid, display_name, organization, stage FROM contacts WHERE sort_key = ? ORDER BY id LIMIT ?", key, limit)
}

// StartBatch records the start of an import of file.
func (s *Store) StartBatch(ctx context.Context, file string) (*ImportBatch, error) {
	b := &ImportBatch{File: file, StartedAt: time.Now().UTC()}
	if err := s.with(ctx).Create(b).Error; err != nil {
		return nil, fmt.Errorf("start import of %s: %w", file, err)
	}
	return b, nil
}

// DeleteBatch removes a batch and what it recorded: for a batch recorded
// ahead of a change elsewhere (on the phone's server) that then failed.
func (s *Store) DeleteBatch(ctx context.Context, id int64) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM import_changes WHERE batch_id = ?", id).Error; err != nil {
			return err
		}
		return tx.Exec("DELETE FROM import_batches WHERE id = ?", id).Error
	})
	if err != nil {
		return fmt.Errorf("delete import batch %d: %w", id, err)
	}
	return nil
}

// SaveBatch records a batch's counts and when it last finished a card.
func (s *Store) SaveBatch(ctx context.Context, b *ImportBatch) error {
	now := time.Now().UTC()
	b.FinishedAt = &now
	if err := s.with(ctx).Save(b).Error; err != nil {
		return fmt.Errorf("save import batch %d: %w", b.ID, err)
	}
	return nil
}

// Batches lists the import batches, newest first.
func (s *Store) Batches(ctx context.Context) ([]ImportBatch, error) {
	var out []ImportBatch
	if err := s.with(ctx).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("import batches: %w", err)
	}
	return out, nil
}

// Batch loads one import batch.
func (s *Store) Batch(ctx context.Context, id int64) (*ImportBatch, error) {
	var b ImportBatch
	err := s.with(ctx).First(&b, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("import batch %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("import batch %d: %w", id, err)
	}
	return &b, nil
}

// RecordChanges stores what an import did, for undo, many rows to a
// statement.
func (s *Store) RecordChanges(ctx context.Context, changes []ImportChange) error {
	db := s.with(ctx)
	tables, err := s.bulkTables()
	if err != nil {
		return fmt.Errorf("record import changes: %w", err)
	}
	w := bulk.NewWriter(ctx, db.Statement.ConnPool, s.d.bulkDialect())
	w.Expect(tables.changes.Name(), len(changes))
	for i := range changes {
		bulk.Add(w, tables.changes, &changes[i])
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("record import changes: %w", err)
	}
	return nil
}

// ContactForMerge loads what an import compares a card with: the contact's
// fields, phones, emails, addresses, tags, details, dates and journal (not
// appointments or note reminders).
func (s *Store) ContactForMerge(ctx context.Context, id int64) (*Contact, error) {
	var c Contact
	byPosition := func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }
	err := s.with(ctx).Preload("Phones", byPosition).Preload("Emails", byPosition).Preload("Addresses", byPosition).
		Preload("Details", byPosition).Preload("Dates").Preload("Tags").
		Preload("Journal", func(db *gorm.DB) *gorm.DB { return db.Select("id, contact_id, kind, text, outreach_id") }).
		First(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("contact %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("contact %d: %w", id, err)
	}
	return &c, nil
}

// BatchChanges lists what a batch did, in the order it did it.
func (s *Store) BatchChanges(ctx context.Context, batchID int64) ([]ImportChange, error) {
	var out []ImportChange
	if err := s.with(ctx).Where("batch_id = ?", batchID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("import batch %d: %w", batchID, err)
	}
	return out, nil
}

// ContactTimes is when a contact was created and last changed; ok is false
// when it no longer exists.
func (s *Store) ContactTimes(ctx context.Context, id int64) (created, changed time.Time, ok bool, err error) {
	var c []Contact
	if err := s.with(ctx).Select("id, created_at, updated_at").Where("id = ?", id).Limit(1).Find(&c).Error; err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	if len(c) == 0 {
		return time.Time{}, time.Time{}, false, nil
	}
	return c[0].CreatedAt, c[0].UpdatedAt, true, nil
}

// fillableFields are the contact columns an import may fill and undo may
// clear, by their import_changes name.
func fillableFields() map[string]string {
	return map[string]string{
		"given_name": "given_name", "family_name": "family_name", "nickname": "nickname",
		"organization": "organization", "title": "title", "vcard_uid": "vcard_uid",
	}
}

// ClearFieldIf empties a contact's field when it still holds value; it
// reports whether it did.
func (s *Store) ClearFieldIf(ctx context.Context, contactID int64, field, value string) (bool, error) {
	col, ok := fillableFields()[field]
	if !ok {
		return false, fmt.Errorf("field %q cannot be cleared", field)
	}
	res := s.with(ctx).Exec("UPDATE contacts SET "+col+" = '', version = version + 1 WHERE id = ? AND "+col+" = ?", contactID, value)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected > 0, reindex(s.with(ctx), contactID)
}

// ClearPhotoIf removes a contact's photo when it is still the one imported.
func (s *Store) ClearPhotoIf(ctx context.Context, contactID int64, photoLen int) (bool, error) {
	res := s.with(ctx).Exec("UPDATE contacts SET photo = NULL, thumbnail = NULL, version = version + 1 WHERE id = ? AND length(photo) = ?", contactID, photoLen)
	return res.RowsAffected > 0, res.Error
}

// DeleteAddedRow removes a row an import added to contactID (a phone,
// detail…), if it is still there and still that contact's: row IDs can be
// used again after a delete.
func (s *Store) DeleteAddedRow(ctx context.Context, kind string, rowID, contactID int64) (bool, error) {
	table, ok := map[string]string{
		"phone": "phones", "email": "emails", "address": "addresses", "detail": "details",
		"date": "important_dates", "tag": "tags", "journal": "journal_entries",
	}[kind]
	if !ok {
		return false, fmt.Errorf("unknown kind of row %q", kind)
	}
	var contactIDs []int64
	if err := s.with(ctx).Raw("SELECT contact_id FROM "+table+" WHERE id = ? AND contact_id = ?", rowID, contactID).Scan(&contactIDs).Error; err != nil {
		return false, err
	}
	if len(contactIDs) == 0 {
		return false, nil
	}
	if err := s.with(ctx).Exec("DELETE FROM "+table+" WHERE id = ?", rowID).Error; err != nil {
		return false, err
	}
	return true, reindex(s.with(ctx), contactIDs[0])
}

// ForgetCardHash makes the next import of a contact's card compare it in
// full again (after an undo changed the contact).
func (s *Store) ForgetCardHash(ctx context.Context, id int64) error {
	return s.with(ctx).Exec("UPDATE contacts SET vcard_hash = '' WHERE id = ?", id).Error
}

// MarkBatchUndone records that a batch was undone.
func (s *Store) MarkBatchUndone(ctx context.Context, id int64) error {
	return s.with(ctx).Model(&ImportBatch{}).Where("id = ?", id).Update("undone_at", time.Now().UTC()).Error
}

// ResetChangedAt sets a contact's updated_at back to to, if it is still at:
// undoing an import's change undoes its mark of change too.
func (s *Store) ResetChangedAt(ctx context.Context, id int64, at, to time.Time) error {
	return s.with(ctx).Exec("UPDATE contacts SET updated_at = ? WHERE id = ? AND updated_at = ?", to.UTC(), id, at.UTC()).Error
}

// MatchKeySet is what an import matches cards against, read once: each
// contact's card UID, normalised phones, folded emails and names, and the
// hash of the card each was last imported from. A phone or email may be
// several contacts' (a family's landline, an office's switchboard): each
// lists every contact holding it, lowest id first.
type MatchKeySet struct {
	UIDs   map[string]int64
	Phones map[string][]int64
	Emails map[string][]int64
	Hashes map[string]int64
	Names  map[int64]PersonName
}

// PersonName is what a contact is called, for telling whether a card of the
// same phone or email is the same person.
type PersonName struct {
	Given, Family, Display, Nickname, Organization string
}

// MatchKeys reads every contact's match keys: five queries instead of
// several per card.
func (s *Store) MatchKeys(ctx context.Context) (*MatchKeySet, error) {
	k := &MatchKeySet{UIDs: map[string]int64{}, Phones: map[string][]int64{}, Emails: map[string][]int64{},
		Hashes: map[string]int64{}, Names: map[int64]PersonName{}}
	same := func(s string) string { return s }
	for _, q := range []struct {
		query string
		fn    func(string, int64)
	}{
		{"SELECT vcard_uid, id FROM contacts WHERE vcard_uid <> '' ORDER BY id", firstKey(k.UIDs)},
		{"SELECT normalized, contact_id FROM phones WHERE normalized <> '' ORDER BY contact_id", everyKey(k.Phones, same)},
		// Folded here, not with SQLite's lower(), which knows only ASCII.
		{"SELECT address, contact_id FROM emails ORDER BY contact_id", everyKey(k.Emails, strings.ToLower)},
		{"SELECT vcard_hash, id FROM contacts WHERE vcard_hash <> '' ORDER BY id", firstKey(k.Hashes)},
	} {
		if err := s.eachKey(ctx, q.query, q.fn); err != nil {
			return nil, fmt.Errorf("read match keys: %w", err)
		}
	}
	if err := s.readPersonNames(ctx, k.Names); err != nil {
		return nil, fmt.Errorf("read match keys: %w", err)
	}
	return k, nil
}

// eachKey runs query, which selects a key and a contact ID, and gives fn
// each row.
func (s *Store) eachKey(ctx context.Context, query string, fn func(key string, id int64)) error {
	rows, err := s.with(ctx).Raw(query).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		fn(key, id)
	}
	return rows.Err()
}

// firstKey keeps in m the first contact of each key.
func firstKey(m map[string]int64) func(string, int64) {
	return func(key string, id int64) {
		if _, seen := m[key]; !seen {
			m[key] = id
		}
	}
}

// everyKey keeps in m every contact of each key, folded by fold, once.
func everyKey(m map[string][]int64, fold func(string) string) func(string, int64) {
	return func(key string, id int64) {
		key = fold(key)
		if ids := m[key]; !slices.Contains(ids, id) {
			m[key] = append(ids, id)
		}
	}
}

// readPersonNames reads into names what each contact is called.
func (s *Store) readPersonNames(ctx context.Context, names map[int64]PersonName) error {
	rows, err := s.with(ctx).Raw("SELECT id, given_name, family_name, display_name, nickname, organization FROM contacts").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n PersonName
		if err := rows.Scan(&id, &n.Given, &n.Family, &n.Display, &n.Nickname, &n.Organization); err != nil {
			return err
		}
		names[id] = n
	}
	return rows.Err()
}

// MergeTarget is a contact as an import compares a card with: its fields
// and rows, and whether it has a photo (the photo itself is not read).
type MergeTarget struct {
	Contact
	HasPhoto bool
}

// ContactsForMerge loads what an import compares cards with, for many
// contacts at once: one query per table for a whole chunk of cards rather
// than eight per card. The rows come in the order of their IDs, the order
// the search index is written in. Contacts that do not exist are left out.
// On PostgreSQL the contacts are locked until the transaction ends, as a
// reindex locks them, so that no desk changes them between this read and
// the writes that follow from it.
func (s *Store) ContactsForMerge(ctx context.Context, ids []int64) (map[int64]*MergeTarget, error) {
	out := make(map[int64]*MergeTarget, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.readMergeHeads(ctx, ids, out); err != nil {
		return nil, err
	}
	if err := s.readMergeRows(ctx, ids, out); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeIDsIn is a condition that column is one of ids, and its argument;
// on SQLite one JSON array rather than the dialect's list of placeholders.
func (s *Store) mergeIDsIn(column string, ids []int64) (string, any) {
	if s.d == sqliteDialect {
		// One JSON array, whatever the number: the driver matches each
		// placeholder to its value by a linear search.
		return column + " IN (SELECT value FROM json_each(?))", jsonIDs(ids)
	}
	return s.d.idsIn(column, ids)
}

// readMergeHeads reads into out the contacts' own fields, locked on
// PostgreSQL until the transaction ends.
func (s *Store) readMergeHeads(ctx context.Context, ids []int64, out map[int64]*MergeTarget) error {
	in, arg := s.mergeIDsIn("id", ids)
	lock := ""
	if s.d == postgresDialect {
		lock = " FOR NO KEY UPDATE"
	}
	var heads []struct {
		ID           int64
		GivenName    string
		FamilyName   string
		DisplayName  string
		Nickname     string
		Organization string
		Title        string
		HowWeMet     string
		VCardUID     string `gorm:"column:vcard_uid"`
		VCardExtra   string `gorm:"column:vcard_extra"`
		VCardHash    string `gorm:"column:vcard_hash"`
		UpdatedAt    time.Time
		HasPhoto     bool
	}
	err := s.with(ctx).Raw(`SELECT id, given_name, family_name, display_name, nickname, organization, title, how_we_met,
		vcard_uid, vcard_extra, vcard_hash, updated_at, (photo IS NOT NULL AND length(photo) > 0) AS has_photo
		FROM contacts WHERE `+in+" ORDER BY id"+lock, arg).Scan(&heads).Error
	if err != nil {
		return fmt.Errorf("contacts to merge into: %w", err)
	}
	for _, h := range heads {
		out[h.ID] = &MergeTarget{Contact: Contact{ID: h.ID, GivenName: h.GivenName, FamilyName: h.FamilyName,
			DisplayName: h.DisplayName, Nickname: h.Nickname, Organization: h.Organization, Title: h.Title,
			HowWeMet: h.HowWeMet, VCardUID: h.VCardUID, VCardExtra: h.VCardExtra, VCardHash: h.VCardHash,
			UpdatedAt: h.UpdatedAt}, HasPhoto: h.HasPhoto}
	}
	return nil
}

// readMergeRows reads the rows of the contacts in out, one query per table,
// and attaches each to its contact.
func (s *Store) readMergeRows(ctx context.Context, ids []int64, out map[int64]*MergeTarget) error {
	in, arg := s.mergeIDsIn("contact_id", ids)
	var phones []Phone
	var emails []Email
	var addresses []Address
	var details []Detail
	var dates []ImportantDate
	var tags []Tag
	var journal []JournalEntry
	for _, r := range []struct {
		table, columns string
		into           any
	}{
		{"phones", "id, contact_id, label, number, normalized, position", &phones},
		{"emails", "id, contact_id, label, address, position", &emails},
		{"addresses", "id, contact_id, label, street, city, region, postal_code, country, position", &addresses},
		{"details", "id, contact_id, label, value, pinned, position", &details},
		{"important_dates", "id, contact_id, label, year, month, day", &dates},
		{"tags", "id, contact_id, name", &tags},
		// For the search index too, which holds the journal's words.
		{"journal_entries", "id, contact_id, kind, text, item", &journal},
	} {
		if err := s.with(ctx).Raw("SELECT "+r.columns+" FROM "+r.table+" WHERE "+in+" ORDER BY id", arg).Scan(r.into).Error; err != nil {
			return fmt.Errorf("contacts to merge into: %s: %w", r.table, err)
		}
	}
	attach(out, phones, func(r Phone) int64 { return r.ContactID }, func(c *Contact) *[]Phone { return &c.Phones })
	attach(out, emails, func(r Email) int64 { return r.ContactID }, func(c *Contact) *[]Email { return &c.Emails })
	attach(out, addresses, func(r Address) int64 { return r.ContactID }, func(c *Contact) *[]Address { return &c.Addresses })
	attach(out, details, func(r Detail) int64 { return r.ContactID }, func(c *Contact) *[]Detail { return &c.Details })
	attach(out, dates, func(r ImportantDate) int64 { return r.ContactID }, func(c *Contact) *[]ImportantDate { return &c.Dates })
	attach(out, tags, func(r Tag) int64 { return r.ContactID }, func(c *Contact) *[]Tag { return &c.Tags })
	attach(out, journal, func(r JournalEntry) int64 { return r.ContactID }, func(c *Contact) *[]JournalEntry { return &c.Journal })
	return nil
}

// attach appends each row to the slice of the contact it belongs to in out.
func attach[T any](out map[int64]*MergeTarget, rows []T, owner func(T) int64, slot func(*Contact) *[]T) {
	for _, r := range rows {
		if c := out[owner(r)]; c != nil {
			*slot(&c.Contact) = append(*slot(&c.Contact), r)
		}
	}
}
