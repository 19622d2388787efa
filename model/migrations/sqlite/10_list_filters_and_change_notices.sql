-- Step 10 indexes what the window's list filters and tells apart by:
-- contacts with a tag, contacts of a stage, and contacts sharing a name.
-- (PostgreSQL also gets triggers that tell listening windows of changes;
-- SQLite's PRAGMA data_version needs none.)

CREATE INDEX idx_tags_name ON tags (name, contact_id);

CREATE INDEX idx_contacts_stage ON contacts (stage);

CREATE INDEX idx_contacts_display_name ON contacts (display_name);
