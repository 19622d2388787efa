package model

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
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

// Store is Rapport's database: a SQLite file, or a PostgreSQL database that
// several desks share (see OpenPostgres). A Store returned by InTx works
// inside one transaction; every other Store opens its own for each
// multi-row write.
type Store struct {
	db   *gorm.DB
	path string                           // the SQLite file, or the PostgreSQL URL without its password
	dir  string                           // the local folder for backups and import problems
	d    dialect                          // which database it is
	dsn  string                           // PostgreSQL: the URL to connect with (pg_dump)
	warn func(format string, args ...any) // nil: the standard logger
	use  *useLock                         // SQLite opened to write: the open lock (see lock.go)
	// changes tells when the data changed, for the window (see DataVersion).
	changes *changes
	// tables are the bulk writer's tables, read from the models' schemas
	// once per store (nil: at each use): reading them costs milliseconds.
	tables func() (*bulkTables, error)
}

// logf tells the owner something they should know but that is no error
// (a migration without a file backup).
func (s *Store) logf(format string, args ...any) {
	if s.warn != nil {
		s.warn(format, args...)
		return
	}
	log.Printf(format, args...)
}

// Open opens (creating when missing) the SQLite database at path and brings
// its schema up to date, copying an existing file into backups/ beside it
// before any migration runs. A PostgreSQL URL is refused: OpenPostgres
// needs to know the local folder for backups too.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open database: no path given")
	}
	if IsPostgresURL(path) {
		return nil, fmt.Errorf("open database %s: a PostgreSQL URL (use OpenPostgres)", RedactURL(path))
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := checkFileBeforeOpen(ctx, path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Held until Close, so that a restore can tell the database is in use;
	// waits while one is under way. Taken once the file is known
	// to be a database, so that no lock file is left beside any other.
	use, err := holdOpen(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	opened := false
	defer func() {
		if !opened {
			use.release()
		}
	}()
	db, err := gormOpen(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: db.WithContext(ctx), path: path, dir: filepath.Dir(path), d: sqliteDialect, use: use, changes: &changes{},
		tables: onceBulkTables(db.NamingStrategy)}
	s.tidyFiles()
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One writer at a time is all SQLite allows; a few readers keep the
	// window responsive while a write runs. All of them stay open: each
	// connection has its own page cache, and database/sql closed all but
	// two after use, so the follow-up rules, which read at once, started
	// from a cold cache every time (a third of their time).
	sqlDB.SetMaxOpenConns(4)
	sqlDB.SetMaxIdleConns(4)
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
	opened = true
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
//
// mmap_size lets every connection read the database's pages from one
// mapping of the file, shared with the operating system's cache, rather
// than copying them into a page cache of its own: the follow-up rules,
// which read at once on up to four connections, found each connection's
// cache cold for the pages another had read (50,000 contacts: 0.3 s
// without, 0.19 s with). Writes still go through the page cache and the
// WAL, as without it. Only a file on a local disk is mapped (mappable).
func dsn(path string) string {
	q := url.Values{}
	pragmas := []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)",
		"temp_store(MEMORY)", "cache_size(-32000)"}
	if mappable(filepath.Dir(path)) {
		pragmas = append(pragmas, "mmap_size(268435456)")
	}
	for _, p := range pragmas {
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
	case err == nil && special(info.Mode()):
		// /dev/null would pass for a new, empty database.
		return &NotAFileError{Path: path, Kind: FileKind(info.Mode())}
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
	f, err := openChecked(path, os.O_RDWR)
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
	if _, ok := errors.AsType[*DamagedError](err); ok {
		return err // a file the owner named, said to be damaged already
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

// Close closes the database, and lets go of the open lock (see Alone).
func (s *Store) Close() error {
	defer s.use.storeClosed()
	s.closeWatch()
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Path is the database file's path; for PostgreSQL, its URL without the
// password.
func (s *Store) Path() string { return s.path }

// Dir is the local folder beside the database (for PostgreSQL, the one
// given to OpenPostgres) where backups and import problems are kept.
func (s *Store) Dir() string { return s.dir }

// IsPostgres reports whether the store is a shared PostgreSQL database.
func (s *Store) IsPostgres() bool { return s.d == postgresDialect }

// InTx runs fn with a Store whose every call joins one transaction; an error
// from fn rolls all of it back.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		in := *s
		in.db = tx
		return fn(&in)
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

// Release forgets the savepoint name and those set after it, keeping what
// was done since; an import sets one per chunk, and each savepoint still
// open is one more SQLite keeps a copy of changed pages for.
func (s *Store) Release(ctx context.Context, name string) error {
	return s.with(ctx).Exec("RELEASE SAVEPOINT " + name).Error // as gorm's SavePoint writes it
}

// with gives the store's handle bound to ctx.
func (s *Store) with(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// BackupBase is how the names of this database's backups begin: the file's
// name without its extension, or the PostgreSQL database's name.
func (s *Store) BackupBase() string {
	if s.d == postgresDialect {
		if u, err := url.Parse(s.dsn); err == nil && strings.Trim(u.Path, "/") != "" {
			return strings.Trim(u.Path, "/")
		}
		return "rapport"
	}
	return strings.TrimSuffix(filepath.Base(s.path), filepath.Ext(s.path))
}

// BackupsDir is the folder beside the database where copies are kept.
func (s *Store) BackupsDir() string { return filepath.Join(s.dir, "backups") }

// Backup copies the whole database, consistently even while others write,
// into a new timestamped file in BackupsDir and returns its path. On
// PostgreSQL, see pgBackup.
func (s *Store) Backup(ctx context.Context, reason string) (string, error) {
	return s.BackupAt(ctx, reason, time.Now())
}

// BackupAt is Backup with the file named for the time at (the clock of the
// caller, which tests set).
func (s *Store) BackupAt(ctx context.Context, reason string, at time.Time) (string, error) {
	dir := s.BackupsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return s.backupIn(ctx, dir, reason, at, true)
}

// BackupInto is Backup into a folder of the owner's choice (a USB stick):
// the same consistent copy (a pg_dump file on PostgreSQL) under the same
// name as in BackupsDir, so that File → Backups → From a file… restores it.
// The folder must exist: a stick not plugged in is not created as a folder.
// Its mode is made private where the file system can (FAT cannot).
func (s *Store) BackupInto(ctx context.Context, dir, reason string, at time.Time) (string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("backup to %s: %w", dir, err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("backup to %s: not a folder", dir)
	}
	return s.backupIn(ctx, dir, reason, at, false)
}

// backupIn writes the copy into dir; strict refuses a file whose mode
// cannot be made private.
func (s *Store) backupIn(ctx context.Context, dir, reason string, at time.Time, strict bool) (string, error) {
	if s.d == postgresDialect {
		return s.pgBackup(ctx, dir, reason, at, strict)
	}
	base := s.BackupBase()
	stamp := at.UTC().Format("20060102-150405")
	// VACUUM INTO refuses an existing target; two backups in one second get
	// a counter.
	target, err := freeName(dir, fmt.Sprintf("%s-%s-%s", base, stamp, reason), "db")
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	// Written under another name and renamed when whole and on disk: a
	// backup cut short (a crash, a full disk) must never pass for one, and
	// old backups are removed once the day's exists.
	partial := target + ".partial"
	_ = os.Remove(partial) // left by a crash; VACUUM INTO refuses an existing file
	if err := s.with(ctx).Exec("VACUUM INTO ?", partial).Error; err != nil {
		_ = os.Remove(partial)
		return "", fmt.Errorf("backup to %s: %w", target, err)
	}
	if err := syncPrivate(partial, strict); err != nil {
		_ = os.Remove(partial)
		return "", fmt.Errorf("backup to %s: %w", target, err)
	}
	if err := os.Rename(partial, target); err != nil {
		_ = os.Remove(partial)
		return "", fmt.Errorf("backup to %s: %w", target, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return target, nil
}

// syncPrivate makes a file readable by the owner only and flushes it to
// disk. Not strict, a file system without modes (a FAT stick) is no error.
func syncPrivate(path string, strict bool) error {
	if err := os.Chmod(path, 0o600); err != nil && strict {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict ("ok"
// when the file is sound). PostgreSQL has no such check of its own (amcheck
// is an extension a shop's server may lack): there every table is read
// through, which fails on a page that cannot be read, and the search index
// is checked to hold every contact.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	if s.d == postgresDialect {
		return s.pgIntegrityCheck(ctx)
	}
	var result string
	if err := s.with(ctx).Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return result, nil
}

// Checkpoint copies everything the write-ahead log holds into the database
// file and empties the log, so that the file alone is the whole database.
func (s *Store) Checkpoint(ctx context.Context) error {
	if err := s.with(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return fmt.Errorf("checkpoint %s: %w", s.path, err)
	}
	return nil
}

// ErrNotDatabase means a file is not a Rapport database this program can use.
var ErrNotDatabase = errors.New("not a Rapport database")

// CheckFile tells whether the file at path is a sound Rapport database that
// this build can open: SQLite can read it, its integrity check passes, it
// holds no broken references, its schema is not newer than ours, and it
// holds no table, index, view or trigger that Rapport's own migrations
// would not have made (or made otherwise). It returns the file's schema
// version and writes nothing; the error says what is wrong but not which
// file (the caller knows the name the owner gave). Damage is a
// *DamagedError.
func CheckFile(ctx context.Context, path string) (version int, err error) {
	if err := checkIsFile(path); err != nil {
		return 0, err
	}
	db, closeDB, err := openToCheck(ctx, path)
	if err != nil {
		return 0, err
	}
	defer closeDB()
	if err := checkIntegrity(path, db); err != nil {
		return 0, err
	}
	if version, err = rapportVersion(db); err != nil {
		return 0, err
	}
	if version > SchemaVersion() {
		return version, fmt.Errorf("schema version %d, this program knows up to %d: %w", version, SchemaVersion(), ErrNewerSchema)
	}
	if err := checkSchemaObjects(ctx, db, version); err != nil {
		return version, err
	}
	if err := checkReferences(db); err != nil {
		return version, err
	}
	return version, nil
}

// checkIsFile refuses what CheckFile cannot even hand to SQLite: a pipe or
// device, a folder, an empty file.
func checkIsFile(path string) error {
	if err := CheckNotSpecial(path); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.IsDir() {
		return fmt.Errorf("a folder, not a database file: %w", ErrNotDatabase)
	}
	if info.Size() == 0 {
		return fmt.Errorf("the file is empty: %w", ErrNotDatabase)
	}
	return nil
}

// unreadable is the error for a file at path that SQLite failed to read
// with err.
func unreadable(path string, err error) error {
	// A file that begins as SQLite's do but that SQLite cannot read is a
	// damaged database (cut short, say), not some other kind of file.
	if looksLikeSQLite(path) {
		return &DamagedError{Detail: err.Error()}
	}
	return fmt.Errorf("%w (SQLite cannot read it: %v)", ErrNotDatabase, err)
}

// openToCheck opens the SQLite file at path to read only, for CheckFile;
// closeDB lets go of it.
func openToCheck(ctx context.Context, path string) (db *gorm.DB, closeDB func(), err error) {
	q := url.Values{}
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err = gorm.Open(sqlite.Open(path+"?"+q.Encode()), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, nil, unreadable(path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	return db.WithContext(ctx), func() { sqlDB.Close() }, nil
}

// checkIntegrity runs SQLite's integrity check on db, the file at path;
// damage is a *DamagedError naming the first few problems.
func checkIntegrity(path string, db *gorm.DB) error {
	var result []string
	if err := db.Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return unreadable(path, err)
	}
	if len(result) != 1 || result[0] != "ok" {
		if len(result) > 3 {
			result = append(result[:3], "…")
		}
		return &DamagedError{Detail: "integrity check: " + strings.Join(result, "; ")}
	}
	return nil
}

// rapportVersion is the schema version of db, which must hold Rapport's
// tables.
func rapportVersion(db *gorm.DB) (version int, err error) {
	var tables []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'contacts')").Scan(&tables).Error; err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNotDatabase, err)
	}
	if len(tables) != 2 {
		return 0, fmt.Errorf("a SQLite database, but without Rapport's tables: %w", ErrNotDatabase)
	}
	if err := db.Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version).Error; err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNotDatabase, err)
	}
	return version, nil
}

// checkReferences refuses a file with rows that name missing rows.
func checkReferences(db *gorm.DB) error {
	var broken []struct {
		Table  string
		Parent string
	}
	if err := db.Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil {
		return fmt.Errorf("check references: %w", err)
	}
	if len(broken) > 0 {
		return fmt.Errorf("the file holds %d broken references (the first: a row of %s names a missing row of %s)",
			len(broken), broken[0].Table, broken[0].Parent)
	}
	return nil
}

// DamagedError is a database file SQLite finds damaged; Detail says how.
// ExplainError leaves it as it is: it names the file it is about.
type DamagedError struct{ Detail string }

func (e *DamagedError) Error() string { return "the file is damaged (" + e.Detail + ")" }

// looksLikeSQLite reports whether the file begins with SQLite's header.
func looksLikeSQLite(path string) bool {
	f, err := OpenToRead(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == "SQLite format 3\x00"
}

// freeName is dir/stem.ext, or dir/stem-N.ext for the first N from 2 that
// names no file yet. Any answer from the file system other than "no such
// file" (a name too long, a folder that can't be searched) is returned
// rather than tried again with the next number.
func freeName(dir, stem, ext string) (string, error) {
	target := filepath.Join(dir, stem+"."+ext)
	for i := 2; i < 1000; i++ {
		_, err := os.Lstat(target)
		if errors.Is(err, os.ErrNotExist) {
			return target, nil
		}
		if err != nil {
			return "", err
		}
		target = filepath.Join(dir, fmt.Sprintf("%s-%d.%s", stem, i, ext))
	}
	return "", fmt.Errorf("%s: a thousand backups in one second", filepath.Join(dir, stem+"."+ext))
}

// CopyFilesAt copies the database file, and its write-ahead log if there is
// one, byte for byte into the backups folder under a backup's name: the
// copy kept of a database too damaged for VACUUM INTO. SQLite only.
func (s *Store) CopyFilesAt(ctx context.Context, reason string, at time.Time) (string, error) {
	if s.d == postgresDialect {
		return "", fmt.Errorf("copy %s: not a file", s.path)
	}
	dir := s.BackupsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("copy %s: %w", s.path, err)
	}
	target, err := freeName(dir, fmt.Sprintf("%s-%s-%s", s.BackupBase(), at.UTC().Format("20060102-150405"), reason), "db")
	if err != nil {
		return "", fmt.Errorf("copy %s: %w", s.path, err)
	}
	for _, suffix := range []string{"-wal", ""} { // the log first: the file without it is the older state
		from, to := s.path+suffix, target+suffix
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if err := copyPrivate(from, to); err != nil {
			if suffix != "" && errors.Is(err, os.ErrNotExist) {
				continue
			}
			_ = os.Remove(target + "-wal")
			_ = os.Remove(target)
			return "", fmt.Errorf("copy %s: %w", from, err)
		}
	}
	return target, nil
}

// copyPrivate copies a file to a new file readable by the owner only, on
// disk when it returns.
func copyPrivate(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	return out.Close()
}
