package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/model"
)

// cardFile writes cards (the lines between BEGIN and END) to a file.
func cardFile(t *testing.T, cards ...string) string {
	t.Helper()
	var b strings.Builder
	for _, c := range cards {
		b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\n" + strings.ReplaceAll(strings.TrimSpace(c), "\n", "\r\n") + "\r\nEND:VCARD\r\n")
	}
	path := filepath.Join(t.TempDir(), "cards.vcf")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	anna = "N:Schmidt;Anna;;;\nFN:Anna Schmidt\nTEL;TYPE=HOME:+49 30 1234567\nEMAIL:anna@example.com"
	// Peter's card writes the landline as a phone in Germany does.
	peter = "N:Schmidt;Peter;;;\nFN:Peter Schmidt\nTEL;TYPE=HOME:030 1234567\nEMAIL:peter@example.com"
)

// linksOf lists a contact's links as "name: reason".
func linksOf(t *testing.T, s *Service, c *model.Contact) []string {
	t.Helper()
	links, err := s.Links(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range links {
		out = append(out, l.Name+": "+l.Reason)
	}
	return out
}

func emailsOf(c *model.Contact) []string {
	var out []string
	for _, e := range c.Emails {
		out = append(out, e.Address)
	}
	return out
}

func countContacts(t *testing.T, s *Service) int64 {
	t.Helper()
	n, err := s.store().CountContacts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkCouple checks that Anna and Peter are two contacts, each with their
// own email, linked as a household by their landline.
func checkCouple(t *testing.T, s *Service, shown string) {
	t.Helper()
	if n := countContacts(t, s); n != 2 {
		t.Errorf("%d contacts, want Anna and Peter", n)
	}
	a, p := contactNamed(t, s, "Anna Schmidt"), contactNamed(t, s, "Peter Schmidt")
	if !slices.Equal(emailsOf(a), []string{"anna@example.com"}) || !slices.Equal(emailsOf(p), []string{"peter@example.com"}) {
		t.Errorf("emails: Anna %v, Peter %v", emailsOf(a), emailsOf(p))
	}
	if got := linksOf(t, s, a); !slices.Equal(got, []string{"Peter Schmidt: same phone " + shown}) {
		t.Errorf("Anna's links: %q", got)
	}
	if got := linksOf(t, s, p); !slices.Equal(got, []string{"Anna Schmidt: same phone " + shown}) {
		t.Errorf("Peter's links: %q", got)
	}
}

func TestACoupleSharingALandlineStaysTwoPeople(t *testing.T) {
	s := newService(t)
	path := cardFile(t, anna, peter)
	rep := importFile(t, s, path, ImportOptions{})
	if rep.Summary() != "imported 2, merged 0, skipped 0; 1 household linked" {
		t.Errorf("report %s", rep.Summary())
	}
	checkCouple(t, s, "030 1234567")

	// The same file again changes nothing.
	before := exportString(t, s)
	rep = importFile(t, s, path, ImportOptions{})
	if rep.Summary() != "imported 0, merged 2, skipped 0" {
		t.Errorf("second import: %s", rep.Summary())
	}
	if after := exportString(t, s); after != before {
		t.Errorf("the second import changed the contacts:\n%s\n%s", before, after)
	}
	checkCouple(t, s, "030 1234567")
}

func TestPeterImportedLaterBesideAnnaIsAddedAndLinked(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	importFile(t, s, cardFile(t, anna), ImportOptions{})
	later := cardFile(t, peter)
	plan, err := s.PlanImport(ctx, later, "DE")
	if err != nil {
		t.Fatal(err)
	}
	if pc := plan[0]; pc.Match != nil || pc.Action != ActionAdd || pc.Shared == nil ||
		pc.Shared.Name != "Anna Schmidt" || pc.Shared.By != "phone" || pc.Shared.ContactID == 0 {
		t.Fatalf("preview: match %+v, shared %+v, action %s", pc.Match, pc.Shared, pc.Action)
	}
	rep := importFile(t, s, later, ImportOptions{})
	if rep.Created != 1 || rep.Merged != 0 || rep.Linked != 1 {
		t.Errorf("report %s", rep.Summary())
	}
	checkCouple(t, s, "030 1234567")

	// Undoing the import takes Peter and the link away, and Anna keeps
	// only her own.
	undo, err := s.UndoImport(ctx, rep.BatchID)
	if err != nil {
		t.Fatal(err)
	}
	if undo.Removed != 1 || len(undo.Kept) != 0 {
		t.Errorf("undo: %+v", undo)
	}
	a := contactNamed(t, s, "Anna Schmidt")
	if got := linksOf(t, s, a); len(got) != 0 || countContacts(t, s) != 1 {
		t.Errorf("after undo: %d contacts, Anna's links %q", countContacts(t, s), got)
	}
	if !slices.Equal(emailsOf(a), []string{"anna@example.com"}) {
		t.Errorf("Anna's emails after undo: %v", emailsOf(a))
	}
}

func TestTheOwnerMayStillMergeAHouseholdCard(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	importFile(t, s, cardFile(t, anna), ImportOptions{})
	later := cardFile(t, peter)
	plan, err := s.PlanImport(ctx, later, "DE")
	if err != nil || plan[0].Shared == nil {
		t.Fatalf("plan %+v %v", plan, err)
	}
	rep := importFile(t, s, later, ImportOptions{MergeInto: map[int]int64{1: plan[0].Shared.ContactID}})
	if rep.Summary() != "imported 0, merged 1, skipped 0" {
		t.Errorf("report %s", rep.Summary())
	}
	a := contactNamed(t, s, "Anna Schmidt")
	if !slices.Contains(emailsOf(a), "peter@example.com") || len(linksOf(t, s, a)) != 0 {
		t.Errorf("merged as the owner chose: emails %v, links %v", emailsOf(a), linksOf(t, s, a))
	}
}

func TestAnOfficeSwitchboardKeepsEveryone(t *testing.T) {
	s := newService(t)
	path := cardFile(t,
		"FN:Hans Meier\nORG:Acme GmbH\nTEL;TYPE=WORK:+49 89 5000",
		"FN:Erika Mustermann\nORG:Acme GmbH\nTEL;TYPE=WORK:+49 89 5000\nEMAIL:info@acme.example",
		"FN:Jürgen Weber\nORG:Acme GmbH\nTEL;TYPE=WORK:089 5000\nEMAIL:INFO@acme.example")
	rep := importFile(t, s, path, ImportOptions{})
	if rep.Summary() != "imported 3, merged 0, skipped 0; 3 households linked" {
		t.Errorf("report %s", rep.Summary())
	}
	if n := countContacts(t, s); n != 3 {
		t.Errorf("%d contacts, want 3", n)
	}
	j := contactNamed(t, s, "Jürgen Weber")
	if got := linksOf(t, s, j); !slices.Equal(got, []string{"Erika Mustermann: same phone 089 5000", "Hans Meier: same phone 089 5000"}) {
		t.Errorf("Jürgen's links: %q", got)
	}
	before := exportString(t, s)
	if rep := importFile(t, s, path, ImportOptions{}); rep.Created != 0 || rep.Linked != 0 || exportString(t, s) != before {
		t.Errorf("the second import changed something: %s", rep.Summary())
	}
}

func TestTheSamePersonUnderAnotherFormOfTheNameIsMerged(t *testing.T) {
	for _, tt := range []struct {
		name, have, card string
	}{
		{"initial", "N:Schmidt;Peter;;;\nFN:Peter Schmidt", "FN:P. Schmidt"},
		{"nickname from the table", "N:Schmidt;Peter;;;\nFN:Peter Schmidt", "N:Schmidt;Pete;;;\nFN:Pete Schmidt"},
		{"English nickname", "FN:William Brown", "FN:Bill Brown"},
		{"German nickname", "FN:Johannes Weber", "FN:Hans Weber"},
		{"family name first", "FN:Anna Schmidt", "FN:Schmidt, Anna"},
		{"accents and case", "FN:Jörg Müller", "FN:JORG MULLER"},
		{"a prefix of the given name", "FN:Alexander Petrov", "FN:Alex Petrov"},
		{"the contact's own nickname", "N:Meier;Johanna;;;\nFN:Johanna Meier\nNICKNAME:Jojo", "FN:Jojo Meier"},
		{"given name alone", "FN:Anna Schmidt", "FN:Anna"},
		{"family initial", "FN:Olga Petrova", "FN:Olga P."},
		{"no name on the contact", "", "FN:Anna Schmidt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			// Ingrid, first, shares the landline; the card is not hers.
			importFile(t, s, cardFile(t, "FN:Ingrid Wolff\nTEL;TYPE=HOME:+49 30 1234567"), ImportOptions{})
			if tt.have == "" {
				// Typed by the owner: an imported card of no name would
				// have joined Ingrid.
				err := s.CreateContact(context.Background(), &model.Contact{DisplayName: "+49 30 1234567",
					Phones: []model.Phone{{Number: "+49 30 1234567"}}})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				importFile(t, s, cardFile(t, tt.have+"\nTEL;TYPE=HOME:+49 30 1234567"), ImportOptions{})
			}
			rep := importFile(t, s, cardFile(t, tt.card+"\nTEL;TYPE=HOME:030 1234567\nEMAIL:new@example.com"), ImportOptions{})
			if rep.Summary() != "imported 0, merged 1, skipped 0" {
				t.Errorf("report %s", rep.Summary())
			}
			if n := countContacts(t, s); n != 2 {
				t.Errorf("%d contacts", n)
			}
			if got := emailsOf(contactNamed(t, s, "Ingrid Wolff")); len(got) != 0 {
				t.Errorf("merged into Ingrid: %v", got)
			}
		})
	}
}

// A card with no person's name agrees with every contact holding its phone:
// it goes to the first.
func TestACardWithNoNameIsMerged(t *testing.T) {
	for _, card := range []string{"TEL;TYPE=WORK:+49 30 7654321", "EMAIL:anna@example.com"} {
		s := newService(t)
		importFile(t, s, cardFile(t, "FN:Anna Schmidt\nTEL;TYPE=HOME:+49 30 1234567"), ImportOptions{})
		rep := importFile(t, s, cardFile(t, card+"\nTEL;TYPE=HOME:030 1234567\nEMAIL:new@example.com"), ImportOptions{})
		if rep.Summary() != "imported 0, merged 1, skipped 0" || countContacts(t, s) != 1 {
			t.Errorf("%q: %s", card, rep.Summary())
		}
	}
}

// An organisation is a name: the bakery sharing Anna's number is not Anna,
// nor is Anna the bakery; two cards of the bakery are one contact.
func TestAnOrganisationIsNotThePersonSharingItsNumber(t *testing.T) {
	for _, tt := range []struct{ name, have, card, want string }{
		{"bakery card, person contact", "FN:Anna Schmidt", "ORG:Schmidt Bakery", "imported 1, merged 0, skipped 0; 1 household linked"},
		{"person card, bakery contact", "ORG:Schmidt Bakery", "FN:Anna Schmidt\nORG:Schmidt Bakery", "imported 1, merged 0, skipped 0; 1 household linked"},
		{"the bakery again", "ORG:Schmidt Bakery", "ORG:schmidt bakery", "imported 0, merged 1, skipped 0"},
		{"another firm", "ORG:Schmidt Bakery", "ORG:Weber Florist", "imported 1, merged 0, skipped 0; 1 household linked"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			importFile(t, s, cardFile(t, tt.have+"\nTEL;TYPE=WORK:+49 30 1234567"), ImportOptions{})
			rep := importFile(t, s, cardFile(t, tt.card+"\nTEL;TYPE=WORK:030 1234567\nEMAIL:new@example.com"), ImportOptions{})
			if rep.Summary() != tt.want {
				t.Errorf("report %s, want %s", rep.Summary(), tt.want)
			}
		})
	}
}

func TestDifferentPeopleOfOneFamilyAreNotMerged(t *testing.T) {
	for _, tt := range []struct{ name, have, card string }{
		{"given names differ", "FN:Anna Schmidt", "FN:Peter Schmidt"},
		{"family names differ", "FN:Anna Schmidt", "FN:Anna Weber"},
		{"another initial", "FN:Anna Schmidt", "FN:P. Schmidt"},
		{"one word, another person", "FN:Anna Schmidt", "FN:Peter"},
		{"a two-letter start is no short form", "FN:Joanna Schmidt", "FN:Jo Schmidt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			importFile(t, s, cardFile(t, tt.have+"\nEMAIL:family@example.com"), ImportOptions{})
			rep := importFile(t, s, cardFile(t, tt.card+"\nEMAIL:Family@example.com"), ImportOptions{})
			if rep.Summary() != "imported 1, merged 0, skipped 0; 1 household linked" {
				t.Errorf("report %s", rep.Summary())
			}
		})
	}
}

func TestPreviewSaysSamePhoneAsAnEarlierCard(t *testing.T) {
	s := newService(t)
	plan, err := s.PlanImport(context.Background(), cardFile(t, anna, peter), "DE")
	if err != nil {
		t.Fatal(err)
	}
	if plan[0].Shared != nil || plan[1].Match != nil || plan[1].Action != ActionAdd ||
		plan[1].Shared == nil || *plan[1].Shared != (Match{Name: "Anna Schmidt", By: "phone"}) {
		t.Errorf("plan: %+v / %+v %+v", plan[0].Shared, plan[1].Match, plan[1].Shared)
	}
}

// TestSharedExportsImportTwiceChangeNothing imports every real export into
// one database, then all of them again: the second round adds, merges into
// and links nothing new.
func TestSharedExportsImportTwiceChangeNothing(t *testing.T) {
	sharedOrSkip(t)
	ctx := context.Background()
	s := newService(t)
	files, _ := filepath.Glob(filepath.Join(sharedVCards, "*", "*.vcf"))
	if len(files) == 0 {
		t.Fatal("no shared files")
	}
	importAll := func() (created, linked int) {
		for _, f := range files {
			rep, err := s.ImportVCards(ctx, f, ImportOptions{Region: "DE"})
			if err != nil && rep == nil {
				continue // a file the import refuses whole
			}
			created += rep.Created
			linked += rep.Linked
		}
		return created, linked
	}
	snapshot := func() string {
		rows, err := s.ListContacts(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range rows {
			links, err := s.Links(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%d %s %d\n", r.ID, r.DisplayName, len(links))
		}
		return b.String() + exportString(t, s)
	}
	created, linked := importAll()
	if created < 1000 {
		t.Fatalf("the first round created only %d contacts", created)
	}
	before := snapshot()
	again, linkedAgain := importAll()
	if again != 0 || linkedAgain != 0 {
		t.Errorf("the second round created %d contacts and %d links (the first: %d, %d)", again, linkedAgain, created, linked)
	}
	if after := snapshot(); after != before {
		t.Error("the second round changed the contacts")
	}
	t.Logf("%d contacts, %d household links", created, linked)
}
