package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dav/davtest"
	"github.com/rapportjournal/rapport/model"
)

// TestSyncFromTheCommandLine: set up with the server's bare address, a dry
// run that changes nothing, a sync, and a second that finds nothing to do.
func TestSyncFromTheCommandLine(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"hugo.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n",
	})
	db := filepath.Join(t.TempDir(), "shop.db")
	envWith := map[string]string{"RAPPORT_KEYRING": "file", "RAPPORT_SYNC_PASSWORD": srv.Password}
	if r := rapport(t, envWith, "--db", db, "sync", "--setup", srv.URL, "--user", srv.User); r.code != 0 ||
		!strings.Contains(r.stdout, book) || !strings.Contains(r.stdout, filepath.Join(filepath.Dir(db), "phone-sync-password")) {
		t.Fatalf("setup: %+v", r)
	}
	// From here the password comes from where setup kept it.
	kept := map[string]string{"RAPPORT_KEYRING": "file"}
	r := rapport(t, kept, "--db", db, "sync", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "new from the phone: Anna Schmidt") || !strings.Contains(r.stdout, "2 would be added") {
		t.Fatalf("dry run: %+v", r)
	}
	if r := rapport(t, kept, "--db", db, "list"); strings.TrimSpace(r.stdout) != "" {
		t.Fatalf("the dry run imported: %q", r.stdout)
	}
	if r := rapport(t, kept, "--db", db, "sync"); r.code != 0 || !strings.Contains(r.stdout, "from the phone: 2 added") {
		t.Fatalf("sync: %+v", r)
	}
	if r := rapport(t, kept, "--db", db, "list"); !strings.Contains(r.stdout, "Anna Schmidt") || !strings.Contains(r.stdout, "Hugo Martin") {
		t.Fatalf("list after sync: %q", r.stdout)
	}
	if r := rapport(t, kept, "--db", db, "sync"); r.code != 0 || !strings.Contains(r.stdout, "from the phone: 0 added, 0 merged, 0 updated; to the phone: 0 added, 0 updated") {
		t.Fatalf("second sync: %+v", r)
	}
	// Settling a conflict needs the side and the cards.
	if r := rapport(t, kept, "--db", db, "sync", "--keep", "both", book+"anna.vcf"); r.code != 2 || !strings.Contains(r.stderr, "phone|mine") {
		t.Fatalf("--keep both: %+v", r)
	}
	if r := rapport(t, kept, "--db", db, "sync", "--keep", "phone", book+"anna.vcf"); r.code != 0 || !strings.Contains(r.stdout, "kept the phone's version") {
		t.Fatalf("--keep phone: %+v", r)
	}
	// A wrong password is named as such.
	r = rapport(t, map[string]string{"RAPPORT_KEYRING": "file", "RAPPORT_SYNC_PASSWORD": "wrong"}, "--db", db, "sync")
	if r.code != 1 || !strings.Contains(r.stderr, "refused the user name or password") {
		t.Fatalf("wrong password: %+v", r)
	}
}

// TestSyncDeletionsFromTheCommandLine: a card deleted on the phone is
// listed by every sync and by a dry run with the command that settles it;
// --delete deletes the contact here too and names the undo, which brings
// the contact back, and the next sync puts it on the phone again.
func TestSyncDeletionsFromTheCommandLine(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nEND:VCARD\r\n",
		"hugo.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n",
	})
	db := filepath.Join(t.TempDir(), "shop.db")
	env := map[string]string{"RAPPORT_KEYRING": "file", "RAPPORT_SYNC_PASSWORD": srv.Password}
	if r := rapport(t, env, "--db", db, "sync", "--setup", srv.URL, "--user", srv.User); r.code != 0 {
		t.Fatalf("setup: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	srv.Delete(t, book+"hugo.vcf")
	asked := "deleted on the phone: Hugo Martin (kept here until you decide: rapport sync --delete or --undelete " + book + "hugo.vcf)"
	for _, args := range [][]string{{"sync"}, {"sync"}, {"sync", "--dry-run"}} {
		r := rapport(t, env, append([]string{"--db", db}, args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, asked) || !strings.Contains(r.stdout, "1 contact deleted on the phone") {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	if r := rapport(t, env, "--db", db, "sync", "--delete"); r.code != 2 || !strings.Contains(r.stderr, "need the paths") {
		t.Fatalf("--delete without a path: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--delete", "--undelete", book+"hugo.vcf"); r.code != 2 {
		t.Fatalf("--delete and --undelete at once: %+v", r)
	}
	r := rapport(t, env, "--db", db, "sync", "--delete", book+"hugo.vcf")
	if r.code != 0 || !strings.Contains(r.stdout, "Hugo Martin deleted here too") || !strings.Contains(r.stdout, "rapport undo-import ") {
		t.Fatalf("--delete: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "list"); strings.Contains(r.stdout, "Hugo") {
		t.Fatalf("Hugo still listed: %q", r.stdout)
	}
	batch := strings.Fields(r.stdout[strings.Index(r.stdout, "undo-import ")+len("undo-import "):])[0]
	if r := rapport(t, env, "--db", db, "imports"); !strings.Contains(r.stdout, "Phone sync: Hugo Martin deleted here too, as on the phone") {
		t.Fatalf("imports: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "undo-import", batch); r.code != 0 || !strings.Contains(r.stdout, "brought back Hugo Martin") {
		t.Fatalf("undo-import %s: %+v", batch, r)
	}
	if r := rapport(t, env, "--db", db, "sync"); r.code != 0 || !strings.Contains(r.stdout, "to the phone: 1 added") || strings.Contains(r.stdout, "deleted on the phone") {
		t.Fatalf("sync after the undo: %+v", r)
	}
	if n := len(srv.Objects(t, book)); n != 2 {
		t.Errorf("%d cards on the phone, want Hugo back", n)
	}
}

// TestSyncCalendarFromTheCommandLine: --calendar list prints the calendars
// that take events, a name chooses one, the next sync puts the appointment
// there (a dry run first, writing nothing), and none turns it off.
func TestSyncCalendarFromTheCommandLine(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	cal := srv.AddCalendar(t, "shop")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nEND:VCARD\r\n",
	})
	db := filepath.Join(t.TempDir(), "shop.db")
	env := map[string]string{"RAPPORT_KEYRING": "file", "RAPPORT_SYNC_PASSWORD": srv.Password}
	if r := rapport(t, env, "--db", db, "sync", "--setup", srv.URL, "--user", srv.User); r.code != 0 {
		t.Fatalf("setup: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync"); r.code != 0 || strings.Contains(r.stdout, "calendar:") {
		t.Fatalf("sync without a calendar: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--calendar", "list"); r.code != 0 || !strings.Contains(r.stdout, cal+"\tshop") ||
		strings.Contains(r.stdout, book) {
		t.Fatalf("--calendar list: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--calendar", "holidays"); r.code != 2 || !strings.Contains(r.stderr, cal) {
		t.Fatalf("--calendar of no calendar: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--calendar", "shop"); r.code != 0 || !strings.Contains(r.stdout, cal) {
		t.Fatalf("--calendar shop: %+v", r)
	}

	// Anna is booked in the window.
	ctx := context.Background()
	st, err := model.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(st)
	rows, err := svc.ListContacts(ctx, "")
	if err == nil && len(rows) == 1 {
		_, err = svc.NewAppointment(ctx, rows[0].ID, time.Date(2030, 3, 4, 15, 0, 0, 0, time.UTC), 30, "Fitting")
	}
	st.Close()
	if err != nil || len(rows) != 1 {
		t.Fatalf("booking Anna: %v (%d contacts)", err, len(rows))
	}
	if r := rapport(t, env, "--db", db, "sync", "--dry-run"); r.code != 0 || !strings.Contains(r.stdout, "calendar: 1 would be added") ||
		len(srv.Objects(t, cal)) != 0 {
		t.Fatalf("dry run: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync"); r.code != 0 || !strings.Contains(r.stdout, "new in the phone's calendar: Fitting – Anna Schmidt") {
		t.Fatalf("sync: %+v", r)
	}
	if objs := srv.Objects(t, cal); len(objs) != 1 || !strings.Contains(srv.Get(t, cal+objs[0]), "DTSTART:20300304T150000Z") {
		t.Fatalf("calendar holds %v", objs)
	}
	if r := rapport(t, env, "--db", db, "sync", "--calendar", "none"); r.code != 0 || !strings.Contains(r.stdout, "off") {
		t.Fatalf("--calendar none: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync"); r.code != 0 || strings.Contains(r.stdout, "calendar:") {
		t.Fatalf("sync after none: %+v", r)
	}
}
