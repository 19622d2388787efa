package app

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// tomorrowAt is fixedNow's next day (Tuesday 24 November 2026) at h:m UTC.
func tomorrowAt(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, time.UTC) }

func TestRemindRowsAreTomorrowsNotCancelledNotReminded(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	cancelled := fixedNow
	c := addTestContact(t, s, &model.Contact{GivenName: "Maria", FamilyName: "Keller", Appointments: []model.Appointment{
		{Start: tomorrowAt(14, 30), Minutes: 30, Purpose: "fitting"},
		{Start: tomorrowAt(16, 0), Minutes: 30, Purpose: "called off", Outcome: model.OutcomeCancelled, CancelledAt: &cancelled},
		{Start: tomorrowAt(11, 0), Minutes: 30, Purpose: "reminded already", RemindedAt: &cancelled},
		{Start: tomorrowAt(9, 0).AddDate(0, 0, 1), Minutes: 30, Purpose: "the day after"},
	}})
	saved, err := s.Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var fitting int64
	for _, a := range saved.Appointments {
		if a.Purpose == "fitting" {
			fitting = a.ID
		}
	}
	var rows []Followup
	for _, f := range followups(t, s) {
		if f.Kind == FollowRemind {
			rows = append(rows, f)
		}
	}
	if len(rows) != 1 || rows[0].Text != "Appointment tomorrow at 14:30: fitting" || rows[0].ContactID != c.ID ||
		rows[0].Contact != "Maria Keller" || rows[0].AppointmentID != fitting || fitting == 0 {
		t.Fatalf("remind rows %+v, want only the 14:30 fitting", rows)
	}
	// The time as the owner writes it.
	s.SetDateStyle(DateMDY)
	if f, _ := find(followups(t, s), "Maria Keller", FollowRemind); f.Text != "Appointment tomorrow at 2:30 PM: fitting" {
		t.Errorf("in the US style the row says %q", f.Text)
	}
}

func TestRemindMarkRemindedTakesTheRowOffAndUndoPutsItBack(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.SetDateStyle(DateDMY)
	c := addTestContact(t, s, &model.Contact{GivenName: "Maria", FamilyName: "Keller"})
	a, err := s.NewAppointment(ctx, c.ID, tomorrowAt(14, 30), 30, "fitting")
	if err != nil {
		t.Fatal(err)
	}
	undo, err := s.MarkReminded(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Appointments[0].RemindedAt; r == nil || !r.Equal(fixedNow) {
		t.Errorf("reminded at %v, want %v", r, fixedNow)
	}
	if len(got.Journal) != 1 || got.Journal[0].Text != "Reminded of the appointment of Tue 24.11.2026, 14:30: fitting" {
		t.Errorf("journal %+v", got.Journal)
	}
	if _, ok := find(followups(t, s), "Maria Keller", FollowRemind); ok {
		t.Error("the remind row is still on Today")
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Contact(ctx, c.ID)
	if got.Appointments[0].RemindedAt != nil || len(got.Journal) != 0 {
		t.Errorf("after undo: reminded %v, journal %+v", got.Appointments[0].RemindedAt, got.Journal)
	}
	if _, ok := find(followups(t, s), "Maria Keller", FollowRemind); !ok {
		t.Error("undo did not bring the remind row back")
	}
	if _, err := s.MarkReminded(ctx, a.ID+100); err == nil {
		t.Error("an appointment that does not exist was marked")
	}
}

func TestRemindTextInTheOwnersWordsAndStyle(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.SetDateStyle(DateDMY)
	c := addTestContact(t, s, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
		Emails: []model.Email{{Address: "maria@example.com"}},
		Phones: []model.Phone{{Label: "home", Number: "030 1234567"}, {Label: "Mobile", Number: "+49 171 5550101"}}})
	if _, err := s.NewAppointment(ctx, c.ID, tomorrowAt(14, 30), 30, "fitting"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetReminderSettings(ctx, ReminderSettings{Template: DefaultReminderTemplate, Shop: "Atelier Rosa"}); err != nil {
		t.Fatal(err)
	}
	f, ok := find(followups(t, s), "Maria Keller", FollowRemind)
	if !ok {
		t.Fatal("no remind row")
	}
	r, err := s.ReminderFor(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	want := "Hello Maria, a reminder of your appointment tomorrow, Tuesday 24.11.2026 at 14:30 (fitting). See you then! — Atelier Rosa"
	if r.Text != want {
		t.Errorf("text %q\nwant %q", r.Text, want)
	}
	if r.Email != "maria@example.com" || r.Mobile != "+49 171 5550101" || r.Subject != "Your appointment tomorrow, 14:30 — Atelier Rosa" {
		t.Errorf("email %q, mobile %q, subject %q", r.Email, r.Mobile, r.Subject)
	}

	// The US style writes the time as 2:30 PM; no purpose leaves no "()",
	// no shop no dash; the owner's own words replace the default.
	s.SetDateStyle(DateMDY)
	a := &model.Appointment{Start: tomorrowAt(14, 30)}
	plain := s.ReminderText(ReminderSettings{Template: DefaultReminderTemplate}, c, a)
	if want := "Hello Maria, a reminder of your appointment tomorrow, Tuesday 11/24/2026 at 2:30 PM. See you then!"; plain != want {
		t.Errorf("text %q\nwant %q", plain, want)
	}
	if err := s.SetReminderSettings(ctx, ReminderSettings{Template: "{name}: {time}, {purpose}", Shop: ""}); err != nil {
		t.Fatal(err)
	}
	set, err := s.ReminderSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a.Purpose = "hem"
	if got := s.ReminderText(set, c, a); got != "Maria Keller: 2:30 PM, hem" {
		t.Errorf("own template gives %q", got)
	}
	if err := s.SetReminderSettings(ctx, ReminderSettings{Template: "  "}); err != nil {
		t.Fatal(err)
	}
	if set, _ := s.ReminderSettings(ctx); set.Template != DefaultReminderTemplate {
		t.Errorf("an empty template reads as %q, want the default", set.Template)
	}
}

func TestRemindMobileNumberPrefersMobileOrCell(t *testing.T) {
	cases := []struct {
		phones []model.Phone
		want   string
	}{
		{nil, ""},
		{[]model.Phone{{Label: "work", Number: " 0301 "}}, "0301"},
		{[]model.Phone{{Label: "work", Number: "1"}, {Label: "CELL", Number: "2"}}, "2"},
		{[]model.Phone{{Label: "home", Number: "1"}, {Label: "mobile (private)", Number: "3"}, {Label: "cell", Number: "4"}}, "3"},
	}
	for _, c := range cases {
		if got := MobileNumber(c.phones); got != c.want {
			t.Errorf("MobileNumber(%+v) = %q, want %q", c.phones, got, c.want)
		}
	}
}

// TestRemindMailtoEscaping: RFC 6068 — &, =, ?, #, %, + and non-ASCII are
// percent-encoded as UTF-8, spaces as %20 (not +), line breaks as %0D%0A.
func TestRemindMailtoEscaping(t *testing.T) {
	got := MailtoLink("a+b@example.com", "Tomorrow & more", "Hi José,\nsee you at 10:30? 100% = yes #1")
	want := "mailto:a%2Bb@example.com?subject=Tomorrow%20%26%20more" +
		"&body=Hi%20Jos%C3%A9%2C%0D%0Asee%20you%20at%2010%3A30%3F%20100%25%20%3D%20yes%20%231"
	if got != want {
		t.Fatalf("mailto\n got %s\nwant %s", got, want)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "mailto" || u.Opaque != "a%2Bb@example.com" || q.Get("subject") != "Tomorrow & more" ||
		q.Get("body") != "Hi José,\r\nsee you at 10:30? 100% = yes #1" {
		t.Errorf("read back: %q %q %q", u.Opaque, q.Get("subject"), q.Get("body"))
	}
}

func TestRemindSMSLink(t *testing.T) {
	got, err := SMSLink("+49 (171) 555-0101", "Hi Zoë & bye")
	if err != nil {
		t.Fatal(err)
	}
	if want := "sms:+491715550101?&body=Hi%20Zo%C3%AB%20%26%20bye"; got != want {
		t.Errorf("sms link %s, want %s", got, want)
	}
	if _, err := SMSLink("n/a", "x"); err == nil {
		t.Error("a link with no number was made")
	}
}

// TestRemindReliabilityComparesRemindedWithNot, by hand: of the last
// year's counted appointments, the reminded are 3 on time and 1 no-show
// (3 of 4 kept, 75%), the others 1 late and 2 no-shows (1 of 3, 33%); an
// excused reminded one and a reminded one 400 days ago do not count.
func TestRemindReliabilityComparesRemindedWithNot(t *testing.T) {
	at := fixedNow
	day := func(n int) time.Time { return fixedNow.AddDate(0, 0, -n) }
	rem := func(n int, outcome model.Outcome) model.Appointment {
		return model.Appointment{Start: day(n), Minutes: 30, Outcome: outcome, RemindedAt: &at}
	}
	not := func(n int, outcome model.Outcome) model.Appointment {
		return model.Appointment{Start: day(n), Minutes: 30, Outcome: outcome, MinutesLate: 10}
	}
	appts := []model.Appointment{
		rem(10, model.OutcomeOnTime), rem(20, model.OutcomeOnTime), rem(30, model.OutcomeOnTime), rem(40, model.OutcomeNoShow),
		rem(50, model.OutcomeExcused), rem(400, model.OutcomeNoShow),
		not(60, model.OutcomeLate), not(70, model.OutcomeNoShow), not(80, model.OutcomeNoShow),
	}
	r := ReliabilityOf(appts, fixedNow, DefaultReliabilityRules())
	if want := "Reminded: 3 of 4 kept (75%); not reminded: 1 of 3 kept (33%)"; r.Reminders != want {
		t.Errorf("reminders %q, want %q", r.Reminders, want)
	}
	// Two not reminded are too few to compare.
	r = ReliabilityOf(appts[:len(appts)-1], fixedNow, DefaultReliabilityRules())
	if r.Reminders != "" {
		t.Errorf("with 2 not reminded: %q, want nothing", r.Reminders)
	}
}

// TestRemindBackupKeepsRemindedAt: the JSON backup carries reminded_at,
// and a backup without it (an older one) restores as not reminded.
func TestRemindBackupKeepsRemindedAt(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	at := time.Date(2026, 11, 22, 17, 5, 0, 0, time.UTC)
	addTestContact(t, src, &model.Contact{GivenName: "Maria", FamilyName: "Keller", Appointments: []model.Appointment{
		{Start: tomorrowAt(14, 30), Minutes: 30, Purpose: "fitting", RemindedAt: &at},
		{Start: tomorrowAt(16, 30), Minutes: 30, Purpose: "hem"},
	}})
	backup := exportString(t, src)
	if !strings.Contains(backup, `"reminded_at": "2026-11-22T17:05:00Z"`) || strings.Count(backup, `"reminded_at"`) != 1 {
		t.Fatalf("backup: %s", backup)
	}
	dst := newService(t)
	if _, err := dst.Restore(ctx, strings.NewReader(backup)); err != nil {
		t.Fatal(err)
	}
	got := map[string]*time.Time{}
	for _, f := range followups(t, dst) {
		if f.Kind == FollowRemind {
			got[f.Text] = nil
		}
	}
	if len(got) != 1 {
		t.Errorf("restored remind rows %v, want only the 16:30 hem", got)
	}
	if _, ok := got["Appointment tomorrow at 16:30: hem"]; !ok {
		t.Errorf("restored remind rows %v, want the 16:30 hem", got)
	}
	old := newService(t)
	older := regexp.MustCompile(`,\s*"reminded_at": "[^"]*"`).ReplaceAllString(backup, "")
	if older == backup {
		t.Fatal("the older backup still has reminded_at")
	}
	if _, err := old.Restore(ctx, strings.NewReader(older)); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range followups(t, old) {
		if f.Kind == FollowRemind {
			n++
		}
	}
	if n != 2 {
		t.Errorf("a backup without reminded_at: %d remind rows, want 2", n)
	}
}

// TestRemindOnTheSheetWithTheNumberToText: the printed sheet has the
// remind section, with the mobile number rather than the first one.
func TestRemindOnTheSheetWithTheNumberToText(t *testing.T) {
	ctx := context.Background()
	s := newService(t).WithFontFinder(nil)
	c := addTestContact(t, s, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
		Phones: []model.Phone{{Label: "home", Number: "+49 30 1234567"}, {Label: "cell", Number: "+49 171 5550101"}}})
	if _, err := s.NewAppointment(ctx, c.ID, tomorrowAt(14, 30), 30, "fitting"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.PrintFollowups(ctx, fixedNow, pdf.A4, &buf); err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, buf.Bytes())
	for _, want := range []string{"Remind of tomorrow's appointments (1)", "Maria Keller", "+49 171 5550101", "Appointment tomorrow at 14:30: fitting"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "+49 30 1234567") {
		t.Errorf("the sheet gives the home number to text:\n%s", text)
	}
}
