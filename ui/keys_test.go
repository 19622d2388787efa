package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// key sends a key as the desktop driver does: to the widget with the
// cursor, or to the canvas when none has it.
func (h *harness) key(name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := h.w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	h.w.Canvas().OnTypedKey()(ev)
}

// focusFirst puts the cursor in the first of our widgets in the dialog on
// top, as a click would; with multiLine false it skips multi-line entries
// (where Enter starts a line). It reports whether there was one.
func (h *harness) focusFirst(multiLine bool) bool {
	top := h.topDialog()
	if top == nil {
		return false
	}
	var found fyne.Focusable
	walkObjects(top, walkScope{renderers: true, visibleOnly: true}, func(o fyne.CanvasObject) walkNext {
		switch x := o.(type) {
		case *keyEntry:
			if multiLine || !x.MultiLine {
				found = x
				return walkStop
			}
			return walkOver
		case *keySelectEntry, *keySelect, *keyCheck:
			found = x.(fyne.Focusable)
			return walkStop
		}
		return walkInto
	})
	if found == nil {
		h.w.Canvas().Unfocus()
		return false
	}
	h.w.Canvas().Focus(found)
	return true
}

func (h *harness) dialogs() int { return len(h.w.Canvas().Overlays().List()) }

// dialogSeed is the shop every dialog case starts from.
func dialogSeed(t *testing.T) func(*app.Service) {
	return func(svc *app.Service) {
		threePeople(t)(svc)
		c := addContact(t, svc, &model.Contact{GivenName: "Often", FamilyName: "Away",
			Appointments: []model.Appointment{
				{Start: testNow.AddDate(0, 0, -3), Minutes: 30, Outcome: model.OutcomeNoShow},
				{Start: testNow.AddDate(0, 0, -40), Minutes: 30, Outcome: model.OutcomeNoShow}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the visit", Due: "2026-11-20", Status: "owed"}}})
		if _, err := svc.NewAppointment(context.Background(), c.ID, testNow.Add(-time.Hour), 30, "fitting"); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *harness) contact(name string) *model.Contact {
	h.t.Helper()
	rows, err := h.svc.ListContacts(context.Background(), "")
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range rows {
		if r.DisplayName == name {
			c, err := h.svc.Contact(context.Background(), r.ID)
			if err != nil {
				h.t.Fatal(err)
			}
			return c
		}
	}
	return nil
}

func (h *harness) typeInto(e interface {
	fyne.Focusable
	SetText(string)
}, text string) {
	e.SetText("")
	test.Type(e, text)
}

// Every dialog of the window closes with Escape, changing nothing, and does
// its job with Enter where it has one (an information closes).
func TestEscapeClosesEveryDialog(t *testing.T) {
	vcf, _ := filepath.Abs(filepath.Join("..", "app", "testdata", "phone.vcf"))
	type dialogCase struct {
		name string
		open func(h *harness)
		// fill types what Enter needs; done tells whether the dialog did
		// its job. Without done, Enter is not tried (nothing to do, or
		// something Enter should not do by mistake).
		fill func(h *harness)
		done func(h *harness) bool
		// closes: the dialog's job is to be read; Enter closes it.
		closes bool
		// then is the dialog Enter opens after its job ("Forgotten"), which
		// Escape closes in turn.
		then string
	}
	var (
		settings  *settings
		note      *noteEditor
		late      int
		cancelled time.Time
		logged    *logCallDialog
	)
	onCard := func(name string, open func(h *harness)) func(h *harness) {
		return func(h *harness) {
			h.selectContact(name)
			open(h)
		}
	}
	cases := []dialogCase{
		{name: "new contact", open: func(h *harness) { h.press(fyne.KeyN) },
			fill: func(h *harness) { h.typeInto(h.m.editor.given, "Ada") },
			done: func(h *harness) bool { return h.contact("Ada") != nil }},
		{name: "edit contact", open: onCard("Jörg Müller", func(h *harness) { h.press(fyne.KeyE) }),
			fill: func(h *harness) { h.typeInto(h.m.editor.nickname, "Jo") },
			done: func(h *harness) bool { return h.contact("Jörg Müller").Nickname == "Jo" }},
		{name: "personal detail", open: onCard("Jörg Müller", func(h *harness) {
			e := h.m.card.editDetail(nil)
			e.value.SetText("rides a tandem")
		}), fill: func(h *harness) {},
			done: func(h *harness) bool { return len(h.contact("Jörg Müller").Details) == 1 }},
		{name: "important date", open: onCard("Jörg Müller", func(h *harness) {
			e := h.m.card.editDate(nil)
			e.day.SetSelected("3")
			e.month.SetSelected("March")
		}), fill: func(h *harness) {},
			done: func(h *harness) bool { return len(h.contact("Jörg Müller").Dates) == 1 }},
		{name: "journal entry", open: onCard("Maria Keller", func(h *harness) {
			je := h.m.card.card.Contact.Journal[0]
			e := h.m.card.editEntry(&je)
			e.text.SetText("Bought three candles")
		}), fill: func(h *harness) {},
			done: func(h *harness) bool { return h.contact("Maria Keller").Journal[0].Text == "Bought three candles" }},
		{name: "new appointment", open: onCard("Jörg Müller", func(h *harness) { h.m.card.onNewAppointment() }),
			fill: func(h *harness) {},
			done: func(h *harness) bool { return len(h.contact("Jörg Müller").Appointments) == 1 }},
		{name: "handwritten note", open: onCard("Jörg Müller", func(h *harness) { note = h.m.card.onNewNote() }),
			fill: func(h *harness) { h.typeInto(note.reason, "thanks for the tip") },
			done: func(h *harness) bool { return len(h.contact("Jörg Müller").NotesOwed) == 1 }},
		{name: "ask for feedback", open: onCard("Often Away", func(h *harness) {
			h.m.card.onAskFeedback().answer.SetText("Mornings are hard")
		}), fill: func(h *harness) { h.w.Canvas().Unfocus() },
			done: func(h *harness) bool {
				j := h.contact("Often Away").Journal
				return len(j) > 0 && j[0].Kind == model.KindFeedback
			}},
		{name: "what was written", open: func(h *harness) {
			n := h.contact("Often Away").NotesOwed[0]
			h.m.askWhatWasWritten(n.ID, "Often Away", model.NoteWritten, nil)
		}, fill: func(h *harness) { h.w.Canvas().Unfocus() },
			done: func(h *harness) bool { return h.contact("Often Away").NotesOwed[0].Status == model.NoteWritten }},
		{name: "settings", open: func(h *harness) { settings = h.m.onSettings() },
			fill: func(h *harness) { h.typeInto(settings.notice, "36") },
			done: func(h *harness) bool { return h.m.noticeHours() == 36 }},
		{name: "forget this person", open: onCard("Сергей Петров", func(h *harness) { h.m.card.onForget() }),
			fill: func(h *harness) {}, then: "Removed Сергей Петров.",
			done: func(h *harness) bool { return h.contact("Сергей Петров") == nil }},
		{name: "an error", open: func(h *harness) { h.m.showError(errors.New("database is locked")) },
			fill: func(h *harness) {}, done: func(h *harness) bool { return true }, closes: true},
		{name: "information", open: func(h *harness) { h.m.keyedInfo("Backed up", "Your contacts are copied.") },
			fill: func(h *harness) {}, done: func(h *harness) bool { return true }, closes: true},
		{name: "backups", open: func(h *harness) { h.m.onBackups() }},
		{name: "restore from a file", open: func(h *harness) { h.m.onBackups().onFromFile() }},
		{name: "restore a backup?", open: func(h *harness) { h.m.onBackups().confirmRestore(vcf, "a file") }},
		{name: "import vCards", open: func(h *harness) { h.m.onImportVCards() }},
		{name: "import preview", open: func(h *harness) { h.m.importFile(vcf) },
			fill: func(h *harness) {}, then: "Import finished",
			done: func(h *harness) bool { rows, _ := h.svc.ListContacts(context.Background(), ""); return len(rows) > 4 }},
		{name: "import history", open: func(h *harness) { h.m.onImportHistory() }},
		{name: "phone sync", open: func(h *harness) { h.m.onPhoneSync() }},
		// The dialogs of the appointments, Today and printing work.
		{name: "how late?", open: func(h *harness) {
			h.m.askMinutesLate(func(o app.Outcome) { late = o.MinutesLate })
		}, fill: func(h *harness) { h.typeInto(h.w.Canvas().Focused().(*keyEntry), "15") },
			done: func(h *harness) bool { return late == 15 }},
		{name: "when did they cancel?", open: func(h *harness) {
			h.m.askCancelledAt(testNow.Add(48*time.Hour), func(o app.Outcome) { cancelled = o.CancelledAt })
		}, fill: func(h *harness) {}, done: func(h *harness) bool { return !cancelled.IsZero() }},
		{name: "log a call", open: onCard("Jörg Müller", func(h *harness) {
			logged = h.m.askWhatWasSaid(h.contact("Jörg Müller").ID, "Jörg Müller", nil)
		}), fill: func(h *harness) { test.Type(logged.said, "asked about the tandem") },
			done: func(h *harness) bool {
				j := h.contact("Jörg Müller").Journal
				return len(j) > 0 && j[0].Text == "asked about the tandem"
			}},
		{name: "export", open: func(h *harness) { h.m.onExport() }},
		{name: "print address labels", open: func(h *harness) { h.m.onPrintLabels() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, dialogSeed(t))
			base := h.dialogs()
			tc.open(h)
			opened := h.dialogs() // the dialog, and the one it opened from
			if opened <= base {
				t.Fatal("no dialog opened")
			}
			h.focusFirst(true)
			h.key(fyne.KeyEscape)
			if n := h.dialogs(); n != opened-1 {
				t.Fatalf("Escape left %d dialogs open, want %d (focused %T)", n, opened-1, h.w.Canvas().Focused())
			}
			if tc.done != nil && !tc.closes && tc.done(h) {
				t.Fatal("Escape did the dialog's job")
			}
			if tc.done == nil {
				return
			}
			// Enter, from the first one-line field (or with no field
			// focused where the dialog has none).
			tc.open(h)
			h.focusFirst(false)
			tc.fill(h)
			h.key(fyne.KeyReturn)
			if !tc.done(h) {
				t.Errorf("Enter did not do the dialog's job (focused %T; shown %q)", h.w.Canvas().Focused(),
					strings.Join(h.shownTexts(), " | "))
			}
			if tc.then != "" {
				h.mustShow(tc.then)
				h.key(fyne.KeyEscape)
			}
			if n := h.dialogs(); n != base {
				t.Errorf("after Enter %d dialogs are open, want %d", n, base)
			}
		})
	}
}

// In a multi-line field Enter starts a new line; Escape still closes.
func TestEnterInAMultiLineFieldStartsALine(t *testing.T) {
	h := newHarness(t, dialogSeed(t))
	h.selectContact("Often Away")
	d := h.m.card.onAskFeedback()
	test.Type(d.answer, "Mornings")
	h.key(fyne.KeyReturn)
	test.Type(d.answer, "are hard")
	if d.answer.Text != "Mornings\nare hard" || h.dialogs() != 1 {
		t.Fatalf("answer %q with %d dialogs open", d.answer.Text, h.dialogs())
	}
	h.key(fyne.KeyEscape)
	if h.dialogs() != 0 {
		t.Fatal("Escape in a multi-line field did not close the dialog")
	}
}

// radioChoices are the choices of the first keyRadio in the dialog on top.
func (h *harness) radioChoices() (*keyRadio, []*radioChoice) {
	h.t.Helper()
	var found *keyRadio
	walkObjects(h.topDialog(), walkScope{renderers: true}, func(o fyne.CanvasObject) walkNext {
		if r, ok := o.(*keyRadio); ok {
			found = r
			return walkStop
		}
		return walkInto
	})
	if found == nil {
		h.t.Fatal("no radio group in the dialog on top")
	}
	test.WidgetRenderer(found) // builds the choices
	return found, found.choices
}

// A clicked radio choice keeps the cursor, as Fyne's does, but passes
// Escape and Enter to its dialog; the arrows move the choice (Fyne's radio
// kept both keys, and the dialog stayed open).
func TestRadioChoicePassesEscapeAndEnter(t *testing.T) {
	h := newHarness(t, dialogSeed(t))
	h.press(fyne.KeyN)
	h.typeInto(h.m.editor.given, "Ada")
	stage, choices := h.radioChoices()
	test.Tap(choices[0])
	if h.w.Canvas().Focused() != choices[0] || stage.Selected != string(model.Stages()[0]) {
		t.Fatalf("after a click: focus %T, selected %q", h.w.Canvas().Focused(), stage.Selected)
	}
	h.key(fyne.KeyRight)
	h.key(fyne.KeyRight)
	want := string(model.Stages()[2])
	if stage.Selected != want || h.w.Canvas().Focused() != choices[2] {
		t.Fatalf("two arrows right: selected %q, want %q", stage.Selected, want)
	}
	h.key(fyne.KeyRight) // past the last: stays
	h.key(fyne.KeyReturn)
	if h.dialogs() != 0 {
		t.Fatal("Enter on a radio choice left the editor open")
	}
	if c := h.contact("Ada"); c == nil || string(c.Stage) != want {
		t.Fatalf("Enter on a radio choice saved %+v, want Ada as %s", c, want)
	}

	h.m.onExport()
	kind, choices := h.radioChoices()
	test.Tap(choices[1])
	if kind.Selected != app.ExportFormats()[1].Title {
		t.Fatalf("export format %q after a click on the second", kind.Selected)
	}
	h.key(fyne.KeyEscape)
	if h.dialogs() != 0 {
		t.Fatalf("Escape on a radio choice left %d dialogs open", h.dialogs())
	}
}
