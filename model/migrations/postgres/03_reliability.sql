
CREATE TABLE contact_reliability (
			contact_id BIGINT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
			day TEXT COLLATE "C" NOT NULL,
			score INTEGER,
			counted INTEGER NOT NULL,
			unreliable BOOLEAN NOT NULL,
			summary TEXT NOT NULL,
			last_incident TIMESTAMPTZ,
			notice_minutes INTEGER NOT NULL DEFAULT 1440,
			valid_until TIMESTAMPTZ,
			scored_at TIMESTAMPTZ);

CREATE INDEX idx_contact_reliability_day ON contact_reliability (day, unreliable);

CREATE INDEX idx_journal_kind_at ON journal_entries (kind, at);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
