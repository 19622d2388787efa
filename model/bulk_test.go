package model

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestBulkInsertKeepsEveryValue writes contacts through the JSON path (plain
// text) and the bound path (text JSON cannot carry) and reads every kind of
// value back: text with quotes, backslashes and control characters, blobs,
// times with nanoseconds, booleans, NULL years and the extra vCard lines.
// PostgreSQL keeps microseconds, and text only as valid UTF-8 without NUL:
// there the bytes SQLite keeps come back as U+FFFD, NULs dropped.
func TestBulkInsertKeepsEveryValue(t *testing.T) {
	openStores(t, testBulkInsertKeepsEveryValue)
}

func testBulkInsertKeepsEveryValue(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2025, 3, 9, 17, 4, 5, 123456789, time.UTC)
	kept, keptAt := "Latin-1 \xe9t\xe9", at
	keptNUL := "nul \x00 inside"
	if s.IsPostgres() {
		kept, keptAt, keptNUL = "Latin-1 \uFFFDt\uFFFD", at.Truncate(time.Microsecond), "nul  inside"
	}
	tricky := "quote \" backslash \\ tab \t newline \n bell \a emoji 🎉 Петрова"
	photo := []byte{0xFF, 0xD8, 0x00, 0x01, 0xFE, 'x'} // small: goes as hex in the JSON
	plain := sampleContact(tricky)
	plain.Photo = photo
	bigPhoto := bytes.Repeat([]byte{0xFF, 0x00, 0xD8, '"', '\\'}, 1000) // large: 5 KB of hex in the JSON
	big := sampleContact("Big Photo")
	big.Photo = bigPhoto
	plain.VCardExtra = "X-FOO:bar\r\nitem1.X-ABLabel:baz"
	plain.Journal[0].At = at
	plain.Journal[0].CreatedAt = at
	notUTF8 := sampleContact("Latin-1 \xe9t\xe9")
	notUTF8.Details[0].Value = "nul \x00 inside"
	err := s.InTx(ctx, func(tx *Store) error {
		b, err := tx.NewBulkInsert(ctx)
		if err != nil {
			return err
		}
		for _, c := range []*Contact{plain, big, notUTF8} {
			if _, err := b.Add(c); err != nil {
				return err
			}
		}
		return b.Flush()
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Contact(ctx, plain.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != tricky || !bytes.Equal(got.Photo, photo) || got.VCardExtra != plain.VCardExtra {
		t.Errorf("text or blob changed: %q %x %q", got.DisplayName, got.Photo, got.VCardExtra)
	}
	if len(got.Journal) != 1 || !got.Journal[0].CreatedAt.Equal(keptAt) || !got.Journal[0].At.Equal(at.Truncate(time.Second)) {
		t.Errorf("time changed: %+v", got.Journal)
	}
	if len(got.Details) != 2 || !got.Details[0].Pinned || got.Details[1].Pinned {
		t.Errorf("booleans changed: %+v", got.Details)
	}
	if len(got.Dates) != 2 || got.Dates[0].Year == nil || *got.Dates[0].Year != 1984 || got.Dates[1].Year != nil {
		t.Errorf("years changed: %+v", got.Dates)
	}
	withBig, err := s.Contact(ctx, big.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(withBig.Photo, bigPhoto) || len(withBig.Phones) != 1 {
		t.Errorf("large blob changed: %d bytes, %d phones", len(withBig.Photo), len(withBig.Phones))
	}
	other, err := s.Contact(ctx, notUTF8.ID)
	if err != nil {
		t.Fatal(err)
	}
	if other.DisplayName != kept || other.Details[0].Value != keptNUL {
		t.Errorf("bytes JSON cannot carry changed: %q %q", other.DisplayName, other.Details[0].Value)
	}
}

// A rule of the follow-up list stopped by another's failure asks with a
// cancelled context: it must get an error back, not a panic.
func TestStaleReliabilityWithACancelledContext(t *testing.T) {
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.StaleReliability(ctx, "2026-11-23", time.Now(), 1440); err == nil {
		t.Error("a cancelled context gave no error")
	}
}

// A backup name the file system refuses (too long) is an error, not an
// endless search for a free name.
func TestBackupOfATooLongNameFails(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), dir+"/"+strings.Repeat("a", 240)+".db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done := make(chan error, 1)
	go func() { _, err := s.Backup(context.Background(), "manual"); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a backup name longer than the file system allows was accepted")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the backup is still looking for a free name")
	}
}

// Rows whose columns all hold the defaults, and rows where one does not,
// read back as written: a note reminder owed (the default status) beside
// one already written, a prospect beside a client.
func TestBulkInsertLeavesOnlyTrueDefaults(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	due := "2026-12-01"
	owed := &Contact{DisplayName: "Owed", Stage: StageProspect, NotesOwed: []NoteReminder{{Reason: "thanks", Due: due, Status: "owed"}}}
	written := &Contact{DisplayName: "Written", Stage: StageClient, NotesOwed: []NoteReminder{{Reason: "thanks", Due: due, Status: "written"}}}
	alone := &Contact{DisplayName: "Alone", Stage: StageProspect, NotesOwed: []NoteReminder{{Reason: "thanks", Due: due, Status: "owed"}}}
	for _, batch := range [][]*Contact{{owed, written}, {alone}} {
		err := s.InTx(ctx, func(tx *Store) error {
			b, err := tx.NewBulkInsert(ctx)
			if err != nil {
				return err
			}
			for _, c := range batch {
				if _, err := b.Add(c); err != nil {
					return err
				}
			}
			return b.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []*Contact{owed, written, alone} {
		got, err := s.Contact(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stage != want.Stage || len(got.NotesOwed) != 1 || got.NotesOwed[0].Status != want.NotesOwed[0].Status {
			t.Errorf("%s read back as %s with %+v", want.DisplayName, got.Stage, got.NotesOwed)
		}
	}
}

// The search index keeps each word of a contact once, and still finds the
// contact by every word and by the start of each.
func TestSearchBodyKeepsEachWordOnce(t *testing.T) {
	c := &Contact{DisplayName: "Anna Müller", GivenName: "Anna", FamilyName: "Müller",
		Emails:  []Email{{Address: "anna.mueller@example.com"}},
		Journal: []JournalEntry{{Text: "Anna liked the walnut bread; walnut again next time"}}}
	if got, want := searchBody(c), "anna muller mueller example com liked the walnut bread again next time"; got != want {
		t.Errorf("searchBody = %q, want %q", got, want)
	}
	s := openTemp(t)
	ctx := context.Background()
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"anna", "müll", "walnut", "bread", "mue", "next ti"} {
		ids, _, err := s.MatchingContactIDs(ctx, q)
		if err != nil || len(ids) != 1 || ids[0] != c.ID {
			t.Errorf("search %q found %v, %v", q, ids, err)
		}
	}
}

// TestFlushRowsIndexesAtTheNextFlush: FlushRows writes new contacts but not
// their search rows; the Flush after the merges indexes each contact once,
// as it ends up: one new in the same chunk and merged into, and one written
// before whose row is replaced, not doubled.
func TestFlushRowsIndexesAtTheNextFlush(t *testing.T) {
	openStores(t, testFlushRowsIndexesAtTheNextFlush)
}

func testFlushRowsIndexesAtTheNextFlush(t *testing.T, s *Store) {
	ctx := context.Background()
	old := sampleContact("Oldfield")
	if err := s.CreateContact(ctx, old); err != nil {
		t.Fatal(err)
	}
	fresh := sampleContact("Freshman")
	found := func(tx *Store, word string) int {
		t.Helper()
		rows, err := tx.ListContacts(ctx, word, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	err := s.InTx(ctx, func(tx *Store) error {
		b, err := tx.NewBulkInsert(ctx)
		if err != nil {
			return err
		}
		if _, err := b.Add(fresh); err != nil {
			return err
		}
		if err := b.FlushRows(); err != nil {
			return err
		}
		if n := found(tx, "Freshman"); n != 0 {
			t.Errorf("after FlushRows the new contact is found %d times, want not yet", n)
		}
		haves, err := tx.ContactsForMerge(ctx, []int64{old.ID, fresh.ID})
		if err != nil {
			return err
		}
		now := time.Now()
		if err := b.Merge(haves[old.ID], now, Fill{}, &Additions{Emails: []Email{{Address: "zebra@example.com"}}}); err != nil {
			return err
		}
		if err := b.Merge(haves[fresh.ID], now, Fill{}, &Additions{Emails: []Email{{Address: "quagga@example.com"}}}); err != nil {
			return err
		}
		return b.Flush()
	})
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]int{"Freshman": 1, "Oldfield": 1, "zebra": 1, "quagga": 1} {
		if n := found(s, word); n != want {
			t.Errorf("search %q finds %d, want %d", word, n, want)
		}
	}
	var rows int64
	if err := s.db.Raw("SELECT COUNT(*) FROM contact_search").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("%d search rows for 2 contacts", rows)
	}
}

// TestMergesFillWhatTheyName merges into contacts through a BulkInsert:
// each merge fills the fields, photo, extra vCard lines and card hash it
// names and nothing else, and a contact merged twice in one flush gets
// both.
func TestMergesFillWhatTheyName(t *testing.T) {
	openStores(t, testMergesFillWhatTheyName)
}

func testMergesFillWhatTheyName(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	twice, once, none := sampleContact("Twice"), sampleContact("Once"), sampleContact("None")
	twice.VCardExtra, once.Nickname = "X-A:1", "Kept"
	version := map[*Contact]int{}
	for _, c := range []*Contact{twice, once, none} {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		stored, err := s.Contact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		version[c] = stored.Version
	}
	photo := []byte{0xFF, 0xD8, 0x00, '"'}
	err := s.InTx(ctx, func(tx *Store) error {
		b, err := tx.NewBulkInsert(ctx)
		if err != nil {
			return err
		}
		targets, err := tx.ContactsForMerge(ctx, []int64{twice.ID, once.ID, none.ID})
		if err != nil {
			return err
		}
		for _, m := range []struct {
			id   int64
			fill Fill
		}{
			{twice.ID, Fill{Fields: map[string]string{"organization": "Walnutshop"}, Extra: "X-B:2"}},
			{once.ID, Fill{Fields: map[string]string{"title": "Seller"}, Photo: photo, Hash: "h1"}},
			{twice.ID, Fill{Fields: map[string]string{"title": "Owner"}, Extra: "X-C:3", Hash: "h2"}},
			{none.ID, Fill{}},
		} {
			if err := b.Merge(targets[m.id], at, m.fill, &Additions{}); err != nil {
				return err
			}
		}
		return b.Flush()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[*Contact]func(c *Contact) bool{
		twice: func(c *Contact) bool {
			return c.Organization == "Walnutshop" && c.Title == "Owner" && c.VCardExtra == "X-A:1\r\nX-B:2\r\nX-C:3" &&
				c.VCardHash == "h2" && c.Photo == nil && c.Version == version[twice]+2
		},
		once: func(c *Contact) bool {
			return c.Nickname == "Kept" && c.Title == "Seller" && c.Organization == "" && bytes.Equal(c.Photo, photo) &&
				c.Thumbnail == nil && c.VCardHash == "h1" && c.VCardExtra == "" && c.Version == version[once]+1
		},
		none: func(c *Contact) bool {
			return c.Title == "" && c.Photo == nil && c.VCardHash == "" && c.Version == version[none]+1
		},
	}
	for c, ok := range want {
		got, err := s.Contact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !ok(got) || !got.UpdatedAt.Equal(at) {
			t.Errorf("%s after the merges: title %q org %q nick %q extra %q hash %q photo %x thumb %x version %d (was %d) changed %v",
				c.DisplayName, got.Title, got.Organization, got.Nickname, got.VCardExtra, got.VCardHash, got.Photo, got.Thumbnail,
				got.Version, version[c], got.UpdatedAt)
		}
	}
}
