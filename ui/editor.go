package ui

import (
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// contactEditor is the dialog that adds or edits a contact's own fields,
// phones, emails and addresses.
type contactEditor struct {
	m        *Main
	original *model.Contact // nil for a new contact
	form     *formDialog

	given, family, display, nickname *keyEntry
	organization, title, howWeMet    *keyEntry
	stage                            *keyRadio
	referredBy                       *keySelectEntry
	referrers                        map[string]int64 // picker text → contact
	referrerName                     string           // name of the saved referrer

	phones, emails *rowsEditor
	addresses      *rowsEditor

	edited *model.Contact // what Save last tried to write
}

// showContactEditor opens the editor for c, or for a new contact when c is
// nil; saved runs with the contact's ID after it was saved.
func showContactEditor(m *Main, c *model.Contact, saved func(id int64)) *contactEditor {
	e := &contactEditor{m: m, original: c, referrers: map[string]int64{}}
	if c == nil {
		c = &model.Contact{Stage: model.StageProspect}
	}
	e.buildOwnFields(c)
	e.buildRows(c)
	var savedID int64
	e.form = showForm(m, e.dialogTitle(), container.NewVScroll(e.layout()), fyne.NewSize(640, 680),
		func() (func() error, error) { return e.prepareSave(&savedID) },
		func() { saved(savedID) })
	e.form.conflict = func(err error) bool {
		if !errors.Is(err, app.ErrChanged) || e.edited == nil {
			return false
		}
		e.askWhatToKeep(e.edited, func() { saved(e.edited.ID) })
		return true
	}
	m.editor = e
	e.form.dialog.SetOnClosed(func() { m.editor = nil })
	m.win.Canvas().Focus(e.given)
	return e
}

// buildOwnFields makes the fields of c's names, stage and referrer, filled
// with c's values.
func (e *contactEditor) buildOwnFields(c *model.Contact) {
	m := e.m
	entry := func(text, placeholder string) *keyEntry {
		w := m.newEntry()
		w.SetText(text)
		w.SetPlaceHolder(placeholder)
		return w
	}
	e.given = entry(c.GivenName, "")
	e.family = entry(c.FamilyName, "")
	e.display = entry(c.DisplayName, "given and family name")
	if c.DisplayName == app.DisplayName(&model.Contact{GivenName: c.GivenName, FamilyName: c.FamilyName}) {
		e.display.SetText("") // derived, so it follows the names
	}
	e.nickname = entry(c.Nickname, "")
	e.organization = entry(c.Organization, "")
	e.title = entry(c.Title, "")
	e.howWeMet = entry(c.HowWeMet, "walked in, referred, market stall…")
	var stages []string
	for _, s := range model.Stages() {
		stages = append(stages, string(s))
	}
	e.stage = m.newRadio(stages, nil)
	e.stage.Horizontal = true
	e.stage.SetSelected(string(c.Stage))
	e.referredBy = m.newSelectEntry(nil)
	e.referredBy.SetPlaceHolder("type to search")
	e.referredBy.OnChanged = e.onReferrerTyped
	if c.ReferredByID != nil {
		e.loadReferrer(*c.ReferredByID)
	}
}

// buildRows makes the editors of c's phones, emails and addresses.
func (e *contactEditor) buildRows(c *model.Contact) {
	e.phones = newRowsEditor(e.m, "Add phone", []string{"label", "number"},
		[][]string{{"mobile", "home", "work"}, nil})
	for _, p := range c.Phones {
		e.phones.add(p.Label, p.Number)
	}
	e.emails = newRowsEditor(e.m, "Add email", []string{"label", "address"},
		[][]string{{"home", "work"}, nil})
	for _, m := range c.Emails {
		e.emails.add(m.Label, m.Address)
	}
	e.addresses = newRowsEditor(e.m, "Add address",
		[]string{"label", "street", "postal code", "city", "region", "country"},
		[][]string{{"home", "work"}, nil, nil, nil, nil, nil})
	for _, a := range c.Addresses {
		e.addresses.add(a.Label, a.Street, a.PostalCode, a.City, a.Region, a.Country)
	}
}

// layout puts the fields in one form, in the order a card shows them.
func (e *contactEditor) layout() *widget.Form {
	return widget.NewForm(
		widget.NewFormItem("Given name", e.given),
		widget.NewFormItem("Family name", e.family),
		widget.NewFormItem("Shown as", e.display),
		widget.NewFormItem("Nickname", e.nickname),
		widget.NewFormItem("Organization", e.organization),
		widget.NewFormItem("Title", e.title),
		widget.NewFormItem("Stage", e.stage),
		widget.NewFormItem("Referred by", e.referredBy),
		widget.NewFormItem("How we met", e.howWeMet),
		widget.NewFormItem("Phones", e.phones.content()),
		widget.NewFormItem("Emails", e.emails.content()),
		widget.NewFormItem("Addresses", e.addresses.content()),
	)
}

// dialogTitle names the dialog after the contact edited.
func (e *contactEditor) dialogTitle() string {
	if e.original != nil {
		return "Edit " + e.original.DisplayName
	}
	return "New contact"
}

// prepareSave checks the form on the UI goroutine and returns the write to
// run off it, which leaves the saved contact's ID in savedID.
func (e *contactEditor) prepareSave(savedID *int64) (func() error, error) {
	edited, err := e.collect()
	if err != nil {
		return nil, err
	}
	e.edited = edited
	m := e.m
	return func() error {
		if e.original == nil {
			err := m.svc.CreateContact(m.ctx, edited)
			*savedID = edited.ID
			return err
		}
		*savedID = edited.ID
		return m.svc.SaveContact(m.ctx, edited)
	}, nil
}

// collect builds the edited contact from the form, or says what is wrong.
func (e *contactEditor) collect() (*model.Contact, error) {
	c := &model.Contact{}
	if e.original != nil {
		copied := *e.original
		c = &copied
	}
	c.GivenName, c.FamilyName, c.DisplayName = e.given.Text, e.family.Text, e.display.Text
	c.Nickname, c.Organization, c.Title, c.HowWeMet = e.nickname.Text, e.organization.Text, e.title.Text, e.howWeMet.Text
	c.Stage = model.Stage(e.stage.Selected)
	c.Phones, c.Emails, c.Addresses = nil, nil, nil
	for _, r := range e.phones.values() {
		c.Phones = append(c.Phones, model.Phone{Label: r[0], Number: r[1]})
	}
	for _, r := range e.emails.values() {
		c.Emails = append(c.Emails, model.Email{Label: r[0], Address: r[1]})
	}
	for _, r := range e.addresses.values() {
		c.Addresses = append(c.Addresses, model.Address{Label: r[0], Street: r[1], PostalCode: r[2],
			City: r[3], Region: r[4], Country: r[5]})
	}
	switch text := e.referredBy.Text; {
	case text == "":
		c.ReferredByID = nil
	case text == e.referrerName && e.original != nil:
		// unchanged
	default:
		id, ok := e.referrers[text]
		if !ok {
			return nil, fmt.Errorf("pick who referred them from the list under “Referred by”, or leave it empty")
		}
		if e.original != nil && id == e.original.ID {
			return nil, errors.New("a contact cannot refer themselves")
		}
		c.ReferredByID = &id
	}
	if app.DisplayName(c) == "" {
		return nil, app.ErrNoName
	}
	return c, nil
}

// loadReferrer shows the name of the contact who referred this one.
func (e *contactEditor) loadReferrer(id int64) {
	e.m.run(func() func() {
		ref, err := e.m.svc.Contact(e.m.ctx, id)
		return func() {
			if err == nil {
				e.referrerName = ref.DisplayName
				e.referredBy.OnChanged = nil
				e.referredBy.SetText(ref.DisplayName)
				e.referredBy.OnChanged = e.onReferrerTyped
			}
		}
	})
}

// onReferrerTyped offers the contacts matching what was typed.
func (e *contactEditor) onReferrerTyped(text string) {
	if _, picked := e.referrers[text]; picked || len([]rune(text)) < 2 {
		return
	}
	e.m.run(func() func() {
		rows, err := e.m.svc.FindContacts(e.m.ctx, text, 12)
		return func() {
			if err != nil || e.referredBy.Text != text {
				return
			}
			var options []string
			for _, r := range rows {
				if e.original != nil && r.ID == e.original.ID {
					continue
				}
				option := r.DisplayName
				if r.Organization != "" && r.Organization != r.DisplayName {
					option += " (" + r.Organization + ")"
				}
				for slices.Contains(options, option) {
					option += " "
				}
				e.referrers[option] = r.ID
				options = append(options, option)
			}
			e.referredBy.SetOptions(options)
		}
	})
}

// rowsEditor edits a short list of rows of a few fields each (phones,
// emails, addresses), with a button to add a row and one per row to remove
// it.
type rowsEditor struct {
	m           *Main
	box         *fyne.Container
	fields      []string
	suggestions [][]string
	rows        [][]*keySelectEntry
	addLabel    string
}

func newRowsEditor(m *Main, addLabel string, fields []string, suggestions [][]string) *rowsEditor {
	return &rowsEditor{m: m, box: container.NewVBox(), fields: fields,
		suggestions: suggestions, addLabel: addLabel}
}

func (r *rowsEditor) content() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(r.addLabel, theme.ContentAddIcon(), func() { r.add() })
	add.Importance = widget.LowImportance
	return container.NewVBox(r.box, container.NewHBox(add))
}

// add appends a row holding values.
func (r *rowsEditor) add(values ...string) {
	var row []*keySelectEntry
	var cells []fyne.CanvasObject
	for i, name := range r.fields {
		w := r.m.newSelectEntry(r.suggestions[i])
		w.SetPlaceHolder(name)
		if i < len(values) {
			w.SetText(values[i])
		}
		if r.suggestions[i] == nil {
			w.ActionItem = nil // a plain entry: no drop-down arrow
		}
		row = append(row, w)
		cells = append(cells, w)
	}
	r.rows = append(r.rows, row)
	var line fyne.CanvasObject
	if len(cells) == 2 {
		line = container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(120, cells[0].MinSize().Height), cells[0]), nil, cells[1])
	} else {
		line = container.NewGridWithColumns(2, cells...)
	}
	var holder *fyne.Container
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i, rr := range r.rows {
			if rr[0] == row[0] {
				r.rows = slices.Delete(r.rows, i, i+1)
				break
			}
		}
		r.box.Remove(holder)
	})
	remove.Importance = widget.LowImportance
	holder = container.NewBorder(nil, nil, nil, remove, line)
	r.box.Add(holder)
}

// values are the rows as typed, leaving out the empty ones.
func (r *rowsEditor) values() [][]string {
	var out [][]string
	for _, row := range r.rows {
		vals := make([]string, len(row))
		empty := true
		for i, w := range row {
			vals[i] = w.Text
			if i > 0 && w.Text != "" {
				empty = false
			}
		}
		if !empty {
			out = append(out, vals)
		}
	}
	return out
}

// askWhatToKeep shows, after someone else saved the contact while it was
// being edited, what differs between the two versions, and lets the owner
// keep theirs, take the other, or go back to editing.
func (e *contactEditor) askWhatToKeep(mine *model.Contact, saved func()) {
	m := e.m
	m.run(func() func() {
		_, diffs, err := m.svc.Differences(m.ctx, mine)
		return func() {
			if err != nil {
				e.form.showProblem(err)
				return
			}
			cells := []fyne.CanvasObject{bold(""), bold("Yours"), bold("Saved meanwhile")}
			for _, d := range diffs {
				cells = append(cells, bold(d.Field), wrapped(orNone(d.Mine)), wrapped(orNone(d.Theirs)))
			}
			intro := widget.NewLabel(fmt.Sprintf("%s was saved somewhere else while you were editing "+
				"(another window, another desk or an import). Which version should be kept?", mine.DisplayName))
			intro.Wrapping = fyne.TextWrapWord
			if len(diffs) == 0 {
				intro.SetText(fmt.Sprintf("%s was saved somewhere else while you were editing, "+
					"with the same fields as yours.", mine.DisplayName))
			}
			var ask *dialog.CustomDialog
			keepMine := widget.NewButtonWithIcon("Keep mine", theme.DocumentSaveIcon(), func() {
				ask.Hide()
				m.run(func() func() {
					err := m.svc.SaveContactOver(m.ctx, mine)
					return func() {
						if err != nil {
							if !errors.Is(err, app.ErrChanged) {
								e.form.showProblem(err)
								return
							}
							e.askWhatToKeep(mine, saved) // saved yet again meanwhile
							return
						}
						e.form.dialog.Hide()
						saved()
					}
				})
			})
			keepMine.Importance = widget.HighImportance
			useTheirs := widget.NewButton("Use the saved one", func() {
				ask.Hide()
				e.form.dialog.Hide()
				saved() // shows the card as saved meanwhile
			})
			back := widget.NewButton("Back to editing", func() { ask.Hide() })
			body := container.NewBorder(intro, container.NewHBox(layout.NewSpacer(), back, useTheirs, keepMine), nil, nil,
				container.NewVScroll(container.NewGridWithColumns(3, cells...)))
			ask = dialog.NewCustomWithoutButtons("Changed elsewhere", body, m.win)
			ask.Resize(fyne.NewSize(620, 360))
			m.keyed(ask, ask.Hide, keepMine.OnTapped) // Escape: back to editing
			ask.Show()
		}
	})
}

func bold(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle.Bold = true
	return l
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func orNone(text string) string {
	if text == "" {
		return "(empty)"
	}
	return text
}
