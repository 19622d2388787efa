package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"
)

// ErrNewerSchema means the database was written by a newer Rapport; opening it
// with this one could lose what the newer one stored.
var ErrNewerSchema = errors.New("the database was written by a newer version of Rapport")

// migration is one forward-only schema step. Steps are frozen once released:
// a change to the schema is a new step, never an edit of an old one. Each
// step is written twice, for SQLite (up) and PostgreSQL (pgUp), to the same
// tables and columns, so that a version number means one schema on both.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
	pgUp    func(tx *gorm.DB) error
}

// schemaMigrations lists every schema step in order.
func schemaMigrations() []migration {
	return []migration{
		{version: 1, name: "contact journal", up: execAll(schemaV1()), pgUp: execAll(pgSchemaV1())},
		{version: 2, name: "vcard import", up: execAll(schemaV2()), pgUp: execAll(pgSchemaV2())},
		{version: 3, name: "reliability", up: execAll(schemaV3()), pgUp: execAll(pgSchemaV3())},
		{version: 4, name: "journal by kind and contact", up: execAll(schemaV4()), pgUp: execAll(pgSchemaV4())},
		{version: 5, name: "newsletter consent", up: execAll(schemaV5()), pgUp: execAll(pgSchemaV5())},
		{version: 6, name: "household links", up: execAll(schemaV6()), pgUp: execAll(pgSchemaV6())},
		{version: 7, name: "phone sync", up: execAll(phoneSyncSchema()), pgUp: execAll(pgPhoneSyncSchema())},
		{version: 8, name: "follow-ups done and snoozed", up: execAll(schemaV8()), pgUp: execAll(pgSchemaV8())},
		{version: 9, name: "appointments to record", up: execAll(schemaAppointmentsToRecord()), pgUp: execAll(schemaAppointmentsToRecord())},
		{version: 10, name: "list filters and change notices", up: execAll(schemaV10()), pgUp: execAll(pgSchemaV10())},
		{version: 11, name: "phone deletions asked about", up: execAll(phoneDeletionsSchema("DATETIME")),
			pgUp: execAll(phoneDeletionsSchema("TIMESTAMPTZ"))},
		{version: 12, name: "phone calendar sync", up: execAll(phoneCalendarSchema()), pgUp: execAll(pgPhoneCalendarSchema())},
		{version: 13, name: "purchase amounts", up: execAll(purchaseSchema()), pgUp: execAll(purchaseSchema())},
		{version: 14, name: "appointment reminders", up: execAll(remindedSchema("DATETIME")),
			pgUp: execAll(remindedSchema("TIMESTAMPTZ"))},
	}
}

// SchemaVersion is the schema version this build of Rapport writes.
func SchemaVersion() int {
	steps := schemaMigrations()
	return steps[len(steps)-1].version
}

// migrate brings the database up to the last of steps. A file that already
// holds a schema is copied into backups/ first; each step runs in its own
// transaction together with the record of its version. PostgreSQL: see
// migratePostgres.
func migrate(ctx context.Context, s *Store, steps []migration) error {
	if s.d == postgresDialect {
		return migratePostgres(ctx, s, steps)
	}
	db := s.with(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at DATETIME NOT NULL)`).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	latest := steps[len(steps)-1].version
	if current > latest {
		return fmt.Errorf("schema version %d, this program knows up to %d: %w", current, latest, ErrNewerSchema)
	}
	if current == latest {
		return nil
	}
	if current > 0 {
		if _, err := s.Backup(ctx, fmt.Sprintf("before-v%d", latest)); err != nil {
			return fmt.Errorf("migrate: backup first: %w", err)
		}
	}
	for _, step := range steps {
		if step.version <= current {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			// Another process may have run the step while this one
			// waited for the write lock.
			var done int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", step.version).Scan(&done).Error; err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if err := step.up(tx); err != nil {
				return err
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				step.version, step.name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to v%d (%s): %w", step.version, step.name, err)
		}
	}
	return nil
}

// schemaVersion is the highest schema step applied to the file, 0 for new.
func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.with(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func execAll(statements []string) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		for _, stmt := range statements {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return nil
	}
}

// schemaV1 is the first schema. Written out rather than derived from the Go
// structs so that later changes to the structs cannot change what version 1
// means on a user's file.
func schemaV1() []string {
	return []string{
		`CREATE TABLE contacts (
		id INTEGER PRIMARY KEY,
		uid TEXT NOT NULL UNIQUE,
		given_name TEXT NOT NULL DEFAULT '',
		family_name TEXT NOT NULL DEFAULT '',
		display_name TEXT NOT NULL DEFAULT '',
		nickname TEXT NOT NULL DEFAULT '',
		organization TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		stage TEXT NOT NULL DEFAULT 'prospect' CHECK (stage IN ('prospect', 'customer', 'client')),
		referred_by_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
		how_we_met TEXT NOT NULL DEFAULT '',
		photo BLOB,
		thumbnail BLOB,
		sort_key TEXT NOT NULL DEFAULT '',
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL)`,
		`CREATE INDEX idx_contacts_sort ON contacts (sort_key, id)`,
		`CREATE INDEX idx_contacts_referred_by ON contacts (referred_by_id)`,
		`CREATE TABLE phones (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		number TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_phones_contact ON phones (contact_id)`,
		`CREATE TABLE emails (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		address TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_emails_contact ON emails (contact_id)`,
		`CREATE TABLE addresses (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		street TEXT NOT NULL DEFAULT '',
		city TEXT NOT NULL DEFAULT '',
		region TEXT NOT NULL DEFAULT '',
		postal_code TEXT NOT NULL DEFAULT '',
		country TEXT NOT NULL DEFAULT '',
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_addresses_contact ON addresses (contact_id)`,
		`CREATE TABLE details (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		value TEXT NOT NULL DEFAULT '',
		pinned INTEGER NOT NULL DEFAULT 0,
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_details_contact ON details (contact_id, position)`,
		`CREATE TABLE important_dates (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL,
		year INTEGER,
		month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
		day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31))`,
		`CREATE INDEX idx_important_dates_contact ON important_dates (contact_id)`,
		`CREATE INDEX idx_important_dates_day ON important_dates (month, day)`,
		`CREATE TABLE tags (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		UNIQUE (contact_id, name))`,
		`CREATE TABLE journal_entries (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		at DATETIME NOT NULL,
		kind TEXT NOT NULL,
		text TEXT NOT NULL DEFAULT '',
		created_at DATETIME NOT NULL)`,
		`CREATE INDEX idx_journal_contact_at ON journal_entries (contact_id, at)`,
		`CREATE TABLE appointments (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		start DATETIME NOT NULL,
		minutes INTEGER NOT NULL DEFAULT 0,
		purpose TEXT NOT NULL DEFAULT '',
		outcome TEXT NOT NULL DEFAULT '',
		minutes_late INTEGER NOT NULL DEFAULT 0,
		cancelled_at DATETIME,
		rescheduled_to_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL)`,
		`CREATE INDEX idx_appointments_contact_start ON appointments (contact_id, start)`,
		`CREATE INDEX idx_appointments_start ON appointments (start)`,
		`CREATE TABLE note_reminders (
		id INTEGER PRIMARY KEY,
		contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		reason TEXT NOT NULL DEFAULT '',
		due TEXT NOT NULL,
		status TEXT NOT NULL DEFAULT 'owed',
		written_at DATETIME,
		posted_at DATETIME,
		written_text TEXT NOT NULL DEFAULT '',
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL)`,
		`CREATE INDEX idx_note_reminders_contact ON note_reminders (contact_id)`,
		`CREATE INDEX idx_note_reminders_status_due ON note_reminders (status, due)`,
		// The search index: one row per contact, rowid = contacts.id, body = the
		// folded text of names, details and journal (see Fold).
		`CREATE VIRTUAL TABLE contact_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')`,
	}
}

// schemaV2 adds what vCard import needs: the card's UID and the properties
// Rapport does not use (kept for export), normalised phones to match on
// (read whole into memory by an import, so not indexed: each index cost
// every import's writes), and import batches with every change they made,
// so that a batch can be undone.
func schemaV2() []string {
	return []string{
		`ALTER TABLE contacts ADD COLUMN vcard_uid TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE contacts ADD COLUMN vcard_extra TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE contacts ADD COLUMN vcard_hash TEXT NOT NULL DEFAULT ''`,
		// Counts saves of the contact's own fields, so that saving a copy read
		// before someone else's save is refused rather than undoing it.
		`ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
		`ALTER TABLE phones ADD COLUMN normalized TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE import_batches (
			id INTEGER PRIMARY KEY,
			file TEXT NOT NULL,
			started_at DATETIME NOT NULL,
			finished_at DATETIME,
			created INTEGER NOT NULL DEFAULT 0,
			merged INTEGER NOT NULL DEFAULT 0,
			skipped INTEGER NOT NULL DEFAULT 0,
			problems_file TEXT NOT NULL DEFAULT '',
			undone_at DATETIME)`,
		`CREATE TABLE import_changes (
			id INTEGER PRIMARY KEY,
			batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
			contact_id INTEGER NOT NULL,
			kind TEXT NOT NULL,
			row_id INTEGER NOT NULL DEFAULT 0,
			field TEXT NOT NULL DEFAULT '',
			value TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX idx_import_changes_batch ON import_changes (batch_id)`,
	}
}

// schemaV3 keeps each contact's reliability as of a day, so that the list
// can tell every unreliable contact without reading everyone's appointments:
// a contact's row is written again when its appointments change, and all
// rows of an earlier day are brought up to date once a day.
func schemaV3() []string {
	return []string{
		`CREATE TABLE contact_reliability (
			contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
			day TEXT NOT NULL,
			score INTEGER,
			counted INTEGER NOT NULL,
			unreliable INTEGER NOT NULL,
			summary TEXT NOT NULL,
			last_incident DATETIME,
			-- the rule it was scored under, and until when it holds: an
			-- appointment with a recorded outcome that starts later today
			-- changes the score once it has started.
			notice_minutes INTEGER NOT NULL DEFAULT 1440,
			valid_until DATETIME,
			scored_at DATETIME)`,
		`CREATE INDEX idx_contact_reliability_day ON contact_reliability (day, unreliable)`,
		// Purchases of the last year, for client candidates.
		`CREATE INDEX idx_journal_kind_at ON journal_entries (kind, at)`,
		// The owner's settings that the command line and every desk share.
		`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	}
}

// schemaV4 indexes the journal by kind, then contact, then time, in place
// of (kind, at): "a feedback entry for this contact since that incident" is
// one seek instead of reading each of the contact's entries, and "purchases
// since a day" reads the index alone, without visiting the entries. The
// kept scores get an index by freshness, so that "is every score fresh?"
// is counted from it (BenchmarkFollowups50k).
func schemaV4() []string {
	return []string{
		`DROP INDEX idx_journal_kind_at`,
		`CREATE INDEX idx_journal_kind_contact_at ON journal_entries (kind, contact_id, at)`,
		`CREATE INDEX idx_contact_reliability_fresh ON contact_reliability (day, notice_minutes, valid_until)`,
	}
}

// schemaV5 records whether a contact agreed to receive the newsletter, and
// the day they did: the date is what the owner shows when asked.
func schemaV5() []string {
	return []string{
		`ALTER TABLE contacts ADD COLUMN newsletter_consent INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE contacts ADD COLUMN newsletter_consent_date TEXT NOT NULL DEFAULT ''`,
	}
}

// schemaV6 links two contacts who belong together, such as a couple sharing
// a home landline: an import adds a card whose phone or email another
// contact of another name has as a contact of its own, linked to that one,
// rather than merging two people into one. One row per pair, the lower id
// first; a link goes with either contact.
func schemaV6() []string {
	return []string{
		`CREATE TABLE contact_links (
			id INTEGER PRIMARY KEY,
			contact_a INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			contact_b INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL DEFAULT 'household',
			reason TEXT NOT NULL DEFAULT '',
			created_at DATETIME NOT NULL,
			CHECK (contact_a < contact_b),
			UNIQUE (contact_a, contact_b))`,
		`CREATE INDEX idx_contact_links_b ON contact_links (contact_b)`,
	}
}

// phoneSyncSchema keeps, for each card on the phone's CardDAV server, the
// contact it is and the version both sides had at the last sync: the ETag
// the server gave and a hash of the card Rapport wrote or read, so that a
// change on either side, or both, is seen. A contact deleted here leaves
// its link with no contact: the sync then asks whether to delete the card
// on the phone too, rather than bring the person back.
func phoneSyncSchema() []string {
	return []string{
		`CREATE TABLE dav_links (
			id INTEGER PRIMARY KEY,
			contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at DATETIME NOT NULL)`,
		`CREATE INDEX idx_dav_links_contact ON dav_links (contact_id)`,
	}
}

// phoneDeletionsSchema remembers that the phone deleted a linked card, from
// the sync that saw it until the owner settles it: a sync-collection
// answer names a deletion once, and the next sync must still ask. The same
// column on both databases, of the time type given.
func phoneDeletionsSchema(timeType string) []string {
	return []string{`ALTER TABLE dav_links ADD COLUMN phone_deleted_at ` + timeType}
}

// remindedSchema records when the owner reminded the person of an
// appointment (null: not reminded), so that Today stops asking and the
// reliability breakdown can compare reminded appointments with the others.
// The same column on both databases, of the time type given.
func remindedSchema(timeType string) []string {
	return []string{`ALTER TABLE appointments ADD COLUMN reminded_at ` + timeType}
}

// phoneCalendarSchema keeps, for each event Rapport put on the phone's
// CalDAV calendar, the appointment it is and the version both sides had at
// the last sync (the server's ETag, a hash of the event Rapport wrote or
// read), as dav_links does for cards. An appointment deleted here leaves
// its link with no appointment, and the phone's deletion is kept in
// phone_deleted_at until the owner settles it: either is asked about, never
// applied on the other side unasked.
func phoneCalendarSchema() []string {
	return []string{
		`CREATE TABLE dav_events (
			id INTEGER PRIMARY KEY,
			appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at DATETIME NOT NULL,
			phone_deleted_at DATETIME)`,
		`CREATE INDEX idx_dav_events_appointment ON dav_events (appointment_id)`,
	}
}

// purchaseSchema lets a purchase entry say what was bought and for how
// much: the amount in minor units (cents, never a float) with the currency
// it was paid in, NULL when not told. The same statements on both
// databases. Purchases are read by the (kind, contact_id, at) index.
func purchaseSchema() []string {
	return []string{
		`ALTER TABLE journal_entries ADD COLUMN item TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE journal_entries ADD COLUMN amount BIGINT CHECK (amount IS NULL OR amount BETWEEN 0 AND 1000000000000)`,
		`ALTER TABLE journal_entries ADD COLUMN currency TEXT NOT NULL DEFAULT ''`,
	}
}

// schemaV8 keeps what the owner did with a row of Today: Done hides one
// occurrence (a kind, a contact and the occurrence's key, such as the
// birthday's day this year) for good; Snooze hides it until a day.
func schemaV8() []string {
	return []string{
		`CREATE TABLE followup_marks (
			id INTEGER PRIMARY KEY,
			contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			occurrence TEXT NOT NULL,
			snoozed_until TEXT NOT NULL DEFAULT '',
			created_at DATETIME NOT NULL)`,
		`CREATE INDEX idx_followup_marks_contact ON followup_marks (contact_id, kind, occurrence)`,
	}
}

// schemaAppointmentsToRecord (step 9) indexes the appointments whose
// outcome was never recorded by start (the week view's "Needs an outcome"
// read every appointment of 60 days otherwise: 400 ms among a million), and
// appointments by the one they were moved to (deleting one unlinks, and its
// undo relinks, those moved to it). The same SQL on both databases.
func schemaAppointmentsToRecord() []string {
	return []string{
		`CREATE INDEX idx_appointments_unrecorded ON appointments (start) WHERE outcome = ''`,
		`CREATE INDEX idx_appointments_rescheduled_to ON appointments (rescheduled_to_id)`,
	}
}

// schemaV10 indexes what the window's list filters and tells apart by:
// contacts with a tag, contacts of a stage, and contacts sharing a name.
// (PostgreSQL also gets triggers that tell listening windows of changes;
// SQLite's PRAGMA data_version needs none.)
func schemaV10() []string {
	return []string{
		`CREATE INDEX idx_tags_name ON tags (name, contact_id)`,
		`CREATE INDEX idx_contacts_stage ON contacts (stage)`,
		`CREATE INDEX idx_contacts_display_name ON contacts (display_name)`,
	}
}

// CreateAtVersion makes a new database file at path with the schema as
// version left it, as an older Rapport wrote it: for tests of upgrades and
// of restoring old backups.
func CreateAtVersion(ctx context.Context, path string, version int) error {
	steps := schemaMigrations()
	if version < 1 || version > len(steps) {
		return fmt.Errorf("create at version %d: no such version", version)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("create at version %d: %s exists", version, path)
	}
	if err := createPrivate(path); err != nil {
		return err
	}
	db, err := gormOpen(path)
	if err != nil {
		return err
	}
	s := &Store{db: db, path: path}
	defer s.Close()
	return migrate(ctx, s, steps[:version])
}
