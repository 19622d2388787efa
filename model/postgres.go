package model

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNoPgDump is returned by Backup on PostgreSQL when pg_dump is not on the
// PATH: PostgreSQL has no VACUUM INTO, and its own dump tool is the one way
// to copy a database into a file.
var ErrNoPgDump = errors.New("pg_dump is not installed (Debian: apt-get install postgresql-client); no file backup of a PostgreSQL database can be made without it")

// migrateLockKey names the PostgreSQL advisory lock held while the schema is
// brought up to date, so that two desks starting at once migrate one after
// the other.
const migrateLockKey int64 = 0x7261_7070_6f72_7401 // "rapport" + 1

// OpenPostgres opens the PostgreSQL database at dsn (postgres://user@host/db?…)
// that several desks share, and brings its schema up to date. dir is the
// local folder for what stays on this computer: backups made with pg_dump
// and the raw text of cards an import skipped (made when first needed).
func OpenPostgres(ctx context.Context, dsn, dir string) (*Store, error) {
	s, err := connectPostgres(ctx, dsn, dir)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, s, schemaMigrations()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", s.path, err)
	}
	return s, nil
}

// connectPostgres opens the connection pool, leaving the schema as it is.
func connectPostgres(ctx context.Context, dsn, dir string) (*Store, error) {
	shown := RedactURL(dsn)
	if dir == "" {
		return nil, fmt.Errorf("open database %s: no local folder for backups given", shown)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message can quote the URL, password included.
		return nil, fmt.Errorf("open database %s: not a valid PostgreSQL URL", shown)
	}
	if _, set := cfg.RuntimeParams["application_name"]; !set {
		cfg.RuntimeParams["application_name"] = "rapport" // what pg_stat_activity shows
	}
	sqlDB := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(_ context.Context, conn *pgx.Conn) error {
		// Times come back in UTC, as SQLite gives them back.
		conn.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}))
	// A desk needs a few connections: the window's reads run beside a write.
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(4)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                   logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction:   true,
		DisableNestedTransaction: true,
		NowFunc:                  func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", shown, err)
	}
	s := &Store{db: db.WithContext(ctx), path: shown, dir: dir, d: postgresDialect, dsn: dsn, changes: &changes{},
		tables: onceBulkTables(db.NamingStrategy)}
	if err := s.db.Exec("SELECT 1").Error; err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", shown, err)
	}
	return s, nil
}

// RedactURL is a database URL fit to show: without its password.
func RedactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if err != nil {
			return "(a PostgreSQL URL that cannot be read)"
		}
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// migratePostgres runs the steps in one transaction: PostgreSQL's DDL is
// transactional, so a failed step leaves the schema as it was. An advisory
// lock held to the end keeps a second desk waiting, and that desk then
// finds the work done.
func migratePostgres(ctx context.Context, s *Store, steps []migration) error {
	return s.with(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrateLockKey).Error; err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		if err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL)`).Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var current int
		if err := tx.Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current).Error; err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		latest := steps[len(steps)-1].version
		if current > latest {
			return fmt.Errorf("schema version %d, this program knows up to %d: %w", current, latest, ErrNewerSchema)
		}
		if current == latest {
			return nil
		}
		if current > 0 {
			// pg_dump reads in a snapshot of its own; the schema it sees is
			// the one before this transaction.
			path, err := s.Backup(ctx, fmt.Sprintf("before-v%d", latest))
			switch {
			case errors.Is(err, ErrNoPgDump):
				s.logf("rapport: migrating %s from schema v%d to v%d WITHOUT a file backup: pg_dump is not installed. "+
					"The migration runs in one transaction and changes nothing if it fails.", s.path, current, latest)
			case err != nil:
				return fmt.Errorf("migrate: backup first: %w", err)
			default:
				s.logf("rapport: %s backed up to %s before migrating to schema v%d", s.path, path, latest)
			}
		}
		for _, step := range steps {
			if step.version <= current {
				continue
			}
			if step.pgUp == nil {
				return fmt.Errorf("migrate to v%d (%s): the step has no PostgreSQL version", step.version, step.name)
			}
			if err := step.pgUp(tx); err != nil {
				return fmt.Errorf("migrate to v%d (%s): %w", step.version, step.name, err)
			}
			if err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				step.version, step.name, time.Now().UTC()).Error; err != nil {
				return fmt.Errorf("migrate to v%d (%s): %w", step.version, step.name, err)
			}
		}
		return nil
	})
}

// pgDump writes a plain-SQL dump of the whole database into target (made
// private before anything is written), which psql can restore.
func (s *Store) pgDump(ctx context.Context, target string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return ErrNoPgDump
	}
	u, err := url.Parse(s.dsn)
	if err != nil {
		return fmt.Errorf("pg_dump: the database URL cannot be read")
	}
	env := os.Environ()
	// The password goes through the environment, never the command line
	// that every user of the computer can list.
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--no-password", "--format=plain", "--no-owner", "--dbname="+u.String())
	cmd.Env, cmd.Stdout, cmd.Stderr = env, f, &stderr
	runErr := cmd.Run()
	closeErr := f.Close()
	if runErr != nil {
		os.Remove(target)
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = runErr.Error()
		}
		return fmt.Errorf("pg_dump: %s", msg)
	}
	if closeErr != nil {
		os.Remove(target)
		return closeErr
	}
	return nil
}

// pgBackup is Backup for PostgreSQL, which has no VACUUM INTO: pg_dump
// writes a plain-SQL dump (.sql, restored with psql) named after the
// database; ErrNoPgDump when pg_dump is not installed.
func (s *Store) pgBackup(ctx context.Context, dir, reason string, at time.Time, strict bool) (string, error) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		return "", fmt.Errorf("backup of %s: %w", s.path, ErrNoPgDump)
	}
	base := s.BackupBase()
	stamp := at.UTC().Format("20060102-150405")
	// Two backups in one second get a counter.
	target, err := freeName(dir, fmt.Sprintf("%s-%s-%s", base, stamp, reason), "sql")
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	// As with SQLite's copies: written under another name and renamed when
	// whole and on disk, so that a dump cut short never passes for the
	// day's backup.
	partial := target + ".partial"
	_ = os.Remove(partial)
	if err := s.pgDump(ctx, partial); err != nil {
		_ = os.Remove(partial)
		return "", fmt.Errorf("backup of %s to %s: %w", s.path, target, err)
	}
	if err := syncPrivate(partial, strict); err != nil {
		_ = os.Remove(partial)
		return "", fmt.Errorf("backup of %s to %s: %w", s.path, target, err)
	}
	if err := os.Rename(partial, target); err != nil {
		_ = os.Remove(partial)
		return "", fmt.Errorf("backup of %s to %s: %w", s.path, target, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return target, nil
}

// pgIntegrityCheck reads every table through and checks that the search
// index holds every contact; "ok" when all is well, else what is wrong.
func (s *Store) pgIntegrityCheck(ctx context.Context) (string, error) {
	db := s.with(ctx)
	for _, table := range []string{"contacts", "phones", "emails", "addresses", "details", "important_dates", "tags",
		"journal_entries", "appointments", "note_reminders", "contact_search", "import_batches", "import_changes",
		"contact_reliability", "settings", "schema_migrations", "contact_links",
		"followup_marks", "dav_links", "dav_events"} {
		// Summing a column's length reads every row's data, not just an
		// index of the table.
		if err := db.Exec("SELECT COUNT(*), SUM(pg_column_size(t.*)) FROM " + table + " AS t").Error; err != nil {
			return "", fmt.Errorf("integrity check: %s: %w", table, err)
		}
	}
	var missing int64
	if err := db.Raw(`SELECT COUNT(*) FROM contacts c
		WHERE NOT EXISTS (SELECT 1 FROM contact_search s WHERE s.contact_id = c.id)`).Scan(&missing).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	if missing > 0 {
		return fmt.Sprintf("%d contacts are missing from the search index", missing), nil
	}
	return "ok", nil
}
