package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	govcard "github.com/emersion/go-vcard"

	"github.com/rapportjournal/rapport/model"
)

// injectionFixtures are cards written to smuggle a line break into our
// export: an Apple label holding "\n", quoted-printable CR and CR LF in a
// kept property and a name, RFC 6868 "^n" and quotes in parameters, escapes
// and C0 controls in names.
var injectionFixtures = []string{"testdata/inject-apple-label.vcf", "testdata/inject-qp.vcf", "testdata/inject-param-name.vcf"}

// contactsNotInjected lists the contacts of s and fails on an injected one.
func contactsNotInjected(t *testing.T, s *Service, where string) []model.ContactRow {
	t.Helper()
	rows, err := s.ListContacts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if strings.HasPrefix(r.DisplayName, "Injected") {
			t.Errorf("%s: an injected contact %q", where, r.DisplayName)
		}
		if strings.ContainsFunc(r.DisplayName, unicode.IsControl) {
			t.Errorf("%s: a name with control characters: %q", where, r.DisplayName)
		}
	}
	return rows
}

// checkExportLines fails on a line over 75 octets, a CR or LF inside a
// line, any other control character, and a card started by anything but
// our writer.
func checkExportLines(t *testing.T, text string, cards int) {
	t.Helper()
	if !strings.HasSuffix(text, "\r\n") {
		t.Fatalf("export does not end with CR LF")
	}
	begins := 0
	for i, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets long", i+1, len(line))
		}
		if strings.ContainsFunc(line, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }) {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
		if strings.EqualFold(line, "BEGIN:VCARD") {
			begins++
		}
		if strings.HasPrefix(strings.ToUpper(line), "FN:INJECTED") {
			t.Errorf("line %d starts a property of the attacker's: %q", i+1, line)
		}
	}
	if begins != cards {
		t.Errorf("%d BEGIN:VCARD lines for %d contacts", begins, cards)
	}
}

func TestVCardExportCannotBeTurnedIntoMoreCards(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	for _, f := range injectionFixtures {
		importFile(t, src, f, ImportOptions{})
	}
	before := contactsNotInjected(t, src, "first import")
	if len(before) != 6 {
		t.Fatalf("the fixtures gave %d contacts, want 6: %v", len(before), before)
	}
	var export bytes.Buffer
	if err := src.ExportVCards(ctx, &export); err != nil {
		t.Fatal(err)
	}
	checkExportLines(t, export.String(), len(before))

	// A strict reader sees the same cards.
	dec := govcard.NewDecoder(bytes.NewReader(export.Bytes()))
	n := 0
	for {
		card, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("go-vcard cannot read our export: %v", err)
		}
		n++
		if fn := card.PreferredValue(govcard.FieldFormattedName); strings.HasPrefix(fn, "Injected") {
			t.Errorf("go-vcard reads a card %q", fn)
		}
	}
	if n != len(before) {
		t.Errorf("go-vcard reads %d cards, want %d", n, len(before))
	}

	path := filepath.Join(t.TempDir(), "export.vcf")
	if err := os.WriteFile(path, export.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := newService(t)
	rep := importFile(t, dst, path, ImportOptions{})
	if len(rep.Skipped) != 0 {
		t.Errorf("our own export had skipped cards: %+v", rep.Skipped)
	}
	after := contactsNotInjected(t, dst, "re-import")
	if len(after) != len(before) {
		t.Fatalf("%d contacts, after export and import %d: %v", len(before), len(after), after)
	}
	for i := range before {
		if before[i].DisplayName != after[i].DisplayName {
			t.Errorf("contact %d: %q, after the round trip %q", i, before[i].DisplayName, after[i].DisplayName)
		}
	}

	// Labels are one line; the detail label with "^n" keeps its words.
	pat := contactNamed(t, dst, "Pat Param")
	labels := map[string]string{}
	for _, d := range pat.Details {
		if strings.ContainsFunc(d.Label, unicode.IsControl) {
			t.Errorf("detail label %q holds a control character", d.Label)
		}
		labels[d.Label] = d.Value
	}
	if v := labels["Size END:VCARD BEGIN:VCARD FN:Injected Person TEL:+15550106"]; v != "42" {
		t.Errorf("the newline label's detail: %q in %v", v, labels)
	}
	if v := labels[`Quote "x":y;z`]; v != `a "quoted" value` {
		t.Errorf("the quoted label's detail: %q in %v", v, labels)
	}
	eve := contactNamed(t, dst, "Eve Label")
	for _, p := range eve.Phones {
		if strings.ContainsFunc(p.Label, unicode.IsControl) {
			t.Errorf("phone label %q holds a control character", p.Label)
		}
	}
	if len(eve.Phones) != 1 {
		t.Errorf("Eve's phones: %+v", eve.Phones)
	}
}

// A name stored before names were cleaned (the store takes what it is
// given) and a purpose with a CR: the calendar still holds one event, every
// line within 75 octets, no control character but the CR LF line ends.
func TestICSExportEscapesText(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "Mallory\rEND:VEVENT\r\nBEGIN:VEVENT\x1b]0;x\x07", Stage: model.StageClient}
	if err := s.store().CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewAppointment(ctx, c.ID, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), 45,
		"fit\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected; a, b \\ c\nsecond line and a long tail to fold"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.ExportICS(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets", i+1, len(line))
		}
		if strings.ContainsFunc(line, unicode.IsControl) {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("parse back: %v, %d events:\n%s", err, len(cal.Events()), out)
	}
	got := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value
	want := "Mallory END:VEVENT BEGIN:VEVENT ]0;x: fit\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected; a, b \\ c\nsecond line and a long tail to fold"
	if got != want {
		t.Errorf("summary read back %q, want %q", got, want)
	}
}

// CSV cells go through encoding/csv: quotes, commas and line breaks in a
// name keep it one cell of one row.
func TestCSVExportQuotesCells(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "=HYPERLINK(\"x\"), \"Evil\"\r\nnext,row", Stage: model.StageClient}
	if err := s.store().CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.ExportCSV(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(rows[1]) != len(CSVHeader()) {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	if want := "'=HYPERLINK(\"x\"), \"Evil\"\nnext,row"; rows[1][1] != want {
		t.Errorf("name cell %q, want %q", rows[1][1], want)
	}
}

func TestOneLineAndPrintable(t *testing.T) {
	for _, tt := range []struct{ in, oneLine, printable string }{
		{"Ann", "Ann", "Ann"},
		{" Ann\r\nFake line ", "Ann Fake line", " Ann\uFFFD\uFFFDFake line "},
		{"\x1b]0;pwned\x07Bob", "]0;pwned Bob", "\uFFFD]0;pwned\uFFFDBob"},
		{"a\u009b31mb\x7fc\u2028d", "a 31mb c d", "a\uFFFD31mb\uFFFDc\u2028d"},
		{"bad\xffbyte\tx", "bad\uFFFDbyte x", "bad\uFFFDbyte\uFFFDx"},
	} {
		if got := OneLine(tt.in); got != tt.oneLine {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.oneLine)
		}
		if got := Printable(tt.in); got != tt.printable {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.printable)
		}
	}
}
