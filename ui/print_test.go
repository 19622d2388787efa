package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

func TestPrintLabelsFromTheLabelTypedWithSenderAndWithoutHomeCountry(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Jörg", FamilyName: "Müller",
			Addresses: []model.Address{{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin", Country: "Deutschland"}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you", Due: "2026-11-22", Status: "owed"}}})
		addContact(t, svc, &model.Contact{GivenName: "Anna", FamilyName: "Berg",
			Addresses: []model.Address{{Street: "Storgatan 2", PostalCode: "111 22", City: "Stockholm", Country: "Sweden"}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you", Due: "2026-11-23", Status: "owed"}}})
		p := app.DefaultPrintSettings()
		p.ReturnAddress, p.HomeCountry = "Kerzen Keller\nMarktplatz 1\n10115 Berlin", "DE"
		if err := svc.SetPrintSettings(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	})
	d := h.m.onPrintLabels()
	h.mustShow("Avery L7160 (A4, 21 labels a sheet)")
	for _, bad := range []string{"0", "22", "five"} {
		d.start.SetText("")
		test.Type(d.start, bad)
		h.tapButton("Print…")
		h.mustShow("is no label of the sheet: the Avery L7160 sheet has labels 1 to 21")
		if h.m.printed != "" {
			t.Fatalf("printed from label %q", bad)
		}
	}
	d.start.SetText("")
	test.Type(d.start, "20")
	d.start.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter prints
	if want := filepath.Join(h.saveIn, "labels-2026-11-23.pdf"); h.m.printed != want {
		t.Fatalf("printed %q, want %q", h.m.printed, want)
	}
	h.mustShow("print it at 100 %")
	text := pdfText(t, h.m.printed)
	if strings.Count(text, "Kerzen Keller, Marktplatz 1, 10115 Berlin") != 2 {
		t.Errorf("the sender is not on both labels:\n%s", text)
	}
	if strings.Contains(text, "Deutschland") || !strings.Contains(text, "Sweden") {
		t.Errorf("the German address kept its country or the Swedish one lost it:\n%s", text)
	}
	if got := strings.Count(text, "\f"); got != 1 { // pdftotext ends each page with a form feed
		t.Errorf("labels 20 and 21 of one sheet took %d pages", got)
	}

	// Escape closes the dialog without printing.
	h.tapButton("Close")
	h.m.printed = ""
	d = h.m.onPrintLabels()
	d.start.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // the entry has the focus
	h.mustNotShow("Start at label")
	h.m.onPrintLabels()
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) // nothing has it
	h.mustNotShow("Start at label")
	if h.m.printed != "" {
		t.Error("Escape printed")
	}
}
