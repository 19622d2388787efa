package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/dav/davtest"
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
