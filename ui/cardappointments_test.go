package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// bookFor books an appointment in a harness's seed.
func bookFor(t *testing.T, svc *app.Service, c *model.Contact, start time.Time, minutes int, purpose string) int64 {
	t.Helper()
	a, err := svc.NewAppointment(context.Background(), c.ID, start, minutes, purpose)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// buttonsIn lists the texts of the buttons inside o.
func buttonsIn(o fyne.CanvasObject) map[string]bool {
	out := map[string]bool{}
	walkObjects(o, walkScope{}, func(o fyne.CanvasObject) walkNext {
		if b, ok := o.(*widget.Button); ok {
			out[b.Text] = true
		}
		return walkInto
	})
	return out
}

func TestCardListsAppointmentsAndNoShowOnlyOnceStarted(t *testing.T) {
	var ahead, past int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller"})
		ahead = bookFor(t, svc, c, testNow.AddDate(0, 0, 5).Add(time.Hour), 30, "second fitting") // Sat 28 Nov, 10:30
		past = bookFor(t, svc, c, testNow.AddDate(0, 0, -2), 60, "first fitting")                 // Sat 21 Nov, 09:30
	})
	h.selectContact("Maria Keller")
	h.mustShow("Appointments", "Sat 28 November 2026, 10:30–11:00 · second fitting",
		"Past", "Sat 21 November 2026, 09:30–10:30 · first fitting")
	aheadButtons := buttonsIn(h.m.card.apptRows[ahead])
	for _, no := range []string{"No-show", "On time", "Late…"} {
		if aheadButtons[no] {
			t.Errorf("%q offered 5 days ahead (%v)", no, aheadButtons)
		}
	}
	for _, yes := range []string{"Reschedule…", "Cancel…", "Edit"} {
		if !aheadButtons[yes] {
			t.Errorf("%q not offered ahead (%v)", yes, aheadButtons)
		}
	}
	if b := buttonsIn(h.m.card.apptRows[past]); !b["No-show"] || !b["On time"] {
		t.Errorf("a past appointment without an outcome offers %v", b)
	}
	// The week view of next week does not offer it either.
	h.m.tabs.SelectIndex(1)
	h.tapButton("Next")
	h.mustShow("Week of 30 November 2026 to 6 December 2026")
	h.tapButton("Previous")
	h.mustShow("Week of 23 November 2026 to 29 November 2026", "Saturday 28 November 2026", "second fitting")
	if b := buttonsIn(h.m.agenda.rows[ahead]); b["No-show"] || !b["Cancel…"] {
		t.Errorf("week view ahead offers %v", b)
	}
	// Recorded from the card, with Undo.
	h.m.tabs.SelectIndex(0)
	tapIn(t, h.m.card.apptRows[past], "No-show")
	h.mustShow("first fitting · no-show", "Recorded Maria Keller's appointment of Sat 21 November 2026, 09:30 as no-show.")
	test.Tap(h.m.done.undo)
	h.mustNotShow("first fitting · no-show")
	if b := buttonsIn(h.m.card.apptRows[past]); !b["No-show"] {
		t.Errorf("after undo the past appointment offers %v", b)
	}
}

func TestRescheduleFromTheCardLinksOldToNew(t *testing.T) {
	var old int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller"})
		old = bookFor(t, svc, c, time.Date(2026, 11, 25, 14, 0, 0, 0, time.Local), 45, "gift consultation")
	})
	h.selectContact("Maria Keller")
	tapIn(t, h.m.card.apptRows[old], "Reschedule…")
	h.mustShow("Move Maria Keller's appointment of Wed 25 November 2026, 14:00 to…")
	e := h.dialogEntry()
	e.SetText("3 December 2026")
	h.tapButton("Save")
	h.mustShow("Wed 25 November 2026, 14:00–14:45 · gift consultation · moved to Thu 3 December 2026, 14:00",
		"Thu 3 December 2026, 14:00–14:45 · gift consultation")
	card, err := h.svc.Card(context.Background(), h.m.card.card.Contact.ID)
	if err != nil || len(card.Ahead) != 2 || card.Ahead[0].RescheduledToID == nil || *card.Ahead[0].RescheduledToID != card.Ahead[1].ID {
		t.Fatalf("old not linked to new: %+v %v", card.Ahead, err)
	}
	h.mustShow("Moved Maria Keller's appointment to Thu 3 December 2026, 14:00.")
	test.Tap(h.m.done.undo)
	h.mustNotShow("moved to", "Thu 3 December 2026")
	if b := buttonsIn(h.m.card.apptRows[old]); !b["Reschedule…"] {
		t.Errorf("after undo the old appointment offers %v", b)
	}
}

func TestBookingFlagsADoubleBookingAndStillSaves(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		anna := addContact(t, svc, &model.Contact{GivenName: "Anna", FamilyName: "Schmidt"})
		bookFor(t, svc, anna, time.Date(2026, 11, 24, 14, 0, 0, 0, time.Local), 60, "fitting")
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller"})
	})
	h.selectContact("Maria Keller")
	e := h.m.card.onNewAppointment()
	h.mustNotShow("Overlaps")
	e.date.SetText("24.11.2026") // day first, read as such in every style
	e.at.SetText("14:30")
	h.mustShow("Overlaps Anna Schmidt 14:00–15:00. You can still save.")
	e.at.SetText("15:00")
	h.mustNotShow("Overlaps")
	e.at.SetText("14:45")
	test.Type(e.purpose, "hem")
	e.purpose.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter saves
	h.mustShow("Tue 24 November 2026, 14:45–15:15 · hem",
		"Booked an appointment with Maria Keller for Tue 24 November 2026, 14:45. Overlaps Anna Schmidt 14:00–15:00.")
	test.Tap(h.m.done.undo)
	h.mustNotShow("· hem")
	h.mustShow("Nothing booked ahead.")
}

func TestDatesFollowTheOwnersStyle(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
			Journal: []model.JournalEntry{{Kind: model.KindCall, Text: "asked about the table", At: testNow}}})
	})
	h.m.setDateStyle(string(app.DateMDY))
	h.selectContact("Maria Keller")
	h.mustShow("Mon 11/23/2026, 9:30 AM · call")
	e := h.m.card.onNewAppointment()
	if e.date.Text != "11/24/2026" || e.at.Text != "10:00 AM" {
		t.Errorf("dialog starts at %q %q", e.date.Text, e.at.Text)
	}
	e.date.SetText("12/3/2026")
	e.at.SetText("2:30 PM")
	h.tapButton("Save")
	h.mustShow("Thu 12/3/2026, 2:30 PM–3:00 PM")

	h.m.setDateStyle(string(app.DateDMY))
	h.m.card.reload()
	h.mustShow("Mon 23.11.2026, 09:30 · call", "Thu 3.12.2026, 14:30–15:00")
	e = h.m.card.onNewAppointment()
	e.date.SetText("12/3/2026") // day first here: 12 March
	e.at.SetText("9")
	h.tapButton("Save")
	h.mustShow("Thu 12.3.2026, 09:00–09:30")
	e = h.m.card.onNewAppointment()
	e.date.SetText("31.2.2026")
	h.tapButton("Save")
	h.mustShow(`"31.2.2026" is not a date; write it as D.M.YYYY`)
}

func TestDeletingAnAppointmentUndoes(t *testing.T) {
	var id int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller"})
		id = bookFor(t, svc, c, testNow.AddDate(0, 0, 3), 30, "fitting")
	})
	h.selectContact("Maria Keller")
	h.m.deleteAppointment(h.m.card.card.Ahead[0], "Maria Keller")
	h.mustShow("Deleted Maria Keller's appointment of Thu 26 November 2026, 09:30.", "Nothing booked ahead.")
	test.Tap(h.m.done.undo)
	h.mustShow("Thu 26 November 2026, 09:30–10:00 · fitting")
	if h.m.card.apptRows[id] == nil {
		t.Error("the appointment came back under another ID")
	}
}

func TestSettingsDatesChangesEveryView(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the first visit", Due: "2026-11-20", Status: model.NoteOwed}}})
		bookFor(t, svc, c, testNow.Add(2*time.Hour), 30, "fitting")
	})
	s := h.m.onSettings()
	if s.dates.Selected != "3 December 2026" {
		t.Errorf("Dates shows %q, want the pinned long style", s.dates.Selected)
	}
	s.dates.SetSelected("2026-12-03")
	h.tapButton("Save")
	if got := h.m.app.Preferences().String(prefDateStyle); got != "iso" {
		t.Errorf("kept %q", got)
	}
	h.selectContact("Maria Keller")
	h.mustShow("Mon 2026-11-23, 11:30–12:00 · fitting")
	h.m.tabs.SelectIndex(1)
	h.mustShow("Today · Monday 2026-11-23", "Week of 2026-11-23 to 2026-11-29")
	h.m.tabs.SelectIndex(3)
	h.mustShow("overdue since 2026-11-20")
	h.m.tabs.SelectIndex(2)
	h.mustShow("(overdue since 11-20)")
	// Weeks that begin on Sunday: Monday the 23rd is the week's second day.
	s = h.m.onSettings()
	s.week.SetSelected("Sunday")
	h.tapButton("Save")
	h.m.tabs.SelectIndex(1)
	h.mustShow("Week of 2026-11-22 to 2026-11-28")
	h.mustNotShow("Week of 2026-11-23 to 2026-11-29")
	if got := h.m.app.Preferences().String(prefWeekStart); got != "Sunday" {
		t.Errorf("the week's first day kept as %q", got)
	}
	// Back to the system's style: nothing stored.
	s = h.m.onSettings()
	s.dates.SetSelected(s.dateChoices()[0])
	h.tapButton("Save")
	if got := h.m.app.Preferences().String(prefDateStyle); got != "" {
		t.Errorf("the system's style kept as %q", got)
	}
}
