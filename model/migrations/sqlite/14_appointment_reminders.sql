-- Step 14 records when the owner reminded the person of an
-- appointment (null: not reminded), so that Today stops asking and the
-- reliability breakdown can compare reminded appointments with the others.
-- The same column on both databases, of the time type given.

ALTER TABLE appointments ADD COLUMN reminded_at DATETIME;
