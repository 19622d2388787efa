package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// inline runs background work at once on the test goroutine, so that tests
// see its result without waiting and without data races.
func inline(work func() func()) {
	if apply := work(); apply != nil {
		apply()
	}
}

var testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.Local)

type harness struct {
	t      *testing.T
	m      *Main
	w      fyne.Window
	svc    *app.Service
	saveIn string      // the folder the save dialogs answer with
	opener *fakeOpener // the system's opener, as the test says
}

// fakeOpener stands for xdg-open, open or explorer.
type fakeOpener struct {
	none          bool  // this computer has no opener
	err           error // what opening answers
	opened, shown []string
}

func (o *fakeOpener) CanOpen() bool         { return !o.none }
func (o *fakeOpener) CanShowInFolder() bool { return !o.none }
func (o *fakeOpener) Open(path string) error {
	o.opened = append(o.opened, path)
	return o.err
}
func (o *fakeOpener) ShowInFolder(path string) error {
	o.shown = append(o.shown, path)
	return o.err
}

func newHarness(t *testing.T, seed func(svc *app.Service)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	st, err := model.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.New(st).WithClock(func() time.Time { return testNow })
	if seed != nil {
		seed(svc)
	}
	w := test.NewTempWindow(t, nil)
	// One date style whatever the machine's locale, so texts are stable.
	a.Preferences().SetString(prefDateStyle, string(app.DateLong))
	m := newMain(context.Background(), a, w, svc, inline, never)
	w.Resize(fyne.NewSize(1100, 760))
	h := &harness{t: t, m: m, w: w, svc: svc, saveIn: t.TempDir(), opener: &fakeOpener{}}
	// The save dialogs answer at once: the file name offered, in saveIn.
	m.opener = h.opener
	m.askSavePath = func(name, _ string, done func(string)) { done(filepath.Join(h.saveIn, name)) }
	m.askFolder = func(_ string, done func(string)) { done(h.saveIn) }
	return h
}

func addContact(t *testing.T, svc *app.Service, c *model.Contact) *model.Contact {
	t.Helper()
	if err := svc.CreateContact(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func threePeople(t *testing.T) func(*app.Service) {
	return func(svc *app.Service) {
		y := 1986
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller", Stage: model.StageClient,
			Phones:  []model.Phone{{Label: "mobile", Number: "+49 151 555 0101"}},
			Details: []model.Detail{{Label: "Daughter", Value: "Maya, starts school in August", Pinned: true}, {Label: "Coffee", Value: "oat flat white"}},
			Dates:   []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 25, Year: &y}},
			Journal: []model.JournalEntry{{Kind: model.KindPurchase, Text: "Bought two candles", At: testNow.AddDate(0, -1, 0)}}})
		addContact(t, svc, &model.Contact{GivenName: "Jörg", FamilyName: "Müller", Organization: "Müller Bikes"})
		addContact(t, svc, &model.Contact{GivenName: "Сергей", FamilyName: "Петров"})
	}
}

// visit calls fn on every visible object of the window and its dialogs,
// dialogs first, until fn returns false.
func (h *harness) visit(fn func(fyne.CanvasObject) bool) {
	drawn := walkScope{renderers: true, visibleOnly: true}
	each := func(o fyne.CanvasObject) walkNext {
		if !fn(o) {
			return walkStop
		}
		return walkInto
	}
	for _, o := range slices.Backward(h.w.Canvas().Overlays().List()) {
		if !walkObjects(o, drawn, each) {
			return
		}
	}
	walkObjects(h.w.Canvas().Content(), drawn, each)
}

// shownTexts is every text drawn in the window and its dialogs.
func (h *harness) shownTexts() []string {
	var out []string
	h.visit(func(o fyne.CanvasObject) bool {
		if t, ok := o.(*canvas.Text); ok {
			out = append(out, t.Text)
		}
		return true
	})
	return out
}

// shows reports whether text is shown; a label wrapped over several lines
// is drawn as one text per line, so the lines are joined with spaces.
func (h *harness) shows(text string) bool {
	return strings.Contains(strings.Join(h.shownTexts(), " "), text)
}

func (h *harness) mustShow(texts ...string) {
	h.t.Helper()
	for _, text := range texts {
		if !h.shows(text) {
			h.t.Errorf("window does not show %q; it shows %q", text, h.shownTexts())
		}
	}
}

// mustShowLabel fails unless a label shows text whole (a path broken
// over lines by wrapping is one label).
func (h *harness) mustShowLabel(text string) {
	h.t.Helper()
	found := false
	h.visit(func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			found = true
		}
		return !found
	})
	if !found {
		h.t.Errorf("no label shows %q", text)
	}
}

func (h *harness) mustNotShow(texts ...string) {
	h.t.Helper()
	for _, text := range texts {
		if h.shows(text) {
			h.t.Errorf("window shows %q, it should not", text)
		}
	}
}

func (h *harness) selectContact(name string) {
	h.t.Helper()
	for i, id := range h.m.list.ids {
		if h.m.list.rows[id].DisplayName == name {
			h.m.list.list.Select(i)
			return
		}
	}
	h.t.Fatalf("%q is not in the list (%v)", name, h.m.list.rows)
}

// tapButton taps the visible button with this text (in dialogs too).
func (h *harness) tapButton(text string) {
	h.t.Helper()
	var found *widget.Button
	h.visit(func(o fyne.CanvasObject) bool {
		if b := asButton(o); b != nil && b.Text == text {
			found = b
		}
		return found == nil
	})
	if found == nil {
		h.t.Fatalf("no button %q shown", text)
	}
	test.Tap(found)
}

// asButton is o as a Button, ours (keyButton) included; nil for others.
func asButton(o fyne.CanvasObject) *widget.Button {
	switch b := o.(type) {
	case *widget.Button:
		return b
	case *keyButton:
		return &b.Button
	}
	return nil
}

// asEntry is o as an Entry, ours (keyEntry, keySelectEntry) included; nil
// for others.
func asEntry(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *keyEntry:
		return &e.Entry
	case *keySelectEntry:
		return &e.Entry
	}
	return nil
}

// dialogEntry is the entry of the dialog on top.
func (h *harness) dialogEntry() *widget.Entry {
	h.t.Helper()
	var found *widget.Entry
	top := h.topDialog()
	if top == nil {
		h.t.Fatal("no dialog open")
	}
	walkObjects(top, walkScope{renderers: true, visibleOnly: true}, func(o fyne.CanvasObject) walkNext {
		if found = asEntry(o); found != nil {
			return walkStop
		}
		return walkInto
	})
	if found == nil {
		h.t.Fatal("no entry in the dialog")
	}
	return found
}

func (h *harness) lastEditor(t *testing.T) *contactEditor {
	t.Helper()
	if h.m.editor == nil {
		t.Fatal("no contact editor open")
	}
	return h.m.editor
}

// press runs the menu item whose shortcut is Ctrl+key, as the desktop
// driver does when the key is pressed (the test canvas cannot take
// shortcuts).
func (h *harness) press(key fyne.KeyName) {
	h.t.Helper()
	want := shortcut(key).ShortcutName()
	for _, menu := range h.w.MainMenu().Items {
		for _, item := range menu.Items {
			if item.Shortcut != nil && item.Shortcut.ShortcutName() == want {
				item.Action()
				return
			}
		}
	}
	h.t.Fatalf("no menu item has the shortcut %s", want)
}

func TestListShowsEveryoneSorted(t *testing.T) {
	h := newHarness(t, threePeople(t))
	if n := h.m.list.list.Length(); n != 3 {
		t.Fatalf("list length = %d, want 3", n)
	}
	h.mustShow("Jörg Müller · Müller Bikes", "Maria Keller", "Сергей Петров", "3 contacts")
}

func TestTypingInSearchFiltersTheList(t *testing.T) {
	h := newHarness(t, threePeople(t))
	test.Type(h.m.list.search, "mull")
	if n := h.m.list.list.Length(); n != 1 {
		t.Fatalf("after typing mull the list has %d rows, want 1", n)
	}
	h.mustShow("Jörg Müller", "1 contact matches “mull”")
	h.mustNotShow("Maria Keller", "Сергей Петров")

	h.m.list.search.SetText("")
	test.Type(h.m.list.search, "СЕРГ")
	h.mustShow("Сергей Петров")
	h.mustNotShow("Jörg Müller")

	h.m.list.search.SetText("")
	test.Type(h.m.list.search, "oat flat") // a detail
	h.mustShow("Maria Keller")
	h.mustNotShow("Jörg Müller")

	h.m.list.search.SetText("")
	test.Type(h.m.list.search, "zzz")
	h.mustShow("No one matches “zzz”")
	if n := h.m.list.list.Length(); n != 0 {
		t.Errorf("list has %d rows for zzz", n)
	}
}

func TestSelectingAContactShowsTheCardRememberFirst(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.mustShow("Pick someone from the list")
	h.selectContact("Maria Keller")
	if got := h.m.card.name.Text; got != "Maria Keller" {
		t.Fatalf("card name = %q", got)
	}
	h.mustShow("Daughter: Maya, starts school in August", "Birthday in 2 days (turns 40)",
		"Client", "+49 151 555 0101", "Coffee: oat flat white", "Bought two candles")
	h.mustNotShow("Pick someone from the list")
	// What to use in the next conversation comes before everything else.
	texts := h.shownTexts()
	pinned := slices.IndexFunc(texts, func(s string) bool { return strings.HasPrefix(s, "Daughter") })
	phone := slices.Index(texts, "+49 151 555 0101")
	if pinned < 0 || phone < 0 || pinned > phone {
		t.Errorf("pinned detail at %d should come before the phone at %d", pinned, phone)
	}
}

func TestArrowKeysInSearchMoveThroughTheList(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.m.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if h.m.card.name.Text != "Jörg Müller" {
		t.Fatalf("Down selected %q, want the first row", h.m.card.name.Text)
	}
	h.m.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if h.m.card.name.Text != "Maria Keller" {
		t.Fatalf("second Down selected %q", h.m.card.name.Text)
	}
	h.m.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if h.m.card.name.Text != "Jörg Müller" {
		t.Fatalf("Up selected %q", h.m.card.name.Text)
	}
}

func TestLoggingAnEntryShowsItInTheJournal(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	h.press(fyne.KeyL)
	if h.w.Canvas().Focused() != h.m.card.quickText {
		t.Fatal("Ctrl+L should put the cursor in the log line")
	}
	h.m.card.quickKind.SetSelected("call")
	test.Type(h.m.card.quickText, "Asked whether the walnut table is back")
	h.m.card.quickText.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})

	h.mustShow("Asked whether the walnut table is back", "Mon 23 November 2026, 09:30 · call")
	if h.m.card.quickText.Text != "" {
		t.Errorf("log line not cleared: %q", h.m.card.quickText.Text)
	}
	// Newest first: the new entry is above last month's purchase.
	texts := h.shownTexts()
	if slices.Index(texts, "Asked whether the walnut table is back") > slices.Index(texts, "Bought two candles") {
		t.Error("journal is not newest first")
	}
	// And it is stored and searchable.
	test.Type(h.m.list.search, "walnut")
	if n := h.m.list.list.Length(); n != 1 {
		t.Errorf("searching the new entry finds %d contacts", n)
	}
}

func TestEmptyLogLineLogsNothing(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	h.m.card.quickText.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	c, _ := h.svc.Contact(context.Background(), h.m.card.card.Contact.ID)
	if len(c.Journal) != 0 {
		t.Errorf("an empty line logged %+v", c.Journal)
	}
}

func TestNewContactWithDetailFoundAgainByTheDetail(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.press(fyne.KeyN)
	ed := h.lastEditor(t)
	test.Type(ed.given, "Ada")
	test.Type(ed.family, "Lovelace")
	ed.stage.SetSelected("customer")
	ed.phones.add("mobile", "+44 20 7946 0000")
	h.tapButton("Save")
	if h.m.card.name.Text != "Ada Lovelace" {
		t.Fatalf("after saving, the card shows %q", h.m.card.name.Text)
	}
	h.mustShow("Ada Lovelace", "+44 20 7946 0000", "Customer", "4 contacts")

	de := h.m.card.editDetail(nil)
	test.Type(de.label, "Cat")
	test.Type(de.value, "Babbage, a grey tabby")
	test.Tap(de.pinned)
	h.tapButton("Save")
	h.mustShow("Cat: Babbage, a grey tabby")

	test.Type(h.m.card.quickText, "Met at the calligraphy workshop")
	h.m.card.quickText.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})

	h.m.list.search.SetText("")
	test.Type(h.m.list.search, "tabb")
	if len(h.m.list.ids) != 1 || h.m.list.rows[h.m.list.ids[0]].DisplayName != "Ada Lovelace" {
		t.Fatalf("searching the detail finds %v", h.m.list.ids)
	}

	// After a restart (a new window on the same file) she is still there,
	// with her detail and the entry.
	path := h.svc.StorePath()
	st, err := model.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w2 := test.NewTempWindow(t, nil)
	w2.Resize(fyne.NewSize(1100, 760))
	m2 := newMain(context.Background(), test.NewTempApp(t), w2, app.New(st), inline, never)
	test.Type(m2.list.search, "tabb")
	if len(m2.list.ids) != 1 {
		t.Fatalf("after a restart, searching the detail finds %v", m2.list.ids)
	}
	m2.list.list.Select(0)
	h2 := &harness{t: t, m: m2, w: w2}
	h2.mustShow("Ada Lovelace", "Cat: Babbage, a grey tabby", "Met at the calligraphy workshop")
}

func TestContactWithoutNameIsNotSavedAndTheDialogStays(t *testing.T) {
	h := newHarness(t, nil)
	h.press(fyne.KeyN)
	ed := h.lastEditor(t)
	test.Type(ed.howWeMet, "walked in")
	h.tapButton("Save")
	if !ed.form.problem.Visible() || !strings.Contains(ed.form.problem.Text, "needs a name") {
		t.Errorf("problem shown = %v %q", ed.form.problem.Visible(), ed.form.problem.Text)
	}
	if n, _ := h.svc.ListContacts(context.Background(), ""); len(n) != 0 {
		t.Error("a nameless contact was saved")
	}
	test.Type(ed.organization, "Smith Auto Repair")
	h.tapButton("Save")
	h.mustShow("Smith Auto Repair", "1 contact")
}

func TestEditingTheStageLogsIt(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	h.press(fyne.KeyE)
	ed := h.lastEditor(t)
	if ed.given.Text != "Jörg" || ed.organization.Text != "Müller Bikes" {
		t.Fatalf("editor not filled: %q %q", ed.given.Text, ed.organization.Text)
	}
	ed.stage.SetSelected("customer")
	h.tapButton("Save")
	h.mustShow("Stage changed from prospect to customer", "Customer")
}

func TestForgetAsksFirst(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Сергей Петров")
	h.m.card.onForget()
	h.mustShow("Forget Сергей Петров?", "Older backups still hold them until they rotate out (up to 12 months).")
	h.tapButton("Keep")
	if n, _ := h.svc.ListContacts(context.Background(), ""); len(n) != 3 {
		t.Fatal("Keep removed the contact")
	}
	h.m.card.onForget()
	h.tapButton("Forget")
	if n, _ := h.svc.ListContacts(context.Background(), ""); len(n) != 2 {
		t.Fatalf("%d contacts after forgetting, want 2", len(n))
	}
	h.mustShow("Removed Сергей Петров. Older backups still hold them until they rotate out (up to 12 months).")
	h.tapButton("OK")
	h.mustNotShow("Сергей Петров")
	h.mustShow("2 contacts", "Pick someone from the list")
}

func TestAddingAYearlessBirthday(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	de := h.m.card.editDate(nil)
	de.day.SetSelected("29")
	de.month.SetSelected("February")
	h.tapButton("Save")
	h.mustShow("Birthday: 29 February")

	de = h.m.card.editDate(nil)
	de.label.SetText("anniversary")
	de.day.SetSelected("31")
	de.month.SetSelected("April")
	h.tapButton("Save")
	if !de.form.problem.Visible() {
		t.Error("31 April was accepted")
	}
}

func TestCardShowsReliability(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		at := func(daysAgo int, outcome model.Outcome, late int) model.Appointment {
			return model.Appointment{Start: testNow.AddDate(0, 0, -daysAgo), Minutes: 30, Outcome: outcome, MinutesLate: late}
		}
		addContact(t, svc, &model.Contact{GivenName: "Kept", FamilyName: "Time",
			Appointments: []model.Appointment{at(3, model.OutcomeOnTime, 0), at(10, model.OutcomeLate, 15)}})
		addContact(t, svc, &model.Contact{GivenName: "Often", FamilyName: "Away",
			Appointments: []model.Appointment{at(3, model.OutcomeNoShow, 0), at(40, model.OutcomeNoShow, 0), at(50, model.OutcomeOnTime, 0)}})
		addContact(t, svc, &model.Contact{GivenName: "New", FamilyName: "Face"})
	})
	h.selectContact("Kept Time")
	h.mustShow("Reliability: 2 appointments in the last year: 1 on time, 1 late (avg 15 min) — 75")
	h.mustNotShow("Unreliable")
	h.selectContact("Often Away")
	h.mustShow("Unreliable: ask for honest feedback. 3 appointments in the last year: 1 on time, 2 no-shows — 33")
	h.selectContact("New Face")
	h.mustNotShow("Reliability:", "Unreliable")
}

func TestRecordingANoShowMarksTheContactUnreliable(t *testing.T) {
	var todayID int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Often", FamilyName: "Away", Appointments: []model.Appointment{
			{Start: testNow.AddDate(0, 0, -30), Minutes: 30, Purpose: "fitting", Outcome: model.OutcomeNoShow},
		}})
		a, err := svc.NewAppointment(context.Background(), c.ID, testNow.Add(-time.Hour), 45, "second fitting")
		if err != nil {
			t.Fatal(err)
		}
		todayID = a.ID
		addContact(t, svc, &model.Contact{GivenName: "Kept", FamilyName: "Time"})
	})
	h.mustNotShow("⚠ unreliable")
	h.m.tabs.SelectIndex(1)
	h.mustShow("Today · Monday 23 November", "Often Away", "second fitting")
	row := h.m.agenda.rows[todayID]
	if row == nil {
		t.Fatal("today's appointment is not in the agenda")
	}
	tapIn(t, row, "No-show")
	h.mustShow("no-show")
	h.m.tabs.SelectIndex(0)
	h.mustShow("⚠ unreliable")
	test.Tap(h.m.list.only)
	if len(h.m.list.ids) != 1 || h.m.list.rows[h.m.list.ids[0]].DisplayName != "Often Away" {
		t.Errorf("only unreliable lists %v", h.m.list.ids)
	}
	h.mustShow("1 unreliable contact")
	test.Tap(h.m.list.only)
	h.mustShow("2 contacts")
	h.selectContact("Often Away")
	h.mustShow("Unreliable: ask for honest feedback. 2 appointments in the last year: 2 no-shows — 0")

	// The no-show said so with Undo; undone, Late… asks how late, and the
	// appointment then counts half.
	h.m.tabs.SelectIndex(1)
	h.mustShow("Recorded Often Away's appointment of Mon 23 November 2026, 08:30 as no-show.")
	test.Tap(h.m.done.undo)
	h.mustNotShow("no-show")
	tapIn(t, h.m.agenda.rows[todayID], "Late…")
	h.mustShow("How late?")
	test.Type(h.w.Canvas().Focused(), "15")
	h.tapButton("Save")
	h.mustShow("15 min late")
}

// tapIn taps the button with this text inside o.
func tapIn(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	var found *widget.Button
	walkObjects(o, walkScope{}, func(o fyne.CanvasObject) walkNext {
		if b := asButton(o); b != nil && b.Text == text {
			found = b // the last one, as the list reads
		}
		return walkInto
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	test.Tap(found)
}

func TestForgottenOutcomesAreAskedFor(t *testing.T) {
	var forgotten int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Past", FamilyName: "Visit"})
		a, err := svc.NewAppointment(context.Background(), c.ID, testNow.AddDate(0, 0, -3), 30, "repair")
		if err != nil {
			t.Fatal(err)
		}
		forgotten = a.ID
	})
	h.m.tabs.SelectIndex(1)
	h.mustShow("Needs an outcome (1)", "Fri 20 November 2026, 09:30–10:00", "Past Visit", "repair")
	tapIn(t, h.m.agenda.rows[forgotten], "On time")
	h.mustNotShow("Needs an outcome")
}

func TestBookingAnAppointmentFromTheCard(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	e := h.m.card.onNewAppointment()
	e.date.SetText("2026-11-24")
	e.at.SetText("14:30")
	e.purpose.SetText("gift consultation")
	h.tapButton("Save")
	h.m.tabs.SelectIndex(1)
	h.mustShow("Tomorrow · Tuesday 24 November", "14:30–15:00", "Maria Keller", "gift consultation")
}

func TestAskingForFeedbackLogsItAndTheSuggestionGoes(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		at := func(daysAgo int, outcome model.Outcome) model.Appointment {
			return model.Appointment{Start: testNow.AddDate(0, 0, -daysAgo), Minutes: 30, Outcome: outcome}
		}
		addContact(t, svc, &model.Contact{GivenName: "Often", FamilyName: "Away",
			Appointments: []model.Appointment{at(3, model.OutcomeNoShow), at(40, model.OutcomeNoShow)}})
	})
	h.selectContact("Often Away")
	if !h.m.card.askBtn.Visible() {
		t.Fatal("no 'Ask for feedback' on an unreliable contact")
	}
	d := h.m.card.onAskFeedback()
	h.mustShow("What could we do better?", "Is the time of day wrong for you?")
	test.Type(d.answer, "Mornings are hard with the school run")
	test.Type(d.change, "Offer afternoon slots")
	h.tapButton("Save")
	h.mustShow("Mornings are hard with the school run I will change: Offer afternoon slots", "· feedback")
	if h.m.card.askBtn.Visible() {
		t.Error("still suggesting feedback after it was logged")
	}
}

func TestTodayShowsFollowupsWithOneClickActions(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Quiet", FamilyName: "Prospect", Stage: model.StageProspect,
			CreatedAt: testNow.AddDate(0, 0, -40)})
		addContact(t, svc, &model.Contact{GivenName: "Owed", FamilyName: "Note", Stage: model.StageClient,
			Journal:   []model.JournalEntry{{Kind: model.KindMet, At: testNow.AddDate(0, 0, -3), Text: "met"}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the first visit", Due: testNow.AddDate(0, 0, -1).Format(time.DateOnly), Status: "owed"}}})
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Notes to write", "Owed Note", "Write a note: thank you for the first visit (overdue since",
		"Keep in touch", "Quiet Prospect", "Nothing logged for 40 days (a prospect: every 14)")
	h.tapButton("Written")
	h.mustShow("What did you write to Owed Note?")
	test.Type(h.dialogEntry(), "thanked them for coming by")
	h.tapButton("Mark written")
	h.mustNotShow("Notes to write", "What did you write")
	h.tapButton("Log a call…")
	h.mustShow("Log a call with Quiet Prospect")
	said, ok := h.w.Canvas().Focused().(*submitEntry)
	if !ok {
		t.Fatal("the cursor is not in what was said")
	}
	test.Type(said, "asked how the garden is")
	said.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustNotShow("Nothing logged for 40 days", "Log a call with")
	h.mustShow("Nothing to follow up today.", "Logged a call with Quiet Prospect.")
}

func TestNotificationOnStartWhenSomethingIsDue(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Quiet", FamilyName: "Prospect", CreatedAt: testNow.AddDate(0, 0, -40)})
	})
	test.AssertNotificationSent(t, fyne.NewNotification("Rapport",
		"1 follow-up today: Quiet Prospect, Nothing logged for 40 days (a prospect: every 14)."),
		func() { h.m.today.notifyDue() })
}

func TestANoteScheduledFromTheCardShowsOnToday(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	e := h.m.card.onNewNote()
	test.Type(e.reason, "congratulations on the new shop")
	e.due.SetText("2026-11-24")
	h.tapButton("Save")
	h.m.tabs.SelectIndex(2)
	h.mustShow("Notes to write", "Maria Keller", "Write a note: congratulations on the new shop")
	h.tapButton("Written")
	h.tapButton("Mark written") // nothing typed: fine
	h.mustNotShow("congratulations on the new shop")
}

func TestNotesTabShowsAddressCuesAndMarksPosted(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
			Addresses: []model.Address{{Street: "Hauptstraße 3", PostalCode: "10115", City: "Berlin"}},
			Details:   []model.Detail{{Label: "Daughter", Value: "Maya", Pinned: true}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the first visit", Due: "2026-11-20", Status: "owed"}}})
	})
	h.m.tabs.SelectIndex(3)
	h.mustShow("Maria Keller · thank you for the first visit", "overdue since 20 November 2026", "Hauptstraße 3", "10115 Berlin", "Daughter: Maya")
	h.tapButton("Written")
	h.tapButton("Cancel") // keeps it owed
	h.mustShow("overdue since 20 November 2026")
	h.mustNotShow("written, to post", "What did you write")
	h.tapButton("Written")
	test.Type(h.dialogEntry(), "thanked her for the walnut bowl")
	h.tapButton("Mark written")
	h.mustShow("written, to post")
	h.tapButton("Posted") // written already: nothing to ask
	h.mustNotShow("What did you write")
	h.mustShow("No notes to write.")
}

func TestPrintingSavesWhereTheOwnerChoseAndOpens(t *testing.T) {
	h := newHarness(t, threePeople(t))
	var offered []string
	h.m.askSavePath = func(name, dir string, done func(string)) {
		offered = append(offered, dir)
		done(filepath.Join(h.saveIn, name))
	}
	h.m.onPrintFollowups()
	want := filepath.Join(h.saveIn, "follow-ups-2026-11-23.pdf")
	data, err := os.ReadFile(want)
	if h.m.printed != want || err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("printed %q: %v", h.m.printed, err)
	}
	if len(offered) != 1 || offered[0] != app.DocumentsDir() {
		t.Errorf("the first save dialog started in %q, want Documents %q", offered, app.DocumentsDir())
	}
	if hidden, _ := filepath.Glob(filepath.Join(h.saveIn, ".*")); len(hidden) > 0 {
		t.Errorf("temporary files left beside the PDF: %v", hidden)
	}
	h.mustShow("Saved follow-ups-2026-11-23.pdf in the folder " + h.saveIn)
	h.mustShowLabel(want)
	h.tapButton("Open")
	if len(h.opener.opened) != 1 || h.opener.opened[0] != want {
		t.Errorf("opened %q", h.opener.opened)
	}
	h.mustNotShow("Saved follow-ups")

	// The next save starts in the folder used last; Enter opens, and a
	// viewer that fails says why and where the file is.
	h.opener.err = errors.New("open " + want + ": xdg-open: no program to open this kind of file is installed")
	h.m.onPrintFollowups()
	if len(offered) != 2 || offered[1] != h.saveIn {
		t.Errorf("the second save dialog started in %q, want the last folder %q", offered, h.saveIn)
	}
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(h.opener.opened) != 2 {
		t.Errorf("Enter did not open the file: %q", h.opener.opened)
	}
	h.mustShow("Could not open the file", "no program to open this kind of file is installed", "The file is saved at")
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) // closes the message, not the Saved dialog
	h.mustNotShow("Could not open the file")
	h.mustShow("Saved follow-ups") // the Saved dialog stays, for Copy path
	h.tapButton("Show in folder")
	if len(h.opener.shown) != 1 || h.opener.shown[0] != want {
		t.Errorf("shown %q", h.opener.shown)
	}
	h.tapButton("OK")
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.mustNotShow("Saved follow-ups")
}

func TestPrintingWithoutAnOpenerSaysThePath(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.opener.none = true
	h.m.onPrintFollowups()
	want := filepath.Join(h.saveIn, "follow-ups-2026-11-23.pdf")
	h.mustShowLabel(want)
	h.mustShow("no program Rapport knows to open files with")
	h.visit(func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && (b.Text == "Open" || b.Text == "Show in folder") {
			t.Errorf("a %q button without an opener", b.Text)
		}
		return true
	})
	h.tapButton("Copy path")
	if got := h.m.app.Clipboard().Content(); got != want {
		t.Errorf("clipboard holds %q, want %q", got, want)
	}
	h.mustShow("Path copied")
	// Enter closes when there is nothing to open with.
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustNotShow("Saved follow-ups")
	if len(h.opener.opened) != 0 {
		t.Errorf("opened %q without an opener", h.opener.opened)
	}
}
