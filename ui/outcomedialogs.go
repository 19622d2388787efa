package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// askMinutesLate asks how late they were.
func (m *Main) askMinutesLate(record func(app.Outcome)) *formDialog {
	minutes := m.newEntry()
	minutes.SetPlaceHolder("minutes")
	form := widget.NewForm(widget.NewFormItem("Late by", minutes))
	f := showForm(m, "How late?", form, fyne.NewSize(320, 180), func() (func() error, error) {
		n, err := strconv.Atoi(strings.TrimSpace(minutes.Text))
		if err != nil || n <= 0 || n > 24*60 {
			return nil, fmt.Errorf("write the minutes late as a number, such as 15")
		}
		record(app.Outcome{Kind: model.OutcomeLate, MinutesLate: n})
		return func() error { return nil }, nil
	}, nil)
	m.win.Canvas().Focus(minutes)
	return f
}

// askCancelledAt asks when they cancelled (now, unless told otherwise): the
// notice they gave decides whether it counts.
func (m *Main) askCancelledAt(start time.Time, record func(app.Outcome)) *formDialog {
	// Now, when it is ahead; when it has passed (an outcome recorded late),
	// "now" would be after the start and count as no notice at all.
	at := start.Add(-time.Duration(m.noticeHours()) * time.Hour)
	now := m.svc.Now()
	if now.Before(start) {
		at = now
	}
	date := newDateField(m, at.Local())
	clock := m.newEntry()
	clock.SetText(m.clock(at))
	hint := faint(fmt.Sprintf("The appointment is on %s. Less than %d hours' notice counts against them.",
		m.moment(start), m.noticeHours()))
	hint.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Cancelled on", date.root), widget.NewFormItem("At", clock), widget.NewFormItem("", hint))
	f := showForm(m, "When did they cancel?", form, fyne.NewSize(480, 260), func() (func() error, error) {
		at, err := m.dates.ParseDateTime(date.Text, clock.Text, time.Local)
		if err != nil {
			return nil, err
		}
		record(app.Outcome{Kind: model.OutcomeCancelled, CancelledAt: at})
		return func() error { return nil }, nil
	}, nil)
	return f
}
