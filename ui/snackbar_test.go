package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestSnackbarSaysWhatWasDoneAndUndoes(t *testing.T) {
	h := newHarness(t, nil)
	undone := 0
	h.m.done.announce("Logged a call with Maria Keller.", func() error { undone++; return nil })
	if !h.m.done.root.Visible() || h.m.done.text.Text != "Logged a call with Maria Keller." {
		t.Fatalf("snackbar shows %q (visible %v)", h.m.done.text.Text, h.m.done.root.Visible())
	}
	test.Tap(h.m.done.undo)
	if undone != 1 {
		t.Fatalf("undo ran %d times, want 1", undone)
	}
	if h.m.done.text.Text != "Undone." || h.m.done.undo.Visible() {
		t.Fatalf("after undo the snackbar shows %q with Undo visible=%v", h.m.done.text.Text, h.m.done.undo.Visible())
	}
	test.Tap(h.m.done.undo) // hidden, and nothing left to undo
	if undone != 1 {
		t.Fatalf("a second tap undid again (%d)", undone)
	}
}

func TestSnackbarShowsAFailedUndo(t *testing.T) {
	h := newHarness(t, nil)
	h.m.done.announce("Recorded a no-show.", func() error { return errors.New("database is locked") })
	test.Tap(h.m.done.undo)
	h.mustShow("Database is locked")
}
