-- Step 5 records whether a contact agreed to receive the newsletter, and
-- the day they did: the date is what the owner shows when asked.

ALTER TABLE contacts ADD COLUMN newsletter_consent INTEGER NOT NULL DEFAULT 0;

ALTER TABLE contacts ADD COLUMN newsletter_consent_date TEXT NOT NULL DEFAULT '';
