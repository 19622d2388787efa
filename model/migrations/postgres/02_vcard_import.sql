
ALTER TABLE contacts ADD COLUMN vcard_uid TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN vcard_extra TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN vcard_hash TEXT NOT NULL DEFAULT '';

ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE phones ADD COLUMN normalized TEXT NOT NULL DEFAULT '';

CREATE TABLE import_batches (
			id BIGSERIAL PRIMARY KEY,
			file TEXT NOT NULL,
			started_at TIMESTAMPTZ NOT NULL,
			finished_at TIMESTAMPTZ,
			created INTEGER NOT NULL DEFAULT 0,
			merged INTEGER NOT NULL DEFAULT 0,
			skipped INTEGER NOT NULL DEFAULT 0,
			problems_file TEXT NOT NULL DEFAULT '',
			undone_at TIMESTAMPTZ);

CREATE TABLE import_changes (
			id BIGSERIAL PRIMARY KEY,
			batch_id BIGINT NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
			contact_id BIGINT NOT NULL,
			kind TEXT NOT NULL,
			row_id BIGINT NOT NULL DEFAULT 0,
			field TEXT NOT NULL DEFAULT '',
			value TEXT NOT NULL DEFAULT '');

CREATE INDEX idx_import_changes_batch ON import_changes (batch_id);
