package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/dav/davtest"
	"github.com/rapportjournal/rapport/model"
)

func vcard3(uid, given, family, tel, email string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:%s\r\nFN:%s %s\r\nN:%s;%s;;;\r\n", uid, given, family, family, given)
	if tel != "" {
		fmt.Fprintf(&b, "TEL;TYPE=CELL:%s\r\n", tel)
	}
	if email != "" {
		fmt.Fprintf(&b, "EMAIL;TYPE=INTERNET:%s\r\n", email)
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}

// syncDesk is a Rapport database set up to sync with a fresh Radicale.
func syncDesk(t *testing.T) (*Service, *davtest.Server, string) {
	t.Helper()
	return syncDeskB(t)
}

func syncDeskB(t testing.TB) (*Service, *davtest.Server, string) {
	t.Helper()
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	s := newService(t)
	if err := s.SetPhoneSyncSettings(t.Context(), PhoneSync{URL: srv.URL + "/", User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	return s, srv, book
}

// peterAndHugoSynced is a desk whose phone holds Peter and Hugo, synced
// once.
func peterAndHugoSynced(t *testing.T) (*Service, *davtest.Server, string) {
	t.Helper()
	s, srv, book := syncDesk(t)
	srv.Seed(t, book, map[string]string{
		"peter.vcf": vcard3("uid-peter", "Peter", "Schmidt", "+49 30 1234567", ""),
		"hugo.vcf":  vcard3("uid-hugo", "Hugo", "Martin", "+49 151 18144002", ""),
	})
	syncNow(t, s, srv, SyncOptions{})
	return s, srv, book
}

func syncNow(t *testing.T, s *Service, srv *davtest.Server, opts SyncOptions) *SyncReport {
	t.Helper()
	opts.Password, opts.Region = srv.Password, "DE"
	rep, err := s.SyncPhone(t.Context(), opts)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return rep
}

func names(t *testing.T, s *Service) []string {
	t.Helper()
	rows, err := s.ListContacts(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.DisplayName)
	}
	slices.Sort(out)
	return out
}

func findContact(t *testing.T, s *Service, name string) *model.Contact {
	t.Helper()
	rows, err := s.ListContacts(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.DisplayName == name {
			c, err := s.Contact(t.Context(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	t.Fatalf("no contact %q among %v", name, names(t, s))
	return nil
}

// TestPhoneSyncFirstThenNothing: the first sync brings the phone's cards in
// under the import's matching rule (Peter, who shares Anna's landline, is
// his own contact) and puts Rapport's own contacts on the phone; a second
// sync changes nothing on either side.
func TestPhoneSyncFirstThenNothing(t *testing.T) {
	s, srv, book := syncDesk(t)
	ctx := t.Context()
	srv.Seed(t, book, map[string]string{
		"anna.vcf":  vcard3("uid-anna", "Anna", "Schmidt", "+49 30 1234567", "anna@example.com"),
		"peter.vcf": vcard3("uid-peter", "Peter", "Schmidt", "+49 30 1234567", ""),
		"hugo.vcf":  vcard3("uid-hugo", "Hugo", "Martin", "+49 151 18144002", ""),
	})
	// Anna is already here, with a detail the phone does not know.
	anna := &model.Contact{GivenName: "Anna", FamilyName: "Schmidt", Stage: model.StageClient,
		Phones: []model.Phone{{Label: "home", Number: "+49 30 1234567"}}}
	if err := s.CreateContact(ctx, anna); err != nil {
		t.Fatal(err)
	}
	clara := &model.Contact{GivenName: "Clara", FamilyName: "Hoffmann", Emails: []model.Email{{Address: "clara@example.com"}}}
	if err := s.CreateContact(ctx, clara); err != nil {
		t.Fatal(err)
	}

	dry := syncNow(t, s, srv, SyncOptions{DryRun: true})
	if dry.FromPhoneAdded != 2 || dry.FromPhoneMerged != 1 || dry.ToPhoneAdded != 1 || dry.ToPhoneUpdated != 1 {
		t.Errorf("dry run: %s", dry.Summary())
	}
	if got := names(t, s); len(got) != 2 {
		t.Fatalf("a dry run changed Rapport: %v", got)
	}
	if n := len(srv.Objects(t, book)); n != 3 {
		t.Fatalf("a dry run changed the phone: %d cards", n)
	}

	rep := syncNow(t, s, srv, SyncOptions{})
	if rep.FromPhoneAdded != 2 || rep.FromPhoneMerged != 1 || rep.ToPhoneAdded != 1 || rep.ToPhoneUpdated != 1 {
		t.Errorf("first sync: %s\n%s", rep.Summary(), strings.Join(rep.Lines, "\n"))
	}
	want := []string{"Anna Schmidt", "Clara Hoffmann", "Hugo Martin", "Peter Schmidt"}
	if got := names(t, s); !slices.Equal(got, want) {
		t.Fatalf("contacts after the first sync: %v, want %v", got, want)
	}
	if got := findContact(t, s, "Anna Schmidt"); got.Stage != model.StageClient {
		t.Errorf("Anna's stage after the merge: %s, want what the owner set", got.Stage)
	}
	if n := len(srv.Objects(t, book)); n != 4 {
		t.Fatalf("cards on the phone after the first sync: %d, want 4 (Clara added)", n)
	}
	// What Rapport keeps to itself does not go to the phone.
	all := ""
	for _, name := range srv.Objects(t, book) {
		all += srv.Get(t, book+name)
	}
	if !strings.Contains(all, "clara@example.com") {
		t.Errorf("Clara's card is not on the phone:\n%s", all)
	}
	if strings.Contains(all, "X-RAPPORT") {
		t.Errorf("Rapport's own fields went to the phone:\n%s", all)
	}

	again := syncNow(t, s, srv, SyncOptions{})
	if again.FromPhoneAdded+again.FromPhoneMerged+again.FromPhoneUpdated+again.ToPhoneAdded+again.ToPhoneUpdated != 0 ||
		len(again.Conflicts) != 0 {
		t.Errorf("second sync changed something: %s\n%s", again.Summary(), strings.Join(again.Lines, "\n"))
	}
	if got := names(t, s); !slices.Equal(got, want) {
		t.Errorf("contacts after the second sync: %v", got)
	}
	if n := len(srv.Objects(t, book)); n != 4 {
		t.Errorf("cards on the phone after the second sync: %d, want 4", n)
	}
}

// TestPhoneSyncEditsBothWays: an edit on the phone reaches the contact, an
// edit here reaches the phone; an edit on both sides is a conflict that
// writes neither.
func TestPhoneSyncEditsBothWays(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()

	// The phone: Peter has a new mobile.
	srv.Put(t, book+"peter.vcf", "text/vcard", vcard3("uid-peter", "Peter", "Schmidt", "+49 171 5550000", ""))
	// Here: Hugo's email, and a journal entry on Peter (not a phone field).
	hugo := findContact(t, s, "Hugo Martin")
	hugo.Emails = append(hugo.Emails, model.Email{Address: "hugo@bakery.example"})
	if err := s.SaveContact(ctx, hugo); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if rep.FromPhoneUpdated != 1 || rep.ToPhoneUpdated != 1 || len(rep.Conflicts) != 0 {
		t.Fatalf("sync of edits: %s\n%s", rep.Summary(), strings.Join(rep.Lines, "\n"))
	}
	peter := findContact(t, s, "Peter Schmidt")
	if len(peter.Phones) != 1 || peter.Phones[0].Normalized != "+491715550000" {
		t.Errorf("Peter's phones after the phone's edit: %+v", peter.Phones)
	}
	if !strings.Contains(srv.Get(t, book+"hugo.vcf"), "hugo@bakery.example") {
		t.Errorf("Hugo's card on the phone lacks the email added here:\n%s", srv.Get(t, book+"hugo.vcf"))
	}

	// Both sides change Hugo: nothing is written, the owner is asked.
	srv.Put(t, book+"hugo.vcf", "text/vcard", vcard3("uid-hugo", "Hugo", "Martin-Bäcker", "+49 151 18144002", ""))
	hugo = findContact(t, s, "Hugo Martin")
	hugo.Title = "Master baker"
	if err := s.SaveContact(ctx, hugo); err != nil {
		t.Fatal(err)
	}
	rep = syncNow(t, s, srv, SyncOptions{})
	if len(rep.Conflicts) != 1 || rep.Conflicts[0].Name != "Hugo Martin" {
		t.Fatalf("conflict: %s %+v", rep.Summary(), rep.Conflicts)
	}
	if got := srv.Get(t, book+"hugo.vcf"); !strings.Contains(got, "Martin-Bäcker") || strings.Contains(got, "Master baker") {
		t.Errorf("the phone's version was overwritten:\n%s", got)
	}
	if got := findContact(t, s, "Hugo Martin"); got.Title != "Master baker" {
		t.Errorf("the owner's edit was overwritten: %+v", got)
	}
}

// TestPhoneSyncETagChangedBeforeWrite: the phone changes a card between the
// sync's read and its write: the If-Match write is refused and reported as
// a conflict, the phone's version stays.
func TestPhoneSyncETagChangedBeforeWrite(t *testing.T) {
	s, srv, book := syncDesk(t)
	ctx := t.Context()
	srv.Seed(t, book, map[string]string{"hugo.vcf": vcard3("uid-hugo", "Hugo", "Martin", "+49 151 18144002", "")})
	syncNow(t, s, srv, SyncOptions{})
	hugo := findContact(t, s, "Hugo Martin")
	hugo.Title = "Baker"
	if err := s.SaveContact(ctx, hugo); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{Progress: func(step string) {
		if strings.HasPrefix(step, "Writing") {
			srv.Put(t, book+"hugo.vcf", "text/vcard", vcard3("uid-hugo", "Hugo", "Martin", "+49 151 99999999", ""))
		}
	}})
	if len(rep.Conflicts) != 1 || rep.ToPhoneUpdated != 0 {
		t.Fatalf("write after the phone's change: %s", rep.Summary())
	}
	if got := srv.Get(t, book+"hugo.vcf"); !strings.Contains(got, "99999999") || strings.Contains(got, "Baker") {
		t.Errorf("the phone's card was overwritten:\n%s", got)
	}
}

// TestPhoneSyncDeletionsAsk: a card deleted on the phone and a contact
// deleted here are reported; neither deletion reaches the other side by
// itself, and the deleted contact does not come back.
func TestPhoneSyncDeletionsAsk(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	srv.Delete(t, book+"peter.vcf")
	if err := s.DeleteContact(ctx, findContact(t, s, "Hugo Martin").ID); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.DeletedOnPhone) != 1 || rep.DeletedOnPhone[0].Name != "Peter Schmidt" {
		t.Errorf("deleted on the phone: %+v", rep.DeletedOnPhone)
	}
	if len(rep.DeletedHere) != 1 || rep.DeletedHere[0].Href != book+"hugo.vcf" {
		t.Errorf("deleted here: %+v", rep.DeletedHere)
	}
	if got := names(t, s); !slices.Equal(got, []string{"Peter Schmidt"}) {
		t.Errorf("contacts: %v, want Peter kept and Hugo not back", got)
	}
	if got := srv.Objects(t, book); !slices.Equal(got, []string{"hugo.vcf"}) {
		t.Errorf("phone: %v, want Hugo's card kept", got)
	}
}

// TestPhoneSyncServerGoneMidway: the server goes away while the sync reads;
// the error says so in words, and the next sync finishes the work without
// a duplicate.
func TestPhoneSyncServerGoneMidway(t *testing.T) {
	s, srv, book := syncDesk(t)
	cards := map[string]string{}
	for i := range 30 {
		cards[fmt.Sprintf("p%02d.vcf", i)] = vcard3(fmt.Sprintf("uid-%02d", i), "Person", fmt.Sprintf("Number%02d", i), fmt.Sprintf("+49 151 100000%02d", i), "")
	}
	srv.Seed(t, book, cards)
	_, err := s.SyncPhone(t.Context(), SyncOptions{Password: srv.Password, Region: "DE", Progress: func(step string) {
		if strings.HasPrefix(step, "Reading") {
			srv.Stop()
		}
	}})
	if !errors.Is(err, dav.ErrUnreachable) {
		t.Fatalf("sync with the server gone: %v, want ErrUnreachable", err)
	}
	if got := names(t, s); len(got) != 0 {
		t.Errorf("a failed read imported %d contacts", len(got))
	}
	srv.Restart(t)
	rep := syncNow(t, s, srv, SyncOptions{})
	if rep.FromPhoneAdded != 30 {
		t.Errorf("after the server came back: %s", rep.Summary())
	}
	rep = syncNow(t, s, srv, SyncOptions{})
	if rep.FromPhoneAdded != 0 || len(names(t, s)) != 30 || len(srv.Objects(t, book)) != 30 {
		t.Errorf("then: %s, %d contacts, %d cards", rep.Summary(), len(names(t, s)), len(srv.Objects(t, book)))
	}
}

// TestPhoneSyncPasswordNeverInTheDatabase: the password is kept in a 0600
// file where no keyring runs, and read back from there.
func TestPhoneSyncPasswordKeptApart(t *testing.T) {
	s := newService(t)
	where, err := s.SavePhoneSyncPassword("https://dav.example.com/", "owner", "s3cret-counter")
	if err != nil {
		t.Fatal(err)
	}
	if where == "" || where == "the system keyring" {
		t.Fatalf("kept in %q, want the file", where)
	}
	got, found, err := s.PhoneSyncPassword("https://dav.example.com/", "owner")
	if err != nil || !found || got != "s3cret-counter" {
		t.Fatalf("read back: %q %v %v", got, found, err)
	}
	set, err := s.store().Settings(t.Context(), settingSyncURL, settingSyncUser, settingSyncBook, settingSyncToken)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		if strings.Contains(v, "s3cret") {
			t.Errorf("setting %s holds the password", k)
		}
	}
	assertMode0600(t, where)
}

func TestPhoneSyncNotSetUp(t *testing.T) {
	s := newService(t)
	if _, err := s.SyncPhone(context.Background(), SyncOptions{}); !errors.Is(err, ErrSyncNotSetUp) {
		t.Fatalf("sync before set-up: %v", err)
	}
}

// TestPhoneSyncSharedExports: the shared real exports' vCard 3.0 and 4.0
// cards, put on the server as a phone keeps them (one card a file, UTF-8 as
// CardDAV requires, a UID added where the export had none), come in by sync
// as the same contacts a file import of the same cards gives, and a second
// sync changes nothing.
func TestPhoneSyncSharedExports(t *testing.T) {
	sharedOrSkip(t)
	s, srv, book := syncDesk(t)
	files, _ := filepath.Glob(filepath.Join(sharedVCards, "*", "*.vcf"))
	var seed []string
	for _, f := range files {
		cards, skips := readCards(t, f)
		// Every file, but not all thousand cards of the generated ones:
		// the server takes 16 ms to store a card.
		cards = cards[:min(len(cards), 40)]
		for i, ic := range cards {
			raw := string(ic.Raw)
			if skips[i] != nil || !utf8.ValidString(raw) ||
				!strings.Contains(raw, "VERSION:3.0") && !strings.Contains(raw, "VERSION:4.0") {
				continue
			}
			if !strings.Contains(strings.ToUpper(raw), "\nUID") {
				raw = strings.Replace(raw, "\n", fmt.Sprintf("\nUID:shared-%d\r\n", len(seed)), 1)
			}
			if !strings.HasSuffix(raw, "\n") {
				raw += "\r\n"
			}
			seed = append(seed, raw)
		}
	}
	if len(seed) < 60 {
		t.Fatalf("only %d shared cards to put on the server", len(seed))
	}
	start := time.Now()
	kept := srv.Upload(t, book, "text/vcard", seed)
	t.Logf("upload %v", time.Since(start))
	srv.Warm(t, book) // as the phone syncing with it keeps it
	start = time.Now()
	rep := syncNow(t, s, srv, SyncOptions{Progress: func(step string) { t.Logf("%v %s", time.Since(start), step) }})
	t.Logf("first sync %v", time.Since(start))
	viaSync := names(t, s)

	byFile := newService(t)
	path := filepath.Join(t.TempDir(), "accepted.vcf")
	if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := byFile.ImportVCards(t.Context(), path, ImportOptions{Region: "DE"}); err != nil {
		t.Fatal(err)
	}
	viaFile := names(t, byFile)
	if !slices.Equal(viaSync, viaFile) {
		for _, n := range viaSync {
			if !slices.Contains(viaFile, n) {
				t.Errorf("by sync only: %q", n)
			}
		}
		for _, n := range viaFile {
			if !slices.Contains(viaSync, n) {
				t.Errorf("by file only: %q", n)
			}
		}
	}
	t.Logf("%d of %d shared cards on the server (the rest refused by it); sync: %s", len(kept), len(seed), rep.Summary())
	start = time.Now()
	again := syncNow(t, s, srv, SyncOptions{})
	t.Logf("second sync %v", time.Since(start))
	if again.FromPhoneAdded+again.FromPhoneMerged+again.FromPhoneUpdated+again.ToPhoneAdded+again.ToPhoneUpdated != 0 || len(again.Conflicts) != 0 {
		t.Errorf("a second sync of the shared cards: %s\n%s", again.Summary(), strings.Join(again.Lines, "\n"))
	}
}

// TestPhoneSyncResolve: of a contact changed on both sides, the owner keeps
// the phone's version for one and theirs for another; the next sync then
// finds nothing to do.
func TestPhoneSyncResolve(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	srv.Put(t, book+"peter.vcf", "text/vcard", vcard3("uid-peter", "Peter", "Schmidt", "+49 171 5550000", ""))
	srv.Put(t, book+"hugo.vcf", "text/vcard", vcard3("uid-hugo", "Hugo", "Martin", "+49 151 77777777", ""))
	for _, name := range []string{"Peter Schmidt", "Hugo Martin"} {
		c := findContact(t, s, name)
		c.Title = "edited here"
		if err := s.SaveContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.Conflicts) != 2 {
		t.Fatalf("conflicts: %+v", rep.Conflicts)
	}
	if err := s.ResolveSyncConflict(ctx, srv.Password, book+"peter.vcf", KeepPhone); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveSyncConflict(ctx, srv.Password, book+"hugo.vcf", KeepMine); err != nil {
		t.Fatal(err)
	}
	if p := findContact(t, s, "Peter Schmidt"); len(p.Phones) != 1 || p.Phones[0].Normalized != "+491715550000" {
		t.Errorf("Peter after keeping the phone's: %+v", p.Phones)
	}
	if got := srv.Get(t, book+"hugo.vcf"); !strings.Contains(got, "edited here") || strings.Contains(got, "77777777") {
		t.Errorf("Hugo on the phone after keeping mine:\n%s", got)
	}
	again := syncNow(t, s, srv, SyncOptions{})
	if len(again.Conflicts) != 0 || again.FromPhoneUpdated+again.ToPhoneUpdated != 0 {
		t.Errorf("after resolving: %s\n%s", again.Summary(), strings.Join(again.Lines, "\n"))
	}
}
