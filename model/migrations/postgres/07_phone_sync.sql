-- Step 7 on PostgreSQL: the same as on SQLite (migrations/sqlite).

CREATE TABLE dav_links (
			id BIGSERIAL PRIMARY KEY,
			contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at TIMESTAMPTZ NOT NULL);

CREATE INDEX idx_dav_links_contact ON dav_links (contact_id);
