package model

// The PostgreSQL twins of schemaV1..schemaV3, frozen like them. The same
// tables and columns, in PostgreSQL's types: BIGSERIAL ids, BYTEA blobs,
// TIMESTAMPTZ times, BOOLEAN flags. Text that is sorted or compared as a
// range (sort keys, tags, days) is COLLATE "C": byte order, as SQLite
// compares, whatever the database's locale. The search index holds the
// words of the folded text as a tsvector (see tsvectorLiteral).

func pgSchemaV1() []string {
	return []string{
		`CREATE TABLE contacts (
		id BIGSERIAL PRIMARY KEY,
		uid TEXT NOT NULL UNIQUE,
		given_name TEXT NOT NULL DEFAULT '',
		family_name TEXT NOT NULL DEFAULT '',
		display_name TEXT NOT NULL DEFAULT '',
		nickname TEXT NOT NULL DEFAULT '',
		organization TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		stage TEXT NOT NULL DEFAULT 'prospect' CHECK (stage IN ('prospect', 'customer', 'client')),
		referred_by_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
		how_we_met TEXT NOT NULL DEFAULT '',
		photo BYTEA,
		thumbnail BYTEA,
		sort_key TEXT COLLATE "C" NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX idx_contacts_sort ON contacts (sort_key, id)`,
		`CREATE INDEX idx_contacts_referred_by ON contacts (referred_by_id)`,
		`CREATE TABLE phones (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		number TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_phones_contact ON phones (contact_id)`,
		`CREATE TABLE emails (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		address TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_emails_contact ON emails (contact_id)`,
		`CREATE TABLE addresses (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		street TEXT NOT NULL DEFAULT '',
		city TEXT NOT NULL DEFAULT '',
		region TEXT NOT NULL DEFAULT '',
		postal_code TEXT NOT NULL DEFAULT '',
		country TEXT NOT NULL DEFAULT '',
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_addresses_contact ON addresses (contact_id)`,
		`CREATE TABLE details (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		value TEXT NOT NULL DEFAULT '',
		pinned BOOLEAN NOT NULL DEFAULT FALSE,
		position INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX idx_details_contact ON details (contact_id, position)`,
		`CREATE TABLE important_dates (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL,
		year INTEGER,
		month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
		day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31))`,
		`CREATE INDEX idx_important_dates_contact ON important_dates (contact_id)`,
		`CREATE INDEX idx_important_dates_day ON important_dates (month, day)`,
		`CREATE TABLE tags (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		name TEXT COLLATE "C" NOT NULL,
		UNIQUE (contact_id, name))`,
		`CREATE TABLE journal_entries (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		at TIMESTAMPTZ NOT NULL,
		kind TEXT NOT NULL,
		text TEXT NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX idx_journal_contact_at ON journal_entries (contact_id, at)`,
		`CREATE TABLE appointments (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		start TIMESTAMPTZ NOT NULL,
		minutes INTEGER NOT NULL DEFAULT 0,
		purpose TEXT NOT NULL DEFAULT '',
		outcome TEXT NOT NULL DEFAULT '',
		minutes_late INTEGER NOT NULL DEFAULT 0,
		cancelled_at TIMESTAMPTZ,
		rescheduled_to_id BIGINT REFERENCES appointments(id) ON DELETE SET NULL,
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX idx_appointments_contact_start ON appointments (contact_id, start)`,
		`CREATE INDEX idx_appointments_start ON appointments (start)`,
		`CREATE TABLE note_reminders (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		reason TEXT NOT NULL DEFAULT '',
		due TEXT COLLATE "C" NOT NULL,
		status TEXT NOT NULL DEFAULT 'owed',
		written_at TIMESTAMPTZ,
		posted_at TIMESTAMPTZ,
		written_text TEXT NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX idx_note_reminders_contact ON note_reminders (contact_id)`,
		`CREATE INDEX idx_note_reminders_status_due ON note_reminders (status, due)`,
		// The search index: one row per contact, its words as a tsvector
		// written as they are (no parser, no dictionary); a GIN index
		// answers prefix queries ('word':*). fastupdate off: with the
		// pending list every search scanned up to 4 MB of unsorted entries
		// until a vacuum (8 ms against 1.5 ms for "müll" over 50,000
		// contacts), and importing 10,000 cards was no faster with it.
		`CREATE TABLE contact_search (
		contact_id BIGINT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
		words TSVECTOR NOT NULL)`,
		`CREATE INDEX idx_contact_search_words ON contact_search USING GIN (words) WITH (fastupdate = off)`,
	}
}

func pgSchemaV2() []string {
	return []string{
		`ALTER TABLE contacts ADD COLUMN vcard_uid TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE contacts ADD COLUMN vcard_extra TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE contacts ADD COLUMN vcard_hash TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
		`ALTER TABLE phones ADD COLUMN normalized TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE import_batches (
			id BIGSERIAL PRIMARY KEY,
			file TEXT NOT NULL,
			started_at TIMESTAMPTZ NOT NULL,
			finished_at TIMESTAMPTZ,
			created INTEGER NOT NULL DEFAULT 0,
			merged INTEGER NOT NULL DEFAULT 0,
			skipped INTEGER NOT NULL DEFAULT 0,
			problems_file TEXT NOT NULL DEFAULT '',
			undone_at TIMESTAMPTZ)`,
		`CREATE TABLE import_changes (
			id BIGSERIAL PRIMARY KEY,
			batch_id BIGINT NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
			contact_id BIGINT NOT NULL,
			kind TEXT NOT NULL,
			row_id BIGINT NOT NULL DEFAULT 0,
			field TEXT NOT NULL DEFAULT '',
			value TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX idx_import_changes_batch ON import_changes (batch_id)`,
	}
}

func pgSchemaV3() []string {
	return []string{
		`CREATE TABLE contact_reliability (
			contact_id BIGINT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
			day TEXT COLLATE "C" NOT NULL,
			score INTEGER,
			counted INTEGER NOT NULL,
			unreliable BOOLEAN NOT NULL,
			summary TEXT NOT NULL,
			last_incident TIMESTAMPTZ,
			notice_minutes INTEGER NOT NULL DEFAULT 1440,
			valid_until TIMESTAMPTZ,
			scored_at TIMESTAMPTZ)`,
		`CREATE INDEX idx_contact_reliability_day ON contact_reliability (day, unreliable)`,
		`CREATE INDEX idx_journal_kind_at ON journal_entries (kind, at)`,
		`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	}
}

// pgSchemaV4 is schemaV4 on PostgreSQL.
func pgSchemaV4() []string {
	return []string{
		`DROP INDEX idx_journal_kind_at`,
		`CREATE INDEX idx_journal_kind_contact_at ON journal_entries (kind, contact_id, at)`,
		`CREATE INDEX idx_contact_reliability_fresh ON contact_reliability (day, notice_minutes, valid_until)`,
	}
}

// pgSchemaV5 is schemaV5 on PostgreSQL.
func pgSchemaV5() []string {
	return []string{
		`ALTER TABLE contacts ADD COLUMN newsletter_consent BOOLEAN NOT NULL DEFAULT FALSE`,
		`ALTER TABLE contacts ADD COLUMN newsletter_consent_date TEXT NOT NULL DEFAULT ''`,
	}
}

// pgSchemaV6 is schemaV6 on PostgreSQL.
func pgSchemaV6() []string {
	return []string{
		`CREATE TABLE contact_links (
			id BIGSERIAL PRIMARY KEY,
			contact_a BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			contact_b BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL DEFAULT 'household',
			reason TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMPTZ NOT NULL,
			CHECK (contact_a < contact_b),
			UNIQUE (contact_a, contact_b))`,
		`CREATE INDEX idx_contact_links_b ON contact_links (contact_b)`,
	}
}

// pgPhoneSyncSchema is phoneSyncSchema for PostgreSQL.
func pgPhoneSyncSchema() []string {
	return []string{
		`CREATE TABLE dav_links (
			id BIGSERIAL PRIMARY KEY,
			contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX idx_dav_links_contact ON dav_links (contact_id)`,
	}
}

// pgPhoneCalendarSchema is phoneCalendarSchema for PostgreSQL.
func pgPhoneCalendarSchema() []string {
	return []string{
		`CREATE TABLE dav_events (
			id BIGSERIAL PRIMARY KEY,
			appointment_id BIGINT REFERENCES appointments(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at TIMESTAMPTZ NOT NULL,
			phone_deleted_at TIMESTAMPTZ)`,
		`CREATE INDEX idx_dav_events_appointment ON dav_events (appointment_id)`,
	}
}

// pgSchemaV8 is schemaV8 on PostgreSQL.
func pgSchemaV8() []string {
	return []string{
		`CREATE TABLE followup_marks (
			id BIGSERIAL PRIMARY KEY,
			contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			occurrence TEXT NOT NULL,
			snoozed_until TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX idx_followup_marks_contact ON followup_marks (contact_id, kind, occurrence)`,
	}
}

// changeNoticeTables are the tables whose changes the window shows.
func changeNoticeTables() []string {
	return []string{"contacts", "phones", "emails", "addresses", "details", "important_dates",
		"tags", "journal_entries", "appointments", "note_reminders", "contact_links", "settings", "import_batches", "followup_marks"}
}

// pgSchemaV10 is schemaV10 on PostgreSQL, plus a statement-level trigger on
// every table the window shows that notifies "rapport_changes SCHEMA" (each
// schema a database of its own, as the tests use them) once per
// statement (PostgreSQL folds equal notices of one transaction into one, and
// sends them at commit), so that every desk's window shows another's
// changes within a second or two (see DataVersion).
func pgSchemaV10() []string {
	out := []string{
		`CREATE INDEX idx_tags_name ON tags (name, contact_id)`,
		`CREATE INDEX idx_contacts_stage ON contacts (stage)`,
		`CREATE INDEX idx_contacts_display_name ON contacts (display_name)`,
		`CREATE FUNCTION rapport_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			PERFORM pg_notify('` + changeChannel + ` ' || TG_TABLE_SCHEMA, TG_TABLE_NAME);
			RETURN NULL;
		END $$`,
	}
	for _, t := range changeNoticeTables() {
		out = append(out, `CREATE TRIGGER `+t+`_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON `+t+
			` FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change()`)
	}
	return out
}
