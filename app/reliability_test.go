package app

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
)

// evalDay is the day the scores are taken on, at 18:00.
var evalDay = time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)

func appt(daysAgo int, outcome model.Outcome, minutesLate int) model.Appointment {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC).AddDate(0, 0, -daysAgo)
	return model.Appointment{Start: start, Minutes: 30, Outcome: outcome, MinutesLate: minutesLate}
}

func cancelled(daysAgo int, notice time.Duration) model.Appointment {
	a := appt(daysAgo, model.OutcomeCancelled, 0)
	at := a.Start.Add(-notice)
	a.CancelledAt = &at
	return a
}

func repeat(n int, a model.Appointment) []model.Appointment {
	out := make([]model.Appointment, n)
	for i := range out {
		out[i] = a
	}
	return out
}

func TestReliabilityScore(t *testing.T) {
	score := func(n int) *int { return &n }
	tests := []struct {
		name       string
		appts      []model.Appointment
		score      *int
		counted    int
		unreliable bool
		summary    string
	}{
		{"nothing counted", nil, nil, 0, false, "No appointments to go by in the last year"},
		{"the issue's example: 9 on time, 2 a quarter hour late, 1 no-show", // (9 + 0.5 + 0.5) / 12 = 83.3
			append(append(repeat(9, appt(10, model.OutcomeOnTime, 0)), appt(20, model.OutcomeLate, 15), appt(30, model.OutcomeLate, 15)), appt(40, model.OutcomeNoShow, 0)),
			score(83), 12, false, "12 appointments in the last year: 9 on time, 2 late (avg 15 min), 1 no-show — 83"},
		{"exactly 30 minutes late earns nothing but counts", []model.Appointment{appt(5, model.OutcomeLate, 30), appt(6, model.OutcomeOnTime, 0)},
			score(50), 2, false, "2 appointments in the last year: 1 on time, 1 late (avg 30 min) — 50"},
		{"late by 6 minutes earns 0.8", []model.Appointment{appt(5, model.OutcomeLate, 6)}, score(80), 1, false,
			"1 appointment in the last year: 1 late (avg 6 min) — 80"},
		{"exactly 24 hours' notice does not count", []model.Appointment{cancelled(5, 24*time.Hour), appt(6, model.OutcomeOnTime, 0)},
			score(100), 1, false, "1 appointment in the last year: 1 on time — 100"},
		{"a minute less than 24 hours' notice counts as 0", []model.Appointment{cancelled(5, 24*time.Hour-time.Minute), appt(6, model.OutcomeOnTime, 0)},
			score(50), 2, false, "2 appointments in the last year: 1 on time, 1 cancelled late — 50"},
		{"exactly 365 days ago counts, 366 does not", []model.Appointment{appt(365, model.OutcomeNoShow, 0), appt(366, model.OutcomeNoShow, 0), appt(1, model.OutcomeOnTime, 0)},
			score(50), 2, false, "2 appointments in the last year: 1 on time, 1 no-show — 50"},
		{"still ahead, without outcome, rescheduled and excused do not count",
			[]model.Appointment{{Start: evalDay.Add(time.Hour), Outcome: model.OutcomeNoShow}, appt(3, "", 0), appt(4, model.OutcomeRescheduled, 0), appt(5, model.OutcomeExcused, 0), appt(6, model.OutcomeOnTime, 0)},
			score(100), 1, false, "1 appointment in the last year: 1 on time — 100"},
		{"three counted and under 70 is unreliable", []model.Appointment{appt(1, model.OutcomeOnTime, 0), appt(2, model.OutcomeOnTime, 0), appt(300, model.OutcomeNoShow, 0)},
			score(67), 3, true, "3 appointments in the last year: 2 on time, 1 no-show — 67"},
		{"two counted under 70 is not enough to judge", []model.Appointment{appt(1, model.OutcomeOnTime, 0), appt(300, model.OutcomeNoShow, 0)},
			score(50), 2, false, "2 appointments in the last year: 1 on time, 1 no-show — 50"},
		{"two incidents in half a year are unreliable whatever the score",
			append(repeat(10, appt(3, model.OutcomeOnTime, 0)), appt(100, model.OutcomeNoShow, 0), cancelled(183, time.Hour)),
			score(83), 12, true, "12 appointments in the last year: 10 on time, 1 no-show, 1 cancelled late — 83"},
		{"two incidents longer ago are only the score",
			append(repeat(10, appt(3, model.OutcomeOnTime, 0)), appt(184, model.OutcomeNoShow, 0), appt(200, model.OutcomeNoShow, 0)),
			score(83), 12, false, "12 appointments in the last year: 10 on time, 2 no-shows — 83"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReliabilityOf(tt.appts, evalDay, DefaultReliabilityRules())
			if (r.Score == nil) != (tt.score == nil) || (r.Score != nil && *r.Score != *tt.score) {
				t.Errorf("score = %v, want %v", deref(r.Score), deref(tt.score))
			}
			if r.Counted != tt.counted || r.Unreliable != tt.unreliable {
				t.Errorf("counted %d unreliable %v, want %d %v", r.Counted, r.Unreliable, tt.counted, tt.unreliable)
			}
			if r.Summary != tt.summary {
				t.Errorf("summary %q\n want   %q", r.Summary, tt.summary)
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRecordingOutcomesChangesReliability(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Often", FamilyName: "Away"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, daysAgo := range []int{30, 20, 10, -2} {
		a, err := s.NewAppointment(ctx, c.ID, fixedNow.AddDate(0, 0, -daysAgo), 30, "fitting")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	record := func(id int64, o Outcome) {
		t.Helper()
		if err := s.RecordOutcome(ctx, id, o); err != nil {
			t.Fatal(err)
		}
	}
	record(ids[0], Outcome{Kind: model.OutcomeOnTime})
	record(ids[1], Outcome{Kind: model.OutcomeNoShow})
	unreliable, _ := s.UnreliableAmong(ctx, []int64{c.ID})
	if unreliable[c.ID] {
		t.Fatal("one no-show is not unreliable yet")
	}
	// Cancelled 2 hours before: a late cancellation, the second incident.
	appt10, _ := s.store().Appointment(ctx, ids[2])
	record(ids[2], Outcome{Kind: model.OutcomeCancelled, CancelledAt: appt10.Start.Add(-2 * time.Hour)})
	unreliable, _ = s.UnreliableAmong(ctx, []int64{c.ID})
	if !unreliable[c.ID] {
		t.Error("a no-show and a late cancellation in half a year should be unreliable")
	}
	card, _ := s.Card(ctx, c.ID)
	if card.Reliability.Summary != "3 appointments in the last year: 1 on time, 1 no-show, 1 cancelled late — 33" {
		t.Errorf("summary %q", card.Reliability.Summary)
	}
	// Rescheduling books the new time and links it.
	record(ids[3], Outcome{Kind: model.OutcomeRescheduled, NewStart: fixedNow.AddDate(0, 0, 5)})
	old, _ := s.store().Appointment(ctx, ids[3])
	if old.RescheduledToID == nil {
		t.Fatal("rescheduled appointment not linked")
	}
	next, _ := s.store().Appointment(ctx, *old.RescheduledToID)
	if !next.Start.Equal(fixedNow.AddDate(0, 0, 5)) || next.Purpose != "fitting" {
		t.Errorf("new appointment %+v", next)
	}
	days, err := s.Agenda(ctx, 7)
	if err != nil || len(days) != 2 { // the old one in 2 days, the new one in 5
		t.Fatalf("agenda %+v %v", days, err)
	}
	if days[0].Items[0].ContactName != "Often Away" {
		t.Errorf("agenda item %+v", days[0].Items[0])
	}
	if err := s.RecordOutcome(ctx, ids[0], Outcome{Kind: model.OutcomeLate}); err == nil {
		t.Error("late without minutes was accepted")
	}
}

func TestExportICS(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Maria", FamilyName: "Keller"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	s.NewAppointment(ctx, c.ID, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), 45, "gift consultation")
	s.NewAppointment(ctx, c.ID, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), 30, "past")
	s.NewAppointment(ctx, c.ID, time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), 30, "earlier today") // before fixedNow 09:30
	gone, _ := s.NewAppointment(ctx, c.ID, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), 30, "called off")
	if err := s.RecordOutcome(ctx, gone.ID, Outcome{Kind: model.OutcomeCancelled}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.ExportICS(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "SUMMARY:Maria Keller: gift consultation\r\n",
		"DTSTART:20261124T090000Z\r\n", "DTEND:20261124T094500Z\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "past") || strings.Contains(out, "called off") || strings.Contains(out, "earlier today") {
		t.Errorf("past or cancelled appointment exported:\n%s", out)
	}
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Error("bare LF line endings")
	}
	// It reads back as a calendar with one event.
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil || len(cal.Events()) != 1 {
		t.Errorf("parse back: %v, %d events", err, len(cal.Events()))
	}
}

func TestFeedbackIsDueUntilAskedAfterTheLatestIncident(t *testing.T) {
	appts := []model.Appointment{appt(100, model.OutcomeNoShow, 0), appt(20, model.OutcomeNoShow, 0), appt(5, model.OutcomeOnTime, 0)}
	r := ReliabilityOf(appts, evalDay, DefaultReliabilityRules())
	if !r.Unreliable {
		t.Fatal("two no-shows in half a year should be unreliable")
	}
	feedback := func(daysAgo int) model.JournalEntry {
		return model.JournalEntry{Kind: model.KindFeedback, At: appt(daysAgo, "", 0).Start.Add(time.Hour), Text: "mornings are hard"}
	}
	call := model.JournalEntry{Kind: model.KindCall, At: evalDay}
	for _, tt := range []struct {
		name    string
		journal []model.JournalEntry
		due     bool
	}{
		{"never asked", nil, true},
		{"a call is not feedback", []model.JournalEntry{call}, true},
		{"asked before the latest no-show", []model.JournalEntry{feedback(50)}, true},
		{"asked after it", []model.JournalEntry{feedback(10)}, false},
	} {
		if got := FeedbackDue(r, tt.journal); got != tt.due {
			t.Errorf("%s: due = %v, want %v", tt.name, got, tt.due)
		}
	}
	if FeedbackDue(ReliabilityOf(appts[2:], evalDay, DefaultReliabilityRules()), nil) {
		t.Error("a reliable contact is not asked")
	}
}

func TestUnreliableContactsAreKeptUpToDate(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mk := func(name string, outcomes ...model.Outcome) *model.Contact {
		c := &model.Contact{DisplayName: name}
		for i, o := range outcomes {
			c.Appointments = append(c.Appointments, appt(10+i*10, o, 0))
		}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	away := mk("Often Away", model.OutcomeNoShow, model.OutcomeNoShow, model.OutcomeOnTime)
	mk("Kept Time", model.OutcomeOnTime, model.OutcomeOnTime, model.OutcomeOnTime)
	once := mk("Once Missed", model.OutcomeNoShow, model.OutcomeOnTime)
	ids, err := s.UnreliableContacts(ctx)
	if err != nil || len(ids) != 1 || ids[0] != away.ID {
		t.Fatalf("unreliable: %v %v", ids, err)
	}
	// A second no-show recorded today is seen at once, without a refresh.
	a, err := s.NewAppointment(ctx, once.ID, fixedNow.Add(-time.Hour), 30, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeNoShow}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.store().UnreliableIDs(ctx, "2026-11-23"); len(ids) != 2 {
		t.Errorf("after a recorded no-show: %v", ids)
	}
	// A year and a month later every appointment has left the year: the
	// kept scores are of an earlier day and are taken afresh.
	later := s.WithClock(func() time.Time { return fixedNow.AddDate(1, 1, 0) })
	if ids, _ := later.UnreliableContacts(ctx); len(ids) != 0 {
		t.Errorf("thirteen months on: %v still unreliable", ids)
	}
}

func TestChangingTheNoticeWindowRescores(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	// Two cancellations with 30 hours' notice, one no-show.
	c := &model.Contact{DisplayName: "Short Notice", Appointments: []model.Appointment{
		cancelled(10, 30*time.Hour), cancelled(20, 30*time.Hour), appt(30, model.OutcomeNoShow, 0)}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.UnreliableContacts(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("with 24 hours' window: %v %v", ids, err)
	}
	if err := s.SetReliabilityRules(ctx, ReliabilityRules{NoticeWindow: 48 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.UnreliableContacts(ctx); err != nil || len(ids) != 1 {
		t.Errorf("with 48 hours' window both cancellations are late: %v %v", ids, err)
	}
	if card, _ := s.Card(ctx, c.ID); card.Reliability.Counted != 3 {
		t.Errorf("card counts %d", card.Reliability.Counted)
	}
}

func TestEndOfDayAcrossClockChanges(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, d := range []string{"2026-03-29", "2026-10-25", "2026-11-23"} {
		day, _ := time.ParseInLocation(time.DateOnly, d, berlin)
		end := EndOfDay(day)
		if end.Format("2006-01-02 15:04:05") != d+" 23:59:59" {
			t.Errorf("end of %s = %v", d, end)
		}
	}
}

func TestKeptScoresFollowTheDayAndEveryWritePath(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s := newService(t).WithClock(func() time.Time { return clock })
	c := &model.Contact{DisplayName: "Late Caller", Appointments: []model.Appointment{appt(20, model.OutcomeNoShow, 0)}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	// At 09:00 she calls off the 15:00 appointment: a late cancellation, but
	// it only counts once 15:00 has come.
	a, _ := s.NewAppointment(ctx, c.ID, time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), 30, "fitting")
	if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeCancelled, CancelledAt: clock}); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.UnreliableContacts(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("at 09:00: %v %v", ids, err)
	}
	clock = time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)
	if ids, err := s.UnreliableContacts(ctx); err != nil || len(ids) != 1 {
		t.Errorf("at 16:00 the late cancellation counts: %v %v", ids, err)
	}
	// A restore that brings appointments in is scored afresh.
	other := &model.Contact{DisplayName: "Restored"}
	if err := s.CreateContact(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnreliableContacts(ctx); err != nil {
		t.Fatal(err)
	}
	backup := exportString(t, s)
	otherUID := other.UID
	edited := strings.Replace(backup, `"name": "Restored",`, `"name": "Restored",`, 1)
	var b jsonbackup.Backup
	if err := json.Unmarshal([]byte(edited), &b); err != nil {
		t.Fatal(err)
	}
	for i := range b.Contacts {
		if b.Contacts[i].ID == otherUID {
			for _, days := range []int{3, 30} {
				b.Contacts[i].Appointments = append(b.Contacts[i].Appointments, jsonbackup.Appointment{
					Start: clock.AddDate(0, 0, -days).Format(time.RFC3339), Minutes: 30, Outcome: model.OutcomeNoShow})
			}
		}
	}
	data, _ := json.Marshal(b)
	if _, err := s.Restore(ctx, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.UnreliableContacts(ctx); len(ids) != 2 {
		t.Errorf("after restoring two no-shows: %v", ids)
	}
}

func TestMovingTwiceKeepsOneAppointment(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "Mover"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	a, _ := s.NewAppointment(ctx, c.ID, fixedNow.AddDate(0, 0, 1), 30, "fitting")
	for _, d := range []int{3, 5} {
		if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeRescheduled, NewStart: fixedNow.AddDate(0, 0, d)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordOutcome(ctx, a.ID, Outcome{}); err != nil {
		t.Fatal(err)
	}
	days, _ := s.Agenda(ctx, 8)
	n := 0
	for _, d := range days {
		n += len(d.Items)
	}
	if n != 1 {
		t.Errorf("%d appointments after moving twice and clearing, want 1", n)
	}
}

func TestLateArrivalsStartTheFeedbackClock(t *testing.T) {
	appts := []model.Appointment{appt(30, model.OutcomeLate, 25), appt(20, model.OutcomeLate, 25), appt(10, model.OutcomeLate, 25)}
	r := ReliabilityOf(appts, evalDay, DefaultReliabilityRules())
	if !r.Unreliable {
		t.Fatal("three arrivals 25 minutes late score 17: unreliable")
	}
	old := model.JournalEntry{Kind: model.KindFeedback, At: evalDay.AddDate(-3, 0, 0)}
	if !FeedbackDue(r, []model.JournalEntry{old}) {
		t.Error("feedback from three years ago must not silence the suggestion")
	}
}
