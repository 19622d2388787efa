package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// agendaView is the Appointments tab: one week from the day weeks begin on
// (Monday, or Sunday where the locale or Settings says), day by day,
// with Previous / This week / Next, and above it the past appointments
// that still need an outcome, each with one click to record it.
type agendaView struct {
	m     *Main
	start time.Time // the first day of the week shown; zero for this week
	title *widget.Label
	box   *fyne.Container
	rows  map[int64]*fyne.Container // appointment → its row, for tests
	root  fyne.CanvasObject
}

func newAgendaView(m *Main) *agendaView {
	a := &agendaView{m: m, box: container.NewVBox(), rows: map[int64]*fyne.Container{}}
	a.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("Previous", theme.NavigateBackIcon(), func() { a.showWeek(-7) })
	this := widget.NewButton("This week", func() { a.start = time.Time{}; a.refresh() })
	next := widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), func() { a.showWeek(7) })
	next.IconPlacement = widget.ButtonIconTrailingText
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(prev, this, next), a.title)
	a.root = container.NewBorder(container.NewPadded(bar), nil, nil, nil, container.NewVScroll(container.NewPadded(a.box)))
	return a
}

func (a *agendaView) content() fyne.CanvasObject { return a.root }

// showWeek moves the week shown by days.
func (a *agendaView) showWeek(days int) {
	a.start = a.shownStart().AddDate(0, 0, days)
	a.refresh()
}

func (a *agendaView) shownStart() time.Time {
	if a.start.IsZero() {
		return app.WeekStart(a.m.svc.Now().Local(), a.m.firstWeekday())
	}
	return a.start
}

// refresh reads the week in the background and shows it.
func (a *agendaView) refresh() {
	start, first := a.shownStart(), a.m.firstWeekday()
	a.m.run(func() func() {
		w, err := a.m.svc.Week(a.m.ctx, start, first)
		return func() {
			if err != nil {
				a.m.showError(err)
				return
			}
			a.render(w)
		}
	})
}

func (a *agendaView) render(w *app.Week) {
	a.rows = map[int64]*fyne.Container{}
	today := app.Day(a.m.svc.Now().Local())
	a.title.SetText("Week of " + a.m.day(w.Start) + " to " + a.m.day(w.Start.AddDate(0, 0, 6)))
	var objs []fyne.CanvasObject
	if len(w.NeedsOutcome) > 0 {
		objs = append(objs, section(fmt.Sprintf("Needs an outcome (%d)", w.Unrecorded), nil))
		for _, it := range w.NeedsOutcome {
			row := a.itemRow(it, true)
			a.rows[it.ID] = row
			objs = append(objs, row)
		}
		if w.Unrecorded > int64(len(w.NeedsOutcome)) {
			objs = append(objs, faint(fmt.Sprintf("The latest %d of %d are shown.", len(w.NeedsOutcome), w.Unrecorded)))
		}
	}
	for _, d := range w.Days {
		objs = append(objs, section(a.dayTitle(d.Day, today), nil))
		if len(d.Items) == 0 {
			objs = append(objs, faint("No appointments."))
		}
		for _, it := range d.Items {
			row := a.itemRow(it, false)
			a.rows[it.ID] = row
			objs = append(objs, row)
		}
	}
	setObjects(a.box, objs)
}

func (a *agendaView) dayTitle(d, today time.Time) string {
	switch {
	case d.Equal(today):
		return "Today · " + a.m.dayOfWeek(d)
	case d.Equal(today.AddDate(0, 0, 1)):
		return "Tomorrow · " + a.m.dayOfWeek(d)
	}
	return a.m.dayOfWeek(d)
}

// itemRow shows one appointment with what can be done with it; withDay
// puts its day in front (the "Needs an outcome" list spans days).
func (a *agendaView) itemRow(it model.AgendaItem, withDay bool) *fyne.Container {
	when := a.m.span(it.Appointment)
	if withDay {
		when = a.m.moment(it.Start) + "–" + a.m.clock(it.Start.Add(time.Duration(it.Minutes)*time.Minute))
	}
	who := widget.NewButton(it.ContactName, func() { a.m.showContact(it.ContactID) })
	who.Importance = widget.LowImportance
	what := widget.NewLabel(it.Purpose)
	what.Truncation = fyne.TextTruncateEllipsis
	outcome := widget.NewLabelWithStyle(outcomeText(it.Appointment), fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	left := container.NewHBox(widget.NewLabelWithStyle(when, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}), who)
	return container.NewBorder(nil, nil, left, container.NewHBox(outcome, a.m.apptButtons(it.Appointment, it.ContactName, false)), what)
}

// outcomeText says how an appointment went, "" before it is recorded.
func outcomeText(a model.Appointment) string {
	switch a.Outcome {
	case app.OutcomeOnTime:
		return "on time"
	case app.OutcomeLate:
		return fmt.Sprintf("%d min late", a.MinutesLate)
	case app.OutcomeNoShow:
		return "no-show"
	case app.OutcomeCancelled:
		if a.CancelledAt != nil {
			return "cancelled " + formatNotice(a.Start.Sub(*a.CancelledAt)) + " before"
		}
		return "cancelled"
	case app.OutcomeRescheduled:
		return "moved"
	case app.OutcomeExcused:
		return "excused"
	}
	return ""
}

func formatNotice(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if d >= time.Hour {
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d min", int(d.Minutes()))
}

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
		record(app.Outcome{Kind: app.OutcomeLate, MinutesLate: n})
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
		record(app.Outcome{Kind: app.OutcomeCancelled, CancelledAt: at})
		return func() error { return nil }, nil
	}, nil)
	return f
}

// feedbackDialog asks an unreliable contact the feedback questions and logs
// the answer as a feedback entry.
type feedbackDialog struct {
	answer *keyEntry
	form   *formDialog
}

func (c *contactCard) onAskFeedback() *feedbackDialog {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	d := &feedbackDialog{answer: c.m.newMultiLineEntry()}
	d.answer.Wrapping = fyne.TextWrapWord
	d.answer.SetMinRowsVisible(4)
	d.answer.SetPlaceHolder("What they said")
	questions := container.NewVBox()
	for _, q := range app.FeedbackQuestions() {
		questions.Add(widget.NewLabel("• " + q))
	}
	intro := faint(c.card.Reliability.Summary + ". Ask them, kindly, and write down what they say.")
	body := container.NewBorder(container.NewVBox(intro, questions), nil, nil, nil, d.answer)
	d.form = showForm(c.m, "Ask "+c.card.Contact.DisplayName+" for feedback", body, fyne.NewSize(560, 420),
		func() (func() error, error) {
			text := strings.TrimSpace(d.answer.Text)
			if text == "" {
				return nil, fmt.Errorf("write down what they said")
			}
			return func() error {
				_, err := c.m.svc.LogEntry(c.m.ctx, contactID, model.KindFeedback, text)
				return err
			}, nil
		}, c.afterChange)
	c.m.win.Canvas().Focus(d.answer)
	return d
}

// noteEditor schedules a handwritten note from a contact's card.
type noteEditor struct {
	reason *keyEntry
	due    *dateField
	form   *formDialog
}

func (c *contactCard) onNewNote() *noteEditor {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	e := &noteEditor{reason: c.m.newEntry(), due: newDateField(c.m, c.m.svc.Now().Local().AddDate(0, 0, 2))}
	e.reason.SetPlaceHolder("thank you for…, congratulations on…")
	form := widget.NewForm(widget.NewFormItem("For", e.reason), widget.NewFormItem("Write by", e.due.root))
	e.form = showForm(c.m, "A handwritten note to "+c.card.Contact.DisplayName, form, fyne.NewSize(480, 220),
		func() (func() error, error) {
			due, err := e.due.day()
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(e.reason.Text) == "" {
				return nil, fmt.Errorf("say what the note is for")
			}
			reason := e.reason.Text
			return func() error {
				_, err := c.m.svc.NewNoteReminder(c.m.ctx, contactID, reason, due)
				return err
			}, nil
		}, c.afterChange)
	c.m.win.Canvas().Focus(e.reason)
	return e
}
