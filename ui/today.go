package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// todayView is the Today tab: the day's follow-ups in sections by kind,
// urgent ones first, each section foldable and each row with its one-click
// action, Done and Snooze.
type todayView struct {
	m     *Main
	box   *fyne.Container
	items []app.Followup
	shown map[string]int // rows shown of sections opened past their first
}

// todayRowsShown is how many rows a section shows before "Show all": 35
// keep-in-touch rows buried the rest of the day.
const todayRowsShown = 10

// todayPage is how many more rows "Show more" adds to a long section.
const todayPage = 200

func newTodayView(m *Main) *todayView {
	return &todayView{m: m, box: container.NewVBox(), shown: map[string]int{}}
}

func (v *todayView) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(v.box))
}

// followups computes today's follow-ups with the owner's cadences; it runs
// in the background.
func (m *Main) followups() ([]app.Followup, error) {
	cadences, err := m.svc.Cadences(m.ctx)
	if err != nil {
		return nil, err
	}
	return m.svc.Followups(m.ctx, m.svc.Now(), cadences)
}

// refresh computes the day's follow-ups in the background and shows them.
func (v *todayView) refresh() {
	v.m.run(func() func() {
		items, err := v.m.followups()
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.render(items)
		}
	})
}

// prefFolded is the preference that remembers a section folded.
func prefFolded(kind string) string { return "today.folded." + kind }

func (v *todayView) render(items []app.Followup) {
	v.items = items
	var objs []fyne.CanvasObject
	if len(items) == 0 {
		objs = append(objs, faint("Nothing to follow up today."))
	}
	prefs := v.m.app.Preferences()
	for _, sec := range app.FollowupSections(items) {
		folded := prefs.Bool(prefFolded(sec.Kind))
		icon := theme.MenuDropDownIcon()
		if folded {
			icon = theme.MenuExpandIcon()
		}
		kind := sec.Kind
		heading := widget.NewButtonWithIcon(sec.Title, icon, func() {
			prefs.SetBool(prefFolded(kind), !prefs.Bool(prefFolded(kind)))
			v.render(v.items)
		})
		heading.Alignment = widget.ButtonAlignLeading
		// Plain headings: the urgent sections stand out by coming first;
		// orange bars over every one of them shouted.
		heading.Importance = widget.LowImportance
		objs = append(objs, widget.NewSeparator(), heading)
		if folded {
			continue
		}
		rows := sec.Items
		shown := max(v.shown[kind], todayRowsShown)
		if len(rows) > shown {
			rows = rows[:shown]
		}
		for _, f := range rows {
			objs = append(objs, v.row(f))
		}
		if left := len(sec.Items) - len(rows); left > 0 {
			// Tens of thousands of rows at once froze the window: past a
			// few hundred they come a page at a time.
			label, next := fmt.Sprintf("Show all %d", len(sec.Items)), len(sec.Items)
			if left > todayPage {
				label, next = fmt.Sprintf("Show %d more (%d of %d shown)", todayPage, len(rows), len(sec.Items)), len(rows)+todayPage
			}
			more := widget.NewButton(label, func() {
				v.shown[kind] = next
				v.render(v.items)
			})
			more.Importance = widget.LowImportance
			objs = append(objs, container.NewHBox(more))
		}
	}
	setObjects(v.box, objs)
}

func (v *todayView) row(f app.Followup) fyne.CanvasObject {
	who := widget.NewButton(f.Contact, func() { v.m.showContact(f.ContactID) })
	who.Importance = widget.LowImportance
	text := widget.NewLabel(f.Text)
	text.Wrapping = fyne.TextWrapWord
	if f.Overdue {
		text.Importance = widget.WarningImportance
	}
	var action *widget.Button
	var send []fyne.CanvasObject // a reminder's ways to send it (reminders.go)
	switch f.Kind {
	case app.FollowNote:
		action = widget.NewButton("Written", func() { v.m.askWhatWasWritten(f.NoteID, f.Contact, model.NoteWritten, v.refresh) })
	case app.FollowKeepInTouch, app.FollowLapsing:
		action = widget.NewButton("Log a call…", func() { v.m.askWhatWasSaid(f.ContactID, f.Contact, v.m.refreshAll) })
	case app.FollowRemind:
		send = v.remindSend(f)
		action = widget.NewButton("Reminded", func() {
			v.do("Logged that "+f.Contact+" was reminded of tomorrow's appointment.",
				func() (app.Undo, error) { return v.m.svc.Reminded(v.m.ctx, f) })
		})
	case app.FollowClientCandidate:
		action = widget.NewButton("Make client", func() {
			v.do(f.Contact+" is a client now.", func() (app.Undo, error) { return v.m.svc.MakeClient(v.m.ctx, f.ContactID) })
		})
	case app.FollowFeedback:
		action = widget.NewButton("Ask…", func() {
			v.m.showContact(f.ContactID)
			v.m.card.onAskFeedback()
		})
	default:
		action = widget.NewButton("Open card", func() { v.m.showContact(f.ContactID) })
	}
	done := widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), func() {
		v.do("Done: "+f.Contact+", "+f.Text+".", func() (app.Undo, error) { return v.m.svc.FollowupDone(v.m.ctx, f) })
	})
	done.Importance = widget.LowImportance
	var snooze *widget.Button
	snooze = widget.NewButtonWithIcon("Snooze", theme.HistoryIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("For a week", func() { v.snooze(f, app.SnoozeWeek) }),
			fyne.NewMenuItem("For a month", func() { v.snooze(f, app.SnoozeMonth) }))
		widget.ShowPopUpMenuAtRelativePosition(menu, v.m.win.Canvas(), fyne.NewPos(0, snooze.Size().Height), snooze)
	})
	snooze.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, who, container.NewHBox(append(send, action, done, snooze)...), text)
}

// snooze hides f for a week or a month, and says until when.
func (v *todayView) snooze(f app.Followup, length string) {
	v.m.run(func() func() {
		undo, until, err := v.m.svc.SnoozeFollowup(v.m.ctx, f, length)
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.m.done.announce(fmt.Sprintf("Snoozed %s until %s.", f.Contact, v.m.day(until)), v.m.undoing(undo))
			v.refresh()
		}
	})
}

// do runs a one-click action in the background, shows the day again and
// says what was done, with Undo.
func (v *todayView) do(what string, action func() (app.Undo, error)) {
	v.m.run(func() func() {
		undo, err := action()
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.m.done.announce(what, v.m.undoing(undo))
			// The list and the card show what changed too (a stage, an
			// entry), not only the day.
			v.m.refreshAll()
		}
	})
}

// notifyDue tells the owner on start what is due today, if anything.
func (v *todayView) notifyDue() {
	v.m.run(func() func() {
		items, err := v.m.followups()
		return func() {
			if err != nil || len(items) == 0 {
				return
			}
			text := fmt.Sprintf("1 follow-up today: %s, %s.", items[0].Contact, items[0].Text)
			if len(items) > 1 {
				text = fmt.Sprintf("%d follow-ups today, starting with %s. See the Today tab.", len(items), items[0].Contact)
			}
			v.m.app.SendNotification(fyne.NewNotification("Rapport", text))
		}
	})
}
