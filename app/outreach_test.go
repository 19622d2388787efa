package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// outreachFixture makes six people, each chosen for what tells the
// selections apart; it returns their IDs by first name.
func outreachFixture(t *testing.T, s *Service) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	email := func(a string) []model.Email { return []model.Email{{Address: a}} }
	extraAgo := func(months int) []model.JournalEntry {
		return []model.JournalEntry{{Kind: model.KindExtra, At: fixedNow.AddDate(0, -months, 0), Text: "a pretzel"}}
	}
	people := []*model.Contact{
		{GivenName: "Anna", FamilyName: "Alder", Stage: model.StageClient, Emails: email("anna@example.org"),
			Tags: []model.Tag{{Name: "regular"}}, NewsletterConsent: true, Details: []model.Detail{{Label: "Dog", Value: "Rex"}}},
		{GivenName: "Bruno", FamilyName: "Berg", Stage: model.StageClient, Tags: []model.Tag{{Name: "regular"}},
			Addresses: []model.Address{{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin", Country: "Germany"}}},
		{GivenName: "Carla", FamilyName: "Cruz", Stage: model.StageCustomer, Emails: email("carla@example.org"), NewsletterConsent: true},
		{GivenName: "Dora", FamilyName: "Dahl", Stage: model.StageClient, Emails: email("dora@example.org"), Journal: extraAgo(2)},
		{GivenName: "Emil", FamilyName: "Eck", Stage: model.StageClient, Emails: email("emil@example.org"), Journal: extraAgo(8)},
		{GivenName: "Fritz", FamilyName: "Fox", Stage: model.StageProspect},
	}
	ids := map[string]int64{}
	for _, c := range people {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids[c.GivenName] = c.ID
	}
	return ids
}

func namesOf(ids map[string]int64, reach []int64) string {
	var out []string
	for _, id := range reach {
		for name, have := range ids {
			if have == id {
				out = append(out, name)
			}
		}
	}
	return strings.Join(out, " ")
}

func TestOutreachSelects(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	ids := outreachFixture(t, s)
	social := Outreach{Kind: model.KindSocial, Title: "Instagram"}
	for _, tt := range []struct {
		c    OutreachCriteria
		want string
	}{
		{OutreachCriteria{}, "Anna Bruno Carla Dora Emil Fritz"},
		{NoExtraPreset(), "Anna Bruno Emil"}, // Dora had one 2 months ago, Emil 8
		{OutreachCriteria{Consent: true}, "Anna Carla"},
		{OutreachCriteria{Tag: "regular"}, "Anna Bruno"},
		{OutreachCriteria{Detail: "dog"}, "Anna"},
		{OutreachCriteria{Search: "carla"}, "Carla"},
		{OutreachCriteria{Search: "nobody-here"}, ""},
		{OutreachCriteria{Stage: model.StageCustomer, Consent: true}, "Carla"},
		{OutreachCriteria{Stage: model.StageClient, Tag: "regular", Consent: true}, "Anna"},
	} {
		p, err := s.PlanOutreach(ctx, tt.c, social)
		if err != nil {
			t.Fatal(err)
		}
		if got := namesOf(ids, p.Reach); got != tt.want || p.Skipped != 0 || p.Selected != len(p.Reach) {
			t.Errorf("%s: reach %q (%d selected, %d skipped), want %q", tt.c, got, p.Selected, p.Skipped, tt.want)
		}
	}
}

func TestOutreachRecordsSkipsAndUndoes(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	ids := outreachFixture(t, s)
	before := exportString(t, s)
	article := Outreach{Kind: model.KindArticle, Title: "Sourdough at home", Link: "https://example.org/sourdough"}
	p, err := s.PlanOutreach(ctx, OutreachCriteria{Tag: "regular"}, article)
	if err != nil {
		t.Fatal(err)
	}
	done, err := s.SendOutreach(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if done.Reached != 2 || fmt.Sprint(done.BCC) != "[[anna@example.org]]" || namesOf(ids, done.NoEmail) != "Bruno" {
		t.Fatalf("reached %d, BCC %v, without email %q", done.Reached, done.BCC, namesOf(ids, done.NoEmail))
	}
	c, err := s.store().Contact(ctx, ids["Bruno"])
	if err != nil {
		t.Fatal(err)
	}
	e := c.Journal[len(c.Journal)-1]
	if e.Kind != model.KindArticle || e.Text != "Shared the article “Sourdough at home” https://example.org/sourdough" ||
		e.OutreachID == nil || *e.OutreachID != done.ID || e.Title != article.Title || e.Link != article.Link {
		t.Errorf("Bruno's entry: %+v", e)
	}
	// Everyone now: Anna and Bruno got it already, by the same title or the same link.
	for _, again := range []Outreach{article, {Kind: model.KindArticle, Title: "Sourdough at home"},
		{Kind: model.KindArticle, Link: "https://example.org/sourdough", Title: "Another name"}} {
		p, err := s.PlanOutreach(ctx, OutreachCriteria{}, again)
		if err != nil {
			t.Fatal(err)
		}
		if p.Selected != 6 || p.Skipped != 2 || namesOf(ids, p.Reach) != "Carla Dora Emil Fritz" {
			t.Errorf("%+v again: %d selected, %d skipped, reach %q", again, p.Selected, p.Skipped, namesOf(ids, p.Reach))
		}
	}
	other, _ := s.PlanOutreach(ctx, OutreachCriteria{}, Outreach{Kind: model.KindArticle, Title: "Rye", Link: "https://example.org/rye"})
	if other.Skipped != 0 || len(other.Reach) != 6 {
		t.Errorf("another article skips %d", other.Skipped)
	}
	// The plan made before the send skips them too when sent late.
	if late, err := s.SendOutreach(ctx, p); err != nil || late.Reached != 0 || late.Skipped != 2 || late.Undo != nil {
		t.Errorf("the same plan sent twice: %+v, %v", late, err)
	}
	if err := done.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if after := exportString(t, s); after != before {
		t.Errorf("after undo the export differs:\n%s\nwant\n%s", after, before)
	}
	// An outreach's line stays out of the search index (see AddOutreach),
	// also when a card it is on is indexed again (a note logged on it).
	if _, err := s.SendOutreach(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.store().SaveJournalEntry(ctx, &model.JournalEntry{ContactID: ids["Bruno"], Kind: model.KindNote, Text: "rye fan"}); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.ListContacts(ctx, "sourdough"); len(found) != 0 {
		t.Errorf("search sourdough finds %d, want 0", len(found))
	}
	if found, _ := s.ListContacts(ctx, "rye"); len(found) != 1 {
		t.Errorf("search rye finds %d, want Bruno", len(found))
	}
	if _, err := s.UndoOutreach(ctx, done.ID); !errors.Is(err, model.ErrOutreachGone) {
		t.Errorf("undo twice: %v", err)
	}
}

func TestOutreachNewsletterIsNamedAfterTheMonth(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	ids := outreachFixture(t, s)
	p, err := s.PlanOutreach(ctx, OutreachCriteria{Consent: true}, Outreach{Kind: model.KindNewsletter})
	if err != nil {
		t.Fatal(err)
	}
	if p.Outreach.Title != "November 2026" || p.Outreach.Text() != "Newsletter sent: November 2026" {
		t.Errorf("title %q, text %q", p.Outreach.Title, p.Outreach.Text())
	}
	done, err := s.SendOutreach(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.Outreaches(ctx)
	if err != nil || len(list) != 1 || list[0].ID != done.ID || list[0].Reached != 2 || list[0].Title != "November 2026" {
		t.Fatalf("outreaches %+v, %v", list, err)
	}
	// December's issue reaches them again; November's, not.
	dec, _ := s.PlanOutreach(ctx, OutreachCriteria{Consent: true}, Outreach{Kind: model.KindNewsletter, Title: "December 2026"})
	nov, _ := s.PlanOutreach(ctx, OutreachCriteria{Consent: true}, Outreach{Kind: model.KindNewsletter})
	if len(dec.Reach) != 2 || len(nov.Reach) != 0 || nov.Skipped != 2 {
		t.Errorf("December reaches %d, November again %d (skipped %d)", len(dec.Reach), len(nov.Reach), nov.Skipped)
	}
	// Backup → restore into an empty database keeps the outreach whole.
	data := exportString(t, s)
	s2 := newService(t)
	if _, err := s2.Restore(ctx, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	list2, err := s2.Outreaches(ctx)
	if err != nil || len(list2) != 1 || list2[0] != list[0] {
		t.Errorf("restored outreaches %+v, want %+v (%v)", list2, list, err)
	}
	// Forgetting Anna takes her entry of it with her.
	if _, err := s.Forget(ctx, ids["Anna"]); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Outreaches(ctx); len(list) != 1 || list[0].Reached != 1 {
		t.Errorf("after forgetting Anna: %+v", list)
	}
}

func TestOutreachFailingWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	ids := outreachFixture(t, s)
	p, err := s.PlanOutreach(ctx, OutreachCriteria{}, Outreach{Kind: model.KindSocial})
	if err != nil {
		t.Fatal(err)
	}
	// Carla, in the middle of the six, goes between the plan and the send:
	// her entry cannot be written, and nobody's may be.
	if err := s.store().DeleteContact(ctx, ids["Carla"]); err != nil {
		t.Fatal(err)
	}
	before := exportString(t, s)
	if _, err := s.SendOutreach(ctx, p); err == nil {
		t.Fatal("an outreach to a deleted contact was recorded")
	}
	if after := exportString(t, s); after != before {
		t.Error("the failed outreach changed the journal")
	}
	if list, _ := s.Outreaches(ctx); len(list) != 0 {
		t.Errorf("outreaches after the failure: %+v", list)
	}
}

func TestOutreachRefusesWhatCannotBeSent(t *testing.T) {
	s := newService(t)
	for _, o := range []Outreach{{Kind: model.KindArticle}, {Kind: model.KindCall, Title: "x"}, {Kind: "spam"}} {
		if _, err := s.PlanOutreach(context.Background(), OutreachCriteria{}, o); err == nil {
			t.Errorf("%+v was planned", o)
		}
	}
}

func TestBCCGroups(t *testing.T) {
	for _, n := range []int{0, 50, 51, 101} {
		addresses := make([]string, n)
		for i := range addresses {
			addresses[i] = fmt.Sprintf("p%d@example.org", i+1)
		}
		groups := BCCGroups(addresses, BCCGroupSize)
		var sizes []int
		for _, g := range groups {
			sizes = append(sizes, len(g))
		}
		want := map[int][]int{0: nil, 50: {50}, 51: {50, 1}, 101: {50, 50, 1}}[n]
		if !slices.Equal(sizes, want) {
			t.Errorf("%d addresses: groups of %v, want %v", n, sizes, want)
		}
		if n > 50 && (groups[1][0] != "p51@example.org" || groups[len(groups)-1][len(groups[len(groups)-1])-1] != addresses[n-1]) {
			t.Errorf("%d addresses: the second group starts with %s", n, groups[1][0])
		}
	}
}

func TestMailtoBCC(t *testing.T) {
	got := MailtoBCC([]string{"a+b@example.org", "c@example.org"}, "Bread & butter?", "Hi,\nsee you")
	want := "mailto:?bcc=a%2Bb@example.org,c@example.org&subject=Bread%20%26%20butter%3F&body=Hi%2C%0D%0Asee%20you"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestOutreachLabels(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	ids := outreachFixture(t, s)
	job := pdf.LabelJob{Layout: pdf.LabelLayouts()["L7160"], HomeCountry: "DE"}
	var buf bytes.Buffer
	got, err := s.PrintOutreachLabels(ctx, []int64{ids["Bruno"], ids["Fritz"]}, job, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Printed != 1 || got.Pages != 1 || fmt.Sprint(got.NoAddress) != "[Fritz Fox]" || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Errorf("printed %d on %d pages, without address %v", got.Printed, got.Pages, got.NoAddress)
	}
	if dir := os.Getenv("RAPPORT_OUTREACH_PDF"); dir != "" { // to look at it
		_ = os.WriteFile(filepath.Join(dir, "outreach-labels.pdf"), buf.Bytes(), 0o600)
	}
}
