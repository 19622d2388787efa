package model

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tablesWithContactID lists every table of the schema with a contact_id
// column, read from the database itself so that a table added later is
// covered too.
func tablesWithContactID(t *testing.T, s *Store) []string {
	t.Helper()
	var tables []string
	err := s.db.Raw(`SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.name = 'contact_id' ORDER BY m.name`).Scan(&tables).Error
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

func TestForgetLeavesNoRowAboutThem(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	// In a large database his words sit in index segments that are merged
	// rarely; without automatic merging a small one behaves the same.
	if err := s.db.Exec("INSERT INTO contact_search (contact_search, rank) VALUES ('automerge', 0)").Error; err != nil {
		t.Fatal(err)
	}
	forgotten := sampleContact("Jörg Zauberflöte")
	forgotten.Journal = append(forgotten.Journal, JournalEntry{Kind: KindNote, Text: "loves xylophones"})
	forgotten.Appointments = []Appointment{{Start: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Minutes: 30, Outcome: "on_time"}}
	forgotten.NotesOwed = []NoteReminder{{Reason: "Thank-you note", Due: "2026-11-25"}}
	forgotten.VCardHash = "hash-of-his-card"
	if err := s.CreateContact(ctx, forgotten); err != nil {
		t.Fatal(err)
	}
	id := forgotten.ID
	referred := sampleContact("Anna Referred")
	referred.ReferredByID = &id
	kept := sampleContact("Kept Person")
	kept.Appointments = forgotten.Appointments
	kept.NotesOwed = forgotten.NotesOwed
	for _, c := range []*Contact{referred, kept} {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveReliabilities(ctx, []ReliabilityRow{{ContactID: id, Day: "2026-11-23", Counted: 1, Summary: "1 on time"},
		{ContactID: kept.ID, Day: "2026-11-23", Counted: 1, Summary: "1 on time"}}, false); err != nil {
		t.Fatal(err)
	}
	batch, err := s.StartBatch(ctx, "phone.vcf")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordChanges(ctx, []ImportChange{{BatchID: batch.ID, ContactID: id, Kind: "contact"},
		{BatchID: batch.ID, ContactID: kept.ID, Kind: "contact"}}); err != nil {
		t.Fatal(err)
	}

	// A row of Today done or snoozed, for each.
	for _, c := range []int64{id, kept.ID} {
		if err := s.AddFollowupMark(ctx, &FollowupMark{ContactID: c, Kind: "keep_in_touch", Occurrence: "2026-11-20", SnoozedUntil: "2026-12-01"}); err != nil {
			t.Fatal(err)
		}
	}

	// A household link names him in a column of its own.
	if _, err := s.LinkContacts(ctx, kept.ID, id, LinkHousehold, "same phone +49 30 1234567"); err != nil {
		t.Fatal(err)
	}

	// His card and another's on the phone.
	for _, l := range []DavLink{{ContactID: id, Href: "/owner/contacts/Joerg-Zauberfloete.vcf", ETag: "e1"},
		{ContactID: kept.ID, Href: "/owner/contacts/kept.vcf", ETag: "e2"}} {
		if err := s.SaveDavLink(ctx, l); err != nil {
			t.Fatal(err)
		}
	}

	// His appointment's event in the phone's calendar, and another's.
	eventHref := map[int64]string{id: "/owner/work/his.ics", kept.ID: "/owner/work/kept.ics"}
	for c, href := range eventHref {
		var appt int64
		if err := s.db.Raw("SELECT id FROM appointments WHERE contact_id = ? LIMIT 1", c).Scan(&appt).Error; err != nil || appt == 0 {
			t.Fatalf("appointment of %d: %v", c, err)
		}
		if err := s.SaveDavEvent(ctx, DavEvent{AppointmentID: appt, Href: href, ETag: "e", SyncedHash: "h"}); err != nil {
			t.Fatal(err)
		}
	}

	tables := tablesWithContactID(t, s)
	if len(tables) < 11 {
		t.Fatalf("found only %v", tables)
	}
	count := func(table string, id int64) int64 {
		var n int64
		if err := s.db.Raw("SELECT COUNT(*) FROM "+table+" WHERE contact_id = ?", id).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Every table holds something of his first, or the test proves nothing.
	for _, table := range tables {
		if count(table, id) == 0 {
			t.Errorf("the fixture has no row of %s for him", table)
		}
	}

	name, err := s.ForgetContact(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if name != "Jörg Zauberflöte" {
		t.Errorf("name = %q", name)
	}
	for _, table := range tables {
		if n := count(table, id); n != 0 {
			t.Errorf("%s still holds %d rows of contact %d", table, n, id)
		}
		if n := count(table, kept.ID); n == 0 {
			t.Errorf("%s lost the rows of someone else", table)
		}
	}
	var n int64
	s.db.Raw("SELECT COUNT(*) FROM contact_links WHERE contact_a = ? OR contact_b = ?", id, id).Scan(&n)
	if links, err := s.LinksOf(ctx, kept.ID); n != 0 || err != nil || len(links) != 0 {
		t.Errorf("%d links still name him: %+v %v", n, links, err)
	}
	s.db.Raw("SELECT COUNT(*) FROM contacts WHERE id = ? OR referred_by_id = ? OR vcard_hash = 'hash-of-his-card'", id, id).Scan(&n)
	if n != 0 {
		t.Errorf("%d contact rows still point at him", n)
	}
	s.db.Raw("SELECT COUNT(*) FROM contact_search WHERE rowid = ?", id).Scan(&n)
	if n != 0 {
		t.Error("his search row is still there")
	}
	for _, q := range []string{"zauberflote", "xylophone"} {
		if ids, _, _ := s.MatchingContactIDs(ctx, q); len(ids) != 0 {
			t.Errorf("search %q still finds %v", q, ids)
		}
	}
	// The words are gone from the index's own storage too, not only
	// marked deleted.
	var blocks [][]byte
	if err := s.db.Raw("SELECT block FROM contact_search_data").Scan(&blocks).Error; err != nil || len(blocks) == 0 {
		t.Fatalf("index blocks: %d, %v", len(blocks), err)
	}
	for _, b := range blocks {
		if bytes.Contains(b, []byte("xylophones")) || bytes.Contains(b, []byte("zauberflote")) {
			t.Error("the search index's segments still hold his words")
		}
	}
	// Nor do the file's free pages or the write-ahead log keep his name.
	for _, f := range []string{s.Path(), s.Path() + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("Zauberfl")) || bytes.Contains(data, []byte("Zauberfloete")) || bytes.Contains(data, []byte("xylophones")) {
			t.Errorf("%s still holds his name or words", filepath.Base(f))
		}
	}
	// His card on the phone is still known, by a hash of its path only,
	// so that a sync asks about it rather than bring him back.
	links, err := s.DavLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := links[ForgottenHref("/owner/contacts/Joerg-Zauberfloete.vcf")]; !ok || l.ContactID != 0 || len(links) != 2 {
		t.Errorf("phone sync links after forget: %+v", links)
	}
	// So is his appointment's event, with no appointment: the sync asks
	// whether to delete it on the phone.
	events, err := s.DavEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := events[ForgottenHref(eventHref[id])]; !ok || e.AppointmentID != 0 || e.ETag != "" || len(events) != 2 ||
		events[eventHref[kept.ID]].AppointmentID == 0 {
		t.Errorf("phone calendar links after forget: %+v", events)
	}
	got, err := s.Contact(ctx, referred.ID)
	if err != nil || got.ReferredByID != nil || len(got.Journal) != 1 {
		t.Errorf("the contact he referred: %+v %v", got, err)
	}
	if r, _ := s.IntegrityCheck(ctx); r != "ok" {
		t.Errorf("integrity: %s", r)
	}
	if _, err := s.ForgetContact(ctx, id, nil); err == nil || !strings.Contains(err.Error(), fmt.Sprint(id)) {
		t.Errorf("forgetting twice: %v", err)
	}
}

func TestExportRecordsPageInNameOrder(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	// More than two pages, with one name shared across a page boundary.
	var cs []*Contact
	for i := range exportPage*2 + 7 {
		name := fmt.Sprintf("Person %05d", i)
		if i >= exportPage-3 && i < exportPage+3 {
			name = "Same Name"
		}
		c := &Contact{DisplayName: name, Emails: []Email{{Address: fmt.Sprintf("p%d@example.com", i)}}}
		if i == 5 {
			c.Journal = []JournalEntry{{Kind: KindCall, At: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)},
				{Kind: KindCall, At: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}}
		}
		cs = append(cs, c)
	}
	if err := s.CreateContacts(ctx, cs); err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var last string
	err := s.EachExportRecord(ctx, func(r *ExportRecord) error {
		if seen[r.Contact.ID] {
			t.Errorf("contact %d twice", r.Contact.ID)
		}
		seen[r.Contact.ID] = true
		if r.Contact.SortKey < last {
			t.Errorf("%q after %q", r.Contact.SortKey, last)
		}
		last = r.Contact.SortKey
		if len(r.Contact.Emails) != 1 || len(r.Contact.Photo) != 0 {
			t.Errorf("contact %d: %+v", r.Contact.ID, r.Contact)
		}
		if r.Contact.DisplayName == "Person 00005" && !r.LastContact.Equal(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("last contact = %v", r.LastContact)
		}
		return nil
	})
	if err != nil || len(seen) != len(cs) {
		t.Errorf("saw %d of %d: %v", len(seen), len(cs), err)
	}
}
