package app

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

func printFixture(t *testing.T) *Service {
	t.Helper()
	ctx := context.Background()
	// No system fonts: what prints must not depend on what is installed.
	s := newService(t).WithFontFinder(nil)
	// Customers: Today and the sheet show the birthdays of people met.
	for _, c := range []*model.Contact{
		{GivenName: "Jörg", FamilyName: "Müller", Phones: []model.Phone{{Number: "+49 30 1234567"}},
			Addresses: []model.Address{{Street: "Hauptstraße 1", PostalCode: "10115", City: "Berlin", Country: "Germany"}},
			Details:   []model.Detail{{Label: "Dog", Value: "Biscuit", Pinned: true}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the first visit", Due: "2026-11-22", Status: "owed"}}},
		{GivenName: "Łukasz", FamilyName: "Nowak", Stage: model.StageClient,
			Addresses: []model.Address{{Street: "ul. Długa 5", PostalCode: "00-001", City: "Warszawa"}},
			NotesOwed: []model.NoteReminder{{Reason: "congratulations", Due: "2026-11-25", Status: "owed"}}},
		{DisplayName: "Ольга Петрова", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 30}}},
		{DisplayName: "Ζωή Παπαδοπούλου", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 12, Day: 1}}},
		{DisplayName: "安藤 ロイド", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 24}}},
	} {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestFollowupSheetPrintsEveryNameAndAddress(t *testing.T) {
	s := printFixture(t)
	var buf bytes.Buffer
	rep, err := s.PrintFollowups(context.Background(), fixedNow, pdf.A4, &buf)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, buf.Bytes())
	for _, want := range []string{"Follow-ups for Monday 23 November 2026", "Notes to write", "Jörg Müller", "+49 30 1234567",
		"Hauptstraße 1, 10115 Berlin, Germany", "Remember: Dog: Biscuit", "Łukasz Nowak", "ul. Długa 5, 00-001 Warszawa",
		"Birthdays", "Ольга Петрова", "Ζωή Παπαδοπούλου", "page 1 of 1", "OVERDUE"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	// Without a font for it, the Japanese name is marked and the owner told
	// which scripts and why, never silent boxes.
	if !strings.Contains(text, "?? ???") || len(rep.Unprinted) != 1 || rep.Unprinted[0].Text != "安藤 ロイド" ||
		strings.Join(rep.Unprinted[0].Scripts, ",") != "Han,Katakana" {
		t.Errorf("unprinted: %+v\n%s", rep.Unprinted, text)
	}
	if !strings.Contains(text, "1 name or text is printed with ? for letters that could not be printed. Han, Katakana: no font on this") {
		t.Error("the sheet does not say what it could not print")
	}
	// The same data prints the same file.
	var again bytes.Buffer
	s.PrintFollowups(context.Background(), fixedNow, pdf.A4, &again)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("printing twice gave different files")
	}
}

func TestLabelsForOwedNotes(t *testing.T) {
	s := printFixture(t)
	for name, layout := range pdf.LabelLayouts() {
		var buf bytes.Buffer
		rep, n, err := s.PrintLabels(context.Background(), pdf.LabelJob{Layout: layout}, &buf)
		if err != nil || n != 2 || rep.Pages != 1 {
			t.Fatalf("%s: %v, %d labels, %d pages", name, err, n, rep.Pages)
		}
		text := pdftest.Text(t, buf.Bytes())
		for _, want := range []string{"Jörg Müller", "Hauptstraße 1", "10115 Berlin", "Łukasz Nowak", "00-001 Warszawa"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s labels lack %q:\n%s", name, want, text)
			}
		}
		var test bytes.Buffer
		if _, _, err := s.PrintLabels(context.Background(), pdf.LabelJob{Layout: layout, OffsetX: 1.5, OffsetY: -0.5, Test: true}, &test); err != nil {
			t.Fatal(err)
		}
		outlines := pdftest.Text(t, test.Bytes())
		last := layout.Name + " · " + itoa(layout.Columns*layout.Rows)
		if !strings.Contains(outlines, last) {
			t.Errorf("%s test page lacks its last label %q", name, last)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestLabelsStartAtAPositionOfAPartUsedSheet(t *testing.T) {
	s := printFixture(t)
	l := pdf.LabelLayouts()["L7160"]
	const mm = 72 / 25.4
	print := func(start int) []byte {
		var buf bytes.Buffer
		if _, n, err := s.PrintLabels(context.Background(), pdf.LabelJob{Layout: l, Start: start}, &buf); err != nil || n != 2 {
			t.Fatalf("start %d: %v, %d labels", start, err, n)
		}
		return buf.Bytes()
	}
	// Label 5 is the second column of the second row; Jörg's note is due
	// first, Łukasz's next, in label 6.
	joerg, lukasz := pdftest.WordsAt(t, print(5), "Jörg"), pdftest.WordsAt(t, print(5), "Łukasz")
	if len(joerg) != 1 || len(lukasz) != 1 {
		t.Fatalf("Jörg at %v, Łukasz at %v", joerg, lukasz)
	}
	// pdftotext measures from the first glyph's ink, a point or so in.
	if x := (l.Left + l.PitchX + 4) * mm; math.Abs(joerg[0][1]-x) > 4 {
		t.Errorf("Jörg's label starts at x %.1f pt, want label 5's %.1f", joerg[0][1], x)
	}
	if y0, y1 := (l.Top+l.PitchY)*mm, (l.Top+2*l.PitchY)*mm; joerg[0][2] < y0 || joerg[0][2] > y1 {
		t.Errorf("Jörg's label at y %.1f pt, want in the second row (%.1f–%.1f)", joerg[0][2], y0, y1)
	}
	if dx := lukasz[0][1] - joerg[0][1]; math.Abs(dx-l.PitchX*mm) > 4 || math.Abs(lukasz[0][2]-joerg[0][2]) > l.Height*mm/2 {
		t.Errorf("Łukasz at %v, want label 6 beside Jörg", lukasz)
	}
	// From the last label on: the second address goes to a new sheet.
	last := print(21)
	if j, k := pdftest.WordsAt(t, last, "Jörg"), pdftest.WordsAt(t, last, "Łukasz"); len(j) != 1 || j[0][0] != 1 || len(k) != 1 || k[0][0] != 2 {
		t.Errorf("from label 21: Jörg at %v, Łukasz at %v", j, k)
	}
	for _, bad := range []int{-1, 22} {
		var buf bytes.Buffer
		_, _, err := s.PrintLabels(context.Background(), pdf.LabelJob{Layout: l, Start: bad}, &buf)
		if err == nil || !strings.Contains(err.Error(), "the Avery L7160 sheet has labels 1 to 21") || buf.Len() != 0 {
			t.Errorf("start %d: %v", bad, err)
		}
	}
}

func TestLabelsCarryTheSenderAndLeaveOffTheHomeCountry(t *testing.T) {
	s := printFixture(t)
	print := func(home string) string {
		var buf bytes.Buffer
		job := pdf.LabelJob{Layout: pdf.LabelLayouts()["L7160"], ReturnAddress: "Kerzen Keller\nMarktplatz 1\n10115 Berlin", HomeCountry: home}
		if _, _, err := s.PrintLabels(context.Background(), job, &buf); err != nil {
			t.Fatal(err)
		}
		return pdftest.Text(t, buf.Bytes())
	}
	domestic := print("DE")
	if strings.Count(domestic, "Kerzen Keller, Marktplatz 1, 10115 Berlin") != 2 {
		t.Errorf("the sender is not on both labels:\n%s", domestic)
	}
	if strings.Contains(domestic, "Germany") || !strings.Contains(domestic, "10115 Berlin") {
		t.Errorf("a German address from Germany kept its country line:\n%s", domestic)
	}
	if abroad := print("PL"); !strings.Contains(abroad, "Germany") {
		t.Errorf("from Poland, the German address lost its country:\n%s", abroad)
	}
	if none := print(""); !strings.Contains(none, "Germany") {
		t.Errorf("without a home country, the country line went:\n%s", none)
	}
	// Too long for one line of the narrower 5160 label: two lines, and the
	// town, which brings the letter back, is not cut off.
	var buf bytes.Buffer
	long := pdf.LabelJob{Layout: pdf.LabelLayouts()["5160"], ReturnAddress: "Kerzen & Keramik Keller GmbH\nGroße Marktplatzstraße 117, Hinterhaus\n10115 Berlin-Mitte"}
	if _, _, err := s.PrintLabels(context.Background(), long, &buf); err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, buf.Bytes())
	if strings.Count(text, "10115 Berlin-Mitte") != 2 || strings.Count(text, "Kerzen & Keramik Keller GmbH") != 2 || strings.Contains(text, "…") {
		t.Errorf("a long return address lost its town or was cut:\n%s", text)
	}
}
