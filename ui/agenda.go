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

// agendaDays is how far ahead the Appointments view looks: today and the
// week ahead. forgottenDays is how far back it looks for appointments whose
// outcome was never recorded.
const (
	agendaDays    = 8
	forgottenDays = 14
)

// agendaView is the Appointments tab: today and the week ahead by day, with
// one click to record how each appointment went.
type agendaView struct {
	m    *Main
	box  *fyne.Container
	rows map[int64]*fyne.Container // appointment → its row, for tests
}

func newAgendaView(m *Main) *agendaView {
	return &agendaView{m: m, box: container.NewVBox(), rows: map[int64]*fyne.Container{}}
}

func (a *agendaView) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(a.box))
}

// refresh reads the agenda in the background and shows it.
func (a *agendaView) refresh() {
	a.m.run(func() func() {
		days, err := a.m.svc.Agenda(a.m.ctx, agendaDays)
		var forgotten []model.AgendaItem
		if err == nil {
			forgotten, err = a.m.svc.Unrecorded(a.m.ctx, forgottenDays)
		}
		return func() {
			if err != nil {
				a.m.showError(err)
				return
			}
			a.render(forgotten, days)
		}
	})
}

func (a *agendaView) render(forgotten []model.AgendaItem, days []app.AgendaDay) {
	a.rows = map[int64]*fyne.Container{}
	var objs []fyne.CanvasObject
	today := day(a.m.svc.Now())
	var earlier []model.AgendaItem // today's are shown under today
	for _, it := range forgotten {
		if it.Start.Before(today) {
			earlier = append(earlier, it)
		}
	}
	if len(earlier) > 0 {
		objs = append(objs, section("How did these go? (not recorded yet)", nil))
		for _, it := range earlier {
			row := a.itemRow(it)
			a.rows[it.ID] = row
			objs = append(objs, container.NewBorder(nil, nil,
				widget.NewLabel(it.Start.Local().Format("Mon 2 Jan")), nil, row))
		}
	}
	if len(days) == 0 {
		objs = append(objs, faint("No appointments today or in the week ahead. Book one from a contact's card."))
	}
	for _, d := range days {
		objs = append(objs, section(dayTitle(d.Day, today), nil))
		for _, it := range d.Items {
			row := a.itemRow(it)
			a.rows[it.ID] = row
			objs = append(objs, row)
		}
	}
	setObjects(a.box, objs)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func dayTitle(d, today time.Time) string {
	switch {
	case d.Equal(today):
		return "Today · " + d.Format("Monday 2 January")
	case d.Equal(today.AddDate(0, 0, 1)):
		return "Tomorrow · " + d.Format("Monday 2 January")
	}
	return d.Format("Monday 2 January")
}

// itemRow shows one appointment with its outcome buttons.
func (a *agendaView) itemRow(it model.AgendaItem) *fyne.Container {
	start := it.Start.Local()
	when := fmt.Sprintf("%s–%s", start.Format("15:04"), start.Add(time.Duration(it.Minutes)*time.Minute).Format("15:04"))
	who := widget.NewButton(it.ContactName, func() { a.m.showContact(it.ContactID) })
	who.Importance = widget.LowImportance
	what := widget.NewLabel(it.Purpose)
	what.Truncation = fyne.TextTruncateEllipsis
	outcome := widget.NewLabelWithStyle(outcomeText(it.Appointment), fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	record := func(o app.Outcome) {
		a.m.run(func() func() {
			err := a.m.svc.RecordOutcome(a.m.ctx, it.ID, o)
			return func() {
				if err != nil {
					a.m.showError(err)
					return
				}
				a.refresh()
				a.m.afterAppointmentChange(it.ContactID)
			}
		})
	}
	var more *widget.Button
	more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("Moved to another time…", func() { a.askNewStart(it.Appointment, record) }),
			fyne.NewMenuItem("Excused (don't count it)", func() { record(app.Outcome{Kind: app.OutcomeExcused}) }),
			fyne.NewMenuItem("Clear the outcome", func() { record(app.Outcome{}) }),
		)
		widget.ShowPopUpMenuAtRelativePosition(menu, a.m.win.Canvas(), fyne.NewPos(0, more.Size().Height), more)
	})
	more.Importance = widget.LowImportance
	buttons := container.NewHBox(
		widget.NewButton("On time", func() { record(app.Outcome{Kind: app.OutcomeOnTime}) }),
		widget.NewButton("Late…", func() { a.askMinutesLate(record) }),
		widget.NewButton("No-show", func() { record(app.Outcome{Kind: app.OutcomeNoShow}) }),
		widget.NewButton("Cancelled…", func() { a.askCancelledAt(it.Start, record) }),
		more,
	)
	left := container.NewHBox(widget.NewLabelWithStyle(when, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}), who)
	return container.NewBorder(nil, nil, left, container.NewHBox(outcome, buttons), what)
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
func (a *agendaView) askMinutesLate(record func(app.Outcome)) *formDialog {
	minutes := widget.NewEntry()
	minutes.SetPlaceHolder("minutes")
	form := widget.NewForm(widget.NewFormItem("Late by", minutes))
	f := showForm(a.m, "How late?", form, fyne.NewSize(320, 180), func() (func() error, error) {
		n, err := strconv.Atoi(strings.TrimSpace(minutes.Text))
		if err != nil || n <= 0 || n > 24*60 {
			return nil, fmt.Errorf("write the minutes late as a number, such as 15")
		}
		record(app.Outcome{Kind: app.OutcomeLate, MinutesLate: n})
		return func() error { return nil }, nil
	}, nil)
	a.m.win.Canvas().Focus(minutes)
	return f
}

// askCancelledAt asks when they cancelled (now, unless told otherwise): the
// notice they gave decides whether it counts.
func (a *agendaView) askCancelledAt(start time.Time, record func(app.Outcome)) *formDialog {
	when := widget.NewEntry()
	when.SetPlaceHolder("YYYY-MM-DD hh:mm")
	// Now, when it is ahead; when it has passed (an outcome recorded late),
	// "now" would be after the start and count as no notice at all.
	if now := a.m.svc.Now(); now.Before(start) {
		when.SetText(now.Local().Format(entryTimeLayout))
	}
	hint := faint(fmt.Sprintf("The appointment was on %s. Less than %d hours' notice counts against them.",
		start.Local().Format("Mon 2 Jan 15:04"), a.m.noticeHours()))
	form := widget.NewForm(widget.NewFormItem("Cancelled on", when), widget.NewFormItem("", hint))
	return showForm(a.m, "When did they cancel?", form, fyne.NewSize(460, 220), func() (func() error, error) {
		at, err := time.ParseInLocation(entryTimeLayout, strings.TrimSpace(when.Text), time.Local)
		if err != nil {
			return nil, fmt.Errorf("write when as YYYY-MM-DD hh:mm")
		}
		record(app.Outcome{Kind: app.OutcomeCancelled, CancelledAt: at})
		return func() error { return nil }, nil
	}, nil)
}

// askNewStart asks when a moved appointment now is; the new one is booked.
func (a *agendaView) askNewStart(old model.Appointment, record func(app.Outcome)) *formDialog {
	when := widget.NewEntry()
	when.SetText(old.Start.Local().AddDate(0, 0, 7).Format(entryTimeLayout))
	form := widget.NewForm(widget.NewFormItem("New time", when))
	return showForm(a.m, "Moved to when?", form, fyne.NewSize(420, 180), func() (func() error, error) {
		at, err := time.ParseInLocation(entryTimeLayout, strings.TrimSpace(when.Text), time.Local)
		if err != nil {
			return nil, fmt.Errorf("write the new time as YYYY-MM-DD hh:mm")
		}
		record(app.Outcome{Kind: app.OutcomeRescheduled, NewStart: at})
		return func() error { return nil }, nil
	}, nil)
}

// appointmentEditor books an appointment from a contact's card.
type appointmentEditor struct {
	date, at, minutes, purpose *widget.Entry
	form                       *formDialog
}

func (c *contactCard) onNewAppointment() *appointmentEditor {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	next := c.m.svc.Now().Local().Add(24 * time.Hour)
	e := &appointmentEditor{date: widget.NewEntry(), at: widget.NewEntry(), minutes: widget.NewEntry(), purpose: widget.NewEntry()}
	e.date.SetText(next.Format(time.DateOnly))
	e.at.SetText("10:00")
	e.minutes.SetText("30")
	e.purpose.SetPlaceHolder("fitting, consultation, lesson…")
	form := widget.NewForm(
		widget.NewFormItem("Day", e.date),
		widget.NewFormItem("Time", e.at),
		widget.NewFormItem("Minutes", e.minutes),
		widget.NewFormItem("Purpose", e.purpose),
	)
	e.form = showForm(c.m, "New appointment with "+c.card.Contact.DisplayName, form, fyne.NewSize(460, 300),
		func() (func() error, error) {
			start, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(e.date.Text)+" "+strings.TrimSpace(e.at.Text), time.Local)
			if err != nil {
				return nil, fmt.Errorf("write the day as YYYY-MM-DD and the time as hh:mm")
			}
			minutes, err := strconv.Atoi(strings.TrimSpace(e.minutes.Text))
			if err != nil || minutes <= 0 {
				return nil, fmt.Errorf("write the length in minutes, such as 30")
			}
			purpose := e.purpose.Text
			return func() error {
				_, err := c.m.svc.NewAppointment(c.m.ctx, contactID, start, minutes, purpose)
				return err
			}, nil
		}, func() { c.m.afterAppointmentChange(contactID) })
	return e
}

// feedbackDialog asks an unreliable contact the feedback questions and logs
// the answer as a feedback entry.
type feedbackDialog struct {
	answer *widget.Entry
	form   *formDialog
}

func (c *contactCard) onAskFeedback() *feedbackDialog {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	d := &feedbackDialog{answer: widget.NewMultiLineEntry()}
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
	reason, due *widget.Entry
	form        *formDialog
}

func (c *contactCard) onNewNote() *noteEditor {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	e := &noteEditor{reason: widget.NewEntry(), due: widget.NewEntry()}
	e.reason.SetPlaceHolder("thank you for…, congratulations on…")
	e.due.SetText(c.m.svc.Now().Local().AddDate(0, 0, 2).Format(time.DateOnly))
	form := widget.NewForm(widget.NewFormItem("For", e.reason), widget.NewFormItem("Write by", e.due))
	e.form = showForm(c.m, "A handwritten note to "+c.card.Contact.DisplayName, form, fyne.NewSize(480, 220),
		func() (func() error, error) {
			due, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(e.due.Text), time.Local)
			if err != nil {
				return nil, fmt.Errorf("write the day as YYYY-MM-DD")
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
