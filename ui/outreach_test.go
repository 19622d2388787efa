package ui

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// outreachPeople: three regulars (two with email, one with only a postal
// address) and a prospect who is no regular.
func outreachPeople(t *testing.T) func(*app.Service) {
	return func(svc *app.Service) {
		regular := []model.Tag{{Name: "regular"}}
		addContact(t, svc, &model.Contact{GivenName: "Anna", FamilyName: "Alder", Stage: model.StageClient, Tags: regular,
			Emails: []model.Email{{Address: "anna@example.org"}}})
		addContact(t, svc, &model.Contact{GivenName: "Bruno", FamilyName: "Berg", Stage: model.StageClient, Tags: regular,
			Addresses: []model.Address{{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin"}}})
		addContact(t, svc, &model.Contact{GivenName: "Carla", FamilyName: "Cruz", Stage: model.StageCustomer, Tags: regular,
			Emails: []model.Email{{Address: "carla@example.org"}}})
		addContact(t, svc, &model.Contact{GivenName: "Dora", FamilyName: "Dahl", Stage: model.StageProspect,
			Emails: []model.Email{{Address: "dora@example.org"}}})
	}
}

func TestOutreachDialogRecordsForTheGroupAndUndoes(t *testing.T) {
	h := newHarness(t, outreachPeople(t))
	h.press(fyne.KeyG)
	d := h.m.outreach
	if d == nil {
		t.Fatal("Ctrl+G opened no outreach dialog")
	}
	h.mustShow("Outreach to a group", "Who: everyone.", "4 people will get it; 0 skipped, already reached.", "Newsletter sent")
	d.kind.SetSelected("Article shared")
	h.mustShow("an article needs its title or its link")
	if !d.record.Disabled() {
		t.Error("Record is enabled for an article without title or link")
	}
	test.Type(d.title, "Sourdough at home")
	test.Type(d.link, "https://example.org/sourdough")
	d.tag.SetSelected("regular")
	h.mustShow("Who: tagged regular.", "3 people will get it; 0 skipped, already reached.")
	saveCapture(t, h, "outreach-dialog.png")
	h.tapButton("Record for 3 people")

	h.mustShow("Shared the article “Sourdough at home” https://example.org/sourdough — recorded for 3 people (0 skipped, already reached).",
		"Group 1: 2 addresses", "Print address labels for 1 without email…")
	if got := h.m.done.text.Text; got != "Recorded for 3 people: Shared the article “Sourdough at home” https://example.org/sourdough" {
		t.Errorf("snackbar says %q", got)
	}
	saveCapture(t, h, "outreach-done.png")
	h.tapButton("Copy")
	if got := h.m.app.Clipboard().Content(); got != "anna@example.org, carla@example.org" {
		t.Errorf("clipboard %q", got)
	}
	h.mustShow("Copied the 2 addresses of group 1: paste them into BCC.")
	h.tapButton("Open in mail")
	want := "mailto:?bcc=anna@example.org,carla@example.org&subject=Sourdough%20at%20home&body=Sourdough%20at%20home%0D%0Ahttps%3A%2F%2Fexample.org%2Fsourdough"
	if len(h.opener.opened) != 1 || h.opener.opened[0] != want {
		t.Errorf("opened %q\nwant %q", h.opener.opened, want)
	}
	h.tapButton("Print address labels for 1 without email…")
	pdf := filepath.Join(h.saveIn, "outreach-labels-2026-11-23.pdf")
	if data, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Errorf("labels: %v", err)
	}
	h.mustShow("Saved outreach-labels-2026-11-23.pdf", "Who has no postal address either is left out.")
	h.tapButton("Close") // the Saved dialog
	h.tapButton("Close")
	if h.topDialog() != nil {
		t.Error("a dialog is still open")
	}
	if list, _ := h.svc.Outreaches(context.Background()); len(list) != 1 || list[0].Reached != 3 {
		t.Fatalf("outreaches %+v", list)
	}

	// The same again skips all three; Undo takes the three entries back.
	h.press(fyne.KeyG)
	h.m.outreach.kind.SetSelected("Article shared")
	test.Type(h.m.outreach.link, "https://example.org/sourdough")
	h.m.outreach.tag.SetSelected("regular")
	h.mustShow("0 people will get it; 3 skipped, already reached.")
	h.tapButton("Cancel")
	h.tapButton("Undo")
	if list, _ := h.svc.Outreaches(context.Background()); len(list) != 0 {
		t.Errorf("after Undo: %+v", list)
	}
	h.mustShow("Undone.")
}

func TestOutreachPresetSelectsClientsWithoutARecentExtra(t *testing.T) {
	h := newHarness(t, outreachPeople(t))
	d := h.m.onOutreach()
	h.tapButton("Clients without an extra in 6 months")
	h.mustShow("Who: stage client, no extra in 6 months.", "2 people will get it; 0 skipped, already reached.")
	if d.kind.Selected != "Extra given" || !d.noExtra.Checked {
		t.Errorf("preset chose %q, no-extra %v", d.kind.Selected, d.noExtra.Checked)
	}
}

// saveCapture writes the window's image to $RAPPORT_OUTREACH_PNG, to look at.
func saveCapture(t *testing.T, h *harness, name string) {
	dir := os.Getenv("RAPPORT_OUTREACH_PNG")
	if dir == "" {
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, h.w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
