package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dav"
)

// phoneSyncView is File → Phone Sync…: the CardDAV server the phone keeps
// its contacts on, and a sync with it that can be watched and stopped.
type phoneSyncView struct {
	m         *Main
	url, user *keyEntry
	password  *keyEntry
	books     *keySelect
	bookPaths map[string]string // shown name → path
	calendars *keySelect        // the calendar appointments go to, "No calendar" first
	calPaths  map[string]string // shown name → path ("" for none)
	find      *widget.Button
	save      *widget.Button
	syncNow   *widget.Button
	stop      *widget.Button
	status    *widget.Label
	busy      *widget.ProgressBarInfinite
	every     *keySelect      // how often this desk syncs by itself
	results   *fyne.Container // what the last sync did, with the conflicts to settle
	cancel    context.CancelFunc
	dialog    *dialog.CustomDialog
	preview   *syncPreview // of the last sync that had cards new to Rapport
}

// onPhoneSync shows the Phone Sync dialog (the calendar's part is in
// phonesynccal.go).
func (m *Main) onPhoneSync() *phoneSyncView {
	v := &phoneSyncView{m: m, bookPaths: map[string]string{}}
	v.url = m.newEntry()
	v.url.SetPlaceHolder("https://dav.example.com/ or just example.com")
	v.user = m.newEntry()
	v.password = m.newPasswordEntry()
	v.books = m.newSelect(nil, nil)
	v.books.PlaceHolder = "(find them first)"
	v.newCalendarSelect()
	v.find = widget.NewButtonWithIcon("Find address books", theme.SearchIcon(), v.onFind)
	v.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), v.onSave)
	v.syncNow = widget.NewButtonWithIcon("Sync now", theme.ViewRefreshIcon(), v.onSync)
	v.syncNow.Importance = widget.HighImportance
	v.stop = widget.NewButton("Stop", v.onStop)
	v.stop.Hide()
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Stop()
	v.busy.Hide()
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.results = container.NewVBox()
	v.every = m.newSelect(syncIntervalLabels(), func(label string) {
		for _, iv := range syncIntervals() {
			if iv.label == label && iv.minutes != m.app.Preferences().Int(prefSyncEvery) {
				m.app.Preferences().SetInt(prefSyncEvery, iv.minutes)
				m.startSyncTimer()
			}
		}
	})
	v.every.SetSelected(syncIntervalLabel(m.app.Preferences().Int(prefSyncEvery)))
	form := widget.NewForm(
		widget.NewFormItem("Server", v.url),
		widget.NewFormItem("User", v.user),
		widget.NewFormItem("Password", v.password),
		widget.NewFormItem("Address book", container.NewBorder(nil, nil, nil, v.find, v.books)),
		widget.NewFormItem("Calendar", v.calendars),
		widget.NewFormItem("Sync by itself", v.every),
	)
	hint := faint("The server your phone keeps its contacts (and calendar) on: iCloud (with an app-specific password), Nextcloud, Radicale, Fastmail… The password is kept in the system keyring, or where there is none in a file beside the database that only you can read; never in the database or a backup.")
	top := container.NewVBox(hint, form, container.NewHBox(v.save, v.syncNow, v.stop), v.busy, v.status)
	body := container.NewBorder(top, nil, nil, nil, container.NewVScroll(v.results))
	v.dialog = dialog.NewCustom("Phone Sync", "Close", body, m.win)
	v.dialog.SetOnClosed(v.onStop)
	v.dialog.Resize(fyne.NewSize(680, 560))
	m.keyed(v.dialog, v.dialog.Hide, nil) // Enter starts no sync by mistake
	v.dialog.Show()
	v.load()
	return v
}

func (v *phoneSyncView) load() {
	m := v.m
	m.run(func() func() {
		set, err := m.svc.PhoneSyncSettings(m.ctx)
		var password string
		var found bool
		if err == nil && set.URL != "" {
			password, found, err = m.svc.PhoneSyncPassword(set.URL, set.User)
		}
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			v.url.SetText(set.URL)
			v.user.SetText(set.User)
			if found {
				v.password.SetText(password)
			}
			if set.AddressBook != "" {
				v.bookPaths[set.AddressBook] = set.AddressBook
				v.books.Options = []string{set.AddressBook}
				v.books.SetSelected(set.AddressBook)
			}
			if set.Calendar != "" {
				v.showCalendars([]dav.Collection{{Path: set.Calendar}}, set.Calendar) // named once found
			}
			v.status.SetText(map[bool]string{true: "Set up with " + set.URL + ".", false: "Not set up yet."}[set.URL != ""])
		}
	})
}

func (v *phoneSyncView) account() dav.Account {
	return dav.Account{URL: strings.TrimSpace(v.url.Text), User: strings.TrimSpace(v.user.Text), Password: v.password.Text}
}

func (v *phoneSyncView) onFind() {
	m, acct := v.m, v.account()
	v.working("Looking for address books on " + acct.URL + "…")
	m.run(func() func() {
		books, err := m.svc.PhoneAddressBooks(m.ctx, acct)
		var cals []dav.Collection
		if err == nil {
			cals, err = m.svc.PhoneCalendars(m.ctx, acct)
		}
		return func() {
			v.idle()
			if err != nil {
				v.status.SetText("Could not list the address books: " + err.Error())
				return
			}
			v.bookPaths = map[string]string{}
			var names []string
			for _, b := range books {
				shown := b.Name + " (" + b.Path + ")"
				v.bookPaths[shown] = b.Path
				names = append(names, shown)
			}
			v.books.Options = names
			if len(names) > 0 {
				v.books.SetSelected(names[0])
			}
			v.showCalendars(cals, v.chosenCalendar())
			v.status.SetText(app.Plural(len(names), "address book") + " and " + app.Plural(len(cals), "calendar") + " found.")
		}
	})
}

func (v *phoneSyncView) onSave() {
	m, acct := v.m, v.account()
	book, calendar := v.bookPaths[v.books.Selected], v.chosenCalendar()
	if acct.URL == "" || acct.User == "" || book == "" {
		v.status.SetText("Give the server, the user and the address book first.")
		return
	}
	m.run(func() func() {
		err := m.svc.SetPhoneSyncSettings(m.ctx, app.PhoneSync{URL: acct.URL, User: acct.User, AddressBook: book, Calendar: calendar})
		var where string
		if err == nil {
			where, err = m.svc.SavePhoneSyncPassword(acct.URL, acct.User, acct.Password)
		}
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			v.status.SetText("Saved. The password is kept in " + where + ".")
		}
	})
}

// onSync shows first what the sync would bring in from the phone, if
// anything (see planThenSync), then syncs.
func (v *phoneSyncView) onSync() { v.planThenSync() }

// syncWith syncs with the owner's choices for the cards new to Rapport.
func (v *phoneSyncView) syncWith(choices map[string]app.SyncChoice) {
	m, acct := v.m, v.account()
	ctx, cancel := context.WithCancel(m.ctx)
	v.cancel = cancel
	v.working("Syncing…")
	progress := func(step string) { fyne.Do(func() { v.status.SetText(step + "…") }) }
	m.run(func() func() {
		rep, err := m.svc.SyncPhone(ctx, app.SyncOptions{Password: acct.Password, Region: m.svc.PhoneRegion(), Progress: progress,
			Choices: choices})
		return func() {
			v.idle()
			stopped := ctx.Err() != nil
			cancel()
			switch {
			case stopped:
				v.status.SetText("Stopped. What was done is kept; the next sync goes on from there.")
			case err != nil:
				v.status.SetText(err.Error())
			default:
				v.status.SetText(rep.Summary() + ".")
			}
			v.showReport(rep)
			m.refreshAll()
		}
	})
}

func (v *phoneSyncView) onStop() {
	if v.cancel != nil {
		v.cancel()
	}
}

func (v *phoneSyncView) working(what string) {
	v.status.SetText(what)
	v.busy.Show()
	v.busy.Start()
	v.stop.Show()
	v.syncNow.Disable()
	v.find.Disable()
}

func (v *phoneSyncView) idle() {
	v.busy.Stop()
	v.busy.Hide()
	v.stop.Hide()
	v.syncNow.Enable()
	v.find.Enable()
}

// showReport lists what the sync did and, for each contact changed on both
// sides, the two versions with a button to keep each.
func (v *phoneSyncView) showReport(rep *app.SyncReport) {
	v.results.RemoveAll()
	if rep == nil {
		return
	}
	for _, c := range rep.Conflicts {
		v.results.Add(v.conflictRow(c))
	}
	for _, d := range rep.DeletedOnPhone {
		if d.Event {
			v.results.Add(v.eventDeletionRow(d, true))
			continue
		}
		v.results.Add(v.deletionRow(d, d.Name+" was deleted on the phone",
			"Still here, with everything you noted. Nothing is deleted until you say.",
			"Delete here too", "Removes "+d.Name+" here as well; Undo (or File › Import History…) brings them back whole.",
			"Keep", "Keeps "+d.Name+" here; the next sync puts them back on the phone."))
	}
	for _, d := range rep.DeletedHere {
		if d.Event {
			v.results.Add(v.eventDeletionRow(d, false))
			continue
		}
		v.results.Add(v.deletionRow(d, d.Name+" was deleted here",
			"Their card is still on the phone. Nothing is deleted there until you say.",
			"Delete on the phone too", "Deletes the card on the phone, unless it was changed there since the last sync; Undo (or File › Import History…) puts it back.",
			"Keep on the phone", "Leaves the card on the phone and brings "+d.Name+" back here from it."))
	}
	for _, line := range rep.Lines {
		asked := strings.TrimPrefix(line, "appointment ")
		if strings.HasPrefix(asked, "changed on both sides") || strings.HasPrefix(asked, "deleted on the phone:") ||
			strings.HasPrefix(asked, "deleted here, still") {
			continue // shown above, with its buttons
		}
		v.results.Add(widget.NewLabel(line))
	}
}

// deletionRow is a deletion on one side, with a button for each way to
// settle it and what each does in words.
func (v *phoneSyncView) deletionRow(d app.SyncItem, title, state, deleteLabel, deleteSays, keepLabel, keepSays string) fyne.CanvasObject {
	m := v.m
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what := widget.NewLabel(state)
	what.Wrapping = fyne.TextWrapWord
	row := container.NewVBox(heading, what)
	settle := func(how app.Deletion) func() {
		return func() {
			password := v.password.Text
			m.run(func() func() {
				done, err := m.svc.SettleDeletion(m.ctx, password, d.Href, how)
				return func() {
					if err != nil {
						what.SetText(err.Error())
						return
					}
					row.RemoveAll()
					row.Add(heading)
					heading.SetText(done.Message)
					var undo func() error
					if done.Batch != 0 {
						batch := done.Batch
						undo = func() error {
							_, err := m.svc.UndoImport(m.ctx, batch)
							return err
						}
					}
					m.done.announce(done.Message, undo)
					m.refreshAll()
				}
			})
		}
	}
	del := widget.NewButton(deleteLabel, settle(app.DeleteToo))
	keep := widget.NewButton(keepLabel, settle(app.Undelete))
	delSays, keepSaysLabel := faint(deleteSays), faint(keepSays)
	row.Add(container.NewGridWithColumns(2, container.NewVBox(del, delSays), container.NewVBox(keep, keepSaysLabel)))
	return row
}

func (v *phoneSyncView) conflictRow(c app.SyncItem) fyne.CanvasObject {
	m := v.m
	heading := widget.NewLabelWithStyle(c.Name+" changed on both sides", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	phone, mine := widget.NewLabel("…"), widget.NewLabel("…")
	row := container.NewVBox(heading)
	keep := func(side app.Side) func() {
		return func() {
			password := v.password.Text
			m.run(func() func() {
				err := m.svc.ResolveSyncConflict(m.ctx, password, c.Href, side)
				return func() {
					if err != nil {
						m.showError(err)
						return
					}
					heading.SetText(c.Name + ": " + map[app.Side]string{app.KeepPhone: "the phone's version kept", app.KeepMine: "your version kept"}[side])
					row.RemoveAll()
					row.Add(heading)
					m.refreshAll()
				}
			})
		}
	}
	keepPhone := widget.NewButton("Keep the phone's", keep(app.KeepPhone))
	keepMine := widget.NewButton("Keep mine", keep(app.KeepMine))
	sides := container.NewGridWithColumns(2,
		container.NewVBox(widget.NewLabelWithStyle("On the phone", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}), phone, keepPhone),
		container.NewVBox(widget.NewLabelWithStyle("Here", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}), mine, keepMine))
	row.Add(sides)
	password := v.password.Text
	m.run(func() func() {
		s, err := m.svc.ConflictSides(m.ctx, password, c.Href)
		return func() {
			if err != nil {
				phone.SetText(err.Error())
				return
			}
			phone.SetText(strings.Join(s.Phone, "\n"))
			mine.SetText(strings.Join(s.Mine, "\n"))
		}
	})
	return row
}

// prefSyncEvery is how many minutes apart this desk syncs by itself; 0 (the
// default) for never.
const prefSyncEvery = "phoneSync.everyMinutes"

type syncInterval struct {
	label   string
	minutes int
}

func syncIntervals() []syncInterval {
	return []syncInterval{{"Off (only when asked)", 0}, {"Every 15 minutes", 15}, {"Every hour", 60}, {"Every 4 hours", 240}}
}

func syncIntervalLabels() []string {
	var out []string
	for _, iv := range syncIntervals() {
		out = append(out, iv.label)
	}
	return out
}

func syncIntervalLabel(minutes int) string {
	for _, iv := range syncIntervals() {
		if iv.minutes == minutes {
			return iv.label
		}
	}
	return syncIntervals()[0].label
}

// startSyncTimer (re)arms the desk's own phone sync, if the owner set one;
// an earlier timer is dropped.
func (m *Main) startSyncTimer() {
	m.syncTimer++
	every := m.app.Preferences().Int(prefSyncEvery)
	if every <= 0 {
		return
	}
	armed := m.syncTimer
	m.later(time.Duration(every)*time.Minute, func() { m.syncBySelf(armed) })
}

// syncBySelf is the timer's sync: in the background, said in the line at
// the bottom when it changed something or failed, never in a dialog that
// interrupts the owner.
func (m *Main) syncBySelf(armed int) {
	if armed != m.syncTimer {
		return // the owner changed the interval since
	}
	m.run(func() func() {
		set, err := m.svc.PhoneSyncSettings(m.ctx)
		var rep *app.SyncReport
		if err == nil && set.URL != "" {
			var password string
			if password, _, err = m.svc.PhoneSyncPassword(set.URL, set.User); err == nil {
				rep, err = m.svc.SyncPhone(m.ctx, app.SyncOptions{Password: password, Region: m.svc.PhoneRegion()})
			}
		}
		return func() {
			switch {
			case err != nil:
				m.done.announce("Phone sync did not run: "+err.Error(), nil)
			case rep != nil && (rep.FromPhoneAdded+rep.FromPhoneMerged+rep.FromPhoneUpdated+rep.ToPhoneAdded+rep.ToPhoneUpdated+
				len(rep.Conflicts)+len(rep.DeletedOnPhone)+len(rep.DeletedHere) > 0 || calendarChanged(rep)):
				m.done.announce("Phone sync: "+rep.Summary(), nil)
				m.refreshAll()
			}
			m.startSyncTimer()
		}
	})
}
