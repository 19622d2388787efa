package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

const (
	annaFile  = "../app/testdata/household-anna.vcf"
	peterFile = "../app/testdata/household-peter.vcf"
)

// importInto imports files into svc as the seed of a harness.
func importInto(t *testing.T, files ...string) func(*app.Service) {
	return func(svc *app.Service) {
		for _, f := range files {
			if _, err := svc.ImportVCards(context.Background(), f, app.ImportOptions{Region: "DE"}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestPreviewSaysACardSharesAPhoneWithAnotherPerson(t *testing.T) {
	h := newHarness(t, importInto(t, annaFile))
	v := h.m.importFile(peterFile)
	// The cell shows the start of it, the row picked all of it.
	h.mustShow("1 card: 1 new, 1 of them sharing a phone or email with another person (household?)",
		"same phone as Anna")
	if got := cellText(v.plan[0], colMatch); got != "same phone as Anna Schmidt (household?)" {
		t.Errorf("match cell %q", got)
	}
	sel := h.actionSelect(v, "Peter Schmidt")
	if sel.Selected != "add" || !slices.Contains(sel.Options, "merge into Anna Schmidt") {
		t.Errorf("action: selected %q of %v", sel.Selected, sel.Options)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: colMatch})
	h.mustShow("Same phone as Anna Schmidt (household?): another name, so it is added as a contact of its own")
	h.tapButton("Import")
	h.mustShow("Done: imported 1, merged 0, skipped 0; 1 household linked.")
	if names := h.contactNames(); !slices.Equal(names, []string{"Anna Schmidt", "Peter Schmidt"}) {
		t.Errorf("contacts %v", names)
	}
}

func TestBothCardsShowTheHouseholdAndOpenTheOther(t *testing.T) {
	h := newHarness(t, importInto(t, annaFile, peterFile))
	h.selectContact("Anna Schmidt")
	h.mustShow("Household: Peter Schmidt — same phone +49 30 1234567")
	h.tapButton("Household: Peter Schmidt — same phone +49 30 1234567")
	if c := h.m.card.card; c == nil || c.Contact.DisplayName != "Peter Schmidt" {
		t.Fatalf("the tap opened %+v", c)
	}
	h.mustShow("Household: Anna Schmidt — same phone +49 30 1234567")
	h.mustNotShow("Household: Peter Schmidt")
}
