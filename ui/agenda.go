package ui

import (
	"fmt"
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
	case model.OutcomeOnTime:
		return "on time"
	case model.OutcomeLate:
		return fmt.Sprintf("%d min late", a.MinutesLate)
	case model.OutcomeNoShow:
		return "no-show"
	case model.OutcomeCancelled:
		if a.CancelledAt != nil {
			return "cancelled " + formatNotice(a.Start.Sub(*a.CancelledAt)) + " before"
		}
		return "cancelled"
	case model.OutcomeRescheduled:
		return "moved"
	case model.OutcomeExcused:
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
