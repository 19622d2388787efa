package app

import (
	"context"
	"errors"
	"testing"

	"github.com/rapportjournal/rapport/model"
)

// Two desks open the same contact; the first saves a new stage and phone,
// the second (still holding the old copy) changes the nickname. The second
// save is refused, the differences name both sides' changes, and "keep
// mine" then writes the second desk's version over the first's.
func TestSavingOverAnotherDesksChange(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "Greta Keller", GivenName: "Greta", Stage: model.StageProspect,
		Phones: []model.Phone{{Label: "mobile", Number: "+49 151 1111111"}}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	deskA, _ := s.Contact(ctx, c.ID)
	deskB, _ := s.Contact(ctx, c.ID)

	deskA.Stage = model.StageCustomer
	deskA.Phones = append(deskA.Phones, model.Phone{Label: "work", Number: "+49 30 2222222"})
	deskA.NewsletterConsent, deskA.NewsletterConsentDate = true, "2026-11-23"
	deskA.Tags = []model.Tag{{Name: "regular"}}
	if err := s.SaveContact(ctx, deskA); err != nil {
		t.Fatal(err)
	}

	deskB.Nickname = "Gretchen"
	if err := s.SaveContact(ctx, deskB); !errors.Is(err, ErrChanged) {
		t.Fatalf("a save from a stale copy: got %v, want ErrChanged", err)
	}
	theirs, diffs, err := s.Differences(ctx, deskB)
	if err != nil {
		t.Fatal(err)
	}
	if theirs.Stage != model.StageCustomer {
		t.Errorf("theirs is not what desk A saved: %+v", theirs)
	}
	got := map[string]Difference{}
	for _, d := range diffs {
		got[d.Field] = d
	}
	if len(diffs) != 3 || got["Nickname"].Mine != "Gretchen" || got["Nickname"].Theirs != "" ||
		got["Stage"].Mine != "prospect" || got["Stage"].Theirs != "customer" ||
		got["Phones"].Theirs != "mobile +49 151 1111111, work +49 30 2222222" {
		t.Errorf("differences: %+v", diffs)
	}

	if err := s.SaveContactOver(ctx, deskB); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Contact(ctx, c.ID)
	if stored.Nickname != "Gretchen" || stored.Stage != model.StageProspect || len(stored.Phones) != 1 {
		t.Errorf("keep mine did not keep desk B's version: %+v", stored)
	}
	// What the editor does not show stays as desk A saved it.
	if !stored.NewsletterConsent || stored.NewsletterConsentDate != "2026-11-23" || len(stored.Tags) != 1 {
		t.Errorf("keep mine undid what the editor does not show: consent %v %q, tags %v",
			stored.NewsletterConsent, stored.NewsletterConsentDate, stored.Tags)
	}
	// Desk A, still holding its copy, is now the stale one.
	deskA.Title = "Owner"
	if err := s.SaveContact(ctx, deskA); !errors.Is(err, ErrChanged) {
		t.Errorf("desk A's second save: got %v, want ErrChanged", err)
	}
}
