-- Step 5 on PostgreSQL: the same as on SQLite (migrations/sqlite).

ALTER TABLE contacts ADD COLUMN newsletter_consent BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE contacts ADD COLUMN newsletter_consent_date TEXT NOT NULL DEFAULT '';
