-- Step 2 adds what vCard import needs: the card's UID and the properties
-- Rapport does not use (kept for export), normalised phones to match on
-- (read whole into memory by an import, so not indexed: each index cost
-- every import's writes), and import batches with every change they made,
-- so that a batch can be undone.

ALTER TABLE contacts ADD COLUMN vcard_uid TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN vcard_extra TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN vcard_hash TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE phones ADD COLUMN normalized TEXT NOT NULL DEFAULT '';

CREATE TABLE import_batches (
			id INTEGER PRIMARY KEY,
			file TEXT NOT NULL,
			started_at DATETIME NOT NULL,
			finished_at DATETIME,
			created INTEGER NOT NULL DEFAULT 0,
			merged INTEGER NOT NULL DEFAULT 0,
			skipped INTEGER NOT NULL DEFAULT 0,
			problems_file TEXT NOT NULL DEFAULT '',
			undone_at DATETIME);

CREATE TABLE import_changes (
			id INTEGER PRIMARY KEY,
			batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
			contact_id INTEGER NOT NULL,
			kind TEXT NOT NULL,
			row_id INTEGER NOT NULL DEFAULT 0,
			field TEXT NOT NULL DEFAULT '',
			value TEXT NOT NULL DEFAULT '');

CREATE INDEX idx_import_changes_batch ON import_changes (batch_id);
