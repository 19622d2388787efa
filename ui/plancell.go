package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// planRow is one row of a preview table (the file import's, the phone
// sync's) as a cell shows it: the card, its text per column, and the
// owner's choice of what becomes of it.
type planRow struct {
	card   app.PlannedCard
	text   string     // the cell's text, for the columns other than Action
	dim    bool       // a card left out, or not to be changed
	action app.Action // the owner's choice, else the plan's
	into   int64      // the contact chosen to merge into, 0 for the plan's match
	locked bool       // the choice cannot be changed
	// choose keeps the owner's choice: an action, and for "merge into"
	// the contact.
	choose func(action app.Action, into int64)
}

// newPlanCell is a reusable cell of a preview table: a label, or, in the
// Action column, a choice.
func newPlanCell() fyne.CanvasObject {
	text := widget.NewLabel("Cell text")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(text, widget.NewSelect([]string{"merge"}, nil))
}

// showPlanCell sets every part of a reused cell: a table keeps a handful of
// cells and shows rows in them as they scroll by, so that the owner's
// choice stays with its card. selects records which row each choice shows.
func showPlanCell(id widget.TableCellID, o fyne.CanvasObject, selects map[*widget.Select]int, row planRow) {
	cell := o.(*fyne.Container)
	text := cell.Objects[0].(*widget.Label)
	choice := cell.Objects[1].(*widget.Select)
	if id.Col != colAction {
		delete(selects, choice)
		choice.OnChanged = nil
		choice.Hide()
		text.Importance = widget.MediumImportance
		if row.dim {
			text.Importance = widget.LowImportance
		}
		text.SetText(row.text)
		text.Show()
		return
	}
	text.Hide()
	selects[choice] = id.Row
	choice.OnChanged = nil // not to record the row shown before
	choice.SetOptions(actionOptions(row.card))
	targets := mergeTargets(row.card)
	selected := string(row.action)
	for _, t := range targets {
		if row.into != 0 && t.id == row.into {
			selected = mergeIntoLabel(t.name)
		}
	}
	choice.SetSelected(selected)
	if row.locked {
		choice.Disable()
	} else {
		choice.Enable()
	}
	choice.OnChanged = func(s string) {
		for _, t := range targets {
			if s == mergeIntoLabel(t.name) {
				row.choose(app.ActionMerge, t.id)
				return
			}
		}
		row.choose(app.Action(s), 0)
	}
	choice.Show()
}
