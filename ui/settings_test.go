package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// mediaBox is the page size of a PDF fpdf wrote, in points.
func mediaBox(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+ [0-9.]+)\]`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s has no page size", path)
	}
	return string(m[1])
}

const (
	a4Points     = "595.28 841.89"
	letterPoints = "612.00 792.00"
)

func TestSettingsForFollowupsAndPrinting(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Quiet", FamilyName: "Prospect", Stage: model.StageProspect,
			CreatedAt: testNow.AddDate(0, 0, -20)})
	})
	ctx := context.Background()
	h.m.tabs.SelectIndex(2)
	h.mustShow("Nothing logged for 20 days (a prospect: every 14)")

	s := h.m.onSettings()
	if s.cadence[model.StageProspect].Text != "14" || s.cadence[model.StageClient].Text != "60" ||
		s.paper.Selected != "A4" || s.labelSheet.Selected != "Avery L7160 (A4, 3 × 7)" || s.offsetX.Text != "0" {
		t.Errorf("the defaults are not shown: %q %q %q %q %q", s.cadence[model.StageProspect].Text,
			s.cadence[model.StageClient].Text, s.paper.Selected, s.labelSheet.Selected, s.offsetX.Text)
	}

	// A refused value names itself, the dialog stays open on its tab.
	s.cadence[model.StageProspect].SetText("")
	test.Type(s.cadence[model.StageProspect], "0")
	h.tapButton("Save")
	h.mustShow("Keep in touch with a prospect: 0 days is not a whole number of days from 1 to 3650")
	if s.tabs.Selected().Text != tabFollowups {
		t.Errorf("the dialog shows %q, not the tab with the problem", s.tabs.Selected().Text)
	}
	s.cadence[model.StageProspect].SetText("21")
	s.cadence[model.StageCustomer].SetText("2.5")
	h.tapButton("Save")
	h.mustShow(`Keep in touch with a customer: "2.5" is not a whole number of days`)
	s.cadence[model.StageCustomer].SetText("45")

	s.tabs.SelectIndex(0)
	s.offsetX.SetText("-25")
	h.tapButton("Save")
	h.mustShow("Move right: -25 mm is not between -20 and 20 millimetres")
	if s.tabs.Selected().Text != tabPrinting {
		t.Errorf("the dialog shows %q, not the printing tab", s.tabs.Selected().Text)
	}
	h.tapButton("Print label test page")
	if h.m.printed != "" {
		t.Error("printed a test page with an offset refused")
	}

	s.offsetX.SetText("")
	test.Type(s.offsetX, "-1,5")
	s.offsetY.SetText("2")
	s.paper.SetSelected("Letter")
	s.labelSheet.SetSelected("Avery 5160 (Letter, 3 × 10)")
	// The test page prints the sheet and offsets as typed, before saving.
	h.tapButton("Print label test page")
	if filepath.Base(h.m.printed) != "label-test-2026-11-23.pdf" || mediaBox(t, h.m.printed) != letterPoints {
		t.Fatalf("test page %q", h.m.printed)
	}
	if text := pdfText(t, h.m.printed); !strings.Contains(text, "Avery 5160 · 30") {
		t.Errorf("the test page lacks the outlines of 5160:\n%s", text)
	}
	if p, _ := h.svc.PrintSettings(ctx); p != app.DefaultPrintSettings() {
		t.Errorf("the test page saved the settings: %+v", p)
	}

	s.home.SetText("Narnia")
	h.tapButton("Save")
	h.mustShow(`Home country "Narnia": write its name or its two-letter code`)
	s.home.SetText("deutschland")
	s.sender.SetText("  Kerzen Keller\n\nMarktplatz 1 ")
	h.tapButton("Save")
	h.mustNotShow("Move right (mm)", "Keep in touch with")
	want := app.PrintSettings{Paper: pdf.Letter, LabelSheet: "5160", OffsetX: -1.5, OffsetY: 2,
		ReturnAddress: "Kerzen Keller\nMarktplatz 1", HomeCountry: "DE"}
	if p, err := h.svc.PrintSettings(ctx); err != nil || p != want {
		t.Errorf("saved %+v %v, want %+v", p, err, want)
	}
	if c, err := h.svc.Cadences(ctx); err != nil || c[model.StageProspect] != 21 || c[model.StageCustomer] != 45 {
		t.Errorf("saved cadences %v %v", c, err)
	}
	// Today follows the saved cadence at once.
	h.mustShow("Nothing to follow up today.")
	h.mustNotShow("Quiet Prospect")

	// Printing from the window uses the saved paper and label sheet.
	h.m.onPrintFollowups()
	if got := mediaBox(t, h.m.printed); got != letterPoints {
		t.Errorf("follow-up sheet on %s, want Letter", got)
	}
	h.m.onPrintLabels()
	h.tapButton("Print…")
	if got := mediaBox(t, h.m.printed); got != letterPoints {
		t.Errorf("labels on %s, want the 5160's Letter", got)
	}

	// Opened again, the dialog shows what was saved.
	s = h.m.onSettings()
	if s.cadence[model.StageProspect].Text != "21" || s.paper.Selected != "Letter" || s.offsetX.Text != "-1.5" ||
		s.labelSheet.Selected != "Avery 5160 (Letter, 3 × 10)" {
		t.Errorf("reopened: %q %q %q %q", s.cadence[model.StageProspect].Text, s.paper.Selected, s.offsetX.Text, s.labelSheet.Selected)
	}
	h.tapButton("Cancel")
}

func TestPrintingTellsWhatCouldNotBePrinted(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{DisplayName: "שרה כהן", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 24}}})
	})
	h.m.onPrintFollowups()
	h.mustShow("Printed with ? in some names", "שרה כהן — Hebrew: written right to left, which the PDF writer cannot do")
}

// pdfText is the text of a PDF file as pdftotext extracts it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	out, err := exec.Command(bin, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}
