package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// testFont is app/pdf's test font, with the letters of japaneseFixture's
// names: the fonts themselves are tested there, that they reach the sheet
// and the labels here.
const testFont = "pdf/testdata/cjk-subset.ttf"

func japaneseFixture(t *testing.T, s *Service) {
	t.Helper()
	// Customers: the sheet, as Today, shows the birthdays of people met.
	for _, c := range []*model.Contact{
		{GivenName: "花子", FamilyName: "田中", DisplayName: "田中 花子",
			Addresses: []model.Address{{Street: "Hauptstraße 9", PostalCode: "10115", City: "Berlin"}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the tea set", Due: "2026-11-24", Status: model.NoteOwed}}},
		{DisplayName: "安藤 ロイド", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 24}}},
		{DisplayName: "Jörg Müller", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 25}}},
	} {
		if err := s.CreateContact(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFallbackFontPrintsJapaneseNames(t *testing.T) {
	ctx := context.Background()
	finder := &pdftest.Finder{Paths: []string{"testdata/missing.ttf", testFont}}
	s := newService(t).WithFontFinder(finder)
	japaneseFixture(t, s)

	var sheet bytes.Buffer
	rep, err := s.PrintFollowups(ctx, fixedNow, pdf.A4, &sheet)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, sheet.Bytes())
	for _, want := range []string{"田中 花子", "安藤 ロイド", "Jörg Müller", "Post to: 田中 花子, Hauptstraße 9, 10115 Berlin"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	if len(rep.Unprinted) != 0 || strings.Contains(text, "?") {
		t.Errorf("printed with ?: %+v\n%s", rep.Unprinted, text)
	}
	if !slices.Equal(rep.FallbackFonts, []string{testFont}) {
		t.Errorf("fallback fonts %v", rep.FallbackFonts)
	}
	// One question: the font found for 田 has the other letters too.
	if len(finder.Asked) != 1 {
		t.Errorf("asked for fonts %d times (%q)", len(finder.Asked), string(finder.Asked))
	}

	var labels bytes.Buffer
	rep, n, err := s.PrintLabels(ctx, pdf.LabelJob{Layout: pdf.LabelLayouts()["L7160"]}, &labels)
	if err != nil || n != 1 || len(rep.Unprinted) != 0 {
		t.Fatalf("labels: %v, %d, %+v", err, n, rep.Unprinted)
	}
	if text := pdftest.Text(t, labels.Bytes()); !strings.Contains(text, "田中 花子") || !strings.Contains(text, "Hauptstraße 9") {
		t.Errorf("the label lacks the name or street:\n%s", text)
	}
}
