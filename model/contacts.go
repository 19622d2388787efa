package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// BeforeSave keeps the derived columns right whoever saves a contact.
func (c *Contact) BeforeSave(*gorm.DB) error {
	if c.UID == "" {
		// Time-ordered, so that the unique index on uid grows at its end
		// rather than splitting pages all over (an import's contacts went
		// in a tenth faster).
		uid, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("new contact: %w", err)
		}
		c.UID = uid.String()
	}
	if c.Stage == "" {
		c.Stage = StageProspect
	}
	if !c.Stage.Valid() {
		return fmt.Errorf("unknown stage %q", c.Stage)
	}
	c.SortKey = Fold(strings.TrimSpace(c.DisplayName))
	return nil
}

// BeforeSave stores times in UTC so that they sort as text in SQLite.
func (e *JournalEntry) BeforeSave(*gorm.DB) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	// Whole seconds: what a backup keeps, so a restore finds the same entry.
	e.At = e.At.UTC().Truncate(time.Second)
	if e.Kind == "" {
		e.Kind = KindNote
	}
	if !e.Kind.Valid() {
		return fmt.Errorf("unknown journal entry kind %q", e.Kind)
	}
	return nil
}

// BeforeSave stores times in UTC so that they sort as text in SQLite.
func (a *Appointment) BeforeSave(*gorm.DB) error {
	a.Start = a.Start.UTC().Truncate(time.Second)
	a.CancelledAt = utcPtr(a.CancelledAt)
	a.RemindedAt = utcPtr(a.RemindedAt)
	return nil
}

// BeforeSave stores times in UTC so that they sort as text in SQLite.
func (n *NoteReminder) BeforeSave(*gorm.DB) error {
	if n.Status == "" {
		n.Status = "owed"
	}
	n.WrittenAt = utcPtr(n.WrittenAt)
	n.PostedAt = utcPtr(n.PostedAt)
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateContact inserts c with everything it holds (phones, details,
// journal…) in one transaction and sets its ID; the IDs of the rows it holds
// are not read back.
func (s *Store) CreateContact(ctx context.Context, c *Contact) error {
	if err := s.CreateContacts(ctx, []*Contact{c}); err != nil {
		return fmt.Errorf("create contact %q: %w", c.DisplayName, err)
	}
	return nil
}

// CreateContacts inserts many contacts in one transaction: all or none.
// The contacts' own IDs are set; their phones', details'… are not read back.
func (s *Store) CreateContacts(ctx context.Context, cs []*Contact) error {
	err := s.InTx(ctx, func(tx *Store) error {
		bulk, err := tx.NewBulkInsert(ctx)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if _, err := bulk.Add(c); err != nil {
				return fmt.Errorf("contact %q: %w", c.DisplayName, err)
			}
		}
		return bulk.Flush()
	})
	if err != nil {
		return fmt.Errorf("create %d contacts: %w", len(cs), err)
	}
	return nil
}

// Additions are new rows to add to a contact alongside an update. Create
// fills in their IDs.
type Additions struct {
	Phones       []Phone
	Emails       []Email
	Addresses    []Address
	Tags         []Tag
	Details      []Detail
	Dates        []ImportantDate
	Journal      []JournalEntry
	Appointments []Appointment
	NotesOwed    []NoteReminder
}

// UpdateContact saves c's own fields and replaces its phones, emails,
// addresses and tags with those in c; details, dates, the journal,
// appointments and notes are left as they are, and the rows in add are
// added, all in one transaction.
func (s *Store) UpdateContact(ctx context.Context, c *Contact, add Additions) error {
	positions(c)
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		var stored []Contact
		// A row lock (PostgreSQL; SQLite's write lock already is one): a
		// second desk saving the same contact waits here, then sees the
		// version this save writes. NO KEY UPDATE, the lock an UPDATE takes:
		// FOR UPDATE would also wait for desks adding a journal entry to
		// the contact (their foreign key check holds KEY SHARE), which then
		// wait for this save: a deadlock.
		if err := tx.Clauses(clause.Locking{Strength: "NO KEY UPDATE"}).Select("id, version").Where("id = ?", c.ID).
			Limit(1).Find(&stored).Error; err != nil {
			return err
		}
		if len(stored) == 0 {
			return ErrNotFound
		}
		// The whole row is written back: refuse if its fields were saved
		// since c was read (an import, another window or desk), or that
		// save would be undone. A new journal entry or detail does not
		// count: those rows are not written here.
		if c.Version != 0 && stored[0].Version != c.Version {
			return ErrChanged
		}
		c.Version = stored[0].Version + 1
		if err := tx.Omit(clause.Associations).Save(c).Error; err != nil {
			return err
		}
		if err := replaceChildren(tx, c.ID, c.Phones); err != nil {
			return err
		}
		if err := replaceChildren(tx, c.ID, c.Emails); err != nil {
			return err
		}
		if err := replaceChildren(tx, c.ID, c.Addresses); err != nil {
			return err
		}
		if err := replaceChildren(tx, c.ID, c.Tags); err != nil {
			return err
		}
		if err := addAll(tx, c.ID, &add); err != nil {
			return err
		}
		return reindex(tx, c.ID)
	})
	if err != nil {
		return fmt.Errorf("update contact %d: %w", c.ID, err)
	}
	return nil
}

// Empty reports whether there is nothing to add.
func (a *Additions) Empty() bool {
	return len(a.Phones)+len(a.Emails)+len(a.Addresses)+len(a.Tags)+len(a.Details)+
		len(a.Dates)+len(a.Journal)+len(a.Appointments)+len(a.NotesOwed) == 0
}

// addAll inserts every row of add for contactID.
func addAll(tx *gorm.DB, contactID int64, add *Additions) error {
	for _, err := range []error{
		addChildren(tx, contactID, add.Phones),
		addChildren(tx, contactID, add.Emails),
		addChildren(tx, contactID, add.Addresses),
		addChildren(tx, contactID, add.Tags),
		addChildren(tx, contactID, add.Details),
		addChildren(tx, contactID, add.Dates),
		addChildren(tx, contactID, add.Journal),
		addChildren(tx, contactID, add.Appointments),
		addChildren(tx, contactID, add.NotesOwed),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// Fill is what an import fills into a contact's empty fields.
type Fill struct {
	Fields    map[string]string // column → value, see fillableFields
	Photo     []byte
	Thumbnail []byte
	Extra     string // vCard lines to add to those kept
	Hash      string // of the card filled from
}

// AddToContact fills a contact's empty fields and adds rows, leaving every
// row it has untouched (their IDs too, which undo of earlier imports needs).
// The contact's updated_at becomes at.
func (s *Store) AddToContact(ctx context.Context, id int64, at time.Time, fill Fill, add *Additions) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		updates := map[string]any{"updated_at": at.UTC(), "version": gorm.Expr("version + 1")}
		for field, value := range fill.Fields {
			col, ok := fillableFields()[field]
			if !ok {
				return fmt.Errorf("field %q cannot be filled", field)
			}
			updates[col] = value
		}
		if len(fill.Photo) > 0 {
			updates["photo"], updates["thumbnail"] = fill.Photo, fill.Thumbnail
		}
		if fill.Hash != "" {
			updates["vcard_hash"] = fill.Hash
		}
		if fill.Extra != "" {
			updates["vcard_extra"] = gorm.Expr("CASE WHEN vcard_extra = '' THEN ? ELSE vcard_extra || ? END", fill.Extra, "\r\n"+fill.Extra)
		}
		if err := tx.Model(&Contact{}).Where("id = ?", id).UpdateColumns(updates).Error; err != nil {
			return err
		}
		if err := addAll(tx, id, add); err != nil {
			return err
		}
		return reindex(tx, id)
	})
	if err != nil {
		return fmt.Errorf("add to contact %d: %w", id, err)
	}
	return nil
}

// addChildren inserts new rows owned by contactID.
func addChildren[T owned | Phone | Email | Address | Tag](tx *gorm.DB, contactID int64, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		setOwner(&rows[i], contactID)
	}
	return tx.Create(&rows).Error
}

// replaceChildren deletes a contact's rows of one kind and inserts rows anew.
func replaceChildren[T Phone | Email | Address | Tag](tx *gorm.DB, contactID int64, rows []T) error {
	if err := tx.Where("contact_id = ?", contactID).Delete(new(T)).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		setOwner(&rows[i], contactID)
	}
	return tx.Create(&rows).Error
}

// setOwner gives a child row to contactID as a new row.
func setOwner(row any, contactID int64) {
	switch r := row.(type) {
	case *Phone:
		r.ID, r.ContactID = 0, contactID
	case *Email:
		r.ID, r.ContactID = 0, contactID
	case *Address:
		r.ID, r.ContactID = 0, contactID
	case *Tag:
		r.ID, r.ContactID = 0, contactID
	case *Detail:
		r.ID, r.ContactID = 0, contactID
	case *ImportantDate:
		r.ID, r.ContactID = 0, contactID
	case *JournalEntry:
		r.ID, r.ContactID = 0, contactID
	case *Appointment:
		r.ID, r.ContactID = 0, contactID
	case *NoteReminder:
		r.ID, r.ContactID = 0, contactID
	}
}

// positions numbers ordered children in the order they are held.
func positions(c *Contact) {
	for i := range c.Phones {
		c.Phones[i].Position = i
	}
	for i := range c.Emails {
		c.Emails[i].Position = i
	}
	for i := range c.Addresses {
		c.Addresses[i].Position = i
	}
	for i := range c.Details {
		c.Details[i].Position = i
	}
}

// DeleteContact removes a contact and everything about it.
func (s *Store) DeleteContact(ctx context.Context, id int64) error {
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM contact_search WHERE "+searchKey(dialectOf(tx))+" = ?", id).Error; err != nil {
			return err
		}
		res := tx.Delete(&Contact{}, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete contact %d: %w", id, err)
	}
	return nil
}

// Contact loads one contact with everything it holds: phones, emails,
// addresses and details in their order, dates, tags, the journal newest
// first, appointments and note reminders.
func (s *Store) Contact(ctx context.Context, id int64) (*Contact, error) {
	var c Contact
	err := preloadAll(s.with(ctx)).First(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("contact %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("contact %d: %w", id, err)
	}
	return &c, nil
}

func preloadAll(db *gorm.DB) *gorm.DB {
	byPosition := func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }
	return db.
		Preload("Phones", byPosition).
		Preload("Emails", byPosition).
		Preload("Addresses", byPosition).
		Preload("Details", byPosition).
		Preload("Dates", func(db *gorm.DB) *gorm.DB { return db.Order("month, day, id") }).
		Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Preload("Journal", func(db *gorm.DB) *gorm.DB { return db.Order("at DESC, id DESC") }).
		Preload("Appointments", func(db *gorm.DB) *gorm.DB { return db.Order("start, id") }).
		Preload("NotesOwed", func(db *gorm.DB) *gorm.DB { return db.Order("due, id") })
}

// ContactIDByUID finds a contact by its stable backup ID.
func (s *Store) ContactIDByUID(ctx context.Context, uid string) (int64, error) {
	var ids []int64
	if err := s.with(ctx).Model(&Contact{}).Where("uid = ?", uid).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("contact %s: %w", uid, err)
	}
	if len(ids) == 0 {
		return 0, fmt.Errorf("contact %s: %w", uid, ErrNotFound)
	}
	return ids[0], nil
}

// UIDs maps every contact's ID to its stable backup ID.
func (s *Store) UIDs(ctx context.Context) (map[int64]string, error) {
	var rows []ContactRow
	if err := s.with(ctx).Model(&Contact{}).Select("id, uid").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("contact ids: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.UID
	}
	return out, nil
}

// Contacts loads the contacts with the given IDs, fully, in the order given;
// IDs that no longer exist are left out.
func (s *Store) Contacts(ctx context.Context, ids []int64) ([]Contact, error) {
	var found []Contact
	if err := preloadAll(s.with(ctx)).Where("id IN ?", ids).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	byID := make(map[int64]*Contact, len(found))
	for i := range found {
		byID[found[i].ID] = &found[i]
	}
	out := make([]Contact, 0, len(found))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, *c)
		}
	}
	return out, nil
}

// SetThumbnail stores a photo's thumbnail, made when first needed.
func (s *Store) SetThumbnail(ctx context.Context, id int64, thumb []byte) error {
	err := s.with(ctx).Model(&Contact{}).Where("id = ?", id).UpdateColumn("thumbnail", thumb).Error
	if err != nil {
		return fmt.Errorf("set thumbnail of contact %d: %w", id, err)
	}
	return nil
}

// SetReferrer records who referred a contact (nil for nobody).
func (s *Store) SetReferrer(ctx context.Context, id int64, referrer *int64) error {
	if referrer != nil && *referrer == id {
		return fmt.Errorf("contact %d cannot refer itself", id)
	}
	// UpdateColumn: restoring who referred whom is not an edit of the
	// contact and must not move its updated_at.
	err := s.with(ctx).Model(&Contact{}).Where("id = ?", id).UpdateColumn("referred_by_id", referrer).Error
	if err != nil {
		return fmt.Errorf("set referrer of contact %d: %w", id, err)
	}
	return nil
}

// ContactIDRange returns the lowest and highest contact ID and how many
// contacts there are, for splitting work over everyone by ID.
func (s *Store) ContactIDRange(ctx context.Context) (lo, hi, n int64, err error) {
	// Scanned into a struct: GORM's Row() panics on a cancelled context.
	var r struct{ Lo, Hi, N int64 }
	if err := s.with(ctx).Raw("SELECT COALESCE(MIN(id), 0) AS lo, COALESCE(MAX(id), 0) AS hi, COUNT(*) AS n FROM contacts").Scan(&r).Error; err != nil {
		return 0, 0, 0, fmt.Errorf("contact ids: %w", err)
	}
	return r.Lo, r.Hi, r.N, nil
}

// CountContacts counts every contact.
func (s *Store) CountContacts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.with(ctx).Model(&Contact{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

// EachContact calls fn with every contact, fully loaded, in ID order. It reads
// in pages so that memory stays flat however many contacts there are.
func (s *Store) EachContact(ctx context.Context, fn func(*Contact) error) error {
	const page = 200
	var after int64
	for {
		var batch []Contact
		err := preloadAll(s.with(ctx)).Where("id > ?", after).Order("id").Limit(page).Find(&batch).Error
		if err != nil {
			return fmt.Errorf("read contacts: %w", err)
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// ListContacts returns the contacts matching search (see MatchingContactIDs),
// sorted by name; an empty search lists everyone. limit ≤ 0 means no limit.
func (s *Store) ListContacts(ctx context.Context, search string, limit int) ([]ContactRow, error) {
	query := "SELECT id, uid, display_name, organization, stage FROM contacts"
	var args []any
	if match, arg, ok := s.d.searchMatch(search); ok {
		query += " WHERE id IN (" + match + ")"
		args = append(args, arg)
	}
	query += " ORDER BY sort_key, id"
	if limit > 0 {
		query += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := s.scanRows(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list contacts %q: %w", search, err)
	}
	return rows, nil
}

// ContactIDsByName lists every contact's ID in name order. IDs are cheap to
// read (50,000 in about 25 ms here) where the names' text is not (about
// 0.7 µs a string value with this pure-Go SQLite), so a list reads IDs and
// fetches the rows it shows.
func (s *Store) ContactIDsByName(ctx context.Context) ([]int64, error) {
	return s.scanIDs(ctx, "SELECT id FROM contacts ORDER BY sort_key, id")
}

// MatchingContactIDs returns, in no particular order, the contacts in whose
// names, organization, details, tags, emails, phones or journal every word of
// search starts a word; case, accents and letters such as ł, ø, ß are
// folded. ok is false when search holds no word at all.
//
// A single letter matches the start of the name only, as a phone's contact
// list jumps to a letter: as a prefix of any word it matches nearly
// everyone, and reading 50,000 matches from the index took 17 ms, more than
// a frame.
func (s *Store) MatchingContactIDs(ctx context.Context, search string) (ids []int64, ok bool, err error) {
	match, arg, ok := s.d.searchMatch(search)
	if !ok {
		return nil, false, nil
	}
	if terms := searchTerms(search); len(terms) == 1 && utf8.RuneCountInString(terms[0]) == 1 {
		// Byte order on both: sort_key is COLLATE "C" on PostgreSQL.
		ids, err = s.scanIDs(ctx, "SELECT id FROM contacts WHERE sort_key >= ? AND sort_key < ?", terms[0], terms[0]+"\U0010FFFF")
		return ids, true, err
	}
	ids, err = s.scanIDs(ctx, match, arg)
	return ids, true, err
}

// ContactRows reads the list rows of the given contacts, in the order given;
// contacts that no longer exist are left out.
func (s *Store) ContactRows(ctx context.Context, ids []int64) ([]ContactRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, arg := s.d.idsIn("id", ids)
	found, err := s.scanRows(ctx, "SELECT id, uid, display_name, organization, stage FROM contacts WHERE "+in, arg)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]ContactRow, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	out := make([]ContactRow, 0, len(found))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Store) scanIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.with(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read contact ids: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read contact ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read contact ids: %w", err)
	}
	return ids, nil
}

// scanRows reads list rows by hand: GORM's reflection doubles the cost.
func (s *Store) scanRows(ctx context.Context, query string, args ...any) ([]ContactRow, error) {
	rows, err := s.with(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContactRow
	for rows.Next() {
		var r ContactRow
		if err := rows.Scan(&r.ID, &r.UID, &r.DisplayName, &r.Organization, &r.Stage); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// reindex rebuilds one contact's row in the search index from what the
// database holds now. On PostgreSQL the contact's row is locked first (as
// an UPDATE locks it, see UpdateContact), so that two desks changing one
// contact's rows at once index one after the other, the second seeing what
// the first committed.
func reindex(tx *gorm.DB, id int64) error {
	var c Contact
	err := tx.Clauses(clause.Locking{Strength: "NO KEY UPDATE"}).
		Select("id, display_name, given_name, family_name, nickname, organization, title, how_we_met").
		Preload("Details").Preload("Tags").Preload("Emails").Preload("Phones").
		Preload("Journal", func(db *gorm.DB) *gorm.DB { return db.Select("id, contact_id, text, item, outreach_id") }).
		First(&c, id).Error
	if err != nil {
		return fmt.Errorf("reindex contact %d: %w", id, err)
	}
	return writeIndex(tx, &c)
}

// writeIndex replaces c's row in the search index with its text as held in
// memory: what a new contact holds needs no reading back.
func writeIndex(tx *gorm.DB, c *Contact) error {
	conn, ok := tx.Statement.ConnPool.(execer)
	if !ok {
		return fmt.Errorf("reindex contact %d: no connection", c.ID)
	}
	ctx := tx.Statement.Context
	if dialectOf(tx) == postgresDialect {
		_, err := conn.ExecContext(ctx, `INSERT INTO contact_search (contact_id, words) VALUES ($1, CAST($2 AS tsvector))
			ON CONFLICT (contact_id) DO UPDATE SET words = excluded.words`, c.ID, tsvectorLiteral(Fold(searchText(c))))
		if err != nil {
			return fmt.Errorf("reindex contact %d: %w", c.ID, err)
		}
		return nil
	}
	if _, err := conn.ExecContext(ctx, "DELETE FROM contact_search WHERE rowid = ?", c.ID); err != nil {
		return fmt.Errorf("reindex contact %d: %w", c.ID, err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO contact_search (rowid, body) VALUES (?, ?)", c.ID, searchBody(c)); err != nil {
		return fmt.Errorf("reindex contact %d: %w", c.ID, err)
	}
	return nil
}

// searchText is everything a contact is found by.
// searchBody is the text the SQLite search index keeps for c: its folded
// words, each once. Search matches the starts of words, never phrases, so a
// word written twice (the name, in the display, given and family names)
// only made the index larger and its writing slower.
func searchBody(c *Contact) string {
	words := searchTokens(Fold(searchText(c)))
	var seen map[string]bool
	if len(words) > 32 {
		seen = make(map[string]bool, len(words))
	}
	var b strings.Builder
	for i, w := range words {
		switch {
		case seen != nil && seen[w]:
			continue
		case seen != nil:
			seen[w] = true
		case slices.Contains(words[:i], w):
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func searchText(c *Contact) string {
	var b strings.Builder
	for _, part := range []string{c.DisplayName, c.GivenName, c.FamilyName, c.Nickname, c.Organization, c.Title, c.HowWeMet} {
		b.WriteString(part)
		b.WriteByte('\n')
	}
	for _, d := range c.Details {
		b.WriteString(d.Label + " " + d.Value + "\n")
	}
	for _, t := range c.Tags {
		b.WriteString(t.Name + "\n")
	}
	for _, e := range c.Emails {
		b.WriteString(e.Address + "\n")
	}
	for _, p := range c.Phones {
		b.WriteString(p.Number + "\n")
	}
	for _, e := range c.Journal {
		if e.OutreachID != nil {
			// An outreach's line is the same for thousands: found through
			// the outreach, not the search, which would have to rewrite
			// thousands of index rows to record or undo one.
			continue
		}
		b.WriteString(e.Text + "\n")
		if e.Item != "" { // what was bought: "who bought the walnut bowl?"
			b.WriteString(e.Item + "\n")
		}
	}
	return b.String()
}
