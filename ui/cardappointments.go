package ui

import (
	"context"
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

// pastOnCard is how many past appointments the card lists, latest first.
const pastOnCard = 20

// dateField is a day typed in the owner's style, with a calendar to pick it
// from; it is an Entry, so tests and Enter treat it as one.
type dateField struct {
	*keyEntry
	m     *Main
	pick  *widget.Button
	popup *widget.PopUp
	root  fyne.CanvasObject
}

func newDateField(m *Main, t time.Time) *dateField {
	f := &dateField{keyEntry: m.newEntry(), m: m}
	f.SetText(m.dates.Date(t))
	f.SetPlaceHolder(m.dates.Hint())
	f.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), f.onPick)
	f.root = container.NewBorder(nil, nil, nil, f.pick, f.keyEntry)
	return f
}

// day is the day typed, read as the owner's style says.
func (f *dateField) day() (time.Time, error) { return f.m.dates.ParseDate(f.Text, time.Local) }

// onPick shows a calendar at the day typed (today when none can be read);
// a tap writes the day picked in the owner's style.
func (f *dateField) onPick() {
	at, err := f.day()
	if err != nil {
		at = f.m.svc.Now().Local()
	}
	cal := widget.NewCalendar(at, func(t time.Time) {
		f.SetText(f.m.dates.Date(t))
		if f.popup != nil {
			f.popup.Hide()
		}
	})
	f.popup = widget.NewPopUp(cal, f.m.win.Canvas())
	f.popup.ShowAtRelativePosition(fyne.NewPos(0, f.pick.Size().Height), f.pick)
}

// apptMode is what the appointment dialog does.
type apptMode int

const (
	apptNew apptMode = iota
	apptEdit
	apptMove // books a new time and links the old appointment to it
)

// appointmentEditor books, changes or moves an appointment: day (typed in
// the owner's style or picked), time, length and purpose, and says before
// saving whom else it overlaps.
type appointmentEditor struct {
	m                    *Main
	date                 *dateField
	at, minutes, purpose *keyEntry
	overlap              *widget.Label // "Overlaps Anna Schmidt 14:00–15:00"
	except               int64         // the appointment being changed or moved
	checked              int           // counts overlap checks, so a late answer does not overwrite a newer one
	form                 *formDialog
}

func (c *contactCard) onNewAppointment() *appointmentEditor {
	if c.card == nil {
		return nil
	}
	next := c.m.svc.Now().Local().AddDate(0, 0, 1)
	start := time.Date(next.Year(), next.Month(), next.Day(), 10, 0, 0, 0, time.Local)
	return c.m.editAppointment(apptNew, model.Appointment{ContactID: c.card.Contact.ID, Start: start, Minutes: 30}, c.card.Contact.DisplayName)
}

// editAppointment opens the appointment dialog; who is the contact's name.
func (m *Main) editAppointment(mode apptMode, a model.Appointment, who string) *appointmentEditor {
	e := &appointmentEditor{m: m, date: newDateField(m, a.Start.Local()), at: m.newEntry(), minutes: m.newEntry(),
		purpose: m.newEntry(), overlap: widget.NewLabel("")}
	title := e.setMode(mode, a, who)
	e.fill(a)
	form := widget.NewForm(
		widget.NewFormItem("Day", e.date.root),
		widget.NewFormItem("Time", e.at),
		widget.NewFormItem("Minutes", e.minutes),
		widget.NewFormItem("Purpose", e.purpose),
	)
	body := container.NewBorder(nil, e.overlap, nil, nil, form)
	var saved apptSaved
	e.form = showForm(m, title, body, fyne.NewSize(480, 340), func() (func() error, error) {
		start, minutes, err := e.slot()
		if err != nil {
			return nil, err
		}
		purpose := e.purpose.Text
		return func() error { return e.save(mode, a, start, minutes, purpose, &saved) }, nil
	}, func() {
		m.afterAppointmentChange(a.ContactID)
		m.done.announce(m.appointmentSavedText(mode, a, who, saved), func() error { return saved.undo(m.ctx) })
	})
	e.checkOverlap()
	m.win.Canvas().Focus(e.date.keyEntry)
	return e
}

// apptSaved is what a save of the appointment dialog did, for the line
// that says so and its Undo.
type apptSaved struct {
	undo     app.Undo           // takes the save back
	overlaps []model.AgendaItem // what the saved time overlaps
	booked   time.Time          // the time saved
}

// setMode returns the dialog's title for mode; a change or move leaves a
// out of the overlap check, and a move first guesses a week later.
func (e *appointmentEditor) setMode(mode apptMode, a model.Appointment, who string) string {
	m := e.m
	title := "New appointment with " + who
	switch mode {
	case apptEdit:
		title, e.except = "Change the appointment with "+who, a.ID
	case apptMove:
		title, e.except = "Move "+who+"'s appointment of "+m.moment(a.Start)+" to…", a.ID
		// A week later, same time, as a first guess.
		e.date.SetText(m.dates.Date(a.Start.Local().AddDate(0, 0, 7)))
	}
	return title
}

// fill shows a's time, length and purpose, and checks for overlaps again
// whenever the day, time or length changes.
func (e *appointmentEditor) fill(a model.Appointment) {
	m := e.m
	e.at.SetText(m.clock(a.Start))
	e.at.SetPlaceHolder(m.clock(time.Date(2026, 1, 1, 14, 30, 0, 0, time.Local)))
	e.minutes.SetText(strconv.Itoa(a.Minutes))
	e.purpose.SetText(a.Purpose)
	e.purpose.SetPlaceHolder("fitting, consultation, lesson…")
	e.overlap.Importance = widget.WarningImportance
	e.overlap.Wrapping = fyne.TextWrapWord
	e.overlap.Hide()
	for _, entry := range []*keyEntry{e.date.keyEntry, e.at, e.minutes} {
		entry.OnChanged = func(string) { e.checkOverlap() }
	}
}

// save books, changes or moves a (off the UI goroutine) and records in
// saved what it did.
func (e *appointmentEditor) save(mode apptMode, a model.Appointment, start time.Time, minutes int, purpose string, saved *apptSaved) error {
	m := e.m
	var err error
	var id int64 // the appointment at the new time
	switch mode {
	case apptNew:
		var made *model.Appointment
		if made, err = m.svc.NewAppointment(m.ctx, a.ContactID, start, minutes, purpose); err == nil {
			id = made.ID
			saved.undo = func(ctx context.Context) error { _, err := m.svc.DeleteAppointment(ctx, made.ID); return err }
		}
	case apptEdit:
		id = a.ID
		saved.undo, err = m.svc.UpdateAppointment(m.ctx, a.ID, start, minutes, purpose)
	case apptMove:
		id, saved.undo, err = m.svc.Reschedule(m.ctx, a.ID, start, minutes, purpose)
	}
	if err != nil {
		return err
	}
	// Said again once booked: the warning may have come after a
	// quick Enter, or another desk booked the slot meanwhile.
	saved.overlaps, _ = m.svc.Overlapping(m.ctx, start, minutes, id)
	saved.booked = start
	return nil
}

// appointmentSavedText says what the save did and whom it overlaps.
func (m *Main) appointmentSavedText(mode apptMode, a model.Appointment, who string, saved apptSaved) string {
	var what string
	switch mode {
	case apptNew:
		what = "Booked an appointment with " + who + " for " + m.moment(saved.booked)
	case apptEdit:
		what = "Changed " + who + "'s appointment of " + m.moment(a.Start) + " to " + m.moment(saved.booked)
	case apptMove:
		what = "Moved " + who + "'s appointment to " + m.moment(saved.booked)
	}
	if len(saved.overlaps) > 0 {
		return what + ". " + strings.TrimSuffix(m.overlapText(saved.overlaps), " You can still save.")
	}
	return what + "."
}

// slot reads the day, time and length typed.
func (e *appointmentEditor) slot() (time.Time, int, error) {
	start, err := e.m.dates.ParseDateTime(e.date.Text, e.at.Text, time.Local)
	if err != nil {
		return time.Time{}, 0, err
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(e.minutes.Text))
	if err != nil || minutes <= 0 || minutes > 24*60 {
		return time.Time{}, 0, fmt.Errorf("write the length in minutes, such as 30")
	}
	return start, minutes, nil
}

// checkOverlap looks in the background for other appointments at the time
// typed and says whose they are; saving stays possible.
func (e *appointmentEditor) checkOverlap() {
	e.checked++
	n := e.checked
	start, minutes, err := e.slot()
	if err != nil {
		e.overlap.Hide()
		return
	}
	e.m.run(func() func() {
		items, err := e.m.svc.Overlapping(e.m.ctx, start, minutes, e.except)
		return func() {
			if n != e.checked {
				return
			}
			if err != nil || len(items) == 0 {
				e.overlap.Hide()
				return
			}
			e.overlap.SetText(e.m.overlapText(items))
			e.overlap.Show()
		}
	})
}

// overlapText says whose appointments a time overlaps: "Overlaps Anna
// Schmidt 14:00–15:00".
func (m *Main) overlapText(items []model.AgendaItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.ContactName + " " + m.span(it.Appointment)
	}
	return "Overlaps " + strings.Join(parts, "; ") + ". You can still save."
}

// span is an appointment's time of day, 14:00–15:00.
func (m *Main) span(a model.Appointment) string {
	return m.clock(a.Start) + "–" + m.clock(a.Start.Add(time.Duration(a.Minutes)*time.Minute))
}

// renderAppointments lists the contact's appointments on the card: those
// ahead soonest first, then the past ones latest first, each with what can
// be done with it.
func (c *contactCard) renderAppointments(card *app.Card) {
	c.apptRows = map[int64]*fyne.Container{}
	byID := map[int64]model.Appointment{}
	for _, a := range card.Contact.Appointments {
		byID[a.ID] = a
	}
	var objs []fyne.CanvasObject
	if len(card.Ahead) == 0 {
		objs = append(objs, faint("Nothing booked ahead."))
	}
	who := card.Contact.DisplayName
	for _, a := range card.Ahead {
		objs = append(objs, c.apptRow(a, who, byID))
	}
	if len(card.Past) > 0 {
		objs = append(objs, widget.NewLabelWithStyle("Past", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	for i, a := range card.Past {
		if i == pastOnCard {
			objs = append(objs, faint(fmt.Sprintf("and %d earlier, not listed here.", len(card.Past)-pastOnCard)))
			break
		}
		objs = append(objs, c.apptRow(a, who, byID))
	}
	setObjects(c.appts, objs)
}

// apptRow is one appointment on the card: when, what, how it went, and
// its buttons.
func (c *contactCard) apptRow(a model.Appointment, who string, byID map[int64]model.Appointment) *fyne.Container {
	text := c.m.moment(a.Start) + "–" + c.m.clock(a.Start.Add(time.Duration(a.Minutes)*time.Minute))
	if a.Purpose != "" {
		text += " · " + a.Purpose
	}
	if o := outcomeText(a); o != "" {
		text += " · " + o
		if a.RescheduledToID != nil {
			if next, ok := byID[*a.RescheduledToID]; ok {
				text += " to " + c.m.moment(next.Start)
			}
		}
	}
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	if a.Outcome == model.OutcomeCancelled || a.Outcome == model.OutcomeRescheduled {
		label.Importance = widget.LowImportance
	}
	buttons := c.m.apptButtons(a, who, true)
	row := container.NewVBox(label, buttons)
	if len(buttons.Objects) == 1 { // only "…": beside the text, not on a line of its own
		row = container.NewBorder(nil, nil, nil, buttons, label)
	}
	c.apptRows[a.ID] = row
	return row
}

// apptButtons are the actions on one appointment, the same on the card and
// in the week view. Attendance (on time, late, no-show) is offered only
// once the appointment has started; ahead of it, it can be moved or
// cancelled. withEdit adds Edit and Delete.
func (m *Main) apptButtons(a model.Appointment, who string, withEdit bool) *fyne.Container {
	started := m.svc.CanRecordAttendance(a)
	record := func(o app.Outcome) { m.recordOutcome(a, who, o) }
	var buttons []fyne.CanvasObject
	var menu []*fyne.MenuItem
	switch {
	case started && a.Outcome == "":
		buttons = append(buttons,
			widget.NewButton("On time", func() { record(app.Outcome{Kind: model.OutcomeOnTime}) }),
			widget.NewButton("Late…", func() { m.askMinutesLate(record) }),
			widget.NewButton("No-show", func() { record(app.Outcome{Kind: model.OutcomeNoShow}) }),
			widget.NewButton("Cancelled…", func() { m.askCancelledAt(a.Start, record) }))
		menu = append(menu,
			fyne.NewMenuItem("Moved to another time…", func() { m.editAppointment(apptMove, a, who) }),
			fyne.NewMenuItem("Excused (don't count it)", func() { record(app.Outcome{Kind: model.OutcomeExcused}) }))
	case started:
		menu = append(menu,
			fyne.NewMenuItem("On time", func() { record(app.Outcome{Kind: model.OutcomeOnTime}) }),
			fyne.NewMenuItem("Late…", func() { m.askMinutesLate(record) }),
			fyne.NewMenuItem("No-show", func() { record(app.Outcome{Kind: model.OutcomeNoShow}) }),
			fyne.NewMenuItem("Excused (don't count it)", func() { record(app.Outcome{Kind: model.OutcomeExcused}) }),
			fyne.NewMenuItem("Clear the outcome", func() { record(app.Outcome{}) }))
	case a.Outcome == "":
		buttons = append(buttons,
			widget.NewButton("Reschedule…", func() { m.editAppointment(apptMove, a, who) }),
			widget.NewButton("Cancel…", func() { m.askCancelledAt(a.Start, record) }))
	default: // cancelled or moved ahead of time
		menu = append(menu, fyne.NewMenuItem("Clear the outcome", func() { record(app.Outcome{}) }))
	}
	if withEdit {
		if a.Outcome != model.OutcomeRescheduled {
			buttons = append(buttons, widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), func() { m.editAppointment(apptEdit, a, who) }))
		}
		menu = append(menu, fyne.NewMenuItem("Delete", func() { m.deleteAppointment(a, who) }))
	}
	if len(menu) > 0 {
		var more *widget.Button
		more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() {
			widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", menu...), m.win.Canvas(), fyne.NewPos(0, more.Size().Height), more)
		})
		more.Importance = widget.LowImportance
		buttons = append(buttons, more)
	}
	return container.NewHBox(buttons...)
}

// recordOutcome records how an appointment went in the background and says
// so, with Undo.
func (m *Main) recordOutcome(a model.Appointment, who string, o app.Outcome) {
	m.run(func() func() {
		undo, err := m.svc.SetOutcome(m.ctx, a.ID, o)
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			m.afterAppointmentChange(a.ContactID)
			what := "Recorded " + who + "'s appointment of " + m.moment(a.Start) + " as " + outcomeText(model.Appointment{Outcome: o.Kind, MinutesLate: o.MinutesLate}) + "."
			if o.Kind == "" {
				what = "Cleared the outcome of " + who + "'s appointment of " + m.moment(a.Start) + "."
			}
			m.done.announce(what, func() error { return undo(m.ctx) })
		}
	})
}

// deleteAppointment removes an appointment at once and says so, with Undo.
func (m *Main) deleteAppointment(a model.Appointment, who string) {
	m.run(func() func() {
		undo, err := m.svc.DeleteAppointment(m.ctx, a.ID)
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			m.afterAppointmentChange(a.ContactID)
			m.done.announce("Deleted "+who+"'s appointment of "+m.moment(a.Start)+".", func() error { return undo(m.ctx) })
		}
	})
}
