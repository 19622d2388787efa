package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rapportjournal/rapport/model"
)

// CheckSource refuses, before anything is copied, a file at path that
// cannot be restored over the database at dbPath: a named pipe, device or
// socket (copying /dev/zero never ends, a FIFO waits forever for a
// writer), the database itself, or a file whose write-ahead log holds
// changes not yet in it. It also removes the copies earlier restores left
// when they were cut short (a crash, a power cut) before this one makes its
// own; a restore under way in another process has the database open, and
// the swap refuses one of the two.
func CheckSource(path, dbPath string) error {
	if err := model.CheckNotSpecial(path); err != nil {
		return err
	}
	if _, err := model.RemoveRestoreCopies(dbPath, 0); err != nil {
		return err
	}
	if same, err := samePath(path, dbPath); err != nil {
		return err
	} else if same {
		return errors.New("that is the database in use, not a backup of it")
	}
	if info, err := os.Stat(path + "-wal"); err == nil && info.Size() > 0 {
		return fmt.Errorf("%s beside it holds changes not yet written into it: open it with Rapport once (rapport --db %s list) and try again",
			filepath.Base(path)+"-wal", path)
	}
	return nil
}

// CopyBeside copies the file at src to a new private file in the folder of
// dst, synced to disk, and returns its path. Remove takes it away again.
func CopyBeside(ctx context.Context, src, dst string) (string, error) {
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

// Remove removes a database file and the log files SQLite may have left
// beside it.
func Remove(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
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
