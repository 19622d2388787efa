package model

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrNewerSchema means the database was written by a newer Rapport; opening it
// with this one could lose what the newer one stored.
var ErrNewerSchema = errors.New("the database was written by a newer version of Rapport")

// migration is one forward-only schema step. Steps are frozen once released:
// a change to the schema is a new step, never an edit of an old one. Each
// step is written twice, for SQLite (up) and PostgreSQL (pgUp), to the same
// tables and columns, so that a version number means one schema on both.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
	pgUp    func(tx *gorm.DB) error
}

// migrationFiles are the schema steps as SQL, one file per step and
// database: migrations/sqlite/NN_name.sql and migrations/postgres/NN_name.sql,
// NN the version, the name with _ for spaces.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// schemaMigrations lists every schema step in order, read from the files.
// The files are part of the program, not input: a step missing for one
// database, or out of order, is a mistake of the build, which the tests
// catch, and stops the program here.
func schemaMigrations() []migration {
	sqlite, err := readSteps("migrations/sqlite")
	if err != nil {
		panic(err)
	}
	pg, err := readSteps("migrations/postgres")
	if err != nil {
		panic(err)
	}
	if len(sqlite) != len(pg) {
		panic(fmt.Sprintf("migrations: %d steps for SQLite, %d for PostgreSQL", len(sqlite), len(pg)))
	}
	steps := make([]migration, len(sqlite))
	for i := range sqlite {
		if sqlite[i].name != pg[i].name {
			panic(fmt.Sprintf("migrations: step %d is %q on SQLite, %q on PostgreSQL", i+1, sqlite[i].name, pg[i].name))
		}
		steps[i] = migration{version: i + 1, name: sqlite[i].name, up: execAll(sqlite[i].statements), pgUp: execAll(pg[i].statements)}
	}
	return steps
}

// sqlStep is one step's file, read.
type sqlStep struct {
	name       string
	statements []string
}

// readSteps reads the steps of one database, checking that they are
// numbered 1, 2, 3… without a gap.
func readSteps(dir string) ([]sqlStep, error) {
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var steps []sqlStep
	for i, e := range entries { // in the order of their names
		number, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		if n, err := strconv.Atoi(number); !ok || err != nil || n != i+1 {
			return nil, fmt.Errorf("migrations: %s/%s is not step %d", dir, e.Name(), i+1)
		}
		text, err := fs.ReadFile(migrationFiles, dir+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		statements := splitSQL(string(text))
		if len(statements) == 0 {
			return nil, fmt.Errorf("migrations: %s/%s holds no statement", dir, e.Name())
		}
		steps = append(steps, sqlStep{name: strings.ReplaceAll(name, "_", " "), statements: statements})
	}
	return steps, nil
}

// splitSQL cuts a step's file into its statements: each ends with a ";" at
// the end of a line, except inside a $$-quoted function body. Comments
// between statements are left out; those inside one stay, as SQLite keeps
// them in the schema the file's check compares with.
func splitSQL(text string) []string {
	var statements []string
	var current strings.Builder
	inBody := false
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if current.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "--")) {
			continue // between statements
		}
		if strings.Count(line, "$$")%2 == 1 {
			inBody = !inBody
		}
		current.WriteString(line + "\n")
		if !inBody && strings.HasSuffix(trimmed, ";") {
			statements = append(statements, strings.TrimSuffix(strings.TrimSpace(current.String()), ";"))
			current.Reset()
		}
	}
	if rest := strings.TrimSpace(current.String()); rest != "" {
		statements = append(statements, rest)
	}
	return statements
}

// SchemaVersion is the schema version this build of Rapport writes.
func SchemaVersion() int {
	steps := schemaMigrations()
	return steps[len(steps)-1].version
}

// migrate brings the database up to the last of steps. A file that already
// holds a schema is copied into backups/ first; each step runs in its own
// transaction together with the record of its version. PostgreSQL: see
// migratePostgres.
func migrate(ctx context.Context, s *Store, steps []migration) error {
	if s.d == postgresDialect {
		return migratePostgres(ctx, s, steps)
	}
	db := s.with(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at DATETIME NOT NULL)`).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	latest := steps[len(steps)-1].version
	if current > latest {
		return fmt.Errorf("schema version %d, this program knows up to %d: %w", current, latest, ErrNewerSchema)
	}
	if current == latest {
		return nil
	}
	if current > 0 {
		if _, err := s.Backup(ctx, fmt.Sprintf("before-v%d", latest)); err != nil {
			return fmt.Errorf("migrate: backup first: %w", err)
		}
	}
	for _, step := range steps {
		if step.version <= current {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			// Another process may have run the step while this one
			// waited for the write lock.
			var done int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", step.version).Scan(&done).Error; err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if err := step.up(tx); err != nil {
				return err
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				step.version, step.name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to v%d (%s): %w", step.version, step.name, err)
		}
	}
	return nil
}

// schemaVersion is the highest schema step applied to the file, 0 for new.
func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.with(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func execAll(statements []string) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		for _, stmt := range statements {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return nil
	}
}

// CreateAtVersion makes a new database file at path with the schema as
// version left it, as an older Rapport wrote it: for tests of upgrades and
// of restoring old backups.
func CreateAtVersion(ctx context.Context, path string, version int) error {
	steps := schemaMigrations()
	if version < 1 || version > len(steps) {
		return fmt.Errorf("create at version %d: no such version", version)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("create at version %d: %s exists", version, path)
	}
	if err := createPrivate(path); err != nil {
		return err
	}
	db, err := gormOpen(path)
	if err != nil {
		return err
	}
	s := &Store{db: db, path: path}
	defer s.Close()
	return migrate(ctx, s, steps[:version])
}
