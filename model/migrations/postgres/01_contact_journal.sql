-- Step 1 on PostgreSQL: the same tables and columns as on SQLite, in
-- PostgreSQL's types: BIGSERIAL ids, BYTEA blobs, TIMESTAMPTZ times, BOOLEAN
-- flags. Text that is sorted or compared as a range (sort keys, tags, days)
-- is COLLATE "C": byte order, as SQLite compares, whatever the database's
-- locale. The search index holds the words of the folded text as a
-- tsvector (see tsvectorLiteral).

CREATE TABLE contacts (
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
		updated_at TIMESTAMPTZ NOT NULL);

CREATE INDEX idx_contacts_sort ON contacts (sort_key, id);

CREATE INDEX idx_contacts_referred_by ON contacts (referred_by_id);

CREATE TABLE phones (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		number TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0);

CREATE INDEX idx_phones_contact ON phones (contact_id);

CREATE TABLE emails (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		address TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0);

CREATE INDEX idx_emails_contact ON emails (contact_id);

CREATE TABLE addresses (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		street TEXT NOT NULL DEFAULT '',
		city TEXT NOT NULL DEFAULT '',
		region TEXT NOT NULL DEFAULT '',
		postal_code TEXT NOT NULL DEFAULT '',
		country TEXT NOT NULL DEFAULT '',
		position INTEGER NOT NULL DEFAULT 0);

CREATE INDEX idx_addresses_contact ON addresses (contact_id);

CREATE TABLE details (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL DEFAULT '',
		value TEXT NOT NULL DEFAULT '',
		pinned BOOLEAN NOT NULL DEFAULT FALSE,
		position INTEGER NOT NULL DEFAULT 0);

CREATE INDEX idx_details_contact ON details (contact_id, position);

CREATE TABLE important_dates (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		label TEXT NOT NULL,
		year INTEGER,
		month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
		day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31));

CREATE INDEX idx_important_dates_contact ON important_dates (contact_id);

CREATE INDEX idx_important_dates_day ON important_dates (month, day);

CREATE TABLE tags (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		name TEXT COLLATE "C" NOT NULL,
		UNIQUE (contact_id, name));

CREATE TABLE journal_entries (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		at TIMESTAMPTZ NOT NULL,
		kind TEXT NOT NULL,
		text TEXT NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL);

CREATE INDEX idx_journal_contact_at ON journal_entries (contact_id, at);

CREATE TABLE appointments (
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
		updated_at TIMESTAMPTZ NOT NULL);

CREATE INDEX idx_appointments_contact_start ON appointments (contact_id, start);

CREATE INDEX idx_appointments_start ON appointments (start);

CREATE TABLE note_reminders (
		id BIGSERIAL PRIMARY KEY,
		contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
		reason TEXT NOT NULL DEFAULT '',
		due TEXT COLLATE "C" NOT NULL,
		status TEXT NOT NULL DEFAULT 'owed',
		written_at TIMESTAMPTZ,
		posted_at TIMESTAMPTZ,
		written_text TEXT NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL);

CREATE INDEX idx_note_reminders_contact ON note_reminders (contact_id);

CREATE INDEX idx_note_reminders_status_due ON note_reminders (status, due);

CREATE TABLE contact_search (
		contact_id BIGINT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
		words TSVECTOR NOT NULL);

CREATE INDEX idx_contact_search_words ON contact_search USING GIN (words) WITH (fastupdate = off);
