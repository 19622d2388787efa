package app

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/rapportjournal/rapport/model"
)

// ErrUnreadable wraps the failure to read a file at all: missing, a folder,
// empty, another kind of file, or one holding nothing to import.
var ErrUnreadable = errors.New("cannot be read")

// openInput opens a file the owner chose to import, naming it in every
// error. A file that plainly is something else (a photo, an archive, a
// database) is named for what it is, rather than read as text for a
// puzzling "no cards" or JSON syntax error; want says what was expected,
// e.g. "a vCard file".
func openInput(path, want string) (*os.File, error) {
	// Refused before it is opened to read: a named pipe waits for a writer
	// forever, a device may never end.
	f, err := model.OpenToRead(path)
	if nf, ok := errors.AsType[*model.NotAFileError](err); ok {
		return nil, fmt.Errorf("%s %w: it is %s, not a file", path, ErrUnreadable, nf.Kind)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said once, first
		}
		return nil, fmt.Errorf("%s %w: %v", path, ErrUnreadable, err)
	}
	problem := ""
	info, err := f.Stat()
	switch {
	case err != nil:
		problem = err.Error()
	case info.IsDir():
		problem = "it is a folder"
	case !info.Mode().IsRegular():
		problem = "it is " + model.FileKind(info.Mode()) + ", not a file"
	case info.Mode().IsRegular() && info.Size() == 0:
		problem = "the file is empty"
	case info.Mode().IsRegular():
		head := make([]byte, 64)
		n, _ := f.ReadAt(head, 0)
		if kind := fileKind(head[:n]); kind != "" {
			problem = "it is " + kind + ", not " + want
		}
	}
	if problem != "" {
		f.Close()
		return nil, fmt.Errorf("%s %w: %s", path, ErrUnreadable, problem)
	}
	return f, nil
}

// fileKind names the kind of file its first bytes show, "" when they show
// none this program knows.
func fileKind(head []byte) string {
	for _, k := range []struct{ magic, kind string }{
		{"\x1f\x8b", "a gzip-compressed file (unpack it first)"},
		{"PK\x03\x04", "a ZIP archive (unpack it first)"},
		{"BZh", "a bzip2-compressed file (unpack it first)"},
		{"\xfd7zXZ\x00", "an xz-compressed file (unpack it first)"},
		{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (unpack it first)"},
		{"\x89PNG\r\n\x1a\n", "a PNG image"},
		{"\xff\xd8\xff", "a JPEG image"},
		{"GIF8", "a GIF image"},
		{"%PDF-", "a PDF document"},
		{"SQLite format 3\x00", "a database file (SQLite)"},
		{"\x7fELF", "a program"},
		{"MZ", "a Windows program"},
	} {
		if bytes.HasPrefix(head, []byte(k.magic)) {
			return k.kind
		}
	}
	return ""
}
