-- Step 8 keeps what the owner did with a row of Today: Done hides one
-- occurrence (a kind, a contact and the occurrence's key, such as the
-- birthday's day this year) for good; Snooze hides it until a day.

CREATE TABLE followup_marks (
			id INTEGER PRIMARY KEY,
			contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			occurrence TEXT NOT NULL,
			snoozed_until TEXT NOT NULL DEFAULT '',
			created_at DATETIME NOT NULL);

CREATE INDEX idx_followup_marks_contact ON followup_marks (contact_id, kind, occurrence);
