package pdf

import (
	"os"
	"path/filepath"
)

// SystemFonts finds fonts in the macOS font folders, the system's, the
// computer's and the user's. Arial Unicode covers most scripts in one
// TrueType file; the system's CJK fonts are mostly collections.
func SystemFonts() FontFinder {
	dirs := []string{"/System/Library/Fonts", "/Library/Fonts"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "Library", "Fonts"))
	}
	return FontFolders{Dirs: dirs, Prefer: []string{"Arial Unicode.ttf", "AppleGothic.ttf"}}
}
