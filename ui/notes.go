package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// notesView is the Notes tab: the handwritten notes still to write or post,
// overdue first, with the address for the envelope and what to mention.
type notesView struct {
	m     *Main
	box   *fyne.Container
	notes []app.NoteToWrite
}

func newNotesView(m *Main) *notesView { return &notesView{m: m, box: container.NewVBox()} }

func (v *notesView) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(v.box))
}

func (v *notesView) refresh() {
	v.m.run(func() func() {
		notes, err := v.m.svc.NotesToWrite(v.m.ctx)
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.render(notes)
		}
	})
}

func (v *notesView) render(notes []app.NoteToWrite) {
	v.notes = notes
	var objs []fyne.CanvasObject
	if len(notes) == 0 {
		objs = append(objs, faint("No notes to write. Thank-you notes plan themselves after a first meeting or purchase."))
	}
	for _, n := range notes {
		title := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s", n.Contact, n.Reason), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		due := widget.NewLabel("write by " + v.m.dueDay(n.Due))
		if n.Overdue {
			due.Importance = widget.WarningImportance
			due.SetText("overdue since " + v.m.dueDay(n.Due))
		}
		if n.Status == model.NoteWritten {
			due.SetText("written, to post")
		}
		details := []fyne.CanvasObject{title, due}
		if n.Last != nil {
			details = append(details, lastNote(v.m.dates, n.Last))
		}
		address := widget.NewLabel(n.Address)
		if n.Address == "" {
			address = faint("No postal address yet.")
		}
		// What to mention is what the owner reads before writing: normal
		// text, not the faint grey of hints.
		cues := wrapped(strings.Join(n.Cues, " · "))
		id, who, owed := n.ID, n.Contact, n.Status == model.NoteOwed
		written := widget.NewButton("Written", func() { v.m.askWhatWasWritten(id, who, model.NoteWritten, v.refresh) })
		if !owed {
			written.Disable()
		}
		// Posted straight from owed was written too: ask what it said.
		posted := widget.NewButton("Posted", func() {
			if owed {
				v.m.askWhatWasWritten(id, who, model.NotePosted, v.refresh)
			} else {
				v.mark(id, who, model.NotePosted)
			}
		})
		open := widget.NewButton("Open card", func() { v.m.showContact(n.ContactID) })
		open.Importance = widget.LowImportance
		objs = append(objs, widget.NewSeparator(), container.NewBorder(nil, nil, nil,
			container.NewVBox(container.NewHBox(written, posted), open),
			container.NewVBox(append(details, address, cues)...)))
	}
	setObjects(v.box, objs)
}

// mark posts a written note, and says so with Undo.
func (v *notesView) mark(id int64, who string, status model.NoteStatus) {
	v.m.run(func() func() {
		undo, err := v.m.svc.MarkNoteUndoable(v.m.ctx, id, status, "")
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.m.done.announce("Marked the note to "+who+" posted.", v.m.undoing(undo))
			v.refresh()
		}
	})
}
