-- Step 4 on PostgreSQL: the same as on SQLite (migrations/sqlite).

DROP INDEX idx_journal_kind_at;

CREATE INDEX idx_journal_kind_contact_at ON journal_entries (kind, contact_id, at);

CREATE INDEX idx_contact_reliability_fresh ON contact_reliability (day, notice_minutes, valid_until);
