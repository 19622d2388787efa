package ui

import (
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// formDialog is a dialog with Cancel and Save that stays open, showing what
// is wrong, until what was typed can be saved: nothing typed is lost to a
// mistake.
type formDialog struct {
	dialog   *dialog.CustomDialog
	problem  *widget.Label
	saveBtn  *keyButton
	validate func() (change func() error, err error)
	done     func()
	m        *Main
	// conflict, when set, may take over an error the change returned (the
	// contact editor asks what to keep when someone else saved meanwhile);
	// it reports whether it did.
	conflict func(err error) bool
}

// showForm shows content in a form dialog. On Save, validate checks what was
// typed; an error is shown in the dialog, otherwise the change it returns runs
// in the background and the dialog closes once it succeeded, then done runs.
func showForm(m *Main, title string, content fyne.CanvasObject, size fyne.Size,
	validate func() (change func() error, err error), done func()) *formDialog {
	f := &formDialog{m: m, validate: validate, done: done}
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	cancel := m.newButton("Cancel", theme.CancelIcon(), func() { f.dialog.Hide() })
	f.saveBtn = m.newButton("Save", theme.DocumentSaveIcon(), f.onSave)
	f.saveBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(layout.NewSpacer(), cancel, f.saveBtn)
	body := container.NewBorder(nil, container.NewVBox(f.problem, buttons), nil, nil, content)
	f.dialog = dialog.NewCustomWithoutButtons(title, body, m.win)
	f.dialog.Resize(size)
	m.keyed(f.dialog, f.dialog.Hide, f.onSave)
	f.dialog.Show()
	return f
}

// showProblem says in the dialog what is wrong, as a sentence: Go's
// errors start in lower case.
func (f *formDialog) showProblem(err error) {
	text := err.Error()
	if r, size := utf8.DecodeRuneInString(text); size > 0 {
		text = string(unicode.ToUpper(r)) + text[size:]
	}
	f.problem.SetText(text)
	f.problem.Show()
}

func (f *formDialog) hideProblem() { f.problem.Hide() }

func (f *formDialog) onSave() {
	if f.saveBtn.Disabled() {
		return // saving already: Enter pressed twice
	}
	change, err := f.validate()
	if err != nil {
		f.showProblem(err)
		return
	}
	f.saveBtn.Disable()
	f.m.run(func() func() {
		err := change()
		return func() {
			f.saveBtn.Enable()
			if err != nil {
				if f.conflict == nil || !f.conflict(err) {
					f.showProblem(err)
				}
				return
			}
			f.finish()
		}
	})
}

// finish closes the dialog after a successful save.
func (f *formDialog) finish() {
	f.dialog.Hide()
	if f.done != nil {
		f.done()
	}
}
