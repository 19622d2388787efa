package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

const (
	prefImportRegion = "import.region" // phone region for numbers without a country code
	prefImportFolder = "import.folder" // where the last imported file was
)

// defaultRegion is the phone region of the owner's locale (LANG), as the
// command line takes it: phone exports write local numbers without +49.
func defaultRegion(getenv func(string) string) string {
	return app.RegionFromLocale(getenv("LANG"))
}

func (m *Main) importRegion() string {
	return m.app.Preferences().StringWithFallback(prefImportRegion, defaultRegion(os.Getenv))
}

// isVCardFile tells vCard files by their name, as the file dialog does.
func isVCardFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".vcf" || ext == ".vcard"
}

// firstVCard is the path of the first vCard file among dropped items, ""
// when there is none.
func firstVCard(uris []fyne.URI) string {
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" && isVCardFile(u.Path()) {
			return u.Path()
		}
	}
	return ""
}

// onImportVCards asks for a vCard file and previews its import.
func (m *Main) onImportVCards() {
	if m.importing != nil {
		return
	}
	m.choose(chooserRequest{mode: chooseOpen, title: "Import vCards", confirm: "Import…",
		dir: m.app.Preferences().String(prefImportFolder), exts: []string{".vcf", ".vcard"},
		done: func(path string) {
			m.app.Preferences().SetString(prefImportFolder, filepath.Dir(path))
			m.importFile(path)
		}})
}

// The columns of the preview table.
const (
	colName = iota
	colPhones
	colEmails
	colMatch
	colAction
	columns
)

func columnTitles() []string { return []string{"Name", "Phones", "Emails", "Match", "Action"} }

func columnWidths() []float32 { return []float32{190, 250, 200, 170, 100} }

// vcardImport is one import of a file: its preview, where the owner picks
// what happens to each card, then the import with its progress.
type vcardImport struct {
	m       *Main
	path    string
	region  string
	plan    []app.PlannedCard
	actions map[int]app.Action // the owner's choice per card number
	// mergeInto holds, per card number, the similar contact (or the one of
	// another name sharing its phone) the owner chose to merge a card into
	// that matches none.
	mergeInto map[int]int64
	ctx       context.Context
	cancel    context.CancelFunc
	running   bool // the import is under way: choices are fixed

	reading   *dialog.CustomDialog // while the file is read
	dialog    *dialog.CustomDialog // the preview, then the progress
	summary   *widget.Label
	table     *widget.Table
	detail    *widget.Label
	selects   map[*widget.Select]int // action cell → row it shows now
	progress  *widget.ProgressBar
	importBtn *widget.Button
	cancelBtn *widget.Button
	report    *dialog.CustomDialog // what the import did
}

// importFile reads path in the background and shows what importing it would
// do. It returns the import at once; its preview follows when read.
func (m *Main) importFile(path string) *vcardImport {
	if m.importing != nil {
		return m.importing
	}
	v := &vcardImport{m: m, path: path, region: m.importRegion(), actions: map[int]app.Action{}, mergeInto: map[int]int64{},
		selects: map[*widget.Select]int{}}
	v.ctx, v.cancel = context.WithCancel(m.ctx)
	m.importing = v

	stop := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), v.close)
	v.reading = dialog.NewCustomWithoutButtons("Import vCards",
		container.NewVBox(widget.NewLabel("Reading "+filepath.Base(path)+"…"), widget.NewProgressBarInfinite(),
			container.NewHBox(layout.NewSpacer(), stop)), m.win)
	v.reading.Resize(fyne.NewSize(380, 0)) // room for the file's name and a bar that shows it moves
	m.keyed(v.reading, v.close, nil)
	v.reading.Show()
	ctx, region := v.ctx, v.region
	m.run(func() func() {
		plan, err := m.svc.PlanImport(ctx, path, region)
		return func() {
			v.reading.Hide()
			if ctx.Err() != nil {
				return // cancelled by the owner
			}
			if err != nil { // PlanImport names the file and what is wrong with it
				v.close()
				m.showError(err)
				return
			}
			v.plan = plan
			v.showPreview()
		}
	})
	return v
}

// close ends the import without importing, or forgets it once done.
func (v *vcardImport) close() {
	v.cancel()
	if v.reading != nil {
		v.reading.Hide()
	}
	if v.dialog != nil {
		v.dialog.Hide()
	}
	if v.m.importing == v {
		v.m.importing = nil
	}
}

func (v *vcardImport) showPreview() {
	v.summary = widget.NewLabelWithStyle(planSummary(v.plan), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.detail = widget.NewLabel("Pick a row to see its card in full.")
	v.detail.Importance = widget.LowImportance
	v.detail.Wrapping = fyne.TextWrapWord
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.plan), columns },
		newPlanCell, v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("Action", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 && id.Col < columns {
			o.(*widget.Label).SetText(columnTitles()[id.Col])
		}
	}
	for i, w := range columnWidths() {
		v.table.SetColumnWidth(i, w)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.plan) {
			v.detail.SetText(describeCard(v.plan[id.Row]))
			v.detail.Importance = widget.MediumImportance
			v.detail.Refresh()
		}
	}

	v.progress = widget.NewProgressBar()
	v.progress.Max = float64(len(v.plan))
	v.progress.TextFormatter = func() string {
		return fmt.Sprintf("%d of %s", int(v.progress.Value), app.Plural(int(v.progress.Max), "card"))
	}
	v.progress.Hide()
	v.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), v.onCancel)
	v.importBtn = widget.NewButtonWithIcon("Import", theme.DownloadIcon(), v.onImport)
	v.importBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(layout.NewSpacer(), v.cancelBtn, v.importBtn)
	bottom := container.NewVBox(v.detail, v.progress, buttons)
	body := container.NewBorder(v.summary, bottom, nil, nil, v.table)
	v.dialog = dialog.NewCustomWithoutButtons("Import "+filepath.Base(v.path), body, v.m.win)
	v.dialog.Resize(fyne.NewSize(960, 620))
	v.m.keyed(v.dialog, v.onCancel, func() {
		if !v.running && !v.importBtn.Disabled() {
			v.onImport()
		}
	})
	v.dialog.Show()
}

// planSummary counts the cards by what importing them would do:
// "142 cards: 120 new, 2 of them sharing a phone or email with another
// person (household?), 18 match a contact, 4 cannot be imported".
func planSummary(plan []app.PlannedCard) string {
	var fresh, matched, bad, shared int
	for _, pc := range plan {
		switch {
		case pc.Reason != "":
			bad++
		case pc.Match != nil:
			matched++
		default:
			fresh++
			if pc.Shared != nil {
				shared++
			}
		}
	}
	var parts []string
	if fresh > 0 {
		parts = append(parts, fmt.Sprintf("%d new", fresh))
	}
	if shared > 0 {
		parts = append(parts, fmt.Sprintf("%d of them sharing a phone or email with another person (household?)", shared))
	}
	if matched == 1 {
		parts = append(parts, "1 matches a contact")
	} else if matched > 0 {
		parts = append(parts, fmt.Sprintf("%d match a contact", matched))
	}
	if bad > 0 {
		parts = append(parts, fmt.Sprintf("%d cannot be imported", bad))
	}
	return app.Plural(len(plan), "card") + ": " + strings.Join(parts, ", ")
}

// updateCell shows a row of the plan in a reused cell.
func (v *vcardImport) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(v.plan) {
		return
	}
	pc := v.plan[id.Row]
	number := pc.Number
	showPlanCell(id, o, v.selects, planRow{card: pc, text: cellText(pc, id.Col), dim: pc.Reason != "",
		action: v.action(pc), into: v.mergeInto[number], locked: pc.Reason != "" || v.running,
		choose: func(action app.Action, into int64) {
			v.actions[number] = action
			if into != 0 {
				v.mergeInto[number] = into
			} else {
				delete(v.mergeInto, number)
			}
		}})
}

// action is what will happen to a card: the owner's choice, else the plan's.
func (v *vcardImport) action(pc app.PlannedCard) app.Action {
	if a, ok := v.actions[pc.Number]; ok {
		return a
	}
	return pc.Action
}

// actionOptions offers merge for a card that matches a contact, and "merge
// into" the contact of another name sharing its phone or email and the
// first similar contact for a card that only shares a name: neither merges
// by itself, but the owner may decide it does.
func actionOptions(pc app.PlannedCard) []string {
	switch {
	case pc.Reason != "":
		return []string{string(app.ActionSkip)}
	case pc.Match != nil:
		return []string{string(app.ActionAdd), string(app.ActionMerge), string(app.ActionSkip)}
	}
	options := []string{string(app.ActionAdd)}
	for _, t := range mergeTargets(pc) {
		options = append(options, mergeIntoLabel(t.name))
	}
	return append(options, string(app.ActionSkip))
}

// mergeTarget is a contact the owner may merge a card into that matches
// none.
type mergeTarget struct {
	id   int64
	name string
}

// mergeTargets are the contact sharing the card's phone or email (when it
// is stored already, not a card earlier in the file) and its first similar
// contact.
func mergeTargets(pc app.PlannedCard) []mergeTarget {
	var out []mergeTarget
	if pc.Shared != nil && pc.Shared.ContactID != 0 {
		out = append(out, mergeTarget{pc.Shared.ContactID, pc.Shared.Name})
	}
	if len(pc.Similar) > 0 && (len(out) == 0 || out[0].id != pc.Similar[0].ID) {
		out = append(out, mergeTarget{pc.Similar[0].ID, pc.Similar[0].DisplayName})
	}
	return out
}

// mergeIntoLabel is the option that merges a card into the contact named.
func mergeIntoLabel(name string) string {
	return "merge into " + name
}

// sharedText says that a card has a phone or email of a contact of another
// name: "same phone as Anna Schmidt (household?)".
func sharedText(m *app.Match) string {
	return fmt.Sprintf("same %s as %s (household?)", m.By, m.Name)
}

func cellText(pc app.PlannedCard, col int) string {
	c := pc.Contact
	switch col {
	case colName:
		name := c.DisplayName
		if c.Organization != "" && c.Organization != name {
			name = strings.TrimPrefix(name+" · "+c.Organization, " · ")
		}
		if name == "" {
			return fmt.Sprintf("(card %d, line %d)", pc.Number, pc.Line)
		}
		return name
	case colPhones:
		var out []string
		for _, p := range c.Phones {
			out = append(out, p.Number)
		}
		return strings.Join(out, ", ")
	case colEmails:
		var out []string
		for _, e := range c.Emails {
			out = append(out, e.Address)
		}
		return strings.Join(out, ", ")
	case colMatch:
		return matchText(pc)
	}
	return ""
}

// matchText says which contact a card is, or why it cannot be imported.
func matchText(pc app.PlannedCard) string {
	switch {
	case pc.Reason != "":
		return pc.Reason
	case pc.Match != nil:
		return fmt.Sprintf("%s (%s)", pc.Match.Name, pc.Match.By)
	case pc.Shared != nil:
		return sharedText(pc.Shared)
	case len(pc.Similar) == 1:
		return "similar: " + pc.Similar[0].DisplayName
	case len(pc.Similar) > 1:
		return fmt.Sprintf("similar: %s and %d more", pc.Similar[0].DisplayName, len(pc.Similar)-1)
	}
	return "new"
}

// describeCard is a card in full, for the row picked in the preview.
func describeCard(pc app.PlannedCard) string {
	lines := []string{fmt.Sprintf("Card %d (line %d): %s", pc.Number, pc.Line, cellText(pc, colName))}
	if s := cellText(pc, colPhones); s != "" {
		lines = append(lines, "Phones: "+s)
	}
	if s := cellText(pc, colEmails); s != "" {
		lines = append(lines, "Emails: "+s)
	}
	switch {
	case pc.Reason != "":
		lines = append(lines, "Cannot be imported: "+pc.Reason)
	case pc.Match != nil:
		lines = append(lines, fmt.Sprintf("Is %s here, found by %s.", pc.Match.Name, pc.Match.By))
	case pc.Shared != nil:
		lines = append(lines, app.Capitalize(sharedText(pc.Shared))+": another name, so it is added as a contact of its own "+
			"and linked to "+pc.Shared.Name+" as a household, unless you merge or skip it.")
	case len(pc.Similar) > 0:
		var names []string
		for _, r := range pc.Similar {
			names = append(names, r.DisplayName)
		}
		lines = append(lines, "Same name as "+strings.Join(names, ", ")+": no phone or email in common, so it is added unless you skip it.")
	}
	if len(pc.Problems) > 0 {
		lines = append(lines, "Read with care: "+strings.Join(pc.Problems, "; "))
	}
	return strings.Join(lines, "\n")
}

// onImport imports the file with the chosen actions in the background; the
// progress bar follows it and Cancel stops it after the card under way.
func (v *vcardImport) onImport() {
	if v.running {
		return
	}
	v.running = true
	v.importBtn.Hide()
	v.progress.Show()
	v.table.Refresh() // the choices are fixed now
	m, ctx, path := v.m, v.ctx, v.path
	opts := app.ImportOptions{Region: v.region, Actions: maps.Clone(v.actions), MergeInto: maps.Clone(v.mergeInto),
		Progress: func(done int) {
			// Told on the import's goroutine.
			fyne.Do(func() { v.progress.SetValue(float64(done)) })
		}}
	m.run(func() func() {
		report, err := m.svc.ImportVCards(ctx, path, opts)
		return func() {
			v.running = false
			v.close()
			m.list.reloadAll()
			m.card.reload() // a merge may have added to the contact shown
			stopped := ctx.Err() != nil && errors.Is(err, context.Canceled)
			switch {
			case stopped && report == nil:
				m.keyedInfo("Import cancelled",
					"The import was stopped. File › Import History… shows what it brought in, if anything.")
				return
			case err != nil && !stopped:
				m.showError(err)
			}
			if report != nil {
				v.showReport(report)
			}
		}
	})
}

func (v *vcardImport) onCancel() {
	if !v.running {
		v.close()
		return
	}
	v.cancel() // ImportVCards keeps what it imported and reports it
	v.cancelBtn.Disable()
	v.cancelBtn.SetText("Stopping…")
}

// showReport tells what the import did, and where the skipped cards are.
func (v *vcardImport) showReport(r *app.ImportReport) {
	title, head := "Import finished", "Done: "+r.Summary()+"."
	if r.Cancelled {
		title, head = "Import stopped", "Stopped: "+r.Summary()+"."
	}
	rows := []fyne.CanvasObject{widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if r.Cancelled && r.BatchID != 0 {
		// Kept, not lost: the owner may have stopped it by mistake, or
		// wish it had never begun.
		rows = append(rows, widget.NewLabel("What came in before you stopped is kept. Import the file again to bring in the rest,\n"+
			"or take it back with Import History… in the File menu."))
	}
	if r.ProblemsFile != "" {
		where := widget.NewLabel("The skipped cards are saved in " + r.ProblemsFile)
		where.Wrapping = fyne.TextWrapBreak
		rows = append(rows, where)
	}
	const shown = 5
	for i, s := range r.Skipped {
		if i == shown {
			rows = append(rows, faint(fmt.Sprintf("…and %d more", len(r.Skipped)-shown)))
			break
		}
		rows = append(rows, faint(skippedText(s)))
	}
	v.report = dialog.NewCustom(title, "OK", container.NewVBox(rows...), v.m.win)
	v.report.Resize(fyne.NewSize(620, 0))
	v.m.keyed(v.report, v.report.Hide, v.report.Hide)
	v.report.Show()
}

// skippedText is one skipped card: "card 3 (line 27): no name…".
func skippedText(s app.SkippedCard) string {
	who := ""
	if s.Name != "" {
		who = " " + s.Name
	}
	return fmt.Sprintf("card %d (line %d)%s: %s", s.Number, s.Line, who, s.Reason)
}

// importHistory lists past imports, each with Undo.
type importHistory struct {
	m       *Main
	batches []model.ImportBatch
	list    *widget.List
	empty   *widget.Label
	dialog  *dialog.CustomDialog
	undone  string // what the last undo did, in words
}

// onImportHistory shows the past imports.
func (m *Main) onImportHistory() *importHistory {
	h := &importHistory{m: m, empty: widget.NewLabel("Loading…")}
	h.empty.Importance = widget.LowImportance
	h.list = widget.NewList(func() int { return len(h.batches) }, h.createRow, h.updateRow)
	h.dialog = dialog.NewCustom("Import history", "Close", container.NewStack(h.list, container.NewCenter(h.empty)), m.win)
	h.dialog.Resize(fyne.NewSize(760, 460))
	m.keyed(h.dialog, h.dialog.Hide, nil) // Enter undoes no import by mistake
	h.dialog.Show()
	h.load()
	return h
}

func (h *importHistory) load() {
	m := h.m
	m.run(func() func() {
		batches, err := m.svc.ImportBatches(m.ctx)
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			h.batches = batches
			h.empty.SetText("No imports yet. File › Import vCards… brings in a phone's contacts.")
			if len(batches) > 0 {
				h.empty.Hide()
			} else {
				h.empty.Show()
			}
			h.list.Refresh()
		}
	})
}

func (h *importHistory) createRow() fyne.CanvasObject {
	file := widget.NewLabelWithStyle("phone.vcf", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	file.Truncation = fyne.TextTruncateEllipsis
	info := widget.NewLabel("date · counts")
	info.Importance = widget.LowImportance
	info.Truncation = fyne.TextTruncateEllipsis
	undo := widget.NewButtonWithIcon("Undo…", theme.ContentUndoIcon(), nil)
	return container.NewBorder(nil, nil, nil, container.NewCenter(undo), container.NewVBox(file, info))
}

func (h *importHistory) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(h.batches) {
		return
	}
	b := h.batches[id]
	row := o.(*fyne.Container)
	texts := row.Objects[0].(*fyne.Container)
	undo := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Button)
	texts.Objects[0].(*widget.Label).SetText(filepath.Base(b.File))
	texts.Objects[1].(*widget.Label).SetText(h.batchText(b))
	undo.OnTapped = func() { h.confirmUndo(b) }
	if b.UndoneAt != nil {
		undo.Hide()
	} else {
		undo.Show()
	}
}

// batchText is a batch's date, counts and state in one line.
func (h *importHistory) batchText(b model.ImportBatch) string {
	s := fmt.Sprintf("%s · added %d, merged %d, skipped %d", h.m.moment(b.StartedAt),
		b.Created, b.Merged, b.Skipped)
	if b.UndoneAt != nil {
		s += " · undone " + h.m.moment(*b.UndoneAt)
	}
	if dir := filepath.Dir(b.File); dir != "." {
		s += " · from " + dir // last: the least telling, cut first
	}
	return s
}

// confirmUndo asks, then undoes batch b in the background.
func (h *importHistory) confirmUndo(b model.ImportBatch) {
	msg := fmt.Sprintf("Undo the import of %s from %s?\nThe contacts it added are removed, and what it added to contacts you had is taken back. Contacts you changed since are kept.",
		filepath.Base(b.File), h.m.moment(b.StartedAt))
	if strings.HasPrefix(b.File, "Phone sync: ") { // a deletion settled in Phone Sync
		msg = fmt.Sprintf("Undo “%s” from %s?\nWhat it deleted comes back (a card on the phone is put back there); what it brought back is removed again.",
			strings.TrimPrefix(b.File, "Phone sync: "), h.m.moment(b.StartedAt))
	}
	h.m.keyedConfirm("Undo import", msg, "Undo import", "Keep", func(ok bool) {
		if ok {
			h.undo(b.ID)
		}
	})
}

func (h *importHistory) undo(batchID int64) {
	m := h.m
	shown := int64(0) // the contact on the card, which the undo may remove
	if m.card.card != nil {
		shown = m.card.card.Contact.ID
	}
	m.run(func() func() {
		rep, err := m.svc.UndoImport(m.ctx, batchID)
		var gone bool
		if err == nil && shown != 0 {
			_, cardErr := m.svc.Card(m.ctx, shown)
			gone = cardErr != nil
		}
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			if gone {
				m.card.clear()
				m.list.selected = 0
			} else {
				m.card.reload()
			}
			m.list.reloadAll()
			h.load()
			h.undone = undoText(rep)
			m.keyedInfo("Import undone", h.undone)
		}
	})
}

// undoText is an UndoReport in plain words: "Removed 12 contacts and 3
// added phones/fields; kept 1 you changed since: Olga Petrova."
func undoText(r app.UndoReport) string {
	var did []string
	if r.Removed > 0 {
		did = append(did, app.Plural(r.Removed, "contact"))
	}
	if r.Cleared == 1 {
		did = append(did, "1 added phone/field")
	} else if r.Cleared > 1 {
		did = append(did, fmt.Sprintf("%d added phones/fields", r.Cleared))
	}
	s := "Nothing was left to take back"
	if len(did) > 0 {
		s = "Removed " + strings.Join(did, " and ")
	}
	var back []string
	if len(r.Restored) > 0 {
		back = append(back, "brought back "+strings.Join(r.Restored, ", ")+" (the next phone sync puts them on the phone again)")
	}
	if r.PutBack > 0 {
		back = append(back, "put "+app.Plural(r.PutBack, "card")+" back on the phone")
	}
	if len(back) > 0 {
		s = strings.Join(back, "; ")
		if len(did) > 0 {
			s = "Removed " + strings.Join(did, " and ") + "; " + s
		}
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if len(r.Kept) > 0 {
		s += fmt.Sprintf("; kept %d you changed since: %s", len(r.Kept), strings.Join(r.Kept, ", "))
	}
	return s + "."
}
