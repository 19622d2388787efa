package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

func twoNotesToMaria(t *testing.T) func(*app.Service) {
	return func(svc *app.Service) {
		march := time.Date(2026, 3, 3, 17, 0, 0, 0, time.Local)
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
			Addresses: []model.Address{{Street: "Hauptstraße 3", PostalCode: "10115", City: "Berlin"}},
			NotesOwed: []model.NoteReminder{
				{Reason: "thank you for the first visit", Due: "2026-03-01", Status: model.NotePosted,
					WrittenAt: &march, PostedAt: &march, WrittenText: "welcomed her to the shop"},
				{Reason: "thank you for the walnut bowl", Due: "2026-11-20", Status: model.NoteOwed},
				{Reason: "congratulations on the new flat", Due: "2026-11-28", Status: model.NoteOwed}}})
		addContact(t, svc, &model.Contact{GivenName: "Jörg", FamilyName: "Müller",
			NotesOwed: []model.NoteReminder{{Reason: "thank you for referring Anna", Due: "2026-11-26", Status: model.NoteOwed}}})
	}
}

// writtenTexts are the texts kept for the notes written so far.
func writtenTexts(t *testing.T, svc *app.Service) map[string]string {
	t.Helper()
	notes, err := svc.NotesToWrite(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range notes {
		if n.Status == model.NoteWritten {
			out[n.Reason] = n.WrittenText
		}
	}
	return out
}

func TestNotesTabAsksWhatWasWrittenAndShowsItBesideTheNext(t *testing.T) {
	h := newHarness(t, twoNotesToMaria(t))
	h.m.tabs.SelectIndex(3)
	// Beside each note to Maria: the note of March; none beside Jörg's.
	h.mustShow("Maria Keller · thank you for the walnut bowl", "Last note, 3 March 2026: welcomed her to the shop")
	if n := countShown(h, "Last note, 3 March 2026: welcomed her to the shop"); n != 2 {
		t.Errorf("the last note shows %d times, want beside Maria's 2 notes", n)
	}

	h.tapButton("Written") // the walnut bowl, overdue, first
	h.mustShow("What did you write to Maria Keller?")
	test.Type(h.dialogEntry(), "thanked her for the walnut bowl;\nasked about the new flat")
	h.tapButton("Mark written")
	h.mustNotShow("What did you write")
	h.mustShow("written, to post", "Last note, 23 November 2026: thanked her for the walnut bowl; asked about the new flat")
	h.mustNotShow("welcomed her to the shop")
	if got := writtenTexts(t, h.svc)["thank you for the walnut bowl"]; got != "thanked her for the walnut bowl;\nasked about the new flat" {
		t.Errorf("kept %q", got)
	}
}

func TestTodayAsksWhatWasWrittenOrNothing(t *testing.T) {
	h := newHarness(t, twoNotesToMaria(t))
	h.m.tabs.SelectIndex(2)
	h.mustShow("Write a note: thank you for the walnut bowl (overdue since 20 November)")
	h.tapButton("Written")
	h.tapButton("Cancel")
	h.mustShow("Write a note: thank you for the walnut bowl")
	if len(writtenTexts(t, h.svc)) != 0 {
		t.Fatal("Cancel marked the note written")
	}
	h.tapButton("Written")
	h.tapButton("Mark written") // nothing typed: written all the same
	h.mustNotShow("thank you for the walnut bowl")
	if got, ok := writtenTexts(t, h.svc)["thank you for the walnut bowl"]; !ok || got != "" {
		t.Errorf("after writing with nothing typed: %q %v", got, ok)
	}
	h.m.tabs.SelectIndex(3)
	h.mustShow("Last note, 23 November 2026 (what it said was not noted)")
}

func TestPostedStraightAwayAsksToo(t *testing.T) {
	h := newHarness(t, twoNotesToMaria(t))
	h.m.tabs.SelectIndex(3)
	h.tapButton("Posted")
	h.mustShow("What did you write to Maria Keller?")
	test.Type(h.dialogEntry(), "a card with the shop's new opening hours")
	h.tapButton("Mark posted")
	h.mustNotShow("thank you for the walnut bowl")
	h.mustShow("Last note, 23 November 2026: a card with the shop's new opening hours")
}

func countShown(h *harness, text string) int {
	n := 0
	for _, s := range h.shownTexts() {
		if s == text {
			n++
		}
	}
	return n
}
