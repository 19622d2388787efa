package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rapportjournal/rapport/app/dbcopy"
	"github.com/rapportjournal/rapport/model"
)

// RestoreFileReport says what replacing the database with a backup did.
type RestoreFileReport struct {
	Kept     string // the backup of the database as it was before
	KeptAsIs bool   // Kept is a plain copy of the files: SQLite could not read them through
	Warning  string // something the owner should know about a restore that worked
	Migrated bool   // the file was from an older Rapport and was brought up to date
}

// RestoreFile replaces the database with the database file at path (a
// backup from the backups folder, or any Rapport database file). The file is
// copied beside the database and the copy checked first: SQLite must read
// it, its integrity check pass, and its schema be no newer than this
// program's; otherwise nothing changes and the error names the file. Then
// the database as it is is kept as a before-restore backup, the store is
// closed, the copy renamed into place, and the database opened again
// (migrating an older file, which backs it up first). progress, when not
// nil, hears each step.
func (s *Service) RestoreFile(ctx context.Context, path string, progress func(step string)) (RestoreFileReport, error) {
	if progress == nil {
		progress = func(string) {}
	}
	fail := func(err error) (RestoreFileReport, error) {
		return RestoreFileReport{}, fmt.Errorf("restore %s: %w", path, err)
	}
	st := s.store()
	if st.IsPostgres() {
		return fail(errors.New("a shared PostgreSQL database is restored with psql from a pg_dump backup " +
			"(psql -d DATABASE -f FILE.sql, on a new empty database); Rapport restores SQLite files only"))
	}
	if err := dbcopy.CheckSource(path, st.Path()); err != nil {
		return fail(err)
	}
	progress("Checking " + filepath.Base(path) + "…")
	tmp, version, err := checkedCopy(ctx, path, st.Path())
	if tmp != "" {
		defer dbcopy.Remove(tmp) // gone once renamed; left behind by any failure
	}
	if _, ok := errors.AsType[*BackupDamagedError](err); ok {
		return RestoreFileReport{}, err
	}
	if err != nil {
		return fail(err)
	}
	report := RestoreFileReport{Migrated: version < model.SchemaVersion()}

	// Refused, before anything is written, while another window or command
	// has the database open or an import runs; from here until the swap
	// nobody else opens it (Open waits) nor starts an import.
	alone, err := st.Alone()
	if err != nil {
		return fail(err)
	}
	defer alone()
	progress("Keeping the current database as a backup…")
	if report.Kept, report.KeptAsIs, err = s.keepCurrent(ctx); err != nil {
		return fail(err)
	}
	// From here on the work runs to its end: a cancelled context must not
	// leave the database closed or half swapped.
	ctx = context.WithoutCancel(ctx)
	progress("Replacing the database…")
	if err := s.swapIn(ctx, tmp, alone); err != nil {
		return fail(err)
	}
	progress("Opening the restored database…")
	if err := s.reopen(ctx, report.Kept); err != nil {
		return fail(err)
	}
	report.Warning = s.loadRestoredSettings(ctx)
	return report, nil
}

// checkedCopy copies the file at path beside the database at dbPath and
// checks the copy, giving its schema version. A damaged file is a
// *BackupDamagedError. tmp is set whenever a copy was made, to be removed.
func checkedCopy(ctx context.Context, path, dbPath string) (tmp string, version int, err error) {
	tmp, err = dbcopy.CopyBeside(ctx, path, dbPath)
	if err != nil {
		return "", 0, err
	}
	version, err = model.CheckFile(ctx, tmp)
	if _, ok := errors.AsType[*model.DamagedError](err); ok {
		return tmp, 0, &BackupDamagedError{Path: path, err: err}
	}
	return tmp, version, err
}

// keepCurrent keeps the database as it is as a before-restore backup. A
// damaged database, the very reason to restore, can't be copied page by
// page: its files are kept as they are instead (asIs).
func (s *Service) keepCurrent(ctx context.Context) (kept string, asIs bool, err error) {
	st := s.store()
	kept, err = st.BackupAt(ctx, dbcopy.BeforeRestore, s.now())
	if err == nil {
		return kept, false, nil
	}
	kept, rawErr := st.CopyFilesAt(ctx, dbcopy.BeforeRestore, s.now())
	if rawErr != nil {
		return "", false, fmt.Errorf("keep the current database first: %w (a plain copy failed too: %v)", err, rawErr)
	}
	return kept, true, nil
}

// reopen opens the database just swapped in. If it can't be opened, the
// database is put back as it was from kept, the copy made before the swap.
func (s *Service) reopen(ctx context.Context, kept string) error {
	dbPath := s.store().Path()
	reopened, err := model.Open(ctx, dbPath)
	if err == nil {
		s.db.Store(reopened)
		return nil
	}
	back, copyErr := dbcopy.CopyBeside(ctx, kept, dbPath)
	if copyErr == nil {
		copyErr = os.Rename(back, dbPath)
	}
	if again, openErr := model.Open(ctx, dbPath); openErr == nil {
		s.db.Store(again)
	}
	if copyErr != nil {
		return fmt.Errorf("%w; putting the database back failed too (%v): it is kept in %s", err, copyErr, kept)
	}
	return fmt.Errorf("%w; the database was put back as it was", err)
}

// loadRestoredSettings takes the restored database's settings: the old ones
// must not linger where it holds none. The restore itself is done, and the
// views must show it: a setting that can't be read is said (the warning
// returned), not turned into a failure.
func (s *Service) loadRestoredSettings(ctx context.Context) (warning string) {
	s.rules.Store(DefaultReliabilityRules())
	if err := s.LoadSettings(ctx); err != nil {
		return fmt.Sprintf("the restored database's settings could not be read (%v); the defaults are used", err)
	}
	return ""
}

// swapIn closes the store and renames the checked copy tmp over its file,
// then lets go of the store being alone (see model.Store.Alone) before it is
// opened again. If this window's own background work (the day's rescoring
// at start) still has a connection open, the file is not replaced and the
// store is opened again.
func (s *Service) swapIn(ctx context.Context, tmp string, alone func()) error {
	st := s.store()
	dbPath := st.Path()
	if err := st.Checkpoint(ctx); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("close the database: %w", err)
	}
	reopen := func() {
		alone()
		if again, openErr := model.Open(ctx, dbPath); openErr == nil {
			s.db.Store(again)
		}
	}
	// The last connection to close removes the write-ahead log: other
	// processes are shut out by now, so one still there is this process's.
	if _, err := os.Stat(dbPath + "-wal"); err == nil {
		reopen()
		return errors.New("this window is still rescoring; wait a moment and try again")
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		reopen()
		return fmt.Errorf("replace the database: %w", err)
	}
	_ = os.Remove(dbPath + "-shm") // a stale index of the old file's log
	err := syncDir(filepath.Dir(dbPath))
	alone()
	return err
}

// BackupDamagedError is a file given to restore that SQLite found damaged
// (cut short, a page overwritten): the backup, not the database in use.
type BackupDamagedError struct {
	Path string
	err  error // a *model.DamagedError
}

func (e *BackupDamagedError) Error() string {
	detail := e.err.Error()
	if de, ok := errors.AsType[*model.DamagedError](e.err); ok {
		detail = de.Detail
	}
	return fmt.Sprintf("the backup file %s is damaged (%s): nothing was changed", e.Path, detail)
}

func (e *BackupDamagedError) Unwrap() error { return e.err }
