-- Step 8 on PostgreSQL: the same as on SQLite (migrations/sqlite).

CREATE TABLE followup_marks (
			id BIGSERIAL PRIMARY KEY,
			contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			occurrence TEXT NOT NULL,
			snoozed_until TEXT NOT NULL DEFAULT '',
			created_at TIMESTAMPTZ NOT NULL);

CREATE INDEX idx_followup_marks_contact ON followup_marks (contact_id, kind, occurrence);
