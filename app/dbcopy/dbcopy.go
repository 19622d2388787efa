// Package dbcopy owns the copies of the database kept in the backups folder
// beside it: the kinds and names of those copies, listing them, which ones
// rotation keeps, and the file work of restoring one (refusing what cannot
// be a backup, a checked private copy synced beside the database). It opens
// no database: app's use cases make the copies through the store, and swap
// a restored one in.
package dbcopy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The kinds of copy kept in backups/ beside the database. Migration copies
// are "before-vN" (see model.Open).
const (
	Daily         = "daily"          // made on start, at most once a day
	Manual        = "manual"         // rapport backup, File → Backups → Back up now
	BeforeRestore = "before-restore" // the database as it was before a restore
)

// File is one database copy in the backups folder.
type File struct {
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

// List lists the copies in dir of the database named base, newest first;
// none if dir does not exist.
func List(dir, base string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	name := backupName(base)
	var out []File
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if b, ok := stat(filepath.Join(dir, e.Name()), name); ok {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b File) int {
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

// Stat reads what the name and size of the copy at path say, ok false for
// a file that is not a copy of the database named base.
func Stat(path, base string) (File, bool) {
	return stat(path, backupName(base))
}

func stat(path string, name *regexp.Regexp) (File, bool) {
	m := name.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return File{}, false
	}
	t, err := time.ParseInLocation(stampLayout, m[1], time.UTC)
	if err != nil {
		return File{}, false
	}
	info, err := os.Stat(path)
	if err != nil {
		return File{}, false // removed meanwhile
	}
	return File{Path: path, Time: t, Kind: m[2], Size: info.Size(), written: info.ModTime()}, true
}
