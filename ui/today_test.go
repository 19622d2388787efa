package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// tapMenuItem taps the item of the open pop-up menu that reads text.
func (h *harness) tapMenuItem(text string) {
	h.t.Helper()
	var found fyne.Tappable
	var has func(o fyne.CanvasObject) bool
	has = func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *canvas.Text:
			return x.Text == text
		case *fyne.Container:
			for _, c := range x.Objects {
				if has(c) {
					return true
				}
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				if has(c) {
					return true
				}
			}
		}
		return false
	}
	h.visit(func(o fyne.CanvasObject) bool {
		if tap, ok := o.(fyne.Tappable); ok {
			// The innermost: the pop-up holding the menu is tappable too.
			if _, isButton := o.(*widget.Button); !isButton && has(o) {
				found = tap
			}
		}
		return true
	})
	if found == nil {
		h.t.Fatalf("no menu item %q shown", text)
	}
	found.Tapped(&fyne.PointEvent{})
}

func (h *harness) journalOf(id int64) []model.JournalEntry {
	h.t.Helper()
	c, err := h.svc.Contact(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Journal
}

func (h *harness) undo() {
	h.t.Helper()
	if !h.m.done.root.Visible() || !h.m.done.undo.Visible() {
		h.t.Fatalf("no Undo shown (snackbar: %q)", h.m.done.text.Text)
	}
	test.Tap(h.m.done.undo)
}

func quiet(t *testing.T, svc *app.Service, name string) *model.Contact {
	return addContact(t, svc, &model.Contact{DisplayName: name, Stage: model.StageProspect, CreatedAt: testNow.AddDate(0, 0, -40)})
}

func TestLogACallAsksWhatWasSaidAndUndoes(t *testing.T) {
	var id int64
	h := newHarness(t, func(svc *app.Service) { id = quiet(t, svc, "Quiet Prospect").ID })
	h.m.tabs.SelectIndex(2)
	said := func() *submitEntry {
		e, ok := h.w.Canvas().Focused().(*submitEntry)
		if !ok {
			t.Fatal("the cursor is not in what was said")
		}
		return e
	}

	// Escape cancels: nothing is logged.
	h.tapButton("Log a call…")
	test.Type(said(), "never mind")
	said().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.mustNotShow("Log a call with")
	if j := h.journalOf(id); len(j) != 0 {
		t.Fatalf("Escape logged %+v", j)
	}
	// Enter with nothing typed logs nothing and says why.
	h.tapButton("Log a call…")
	said().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustShow("Say what was said")
	// Shift+Enter is a new line; Enter logs.
	e := said()
	test.Type(e, "asked about the table")
	e.KeyDown(&fyne.KeyEvent{Name: "LeftShift"})
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	e.KeyUp(&fyne.KeyEvent{Name: "LeftShift"})
	test.Type(e, "coming Friday")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	j := h.journalOf(id)
	if len(j) != 1 || j[0].Kind != model.KindCall || j[0].Text != "asked about the table\ncoming Friday" {
		t.Fatalf("journal after Enter: %+v", j)
	}
	h.mustShow("Logged a call with Quiet Prospect.", "Nothing to follow up today.")
	h.undo()
	if j := h.journalOf(id); len(j) != 0 {
		t.Fatalf("undo left %+v", j)
	}
	h.mustShow("Undone.", "Keep in touch (1)", "Nothing logged for 40 days")
}

func TestTodayDoneAndSnoozeAreUndone(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) { quiet(t, svc, "Quiet Prospect") })
	h.m.tabs.SelectIndex(2)
	h.tapButton("Done")
	h.mustShow("Done: Quiet Prospect, Nothing logged for 40 days", "Nothing to follow up today.")
	h.undo()
	h.mustShow("Keep in touch (1)", "Nothing logged for 40 days")

	h.tapButton("Snooze")
	h.tapMenuItem("For a week")
	h.mustShow("Snoozed Quiet Prospect until 30 November 2026.", "Nothing to follow up today.")
	// Stored: a new window on the same file does not show it either.
	if items, _ := h.m.followups(); len(items) != 0 {
		t.Fatalf("snoozed row still computed: %+v", items)
	}
	h.undo()
	h.mustShow("Keep in touch (1)")

	h.tapButton("Snooze")
	h.tapMenuItem("For a month")
	h.mustShow("Snoozed Quiet Prospect until 23 December 2026.")
}

func TestTodaySectionsUrgentFirstFoldAndShowAll(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		for i := range 12 {
			quiet(t, svc, fmt.Sprintf("Quiet %02d", i+1))
		}
		addContact(t, svc, &model.Contact{DisplayName: "Owed Note", Stage: model.StageClient,
			Journal:   []model.JournalEntry{{Kind: model.KindMet, At: testNow.AddDate(0, 0, -3), Text: "met"}},
			NotesOwed: []model.NoteReminder{{Reason: "thanks", Due: "2026-11-20", Status: model.NoteOwed}}})
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Notes to write (1)", "Keep in touch (12)", "Quiet 10", "Show all 12")
	h.mustNotShow("Quiet 11")
	texts := h.shownTexts()
	if idx(texts, "Notes to write (1)") > idx(texts, "Keep in touch (12)") {
		t.Error("the urgent section is not first")
	}
	h.tapButton("Show all 12")
	h.mustShow("Quiet 11", "Quiet 12")
	h.mustNotShow("Show all 12")

	h.tapButton("Keep in touch (12)")
	h.mustNotShow("Quiet 01")
	h.mustShow("Keep in touch (12)", "Owed Note")
	if !h.m.app.Preferences().Bool(prefFolded(app.FollowKeepInTouch)) {
		t.Error("folding is not remembered")
	}
	h.m.today.refresh()
	h.mustNotShow("Quiet 01")
	h.tapButton("Keep in touch (12)")
	h.mustShow("Quiet 01")
}

func idx(texts []string, s string) int {
	for i, t := range texts {
		if t == s {
			return i
		}
	}
	return -1
}

func TestRemindedOfTomorrowIsLoggedAndUndone(t *testing.T) {
	var id int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{DisplayName: "Booked Tomorrow", Stage: model.StageClient,
			Journal: []model.JournalEntry{{Kind: model.KindVisit, At: testNow.AddDate(0, 0, -1), Text: "hi"}}})
		id = c.ID
		if _, err := svc.NewAppointment(context.Background(), c.ID, testNow.Add(24*time.Hour+time.Hour), 30, "fitting"); err != nil {
			t.Fatal(err)
		}
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Remind of tomorrow's appointments (1)", "Appointment tomorrow at 10:30: fitting")
	h.tapButton("Reminded")
	if j := h.journalOf(id); len(j) != 2 || j[0].Text != "Reminded of the appointment: appointment tomorrow at 10:30: fitting" {
		t.Fatalf("journal: %+v", j)
	}
	h.mustNotShow("Remind of tomorrow's appointments")
	h.undo()
	if j := h.journalOf(id); len(j) != 1 {
		t.Fatalf("undo left %+v", j)
	}
	h.mustShow("Remind of tomorrow's appointments (1)")
}

func TestNoteWrittenFromTodayIsUndone(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{DisplayName: "Owed Note", Stage: model.StageClient,
			Journal:   []model.JournalEntry{{Kind: model.KindMet, At: testNow.AddDate(0, 0, -3), Text: "met"}},
			NotesOwed: []model.NoteReminder{{Reason: "thanks", Due: "2026-11-20", Status: model.NoteOwed}}})
	})
	h.m.tabs.SelectIndex(2)
	h.tapButton("Written")
	test.Type(h.dialogEntry(), "thanked her")
	h.tapButton("Mark written")
	h.mustShow("Marked the note to Owed Note written.")
	h.mustNotShow("Notes to write")
	h.undo()
	h.mustShow("Notes to write (1)", "Write a note: thanks")
}

func TestWelcomeOnAnEmptyDatabaseAndTheDemoUndone(t *testing.T) {
	h := newHarness(t, nil)
	h.mustShow("Welcome to Rapport", "Import phone contacts…", "iPhone:", "Android:", "Google Contacts:", "Outlook:",
		"Try the demo shop", "Add a contact…")
	h.tapButton("Try the demo shop")
	h.mustNotShow("Welcome to Rapport")
	h.mustShow("40 contacts", "Added the demo shop: 40 made-up contacts.")
	batches, _ := h.svc.ImportBatches(context.Background())
	if len(batches) != 1 || batches[0].File != "Demo shop" {
		t.Errorf("import history: %+v", batches)
	}
	h.undo()
	h.mustShow("Welcome to Rapport")
	if rows, _ := h.svc.ListContacts(context.Background(), ""); len(rows) != 0 {
		t.Fatalf("%d contacts after undoing the demo", len(rows))
	}
	// Add a contact opens the editor; once saved the welcome goes.
	h.tapButton("Add a contact…")
	test.Type(h.lastEditor(t).given, "Ada")
	h.tapButton("Save")
	h.mustNotShow("Welcome to Rapport")
	h.mustShow("1 contact", "Ada")
}

func TestRemovingADetailIsUndone(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	var removes []*widget.Button
	walkObjects(h.m.card.details, walkScope{}, func(o fyne.CanvasObject) walkNext {
		if b, ok := o.(*widget.Button); ok && b.Icon == theme.DeleteIcon() {
			removes = append(removes, b)
		}
		return walkInto
	})
	if len(removes) == 0 {
		t.Fatal("no remove button on the details")
	}
	h.mustShow("Coffee: oat flat white")
	test.Tap(removes[len(removes)-1])
	h.mustShow("Removed detail “Coffee” from Maria Keller.")
	h.mustNotShow("Coffee: oat flat white")
	h.undo()
	h.mustShow("Coffee: oat flat white")
}

func TestMakeClientFromTodayIsUndone(t *testing.T) {
	var id int64
	h := newHarness(t, func(svc *app.Service) {
		buy := func(days int) model.JournalEntry {
			return model.JournalEntry{Kind: model.KindPurchase, At: testNow.AddDate(0, 0, -days), Text: "bought"}
		}
		id = addContact(t, svc, &model.Contact{DisplayName: "Regular Buyer", Stage: model.StageCustomer,
			Journal: []model.JournalEntry{buy(3), buy(40), buy(90)}}).ID
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Ready to become clients (1)", "3 purchases in the last year")
	h.tapButton("Make client")
	h.mustShow("Regular Buyer is a client now.")
	h.mustNotShow("Ready to become clients")
	c, _ := h.svc.Contact(context.Background(), id)
	if c.Stage != model.StageClient || len(c.Journal) != 4 || c.Journal[0].Text != "Stage changed from customer to client" {
		t.Fatalf("after Make client: stage %s, journal %+v", c.Stage, c.Journal)
	}
	h.undo()
	c, _ = h.svc.Contact(context.Background(), id)
	if c.Stage != model.StageCustomer || len(c.Journal) != 3 {
		t.Fatalf("after undo: stage %s, journal %+v", c.Stage, c.Journal)
	}
	h.mustShow("Ready to become clients (1)")
}

func TestTheLogLineSaysWhatItLoggedAndUndoes(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	id := h.m.card.card.Contact.ID
	h.m.card.quickKind.SetSelected("purchase")
	test.Type(h.m.card.quickText, "a bell for the bike")
	h.m.card.quickText.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustShow("Logged “a bell for the bike” (purchase) for Jörg Müller.")
	c, _ := h.svc.Contact(context.Background(), id)
	if len(c.Journal) != 1 || len(c.NotesOwed) != 1 {
		t.Fatalf("after the first purchase: journal %+v, notes %+v", c.Journal, c.NotesOwed)
	}
	h.undo()
	// The entry and the thank-you note it planned are both gone.
	c, _ = h.svc.Contact(context.Background(), id)
	if len(c.Journal) != 0 || len(c.NotesOwed) != 0 {
		t.Fatalf("after undo: journal %+v, notes %+v", c.Journal, c.NotesOwed)
	}
	h.mustNotShow("a bell for the bike")
}

func TestEveryBirthdayOnTodayIsASetting(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		bday := []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 25}}
		addContact(t, svc, &model.Contact{DisplayName: "Phone Book", Dates: bday, CreatedAt: testNow})
		addContact(t, svc, &model.Contact{DisplayName: "Good Customer", Stage: model.StageCustomer, Dates: bday})
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Birthdays (1)", "Good Customer")
	h.mustNotShow("Phone Book")
	s := h.m.onSettings()
	if s.allBirthdays.Checked {
		t.Fatal("every birthday is on by default")
	}
	test.Tap(s.allBirthdays)
	h.tapButton("Save")
	h.mustShow("Birthdays (2)", "Phone Book", "Good Customer")
	s = h.m.onSettings()
	if !s.allBirthdays.Checked {
		t.Error("the setting does not show as saved")
	}
	h.tapButton("Cancel")
}

func TestALongSectionComesAPageAtATime(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		for i := range 215 {
			quiet(t, svc, fmt.Sprintf("Quiet %03d", i+1))
		}
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Keep in touch (215)", "Quiet 010", "Show 200 more (10 of 215 shown)")
	h.mustNotShow("Quiet 011")
	h.tapButton("Show 200 more (10 of 215 shown)")
	h.mustShow("Quiet 210", "Show all 215")
	h.mustNotShow("Quiet 211")
	h.tapButton("Show all 215")
	h.mustShow("Quiet 215")
}
