-- Step 12 keeps, for each event Rapport put on the phone's
-- CalDAV calendar, the appointment it is and the version both sides had at
-- the last sync (the server's ETag, a hash of the event Rapport wrote or
-- read), as dav_links does for cards. An appointment deleted here leaves
-- its link with no appointment, and the phone's deletion is kept in
-- phone_deleted_at until the owner settles it: either is asked about, never
-- applied on the other side unasked.

CREATE TABLE dav_events (
			id INTEGER PRIMARY KEY,
			appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
			href TEXT NOT NULL UNIQUE,
			etag TEXT NOT NULL DEFAULT '',
			synced_hash TEXT NOT NULL DEFAULT '',
			synced_at DATETIME NOT NULL,
			phone_deleted_at DATETIME);

CREATE INDEX idx_dav_events_appointment ON dav_events (appointment_id);
