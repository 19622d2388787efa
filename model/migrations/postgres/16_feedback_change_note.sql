-- Step 16 lets a feedback entry say, beside what the person answered (its
-- text), what the owner will change because of it: Insights lists the two
-- together as the self reflection. The same statement on both databases;
-- '' on every older entry, which had no such note.

ALTER TABLE journal_entries ADD COLUMN change_note TEXT NOT NULL DEFAULT '';
