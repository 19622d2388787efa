-- Step 4 indexes the journal by kind, then contact, then time, in place
-- of (kind, at): "a feedback entry for this contact since that incident" is
-- one seek instead of reading each of the contact's entries, and "purchases
-- since a day" reads the index alone, without visiting the entries. The
-- kept scores get an index by freshness, so that "is every score fresh?"
-- is counted from it (BenchmarkFollowups50k).

DROP INDEX idx_journal_kind_at;

CREATE INDEX idx_journal_kind_contact_at ON journal_entries (kind, contact_id, at);

CREATE INDEX idx_contact_reliability_fresh ON contact_reliability (day, notice_minutes, valid_until);
