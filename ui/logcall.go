package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// submitEntry is a multi-line entry where Enter submits and Shift+Enter
// starts a new line, and Escape cancels: a note of a call is mostly one
// line, typed and sent with Enter like the card's log line.
type submitEntry struct {
	widget.Entry
	shift    bool
	onSubmit func()
	onCancel func()
}

func newSubmitEntry() *submitEntry {
	e := &submitEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// KeyDown notes Shift, which makes Enter a new line.
func (e *submitEntry) KeyDown(key *fyne.KeyEvent) {
	if key.Name == desktop.KeyShiftLeft || key.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.Entry.KeyDown(key)
}

// KeyUp notes Shift released.
func (e *submitEntry) KeyUp(key *fyne.KeyEvent) {
	if key.Name == desktop.KeyShiftLeft || key.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(key)
}

// TypedKey submits on Enter, cancels on Escape.
func (e *submitEntry) TypedKey(key *fyne.KeyEvent) {
	switch {
	case (key.Name == fyne.KeyReturn || key.Name == fyne.KeyEnter) && !e.shift && e.onSubmit != nil:
		e.onSubmit()
	case key.Name == fyne.KeyEscape && e.onCancel != nil:
		e.onCancel()
	default:
		e.Entry.TypedKey(key)
	}
}

// logCallDialog asks what was said on a call before logging it.
type logCallDialog struct {
	said *submitEntry
	form *formDialog
}

// askWhatWasSaid logs a call with contact once the owner says what was
// said (Enter logs, Shift+Enter a new line, Escape or Cancel logs
// nothing), then says so with Undo. Seen: "Log a call" on Today logged a
// call before anyone called.
func (m *Main) askWhatWasSaid(contactID int64, contact string, done func()) *logCallDialog {
	d := &logCallDialog{said: newSubmitEntry()}
	d.said.SetMinRowsVisible(3)
	d.said.SetPlaceHolder("asked how the new shop is going; will come by on Friday")
	hint := faint("What was said? Enter logs the call, Shift+Enter starts a new line, Escape cancels.")
	var undo app.Undo
	d.form = showForm(m, "Log a call with "+contact, container.NewBorder(hint, nil, nil, nil, d.said),
		fyne.NewSize(560, 280), func() (func() error, error) {
			text := strings.TrimSpace(d.said.Text)
			if text == "" {
				return nil, errors.New("say what was said, in a word or two")
			}
			return func() error {
				var err error
				undo, err = m.svc.LogCall(m.ctx, contactID, text)
				return err
			}, nil
		}, func() {
			m.done.announce("Logged a call with "+contact+".", m.undoing(undo))
			if done != nil {
				done()
			}
		})
	d.form.saveBtn.SetText("Log call")
	d.said.onSubmit = d.form.onSave
	d.said.onCancel = d.form.dialog.Hide
	m.win.Canvas().Focus(d.said)
	return d
}

// undoing adapts an app undo to the snackbar's; nil stays nil.
func (m *Main) undoing(undo app.Undo) func() error {
	if undo == nil {
		return nil
	}
	return func() error { return undo(m.ctx) }
}
