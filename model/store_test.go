package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/model/pgtest"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// backends are the databases every store test runs against: SQLite always,
// PostgreSQL when RAPPORT_TEST_POSTGRES names a server (skipped otherwise).
var backends = []string{"sqlite", "postgres"}

// openPostgres opens a store on a new empty schema of the test server.
func openPostgres(t testing.TB) *Store {
	t.Helper()
	return openPostgresAt(t, pgtest.NewSchema(t))
}

// openPostgresAt opens a store on the database at dsn, as a desk would.
func openPostgresAt(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := OpenPostgres(context.Background(), dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openBackend opens a new empty store of the named backend.
func openBackend(t testing.TB, backend string) *Store {
	t.Helper()
	if backend == "postgres" {
		return openPostgres(t)
	}
	return openTemp(t)
}

// opener returns a function that opens a store on one new database of the
// backend each time it is called: another window, or another desk.
func opener(t testing.TB, backend string) func() (*Store, error) {
	t.Helper()
	ctx := context.Background()
	if backend == "postgres" {
		dsn := pgtest.NewSchema(t)
		return func() (*Store, error) { return OpenPostgres(ctx, dsn, t.TempDir()) }
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	return func() (*Store, error) { return Open(ctx, path) }
}

// openDesks opens n stores on one new database of the backend.
func openDesks(t testing.TB, backend string, n int) []*Store {
	t.Helper()
	open := opener(t, backend)
	var out []*Store
	for range n {
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out
}

// openStores runs fn once per backend, as a subtest named after it, each
// with a new empty store.
func openStores(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { fn(t, openBackend(t, b)) })
	}
}

func intp(v int) *int { return &v }

func sampleContact(name string) *Contact {
	return &Contact{
		DisplayName: name,
		GivenName:   name,
		Stage:       StageCustomer,
		Phones:      []Phone{{Label: "mobile", Number: "+49 30 1234567"}},
		Emails:      []Email{{Label: "home", Address: "someone@example.com"}},
		Addresses:   []Address{{Label: "home", Street: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "Germany"}},
		Details: []Detail{
			{Label: "Daughter", Value: "Maya, starts school in August", Pinned: true},
			{Label: "Coffee", Value: "oat flat white"},
		},
		Dates:   []ImportantDate{{Label: DateBirthday, Month: 2, Day: 29, Year: intp(1984)}, {Label: DateAnniversary, Month: 6, Day: 1}},
		Tags:    []Tag{{Name: "regular"}},
		Journal: []JournalEntry{{Kind: KindMet, Text: "Came in for a gift", At: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)}},
	}
}

func TestCreateLoadRoundTrip(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := sampleContact("Jörg Müller")
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.UID == "" {
			t.Fatalf("want ID and UID set, got %d %q", c.ID, c.UID)
		}
		got, err := s.Contact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DisplayName != "Jörg Müller" || got.Stage != StageCustomer || got.SortKey != "jorg muller" {
			t.Errorf("contact fields: %+v", got)
		}
		if len(got.Phones) != 1 || got.Phones[0].Number != "+49 30 1234567" {
			t.Errorf("phones: %+v", got.Phones)
		}
		if len(got.Details) != 2 || got.Details[0].Label != "Daughter" || !got.Details[0].Pinned || got.Details[1].Pinned {
			t.Errorf("details: %+v", got.Details)
		}
		if len(got.Dates) != 2 || got.Dates[0].Year == nil || *got.Dates[0].Year != 1984 || got.Dates[1].Year != nil {
			t.Errorf("dates: %+v", got.Dates)
		}
		if len(got.Journal) != 1 || !got.Journal[0].At.Equal(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("journal: %+v", got.Journal)
		}
	})
}

func TestSearchFoldsCaseAccentsAndScripts(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, name := range []string{"Jörg Müller", "Сергей Петров", "Łukasz Wróbel", "Søren Ærø", "Anna Strauß"} {
			if err := s.CreateContact(ctx, &Contact{DisplayName: name}); err != nil {
				t.Fatal(err)
			}
		}
		c := sampleContact("Maya's Mum")
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		tests := []struct{ query, want string }{
			{"mull", "Jörg Müller"},
			{"MÜLLER", "Jörg Müller"},
			{"серг", "Сергей Петров"},
			{"СЕРГЕЙ п", "Сергей Петров"},
			{"lukasz", "Łukasz Wróbel"},
			{"łuk", "Łukasz Wróbel"},
			{"soren aero", "Søren Ærø"},
			{"strauss", "Anna Strauß"},
			{"oat flat", "Maya's Mum"},    // a detail
			{"gift", "Maya's Mum"},        // the journal
			{"regul", "Maya's Mum"},       // a tag
			{"jorg \"mul", "Jörg Müller"}, // FTS syntax in the query is ignored
		}
		for _, tt := range tests {
			rows, err := s.ListContacts(ctx, tt.query, 0)
			if err != nil {
				t.Fatalf("%q: %v", tt.query, err)
			}
			if len(rows) != 1 || rows[0].DisplayName != tt.want {
				t.Errorf("search %q = %+v, want only %q", tt.query, rows, tt.want)
			}
		}
		all, err := s.ListContacts(ctx, "  ", 0)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range all {
			names = append(names, r.DisplayName)
		}
		want := []string{"Anna Strauß", "Jörg Müller", "Łukasz Wróbel", "Maya's Mum", "Søren Ærø", "Сергей Петров"}
		if fmt.Sprint(names) != fmt.Sprint(want) {
			t.Errorf("list order = %v, want %v", names, want)
		}
	})
}

func TestSearchFollowsEdits(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := sampleContact("Ada")
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		find := func(q string) int {
			rows, err := s.ListContacts(ctx, q, 0)
			if err != nil {
				t.Fatal(err)
			}
			return len(rows)
		}
		d := Detail{ContactID: c.ID, Label: "Dog", Value: "Biscuit the beagle"}
		if err := s.SaveDetail(ctx, &d); err != nil {
			t.Fatal(err)
		}
		if find("beag") != 1 {
			t.Error("new detail not found")
		}
		if d.Position != 2 {
			t.Errorf("new detail position = %d, want 2 (after the two there)", d.Position)
		}
		if err := s.DeleteDetail(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if find("beag") != 0 {
			t.Error("deleted detail still found")
		}
		e := JournalEntry{ContactID: c.ID, Kind: KindCall, Text: "asked about the walnut table"}
		if err := s.SaveJournalEntry(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if find("walnut") != 1 {
			t.Error("journal entry not found")
		}
		c.DisplayName = "Ada Lovelace"
		c.Phones = []Phone{{Label: "work", Number: "0171 555"}}
		if err := s.UpdateContact(ctx, c, Additions{Journal: []JournalEntry{{Kind: KindStage, Text: "stage"}}}); err != nil {
			t.Fatal(err)
		}
		if find("lovel") != 1 {
			t.Error("renamed contact not found")
		}
		got, err := s.Contact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Phones) != 1 || got.Phones[0].Number != "0171 555" {
			t.Errorf("phones after update: %+v", got.Phones)
		}
		if len(got.Journal) != 3 || len(got.Details) != 2 {
			t.Errorf("update lost rows: journal %d details %d", len(got.Journal), len(got.Details))
		}
		if err := s.DeleteContact(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if find("lovel") != 0 {
			t.Error("deleted contact still found")
		}
		var orphans int64
		s.db.Raw("SELECT COUNT(*) FROM journal_entries").Scan(&orphans)
		if orphans != 0 {
			t.Errorf("%d journal entries outlived their contact", orphans)
		}
		if _, err := s.Contact(ctx, c.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted contact: err = %v, want ErrNotFound", err)
		}
	})
}

func TestInvalidStageRejected(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		err := s.CreateContact(context.Background(), &Contact{DisplayName: "X", Stage: "vip"})
		if err == nil {
			t.Fatal("want an error for an unknown stage")
		}
	})
}

func TestFileIsPrivate(t *testing.T) {
	s := openTemp(t)
	info, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("database mode = %v, want 0600", perm)
	}
}

func TestOpenFolderFails(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), dir)
	if err == nil {
		t.Fatal("opening a folder as the database should fail")
	}
}

func TestMigrationBacksUpFirst(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateContact(ctx, &Contact{DisplayName: "Kept"}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(s.BackupsDir()); len(entries) != 0 {
		t.Fatalf("a brand-new file needs no backup, found %d", len(entries))
	}
	next := SchemaVersion() + 1
	steps := append(schemaMigrations(), migration{version: next, name: "test step", up: func(tx *gorm.DB) error {
		return tx.Exec("ALTER TABLE contacts ADD COLUMN test_col TEXT").Error
	}})
	if err := migrate(ctx, s, steps); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(s.BackupsDir())
	if err != nil || len(entries) != 1 {
		t.Fatalf("want one backup, got %v (%v)", entries, err)
	}
	backup := filepath.Join(s.BackupsDir(), entries[0].Name())
	s.Close()

	// The backup is the file as it was before the step, data kept.
	b, err := Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if v, _ := b.schemaVersion(ctx); v != next-1 {
		t.Errorf("backup schema version = %d, want %d", v, next-1)
	}
	if n, _ := b.CountContacts(ctx); n != 1 {
		t.Errorf("backup holds %d contacts, want 1", n)
	}
	if info, _ := os.Stat(backup); info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v, want 0600", info.Mode().Perm())
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			open := opener(t, backend)
			s, err := open()
			if err != nil {
				t.Fatal(err)
			}
			s.db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', ?)", time.Now())
			s.Close()
			_, err = open()
			if !errors.Is(err, ErrNewerSchema) {
				t.Fatalf("err = %v, want ErrNewerSchema", err)
			}
		})
	}
}

func TestTwoStoresOnOneDatabase(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) { testTwoStoresOnOneDatabase(t, backend) })
	}
}

func testTwoStoresOnOneDatabase(t *testing.T, backend string) {
	ctx := context.Background()
	desks := openDesks(t, backend, 2)
	a, b := desks[0], desks[1]
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				c := sampleContact(fmt.Sprintf("desk %d contact %d", i, j))
				if err := s.CreateContact(ctx, c); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := a.CountContacts(ctx); n != 100 {
		t.Errorf("count = %d, want 100", n)
	}
	if r, err := b.IntegrityCheck(ctx); err != nil || r != "ok" {
		t.Errorf("integrity = %q, %v", r, err)
	}
}

func TestUpgradeFromV1KeepsDataAndBacksUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	// A file as the first release wrote it.
	old, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	os.Remove(path)
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := createPrivate(path); err != nil {
		t.Fatal(err)
	}
	v1, err := gormOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	s1 := &Store{db: v1, path: path, dir: filepath.Dir(path)}
	if err := migrate(ctx, s1, schemaMigrations()[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s1.db.Exec(`INSERT INTO contacts (uid, display_name, sort_key, stage, created_at, updated_at)
		VALUES ('u1', 'Anna Alt', 'anna alt', 'client', '2025-01-01 00:00:00+00:00', '2025-01-01 00:00:00+00:00')`).Error; err != nil {
		t.Fatal(err)
	}
	s1.db.Exec(`INSERT INTO contact_search (rowid, body) VALUES (1, 'anna alt')`)
	s1.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.schemaVersion(ctx); v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
	backups, _ := filepath.Glob(filepath.Join(s.BackupsDir(), "old-*-before-v*.db"))
	if len(backups) != 1 {
		t.Fatalf("backups: %v", backups)
	}
	rows, err := s.ListContacts(ctx, "anna", 0)
	if err != nil || len(rows) != 1 || rows[0].Stage != StageClient {
		t.Errorf("after the upgrade: %+v %v", rows, err)
	}
	if _, err := s.MatchKeys(ctx); err != nil {
		t.Errorf("new v2 query on an upgraded file: %v", err)
	}
}

func TestSavingAStaleCopyIsRefused(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := sampleContact("Ada")
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		stale, _ := s.Contact(ctx, c.ID)
		fresh, _ := s.Contact(ctx, c.ID)
		fresh.Organization = "Analytical Engines"
		if err := s.UpdateContact(ctx, fresh, Additions{}); err != nil {
			t.Fatal(err)
		}
		stale.Title = "Countess"
		if err := s.UpdateContact(ctx, stale, Additions{}); !errors.Is(err, ErrChanged) {
			t.Fatalf("saving a stale copy: err = %v, want ErrChanged", err)
		}
		got, _ := s.Contact(ctx, c.ID)
		if got.Organization != "Analytical Engines" || got.Title != "" {
			t.Errorf("after the refused save: %q %q", got.Organization, got.Title)
		}
		// Saving the fresh copy again works: its time moved with the save.
		fresh.Title = "Countess"
		if err := s.UpdateContact(ctx, fresh, Additions{}); err != nil {
			t.Errorf("saving twice from one copy: %v", err)
		}
	})
}

func TestOneLetterMatchesTheStartOfTheName(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, name := range []string{"Anna Berg", "Ölaf Apfel", "Ben Adams", "Øystein Lie"} {
			if err := s.CreateContact(ctx, &Contact{DisplayName: name}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct{ query, want string }{
			{"a", "[Anna Berg]"}, {"Ö", "[Ölaf Apfel Øystein Lie]"}, {"ad", "[Ben Adams]"}, {"b", "[Ben Adams]"},
		} {
			ids, _, err := s.MatchingContactIDs(ctx, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := s.ContactRows(ctx, ids)
			var names []string
			for _, r := range rows {
				names = append(names, r.DisplayName)
			}
			slices.Sort(names)
			if fmt.Sprint(names) != tt.want {
				t.Errorf("%q matches %v, want %s", tt.query, names, tt.want)
			}
		}
	})
}

func TestBackgroundRescoringKeepsAFresherRow(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := &Contact{DisplayName: "Fresh"}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		fresh := ReliabilityRow{ContactID: c.ID, Day: "2026-11-23", Counted: 2, Unreliable: true, Summary: "fresh", NoticeMinutes: 1440}
		if err := s.SaveReliabilities(ctx, []ReliabilityRow{fresh}, false); err != nil {
			t.Fatal(err)
		}
		stale := fresh
		stale.Unreliable, stale.Summary = false, "read before the outcome was recorded"
		if err := s.SaveReliabilities(ctx, []ReliabilityRow{stale}, true); err != nil {
			t.Fatal(err)
		}
		if ids, _ := s.UnreliableIDs(ctx, "2026-11-23"); len(ids) != 1 {
			t.Error("a background rescoring undid a fresher row")
		}
		next := stale
		next.Day = "2026-11-24"
		if err := s.SaveReliabilities(ctx, []ReliabilityRow{next}, true); err != nil {
			t.Fatal(err)
		}
		if ids, _ := s.UnreliableIDs(ctx, "2026-11-24"); len(ids) != 0 {
			t.Error("a new day's row did not replace yesterday's")
		}
	})
}
