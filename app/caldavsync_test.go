package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/dav/davtest"
	"github.com/rapportjournal/rapport/model"
)

// calendarDesk is peterAndHugoSynced with a calendar chosen, and Peter
// booked for a fitting two days ahead (not synced yet).
func calendarDesk(t *testing.T) (*Service, *davtest.Server, string, *model.Appointment) {
	t.Helper()
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	cal := srv.AddCalendar(t, "work")
	if err := s.SetPhoneSyncSettings(ctx, PhoneSync{URL: srv.URL + "/", User: srv.User, AddressBook: book, Calendar: cal}); err != nil {
		t.Fatal(err)
	}
	peter := findContact(t, s, "Peter Schmidt")
	start := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	a, err := s.NewAppointment(ctx, peter.ID, start, 45, "Fitting")
	if err != nil {
		t.Fatal(err)
	}
	return s, srv, cal, a
}

func appointment(t *testing.T, s *Service, id int64) *model.Appointment {
	t.Helper()
	a, err := s.store().Appointment(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// phoneEvent is an event as a phone writes it when the owner moves it: its
// own lines, times in a zone of its own.
func phoneEvent(id int64, summary, start, end string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\nUID:" + eventUID(id) +
		"\r\nDTSTAMP:20261124T080000Z\r\nDTSTART;TZID=Europe/Berlin:" + start + "\r\nDTEND;TZID=Europe/Berlin:" + end +
		"\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

func calendarSyncCounts(r *SyncReport) [3]int {
	return [3]int{r.EventsToPhoneAdded, r.EventsToPhoneUpdated, r.EventsFromPhoneMoved}
}

// TestCalendarBookedGoesToPhone: a dry run writes nothing and says what
// would go; the sync puts the appointment in the phone's calendar at its
// time in UTC, as "Purpose – Contact name"; a second sync with nothing
// changed writes nothing.
func TestCalendarBookedGoesToPhone(t *testing.T) {
	s, srv, cal, a := calendarDesk(t)
	ctx := t.Context()
	dry := syncNow(t, s, srv, SyncOptions{DryRun: true})
	if got := calendarSyncCounts(dry); got != [3]int{1, 0, 0} {
		t.Fatalf("dry run counts %v, want one to add", got)
	}
	if objs := srv.Objects(t, cal); len(objs) != 0 {
		t.Fatalf("a dry run wrote %v to the calendar", objs)
	}
	if ev, _ := s.store().DavEvents(ctx); len(ev) != 0 {
		t.Fatalf("a dry run recorded %v", ev)
	}

	rep := syncNow(t, s, srv, SyncOptions{})
	if got := calendarSyncCounts(rep); got != [3]int{1, 0, 0} {
		t.Fatalf("counts %v, want one added; %v", got, rep.Lines)
	}
	objs := srv.Objects(t, cal)
	if len(objs) != 1 {
		t.Fatalf("calendar holds %v, want one event", objs)
	}
	text := srv.Get(t, cal+objs[0])
	for _, want := range []string{"DTSTART:20261125T140000Z", "DTEND:20261125T144500Z", "SUMMARY:Fitting – Peter Schmidt",
		"UID:" + eventUID(a.ID)} {
		if !strings.Contains(text, want) {
			t.Errorf("event lacks %q:\n%s", want, text)
		}
	}

	// The server keeps sync tokens: the next sync asks only what changed.
	if v, err := s.store().Settings(ctx, settingSyncCalToken); err != nil || v[settingSyncCalToken] == "" {
		t.Fatalf("no calendar sync token kept (%v)", err)
	}
	again := syncNow(t, s, srv, SyncOptions{})
	if got := calendarSyncCounts(again); got != [3]int{0, 0, 0} || len(again.Conflicts)+len(again.DeletedOnPhone)+len(again.DeletedHere) != 0 {
		t.Fatalf("second sync did %v: %v", got, again.Lines)
	}
	if after := srv.Get(t, cal+objs[0]); after != text {
		t.Fatalf("second sync rewrote the event:\n%s", after)
	}

	// Cancelled here: the phone's event says so.
	if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeCancelled, CancelledAt: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if got := calendarSyncCounts(syncNow(t, s, srv, SyncOptions{})); got != [3]int{0, 1, 0} {
		t.Fatalf("after the cancellation counts %v, want one updated", got)
	}
	if text := srv.Get(t, cal+objs[0]); !strings.Contains(text, "STATUS:CANCELLED") {
		t.Fatalf("cancelled appointment's event:\n%s", text)
	}
}

// TestCalendarMovedOnPhoneComesBack: an event moved and lengthened on the
// phone moves the appointment here; the contact's journal is not touched,
// and the next sync writes nothing back.
func TestCalendarMovedOnPhoneComesBack(t *testing.T) {
	s, srv, cal, a := calendarDesk(t)
	syncNow(t, s, srv, SyncOptions{})
	journal := len(findContact(t, s, "Peter Schmidt").Journal)
	href := eventPath(cal, a.ID)
	srv.Put(t, href, "text/calendar", phoneEvent(a.ID, "Fitting – Peter Schmidt", "20261126T100000", "20261126T110000"))

	dry := syncNow(t, s, srv, SyncOptions{DryRun: true})
	if got := calendarSyncCounts(dry); got != [3]int{0, 0, 1} {
		t.Fatalf("dry run counts %v: %v", got, dry.Lines)
	}
	if got := appointment(t, s, a.ID); !got.Start.Equal(a.Start) {
		t.Fatalf("a dry run moved the appointment to %v", got.Start)
	}

	rep := syncNow(t, s, srv, SyncOptions{})
	if got := calendarSyncCounts(rep); got != [3]int{0, 0, 1} {
		t.Fatalf("counts %v: %v", got, rep.Lines)
	}
	got := appointment(t, s, a.ID)
	want := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin
	if !got.Start.Equal(want) || got.Minutes != 60 || got.Purpose != "Fitting" {
		t.Fatalf("appointment now %v for %d minutes (%q), want %v for 60", got.Start.UTC(), got.Minutes, got.Purpose, want)
	}
	if n := len(findContact(t, s, "Peter Schmidt").Journal); n != journal {
		t.Fatalf("journal went from %d to %d entries", journal, n)
	}
	phone := srv.Get(t, href)
	again := syncNow(t, s, srv, SyncOptions{})
	if got := calendarSyncCounts(again); got != [3]int{0, 0, 0} || len(again.Conflicts) != 0 {
		t.Fatalf("second sync did %v: %v", got, again.Lines)
	}
	if srv.Get(t, href) != phone {
		t.Fatal("the sync wrote the phone's moved event back")
	}
}

// TestCalendarConflictKeepPhoneOrMine: an appointment moved on both sides
// is reported, neither side written; Keep phone's moves it as on the
// phone, Keep mine writes it over the phone's.
func TestCalendarConflictKeepPhoneOrMine(t *testing.T) {
	s, srv, cal, a := calendarDesk(t)
	ctx := t.Context()
	syncNow(t, s, srv, SyncOptions{})
	href := eventPath(cal, a.ID)
	both := func(phoneStart, phoneEnd string, here time.Time) {
		t.Helper()
		srv.Put(t, href, "text/calendar", phoneEvent(a.ID, "Fitting – Peter Schmidt", phoneStart, phoneEnd))
		if _, err := s.UpdateAppointment(ctx, a.ID, here, 45, "Fitting"); err != nil {
			t.Fatal(err)
		}
		phone := srv.Get(t, href)
		rep := syncNow(t, s, srv, SyncOptions{})
		if len(rep.Conflicts) != 1 || rep.Conflicts[0].Href != href || rep.Conflicts[0].AppointmentID != a.ID {
			t.Fatalf("conflicts %+v, want the appointment's event: %v", rep.Conflicts, rep.Lines)
		}
		if got := appointment(t, s, a.ID); !got.Start.Equal(here) {
			t.Fatalf("the conflict moved the appointment here to %v", got.Start)
		}
		if srv.Get(t, href) != phone {
			t.Fatal("the conflict wrote over the phone's event")
		}
	}

	mine := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	both("20261126T100000", "20261126T110000", mine)
	sides, err := s.ConflictSides(ctx, srv.Password, href)
	if err != nil {
		t.Fatal(err)
	}
	if len(sides.Phone) < 3 || len(sides.Mine) < 3 || sides.Phone[2] != "60 minutes" || sides.Mine[2] != "45 minutes" {
		t.Fatalf("sides %+v", sides)
	}
	if err := s.ResolveSyncConflict(ctx, srv.Password, href, KeepPhone); err != nil {
		t.Fatal(err)
	}
	if got := appointment(t, s, a.ID); !got.Start.Equal(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) || got.Minutes != 60 {
		t.Fatalf("kept the phone's: appointment at %v for %d", got.Start.UTC(), got.Minutes)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.Conflicts) != 0 || calendarSyncCounts(rep) != [3]int{0, 0, 0} {
		t.Fatalf("after keeping the phone's: %v", rep.Lines)
	}

	mine = time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC)
	both("20261130T100000", "20261130T103000", mine)
	if err := s.ResolveSyncConflict(ctx, srv.Password, href, KeepMine); err != nil {
		t.Fatal(err)
	}
	if text := srv.Get(t, href); !strings.Contains(text, "DTSTART:20261128T153000Z") || !strings.Contains(text, "DTEND:20261128T161500Z") {
		t.Fatalf("kept mine: the phone's event is\n%s", text)
	}
	if got := appointment(t, s, a.ID); !got.Start.Equal(mine) || got.Minutes != 45 {
		t.Fatalf("kept mine: appointment moved to %v", got.Start)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.Conflicts) != 0 || calendarSyncCounts(rep) != [3]int{0, 0, 0} {
		t.Fatalf("after keeping mine: %v", rep.Lines)
	}
}

// TestCalendarDeletionsAsked: an event deleted on the phone is asked
// about at every sync and deletes nothing here until settled; an
// appointment deleted here leaves its event on the phone until the owner
// says, and Delete too removes it only then.
func TestCalendarDeletionsAsked(t *testing.T) {
	s, srv, cal, a := calendarDesk(t)
	ctx := t.Context()
	hugo := findContact(t, s, "Hugo Martin")
	b, err := s.NewAppointment(ctx, hugo.ID, time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC), 30, "Hem")
	if err != nil {
		t.Fatal(err)
	}
	syncNow(t, s, srv, SyncOptions{})
	if objs := srv.Objects(t, cal); len(objs) != 2 {
		t.Fatalf("calendar holds %v", objs)
	}
	hrefA, hrefB := eventPath(cal, a.ID), eventPath(cal, b.ID)
	srv.Delete(t, hrefA)
	if _, err := s.DeleteAppointment(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 { // asked again until settled
		rep := syncNow(t, s, srv, SyncOptions{})
		if len(rep.DeletedOnPhone) != 1 || rep.DeletedOnPhone[0].Href != hrefA {
			t.Fatalf("deleted on the phone %+v: %v", rep.DeletedOnPhone, rep.Lines)
		}
		if len(rep.DeletedHere) != 1 || rep.DeletedHere[0].Href != hrefB || rep.DeletedHere[0].Name != "Hem – Hugo Martin" {
			t.Fatalf("deleted here %+v: %v", rep.DeletedHere, rep.Lines)
		}
		if sum := rep.Summary(); !strings.Contains(sum, "1 appointment deleted on the phone") ||
			!strings.Contains(sum, "1 event of appointments deleted here") || strings.Contains(sum, "contact deleted") {
			t.Fatalf("summary: %s", sum)
		}
		appointment(t, s, a.ID) // still here
		if objs := srv.Objects(t, cal); len(objs) != 1 {
			t.Fatalf("calendar holds %v, want Hugo's event still", objs)
		}
	}
	settledA, err := s.SettleDeletion(ctx, srv.Password, hrefA, DeleteToo)
	if err != nil || settledA.Batch == 0 {
		t.Fatalf("delete here too: %+v %v", settledA, err)
	}
	if _, err := s.store().Appointment(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("deleted too: appointment still here (%v)", err)
	}
	settledB, err := s.SettleDeletion(ctx, srv.Password, hrefB, DeleteToo)
	if err != nil || settledB.Batch == 0 {
		t.Fatalf("delete on the phone too: %+v %v", settledB, err)
	}
	if objs := srv.Objects(t, cal); len(objs) != 0 {
		t.Fatalf("deleted too: calendar still holds %v", objs)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedOnPhone)+len(rep.DeletedHere) != 0 {
		t.Fatalf("settled deletions asked again: %v", rep.Lines)
	}

	// The import history's Undo brings Peter's appointment back, and the
	// next sync puts it in the phone's calendar again.
	undone, err := s.UndoImport(ctx, settledA.Batch)
	if err != nil || len(undone.Restored) != 1 || undone.Restored[0] != "Fitting – Peter Schmidt" {
		t.Fatalf("undo: %+v %v", undone, err)
	}
	if back := appointment(t, s, a.ID); !back.Start.Equal(a.Start) || back.Minutes != a.Minutes {
		t.Fatalf("brought back as %+v", back)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); calendarSyncCounts(rep) != [3]int{1, 0, 0} || len(srv.Objects(t, cal)) != 1 {
		t.Fatalf("sync after the undo: %v", rep.Lines)
	}

	// Hugo's event comes back to the phone with its Undo (the password
	// kept for the sync), and is asked about again: its appointment is
	// still deleted here.
	if _, err := s.SavePhoneSyncPassword(srv.URL+"/", srv.User, srv.Password); err != nil {
		t.Fatal(err)
	}
	undone, err = s.UndoImport(ctx, settledB.Batch)
	if err != nil || undone.PutBack != 1 {
		t.Fatalf("undo on the phone: %+v %v", undone, err)
	}
	if text := srv.Get(t, hrefB); !strings.Contains(text, "SUMMARY:Hem – Hugo Martin") {
		t.Fatalf("put back:\n%s", text)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedHere) != 1 || rep.DeletedHere[0].Href != hrefB {
		t.Fatalf("after the undo on the phone: %v", rep.Lines)
	}
}

// TestCalendarForeignEventsLeftAlone: an event Rapport did not make is
// neither read into Rapport nor changed.
func TestCalendarForeignEventsLeftAlone(t *testing.T) {
	s, srv, cal, _ := calendarDesk(t)
	foreign := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\nUID:dentist-1\r\nDTSTAMP:20261124T080000Z\r\n" +
		"DTSTART:20261125T070000Z\r\nDTEND:20261125T080000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	srv.Put(t, cal+"dentist.ics", "text/calendar", foreign)
	before := srv.Get(t, cal+"dentist.ics")
	rep := syncNow(t, s, srv, SyncOptions{})
	if got := calendarSyncCounts(rep); got != [3]int{1, 0, 0} {
		t.Fatalf("counts %v: %v", got, rep.Lines)
	}
	if srv.Get(t, cal+"dentist.ics") != before {
		t.Fatal("the sync changed the phone's own event")
	}
	srv.Put(t, cal+"dentist.ics", "text/calendar", strings.Replace(foreign, "070000Z", "073000Z", 1))
	moved := srv.Get(t, cal+"dentist.ics")
	rep = syncNow(t, s, srv, SyncOptions{})
	if got := calendarSyncCounts(rep); got != [3]int{0, 0, 0} || len(rep.Conflicts)+len(rep.DeletedOnPhone)+len(rep.DeletedHere) != 0 {
		t.Fatalf("a foreign event was taken up: %v", rep.Lines)
	}
	if srv.Get(t, cal+"dentist.ics") != moved {
		t.Fatal("the sync changed the phone's own event")
	}
	if links, err := s.store().DavEvents(t.Context()); err != nil || len(links) != 1 {
		t.Fatalf("event links %v (%v), want only the appointment's", links, err)
	}
}

// TestCalendarListsEventCalendars: the calendars offered are those that
// take events.
func TestCalendarListsEventCalendars(t *testing.T) {
	s, srv, _, _ := calendarDesk(t)
	cals, err := s.PhoneCalendars(t.Context(), dav.Account{URL: srv.URL + "/", User: srv.User, Password: srv.Password})
	if err != nil {
		t.Fatal(err)
	}
	if len(cals) != 1 || cals[0].Name != "work" || cals[0].Path != "/owner/work/" {
		t.Fatalf("calendars %+v", cals)
	}
}

// TestCalendarLostAnswerAdopted: an event the server stored while its
// answer (or the link's record) was lost is taken up by the next sync as
// the appointment's own, not reported as a conflict nor duplicated; one
// the phone moved meanwhile is a conflict, not overwritten.
func TestCalendarLostAnswerAdopted(t *testing.T) {
	s, srv, cal, a := calendarDesk(t)
	ctx := t.Context()
	syncNow(t, s, srv, SyncOptions{})
	href := eventPath(cal, a.ID)
	if err := s.store().DeleteDavEvent(ctx, href); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.Conflicts) != 0 || calendarSyncCounts(rep) != [3]int{1, 0, 0} {
		t.Fatalf("adopting: %v", rep.Lines)
	}
	if objs := srv.Objects(t, cal); len(objs) != 1 {
		t.Fatalf("calendar holds %v", objs)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); calendarSyncCounts(rep) != [3]int{0, 0, 0} || len(rep.Conflicts) != 0 {
		t.Fatalf("after adopting: %v", rep.Lines)
	}

	if err := s.store().DeleteDavEvent(ctx, href); err != nil {
		t.Fatal(err)
	}
	srv.Put(t, href, "text/calendar", phoneEvent(a.ID, "Fitting – Peter Schmidt", "20261126T100000", "20261126T110000"))
	phone := srv.Get(t, href)
	rep = syncNow(t, s, srv, SyncOptions{})
	if len(rep.Conflicts) != 1 || srv.Get(t, href) != phone {
		t.Fatalf("an unrecorded event the phone moved: %v", rep.Lines)
	}
}

// TestCalendarDeleteOnPhoneChangedThere: an appointment deleted here whose
// event the phone changed since is not deleted there on the first word;
// asked again, it is.
func TestCalendarDeleteOnPhoneChangedThere(t *testing.T) {
	s, srv, cal, a := calendarDesk(t)
	ctx := t.Context()
	syncNow(t, s, srv, SyncOptions{})
	href := eventPath(cal, a.ID)
	if _, err := s.DeleteAppointment(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedHere) != 1 || rep.DeletedHere[0].Href != href {
		t.Fatalf("deleted here: %v", rep.Lines)
	}
	srv.Put(t, href, "text/calendar", phoneEvent(a.ID, "Fitting – Peter Schmidt", "20261126T100000", "20261126T110000"))
	if _, err := s.SettleDeletion(ctx, srv.Password, href, DeleteToo); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("deleting an event changed on the phone: %v", err)
	}
	if objs := srv.Objects(t, cal); len(objs) != 1 {
		t.Fatalf("the changed event was deleted: %v", objs)
	}
	if _, err := s.SettleDeletion(ctx, srv.Password, href, DeleteToo); err != nil {
		t.Fatal(err)
	}
	if objs := srv.Objects(t, cal); len(objs) != 0 {
		t.Fatalf("asked again, the event is still there: %v", objs)
	}
}

// TestCalendarSwitched: with another calendar chosen, the appointments go
// there too, and the first calendar's events are neither asked about nor
// changed.
func TestCalendarSwitched(t *testing.T) {
	s, srv, first, _ := calendarDesk(t)
	ctx := t.Context()
	syncNow(t, s, srv, SyncOptions{})
	before := srv.Objects(t, first)
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second := srv.AddCalendar(t, "shop")
	set.Calendar = second
	if err := s.SetPhoneSyncSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if calendarSyncCounts(rep) != [3]int{1, 0, 0} || len(rep.DeletedOnPhone)+len(rep.DeletedHere)+len(rep.Conflicts) != 0 {
		t.Fatalf("first sync with the second calendar: %v", rep.Lines)
	}
	if got := srv.Objects(t, second); len(got) != 1 {
		t.Fatalf("second calendar holds %v", got)
	}
	if got := srv.Objects(t, first); len(got) != len(before) {
		t.Fatalf("first calendar went from %v to %v", before, got)
	}
}

// TestCalendarGoneFromServer: a chosen calendar deleted on the server is
// named as such, with the report of the contacts' part kept.
func TestCalendarGoneFromServer(t *testing.T) {
	s, srv, cal, _ := calendarDesk(t)
	srv.Delete(t, cal)
	rep, err := s.SyncPhone(t.Context(), SyncOptions{Password: srv.Password, Region: "DE"})
	if err == nil || !strings.Contains(err.Error(), "calendar "+cal+" is not on the server") || !errors.Is(err, dav.ErrNotDAV) {
		t.Fatalf("sync with the calendar gone: %v", err)
	}
	if rep == nil || rep.ToPhoneAdded+rep.ToPhoneUpdated+rep.FromPhoneAdded != 0 || len(rep.Conflicts) != 0 {
		t.Fatalf("the contacts' part: %+v", rep)
	}
}
