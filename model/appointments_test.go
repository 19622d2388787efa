package model_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// TestOverlappingAndUnrecorded: a slot's overlaps across contacts, and the
// latest appointments without an outcome with their count, on the backend
// under test (SQLite, or PostgreSQL with RAPPORT_TEST_BACKEND=postgres).
func TestOverlappingAndUnrecorded(t *testing.T) {
	ctx := context.Background()
	s := modeltest.NewStore(t)
	at := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	mk := func(name string, start time.Time, minutes int, outcome model.Outcome) int64 {
		c := &model.Contact{GivenName: name, DisplayName: name}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		a := &model.Appointment{ContactID: c.ID, Start: start, Minutes: minutes, Outcome: outcome}
		if err := s.SaveAppointment(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	long := mk("Long", at.Add(-10*time.Hour), 11*60, "") // 04:00–15:00
	anna := mk("Anna", at, 60, "on_time")                // 14:00–15:00
	mk("Before", at.Add(-time.Hour), 60, "")             // 13:00–14:00, touches only
	mk("After", at.Add(time.Hour), 30, "")               // 15:00–15:30, touches only
	mk("Yesterday", at.AddDate(0, 0, -1), 60, "no_show") // long over
	got, err := s.Overlapping(ctx, at.Add(30*time.Minute), at.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != long || got[1].ID != anna || got[1].ContactName != "Anna" {
		t.Fatalf("overlapping 14:30–15:00: %+v", got)
	}
	if got, _ := s.Overlapping(ctx, at, at.Add(time.Hour), anna); len(got) != 1 || got[0].ID != long {
		t.Errorf("overlapping Anna's own slot but hers: %+v", got)
	}
	items, total, err := s.Unrecorded(ctx, at.AddDate(0, 0, -2), at.Add(2*time.Hour), 2)
	if err != nil {
		t.Fatal(err)
	}
	// Three without an outcome; the latest two, latest first.
	if total != 3 || len(items) != 2 || !items[0].Start.Equal(at.Add(time.Hour)) || !items[1].Start.Equal(at.Add(-time.Hour)) {
		t.Errorf("unrecorded: %d %+v", total, items)
	}
}
