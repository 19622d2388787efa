package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// snackbarShownFor is how long the line saying what a one-click action did
// stays up: long enough to read it, notice the mistake and reach for Undo
// (12 s proved short when the owner turns to a customer in between).
const snackbarShownFor = 20 * time.Second

// snackbar is the line at the bottom of the window that says what the last
// one-click action did, with an Undo that takes it back.
type snackbar struct {
	m      *Main
	text   *widget.Label
	undo   *widget.Button
	root   *fyne.Container
	onUndo func() error
	shown  int // counts announcements, so an old timer does not hide a newer one
}

func newSnackbar(m *Main) *snackbar {
	s := &snackbar{m: m, text: widget.NewLabel("")}
	s.text.Truncation = fyne.TextTruncateEllipsis
	s.undo = widget.NewButton("Undo", s.onUndoTapped)
	closeBtn := widget.NewButton("×", s.hide)
	closeBtn.Importance = widget.LowImportance
	s.root = container.NewBorder(nil, nil, nil, container.NewHBox(s.undo, closeBtn), s.text)
	s.root.Hide()
	return s
}

// announce says what was just done; undo, when not nil, takes it back.
// It must be called on the UI goroutine.
func (s *snackbar) announce(what string, undo func() error) {
	s.shown++
	s.text.SetText(what)
	s.onUndo = undo
	if undo == nil {
		s.undo.Hide()
	} else {
		s.undo.Show()
	}
	s.root.Show()
	shown := s.shown
	s.m.later(snackbarShownFor, func() {
		if s.shown == shown {
			s.hide()
		}
	})
}

func (s *snackbar) hide() {
	s.onUndo = nil
	s.root.Hide()
}

// onUndoTapped takes the last action back in the background and says so.
func (s *snackbar) onUndoTapped() {
	undo := s.onUndo
	if undo == nil {
		return
	}
	s.hide()
	s.m.run(func() func() {
		err := undo()
		return func() {
			if err != nil {
				s.m.showError(err)
				return
			}
			s.announce("Undone.", nil)
			s.m.refreshAll()
		}
	})
}
