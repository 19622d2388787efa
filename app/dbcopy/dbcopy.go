package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/rapportjournal/rapport/model"
)

// The kinds of backup file kept in backups/ beside the database. Migration
// backups are "before-vN" (see model.Open).
const (
	BackupDaily         = "daily"          // made on start, at most once a day
	BackupManual        = "manual"         // rapport backup, File → Backups → Back up now
	BackupBeforeRestore = "before-restore" // the database as it was before a restore
)

// How long backups are kept: the newest daily backup of each of the last
// keepDays days and of each of the last keepMonths months; every other kind
// for keepMonths months.
const (
	keepDays   = 14
	keepMonths = 12
)

// BackupFile is one database copy in the backups folder.
type BackupFile struct {
	Path string
	Time time.Time // when it was made, from its name
	Kind string    // daily, manual, before-restore or before-vN
	Size int64     // bytes

	written time.Time // when the file was last written: the order within one second
}

// stampLayout is how model.Store.Backup writes the time into a name (UTC).
const stampLayout = "20060102-150405"

// backupName matches the names model.Store.Backup gives for a database
// named base: base-YYYYMMDD-HHMMSS-kind.db, with -N before .db for a second
// backup within one second. Nothing else in the folder is ever removed.
func backupName(base string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(base) +
		`-([0-9]{8}-[0-9]{6})-(daily|manual|before-restore|before-v[0-9]+)(?:-[0-9]+)?\.(?:db|sql)$`)
}

// Backups lists the backups of the database, newest first.
func (s *Service) Backups(ctx context.Context) ([]BackupFile, error) {
	dir := s.store().BackupsDir()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []BackupFile
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if b, ok := s.backupFile(filepath.Join(dir, e.Name())); ok {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b BackupFile) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		if c := b.written.Compare(a.written); c != 0 {
			return c
		}
		return strings.Compare(b.Path, a.Path)
	})
	return out, nil
}

// backupFile reads what a backup's name and size say, ok false for a file
// that is not one of this database's backups.
func (s *Service) backupFile(path string) (BackupFile, bool) {
	m := backupName(s.store().BackupBase()).FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return BackupFile{}, false
	}
	t, err := time.ParseInLocation(stampLayout, m[1], time.UTC)
	if err != nil {
		return BackupFile{}, false
	}
	info, err := os.Stat(path)
	if err != nil {
		return BackupFile{}, false // removed meanwhile
	}
	return BackupFile{Path: path, Time: t, Kind: m[2], Size: info.Size(), written: info.ModTime()}, true
}

// BackUpNow makes a backup of the database at once.
func (s *Service) BackUpNow(ctx context.Context) (BackupFile, error) {
	path, err := s.store().BackupAt(ctx, BackupManual, s.now())
	if err != nil {
		return BackupFile{}, err
	}
	b, ok := s.backupFile(path)
	if !ok {
		return BackupFile{}, fmt.Errorf("backup %s: not found after writing it", path)
	}
	return b, nil
}

// BackupCopy is a backup made in a folder of the owner's choice.
type BackupCopy struct {
	Path string
	Size int64 // bytes
	// Dump: on PostgreSQL the copy is a pg_dump SQL file, restored with
	// psql -d EMPTYDB -f FILE rather than File → Backups.
	Dump bool
}

// BackUpTo copies the database, consistently even while others write, into
// dir (a USB stick, another disk), named as a manual backup. On SQLite a
// whole database file that File → Backups → From a file… restores; on
// PostgreSQL a pg_dump file.
func (s *Service) BackUpTo(ctx context.Context, dir string) (BackupCopy, error) {
	path, err := s.store().BackupInto(ctx, dir, BackupManual, s.now())
	if err != nil {
		return BackupCopy{}, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return BackupCopy{}, fmt.Errorf("backup %s: %w", path, err)
	}
	return BackupCopy{Path: path, Size: info.Size(), Dump: s.store().IsPostgres()}, nil
}

// DailyBackup makes the day's backup, unless one was made today already or
// the database holds no contacts yet, and then removes the backups that
// have rotated out (see KeepBackups). made is "" when no backup was needed.
// Nothing is removed unless today's backup exists.
func (s *Service) DailyBackup(ctx context.Context) (made string, removed []string, err error) {
	// Two windows or commands started at once: one makes it, the others
	// leave it to that one. Looked for only once the lock is held, so that
	// one made meanwhile is seen.
	unlock, ok, err := s.store().TryLockBackups()
	if err != nil || !ok {
		return "", nil, err
	}
	defer unlock()
	now := s.now()
	list, err := s.Backups(ctx)
	if err != nil {
		return "", nil, err
	}
	if !slices.ContainsFunc(list, func(b BackupFile) bool { return b.Kind == BackupDaily && sameDay(b.Time, now) }) {
		n, err := s.store().CountContacts(ctx)
		if err != nil {
			return "", nil, err
		}
		if n == 0 {
			return "", nil, nil
		}
		if made, err = s.store().BackupAt(ctx, BackupDaily, now); err != nil {
			return "", nil, fmt.Errorf("daily backup: %w", err)
		}
		if list, err = s.Backups(ctx); err != nil {
			return made, nil, err
		}
	}
	_, drop := KeepBackups(list, now)
	for _, b := range drop {
		if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return made, removed, fmt.Errorf("remove old backup: %w", err)
		}
		removed = append(removed, b.Path)
	}
	return made, removed, nil
}

// sameDay reports whether a and b fall on one calendar day where b is.
func sameDay(a, b time.Time) bool {
	a = a.In(b.Location())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// KeepBackups splits backups into those to keep and those to remove as of
// now. Daily backups rotate by KeepDaily; every other kind (manual, before a
// restore, before a migration: each made for a reason) is kept whole for the
// last keepMonths calendar months. A backup dated after now (the clock was
// set back) is kept.
func KeepBackups(backups []BackupFile, now time.Time) (keep, drop []BackupFile) {
	var daily []time.Time
	var dailyIdx []int
	for i, b := range backups {
		if b.Kind == BackupDaily {
			daily = append(daily, b.Time)
			dailyIdx = append(dailyIdx, i)
		}
	}
	keepDaily := make(map[int]bool, len(daily))
	for j, k := range KeepDaily(daily, now) {
		keepDaily[dailyIdx[j]] = k
	}
	first := firstMonth(now)
	for i, b := range backups {
		var k bool
		if b.Kind == BackupDaily {
			k = keepDaily[i]
		} else {
			k = b.Time.After(now) || !b.Time.In(now.Location()).Before(first)
		}
		if k {
			keep = append(keep, b)
		} else {
			drop = append(drop, b)
		}
	}
	return keep, drop
}

// KeepDaily picks from the times daily backups were made those to keep as
// of now: the newest of each of the last 14 calendar days (today included)
// and the newest of each of the last 12 calendar months (this month
// included), days as now's location sees them, and always the newest of
// all. Times after now are kept. keep[i] answers for stamps[i]; of two
// equal times the later in the list counts as the newer.
func KeepDaily(stamps []time.Time, now time.Time) []bool {
	loc := now.Location()
	y, m, d := now.Date()
	firstDay := time.Date(y, m, d-(keepDays-1), 0, 0, 0, 0, loc)
	first := firstMonth(now)
	keep := make([]bool, len(stamps))
	newestOfDay := map[time.Time]int{}
	newestOfMonth := map[time.Time]int{}
	newest := -1
	newer := func(i, j int) bool { return !stamps[i].Before(stamps[j]) } // i at least as new as j, i later
	for i, t := range stamps {
		if t.After(now) {
			keep[i] = true
			continue
		}
		if newest < 0 || newer(i, newest) {
			newest = i
		}
		lt := t.In(loc)
		day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
		month := time.Date(lt.Year(), lt.Month(), 1, 0, 0, 0, 0, loc)
		if !day.Before(firstDay) {
			if j, ok := newestOfDay[day]; !ok || newer(i, j) {
				newestOfDay[day] = i
			}
		}
		if !month.Before(first) {
			if j, ok := newestOfMonth[month]; !ok || newer(i, j) {
				newestOfMonth[month] = i
			}
		}
	}
	for _, i := range newestOfDay {
		keep[i] = true
	}
	for _, i := range newestOfMonth {
		keep[i] = true
	}
	if newest >= 0 {
		keep[newest] = true
	}
	return keep
}

// firstMonth is the start of the oldest month whose backups are kept.
func firstMonth(now time.Time) time.Time {
	y, m, _ := now.Date()
	return time.Date(y, m-(keepMonths-1), 1, 0, 0, 0, 0, now.Location())
}

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
	var report RestoreFileReport
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
	dbPath := st.Path()
	if err := beforeRestore(path, dbPath); err != nil {
		return fail(err)
	}
	if same, err := samePath(path, dbPath); err != nil {
		return fail(err)
	} else if same {
		return fail(errors.New("that is the database in use, not a backup of it"))
	}
	if info, err := os.Stat(path + "-wal"); err == nil && info.Size() > 0 {
		return fail(fmt.Errorf("%s beside it holds changes not yet written into it: open it with Rapport once (rapport --db %s list) and try again",
			filepath.Base(path)+"-wal", path))
	}

	progress("Checking " + filepath.Base(path) + "…")
	tmp, err := copyBeside(ctx, path, dbPath)
	if err != nil {
		return fail(err)
	}
	defer removeDB(tmp) // gone once renamed; left behind by any failure
	version, err := model.CheckFile(ctx, tmp)
	if _, ok := errors.AsType[*model.DamagedError](err); ok {
		return RestoreFileReport{}, &BackupDamagedError{Path: path, err: err}
	}
	if err != nil {
		return fail(err)
	}
	report.Migrated = version < model.SchemaVersion()

	// Refused, before anything is written, while another window or command
	// has the database open or an import runs; from here until the swap
	// nobody else opens it (Open waits) nor starts an import.
	alone, err := st.Alone()
	if err != nil {
		return fail(err)
	}
	defer alone()

	progress("Keeping the current database as a backup…")
	if report.Kept, err = st.BackupAt(ctx, BackupBeforeRestore, s.now()); err != nil {
		// A damaged database, the very reason to restore, can't be copied
		// page by page: keep its files as they are instead.
		kept, rawErr := st.CopyFilesAt(ctx, BackupBeforeRestore, s.now())
		if rawErr != nil {
			return fail(fmt.Errorf("keep the current database first: %w (a plain copy failed too: %v)", err, rawErr))
		}
		report.Kept, report.KeptAsIs = kept, true
	}

	// From here on the work runs to its end: a cancelled context must not
	// leave the database closed or half swapped.
	ctx = context.WithoutCancel(ctx)
	progress("Replacing the database…")
	if err := s.swapIn(ctx, tmp, alone); err != nil {
		return fail(err)
	}
	progress("Opening the restored database…")
	reopened, err := model.Open(ctx, dbPath)
	if err != nil {
		// Put the database back as it was, from the copy just made.
		back, copyErr := copyBeside(ctx, report.Kept, dbPath)
		if copyErr == nil {
			copyErr = os.Rename(back, dbPath)
		}
		if again, openErr := model.Open(ctx, dbPath); openErr == nil {
			s.db.Store(again)
		}
		if copyErr != nil {
			return fail(fmt.Errorf("%w; putting the database back failed too (%v): it is kept in %s", err, copyErr, report.Kept))
		}
		return fail(fmt.Errorf("%w; the database was put back as it was", err))
	}
	s.db.Store(reopened)
	// The settings are the restored database's: the old ones must not linger
	// where it holds none.
	s.rules.Store(DefaultReliabilityRules())
	if err := s.LoadSettings(ctx); err != nil {
		// The restore itself is done, and the views must show it: a
		// setting that can't be read is said, not turned into a failure.
		report.Warning = fmt.Sprintf("the restored database's settings could not be read (%v); the defaults are used", err)
	}
	return report, nil
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

// copyBeside copies the file at src to a new private file in the folder of
// dst, synced to disk, and returns its path.
func copyBeside(ctx context.Context, src, dst string) (string, error) {
	in, err := model.OpenToRead(src)
	if err != nil {
		return "", err // *PathError names the file
	}
	defer in.Close()
	if info, err := in.Stat(); err != nil {
		return "", err
	} else if info.IsDir() {
		return "", fmt.Errorf("%w: a folder, not a database file", model.ErrNotDatabase)
	}
	out, err := os.CreateTemp(filepath.Dir(dst), model.RestoreCopyPrefix(dst)+"*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, readerWithContext{ctx, in})
	if err == nil {
		err = out.Sync()
	}
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("copy: %w", err)
	}
	return out.Name(), nil
}

// beforeRestore refuses a named pipe, device or socket at once (copying
// /dev/zero never ends, a FIFO waits forever for a writer), and removes
// the copies earlier restores of the database left when they were cut
// short (a crash, a power cut) before this one makes its own. A restore
// under way in another process has the database open, and swapIn refuses
// one of the two.
func beforeRestore(path, dbPath string) error {
	if err := model.CheckNotSpecial(path); err != nil {
		return err
	}
	_, err := model.RemoveRestoreCopies(dbPath, 0)
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

// readerWithContext stops a copy when its context is done.
type readerWithContext struct {
	ctx context.Context
	r   io.Reader
}

func (r readerWithContext) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// removeDB removes a database file and the log files SQLite may have left
// beside it.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// samePath reports whether a and b name one file.
func samePath(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if errors.Is(err, os.ErrNotExist) {
		return false, os.ErrNotExist // the caller names the file
	}
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	return os.SameFile(ia, ib), nil
}

// FormatSize writes a file size for people, in SI units as file managers
// show them: "812 kB", "109 MB", "1.2 GB".
func FormatSize(n int64) string {
	if n < 0 {
		n = 0
	}
	return humanize.Bytes(uint64(n))
}
