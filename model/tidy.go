package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleRestoreCopy is how old a restore's copy must be for Open to remove
// it. A restore copies the file, checks it and backs up the database
// before it renames the copy into place: seconds, a minute for a large
// file from a slow stick. Once a restore refuses to start while anyone
// else has the database open (the cross-process lock), no restore can be
// under way elsewhere while this process opens it, and any copy is a
// crash's leftover; the age stays as a second guard.
const staleRestoreCopy = 10 * time.Minute

// RestoreCopyPrefix is how the name of a restore's copy of a file begins,
// in the folder of the database at dbPath: ".shop.db.restore-".
func RestoreCopyPrefix(dbPath string) string {
	return "." + filepath.Base(dbPath) + ".restore-"
}

// RemoveRestoreCopies removes the copies that restores of the database at
// dbPath left beside it (a crash or a power cut part way), and the log
// files SQLite made beside them, of those last written more than olderThan
// ago. It returns the paths it removed.
func RemoveRestoreCopies(dbPath string, olderThan time.Duration) ([]string, error) {
	dir := filepath.Dir(dbPath)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("remove restore leftovers in %s: %w", dir, err)
	}
	prefix := RestoreCopyPrefix(dbPath)
	var removed []string
	var errs []error
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < olderThan {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, path)
	}
	return removed, errors.Join(errs...)
}

// tidyFiles, at open, removes what crashed restores left beside the
// database and makes the database, its log files and its backups readable
// by the owner only, saying so once (the next open finds nothing to do).
// Neither stops the open: failing to tidy loses nothing.
func (s *Store) tidyFiles() {
	if removed, err := RemoveRestoreCopies(s.path, staleRestoreCopy); err != nil {
		s.logf("rapport: %v", err)
	} else if len(removed) > 0 {
		s.logf("rapport: removed %d files a restore cut short left beside %s", len(removed), s.path)
	}
	loose := tightenModes(s.path, s.BackupsDir())
	if len(loose) == 0 {
		return
	}
	if len(loose) > 3 {
		loose = append(loose[:3], fmt.Sprintf("and %d more", len(loose)-3))
	}
	s.logf("rapport: other users could read %s; they are now readable by you only (mode 0600)", strings.Join(loose, ", "))
}
