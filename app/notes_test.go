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

func TestNotesToWriteCarryAddressAndCues(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Maria", FamilyName: "Keller",
		Addresses: []model.Address{{Street: "Hauptstraße 3", PostalCode: "10115", City: "Berlin", Country: "Germany"}},
		Details:   []model.Detail{{Label: "Coffee", Value: "oat flat white"}, {Label: "Daughter", Value: "Maya", Pinned: true}},
		NotesOwed: []model.NoteReminder{
			{Reason: "late one", Due: "2026-11-20", Status: model.NoteOwed},
			{Reason: "soon", Due: "2026-11-26", Status: model.NoteOwed},
			{Reason: "posted already", Due: "2026-11-10", Status: model.NotePosted},
		}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	notes, err := s.NotesToWrite(ctx)
	if err != nil || len(notes) != 2 {
		t.Fatalf("notes %+v %v", notes, err)
	}
	n := notes[0]
	if n.Reason != "late one" || !n.Overdue || notes[1].Overdue {
		t.Errorf("order or overdue: %+v", notes)
	}
	if n.Address != "Maria Keller\nHauptstraße 3\n10115 Berlin\nGermany" {
		t.Errorf("address %q", n.Address)
	}
	if len(n.Cues) != 2 || n.Cues[0] != "Daughter: Maya" {
		t.Errorf("cues %v", n.Cues)
	}
	if err := s.MarkNote(ctx, n.ID, model.NotePosted); err != nil {
		t.Fatal(err)
	}
	if notes, _ := s.NotesToWrite(ctx); len(notes) != 1 {
		t.Errorf("a posted note is still listed: %+v", notes)
	}
}

// TestRulesThatCannotBeReadSaySo: a setting that cannot be read is an
// error, not a rule quietly on (a note planned the owner switched off) or a
// birthday list quietly short.
func TestRulesThatCannotBeReadSaySo(t *testing.T) {
	s := newService(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if on, err := s.RuleOn(cancelled, RuleThankYou); err == nil {
		t.Errorf("RuleOn without a database answer: %v and no error", on)
	}
	if all, err := s.AllBirthdays(cancelled); err == nil {
		t.Errorf("AllBirthdays without a database answer: %v and no error", all)
	}
	if on, err := s.RuleOn(context.Background(), RuleThankYou); err != nil || !on {
		t.Errorf("the thank-you rule by default: %v, %v", on, err)
	}
}
