package ui

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// syncPreview is what a phone sync would bring in, shown before it runs
// when the phone holds cards not linked to a contact here (every card on
// the first sync, new cards later): one row per card as in the file
// import's preview, with add, merge or skip for the owner to choose, and
// the reason of what is proposed. Sync applies the choices.
type syncPreview struct {
	v       *phoneSyncView
	plan    []app.SyncCard
	choices map[string]app.SyncChoice // the owner's, by card path

	summary     *widget.Label
	table       *widget.Table
	detail      *widget.Label
	showSkipped *widget.Check
	selects     map[*widget.Select]int // action cell → row it shows now
	syncBtn     *widget.Button
	dialog      *dialog.CustomDialog
	open        bool // shown, neither synced nor cancelled yet
}

// planThenSync reads what the sync would bring in, in the background with
// Stop; when there is something, it shows the preview, else it syncs.
func (v *phoneSyncView) planThenSync() {
	v.preview = nil
	v.plan(false, func(plan []app.SyncCard) {
		if len(plan) == 0 {
			v.syncWith(nil)
			return
		}
		v.showPreview(plan)
	})
}

// plan reads the cards not linked yet (with those skipped before if asked)
// and gives them to then, on the UI thread; a failure or Stop is said in
// the status line.
func (v *phoneSyncView) plan(withSkipped bool, then func([]app.SyncCard)) {
	m, acct := v.m, v.account()
	ctx, cancel := context.WithCancel(m.ctx)
	v.cancel = cancel
	v.working("Reading the phone's cards not in Rapport yet…")
	m.run(func() func() {
		plan, err := m.svc.PlanPhoneSync(ctx, app.SyncPlanOptions{Password: acct.Password, Region: m.svc.PhoneRegion(),
			WithSkipped: withSkipped})
		return func() {
			v.idle()
			if v.preview != nil && v.preview.open {
				v.syncNow.Disable() // one preview at a time: Sync or Cancel ends it
			}
			stopped := ctx.Err() != nil
			cancel()
			switch {
			case stopped:
				v.status.SetText("Stopped before anything was synced.")
			case err != nil:
				v.status.SetText(err.Error())
			default:
				v.status.SetText("")
				then(plan)
			}
		}
	})
}

func (v *phoneSyncView) showPreview(plan []app.SyncCard) *syncPreview {
	p := &syncPreview{v: v, plan: plan, choices: map[string]app.SyncChoice{}, selects: map[*widget.Select]int{}}
	p.summary = widget.NewLabelWithStyle(syncPlanSummary(plan), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.detail = widget.NewLabel("Pick a row to see its card in full.")
	p.detail.Importance = widget.LowImportance
	p.detail.Wrapping = fyne.TextWrapWord
	p.table = widget.NewTableWithHeaders(func() (int, int) { return len(p.plan), columns }, newPlanCell, p.updateCell)
	p.table.ShowHeaderColumn = false
	p.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("Action", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	p.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 && id.Col < columns {
			o.(*widget.Label).SetText(columnTitles()[id.Col])
		}
	}
	// The import's columns, the reason wider: a sync's cards are mostly
	// one phone and one email.
	for i, w := range []float32{190, 180, 170, 270, 100} {
		p.table.SetColumnWidth(i, w)
	}
	p.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(p.plan) {
			p.detail.SetText(describeSyncCard(p.plan[id.Row]))
			p.detail.Importance = widget.MediumImportance
			p.detail.Refresh()
		}
	}
	p.showSkipped = widget.NewCheck("Show the cards skipped on earlier syncs", p.onShowSkipped)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.onCancel)
	p.syncBtn = widget.NewButtonWithIcon("Sync", theme.ViewRefreshIcon(), p.onSync)
	p.syncBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(p.showSkipped, layout.NewSpacer(), cancel, p.syncBtn)
	body := container.NewBorder(p.summary, container.NewVBox(p.detail, buttons), nil, nil, p.table)
	p.dialog = dialog.NewCustomWithoutButtons("Phone Sync: cards new to Rapport", body, v.m.win)
	p.dialog.Resize(fyne.NewSize(960, 620))
	v.m.keyed(p.dialog, p.onCancel, p.onSync)
	p.dialog.Show()
	v.syncNow.Disable() // one preview at a time: Sync or Cancel ends it
	p.open = true
	v.preview = p
	return p
}

// syncPlanSummary counts the cards as the file import's preview does, and
// those skipped on earlier syncs apart.
func syncPlanSummary(plan []app.SyncCard) string {
	var planned []app.PlannedCard
	skipped := 0
	for _, c := range plan {
		if c.Skipped {
			skipped++
			continue
		}
		planned = append(planned, c.PlannedCard)
	}
	s := "The phone holds "
	if len(planned) > 0 {
		s += planSummary(planned)
	} else {
		s += "no new card"
	}
	if skipped > 0 {
		s += fmt.Sprintf("; %s skipped on earlier syncs", app.Plural(skipped, "card"))
	}
	return s + "."
}

// updateCell shows a card of the plan in a reused cell.
func (p *syncPreview) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(p.plan) {
		return
	}
	c := p.plan[id.Row]
	text := cellText(c.PlannedCard, id.Col)
	if id.Col == colMatch {
		text = syncMatchText(c)
	}
	href := c.Href
	action, into := c.Action, int64(0)
	if chosen, ok := p.choices[href]; ok {
		action, into = chosen.Action, chosen.MergeInto
	}
	showPlanCell(id, o, p.selects, planRow{card: c.PlannedCard, text: text, dim: c.Reason != "" || c.Skipped,
		action: action, into: into, locked: c.Reason != "",
		choose: func(action app.Action, into int64) {
			p.choices[href] = app.SyncChoice{Action: action, MergeInto: into}
		}})
}

// syncMatchText is the Match column: the contact a card would be merged
// into and why, else why it is added or left out.
func syncMatchText(c app.SyncCard) string {
	if c.Match != nil && c.Reason == "" && !c.Skipped {
		return c.Match.Name + " (" + c.Why() + ")"
	}
	return c.Why()
}

// describeSyncCard is a card in full, for the row picked.
func describeSyncCard(c app.SyncCard) string {
	text := describeCard(c.PlannedCard)
	// The file import's card number and line mean nothing here: the card
	// is named by its path on the phone.
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[i:]
	} else {
		text = ""
	}
	head := c.Name() + " — " + c.Href
	if c.Skipped {
		head += "\nSkipped on an earlier sync: choose add or merge to take it in."
	}
	return head + text
}

func (p *syncPreview) onShowSkipped(on bool) {
	p.v.plan(on, func(plan []app.SyncCard) {
		p.plan = plan
		shown := map[string]bool{}
		for _, c := range plan {
			shown[c.Href] = true
		}
		maps.DeleteFunc(p.choices, func(href string, _ app.SyncChoice) bool { return !shown[href] })
		p.summary.SetText(syncPlanSummary(plan))
		p.table.Refresh()
	})
}

// onSync syncs with the owner's choices; the preview closes and the Phone
// Sync dialog shows the sync's progress and what it did.
func (p *syncPreview) onSync() {
	p.open = false
	p.dialog.Hide()
	p.v.syncWith(maps.Clone(p.choices))
}

func (p *syncPreview) onCancel() {
	p.open = false
	p.dialog.Hide()
	p.v.syncNow.Enable()
	p.v.status.SetText("Not synced: nothing was changed on either side.")
}
