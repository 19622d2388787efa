//go:build unix && !darwin

package app

import (
	"net/url"
	"path/filepath"
	"strings"
)

// systemOpener is xdg-open, else GLib's gio, on Linux and the BSDs. A file
// is shown in its folder, selected, by the freedesktop FileManager1 D-Bus
// call (Nautilus, Dolphin, Nemo, Thunar, Caja answer it) through gdbus or
// dbus-send; where no file manager answers, its folder is opened.
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
		o.selectIn = fileManagerShowItems(lookPath)
	}
	return o
}

// fileManagerShowItems is the command asking the desktop's file manager to
// show a file selected, nil without gdbus or dbus-send.
func fileManagerShowItems(lookPath func(string) (string, error)) func(path string) []string {
	const dest, object, method = "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1", "org.freedesktop.FileManager1.ShowItems"
	if p, err := lookPath("gdbus"); err == nil {
		return func(path string) []string {
			return []string{p, "call", "--session", "--dest", dest, "--object-path", object, "--method", method,
				"['" + fileURI(path) + "']", "''"}
		}
	}
	if p, err := lookPath("dbus-send"); err == nil {
		return func(path string) []string {
			return []string{p, "--session", "--print-reply", "--dest=" + dest, object, method,
				"array:string:" + fileURI(path), "string:"}
		}
	}
	return nil
}

// fileURI is path as a file:// URI with every character that could end a
// GVariant string or split a dbus-send array (quote, comma) escaped.
func fileURI(path string) string {
	u := (&url.URL{Scheme: "file", Path: path}).String()
	return strings.NewReplacer("'", "%27", ",", "%2C", `"`, "%22", `\`, "%5C").Replace(u)
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
