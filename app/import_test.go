package app

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	govcard "github.com/emersion/go-vcard"
	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

func importFile(t *testing.T, s *Service, path string, opts ImportOptions) *ImportReport {
	t.Helper()
	if opts.Region == "" {
		opts.Region = "DE"
	}
	rep, err := s.ImportVCards(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func contactNamed(t *testing.T, s *Service, name string) *model.Contact {
	t.Helper()
	rows, err := s.ListContacts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.DisplayName == name {
			c, err := s.Contact(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	t.Fatalf("no contact %q among %v", name, rows)
	return nil
}

func phonesOf(c *model.Contact) []string {
	var out []string
	for _, p := range c.Phones {
		out = append(out, p.Label+"="+p.Number)
	}
	return out
}

func TestImportMapsAPhoneExport(t *testing.T) {
	s := newService(t)
	rep := importFile(t, s, "testdata/phone.vcf", ImportOptions{})
	if rep.Summary() != "imported 3, merged 0, skipped 1" {
		t.Fatalf("report: %s %+v", rep.Summary(), rep.Skipped)
	}
	if sk := rep.Skipped[0]; sk.Number != 3 || sk.Line != 27 || !strings.Contains(sk.Reason, "no name") {
		t.Errorf("skipped card: %+v", sk)
	}
	raw, err := os.ReadFile(rep.ProblemsFile)
	if err != nil || !strings.Contains(string(raw), "a card with nothing to call anyone by") {
		t.Errorf("skipped card's text not saved at %q: %v", rep.ProblemsFile, err)
	}

	maria := contactNamed(t, s, "Maria Keller")
	if got := phonesOf(maria); !slices.Equal(got, []string{"mobile=+49 151 5550101"}) {
		t.Errorf("Maria's phones: %v", got)
	}
	if maria.Phones[0].Normalized != "+491515550101" {
		t.Errorf("normalised phone: %q", maria.Phones[0].Normalized)
	}
	if len(maria.Emails) != 1 || maria.Emails[0].Label != "Studio" {
		t.Errorf("Maria's email label: %+v", maria.Emails)
	}
	if len(maria.Dates) != 1 || dateOf(maria.Dates[0]).String() != "--11-25" {
		t.Errorf("year-less Apple birthday: %+v", maria.Dates)
	}
	if len(maria.Details) != 1 || maria.Details[0].Label != "Spouse" || maria.Details[0].Value != "Tom" {
		t.Errorf("related name as a detail: %+v", maria.Details)
	}
	if len(maria.Journal) != 1 || maria.Journal[0].Kind != model.KindNote || maria.Journal[0].Text != "Likes oat flat white" {
		t.Errorf("NOTE as a journal entry: %+v", maria.Journal)
	}
	if !strings.Contains(maria.VCardExtra, "X-SOCIALPROFILE;TYPE=instagram:x-apple:mariak") {
		t.Errorf("unknown property not kept: %q", maria.VCardExtra)
	}
	if maria.Organization != "Keller Design" || maria.VCardUID != "ABC-123" {
		t.Errorf("org %q uid %q", maria.Organization, maria.VCardUID)
	}

	jorg := contactNamed(t, s, "Jörg Müller")
	if got := phonesOf(jorg); !slices.Equal(got, []string{"mobile=0171 5550202", "home=030 1234567"}) {
		t.Errorf("Jörg's phones: %v", got)
	}
	if jorg.Phones[1].Normalized != "+49301234567" {
		t.Errorf("030 1234567 in DE normalised to %q", jorg.Phones[1].Normalized)
	}
	if len(jorg.Addresses) != 1 || jorg.Addresses[0].Street != "Hauptstraße 1" || jorg.Addresses[0].City != "Berlin" {
		t.Errorf("QP address: %+v", jorg.Addresses)
	}
	var dates []string
	for _, d := range jorg.Dates {
		dates = append(dates, d.Label+" "+dateOf(d).String())
	}
	slices.Sort(dates)
	if !slices.Equal(dates, []string{"anniversary 2010-06-01", "birthday 1984-02-29"}) {
		t.Errorf("Jörg's dates: %v", dates)
	}

	olga := contactNamed(t, s, "Olga Petrova")
	if len(olga.Dates) != 0 || len(olga.Details) != 1 || olga.Details[0].Value != "19723101" {
		t.Errorf("an impossible birthday must be kept as a detail: %+v %+v", olga.Dates, olga.Details)
	}
	if len(olga.Tags) != 2 {
		t.Errorf("categories as tags: %+v", olga.Tags)
	}
}

func TestReimportMergesNeverDuplicates(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	importFile(t, s, "testdata/phone.vcf", ImportOptions{})
	before := exportString(t, s)
	rep := importFile(t, s, "testdata/phone.vcf", ImportOptions{})
	if rep.Created != 0 || rep.Merged != 3 {
		t.Fatalf("second import: %s", rep.Summary())
	}
	after := exportString(t, s)
	a, b := contactsOf(t, before), contactsOf(t, after)
	if len(a) != len(b) {
		t.Fatalf("contacts %d then %d", len(a), len(b))
	}
	for i := range a {
		a[i].UpdatedAt, b[i].UpdatedAt = "", ""
		aj, _ := json.Marshal(a[i])
		bj, _ := json.Marshal(b[i])
		if string(aj) != string(bj) {
			t.Errorf("re-import changed a contact:\n%s\n%s", aj, bj)
		}
	}
	if n, _ := s.store().CountContacts(ctx); n != 3 {
		t.Errorf("%d contacts", n)
	}
}

func TestNewerExportFillsGapsButNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	importFile(t, s, "testdata/phone.vcf", ImportOptions{})
	maria := contactNamed(t, s, "Maria Keller")
	maria.Organization = "Keller & Daughter" // the owner's own word
	if err := s.SaveContact(ctx, maria); err != nil {
		t.Fatal(err)
	}
	rep := importFile(t, s, "testdata/phone-newer.vcf", ImportOptions{})
	if rep.Merged != 1 || rep.Created != 0 {
		t.Fatalf("report %s", rep.Summary())
	}
	got := contactNamed(t, s, "Maria Keller") // FN in the newer file does not rename her
	if got.Organization != "Keller & Daughter" {
		t.Errorf("the import overwrote what the owner typed: %q", got.Organization)
	}
	if got.Title != "Designer" {
		t.Errorf("an empty field was not filled: title %q", got.Title)
	}
	if p := phonesOf(got); !slices.Equal(p, []string{"mobile=+49 151 5550101", "work=+49 30 5550303"}) {
		t.Errorf("phones after merge: %v", p)
	}
}

func TestMatchByPhoneAndEmailButNotByName(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	// The owner has Jörg under a shorter name with his number written
	// differently, and another Olga Petrova with no phone or email.
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Jörg", Phones: []model.Phone{{Number: "+49 171 5550202", Normalized: "+491715550202"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateContact(ctx, &model.Contact{GivenName: "Olga", FamilyName: "Petrova"}); err != nil {
		t.Fatal(err)
	}
	plan, err := s.PlanImport(ctx, "testdata/phone.vcf", "DE")
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 4 {
		t.Fatalf("plan has %d cards", len(plan))
	}
	if m := plan[1].Match; m == nil || m.By != "phone" || m.Name != "Jörg" || plan[1].Action != ActionMerge {
		t.Errorf("Jörg's card: match %+v action %s", m, plan[1].Action)
	}
	if plan[2].Action != ActionSkip || plan[2].Reason == "" {
		t.Errorf("nameless card: %+v", plan[2])
	}
	if plan[3].Match != nil || plan[3].Action != ActionAdd || len(plan[3].Similar) != 1 {
		t.Errorf("a name alone is a suggestion, not a match: %+v %s %+v", plan[3].Match, plan[3].Action, plan[3].Similar)
	}
	// The owner decides that this Olga is the same person after all.
	rep := importFile(t, s, "testdata/phone.vcf", ImportOptions{Actions: map[int]Action{1: ActionSkip},
		MergeInto: map[int]int64{4: plan[3].Similar[0].ID}})
	if rep.Summary() != "imported 0, merged 2, skipped 2" {
		t.Errorf("report %s", rep.Summary())
	}
	olga := contactNamed(t, s, "Olga Petrova")
	if len(olga.Emails) != 1 || olga.Emails[0].Address != "olga@example.org" {
		t.Errorf("merged into the similar contact: %+v", olga.Emails)
	}
}

func TestUndoImportBatch(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	first := importFile(t, s, "testdata/phone.vcf", ImportOptions{})
	second := importFile(t, s, "testdata/phone-newer.vcf", ImportOptions{})

	if _, err := s.UndoImport(ctx, second.BatchID); err != nil {
		t.Fatal(err)
	}
	maria := contactNamed(t, s, "Maria Keller")
	if maria.Title != "" || len(maria.Phones) != 1 {
		t.Errorf("undo left the newer file's title %q or phones %v", maria.Title, phonesOf(maria))
	}
	if _, err := s.UndoImport(ctx, second.BatchID); !errors.Is(err, ErrAlreadyUndone) {
		t.Errorf("second undo: %v", err)
	}

	// The owner logs a call with Olga: she stays when the first import goes.
	olga := contactNamed(t, s, "Olga Petrova")
	if _, err := s.LogEntry(ctx, olga.ID, model.KindCall, "Called about the market"); err != nil {
		t.Fatal(err)
	}
	rep, err := s.UndoImport(ctx, first.BatchID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != 2 || !slices.Equal(rep.Kept, []string{"Olga Petrova"}) {
		t.Errorf("undo report %+v", rep)
	}
	rows, _ := s.ListContacts(ctx, "")
	if len(rows) != 1 || rows[0].DisplayName != "Olga Petrova" {
		t.Errorf("after undo: %+v", rows)
	}
}

func TestOneBadCardNeverRollsBackTheOthers(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "mixed.vcf")
	data := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad One\r\nX-RAPPORT-STAGE:customer\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Two\r\nEND:VCARD\r\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	refuseContact(t, s, "Bad One")
	rep := importFile(t, s, path, ImportOptions{})
	if rep.Created != 2 || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "refused") || rep.Skipped[0].Line != 5 {
		t.Fatalf("report %s %+v", rep.Summary(), rep.Skipped)
	}
	rows, _ := s.ListContacts(ctx, "")
	if len(rows) != 2 {
		t.Errorf("%d contacts, want the two good ones", len(rows))
	}
}

// refuseContact makes the database refuse to add a contact named name.
func refuseContact(t *testing.T, s *Service, name string) {
	t.Helper()
	refuseRows(t, s, "contacts", "NEW.display_name = '"+name+"'")
}

// refuseRows makes the database refuse rows of table for which cond (an
// expression on NEW that SQLite and PostgreSQL both read) holds: a
// trigger, as a stand-in for any failure a real card could meet in the
// database. Fault injection is the one reason tests talk to the database
// itself.
func refuseRows(t *testing.T, s *Service, table, cond string) {
	t.Helper()
	dialector, trigger := sqlite.Open(s.StorePath()), `CREATE TRIGGER refuse BEFORE INSERT ON `+table+`
		WHEN `+cond+` BEGIN SELECT RAISE(ABORT, 'refused'); END`
	if modeltest.Postgres() {
		// StorePath is the URL without its password; the test server has none.
		dialector, trigger = postgres.Open(s.StorePath()), `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF `+cond+` THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
			CREATE TRIGGER refuse BEFORE INSERT ON `+table+` FOR EACH ROW EXECUTE FUNCTION refuse()`
	}
	db, err := gorm.Open(dialector, &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Exec(trigger).Error
	if sqlDB, _ := db.DB(); sqlDB != nil {
		sqlDB.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// A transaction failing after others have committed leaves the import's
// history counting what committed, not what it had written before it
// rolled back.
func TestAFailedTransactionLeavesTheHistoryRight(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	var buf bytes.Buffer
	// Nothing to call it by: skipped, its text saved in a problems file.
	buf.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:who?\r\nEND:VCARD\r\n")
	for i := range 3 * importChunk {
		fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nEND:VCARD\r\n", i)
	}
	path := filepath.Join(t.TempDir(), "fails.vcf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	refuseRows(t, s, "import_changes", "NEW.contact_id > 2000")
	calls := 0
	rep, err := s.ImportVCards(ctx, path, ImportOptions{Progress: func(int) {
		if calls++; calls == 1 {
			time.Sleep(txTime) // the first transaction commits after its first chunk
		}
	}})
	if err == nil || rep == nil || rep.SkippedCount != 1 || rep.Created == 0 || rep.Created >= 2000 {
		t.Fatalf("import: %v, report %+v", err, rep)
	}
	rows, _ := s.ListContacts(ctx, "")
	batches, berr := s.ImportBatches(ctx)
	if berr != nil || len(batches) != 1 {
		t.Fatalf("batches %+v (%v)", batches, berr)
	}
	b := batches[0]
	if len(rows) != rep.Created || b.Created != rep.Created || b.Skipped != 1 || b.ProblemsFile == "" {
		t.Errorf("%d contacts, report: created %d; history: created %d, skipped %d, problems %q",
			len(rows), rep.Created, b.Created, b.Skipped, b.ProblemsFile)
	}
}

// A transaction takes in several chunks; a card failing late in it rolls
// back its own chunk's fast attempt only: the chunks written before it in
// the same transaction stay, and its chunk is run again card by card.
func TestABadCardLateInTheFileKeepsTheChunksBeforeIt(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	var buf bytes.Buffer
	const total, bad = 3*importChunk + 300, 3*importChunk + 100
	for i := range total {
		name := "Person " + strconv.Itoa(i)
		if i == bad {
			name = "Bad One"
		}
		fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nEMAIL:p%d@example.com\r\nEND:VCARD\r\n", name, i)
	}
	path := filepath.Join(t.TempDir(), "late.vcf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	refuseContact(t, s, "Bad One")
	var progress []int
	rep := importFile(t, s, path, ImportOptions{Progress: func(done int) { progress = append(progress, done) }})
	if rep.Created != total-1 || rep.SkippedCount != 1 || rep.Skipped[0].Number != bad+1 {
		t.Fatalf("report %s %+v", rep.Summary(), rep.Skipped)
	}
	if len(progress) < 2 || progress[len(progress)-1] != total || !slices.IsSorted(progress) {
		t.Errorf("progress %v, want it rising to %d", progress, total)
	}
	rows, err := s.ListContacts(ctx, "")
	if err != nil || len(rows) != total-1 {
		t.Errorf("%d contacts (%v), want %d", len(rows), err, total-1)
	}
	// Nothing was added twice: importing the file again merges every card.
	if again := importFile(t, s, path, ImportOptions{}); again.Created != 0 || again.SkippedCount != 1 {
		t.Errorf("again: %s", again.Summary())
	}
}

func TestImportCanBeCancelled(t *testing.T) {
	s := newService(t)
	var buf bytes.Buffer
	for i := range 3 * importChunk {
		buf.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person " + strings.Repeat("x", i%7) + string(rune('A'+i%26)) + "\r\nEMAIL:p" + strconv.Itoa(i) + "@example.com\r\nEND:VCARD\r\n")
	}
	path := filepath.Join(t.TempDir(), "big.vcf")
	os.WriteFile(path, buf.Bytes(), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancelled once a thousand cards are in: the chunk under way when
	// cancelled is the last one written.
	atCancel := 0
	rep, err := s.ImportVCards(ctx, path, ImportOptions{Region: "DE", Progress: func(done int) {
		if done >= importChunk && atCancel == 0 {
			atCancel = done
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Cancelled || rep.Created != atCancel || atCancel >= 3*importChunk {
		t.Errorf("cancelled import, cancelled at %d: %s", atCancel, rep.Summary())
	}
	// Importing again completes it without duplicates.
	rep = importFile(t, s, path, ImportOptions{})
	if rep.Created != 3*importChunk-atCancel || rep.Merged != atCancel {
		t.Errorf("second run: %s", rep.Summary())
	}
}

func TestMissingFileIsNamed(t *testing.T) {
	s := newService(t)
	_, err := s.ImportVCards(context.Background(), "testdata/nope.vcf", ImportOptions{})
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "testdata/nope.vcf") {
		t.Errorf("err = %v", err)
	}
}

func TestVCardExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	if _, err := src.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	importFile(t, src, "testdata/phone.vcf", ImportOptions{})
	var vcards bytes.Buffer
	if err := src.ExportVCards(ctx, &vcards); err != nil {
		t.Fatal(err)
	}
	text := vcards.String()
	for i, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line %d is %d octets long", i+1, len(line))
		}
		if strings.Contains(line, "\n") {
			t.Fatalf("line %d has a bare LF", i+1)
		}
	}
	if !strings.HasPrefix(text, "BEGIN:VCARD\r\nVERSION:3.0\r\n") {
		t.Errorf("export starts %q", text[:40])
	}
	path := filepath.Join(t.TempDir(), "export.vcf")
	os.WriteFile(path, vcards.Bytes(), 0o600)
	dst := newService(t)
	rep := importFile(t, dst, path, ImportOptions{})
	if len(rep.Skipped) != 0 {
		t.Fatalf("our own export had skipped cards: %+v", rep.Skipped)
	}
	a, b := contactsOf(t, exportString(t, src)), contactsOf(t, exportString(t, dst))
	if len(a) != len(b) {
		t.Fatalf("%d contacts, then %d", len(a), len(b))
	}
	for i := range a {
		// The card's UID is the source's id (or the UID it came with).
		if want := cmp.Or(a[i].VCardUID, a[i].ID); b[i].VCardUID != want {
			t.Errorf("contact %d: card UID %q, want %q", i, b[i].VCardUID, want)
		}
		a[i].VCardUID, b[i].VCardUID = "", ""
		// Kept lines come back with their item groups renumbered.
		ungroup := regexp.MustCompile(`(?m)(^|\n)item\d+\.`)
		a[i].VCardExtra = ungroup.ReplaceAllString(a[i].VCardExtra, "$1")
		b[i].VCardExtra = ungroup.ReplaceAllString(b[i].VCardExtra, "$1")
		// What a vCard cannot carry between two databases: our ids,
		// referrals, appointments and note reminders, and the times of change.
		for _, c := range []*jsonbackup.Contact{&a[i], &b[i]} {
			c.ID, c.ReferredBy, c.CreatedAt, c.UpdatedAt = "", nil, "", ""
			c.Appointments, c.NotesOwed = nil, nil
		}
		aj, _ := json.Marshal(a[i])
		bj, _ := json.Marshal(b[i])
		if string(aj) != string(bj) {
			t.Errorf("contact %d differs after a vCard round trip:\n%s\n%s", i, aj, bj)
		}
	}
	// Olga's email keeps its own label although her kept homepage came in an
	// Apple item group of its own with the same number.
	found := false
	for _, c := range b {
		for _, e := range c.Emails {
			if e.Address == "olga@example.org" {
				found = true
				if e.Label != "Market" {
					t.Errorf("Olga's email label after the round trip: %q", e.Label)
				}
			}
		}
	}
	if !found {
		t.Error("Olga's email is missing after the round trip")
	}
	// And the kept property comes back out.
	if !strings.Contains(text, "X-SOCIALPROFILE;TYPE=instagram:x-apple:mariak") {
		t.Error("kept property missing from the export")
	}
	// Another reader (go-vcard, strict about 3.0) reads it as well.
	dec := govcard.NewDecoder(strings.NewReader(text))
	var names []string
	for {
		card, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("go-vcard cannot read our export: %v", err)
		}
		names = append(names, card.PreferredValue(govcard.FieldFormattedName))
		if card.Value(govcard.FieldVersion) != "3.0" {
			t.Fatalf("version %q", card.Value(govcard.FieldVersion))
		}
	}
	if len(names) != len(a) || !slices.Contains(names, "Jörg Müller") {
		t.Errorf("go-vcard read %d cards (%v), want %d", len(names), names[:min(3, len(names))], len(a))
	}
}

func TestTypedAndRestoredPhonesMatchImports(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.SetPhoneRegion("DE")
	// Typed by the owner in international form; the card has it nationally.
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Jörg M.", Phones: []model.Phone{{Number: "+49 171 555 0202"}}}); err != nil {
		t.Fatal(err)
	}
	// An address with capitals beyond ASCII.
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Olga P.", Emails: []model.Email{{Address: "OLGA@EXAMPLE.ORG"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Zoë", Emails: []model.Email{{Address: "ZOË@EXAMPLE.ORG"}}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "zoe.vcf")
	os.WriteFile(path, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Z\r\nEMAIL:zoë@example.org\r\nEND:VCARD\r\n"), 0o600)
	for _, file := range []string{"testdata/phone.vcf", path} {
		if rep := importFile(t, s, file, ImportOptions{}); rep.Merged == 0 {
			t.Errorf("%s: %s, want the typed contacts matched", file, rep.Summary())
		}
	}
	rows, _ := s.ListContacts(ctx, "")
	if len(rows) != 4 { // Jörg M., Olga P., Zoë, and Maria Keller who is new
		t.Errorf("contacts after import: %v", rows)
	}
	// A backup restored elsewhere still matches the phone's cards.
	other := newService(t)
	other.SetPhoneRegion("DE")
	if _, err := other.Restore(ctx, strings.NewReader(exportString(t, s))); err != nil {
		t.Fatal(err)
	}
	if rep := importFile(t, other, "testdata/phone.vcf", ImportOptions{}); rep.Created != 0 {
		t.Errorf("after a restore the same cards imported anew: %s", rep.Summary())
	}
}

func TestUndoResetsTheChangeTimeOfAContactMergedTwice(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Maria", VCardUID: "ABC-123"}); err != nil {
		t.Fatal(err)
	}
	before := contactNamed(t, s, "Maria").UpdatedAt
	dir := t.TempDir()
	path := filepath.Join(dir, "twice.vcf")
	os.WriteFile(path, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ABC-123\r\nFN:Maria\r\nTITLE:Designer\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ABC-123\r\nFN:Maria\r\nTEL:+49 30 5550303\r\nEND:VCARD\r\n"), 0o600)
	rep := importFile(t, s, path, ImportOptions{})
	if rep.Merged != 2 {
		t.Fatalf("report %s", rep.Summary())
	}
	if _, err := s.UndoImport(ctx, rep.BatchID); err != nil {
		t.Fatal(err)
	}
	after := contactNamed(t, s, "Maria")
	if !after.UpdatedAt.Equal(before) || after.Title != "" || len(after.Phones) != 0 {
		t.Errorf("after undo: updated %v (was %v), title %q, phones %v", after.UpdatedAt, before, after.Title, after.Phones)
	}
}

func TestPreviewShowsACardMatchingAnEarlierCardOfTheFile(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	path := filepath.Join(t.TempDir(), "twice.vcf")
	os.WriteFile(path, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEMAIL:anna@example.com\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna S.\r\nEMAIL:ANNA@example.com\r\nTEL:+49 30 1\r\nEND:VCARD\r\n"), 0o600)
	plan, err := s.PlanImport(ctx, path, "DE")
	if err != nil {
		t.Fatal(err)
	}
	if plan[0].Action != ActionAdd || plan[1].Action != ActionMerge || plan[1].Match == nil || plan[1].Match.Name != "Anna" {
		t.Fatalf("plan: %+v / %+v", plan[0], plan[1].Match)
	}
	// And the import does what the preview said.
	if rep := importFile(t, s, path, ImportOptions{}); rep.Summary() != "imported 1, merged 1, skipped 0" {
		t.Errorf("import: %s", rep.Summary())
	}
}
