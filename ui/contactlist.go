package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// contactList is the search box over the list of contacts. It holds the
// IDs of the contacts shown, in order, and reads the rows' names a page at a
// time as they scroll into view: 50,000 IDs load in 20 ms, 50,000 names
// would take a quarter of a second.
type contactList struct {
	m        *Main
	search   *searchEntry
	list     *widget.List
	count    *widget.Label
	only     *widget.Check  // list only the unreliable contacts
	stage    *widget.Select // list only the contacts of a stage
	tag      *widget.Select // list only the contacts with a tag
	dir      *app.Directory // nil until loaded, and again after a change
	ids      []int64        // shown, in order
	rows     map[int64]app.ListRow
	flagged  map[int64]bool // unreliable contacts among the rows read
	pending  map[int]bool   // pages being read
	selected int64          // contact shown on the card, 0 for none
	recent   []int          // pages read last, the newest last: those in view
	onSelect func(id int64)

	generation int // of the newest search; older answers are dropped
	cancel     context.CancelFunc
}

// page is how many rows are read at a time.
const page = 100

func newContactList(m *Main, onSelect func(id int64)) *contactList {
	cl := &contactList{m: m, onSelect: onSelect, count: widget.NewLabel(""),
		rows: map[int64]app.ListRow{}, flagged: map[int64]bool{}, pending: map[int]bool{}}
	cl.count.Importance = widget.LowImportance
	cl.search = newSearchEntry(cl)
	cl.newFilters()
	cl.list = widget.NewList(func() int { return len(cl.ids) }, newContactRow, cl.updateRow)
	cl.list.OnSelected = cl.onRowSelected
	return cl
}

// newFilters makes the unreliable check, the stage and the tag filters,
// each searching again when changed.
func (cl *contactList) newFilters() {
	// Beside the search box: a row more above the list is a name less on
	// the first screen.
	cl.only = widget.NewCheck("Only unreliable", func(bool) { cl.refresh() })
	stages := []string{allStages}
	for _, st := range model.Stages() {
		stages = append(stages, string(st))
	}
	cl.stage = widget.NewSelect(stages, nil)
	// Short placeholders: Fyne sizes a select by its placeholder too, and
	// "(Select one)" made the filter row wider than the list's smallest.
	cl.stage.PlaceHolder = "Stage"
	cl.stage.SetSelected(allStages)
	cl.stage.OnChanged = func(string) { cl.refresh() }
	cl.tag = widget.NewSelect([]string{allTags}, nil)
	cl.tag.PlaceHolder = "Tag"
	cl.tag.SetSelected(allTags)
	cl.tag.OnChanged = func(string) { cl.refresh() }
}

// newContactRow is a row of the list: the name, and the stage at the
// right.
func newContactRow() fyne.CanvasObject {
	name := widget.NewLabel("Contact name")
	name.Truncation = fyne.TextTruncateEllipsis
	stage := widget.NewLabel("customer")
	stage.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, stage, name)
}

// updateRow shows the contact of row id, or "…" while its page is read.
func (cl *contactList) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(cl.ids) {
		return
	}
	row := o.(*fyne.Container)
	name := row.Objects[0].(*widget.Label)
	stage := row.Objects[1].(*widget.Label)
	r, ok := cl.rows[cl.ids[id]]
	if !ok {
		name.SetText("…")
		stage.SetText("")
		cl.fetchPage(id / page)
		return
	}
	text := r.DisplayName
	if r.Organization != "" && r.Organization != r.DisplayName {
		text += " · " + r.Organization
	}
	if r.Hint != "" { // another contact has this name
		text += " · " + r.Hint
	}
	name.SetText(text)
	if cl.flagged[r.ID] {
		stage.Importance = widget.WarningImportance
		stage.SetText("⚠ unreliable")
	} else {
		stage.Importance = widget.LowImportance
		stage.SetText(string(r.Stage))
	}
}

func (cl *contactList) content() fyne.CanvasObject {
	newButton := widget.NewButtonWithIcon("New contact", theme.ContentAddIcon(), cl.m.onNewContact)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, cl.only, cl.search),
		container.NewGridWithColumns(2, cl.stage, cl.tag))
	bottom := container.NewBorder(nil, nil, nil, newButton, cl.count)
	return container.NewBorder(top, bottom, nil, nil, cl.list)
}

func (cl *contactList) onRowSelected(id widget.ListItemID) {
	if id < 0 || id >= len(cl.ids) {
		return
	}
	contactID := cl.ids[id]
	if contactID == cl.selected {
		return
	}
	cl.selected = contactID
	cl.onSelect(contactID)
}

func (cl *contactList) onSearchChanged(string) { cl.refresh() }

// The filters' first choices, which leave no one out.
const (
	allStages = "All stages"
	allTags   = "All tags"
)

// filter is the stage and tag chosen above the list.
func (cl *contactList) filter() app.ListFilter {
	var f app.ListFilter
	if s := cl.stage.Selected; s != allStages {
		f.Stage = model.Stage(s)
	}
	if t := cl.tag.Selected; t != allTags {
		f.Tag = t
	}
	return f
}

// refresh runs the search in the background and shows its answer, unless a
// newer search has started meanwhile. The contact on the card stays
// highlighted when it is among the answers.
func (cl *contactList) refresh() { cl.load(cl.selected, loadOptions{}) }

// refreshAndSelect reloads the list after a change and then shows contact
// id on the card, afresh.
func (cl *contactList) refreshAndSelect(id int64) {
	cl.forget()
	cl.load(id, loadOptions{reload: true})
}

// reloadInPlace reads the list again after a change made elsewhere: the
// rows read so far are read again with it, so that nothing flickers, and
// the selection and the scroll position stay as they are.
func (cl *contactList) reloadInPlace() {
	cl.dir = nil
	cl.load(cl.selected, loadOptions{inPlace: true})
}

// loadOptions say how a load shows its answer.
type loadOptions struct {
	reload  bool // show the selected contact's card afresh
	inPlace bool // keep the rows shown until their new text is read, and the scroll position
}

// reloadAll reloads the list after contacts were added or removed.
func (cl *contactList) reloadAll() {
	cl.forget()
	cl.refresh()
}

// forget drops what was read, so that the next load reads it afresh.
func (cl *contactList) forget() {
	cl.dir = nil
	clear(cl.rows)
	clear(cl.flagged)
}

// reflag reads again whether these contacts are unreliable (after an
// appointment's outcome changed).
func (cl *contactList) reflag(ids ...int64) {
	cl.m.run(func() func() {
		flagged, err := cl.m.svc.UnreliableAmong(cl.m.ctx, ids)
		return func() {
			if err != nil {
				cl.m.showError(err)
				return
			}
			for _, id := range ids {
				cl.flagged[id] = flagged[id]
			}
			cl.list.Refresh()
		}
	})
}

// load searches in the background and shows the answer with contact id
// selected, unless a newer search has started meanwhile.
func (cl *contactList) load(id int64, opts loadOptions) {
	q := cl.newQuery(opts)
	cl.m.run(func() func() {
		a := cl.answer(q)
		return func() { cl.showAnswer(q, a, id, opts) }
	})
}

// listQuery is what a load asks, read on the UI goroutine.
type listQuery struct {
	ctx            context.Context // cancelled by the next load
	generation     int
	query          string
	dir            *app.Directory // nil: read it, and the tags, first
	onlyUnreliable bool
	filter         app.ListFilter
	shown          []int64 // the rows in view, to read again
}

// listAnswer is what a load found, off the UI goroutine.
type listAnswer struct {
	dir     *app.Directory
	tags    []string // nil unless the directory was read
	ids     []int64
	rows    []app.ListRow // of the first page and of the rows in view
	flagged map[int64]bool
	err     error
}

// newQuery cancels the load under way and takes what the next one asks.
func (cl *contactList) newQuery(opts loadOptions) listQuery {
	if cl.cancel != nil {
		cl.cancel()
	}
	ctx, cancel := context.WithCancel(cl.m.ctx)
	cl.cancel = cancel
	cl.generation++
	q := listQuery{ctx: ctx, generation: cl.generation, query: cl.search.Text, dir: cl.dir,
		onlyUnreliable: cl.only.Checked, filter: cl.filter()}
	if opts.inPlace {
		for _, p := range cl.recent {
			if p*page < len(cl.ids) {
				q.shown = append(q.shown, cl.ids[p*page:min((p+1)*page, len(cl.ids))]...)
			}
		}
	}
	return q
}

// answer runs q off the UI goroutine: the directory when needed, the
// search, the filters, then the rows to show first.
func (cl *contactList) answer(q listQuery) (a listAnswer) {
	svc, ctx := cl.m.svc, q.ctx
	a.dir = q.dir
	if a.dir == nil {
		if a.dir, a.err = svc.LoadDirectory(ctx); a.err != nil {
			return a
		}
		if a.tags, a.err = svc.Tags(ctx); a.err != nil {
			return a
		}
	}
	if a.ids, a.err = svc.Search(ctx, a.dir, q.query); a.err != nil {
		return a
	}
	if a.ids, a.err = svc.FilterContacts(ctx, a.ids, q.filter); a.err != nil {
		return a
	}
	if q.onlyUnreliable {
		if a.ids, a.err = cl.keepUnreliable(ctx, a.ids); a.err != nil {
			return a
		}
	}
	read := append(q.shown, a.ids[:min(page, len(a.ids))]...)
	if a.rows, a.err = svc.ListRows(ctx, read); a.err != nil {
		return a
	}
	a.flagged, a.err = svc.UnreliableAmong(ctx, read)
	return a
}

// keepUnreliable returns the unreliable contacts among ids, in their order.
func (cl *contactList) keepUnreliable(ctx context.Context, ids []int64) ([]int64, error) {
	unreliable, err := cl.m.svc.UnreliableContacts(ctx)
	if err != nil {
		return nil, err
	}
	keep := make(map[int64]bool, len(unreliable))
	for _, id := range unreliable {
		keep[id] = true
	}
	return slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return !keep[id] }), nil
}

// showAnswer shows a on the UI goroutine, unless a newer search is on its
// way; an error of a cancelled search goes unsaid.
func (cl *contactList) showAnswer(q listQuery, a listAnswer, id int64, opts loadOptions) {
	if q.generation != cl.generation {
		return // a newer search is on its way
	}
	if a.err != nil {
		if q.ctx.Err() == nil {
			cl.m.showError(a.err)
		}
		return
	}
	cl.dir = a.dir
	if a.tags != nil || opts.inPlace {
		cl.setTags(a.tags)
	}
	if opts.inPlace {
		clear(cl.rows)
		clear(cl.flagged)
	}
	for _, r := range a.rows {
		cl.rows[r.ID] = r
		cl.flagged[r.ID] = a.flagged[r.ID]
	}
	cl.show(a.ids, q.query, id, opts)
}

// fetchPage reads the rows of page p of the shown IDs in the background.
func (cl *contactList) fetchPage(p int) {
	if cl.pending[p] {
		return
	}
	cl.pending[p] = true
	// The pages read last are the ones in view (see reloadInPlace).
	cl.recent = append(slices.DeleteFunc(cl.recent, func(q int) bool { return q == p }), p)
	if len(cl.recent) > 3 {
		cl.recent = cl.recent[1:]
	}
	ids := cl.ids[p*page : min((p+1)*page, len(cl.ids))]
	cl.m.run(func() func() {
		rows, err := cl.m.svc.ListRows(cl.m.ctx, ids)
		var flagged map[int64]bool
		if err == nil {
			flagged, err = cl.m.svc.UnreliableAmong(cl.m.ctx, ids)
		}
		return func() {
			delete(cl.pending, p)
			if err != nil {
				cl.m.showError(err)
				return
			}
			for _, r := range rows {
				cl.rows[r.ID] = r
				cl.flagged[r.ID] = flagged[r.ID]
			}
			// A contact removed meanwhile (say from the command line) is
			// shown as such rather than asked for again and again.
			for _, id := range ids {
				if _, ok := cl.rows[id]; !ok {
					cl.rows[id] = app.ListRow{ContactRow: model.ContactRow{ID: id, DisplayName: "(removed)"}}
				}
			}
			cl.list.Refresh()
		}
	})
}

// setTags offers the tags in use in the tag filter, keeping the one chosen.
func (cl *contactList) setTags(tags []string) {
	options := append([]string{allTags}, tags...)
	if slices.Equal(options, cl.tag.Options) {
		return
	}
	cl.tag.Options = options
	cl.tag.Refresh()
}

// show lists ids, says how many there are, and selects selectID (keeping
// the selection and scroll position when opts.inPlace).
func (cl *contactList) show(ids []int64, query string, selectID int64, opts loadOptions) {
	cl.ids = ids
	clear(cl.pending)
	cl.count.SetText(cl.countText(len(ids), query))
	cl.m.setEmpty(len(ids) == 0 && query == "" && !cl.only.Checked && !cl.filter().Active())
	if opts.inPlace {
		// The same rows in the same order, unless the change moved them:
		// the selection follows its contact, the scroll position stays.
		cl.list.Refresh()
		if i := slices.Index(ids, cl.selected); i >= 0 {
			cl.list.Select(i)
		} else {
			cl.list.UnselectAll()
		}
		return
	}
	cl.list.UnselectAll()
	cl.list.Refresh()
	if selectID == 0 {
		return
	}
	for i, id := range ids {
		if id == selectID {
			if opts.reload {
				cl.selected = 0 // so that selecting loads the card again
			}
			cl.list.Select(i)
			cl.list.ScrollTo(i)
			return
		}
	}
	if opts.reload { // not among the answers to the search, but still the one to show
		cl.selected = selectID
		cl.onSelect(selectID)
	}
}

// countText says how many contacts are listed, and what for: the search,
// the unreliable check, the stage and tag filters.
func (cl *contactList) countText(n int, query string) string {
	var text string
	switch {
	case query == "":
		text = app.Plural(n, "contact")
	case n == 0:
		text = "No one matches “" + query + "”"
	default:
		verb := "match"
		if n == 1 {
			verb = "matches"
		}
		text = fmt.Sprintf("%s %s “%s”", app.Plural(n, "contact"), verb, query)
	}
	if cl.only.Checked {
		text = app.Plural(n, "unreliable contact")
	}
	if f := cl.filter(); f.Active() && query == "" {
		var parts []string
		if f.Stage != "" {
			parts = append(parts, string(f.Stage))
		}
		if f.Tag != "" {
			parts = append(parts, "tagged “"+f.Tag+"”")
		}
		text += " (" + strings.Join(parts, ", ") + ")"
	}
	return text
}

// moveSelection selects the row delta rows away from the selected one.
func (cl *contactList) moveSelection(delta int) {
	if len(cl.ids) == 0 {
		return
	}
	current := slices.Index(cl.ids, cl.selected)
	next := current + delta
	if current < 0 {
		next = 0
	}
	next = max(0, min(next, len(cl.ids)-1))
	cl.list.Select(next)
	cl.list.ScrollTo(next)
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
	// Enter goes to the log line of the contact shown, or of the first
	// answer when the one shown is not among the answers.
	e.OnSubmitted = func(string) {
		if len(cl.ids) == 0 {
			return
		}
		if !slices.Contains(cl.ids, cl.selected) {
			cl.list.Select(0)
			cl.list.ScrollTo(0)
		}
		cl.m.card.focusLog()
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
