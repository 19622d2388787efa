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
