-- Step 12 on PostgreSQL: the same as on SQLite (migrations/sqlite).

CREATE TABLE dav_events (
			id BIGSERIAL PRIMARY KEY,
			appointment_id BIGINT REFERENCES appointments(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at TIMESTAMPTZ NOT NULL,
			phone_deleted_at TIMESTAMPTZ);

CREATE INDEX idx_dav_events_appointment ON dav_events (appointment_id);
