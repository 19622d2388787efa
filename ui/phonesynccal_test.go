package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app/dav/davtest"
)

// TestCalendarPhoneSyncDialog: Find offers the server's calendars after
// "No calendar"; with one chosen and saved, a sync puts the booked
// appointment in it; an event then deleted on the phone is asked about,
// and Keep keeps the appointment.
func TestCalendarPhoneSyncDialog(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	cal := srv.AddCalendar(t, "shop")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nEND:VCARD\r\n",
	})
	h := newHarness(t, nil)
	v := h.m.onPhoneSync()
	test.Type(v.url, srv.URL)
	test.Type(v.user, srv.User)
	test.Type(v.password, srv.Password)
	test.Tap(v.find)
	if len(v.calendars.Options) != 2 || v.calendars.Options[0] != noCalendar || v.calendars.Selected != noCalendar ||
		!strings.Contains(v.calendars.Options[1], cal) {
		t.Fatalf("calendars: %v, %q selected (status %q)", v.calendars.Options, v.calendars.Selected, v.status.Text)
	}
	v.calendars.SetSelected(v.calendars.Options[1])
	test.Tap(v.save)
	test.Tap(v.syncNow)
	h.tapButton("Sync") // the preview of Anna's card, new to Rapport
	rows, err := h.svc.ListContacts(t.Context(), "Anna")
	if err != nil || len(rows) != 1 {
		t.Fatalf("Anna: %v %v (status %q)", rows, err, v.status.Text)
	}
	a, err := h.svc.NewAppointment(t.Context(), rows[0].ID, time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC), 30, "Fitting")
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(v.syncNow)
	if !strings.Contains(v.status.Text, "calendar: 1 added") {
		t.Fatalf("after the sync: %q", v.status.Text)
	}
	objs := srv.Objects(t, cal)
	if len(objs) != 1 || !strings.Contains(srv.Get(t, cal+objs[0]), "DTSTART:20300506T090000Z") {
		t.Fatalf("calendar holds %v", objs)
	}

	srv.Delete(t, cal+objs[0])
	test.Tap(v.syncNow)
	if shown := allLabels(v.results); !strings.Contains(shown, "Fitting – Anna Schmidt was deleted from the phone's calendar") {
		t.Fatalf("the deletion is not asked about:\n%s", shown)
	}
	tapIn(t, v.results, "Keep")
	anna, err := h.svc.Contact(t.Context(), rows[0].ID)
	if err != nil || len(anna.Appointments) != 1 || anna.Appointments[0].ID != a.ID {
		t.Fatalf("Keep lost the appointment: %v", err)
	}
	test.Tap(v.syncNow)
	if objs := srv.Objects(t, cal); len(objs) != 1 {
		t.Fatalf("after Keep and a sync the calendar holds %v, want the appointment again", objs)
	}

	// The dialog opened again shows the calendar chosen.
	if again := h.m.onPhoneSync(); again.chosenCalendar() != cal {
		t.Fatalf("reopened with calendar %q, want %q", again.chosenCalendar(), cal)
	}
}
