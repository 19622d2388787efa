package model

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound is returned when a contact or row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrChanged is returned when saving a contact that was changed elsewhere
// (an import, another window or desk) since it was read.
var ErrChanged = errors.New("the contact was changed elsewhere since you opened it; open it again to see the changes")

// Store is Rapport's database. A Store returned by InTx works inside one
// transaction; every other Store opens its own for each multi-row write.
type Store struct {
	db   *gorm.DB
	path string
}

// Open opens (creating when missing) the SQLite database at path and brings
// its schema up to date, copying an existing file into backups/ beside it
// before any migration runs.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open database: no path given")
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := checkFileBeforeOpen(ctx, path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db, err := gormOpen(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: db.WithContext(ctx), path: path}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One writer at a time is all SQLite allows; a few readers keep the
	// window responsive while a write runs.
	sqlDB.SetMaxOpenConns(4)
	if err := s.db.Exec("SELECT 1").Error; err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, ExplainError(err))
	}
	if err := migrate(ctx, s, schemaMigrations()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, ExplainError(err))
	}
	// SQLite creates the -wal and -shm files with the process umask; they
	// hold the same private data as the database itself.
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Chmod(path+suffix, 0o600)
	}
	return s, nil
}

func gormOpen(path string) (*gorm.DB, error) {
	return gorm.Open(sqlite.Open(dsn(path)), &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true,
		// A Store method called inside InTx joins the transaction as it
		// is: a savepoint per call copies every page it touches, which made
		// imports three times slower. Savepoint marks one where wanted.
		DisableNestedTransaction: true,
		PrepareStmt:              true,
		NowFunc:                  func() time.Time { return time.Now().UTC() },
	})
}

// dsn puts every pragma in the connection string: a PRAGMA run once with Exec
// reaches only one of the pooled connections.
func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)", "temp_store(MEMORY)", "cache_size(-32000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// createPrivate makes the database's folder and an empty file readable by the
// owner only, unless the file exists already.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return fmt.Errorf("%s is a folder, not a database file", path)
	case err == nil:
		return nil
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil // another process created it first
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// checkFileBeforeOpen refuses, before it is opened to write, a file that is
// not an SQLite database (SQLite would say only "file is not a database"),
// another program's SQLite database (Rapport would switch it to WAL and add
// its tables), or a file that cannot be written (SQLite would open it and
// fail at the first write). An empty file is a new database: createPrivate
// makes one.
func checkFileBeforeOpen(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrPermission) {
		return errors.New("the file is read-only (permission denied), and Rapport needs to write to it")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if n == 0 && errors.Is(err, io.EOF) {
		return nil
	}
	if string(head[:n]) != "SQLite format 3\x00" {
		return errors.New("not a Rapport database: the file is not an SQLite database")
	}
	ro, err := openReadOnly(ctx, path)
	if err != nil {
		return ExplainError(err)
	}
	defer ro.Close()
	return ro.checkSchemaIsOurs(ctx)
}

// checkSchemaIsOurs refuses an SQLite database of another program.
func (s *Store) checkSchemaIsOurs(ctx context.Context) error {
	var tables []string
	err := s.with(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).
		Scan(&tables).Error
	if err != nil {
		return ExplainError(err)
	}
	if len(tables) == 0 || slices.Contains(tables, "schema_migrations") {
		return nil
	}
	if len(tables) > 3 {
		tables = append(tables[:3], "…")
	}
	return fmt.Errorf("not a Rapport database: it is another program's SQLite database (tables %s)", strings.Join(tables, ", "))
}

// ExplainError says in words what the SQLite errors an owner can meet mean:
// a read-only or damaged database. Other errors come back as they are.
func ExplainError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "readonly database"):
		return fmt.Errorf("the database or its folder is read-only; Rapport needs to write the file and, beside it, its -wal and -shm files (%w)", err)
	case strings.Contains(msg, "malformed"), strings.Contains(msg, "file is not a database"):
		return fmt.Errorf("the database file is damaged (%w); a copy from the backups folder beside it can replace it", err)
	}
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// InTx runs fn with a Store whose every call joins one transaction; an error
// from fn rolls all of it back.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, path: s.path})
	})
}

// Savepoint marks a point in the transaction to roll back to.
func (s *Store) Savepoint(ctx context.Context, name string) error {
	return s.with(ctx).SavePoint(name).Error
}

// RollbackTo undoes what was done since the savepoint name.
func (s *Store) RollbackTo(ctx context.Context, name string) error {
	return s.with(ctx).RollbackTo(name).Error
}

// with gives the store's handle bound to ctx.
func (s *Store) with(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// BackupsDir is the folder beside the database where copies are kept.
func (s *Store) BackupsDir() string { return filepath.Join(filepath.Dir(s.path), "backups") }

// Backup copies the whole database, consistently even while others write,
// into a new timestamped file in BackupsDir and returns its path.
func (s *Store) Backup(ctx context.Context, reason string) (string, error) {
	dir := s.BackupsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	base := strings.TrimSuffix(filepath.Base(s.path), filepath.Ext(s.path))
	stamp := time.Now().UTC().Format("20060102-150405")
	target := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.db", base, stamp, reason))
	// VACUUM INTO refuses an existing target; two backups in one second get
	// a counter.
	for i := 2; ; i++ {
		if _, err := os.Stat(target); errors.Is(err, os.ErrNotExist) {
			break
		}
		target = filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.db", base, stamp, reason, i))
	}
	if err := s.with(ctx).Exec("VACUUM INTO ?", target).Error; err != nil {
		return "", fmt.Errorf("backup to %s: %w", target, err)
	}
	if err := os.Chmod(target, 0o600); err != nil {
		return "", fmt.Errorf("backup to %s: %w", target, err)
	}
	return target, nil
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict ("ok"
// when the file is sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var result string
	if err := s.with(ctx).Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return result, nil
}
