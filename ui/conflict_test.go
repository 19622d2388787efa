package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/model"
)

// saveElsewhere saves a change to the named contact as another desk would,
// while the editor here holds its older copy.
func (h *harness) saveElsewhere(name string, change func(c *model.Contact)) {
	h.t.Helper()
	ctx := context.Background()
	for _, r := range h.m.list.rows {
		if r.DisplayName != name {
			continue
		}
		c, err := h.svc.Contact(ctx, r.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		change(c)
		if err := h.svc.SaveContact(ctx, c); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	h.t.Fatalf("%q not in the list", name)
}

func TestSaveAfterAnotherDeskSavedAsksWhatToKeep(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	h.press(fyne.KeyE)
	ed := h.lastEditor(t)
	h.saveElsewhere("Jörg Müller", func(c *model.Contact) { c.Organization = "Müller & Sohn" })

	test.Type(ed.nickname, "Jöggi")
	h.tapButton("Save")
	h.mustShow("Changed elsewhere", "Yours", "Saved meanwhile", "Organization", "Müller Bikes", "Müller & Sohn", "Nickname", "Jöggi")

	h.tapButton("Keep mine")
	h.mustNotShow("Changed elsewhere")
	stored, err := h.svc.Contact(context.Background(), ed.original.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Nickname != "Jöggi" || stored.Organization != "Müller Bikes" {
		t.Errorf("keep mine stored %q %q", stored.Nickname, stored.Organization)
	}
	h.mustShow("Müller Bikes")
}

func TestUsingTheVersionSavedElsewhereDropsTheEdit(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	h.press(fyne.KeyE)
	ed := h.lastEditor(t)
	h.saveElsewhere("Jörg Müller", func(c *model.Contact) { c.Stage = model.StageClient })

	ed.stage.SetSelected("customer")
	h.tapButton("Save")
	h.mustShow("Changed elsewhere", "Stage", "customer", "client")
	h.tapButton("Use the saved one")
	h.mustNotShow("Changed elsewhere", "Edit Jörg Müller")
	stored, _ := h.svc.Contact(context.Background(), ed.original.ID)
	if stored.Stage != model.StageClient {
		t.Errorf("stage %q, want the one saved elsewhere", stored.Stage)
	}
	h.mustShow("Client")
}

func TestBackToEditingKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Jörg Müller")
	h.press(fyne.KeyE)
	ed := h.lastEditor(t)
	h.saveElsewhere("Jörg Müller", func(c *model.Contact) { c.Title = "Owner" })
	test.Type(ed.nickname, "Jöggi")
	h.tapButton("Save")
	h.tapButton("Back to editing")
	h.mustNotShow("Changed elsewhere")
	if ed.nickname.Text != "Jöggi" {
		t.Errorf("typed text lost: %q", ed.nickname.Text)
	}
	h.mustShow("Edit Jörg Müller")
}
