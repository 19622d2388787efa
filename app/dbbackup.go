package app

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/dustin/go-humanize"

	"github.com/rapportjournal/rapport/app/dbcopy"
)

// Backups lists the backups of the database, newest first.
func (s *Service) Backups(ctx context.Context) ([]dbcopy.File, error) {
	return dbcopy.List(s.store().BackupsDir(), s.store().BackupBase())
}

// BackUpNow makes a backup of the database at once.
func (s *Service) BackUpNow(ctx context.Context) (dbcopy.File, error) {
	path, err := s.store().BackupAt(ctx, dbcopy.Manual, s.now())
	if err != nil {
		return dbcopy.File{}, err
	}
	b, ok := dbcopy.Stat(path, s.store().BackupBase())
	if !ok {
		return dbcopy.File{}, fmt.Errorf("backup %s: not found after writing it", path)
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
	path, err := s.store().BackupInto(ctx, dir, dbcopy.Manual, s.now())
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
// have rotated out (see dbcopy.Keep). made is "" when no backup was needed.
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
	if !dbcopy.MadeToday(list, now) {
		n, err := s.store().CountContacts(ctx)
		if err != nil {
			return "", nil, err
		}
		if n == 0 {
			return "", nil, nil
		}
		if made, err = s.store().BackupAt(ctx, dbcopy.Daily, now); err != nil {
			return "", nil, fmt.Errorf("daily backup: %w", err)
		}
		if list, err = s.Backups(ctx); err != nil {
			return made, nil, err
		}
	}
	_, drop := dbcopy.Keep(list, now)
	for _, b := range drop {
		if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return made, removed, fmt.Errorf("remove old backup: %w", err)
		}
		removed = append(removed, b.Path)
	}
	return made, removed, nil
}

// FormatSize writes a file size for people, in SI units as file managers
// show them: "812 kB", "109 MB", "1.2 GB".
func FormatSize(n int64) string {
	if n < 0 {
		n = 0
	}
	return humanize.Bytes(uint64(n))
}
