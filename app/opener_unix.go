//go:build unix && !darwin

package app

import (
	"path/filepath"
	"strings"
)

// systemOpener is xdg-open, else GLib's gio, on Linux and the BSDs; the
// folder is shown by opening it (no common way selects the file).
func systemOpener(lookPath func(string) (string, error)) Opener {
	var o Opener
	if p, err := lookPath("xdg-open"); err == nil {
		o.open = func(path string) []string { return []string{p, path} }
		o.explain = xdgOpenExit
	} else if p, err := lookPath("gio"); err == nil {
		o.open = func(path string) []string { return []string{p, "open", path} }
		o.explainText = gioOpenError
	}
	if o.open != nil {
		open := o.open
		o.reveal = func(path string) []string { return open(filepath.Dir(path)) }
	}
	return o
}

// xdgOpenExit says what xdg-open's exit statuses mean.
func xdgOpenExit(code int) string {
	switch code {
	case 2:
		return "the file was not found"
	case 3:
		return "no program to open this kind of file is installed; install one (for PDFs: a viewer such as Evince or Okular)"
	case 4:
		return "the program for this kind of file failed to open it"
	}
	return ""
}

// gioOpenError says in words what gio open wrote, "" when it is not known.
func gioOpenError(stderr string) string {
	if strings.Contains(stderr, "Failed to find default application") {
		return xdgOpenExit(3)
	}
	return ""
}
