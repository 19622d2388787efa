//go:build unix && !darwin

package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeOpener writes a script named name that exits with code, and finds
// only it.
func fakeOpener(t *testing.T, name string, code int) (Opener, func() string) {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, name)
	body := "#!/bin/sh\necho \"$@\" > " + filepath.Join(dir, "args") + "\necho 'no method available' >&2\nexit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	args := func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "args"))
		return strings.TrimSpace(string(b))
	}
	return systemOpener(func(file string) (string, error) {
		if file == name {
			return script, nil
		}
		return "", errors.New("not found")
	}), args
}

func TestOpenerSaysWhyItFailed(t *testing.T) {
	none := systemOpener(func(string) (string, error) { return "", errors.New("not found") })
	if none.CanOpen() || none.CanShowInFolder() {
		t.Error("no xdg-open nor gio, yet an opener")
	}
	if err := none.Open("/x/a.pdf"); err == nil || !strings.Contains(err.Error(), "/x/a.pdf") {
		t.Errorf("Open without an opener: %v", err)
	}
	ok, args := fakeOpener(t, "xdg-open", 0)
	if !ok.CanOpen() || !ok.CanShowInFolder() {
		t.Fatal("xdg-open found, yet no opener")
	}
	if err := ok.ShowInFolder("/x/y/a.pdf"); err != nil || args() != "/x/y" {
		t.Fatalf("show in folder ran xdg-open %q: %v", args(), err)
	}
	failing, _ := fakeOpener(t, "xdg-open", 3)
	err := failing.Open("/x/a.pdf")
	if err == nil || !strings.Contains(err.Error(), "no program to open this kind of file") || !strings.Contains(err.Error(), "/x/a.pdf") {
		t.Errorf("xdg-open exit 3: %v", err)
	}
	gio, gioArgs := fakeOpener(t, "gio", 1)
	if err := gio.Open("/x/a.pdf"); err == nil || !strings.Contains(err.Error(), "no method available") || gioArgs() != "open /x/a.pdf" {
		t.Errorf("gio failing: %v", err)
	}
	if why := gioOpenError("gio: file:///x/a.pdf: Failed to find default application for content type ‘application/pdf’"); !strings.Contains(why, "no program to open this kind of file") {
		t.Errorf("gio without a viewer: %q", why)
	}
	var oe *OpenError
	if err := failing.Open("/x/a.pdf"); !errors.As(err, &oe) || oe.Path != "/x/a.pdf" || oe.Program != "xdg-open" {
		t.Errorf("gio failing: %v", err)
	}
}

// fakePrograms writes a script per name, exiting with its code and noting
// its arguments in name.args; lookPath finds only them.
func fakePrograms(t *testing.T, codes map[string]int) (func(string) (string, error), func(name string) string) {
	t.Helper()
	dir := t.TempDir()
	for name, code := range codes {
		body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + filepath.Join(dir, name+".args") + "\nexit " + string(rune('0'+code)) + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	lookPath := func(file string) (string, error) {
		if _, ok := codes[file]; ok {
			return filepath.Join(dir, file), nil
		}
		return "", errors.New("not found")
	}
	args := func(name string) string {
		b, _ := os.ReadFile(filepath.Join(dir, name+".args"))
		return strings.TrimSpace(string(b))
	}
	return lookPath, args
}

// Show in folder asks the file manager to select the file (FileManager1
// over D-Bus); where none answers, it opens the folder.
func TestShowInFolderSelectsTheFile(t *testing.T) {
	const path = "/home/anna/Documents/it's, mine.pdf"
	const uri = "file:///home/anna/Documents/it%27s%2C%20mine.pdf"
	lookPath, args := fakePrograms(t, map[string]int{"xdg-open": 0, "gdbus": 0})
	if err := systemOpener(lookPath).ShowInFolder(path); err != nil {
		t.Fatal(err)
	}
	if got := args("gdbus"); !strings.Contains(got, "org.freedesktop.FileManager1.ShowItems\n['"+uri+"']") {
		t.Errorf("gdbus was called with\n%s", got)
	}
	if got := args("xdg-open"); got != "" {
		t.Errorf("the folder was opened as well: %q", got)
	}

	lookPath, args = fakePrograms(t, map[string]int{"xdg-open": 0, "gdbus": 1})
	if err := systemOpener(lookPath).ShowInFolder(path); err != nil {
		t.Fatal(err)
	}
	if got := args("xdg-open"); got != "/home/anna/Documents" {
		t.Errorf("with no file manager answering, xdg-open got %q, want the folder", got)
	}

	lookPath, args = fakePrograms(t, map[string]int{"xdg-open": 0, "dbus-send": 0})
	if err := systemOpener(lookPath).ShowInFolder(path); err != nil {
		t.Fatal(err)
	}
	if got := args("dbus-send"); !strings.Contains(got, "\narray:string:"+uri+"\nstring:") {
		t.Errorf("dbus-send was called with\n%s", got)
	}
}
