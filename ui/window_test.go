package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// inWindow reports whether o is drawn wholly inside the window's canvas.
func (h *harness) inWindow(o fyne.CanvasObject) bool {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	size, canvas := o.Size(), h.w.Canvas().Size()
	return o.Visible() && size.Width > 0 && size.Height > 0 && pos.X >= 0 && pos.Y >= 0 &&
		pos.X+size.Width <= canvas.Width+1 && pos.Y+size.Height <= canvas.Height+1
}

func TestCardHeaderStaysVisibleAt800x600(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		var journal []model.JournalEntry
		for i := range 60 {
			journal = append(journal, model.JournalEntry{Kind: model.KindNote,
				Text: fmt.Sprintf("Visit %d: talked about the walnut table", i), At: testNow.AddDate(0, 0, -i-1)})
		}
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller", Journal: journal})
	})
	min := h.w.Content().MinSize()
	if min.Width < windowMinWidth || min.Height < windowMinHeight || min.Width > 800 || min.Height > 600 {
		t.Fatalf("the window's smallest size is %v: want at least %dx%d and at most 800x600", min, windowMinWidth, windowMinHeight)
	}
	h.m.split.Offset = 0.02 // dragged all the way left
	h.w.Resize(fyne.NewSize(800, 600))
	h.selectContact("Maria Keller")
	h.m.card.scroll.ScrollToBottom()
	h.m.tabs.SelectIndex(2)
	h.m.tabs.SelectIndex(0)

	var edit, remove *widget.Button
	h.visit(func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Edit" {
			edit = b
		}
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil && b.Icon.Name() == "delete.svg" && remove == nil {
			remove = b
		}
		return true
	})
	if edit == nil {
		t.Fatal("no Edit button on the card")
	}
	for name, o := range map[string]fyne.CanvasObject{"name": h.m.card.name, "Edit": edit, "search": h.m.list.search} {
		if !h.inWindow(o) {
			t.Errorf("%s is not wholly in the 800×600 window after scrolling the card and switching tabs: at %v, size %v",
				name, fyne.CurrentApp().Driver().AbsolutePositionForObject(o), o.Size())
		}
	}
	// Nothing is squeezed so far that it wraps letter by letter.
	full := fyne.MeasureText("Maria Keller", theme.TextHeadingSize(), fyne.TextStyle{Bold: true}).Width
	if w := h.m.card.name.Size().Width; w < full {
		t.Errorf("the card's name is %v wide, too narrow for “Maria Keller” on one line (%v)", w, full)
	}
	if w := h.m.list.list.Size().Width; w < listMinWidth-10 {
		t.Errorf("the list is %v wide, want about %d at least", w, listMinWidth)
	}
	if got := clampSplit(0.02); got != 0.2 {
		t.Errorf("a split dragged to 0.02 is kept as %v", got)
	}
}

func TestEnterAfterASearchGoesToTheLogLine(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	test.Type(h.m.list.search, "mull")
	h.m.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.m.card.name.Text != "Jörg Müller" {
		t.Fatalf("Enter after searching mull shows %q, want the answer, Jörg Müller", h.m.card.name.Text)
	}
	if h.w.Canvas().Focused() != h.m.card.quickText {
		t.Fatalf("Enter after a search focuses %T, want the log line", h.w.Canvas().Focused())
	}
	test.Type(h.m.card.quickText, "Asked about the tandem")
	h.m.card.quickText.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustShow("Asked about the tandem")

	// While the card is still loading (a real window reads it in the
	// background) the cursor goes to the log line once it is shown.
	h.m.card.clear()
	h.m.card.loading = 42
	h.m.card.focusLog()
	if !h.m.card.logNext {
		t.Fatal("focusLog before the card is shown did not wait for it")
	}
}

func TestFyneStringsFollowOurs(t *testing.T) {
	h := newHarness(t, nil)
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "de_DE.UTF-8")
	// Fyne reads the locale again whenever translations are added.
	if err := lang.AddTranslationsForLocale([]byte(`{"rapport.probe": "x"}`), "de"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Quit"); got != "Beenden" {
		t.Fatalf("under LANG=de_DE.UTF-8 Fyne's Quit reads %q before pinning, want Beenden (the test would prove nothing)", got)
	}
	if err := pinFyneEnglish(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Quit", "Cancel", "Save", "Open", "Yes", "No"} {
		if got := lang.L(s); got != s {
			t.Errorf("Fyne's %q reads %q", s, got)
		}
	}
	d := dialog.NewFileSave(func(fyne.URIWriteCloser, error) {}, h.w)
	d.Show()
	h.mustShow("Save", "Cancel")
	h.mustNotShow("Speichern", "Abbrechen")
}

func TestNotesTabDetailsAreReadable(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
			Details:   []model.Detail{{Label: "Daughter", Value: "Maya", Pinned: true}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you", Due: "2026-11-20", Status: "owed"}}})
	})
	h.m.tabs.SelectIndex(3)
	var cue *widget.Label
	h.visit(func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.Text == "Daughter: Maya" {
			cue = l
		}
		return cue == nil
	})
	if cue == nil {
		t.Fatal("the Notes tab does not show what to mention")
	}
	if cue.Importance == widget.LowImportance {
		t.Error("what to mention is drawn in the faint grey of hints")
	}
}
