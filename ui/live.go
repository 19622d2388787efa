package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// changesPolledEvery is how often the window asks whether the data changed
// elsewhere (an undo, an import from the command line, another desk): a
// change shows within two seconds without anyone typing.
const changesPolledEvery = time.Second

// watchChanges reads the data version now, then asks again every
// changesPolledEvery and shows what changed when it did.
func (m *Main) watchChanges() {
	m.run(func() func() {
		v, err := m.svc.DataVersion(m.ctx)
		return func() {
			if err != nil {
				// Not worth a dialog a second: the window still works, it
				// only does not follow others' changes on its own.
				fyne.LogError("the window will not show changes made elsewhere by itself", err)
				return
			}
			m.seenVersion = v
			m.later(changesPolledEvery, m.checkForChanges)
		}
	})
}

// checkForChanges is one tick of watchChanges.
func (m *Main) checkForChanges() {
	m.run(func() func() {
		v, err := m.svc.DataVersion(m.ctx)
		return func() {
			if err == nil && v != m.seenVersion {
				m.seenVersion = v
				m.showChanges()
			}
			m.later(changesPolledEvery, m.checkForChanges)
		}
	})
}

// showChanges shows the data as it is now: the list (keeping its selection
// and scroll position), the card, and the tab in view; the other tabs read
// afresh when they are opened.
func (m *Main) showChanges() {
	m.list.reloadInPlace()
	if m.card.card != nil {
		m.card.reload()
	}
	switch m.tabs.Selected().Text {
	case "Appointments":
		m.agenda.refresh()
	case "Today":
		m.today.refresh()
	case "Notes":
		m.notes.refresh()
	}
}
