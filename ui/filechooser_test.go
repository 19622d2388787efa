package ui

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
)

// chooserFolder is a folder with a subfolder, a PDF, a text file and a
// hidden file.
func chooserFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"old.pdf", "notes.txt", ".hidden.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "Shop"), 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (f *fileChooser) names() []string {
	var out []string
	for _, e := range f.entries {
		out = append(out, e.Name())
	}
	return out
}

// The save chooser lists folders, then the files of its kind; a click on a
// folder goes in, Up comes back; a name typed without its extension gets
// it; Enter saves; an existing file is replaced only when the owner says.
func TestChooserSavesWhereTheOwnerSays(t *testing.T) {
	h := newHarness(t, nil)
	dir := chooserFolder(t)
	var got []string
	f := h.m.choose(chooserRequest{mode: chooseSave, title: "Save as", confirm: "Save", dir: dir,
		name: "follow-ups.pdf", exts: []string{".pdf"}, done: func(p string) { got = append(got, p) }})
	if names := f.names(); !slices.Equal(names, []string{"Shop", "old.pdf"}) {
		t.Fatalf("listed %q, want the folder, then the PDF (no text file, no hidden file)", names)
	}
	if h.w.Canvas().Focused() != f.name {
		t.Fatal("the file name does not have the cursor")
	}
	h.mustShow(filepath.Base(dir), dir)

	f.list.Select(0) // Shop
	h.mustShow("Shop", filepath.Join(dir, "Shop"))
	if len(f.entries) != 0 {
		t.Fatalf("Shop lists %q", f.names())
	}
	h.mustShow("No folders or .pdf files in here.")
	h.tapButton("Up")
	if f.dir != dir {
		t.Fatalf("Up went to %s, want %s", f.dir, dir)
	}

	h.typeInto(f.name, "old")
	h.key(fyne.KeyReturn)
	h.mustShow("Replace the file?")
	h.key(fyne.KeyEscape) // keeps the old file; the chooser stays
	if len(got) != 0 || h.dialogs() != 1 {
		t.Fatalf("after Escape on Replace?: saved %q, %d dialogs open", got, h.dialogs())
	}
	h.m.win.Canvas().Focus(f.name)
	h.key(fyne.KeyReturn)
	h.tapButton("Replace")
	if want := filepath.Join(dir, "old.pdf"); !slices.Equal(got, []string{want}) {
		t.Fatalf("saved %q, want %s", got, want)
	}
	if h.dialogs() != 0 {
		t.Fatalf("%d dialogs open after saving", h.dialogs())
	}

	got = nil
	f = h.m.choose(chooserRequest{mode: chooseSave, confirm: "Save", dir: dir, name: "x.pdf", exts: []string{".pdf"},
		done: func(p string) { got = append(got, p) }})
	h.typeInto(f.name, "for the desk")
	h.tapButton("Save")
	if want := filepath.Join(dir, "for the desk.pdf"); !slices.Equal(got, []string{want}) {
		t.Fatalf("saved %q, want %s", got, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("the chooser made a file itself: %d entries", len(entries))
	}
}

// Escape closes the chooser from the list, the places and the name field,
// and nothing is chosen.
func TestChooserClosesWithEscapeWherePutTheCursor(t *testing.T) {
	dir := chooserFolder(t)
	for _, where := range []string{"list", "places", "name", "up"} {
		t.Run(where, func(t *testing.T) {
			h := newHarness(t, nil)
			called := false
			f := h.m.choose(chooserRequest{mode: chooseSave, dir: dir, name: "a.pdf", exts: []string{".pdf"},
				done: func(string) { called = true }})
			focus := map[string]fyne.Focusable{"list": f.list, "places": f.places, "name": f.name}[where]
			if where == "up" {
				h.visit(func(o fyne.CanvasObject) bool {
					if b, ok := o.(*keyButton); ok && b.Text == "Up" {
						focus = b
					}
					return focus == nil
				})
			}
			h.w.Canvas().Focus(focus)
			h.key(fyne.KeyEscape)
			if h.dialogs() != 0 || called {
				t.Fatalf("Escape with the cursor on the %s: %d dialogs open, chosen %v", where, h.dialogs(), called)
			}
		})
	}
}

// The open chooser shows the files asked for; Enter opens the one picked,
// and says so when none is; the folder chooser takes the folder it is in.
func TestChooserOpensAFileAndTakesAFolder(t *testing.T) {
	h := newHarness(t, nil)
	dir := chooserFolder(t)
	var got string
	f := h.m.choose(chooserRequest{mode: chooseOpen, confirm: "Import…", dir: dir, exts: []string{".txt"},
		done: func(p string) { got = p }})
	if names := f.names(); !slices.Equal(names, []string{"Shop", "notes.txt"}) {
		t.Fatalf("listed %q", names)
	}
	h.w.Canvas().Focus(f.list)
	h.key(fyne.KeyReturn)
	h.mustShow("Pick a file in the list first.")
	f.list.Select(1)
	h.key(fyne.KeyReturn)
	if want := filepath.Join(dir, "notes.txt"); got != want || h.dialogs() != 0 {
		t.Fatalf("opened %q with %d dialogs open, want %s", got, h.dialogs(), want)
	}

	got = ""
	f = h.m.choose(chooserRequest{mode: chooseFolder, confirm: "Back up here", dir: dir, done: func(p string) { got = p }})
	if names := f.names(); !slices.Equal(names, []string{"Shop"}) {
		t.Fatalf("the folder chooser lists %q, want folders only", names)
	}
	f.list.Select(0)
	h.tapButton("Back up here")
	if want := filepath.Join(dir, "Shop"); got != want {
		t.Fatalf("chose %q, want %s", got, want)
	}
}

// A folder that cannot be read is said in words, and the chooser stays
// where it was.
func TestChooserSaysWhenAFolderCannotBeRead(t *testing.T) {
	h := newHarness(t, nil)
	dir := chooserFolder(t)
	f := h.m.choose(chooserRequest{mode: chooseOpen, dir: dir, done: func(string) {}})
	gone := filepath.Join(dir, "gone")
	f.open(gone)
	h.mustShow("Cannot open the folder " + gone + ": no such file or directory")
	if f.dir != dir || len(f.entries) != 3 {
		t.Fatalf("after a failed open the chooser is in %s with %q", f.dir, f.names())
	}
}
