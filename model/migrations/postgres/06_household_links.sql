-- Step 6 on PostgreSQL: the same as on SQLite (migrations/sqlite).

CREATE TABLE contact_links (
			id BIGSERIAL PRIMARY KEY,
			contact_a BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			contact_b BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL DEFAULT 'household',
			reason TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMPTZ NOT NULL,
			CHECK (contact_a < contact_b),
			UNIQUE (contact_a, contact_b));

CREATE INDEX idx_contact_links_b ON contact_links (contact_b);
