package app

import (
	"context"
	"testing"

	"github.com/rapportjournal/rapport/model"
)

func owedReasons(t *testing.T, s *Service, id int64) []string {
	t.Helper()
	c, err := s.Contact(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range c.NotesOwed {
		out = append(out, n.Due+" "+n.Reason)
	}
	return out
}

func TestThankYouNotesPlanThemselves(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	jorg := &model.Contact{GivenName: "Jörg"}
	if err := s.CreateContact(ctx, jorg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogEntry(ctx, jorg.ID, model.KindCall, "asked about opening hours"); err != nil {
		t.Fatal(err)
	}
	if got := owedReasons(t, s, jorg.ID); len(got) != 0 {
		t.Fatalf("a call plans no note: %v", got)
	}
	if _, err := s.LogEntry(ctx, jorg.ID, model.KindMet, "came in for a gift"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogEntry(ctx, jorg.ID, model.KindPurchase, "bought candles"); err != nil {
		t.Fatal(err)
	}
	if got := owedReasons(t, s, jorg.ID); len(got) != 1 || got[0] != "2026-11-25 Thank you for the first visit" {
		t.Errorf("after the first meeting and a purchase: %v", got)
	}
	// Referred by Jörg: Jörg gets a thank-you note.
	anna := &model.Contact{GivenName: "Anna", ReferredByID: &jorg.ID}
	if err := s.CreateContact(ctx, anna); err != nil {
		t.Fatal(err)
	}
	if got := owedReasons(t, s, jorg.ID); len(got) != 2 || got[1] != "2026-11-25 Thank you for referring Anna" {
		t.Errorf("the referrer's notes: %v", got)
	}
	// Switched off, the rules plan nothing.
	s.SetRule(ctx, RuleThankYou, false)
	s.SetRule(ctx, RuleReferrer, false)
	ben := &model.Contact{GivenName: "Ben", ReferredByID: &jorg.ID}
	if err := s.CreateContact(ctx, ben); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogEntry(ctx, ben.ID, model.KindPurchase, "a mug"); err != nil {
		t.Fatal(err)
	}
	if len(owedReasons(t, s, ben.ID)) != 0 || len(owedReasons(t, s, jorg.ID)) != 2 {
		t.Errorf("rules switched off still planned notes: %v %v", owedReasons(t, s, ben.ID), owedReasons(t, s, jorg.ID))
	}
}
