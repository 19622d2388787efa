-- Step 11 remembers that the phone deleted a linked card, from
-- the sync that saw it until the owner settles it: a sync-collection
-- answer names a deletion once, and the next sync must still ask. The same
-- column on both databases, of the time type given.

ALTER TABLE dav_links ADD COLUMN phone_deleted_at TIMESTAMPTZ;
