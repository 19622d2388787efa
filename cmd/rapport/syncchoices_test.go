package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/dav/davtest"
)

// TestSyncPreviewFromTheCommandLine: the dry run of the first sync says
// per card what it would do, why and at which path (Peter, on Anna's
// landline under another name, added with the household hint); --skip
// leaves Hugo out of the sync and of the next one; --skipped lists him with
// the flag that takes him in, and --add does.
func TestSyncPreviewFromTheCommandLine(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf":  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"peter.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:Peter Schmidt\r\nN:Schmidt;Peter;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"hugo.vcf":  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n",
	})
	db := filepath.Join(t.TempDir(), "shop.db")
	env := map[string]string{"RAPPORT_KEYRING": "file", "RAPPORT_SYNC_PASSWORD": srv.Password}
	if r := rapport(t, env, "--db", db, "sync", "--setup", srv.URL, "--user", srv.User); r.code != 0 {
		t.Fatalf("setup: %+v", r)
	}
	r := rapport(t, env, "--db", db, "sync", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "new from the phone: Anna Schmidt (+49 30 1234567) — add: new — "+book+"anna.vcf\n") ||
		!strings.Contains(r.stdout, "new from the phone: Peter Schmidt (+49 30 1234567) — add: same phone as Anna Schmidt (household?) — "+book+"peter.vcf\n") ||
		!strings.Contains(r.stdout, "new from the phone: Hugo Martin — add: new — "+book+"hugo.vcf\n") ||
		!strings.Contains(r.stdout, "3 would be added") {
		t.Fatalf("dry run: %+v", r)
	}
	// With the owner's choices: Hugo left out; Peter merged, which needs a
	// contact to merge into (Anna is not here yet).
	r = rapport(t, env, "--db", db, "sync", "--dry-run", "--merge", book+"peter.vcf", "--skip", book+"hugo.vcf")
	if r.code != 0 || !strings.Contains(r.stdout, "skipped from the phone as you chose: Hugo Martin — "+book+"hugo.vcf") ||
		!strings.Contains(r.stdout, "new from the phone: Peter Schmidt (+49 30 1234567) — add: you chose merge, but it matches no contact") ||
		!strings.Contains(r.stdout, "2 would be added, 0 would be merged") {
		t.Fatalf("dry run with choices: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "list"); strings.TrimSpace(r.stdout) != "" {
		t.Fatalf("the dry runs imported: %q", r.stdout)
	}
	if r := rapport(t, env, "--db", db, "sync", "--skip", book+"hugo.vcf"); r.code != 0 || !strings.Contains(r.stdout, "from the phone: 2 added") {
		t.Fatalf("sync with --skip: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync"); r.code != 0 || !strings.Contains(r.stdout, "from the phone: 0 added, 0 merged") {
		t.Fatalf("the sync after the skip: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "list"); strings.Contains(r.stdout, "Hugo") {
		t.Fatalf("Hugo came in: %q", r.stdout)
	}
	r = rapport(t, env, "--db", db, "sync", "--dry-run", "--skipped")
	if r.code != 0 || !strings.Contains(r.stdout, "skipped on an earlier sync: Hugo Martin — "+book+"hugo.vcf (rapport sync --add "+book+"hugo.vcf takes it in)") {
		t.Fatalf("--skipped: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--add", book+"hugo.vcf"); r.code != 0 || !strings.Contains(r.stdout, "from the phone: 1 added") {
		t.Fatalf("--add: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "list"); !strings.Contains(r.stdout, "Hugo Martin") {
		t.Fatalf("Hugo not taken in: %q", r.stdout)
	}
	// Choices are for a sync, and a card is chosen once.
	if r := rapport(t, env, "--db", db, "sync", "--skip", book+"x.vcf", "--keep", "phone", book+"anna.vcf"); r.code != 2 {
		t.Errorf("--skip with --keep: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--skip", book+"x.vcf", "--add", book+"x.vcf"); r.code != 2 || !strings.Contains(r.stderr, "chosen twice") {
		t.Errorf("a card chosen twice: %+v", r)
	}
	if r := rapport(t, env, "--db", db, "sync", "--merge", book+"x.vcf=anna"); r.code != 2 || !strings.Contains(r.stderr, "PATH=ID") {
		t.Errorf("--merge with no number: %+v", r)
	}
}
