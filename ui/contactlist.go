package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/model"
)

// contactList is the search box over the list of contacts.
type contactList struct {
	m        *Main
	search   *searchEntry
	list     *widget.List
	count    *widget.Label
	rows     []model.ContactRow
	selected int64 // contact shown on the card, 0 for none
	onSelect func(id int64)

	generation int // of the newest search; older answers are dropped
	cancel     context.CancelFunc
}

func newContactList(m *Main, onSelect func(id int64)) *contactList {
	cl := &contactList{m: m, onSelect: onSelect, count: widget.NewLabel("")}
	cl.count.Importance = widget.LowImportance
	cl.search = newSearchEntry(cl)
	cl.list = widget.NewList(
		func() int { return len(cl.rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("Contact name")
			name.Truncation = fyne.TextTruncateEllipsis
			stage := widget.NewLabel("customer")
			stage.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, nil, stage, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(cl.rows) {
				return
			}
			r := cl.rows[id]
			row := o.(*fyne.Container)
			name := row.Objects[0].(*widget.Label)
			stage := row.Objects[1].(*widget.Label)
			text := r.DisplayName
			if r.Organization != "" && r.Organization != r.DisplayName {
				text += " · " + r.Organization
			}
			name.SetText(text)
			stage.SetText(string(r.Stage))
		},
	)
	cl.list.OnSelected = cl.onRowSelected
	return cl
}

func (cl *contactList) content() fyne.CanvasObject {
	newButton := widget.NewButtonWithIcon("New contact", theme.ContentAddIcon(), cl.m.onNewContact)
	top := container.NewVBox(cl.search)
	bottom := container.NewBorder(nil, nil, nil, newButton, cl.count)
	return container.NewBorder(top, bottom, nil, nil, cl.list)
}

func (cl *contactList) onRowSelected(id widget.ListItemID) {
	if id < 0 || id >= len(cl.rows) {
		return
	}
	contactID := cl.rows[id].ID
	if contactID == cl.selected {
		return
	}
	cl.selected = contactID
	cl.onSelect(contactID)
}

func (cl *contactList) onSearchChanged(string) { cl.refresh() }

// refresh runs the search in the background and shows its answer, unless a
// newer search has started meanwhile. The contact on the card stays
// highlighted when it is among the answers.
func (cl *contactList) refresh() { cl.load(cl.selected, false) }

// refreshAndSelect refreshes and then shows contact id on the card, afresh.
func (cl *contactList) refreshAndSelect(id int64) { cl.load(id, true) }

func (cl *contactList) load(id int64, reload bool) {
	if cl.cancel != nil {
		cl.cancel()
	}
	ctx, cancel := context.WithCancel(cl.m.ctx)
	cl.cancel = cancel
	cl.generation++
	generation := cl.generation
	query := cl.search.Text
	cl.m.run(func() func() {
		rows, err := cl.m.svc.ListContacts(ctx, query)
		return func() {
			if generation != cl.generation {
				return // a newer search is on its way
			}
			if err != nil {
				if ctx.Err() == nil {
					cl.m.showError(err)
				}
				return
			}
			cl.show(rows, query, id, reload)
		}
	})
}

func (cl *contactList) show(rows []model.ContactRow, query string, selectID int64, reload bool) {
	cl.rows = rows
	switch {
	case query == "":
		cl.count.SetText(plural(len(rows), "contact"))
	case len(rows) == 0:
		cl.count.SetText("No one matches “" + query + "”")
	default:
		cl.count.SetText(fmt.Sprintf("%s match “%s”", plural(len(rows), "contact"), query))
	}
	cl.list.UnselectAll()
	cl.list.Refresh()
	if selectID == 0 {
		return
	}
	for i, r := range rows {
		if r.ID == selectID {
			if reload {
				cl.selected = 0 // so that selecting loads the card again
			}
			cl.list.Select(i)
			cl.list.ScrollTo(i)
			return
		}
	}
	if reload { // not among the answers to the search, but still the one to show
		cl.selected = selectID
		cl.onSelect(selectID)
	}
}

// moveSelection selects the row delta rows away from the selected one.
func (cl *contactList) moveSelection(delta int) {
	if len(cl.rows) == 0 {
		return
	}
	current := -1
	for i, r := range cl.rows {
		if r.ID == cl.selected {
			current = i
			break
		}
	}
	next := current + delta
	if current < 0 {
		next = 0
	}
	next = max(0, min(next, len(cl.rows)-1))
	cl.list.Select(next)
	cl.list.ScrollTo(next)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// searchEntry is the search box; Up and Down move through the list while
// the cursor stays in the box, Enter goes to the selected card's log line.
type searchEntry struct {
	widget.Entry
	list *contactList
}

func newSearchEntry(cl *contactList) *searchEntry {
	e := &searchEntry{list: cl}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("Search names, details, notes…  (Ctrl+F)")
	e.OnChanged = cl.onSearchChanged
	e.OnSubmitted = func(string) {
		if cl.selected == 0 {
			cl.moveSelection(1)
		}
		cl.m.card.onLogShortcut()
	}
	return e
}

// TypedKey moves the list selection on Up and Down.
func (e *searchEntry) TypedKey(key *fyne.KeyEvent) {
	switch key.Name {
	case fyne.KeyDown:
		e.list.moveSelection(1)
	case fyne.KeyUp:
		e.list.moveSelection(-1)
	default:
		e.Entry.TypedKey(key)
	}
}
