-- Step 15 lets one action reach many people at once (a newsletter, an
-- article shared, an invitation to social media, an extra): each journal
-- entry it writes carries the outreach's number, so that Undo removes
-- exactly those rows, and what was sent (title and link), so that the
-- next outreach skips who already got the same one. NULL and '' for
-- entries written one at a time. The same statements on both databases.

ALTER TABLE journal_entries ADD COLUMN outreach_id BIGINT;

ALTER TABLE journal_entries ADD COLUMN title TEXT NOT NULL DEFAULT '';

ALTER TABLE journal_entries ADD COLUMN link TEXT NOT NULL DEFAULT '';

CREATE INDEX idx_journal_entries_outreach ON journal_entries (outreach_id) WHERE outreach_id IS NOT NULL;
