-- Step 7 keeps, for each card on the phone's CardDAV server, the
-- contact it is and the version both sides had at the last sync: the ETag
-- the server gave and a hash of the card Rapport wrote or read, so that a
-- change on either side, or both, is seen. A contact deleted here leaves
-- its link with no contact: the sync then asks whether to delete the card
-- on the phone too, rather than bring the person back.

CREATE TABLE dav_links (
			id INTEGER PRIMARY KEY,
			contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at DATETIME NOT NULL);

CREATE INDEX idx_dav_links_contact ON dav_links (contact_id);
