package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rapportjournal/rapport/model"
)

// WriteFileAtomically writes to a temporary file beside path, flushes it to
// the disk and renames it into place (and flushes the folder), so that a
// failed or cancelled export or print, or a power cut, never leaves half a
// file under the name, nor a file in a hidden folder.
func WriteFileAtomically(path string, write func(io.Writer) error) error {
	if err := CheckOutputName(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// CheckOutputName refuses to write over anything but a plain file: the
// rename would replace a device, a named pipe or a socket with a file, and
// a symbolic link with a file of its own rather than write where it points.
func CheckOutputName(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	switch kind := model.FileKind(info.Mode()); {
	case kind == "":
		return nil
	case info.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("write %s: it is a symbolic link; name the file it points to, or a new file", path)
	default:
		return fmt.Errorf("write %s: it is %s, not a file; name a file, or a new one", path, kind)
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
