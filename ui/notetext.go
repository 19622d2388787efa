package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// writtenDialog asks, as a note is marked written, what it said: shown
// beside the next note to the same person so it does not repeat itself.
type writtenDialog struct {
	text *keyEntry
	form *formDialog
}

// askWhatWasWritten marks the note written (or written and posted) with
// what the owner types, which may be nothing; Cancel leaves it as it was.
func (m *Main) askWhatWasWritten(noteID int64, contact string, status model.NoteStatus, done func()) *writtenDialog {
	d := &writtenDialog{text: m.newMultiLineEntry()}
	var undo app.Undo
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetMinRowsVisible(4)
	d.text.SetPlaceHolder("thanked her for the walnut bowl, asked how the move went")
	hint := faint("Optional: a line about what the note said. It is shown beside the next note to " + contact +
		", so that one says something new.")
	d.form = showForm(m, "What did you write to "+contact+"?", container.NewBorder(hint, nil, nil, nil, d.text),
		fyne.NewSize(560, 320), func() (func() error, error) {
			text := d.text.Text
			return func() error {
				var err error
				undo, err = m.svc.MarkNoteUndoable(m.ctx, noteID, status, text)
				return err
			}, nil
		}, func() {
			what := "Marked the note to " + contact + " written."
			if status == model.NotePosted {
				what = "Marked the note to " + contact + " written and posted."
			}
			m.done.announce(what, m.undoing(undo))
			if done != nil {
				done()
			}
		})
	d.form.saveBtn.SetText("Mark written")
	if status == model.NotePosted {
		d.form.saveBtn.SetText("Mark posted")
	}
	m.win.Canvas().Focus(d.text)
	return d
}

// lastNote says what the last note to the same person said, and when.
func lastNote(dates app.DateStyle, n *model.NoteReminder) *widget.Label {
	when := ""
	if n.WrittenAt != nil {
		when = ", " + dates.Date(n.WrittenAt.In(time.Local))
	}
	text := fmt.Sprintf("Last note%s: %s", when, n.WrittenText)
	if n.WrittenText == "" {
		text = fmt.Sprintf("Last note%s (what it said was not noted)", when)
	}
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}
