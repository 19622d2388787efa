package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Every dialog closes with Escape and, where it has a button that does what
// it is for, does that with Enter. Fyne's dialogs know no keys of their own,
// and a key goes to the widget with the cursor (or, with none, to the
// canvas): so the widgets dialogs are built of (keyEntry, keySelect…) pass
// Escape, and an Enter they have no use for, to the dialog on top, and so
// does the canvas.

// dialogKeys is what Escape and Enter do in an open dialog.
type dialogKeys struct {
	d      dialog.Dialog
	escape func()
	submit func() // nil: Enter does nothing
}

// keyed makes Escape call escape and Enter submit (when not nil) while d is
// open; call it before d.Show. The dialog opened last gets the keys.
func (m *Main) keyed(d dialog.Dialog, escape, submit func()) {
	k := &dialogKeys{d: d, escape: escape, submit: submit}
	m.keys = append(m.keys, k)
	d.SetOnClosed(func() {
		m.keys = slices.DeleteFunc(m.keys, func(o *dialogKeys) bool { return o == k })
	})
}

// dialogKey runs what the open dialog on top does for key, and reports
// whether it did; ownsEnter is true for a widget that has a use of its own
// for Enter (a multi-line entry).
func (m *Main) dialogKey(key *fyne.KeyEvent, ownsEnter bool) bool {
	if len(m.keys) == 0 {
		return false
	}
	top := m.keys[len(m.keys)-1]
	switch key.Name {
	case fyne.KeyEscape:
		top.escape()
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		if ownsEnter || top.submit == nil {
			return false
		}
		top.submit()
		return true
	}
	return false
}

// onCanvasKey takes the keys typed while no widget has the cursor.
func (m *Main) onCanvasKey(key *fyne.KeyEvent) { m.dialogKey(key, false) }

// keyedInfo shows an information dialog that Escape and Enter close.
func (m *Main) keyedInfo(title, message string) dialog.Dialog {
	d := dialog.NewInformation(title, message, m.win)
	m.keyed(d, d.Hide, d.Hide)
	d.Show()
	return d
}

// keyedConfirm shows a confirmation that Escape dismisses and Enter confirms.
func (m *Main) keyedConfirm(title, message, confirm, dismiss string, done func(ok bool)) *dialog.ConfirmDialog {
	d := dialog.NewConfirm(title, message, done, m.win)
	if confirm != "" {
		d.SetConfirmText(confirm)
	}
	if dismiss != "" {
		d.SetDismissText(dismiss)
	}
	m.keyed(d, d.Hide, d.Confirm)
	d.Show()
	return d
}

// keyEntry is an Entry that passes Escape, and an Enter it has no use for,
// to the dialog it is in.
type keyEntry struct {
	widget.Entry
	m *Main
}

func (m *Main) newEntry() *keyEntry {
	e := &keyEntry{m: m}
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordEntry is a keyEntry that hides what is typed, with an eye
// that shows it, as Fyne's own password entry has.
func (m *Main) newPasswordEntry() *keyEntry {
	e := m.newEntry()
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	eye := widget.NewButtonWithIcon("", theme.VisibilityOffIcon(), nil)
	eye.Importance = widget.LowImportance
	eye.OnTapped = func() {
		e.Password = !e.Password
		eye.SetIcon(map[bool]fyne.Resource{true: theme.VisibilityOffIcon(), false: theme.VisibilityIcon()}[e.Password])
		e.Refresh()
	}
	e.ActionItem = eye
	return e
}

// newMultiLineEntry is a multi-line keyEntry: Enter starts a new line,
// Shift+Enter (Fyne's way) does what Enter does in the dialog.
func (m *Main) newMultiLineEntry() *keyEntry {
	e := m.newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.OnSubmitted = func(string) { m.dialogKey(&fyne.KeyEvent{Name: fyne.KeyReturn}, false) }
	return e
}

func (e *keyEntry) TypedKey(key *fyne.KeyEvent) {
	if !e.m.dialogKey(key, e.MultiLine || e.OnSubmitted != nil) {
		e.Entry.TypedKey(key)
	}
}

// keySelectEntry is a SelectEntry that passes Escape and Enter to its dialog.
type keySelectEntry struct {
	widget.SelectEntry
	m *Main
}

func (m *Main) newSelectEntry(options []string) *keySelectEntry {
	e := &keySelectEntry{m: m}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

func (e *keySelectEntry) TypedKey(key *fyne.KeyEvent) {
	if !e.m.dialogKey(key, e.MultiLine || e.OnSubmitted != nil) {
		e.SelectEntry.TypedKey(key)
	}
}

// keySelect is a Select that passes Escape and Enter to its dialog.
type keySelect struct {
	widget.Select
	m *Main
}

func (m *Main) newSelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{m: m}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *keySelect) TypedKey(key *fyne.KeyEvent) {
	if !s.m.dialogKey(key, false) {
		s.Select.TypedKey(key)
	}
}

// keyCheck is a Check that passes Escape and Enter to its dialog.
type keyCheck struct {
	widget.Check
	m *Main
}

func (m *Main) newCheck(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{m: m}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *keyCheck) TypedKey(key *fyne.KeyEvent) {
	if !c.m.dialogKey(key, false) {
		c.Check.TypedKey(key)
	}
}

// keyButton is a Button that passes Escape to its dialog; Enter presses it,
// as Space does.
type keyButton struct {
	widget.Button
	m *Main
}

func (m *Main) newButton(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{m: m}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(key *fyne.KeyEvent) {
	switch key.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	default:
		if !b.m.dialogKey(key, false) {
			b.Button.TypedKey(key)
		}
	}
}
