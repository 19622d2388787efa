package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// detailLabels are suggestions for what shop owners remember about people.
func detailLabels() []string {
	return []string{"Spouse", "Partner", "Children", "Daughter", "Son", "Pet", "Favourite",
		"Dislikes", "Coffee", "Tea", "Allergy", "Hobby", "Works at", "Looking for"}
}

// detailEditor adds or edits a remembered detail.
type detailEditor struct {
	label  *keySelectEntry
	value  *keyEntry
	pinned *keyCheck
	form   *formDialog
}

func (c *contactCard) editDetail(d *model.Detail) *detailEditor {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	e := &detailEditor{label: c.m.newSelectEntry(detailLabels()), value: c.m.newMultiLineEntry()}
	e.value.Wrapping = fyne.TextWrapWord
	e.value.SetMinRowsVisible(3)
	e.pinned = c.m.newCheck("Pin: show it first, for the next conversation", nil)
	title := "Add a personal detail"
	if d != nil {
		title = "Edit detail"
		e.label.SetText(d.Label)
		e.value.SetText(d.Value)
		e.pinned.SetChecked(d.Pinned)
	}
	form := widget.NewForm(
		widget.NewFormItem("What", e.label),
		widget.NewFormItem("Remember", e.value),
		widget.NewFormItem("", e.pinned),
	)
	e.form = showForm(c.m, title, form, fyne.NewSize(520, 300), func() (func() error, error) {
		row := model.Detail{ContactID: contactID, Label: strings.TrimSpace(e.label.Text),
			Value: strings.TrimSpace(e.value.Text), Pinned: e.pinned.Checked}
		if d != nil {
			row.ID, row.Position = d.ID, d.Position
		}
		if row.Label == "" && row.Value == "" {
			return nil, errors.New("write what to remember")
		}
		return func() error { return c.m.svc.SaveDetail(c.m.ctx, &row) }, nil
	}, c.afterChange)
	c.m.win.Canvas().Focus(e.label)
	return e
}

// dateEditor adds or edits an important date; the year may stay empty.
type dateEditor struct {
	label *keySelectEntry
	day   *keySelect
	month *keySelect
	year  *keyEntry
	form  *formDialog
}

func (c *contactCard) editDate(u *app.UpcomingDate) *dateEditor {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	var days, months []string
	for d := 1; d <= 31; d++ {
		days = append(days, strconv.Itoa(d))
	}
	for m := time.January; m <= time.December; m++ {
		months = append(months, m.String())
	}
	e := &dateEditor{
		label: c.m.newSelectEntry([]string{model.DateBirthday, model.DateAnniversary}),
		day:   c.m.newSelect(days, nil),
		month: c.m.newSelect(months, nil),
		year:  c.m.newEntry(),
	}
	e.year.SetPlaceHolder("year, if known")
	title := "Add an important date"
	var id int64
	if u != nil {
		title, id = "Edit date", u.ID
		e.label.SetText(u.Label)
		e.day.SetSelected(strconv.Itoa(u.Date.Day))
		e.month.SetSelected(u.Date.Month.String())
		if u.Date.Year != 0 {
			e.year.SetText(strconv.Itoa(u.Date.Year))
		}
	} else {
		e.label.SetText(model.DateBirthday)
	}
	form := widget.NewForm(
		widget.NewFormItem("What", e.label),
		widget.NewFormItem("Day", e.day),
		widget.NewFormItem("Month", e.month),
		widget.NewFormItem("Year", e.year),
	)
	e.form = showForm(c.m, title, form, fyne.NewSize(420, 320), func() (func() error, error) {
		if e.day.SelectedIndex() < 0 || e.month.SelectedIndex() < 0 {
			return nil, errors.New("pick the day and the month")
		}
		date := app.PartialDate{Month: time.Month(e.month.SelectedIndex() + 1), Day: e.day.SelectedIndex() + 1}
		if y := strings.TrimSpace(e.year.Text); y != "" {
			year, err := strconv.Atoi(y)
			if err != nil || year < 1 || year > 9999 {
				return nil, fmt.Errorf("the year %q is not a year; leave it empty when you don't know it", y)
			}
			date.Year = year
		}
		if _, err := app.ParsePartialDate(date.String()); err != nil {
			return nil, fmt.Errorf("%d %s: there is no such day", date.Day, date.Month)
		}
		label := e.label.Text
		return func() error { return c.m.svc.SaveDate(c.m.ctx, id, contactID, label, date.String()) }, nil
	}, c.afterChange)
	return e
}

// entryEditor edits a journal entry: kind, when and what happened.
type entryEditor struct {
	kind *widget.Select
	when *dateField
	at   *keyEntry // the time of day
	text *keyEntry
	item *keyEntry // what was bought, for a purchase
	cost *keyEntry // its amount in the owner's style, for a purchase
	form *formDialog
}

func (c *contactCard) editEntry(je *model.JournalEntry) *entryEditor {
	if c.card == nil || je == nil {
		return nil
	}
	var kinds []string
	for _, k := range model.EntryKinds() {
		kinds = append(kinds, string(k))
	}
	e := &entryEditor{kind: widget.NewSelect(kinds, nil), when: newDateField(c.m, je.At.Local()), at: c.m.newEntry(), text: c.m.newMultiLineEntry(),
		item: c.m.newEntry(), cost: c.m.newEntry()}
	e.at.SetText(c.m.clock(je.At))
	e.text.SetText(je.Text)
	e.text.Wrapping = fyne.TextWrapWord
	e.text.SetMinRowsVisible(6)
	e.item.SetText(je.Item)
	e.cost.SetText(c.m.svc.AmountText(*je))
	if je.Currency != "" {
		e.cost.SetPlaceHolder(je.Currency)
	}
	itemRow, costRow := widget.NewFormItem("Bought", e.item), widget.NewFormItem("Amount", e.cost)
	form := widget.NewForm(
		widget.NewFormItem("Kind", e.kind),
		widget.NewFormItem("Day", e.when.root),
		widget.NewFormItem("At", e.at),
		itemRow, costRow,
		widget.NewFormItem("What happened", e.text),
	)
	// Only a purchase says what was bought and for how much.
	e.kind.OnChanged = func(k string) {
		for _, w := range []*keyEntry{e.item, e.cost} {
			if model.EntryKind(k) == model.KindPurchase {
				w.Enable()
			} else {
				w.Disable()
			}
		}
		form.Refresh()
	}
	e.kind.SetSelected(string(je.Kind))
	e.form = showForm(c.m, "Edit journal entry", form, fyne.NewSize(600, 420),
		func() (func() error, error) { return c.prepareEntrySave(e, je) }, c.afterChange)
	return e
}

// prepareEntrySave checks the edited entry on the UI goroutine and returns
// the write to run off it: the purchase's item and amount, then the entry.
func (c *contactCard) prepareEntrySave(e *entryEditor, je *model.JournalEntry) (func() error, error) {
	at, err := c.m.dates.ParseDateTime(e.when.Text, e.at.Text, time.Local)
	if err != nil {
		return nil, err
	}
	kind := model.EntryKind(e.kind.Selected)
	bought := kind == model.KindPurchase && (strings.TrimSpace(e.item.Text) != "" || strings.TrimSpace(e.cost.Text) != "")
	if strings.TrimSpace(e.text.Text) == "" && !bought {
		return nil, errors.New("write what happened, or remove the entry instead")
	}
	row := *je
	row.Kind, row.At, row.Text = kind, at, strings.TrimSpace(e.text.Text)
	item, cost := e.item.Text, e.cost.Text
	return func() error {
		if err := c.m.svc.SetPurchase(c.m.ctx, &row, item, cost); err != nil {
			return err
		}
		return c.m.svc.SaveJournalEntry(c.m.ctx, &row)
	}, nil
}
