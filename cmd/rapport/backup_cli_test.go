package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDailyBackupBackupRestoreFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if r := rapport(t, nil, "--db", db, "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	// The first command of the day on a database with contacts backs it up.
	r := rapport(t, nil, "--db", db, "backups")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, "\tdaily\t") {
		t.Fatalf("backups after the first start of the day: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "list"); strings.Count(r.stdout, "\n") != 40 {
		t.Fatalf("list: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "backups"); strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("a second start on one day made another backup: %q", r.stdout)
	}

	r = rapport(t, nil, "--db", db, "backup")
	manual := strings.TrimSpace(r.stdout)
	if r.code != 0 || filepath.Dir(manual) != filepath.Join(dir, "backups") || !strings.HasSuffix(manual, "-manual.db") {
		t.Fatalf("backup: %+v", r)
	}
	if info, err := os.Stat(manual); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v %v", info, err)
	}

	id := contactID(t, db, "mull")
	if r := rapport(t, nil, "--db", db, "forget", id); r.code != 0 ||
		r.stdout != "Removed Jörg Müller. Older backups still hold them until they rotate out (up to 12 months).\n" {
		t.Fatalf("forget: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "list", "--search", "mull"); r.stdout != "" {
		t.Errorf("forgotten, still listed: %q", r.stdout)
	}

	r = rapport(t, nil, "--db", db, "restore", manual)
	if r.code != 0 || !strings.Contains(r.stdout, "restored "+manual) || !strings.Contains(r.stdout, "-before-restore.db") {
		t.Fatalf("restore: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "list", "--search", "mull"); r.stdout != "Jörg Müller (Müller Bikes)\tclient\n" {
		t.Errorf("after restoring the backup: %q", r.stdout)
	}
	r = rapport(t, nil, "--db", db, "backups")
	for _, kind := range []string{"\tdaily\t", "\tmanual\t", "\tbefore-restore\t"} {
		if !strings.Contains(r.stdout, kind) {
			t.Errorf("backups lacks %s: %q", kind, r.stdout)
		}
	}
}

func TestRestoreRefusalsFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("not a database"), 0o600)
	jsonBackup := filepath.Join(dir, "backup.json")
	os.WriteFile(jsonBackup, []byte("{}"), 0o600)
	before := rapport(t, nil, "--db", db, "list", "--json").stdout
	for _, c := range []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"restore", notes}, 1, notes + ": not a Rapport database"},
		{[]string{"restore", filepath.Join(dir, "missing.db")}, 1, "missing.db: file does not exist"},
		{[]string{"restore", jsonBackup}, 1, "rapport import " + jsonBackup},
		{[]string{"restore", db}, 1, "the database in use"},
		{[]string{"restore"}, 2, "name the backup file"},
		{[]string{"forget"}, 2, "name the contact"},
		{[]string{"forget", "no-such-id"}, 1, `no contact has the id "no-such-id"`},
		{[]string{"backup", "now"}, 2, "unexpected"},
	} {
		r := rapport(t, nil, append([]string{"--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.contains) {
			t.Errorf("rapport %v = %d %q, want %d and %q", c.args, r.code, r.stderr, c.code, c.contains)
		}
	}
	if after := rapport(t, nil, "--db", db, "list", "--json").stdout; after != before {
		t.Error("a refused command changed the database")
	}
}

func TestExportCSVAndNewsletterFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	out := filepath.Join(dir, "contacts.csv")
	if r := rapport(t, nil, "--db", db, "export", "--format", "csv", "-o", out); r.code != 0 || r.stdout != "" {
		t.Fatalf("export csv: %+v", r)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := parseCSV(t, data)
	if len(rows) != 41 || rows[0][0] != "id" || rows[0][14] != "last contact" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[6], "'+49 151 ") {
			t.Errorf("phone cell %q: want the +49 number neutralised", row[6])
		}
	}
	if r := rapport(t, nil, "--db", db, "export", "--format", "newsletter"); r.code != 0 {
		t.Fatalf("export newsletter: %+v", r)
	} else {
		rows := parseCSV(t, []byte(r.stdout))
		if len(rows) < 2 || rows[0][0] != "name" || rows[0][1] != "email" {
			t.Fatalf("newsletter list: %q", rows)
		}
		for _, row := range rows[1:] {
			if !strings.HasSuffix(row[1], "@example.com") {
				t.Errorf("row %q", row)
			}
		}
		// Only those who agreed: the demo's customers invited to it.
		if n := len(rows) - 1; n >= 40 || n == 0 {
			t.Errorf("%d on the newsletter list of 40", n)
		}
	}
}

func parseCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF"))
	if !ok || !bytes.Contains(body, []byte("\r\n")) {
		t.Fatalf("not UTF-8 with BOM and CR LF: %q", data[:min(40, len(data))])
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// contactID is the stable id of the one contact matching search.
func contactID(t *testing.T, db, search string) string {
	t.Helper()
	var got struct {
		Contacts []struct {
			ID string `json:"id"`
		} `json:"contacts"`
	}
	r := rapport(t, nil, "--db", db, "list", "--search", search, "--json")
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got.Contacts) != 1 {
		t.Fatalf("list --search %s: %v %+v", search, err, r)
	}
	return got.Contacts[0].ID
}

// restoreRefused runs restore of file on db and checks that it is refused
// with want in the message and that nothing changed: the data, and no
// before-restore backup made.
func restoreRefused(t *testing.T, db, file, want string) string {
	t.Helper()
	before := digest(t, db)
	backups := rapport(t, nil, "--db", db, "backups").stdout
	r := rapport(t, nil, "--db", db, "restore", file)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("restore %s: exit %d, stderr %q; want 1 and %q", filepath.Base(file), r.code, r.stderr, want)
	}
	if digest(t, db) != before {
		t.Error("the database changed")
	}
	if now := rapport(t, nil, "--db", db, "backups").stdout; now != backups {
		t.Errorf("backups now %q, were %q", now, backups)
	}
	return r.stderr
}

// backupCopy is a fresh copy of the manual backup of db, in dir.
func backupCopy(t *testing.T, db, name string) string {
	t.Helper()
	r := rapport(t, nil, "--db", db, "backup")
	data, err := os.ReadFile(strings.TrimSpace(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, filepath.Join(filepath.Dir(db), name), data)
}

// TestRestoreRefusesObjectsRapportDidNotMake: a backup holding a trigger
// (one that deleted every phone on the next import), a view, a table or an
// index of its own, or a table defined otherwise, is refused by name.
func TestRestoreRefusesObjectsRapportDidNotMake(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	for _, c := range []struct{ name, sql, want string }{
		{"trigger", `CREATE TRIGGER wipe_phones AFTER INSERT ON import_batches BEGIN DELETE FROM phones; END`,
			`the file holds a trigger "wipe_phones" that Rapport did not create`},
		{"view", `CREATE VIEW everyone AS SELECT display_name FROM contacts`, `the file holds a view "everyone" that Rapport did not create`},
		{"table", `CREATE TABLE mine (id INTEGER PRIMARY KEY)`, `the file holds a table "mine" that Rapport did not create`},
		{"index", `CREATE INDEX idx_mine ON phones (number)`, `the file holds an index "idx_mine" that Rapport did not create`},
		{"changed table", `ALTER TABLE contacts ADD COLUMN secret TEXT`, `the file's table "contacts" is not defined as Rapport defines it`},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := backupCopy(t, db, c.name+".db")
			sqlDB, err := sql.Open("sqlite", file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sqlDB.Exec(c.sql); err != nil {
				t.Fatal(err)
			}
			sqlDB.Close()
			restoreRefused(t, db, file, "restore "+file+": "+c.want)
		})
	}
}

// TestRestoreDamagedBackupSaysTheBackup: a backup cut in half, or with a
// page overwritten, is called a damaged backup file, by its name, never
// the database in use.
func TestRestoreDamagedBackupSaysTheBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	half := backupCopy(t, db, "half.db")
	data, _ := os.ReadFile(half)
	writeFile(t, half, data[:len(data)/2/4096*4096])
	flipped := backupCopy(t, db, "flipped.db")
	data, _ = os.ReadFile(flipped)
	page := len(data) / 2 / 4096 * 4096
	for i := page; i < page+4096; i++ {
		data[i] ^= 0xff
	}
	writeFile(t, flipped, data)
	for _, file := range []string{half, flipped} {
		stderr := restoreRefused(t, db, file, "rapport restore: the backup file "+file+" is damaged (")
		if !strings.HasSuffix(stderr, "): nothing was changed\n") || strings.Contains(stderr, "database file is damaged") ||
			strings.Contains(stderr, "database "+db) {
			t.Errorf("stderr %q", stderr)
		}
	}
}

func TestBackupToAFolder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	stick := filepath.Join(dir, "stick")
	if err := os.Mkdir(stick, 0o755); err != nil {
		t.Fatal(err)
	}
	r := rapport(t, nil, "--db", db, "backup", "--to", stick)
	copied := strings.TrimSpace(r.stdout)
	if r.code != 0 || filepath.Dir(copied) != stick || !strings.HasSuffix(copied, "-manual.db") {
		t.Fatalf("backup --to: %+v", r)
	}
	// What was copied restores: the copy is a whole database.
	id := contactID(t, db, "mull")
	rapport(t, nil, "--db", db, "forget", id)
	if r := rapport(t, nil, "--db", db, "restore", copied); r.code != 0 {
		t.Fatalf("restore the copy: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "list", "--search", "mull"); r.stdout != "Jörg Müller (Müller Bikes)\tclient\n" {
		t.Errorf("after restoring the copy: %q", r.stdout)
	}
	missing := filepath.Join(dir, "unplugged")
	r = rapport(t, nil, "--db", db, "backup", "--to", missing)
	if r.code != 1 || !strings.Contains(r.stderr, missing) {
		t.Errorf("backup --to a missing folder: %+v", r)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("the missing folder was created")
	}
	if r := rapport(t, nil, "--db", db, "backup", "extra"); r.code != 2 {
		t.Errorf("backup extra: %+v", r)
	}
}
