// Package ui is Rapport's desktop window, built with Fyne. Each screen is a
// struct with its widgets and its handlers; slow work runs off the UI
// goroutine and comes back through fyne.Do.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/rapportjournal/rapport/app"
)

// runner runs work away from the UI goroutine and then applies the UI
// update work returns on the UI goroutine.
type runner func(work func() (apply func()))

// timer calls f on the UI goroutine after d.
type timer func(d time.Duration, f func())

// onUIAfter is the timer of the real window.
func onUIAfter(d time.Duration, f func()) { time.AfterFunc(d, func() { fyne.Do(f) }) }

// never is the timer of headless tests: what would happen later does not,
// so that a test sees the state it tapped into.
func never(time.Duration, func()) {}

// inBackground is the runner of the real window.
func inBackground(work func() func()) {
	go func() {
		if apply := work(); apply != nil {
			fyne.Do(apply)
		}
	}()
}

// Main is the main window: the contact list beside the selected card.
type Main struct {
	app    fyne.App
	win    fyne.Window
	svc    *app.Service
	run    runner
	later  timer
	ctx    context.Context
	list   *contactList
	card   *contactCard
	agenda *agendaView
	today  *todayView
	notes  *notesView
	// insights is the Insights tab.
	insights *insightsView
	tabs     *container.AppTabs
	done     *snackbar // says what the last one-click action did, with Undo
	// welcome stands in for the list and the card (split) while there is
	// no contact.
	welcome *welcome
	split   *container.Split

	editor    *contactEditor  // the open contact editor; one at a time
	importing *vcardImport    // the import under way; one at a time
	outreach  *outreachDialog // the outreach dialog opened last
	printed   string          // the file last saved by a print or an export
	syncTimer int             // counts phone sync timers armed, so that only the last one runs

	opener opener // the system's program that opens a saved file
	// askSavePath and askFolder ask where to save (Fyne's dialogs; tests
	// answer them with a path).
	askSavePath func(name, dir string, done func(path string))
	askFolder   func(dir string, done func(dir string))
	dates       app.DateStyle // how every date is written and read (dates.go)

	seenVersion int64         // the data version last shown (see watchChanges)
	keys        []*dialogKeys // what Escape and Enter do in the open dialogs, the top one last
}

// Create fills w with Rapport's main window and loads the contacts. The
// window's background work (loads, searches, rescoring, phone sync) runs
// under ctx: cancel it when the window closes, so that closing the
// database does not wait for a query nobody will see.
func Create(ctx context.Context, a fyne.App, w fyne.Window, svc *app.Service) *Main {
	if err := pinFyneEnglish(); err != nil {
		fyne.LogError("Fyne's own strings stay in the system's language", err)
	}
	m := newMain(ctx, a, w, svc, inBackground, onUIAfter)
	m.startSyncTimer()
	w.Resize(fyne.NewSize(1100, 720))
	// Today's reliability scores, kept for the "Unreliable" filter:
	// rescoring 50,000 contacts takes seconds, once a day, out of the way.
	m.run(func() func() {
		err := svc.RefreshReliability(m.ctx, nil)
		return func() {
			m.showError(err)
			m.today.notifyDue()
		}
	})
	return m
}

func newMain(ctx context.Context, a fyne.App, w fyne.Window, svc *app.Service, run runner, later timer) *Main {
	m := &Main{app: a, win: w, svc: svc, run: run, later: later, ctx: ctx}
	m.done = newSnackbar(m)
	m.opener = app.SystemOpener()
	m.askSavePath, m.askFolder = m.fileSaveDialog, m.folderDialog
	m.dates = dateStyle(a.Preferences())
	svc.SetDateStyle(m.dates)
	svc.SetMoneyLocale(systemMoneyLocale())
	svc.SetPhoneRegion(m.importRegion())
	m.showError(svc.LoadSettings(m.ctx))
	m.card = newContactCard(m)
	m.list = newContactList(m, m.card.show)
	m.agenda = newAgendaView(m)
	m.today = newTodayView(m)
	m.notes = newNotesView(m)
	m.insights = newInsightsView(m)
	// Each side keeps a usable width, so that neither the list nor the card
	// is squeezed until its words stack letter by letter.
	split := container.NewHSplit(withMinWidth(m.list.content(), listMinWidth), withMinWidth(m.card.content(), cardMinWidth))
	m.split = split
	split.Offset = clampSplit(a.Preferences().FloatWithFallback(prefSplitOffset, 0.32))
	m.welcome = newWelcome(m)
	m.tabs = container.NewAppTabs(
		container.NewTabItem("Contacts", container.NewStack(split, m.welcome.root)),
		container.NewTabItem("Appointments", m.agenda.content()),
		container.NewTabItem("Today", m.today.content()),
		container.NewTabItem("Notes", m.notes.content()),
		container.NewTabItem("Insights", m.insights.content()),
	)
	m.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Text {
		case "Appointments":
			m.agenda.refresh()
		case "Today":
			m.today.refresh()
		case "Notes":
			m.notes.refresh()
		case "Insights":
			m.insights.refresh()
		}
	}
	w.SetContent(withMinSize(container.NewBorder(nil, m.done.root, nil, nil, m.tabs), fyne.NewSize(windowMinWidth, windowMinHeight)))
	w.SetMainMenu(m.menu())
	m.addShortcuts()
	w.Canvas().SetOnTypedKey(m.onCanvasKey)
	w.SetOnClosed(func() { a.Preferences().SetFloat(prefSplitOffset, clampSplit(split.Offset)) })
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		if path := firstVCard(uris); path != "" {
			m.importFile(path)
		}
	})
	m.watchChanges() // before the first load, so that no change is missed after it
	m.list.refresh()
	return m
}

const (
	prefSplitOffset = "window.splitOffset"
	prefLastKind    = "journal.lastKind"
)

// shortcut is Ctrl+key (Cmd+key on macOS).
func shortcut(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// commands are the window-wide actions with their keys, shared by the menu
// and the canvas shortcuts.
func (m *Main) commands() []struct {
	label string
	key   fyne.KeyName
	do    func()
} {
	return []struct {
		label string
		key   fyne.KeyName
		do    func()
	}{
		{"New Contact…", fyne.KeyN, m.onNewContact},
		{"Find…", fyne.KeyF, m.onFind},
		{"Edit Contact…", fyne.KeyE, m.card.onEdit},
		{"Log an Entry", fyne.KeyL, m.card.onLogShortcut},
		{"Outreach to a Group…", fyne.KeyG, func() { m.onOutreach() }},
	}
}

func (m *Main) menu() *fyne.MainMenu {
	var contactItems []*fyne.MenuItem
	for _, c := range m.commands() {
		item := fyne.NewMenuItem(c.label, c.do)
		item.Shortcut = shortcut(c.key)
		contactItems = append(contactItems, item)
	}
	contactItems = append(contactItems, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Forget This Person…", func() { m.card.onForget() }))
	importItem := fyne.NewMenuItem("Import vCards…", m.onImportVCards)
	importItem.Shortcut = shortcut(fyne.KeyI)
	history := fyne.NewMenuItem("Import History…", func() { m.onImportHistory() })
	return fyne.NewMainMenu(
		// Fyne moves Settings… to the application menu on macOS and adds Quit.
		fyne.NewMenu("File", importItem, history,
			fyne.NewMenuItem("Export…", func() { m.onExport() }), fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Print Follow-ups…", m.onPrintFollowups),
			fyne.NewMenuItem("Print Address Labels…", func() { m.onPrintLabels() }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Backups…", func() { m.onBackups() }),
			fyne.NewMenuItem("Phone Sync…", func() { m.onPhoneSync() }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Settings…", func() { m.onSettings() })),
		fyne.NewMenu("Contact", contactItems...),
	)
}

// addShortcuts puts the same keys on the canvas, for when no menu bar
// handles them (the menu's own shortcuts are tried first on desktop).
func (m *Main) addShortcuts() {
	for _, c := range m.commands() {
		do := c.do
		m.win.Canvas().AddShortcut(shortcut(c.key), func(fyne.Shortcut) { do() })
	}
	m.win.Canvas().AddShortcut(shortcut(fyne.KeyI), func(fyne.Shortcut) { m.onImportVCards() })
}

func (m *Main) onFind() { m.win.Canvas().Focus(m.list.search) }

func (m *Main) onNewContact() {
	if m.editor != nil {
		return
	}
	showContactEditor(m, nil, func(id int64) {
		m.list.refreshAndSelect(id)
	})
}

// showContact switches to the contact's card.
func (m *Main) showContact(id int64) {
	m.tabs.SelectIndex(0)
	m.list.refreshAndSelect(id)
}

// afterAppointmentChange shows what an appointment's change did: the card,
// the list's badge and the agenda.
func (m *Main) afterAppointmentChange(contactID int64) {
	if m.card.card != nil && m.card.card.Contact.ID == contactID {
		m.card.reload()
	}
	m.list.reflag(contactID)
	m.agenda.refresh()
}

// showError tells the owner what went wrong, in a dialog.
func (m *Main) showError(err error) {
	if err != nil {
		d := dialog.NewError(err, m.win)
		m.keyed(d, d.Hide, d.Hide)
		d.Show()
	}
}
