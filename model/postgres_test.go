package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/model/pgtest"
)

// testStep is a schema step after the last real one, for both databases.
func testStep(version int) migration {
	add := func(tx *gorm.DB) error { return tx.Exec("ALTER TABLE contacts ADD COLUMN test_col TEXT").Error }
	return migration{version: version, name: "test step", up: add, pgUp: add}
}

func columnExists(t *testing.T, s *Store, table, column string) bool {
	t.Helper()
	var n int64
	if err := s.db.Raw(`SELECT COUNT(*) FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?`,
		table, column).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestPostgresURLIsRedacted(t *testing.T) {
	got := RedactURL("postgres://shop:secret@db.local:5432/rapport?sslmode=require")
	if strings.Contains(got, "secret") || !strings.Contains(got, "shop:xxxxx@db.local:5432/rapport") {
		t.Errorf("RedactURL = %q", got)
	}
	if _, err := Open(context.Background(), "postgres://shop:secret@db.local/rapport"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open of a PostgreSQL URL: %v", err)
	}
	_, err := OpenPostgres(context.Background(), "postgres://shop:secret@127.0.0.1:1/rapport?connect_timeout=2", t.TempDir())
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("no server: err = %v, want an error without the password", err)
	}
}

// The migration on PostgreSQL dumps the database with pg_dump first; the
// dump is private and holds the data as it was.
func TestPostgresMigrationBacksUpFirst(t *testing.T) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed")
	}
	ctx := context.Background()
	s := openPostgresAt(t, pgtest.NewDatabase(t)) // pg_dump dumps every schema
	if err := s.CreateContact(ctx, &Contact{DisplayName: "Kept Before"}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(s.BackupsDir()); len(entries) != 0 {
		t.Fatalf("a brand-new database needs no backup, found %d", len(entries))
	}
	next := SchemaVersion() + 1
	if err := migrate(ctx, s, append(schemaMigrations(), testStep(next))); err != nil {
		t.Fatal(err)
	}
	if !columnExists(t, s, "contacts", "test_col") {
		t.Error("the step did not run")
	}
	backups, _ := filepath.Glob(filepath.Join(s.BackupsDir(), "*-before-v*.sql"))
	if len(backups) != 1 {
		t.Fatalf("want one dump, got %v", backups)
	}
	dump, err := os.ReadFile(backups[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dump), "Kept Before") || strings.Contains(string(dump), "test_col") {
		t.Errorf("the dump is not of the database before the step (%d bytes)", len(dump))
	}
	if info, _ := os.Stat(backups[0]); info.Mode().Perm() != 0o600 {
		t.Errorf("dump mode = %v, want 0600", info.Mode().Perm())
	}
}

// Without pg_dump the migration still runs (in one transaction) and says
// plainly that no file backup was made.
func TestPostgresMigrationWithoutPgDump(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	var said []string
	s.warn = func(format string, args ...any) { said = append(said, fmt.Sprintf(format, args...)) }
	t.Setenv("PATH", t.TempDir())
	if _, err := s.Backup(ctx, "now"); !errors.Is(err, ErrNoPgDump) {
		t.Errorf("Backup without pg_dump: err = %v, want ErrNoPgDump", err)
	}
	if err := migrate(ctx, s, append(schemaMigrations(), testStep(SchemaVersion()+1))); err != nil {
		t.Fatal(err)
	}
	if !columnExists(t, s, "contacts", "test_col") {
		t.Error("the step did not run")
	}
	if len(said) != 1 || !strings.Contains(said[0], "WITHOUT a file backup") || !strings.Contains(said[0], "pg_dump") {
		t.Errorf("told the owner %q", said)
	}
	if entries, _ := os.ReadDir(s.BackupsDir()); len(entries) != 0 {
		t.Errorf("backups folder holds %d files", len(entries))
	}
}

// A step that fails leaves the schema as it was, the steps before it in the
// same run included: PostgreSQL's DDL is transactional.
func TestPostgresFailedMigrationChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	t.Setenv("PATH", t.TempDir()) // no dump: this test is about the transaction
	s.warn = func(string, ...any) {}
	v := SchemaVersion()
	bad := migration{version: v + 2, name: "broken", pgUp: func(tx *gorm.DB) error {
		return tx.Exec("ALTER TABLE no_such_table ADD COLUMN x TEXT").Error
	}}
	err := migrate(ctx, s, append(schemaMigrations(), testStep(v+1), bad))
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("err = %v, want the broken step named", err)
	}
	if got, _ := s.schemaVersion(ctx); got != v {
		t.Errorf("schema version %d after a failed migration, want %d", got, v)
	}
	if columnExists(t, s, "contacts", "test_col") {
		t.Error("the step before the broken one was kept")
	}
}

// Desks starting at once against a new database: one migrates, the others
// wait on the advisory lock and find the work done.
func TestPostgresDesksMigrateOneAtATime(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := OpenPostgres(ctx, dsn, t.TempDir())
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := openPostgresAt(t, dsn)
	var n int64
	s.db.Raw("SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	if n != int64(SchemaVersion()) {
		t.Errorf("%d schema steps recorded, want %d", n, SchemaVersion())
	}
}

// A database as the first release made it: the upgrade keeps its data,
// dumps it first, and its search index goes on working.
func TestPostgresUpgradeFromV1(t *testing.T) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed")
	}
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	s1, err := connectPostgres(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, s1, schemaMigrations()[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s1.db.Exec(`INSERT INTO contacts (uid, display_name, sort_key, stage, created_at, updated_at)
		VALUES ('u1', 'Anna Alt', 'anna alt', 'client', '2025-01-01 00:00:00+00:00', '2025-01-01 00:00:00+00:00')`).Error; err != nil {
		t.Fatal(err)
	}
	if err := s1.db.Exec(`INSERT INTO contact_search (contact_id, words)
		SELECT id, CAST('''anna'' ''alt''' AS tsvector) FROM contacts`).Error; err != nil {
		t.Fatal(err)
	}
	s1.Close()

	s := openPostgresAt(t, dsn)
	if v, _ := s.schemaVersion(ctx); v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
	if backups, _ := filepath.Glob(filepath.Join(s.BackupsDir(), "*-before-v*.sql")); len(backups) != 1 {
		t.Errorf("backups: %v", backups)
	}
	rows, err := s.ListContacts(ctx, "ann al", 0)
	if err != nil || len(rows) != 1 || rows[0].Stage != StageClient {
		t.Errorf("after the upgrade: %+v %v", rows, err)
	}
	if _, err := s.MatchKeys(ctx); err != nil {
		t.Errorf("new v2 query on an upgraded database: %v", err)
	}
}

// Store.Backup's dump restores with psql into an empty database that then
// opens with everything in it.
func TestPostgresBackupRestores(t *testing.T) {
	for _, tool := range []string{"pg_dump", "psql"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " is not installed")
		}
	}
	ctx := context.Background()
	s := openPostgresAt(t, pgtest.NewDatabase(t))
	c := sampleContact("Zoë Ærø")
	c.Photo = []byte{0xFF, 0xD8, 0x00, 0x01}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	path, err := s.Backup(ctx, "manual")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != s.BackupsDir() || !strings.HasSuffix(path, "-manual.sql") {
		t.Errorf("backup at %s", path)
	}
	target := pgtest.NewDatabase(t)
	out, err := exec.Command("psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--dbname="+target, "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	r := openPostgresAt(t, target)
	got, err := r.Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != c.DisplayName || string(got.Photo) != string(c.Photo) || len(got.Journal) != 1 || len(got.Details) != 2 {
		t.Errorf("restored: %+v", got)
	}
	if rows, _ := r.ListContacts(ctx, "zoe aero", 0); len(rows) != 1 {
		t.Errorf("search after restore: %+v", rows)
	}
	// The restored sequence goes on after the restored contacts.
	n := &Contact{DisplayName: "New"}
	if err := r.CreateContact(ctx, n); err != nil || n.ID <= c.ID {
		t.Errorf("new contact after restore: id %d, %v", n.ID, err)
	}
	if v, err := r.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Errorf("integrity = %q, %v", v, err)
	}
}

func TestPostgresIntegrityCheckFindsAMissingIndexRow(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	c := &Contact{DisplayName: "Ada"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if v, err := s.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity = %q, %v", v, err)
	}
	s.db.Exec("DELETE FROM contact_search")
	if v, err := s.IntegrityCheck(ctx); err != nil || v == "ok" {
		t.Errorf("integrity with the index row gone = %q, %v", v, err)
	}
}

// Backing up a shared database into a folder of the owner's choice (a USB
// stick) writes a pg_dump there, named as in the backups folder, and
// nothing into the backups folder.
func TestPostgresBackupIntoAFolder(t *testing.T) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed")
	}
	ctx := context.Background()
	s := openPostgresAt(t, pgtest.NewDatabase(t))
	stick := t.TempDir()
	path, err := s.BackupInto(ctx, stick, "manual", time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != stick || !strings.HasSuffix(path, "-20261203-093000-manual.sql") {
		t.Errorf("dump at %s", path)
	}
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), "CREATE TABLE") {
		t.Errorf("the dump holds no tables: %v", err)
	}
	if in, _ := filepath.Glob(filepath.Join(s.BackupsDir(), "*")); len(in) != 0 {
		t.Errorf("the backups folder got %v", in)
	}
}
