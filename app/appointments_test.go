package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

func bookedWith(t *testing.T, s *Service, name string, starts ...time.Time) (*model.Contact, []*model.Appointment) {
	t.Helper()
	ctx := context.Background()
	c := &model.Contact{GivenName: name}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	var out []*model.Appointment
	for _, st := range starts {
		a, err := s.NewAppointment(ctx, c.ID, st, 60, "fitting")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return c, out
}

func TestOutcomeRefusedBeforeTheStart(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	_, appts := bookedWith(t, s, "Anna", fixedNow.AddDate(0, 0, 5), fixedNow.Add(-time.Minute))
	ahead, started := appts[0], appts[1]
	for _, kind := range []model.Outcome{model.OutcomeNoShow, model.OutcomeOnTime, model.OutcomeExcused} {
		err := s.RecordOutcome(ctx, ahead.ID, Outcome{Kind: kind})
		if !errors.Is(err, ErrNotStarted) {
			t.Errorf("%s 5 days ahead: %v, want ErrNotStarted", kind, err)
		}
	}
	if err := s.RecordOutcome(ctx, ahead.ID, Outcome{Kind: model.OutcomeLate, MinutesLate: 5}); err == nil ||
		!errors.Is(err, ErrNotStarted) || !strings.Contains(err.Error(), "has not started yet") {
		t.Errorf("late ahead: %v", err)
	}
	got, _ := s.store().Appointment(ctx, ahead.ID)
	if got.Outcome != "" {
		t.Errorf("refused outcome stored: %q", got.Outcome)
	}
	// Cancelling ahead is what cancelling is.
	if err := s.RecordOutcome(ctx, ahead.ID, Outcome{Kind: model.OutcomeCancelled}); err != nil {
		t.Errorf("cancel ahead: %v", err)
	}
	if err := s.RecordOutcome(ctx, started.ID, Outcome{Kind: model.OutcomeNoShow}); err != nil {
		t.Errorf("no-show a minute after the start: %v", err)
	}
}

func TestOutcomeUndoRestoresExactly(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c, appts := bookedWith(t, s, "Anna", fixedNow.AddDate(0, 0, -3))
	a := appts[0]
	if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeLate, MinutesLate: 20}); err != nil {
		t.Fatal(err)
	}
	undo, err := s.SetOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeNoShow})
	if err != nil {
		t.Fatal(err)
	}
	if card, _ := s.Card(ctx, c.ID); card.Reliability.Summary == "" || !strings.Contains(card.Reliability.Summary, "no-show") {
		t.Fatalf("after no-show: %q", card.Reliability.Summary)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := s.store().Appointment(ctx, a.ID)
	if got.Outcome != model.OutcomeLate || got.MinutesLate != 20 {
		t.Errorf("after undo: %q %d, want late 20", got.Outcome, got.MinutesLate)
	}
	if card, _ := s.Card(ctx, c.ID); strings.Contains(card.Reliability.Summary, "no-show") {
		t.Errorf("score still counts the undone no-show: %q", card.Reliability.Summary)
	}
}

func TestRescheduleLinksAndUndoes(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c, appts := bookedWith(t, s, "Anna", fixedNow.AddDate(0, 0, 2))
	old := appts[0]
	newID, undo, err := s.Reschedule(ctx, old.ID, fixedNow.AddDate(0, 0, 9), 90, "second fitting")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.store().Appointment(ctx, old.ID)
	if got.Outcome != model.OutcomeRescheduled || got.RescheduledToID == nil || *got.RescheduledToID != newID {
		t.Fatalf("old after reschedule: %+v", got)
	}
	next, _ := s.store().Appointment(ctx, newID)
	if !next.Start.Equal(fixedNow.AddDate(0, 0, 9)) || next.Minutes != 90 || next.Purpose != "second fitting" {
		t.Errorf("new appointment: %+v", next)
	}
	card, _ := s.Card(ctx, c.ID)
	if len(card.Ahead) != 2 || card.Ahead[0].ID != old.ID || card.Ahead[1].ID != newID {
		t.Errorf("card ahead: %+v", card.Ahead)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store().Appointment(ctx, newID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("new appointment survives the undo: %v", err)
	}
	got, _ = s.store().Appointment(ctx, old.ID)
	if got.Outcome != "" || got.RescheduledToID != nil {
		t.Errorf("old after undo: %+v", got)
	}
}

func TestDeleteAppointmentUndoBringsBackLinks(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	_, appts := bookedWith(t, s, "Anna", fixedNow.AddDate(0, 0, 2))
	newID, _, err := s.Reschedule(ctx, appts[0].ID, fixedNow.AddDate(0, 0, 4), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	undo, err := s.DeleteAppointment(ctx, newID)
	if err != nil {
		t.Fatal(err)
	}
	if old, _ := s.store().Appointment(ctx, appts[0].ID); old.RescheduledToID != nil {
		t.Fatalf("link to the deleted one kept: %v", *old.RescheduledToID)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	back, err := s.store().Appointment(ctx, newID)
	if err != nil || !back.Start.Equal(fixedNow.AddDate(0, 0, 4)) {
		t.Fatalf("deleted appointment not back: %+v %v", back, err)
	}
	if old, _ := s.store().Appointment(ctx, appts[0].ID); old.RescheduledToID == nil || *old.RescheduledToID != newID {
		t.Errorf("link not restored: %+v", old)
	}
}

func TestUpdateAppointmentKeepsOutcomeRules(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	_, appts := bookedWith(t, s, "Anna", fixedNow.AddDate(0, 0, -1))
	a := appts[0]
	if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeOnTime}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateAppointment(ctx, a.ID, fixedNow.AddDate(0, 0, 3), 60, "x"); !errors.Is(err, ErrNotStarted) {
		t.Errorf("moving an attended appointment ahead: %v", err)
	}
	undo, err := s.UpdateAppointment(ctx, a.ID, fixedNow.AddDate(0, 0, -1).Add(time.Hour), 45, " hem ")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.store().Appointment(ctx, a.ID)
	if got.Minutes != 45 || got.Purpose != "hem" || got.Outcome != model.OutcomeOnTime {
		t.Errorf("after edit: %+v", got)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = s.store().Appointment(ctx, a.ID)
	if got.Minutes != 60 || got.Purpose != "fitting" || !got.Start.Equal(a.Start) {
		t.Errorf("after undo: %+v", got)
	}
}

func TestOverlappingFindsDoubleBookings(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	at := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	_, anna := bookedWith(t, s, "Anna Schmidt", at)                   // 14:00–15:00
	_, gone := bookedWith(t, s, "Called Off", at.Add(30*time.Minute)) // cancelled
	bookedWith(t, s, "Later", at.Add(time.Hour))                      // 15:00–16:00, touches only
	bookedWith(t, s, "Long Before", at.Add(-20*time.Hour))            // 60 min, long over
	if err := s.RecordOutcome(ctx, gone[0].ID, Outcome{Kind: model.OutcomeCancelled}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Overlapping(ctx, at.Add(45*time.Minute), 15, 0) // 14:45–15:00
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != anna[0].ID || got[0].ContactName != "Anna Schmidt" {
		t.Fatalf("overlapping: %+v", got)
	}
	if got, _ := s.Overlapping(ctx, at, 60, anna[0].ID); len(got) != 0 {
		t.Errorf("moving Anna's own appointment overlaps %+v", got)
	}
}

func TestWeekHasEveryDayFromItsFirst(t *testing.T) {
	ctx := context.Background()
	s := newService(t) // Monday 23 November 2026, 09:30
	sun := time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)
	_, appts := bookedWith(t, s, "Anna", time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), sun,
		time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC))
	w, err := s.Week(ctx, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), time.Monday)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Start.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("monday %v", w.Start)
	}
	if len(w.Days[0].Items) != 1 || len(w.Days[6].Items) != 1 || w.Days[6].Items[0].ID != appts[1].ID {
		t.Errorf("days %+v", w.Days)
	}
	var need []int64
	for _, it := range w.NeedsOutcome {
		need = append(need, it.ID)
	}
	if len(need) != 2 || need[0] != appts[0].ID || need[1] != appts[3].ID || w.Unrecorded != 2 {
		t.Errorf("needs an outcome: %v of %d, want this morning's and the 18th's", need, w.Unrecorded)
	}

	// Where weeks begin on Sunday, Sunday the 29th opens the next week,
	// and Monday the 30th is its second day.
	w, err = s.Week(ctx, time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), time.Sunday)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Start.Equal(sun.Truncate(24*time.Hour)) || w.Start.Weekday() != time.Sunday {
		t.Errorf("a Sunday-first week starts %v", w.Start)
	}
	if len(w.Days[0].Items) != 1 || w.Days[0].Items[0].ID != appts[1].ID || len(w.Days[1].Items) != 1 || w.Days[1].Items[0].ID != appts[2].ID {
		t.Errorf("Sunday-first days %+v", w.Days)
	}
}

func TestFirstWeekdayFollowsTheLocale(t *testing.T) {
	for locale, want := range map[string]time.Weekday{
		"en_US.UTF-8": time.Sunday, "de_DE.UTF-8": time.Monday, "en-CA": time.Sunday, "pt_BR": time.Sunday,
		"en_GB.UTF-8@euro": time.Monday, "ar_EG.UTF-8": time.Saturday, "C": time.Monday, "fr": time.Monday, "": time.Monday,
	} {
		if got := FirstWeekday(locale); got != want {
			t.Errorf("FirstWeekday(%q) = %v, want %v", locale, got, want)
		}
	}
	env := map[string]string{"LANG": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"}
	if got := SystemFirstWeekday(func(k string) string { return env[k] }, "fr_FR"); got != time.Sunday {
		t.Errorf("LC_TIME=en_US under LANG=de_DE gives %v, want Sunday", got)
	}
	for _, tc := range []struct {
		on    time.Time
		first time.Weekday
		want  string
	}{
		{time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), time.Monday, "2026-11-30"},
		{time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), time.Sunday, "2026-12-06"},
		{time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), time.Saturday, "2026-12-05"},
		{time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), time.Saturday, "2026-11-28"},
	} {
		if got := WeekStart(tc.on, tc.first).Format(time.DateOnly); got != tc.want {
			t.Errorf("WeekStart(%s, %v) = %s, want %s", tc.on.Format(time.DateOnly), tc.first, got, tc.want)
		}
	}
}
