//go:build !windows && !darwin

package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
)

// SystemFonts is fontconfig on Linux and the BSDs, or, on a system without
// it, the usual font folders read directly.
func SystemFonts() FontFinder {
	if _, err := exec.LookPath("fc-match"); err == nil {
		return Fontconfig{}
	}
	dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "fonts"), filepath.Join(home, ".fonts"))
	}
	return FontFolders{Dirs: dirs}
}
