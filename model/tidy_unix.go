//go:build unix

package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tightenModes makes the database, its -wal and -shm files, and every file
// in its backups folder readable by the owner only where group or others
// could read or write them (an older Rapport, a copy, a umask), and the
// backups folder private. It returns what it changed, with the old modes.
func tightenModes(dbPath, backupsDir string) []string {
	var changed []string
	tighten := func(path string, mode os.FileMode) {
		info, err := os.Lstat(path)
		if err != nil || info.Mode().Perm()&0o077 == 0 {
			return
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return
		}
		if os.Chmod(path, mode) == nil {
			changed = append(changed, fmt.Sprintf("%s (was %04o)", path, info.Mode().Perm()))
		}
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		tighten(dbPath+suffix, 0o600)
	}
	entries, err := os.ReadDir(backupsDir)
	if err != nil {
		return changed
	}
	tighten(backupsDir, 0o700)
	for _, e := range entries {
		// A backup another process is writing right now (VACUUM INTO
		// makes it with the umask's mode) is made private by that process
		// once it is whole: not ours to touch, nor to report.
		if e.Type().IsRegular() && !strings.Contains(e.Name(), ".partial") {
			tighten(filepath.Join(backupsDir, e.Name()), 0o600)
		}
	}
	return changed
}
