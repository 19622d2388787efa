package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// rawExec runs statements on the SQLite file at path as another program
// would.
func rawExec(t *testing.T, path string, statements ...string) {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(path), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	for _, stmt := range statements {
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// TestCheckFileTakesEveryVersionRapportMade: a file at each schema version,
// made by the migrations, and a backup of a database in use (VACUUM INTO,
// with contacts and the search index filled) pass the schema check.
func TestCheckFileTakesEveryVersionRapportMade(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for v := 1; v <= SchemaVersion(); v++ {
		path := filepath.Join(dir, fmt.Sprintf("v%d.db", v))
		if err := CreateAtVersion(ctx, path, v); err != nil {
			t.Fatal(err)
		}
		if got, err := CheckFile(ctx, path); err != nil || got != v {
			t.Errorf("a file made at version %d: version %d, %v", v, got, err)
		}
	}
	s := openTemp(t)
	c := &Contact{GivenName: "Ada", FamilyName: "Lovelace", Phones: []Phone{{Number: "+44 20 7946 0000"}}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	backup, err := s.Backup(ctx, "manual")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckFile(ctx, backup); err != nil {
		t.Errorf("a backup of a database in use: %v", err)
	}
}

// TestCheckFileRefusesObjectsRapportDidNotMake: a trigger, a view, a table,
// an index Rapport never made, or one of its tables defined otherwise, is
// refused by name, and the file is left as it was.
func TestCheckFileRefusesObjectsRapportDidNotMake(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, c := range []struct {
		name, sql, want string
	}{
		{"trigger", `CREATE TRIGGER wipe_phones AFTER INSERT ON import_batches BEGIN DELETE FROM phones; END`,
			`the file holds a trigger "wipe_phones" that Rapport did not create`},
		{"view", `CREATE VIEW everyone AS SELECT display_name FROM contacts`,
			`the file holds a view "everyone" that Rapport did not create`},
		{"table", `CREATE TABLE notes_extra (id INTEGER PRIMARY KEY, text TEXT)`,
			`the file holds a table "notes_extra" that Rapport did not create`},
		{"index", `CREATE INDEX idx_phones_number ON phones (number)`,
			`the file holds an index "idx_phones_number" that Rapport did not create`},
		{"changed table", `ALTER TABLE phones ADD COLUMN secret TEXT`,
			`the file's table "phones" is not defined as Rapport defines it`},
		{"dropped index", `DROP INDEX idx_phones_contact`,
			`the file lacks the index "idx_phones_contact" that Rapport creates`},
		{"search index shadow table changed", `DROP TABLE contact_search; CREATE TABLE contact_search (body TEXT)`,
			`the file's table "contact_search" is not defined as Rapport defines it`},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".db")
			if err := CreateAtVersion(ctx, path, SchemaVersion()); err != nil {
				t.Fatal(err)
			}
			for _, stmt := range strings.Split(c.sql, "; CREATE") {
				if !strings.HasPrefix(stmt, "CREATE") && !strings.HasPrefix(stmt, "ALTER") && !strings.HasPrefix(stmt, "DROP") {
					stmt = "CREATE" + stmt
				}
				rawExec(t, path, stmt)
			}
			before, _ := fileDigest(t, path)
			_, err := CheckFile(ctx, path)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrNotDatabase) {
				t.Errorf("CheckFile: %v; want %q", err, c.want)
			}
			if after, _ := fileDigest(t, path); after != before {
				t.Error("checking the file changed it")
			}
		})
	}
}

func fileDigest(t *testing.T, path string) (string, error) {
	t.Helper()
	ro, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	return ro.Digest(context.Background())
}

// TestOpenRemovesOldRestoreCopies: copies a crashed restore left beside the
// database, with their log files, go at open once they are old; a fresh
// one (a restore under way in another process) stays.
func TestOpenRemovesOldRestoreCopies(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	old := filepath.Join(dir, ".shop.db.restore-1234")
	fresh := filepath.Join(dir, ".shop.db.restore-5678")
	other := filepath.Join(dir, ".other.db.restore-1234")
	for _, p := range []string{old, old + "-wal", fresh, other} {
		writeTestFile(t, p)
	}
	hourAgo := time.Now().Add(-time.Hour)
	for _, p := range []string{old, old + "-wal", other} {
		if err := osChtimes(p, hourAgo); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for p, want := range map[string]bool{old: false, old + "-wal": false, fresh: true, other: true} {
		if exists(p) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), !want, want)
		}
	}
}

func writeTestFile(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("half a copy"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func osChtimes(path string, at time.Time) error { return os.Chtimes(path, at, at) }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
