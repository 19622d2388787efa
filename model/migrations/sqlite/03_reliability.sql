-- Step 3 keeps each contact's reliability as of a day, so that the list
-- can tell every unreliable contact without reading everyone's appointments:
-- a contact's row is written again when its appointments change, and all
-- rows of an earlier day are brought up to date once a day.

CREATE TABLE contact_reliability (
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
			scored_at DATETIME);

CREATE INDEX idx_contact_reliability_day ON contact_reliability (day, unreliable);

CREATE INDEX idx_journal_kind_at ON journal_entries (kind, at);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
