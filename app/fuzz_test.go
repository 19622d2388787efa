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
)

// FuzzReadBackup feeds the backup reader anything: no panic, no hang, and a
// backup it accepts holds only contacts with an id and a name.
func FuzzReadBackup(f *testing.F) {
	f.Add([]byte(`{"format":"rapport-backup","version":1,"exported_at":"2026-11-23T09:30:00Z","contacts":[{"id":"a","name":"Ann","stage":"client","birthday":"--02-29","journal":[{"at":"2026-01-01T10:00:00Z","kind":"call","text":"hi"}]}]}`))
	f.Add([]byte(`{"format":"rapport-backup","version":2}`))
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
		_ = readBackup(bytes.NewReader(data), func(c restored) error {
			if strings.TrimSpace(c.contact.UID) == "" || c.contact.DisplayName == "" {
				t.Fatalf("accepted a contact without id or name: %+v", c.contact)
			}
			// Nothing the validator refuses gets through.
			if c.contact.Stage != "" && !c.contact.Stage.Valid() {
				t.Fatalf("accepted stage %q", c.contact.Stage)
			}
			for _, a := range c.contact.Appointments {
				if err := ValidateAppointment(a); err != nil {
					t.Fatalf("accepted an appointment the validator refuses: %v", err)
				}
			}
			for _, n := range c.contact.NotesOwed {
				if !validNoteStatus(n.Status) {
					t.Fatalf("accepted note status %q", n.Status)
				}
			}
			for _, e := range c.contact.Journal {
				if !e.Kind.Valid() || !validTime(e.At) {
					t.Fatalf("accepted journal entry %+v", e)
				}
			}
			for _, l := range c.rescheduled {
				if l[0] == l[1] || l[0] >= len(c.contact.Appointments) || l[1] >= len(c.contact.Appointments) {
					t.Fatalf("a link %v among %d appointments", l, len(c.contact.Appointments))
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
