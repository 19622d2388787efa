package model

import (
	"fmt"
	"io/fs"
	"os"
)

// FileKind names what a file of this mode is when it is no plain file: "a
// named pipe (FIFO)", "a device", "a socket", "a folder", "a symbolic link"
// (for a mode from Lstat); "" for a regular file.
func FileKind(mode fs.FileMode) string {
	switch {
	case mode.IsRegular():
		return ""
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	case mode.IsDir():
		return "a folder"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a plain file"
}

// NotAFileError is a path that names a named pipe, a device or a socket
// where a file was wanted: reading one may never end, or wait forever for a
// writer.
type NotAFileError struct {
	Path string
	Kind string // as FileKind says
}

func (e *NotAFileError) Error() string {
	return fmt.Sprintf("%s is %s, not a file", e.Path, e.Kind)
}

// special reports whether a mode is a named pipe, device or socket (or any
// other kind that is neither a plain file nor a folder).
func special(mode fs.FileMode) bool {
	return !mode.IsRegular() && !mode.IsDir()
}

// CheckNotSpecial refuses a path that names a named pipe, a device or a
// socket, before anything opens it (opening a FIFO waits for a writer). A
// missing file or a folder passes: the caller says what it says of those.
func CheckNotSpecial(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if special(info.Mode()) {
		return &NotAFileError{Path: path, Kind: FileKind(info.Mode())}
	}
	return nil
}

// OpenToRead opens a file to read it, refusing a named pipe, a device or a
// socket without waiting on it (see openNoWait). A folder opens, for the
// caller to refuse in its words.
func OpenToRead(path string) (*os.File, error) {
	return openChecked(path, os.O_RDONLY)
}

// openChecked opens path with flag, refusing a named pipe, device or socket
// by looking first and, once open, at what was opened (the name may have
// been swapped between the two).
func openChecked(path string, flag int) (*os.File, error) {
	if err := CheckNotSpecial(path); err != nil {
		return nil, err
	}
	f, err := openNoWait(path, flag)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if special(info.Mode()) {
		f.Close()
		return nil, &NotAFileError{Path: path, Kind: FileKind(info.Mode())}
	}
	return f, nil
}
