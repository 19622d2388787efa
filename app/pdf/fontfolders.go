package pdf

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// FontFolders finds fonts by reading the folders a system keeps them in,
// where no fontconfig runs (Windows, macOS): every single TrueType file
// (.ttf; fpdf embeds neither collections nor CFF outlines) whose character
// map has the rune, the folders' preferred names first, then by name.
// Only the header and the character map of each file are read.
type FontFolders struct {
	Dirs []string
	// Prefer names files (without folder, any case) to try first: fonts
	// known to cover many scripts well.
	Prefer []string
}

// maxFontFiles bounds the files one lookup opens: a font folder holds a
// few hundred.
const maxFontFiles = 5000

// FontsFor names the TrueType files in the folders that have r.
func (f FontFolders) FontsFor(ctx context.Context, r rune) ([]string, error) {
	var found []string
	var buf sfnt.Buffer
	seen := 0
	for _, dir := range f.Dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // an unreadable folder is skipped, not fatal
			}
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".ttf") {
				return nil
			}
			if seen++; seen > maxFontFiles {
				return fs.SkipAll
			}
			if fileHasRune(path, &buf, r) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rank := func(path string) int {
		base := strings.ToLower(filepath.Base(path))
		if i := slices.IndexFunc(f.Prefer, func(p string) bool { return strings.ToLower(p) == base }); i >= 0 {
			return i
		}
		return len(f.Prefer)
	}
	slices.SortStableFunc(found, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(strings.ToLower(filepath.Base(a)), strings.ToLower(filepath.Base(b)))
	})
	return found, nil
}

// fileHasRune reads the font at path lazily and tells whether it maps r to
// a glyph.
func fileHasRune(path string, buf *sfnt.Buffer, r rune) bool {
	file, err := os.Open(path)
	if err != nil {
		return false
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFontBytes {
		return false
	}
	font, err := sfnt.ParseReaderAt(file)
	if err != nil {
		return false
	}
	return has(font, buf, r)
}
