package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

// FuzzReadBackup feeds the backup reader anything: no panic, no hang, and a
// backup it accepts holds only contacts with an id and a name.
func FuzzReadBackup(f *testing.F) {
	f.Add([]byte(`{"format":"rapport-backup","version":1,"exported_at":"2026-11-23T09:30:00Z","contacts":[{"id":"a","name":"Ann","stage":"client","birthday":"--02-29","journal":[{"at":"2026-01-01T10:00:00Z","kind":"call","text":"hi"}]}]}`))
	f.Add([]byte(`{"format":"rapport-backup","version":2}`))
	f.Add([]byte(`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","journal":[{"at":"2026-01-01T10:00:00Z","kind":"purchase","text":"","item":"cake","amount":3100,"currency":"EUR"},{"at":"2026-01-02T10:00:00Z","kind":"purchase","text":"","amount":-5,"currency":"EUR"}]}]}`))
	f.Add([]byte(`{"contacts":[{"id":"","phones":[{"number":"1"}]}]}`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Add([]byte(`{"contacts":[{"id":"a","name":"Ann","appointments":[{"id":1,"start":"2026-01-01T10:00:00Z","rescheduled_to":2},{"id":2,"start":"2026-01-02T10:00:00Z"}]}],"version":1,"format":"rapport-backup"}`))
	f.Add([]byte(`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","referred_by":"b"},{"id":"a"}]}`))
	// Values that cannot be: each must be refused.
	bad := `{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","stage":"client","appointments":[{"start":"2026-01-01T10:00:00Z",%s}]}]}`
	for _, v := range []string{`"minutes":30,"outcome":"late","minutes_late":-100000`, `"minutes":9223372036854775807`,
		`"minutes":0`, `"minutes":30,"outcome":"exploded"`, `"minutes":30,"cancelled_at":"0000-01-01T00:00:00Z"`} {
		f.Add([]byte(fmt.Sprintf(bad, v)))
	}
	f.Add([]byte(`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","stage":"vip"}]}`))
	f.Add([]byte(`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","notes_owed":[{"reason":"r","due":"2026-01-01","status":"burnt"}]}]}`))
	f.Add([]byte(`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","journal":[{"at":"0000-01-01T00:00:00Z","kind":"call"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = jsonbackup.Read(bytes.NewReader(data), backupRules(), func(c jsonbackup.Restored) error {
			if strings.TrimSpace(c.Contact.UID) == "" || c.Contact.DisplayName == "" {
				t.Fatalf("accepted a contact without id or name: %+v", c.Contact)
			}
			// Nothing the validator refuses gets through.
			if c.Contact.Stage != "" && !c.Contact.Stage.Valid() {
				t.Fatalf("accepted stage %q", c.Contact.Stage)
			}
			for _, a := range c.Contact.Appointments {
				if err := ValidateAppointment(a); err != nil {
					t.Fatalf("accepted an appointment the validator refuses: %v", err)
				}
			}
			for _, n := range c.Contact.NotesOwed {
				if !n.Status.Valid() {
					t.Fatalf("accepted note status %q", n.Status)
				}
			}
			for _, e := range c.Contact.Journal {
				if !e.Kind.Valid() || !validTime(e.At) || checkEntryAmount(&e) != nil {
					t.Fatalf("accepted journal entry %+v", e)
				}
			}
			for _, l := range c.Rescheduled {
				if l[0] == l[1] || l[0] >= len(c.Contact.Appointments) || l[1] >= len(c.Contact.Appointments) {
					t.Fatalf("a link %v among %d appointments", l, len(c.Contact.Appointments))
				}
			}
			return nil
		})
	})
}

// FuzzMapCard runs the whole vCard path short of the database: reading,
// mapping, dates and phone numbers. No input may panic.
func FuzzMapCard(f *testing.F) {
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nBDAY:--0229\r\nTEL:+49 (0)30 1234567\r\nX-ABDATE:19723101\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCARD\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;1999-13-10;1\r\nN:;;;;\r\nPHOTO:data:image/png;base64,AAAA\r\nEND:VCARD"))
	// The real exports in ../shared (where present) and ours.
	files, _ := filepath.Glob("../../shared/vcards/*/*.vcf")
	more, _ := filepath.Glob("testdata/*.vcf")
	for _, name := range append(files, more...) {
		if data, err := os.ReadFile(name); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &Service{now: func() time.Time { return fixedNow }}
		_ = s.eachCard(context.Background(), bytes.NewReader(data), "DE", func(ic ImportedCard, skip error) error {
			if skip == nil && ic.Contact.DisplayName == "" {
				t.Fatalf("a card without a name was not skipped")
			}
			return nil
		})
	})
}

// FuzzVCardExport writes one contact with fuzzed names, labels, details,
// notes and kept lines, straight from the store's form (no tidying first),
// and reads the export back as an import does: it must give exactly one
// card, named by the fuzzed name after OneLine, with its labels one line.
func FuzzVCardExport(f *testing.F) {
	f.Add("Eve", "Label", "Eve Label", "friend\nEND:VCARD\nBEGIN:VCARD\nFN:Injected Person", "Size^n\"x\"", "42\r\nEND:VCARD", "note\rBEGIN:VCARD", "X-CUSTOM:hello\rEND:VCARD\rBEGIN:VCARD\rFN:Injected")
	f.Add("Carol\r\n", "Fake line", "\x1b]0;pwned\x07\r\nFake line", "QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE", "ends with =", "\\", "item1.X-ABLabel;ENCODING=b:=\r\nEND:VCARD")
	f.Add("Bo", "", "", "", "", "", "", "BEGIN\x00:VCARD\r\nEN\x01D:VCARD\r\nFN:Injected Person\r\nEND\x02:VCARD\r\nBEGIN:VCARD")
	f.Add("", "", "Ünïcode \u2028 name", "\u0085", "\x7f", "\x00", "", "BEGIN:VCARD\r\nFN:Injected Person\r\nEND:VCARD")
	f.Fuzz(func(t *testing.T, given, family, display, label, detailLabel, detailValue, note, extra string) {
		contact := func() *model.Contact {
			return &model.Contact{GivenName: given, FamilyName: family, DisplayName: display, Stage: model.StageClient,
				Phones:     []model.Phone{{Label: label, Number: "+49 30 1234567"}},
				Emails:     []model.Email{{Label: label, Address: "a@example.com"}},
				Details:    []model.Detail{{Label: detailLabel, Value: detailValue}},
				Dates:      []model.ImportantDate{{Label: label, Month: 2, Day: 3}},
				Journal:    []model.JournalEntry{{Kind: model.KindNote, Text: note, At: fixedNow}},
				VCardExtra: extra}
		}
		clean := contact()
		if tidy(clean) != nil {
			t.Skip("nothing to call the contact by")
		}
		var buf bytes.Buffer
		w := vcf.NewWriter(&buf)
		cardRules().WriteCard(w, contact(), true)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		s := &Service{now: func() time.Time { return fixedNow }}
		var got []ImportedCard
		err := s.eachCard(context.Background(), &buf, "DE", func(ic ImportedCard, skip error) error {
			if skip != nil {
				t.Fatalf("card %d skipped: %v\n%s", ic.Number, skip, buf.String())
			}
			got = append(got, ic)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("one contact exported, %d read back:\n%s", len(got), buf.String())
		}
		g := got[0].Contact
		if g.DisplayName != clean.DisplayName {
			t.Fatalf("name %q, read back %q", clean.DisplayName, g.DisplayName)
		}
		for _, d := range g.Details {
			if d.Label != OneLine(d.Label) {
				t.Fatalf("detail label %q is not one line", d.Label)
			}
		}
		for _, p := range g.Phones {
			if p.Label != OneLine(p.Label) {
				t.Fatalf("phone label %q is not one line", p.Label)
			}
		}
	})
}
