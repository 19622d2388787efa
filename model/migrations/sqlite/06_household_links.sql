-- Step 6 links two contacts who belong together, such as a couple sharing
-- a home landline: an import adds a card whose phone or email another
-- contact of another name has as a contact of its own, linked to that one,
-- rather than merging two people into one. One row per pair, the lower id
-- first; a link goes with either contact.

CREATE TABLE contact_links (
			id INTEGER PRIMARY KEY,
			contact_a INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			contact_b INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
			kind TEXT NOT NULL DEFAULT 'household',
			reason TEXT NOT NULL DEFAULT '',
			created_at DATETIME NOT NULL,
			CHECK (contact_a < contact_b),
			UNIQUE (contact_a, contact_b));

CREATE INDEX idx_contact_links_b ON contact_links (contact_b);
