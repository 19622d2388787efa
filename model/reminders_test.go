package model_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// TestRemindMarkAndUnmark: the mark, its journal entry and their undo, on
// the backend under test; AppointmentsOf (the rescoring's read) carries it.
func TestRemindMarkAndUnmark(t *testing.T) {
	ctx := context.Background()
	s := modeltest.NewStore(t)
	c := &model.Contact{GivenName: "Anna", DisplayName: "Anna"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	a := &model.Appointment{ContactID: c.ID, Start: start, Minutes: 30}
	if err := s.SaveAppointment(ctx, a); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 17, 0, 0, 0, time.FixedZone("CET", 3600))
	e := &model.JournalEntry{Kind: model.KindCall, At: at, Text: "Reminded"}
	before, err := s.MarkReminded(ctx, a.ID, &at, e)
	if err != nil || before != nil {
		t.Fatalf("mark: before %v, %v", before, err)
	}
	got, err := s.AppointmentsOf(ctx, []int64{c.ID}, start.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if r := got[c.ID][0].RemindedAt; r == nil || !r.Equal(at) {
		t.Fatalf("reminded at %v, want %v", r, at)
	}
	full, err := s.Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Journal) != 1 || full.Journal[0].ContactID != c.ID || e.ID == 0 {
		t.Fatalf("journal %+v", full.Journal)
	}
	if err := s.UnmarkReminded(ctx, a.ID, before, e.ID); err != nil {
		t.Fatal(err)
	}
	full, _ = s.Contact(ctx, c.ID)
	if full.Appointments[0].RemindedAt != nil || len(full.Journal) != 0 {
		t.Errorf("after unmark: %v, %+v", full.Appointments[0].RemindedAt, full.Journal)
	}
	if _, err := s.MarkReminded(ctx, a.ID+1, &at, nil); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("marking a missing appointment: %v", err)
	}
}
