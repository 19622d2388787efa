package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dbcopy"
)

// backupsView is File → Backups…: the copies of the database, newest first,
// to make one now or go back to one.
type backupsView struct {
	m        *Main
	backups  []dbcopy.File
	selected int // index into backups, -1 for none
	list     *widget.List
	empty    *widget.Label
	now      *widget.Button // Back up now
	restore  *widget.Button // Restore… the selected backup
	fromFile *widget.Button // Restore from a file elsewhere
	to       *widget.Button // Back up to… a folder of the owner's choice
	dialog   *dialog.CustomDialog
	progress dialog.Dialog // while a restore runs
	step     *widget.Label
}

// onBackups shows the Backups dialog.
func (m *Main) onBackups() *backupsView {
	v := &backupsView{m: m, selected: -1, empty: widget.NewLabel("Loading…")}
	v.empty.Importance = widget.LowImportance
	v.empty.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.backups) }, v.createRow, v.updateRow)
	v.list.OnSelected = func(id widget.ListItemID) {
		v.selected = id
		v.restore.Enable()
	}
	v.list.OnUnselected = func(widget.ListItemID) {
		v.selected = -1
		v.restore.Disable()
	}
	v.now = widget.NewButtonWithIcon("Back up now", theme.DocumentSaveIcon(), v.onBackUpNow)
	v.restore = widget.NewButtonWithIcon("Restore…", theme.HistoryIcon(), func() {
		if v.selected >= 0 && v.selected < len(v.backups) {
			b := v.backups[v.selected]
			v.confirmRestore(b.Path, "the backup of "+v.m.moment(b.Time))
		}
	})
	v.restore.Importance = widget.HighImportance
	v.restore.Disable()
	v.fromFile = widget.NewButtonWithIcon("From a file…", theme.FolderOpenIcon(), v.onFromFile)
	v.to = widget.NewButtonWithIcon("Back up to…", theme.UploadIcon(), v.onBackUpTo)
	hint := faint("Rapport copies your contacts here on the first start of each day and keeps the last 14 days and one copy for each of the last 12 months. Restoring keeps the current state as a backup first.")
	buttons := container.NewHBox(v.now, v.to, v.fromFile, v.restore)
	body := container.NewBorder(hint, container.NewBorder(nil, nil, nil, buttons), nil, nil,
		container.NewStack(v.list, container.NewCenter(v.empty)))
	v.dialog = dialog.NewCustom("Backups", "Close", body, m.win)
	v.dialog.Resize(fyne.NewSize(640, 460))
	m.keyed(v.dialog, v.dialog.Hide, nil) // Enter restores nothing by mistake
	v.dialog.Show()
	v.load()
	return v
}

func (v *backupsView) load() {
	m := v.m
	m.run(func() func() {
		list, err := m.svc.Backups(m.ctx)
		return func() {
			if err != nil {
				m.showError(err)
				return
			}
			v.backups = list
			v.selected = -1
			v.list.UnselectAll()
			v.restore.Disable()
			v.empty.SetText("No backups yet. The first is made when Rapport starts on a day it holds contacts, or now with Back up now.")
			if len(list) > 0 {
				v.empty.Hide()
			} else {
				v.empty.Show()
			}
			v.list.Refresh()
		}
	})
}

func (v *backupsView) createRow() fyne.CanvasObject {
	when := widget.NewLabelWithStyle(v.m.moment(time.Date(2026, 11, 23, 9, 30, 0, 0, time.Local)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	info := widget.NewLabel("109.1 MB · Daily backup")
	info.Importance = widget.LowImportance
	info.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(when, info)
}

func (v *backupsView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(v.backups) {
		return
	}
	b := v.backups[id]
	row := o.(*fyne.Container)
	row.Objects[0].(*widget.Label).SetText(v.m.moment(b.Time))
	row.Objects[1].(*widget.Label).SetText(app.FormatSize(b.Size) + " · " + backupKind(b.Kind) + " · " + filepath.Base(b.Path))
}

// backupKind says in words why a backup was made.
func backupKind(kind string) string {
	switch {
	case kind == dbcopy.Daily:
		return "Daily backup"
	case kind == dbcopy.Manual:
		return "Made with Back up now"
	case kind == dbcopy.BeforeRestore:
		return "Before a restore"
	case strings.HasPrefix(kind, "before-v"):
		return "Before an update of Rapport"
	}
	return kind
}

func (v *backupsView) onBackUpNow() {
	m := v.m
	v.now.Disable()
	m.run(func() func() {
		b, err := m.svc.BackUpNow(m.ctx)
		return func() {
			v.now.Enable()
			if err != nil {
				m.showError(err)
				return
			}
			v.load()
			m.keyedInfo("Backed up", "Your contacts are copied to "+filepath.Base(b.Path)+
				" ("+app.FormatSize(b.Size)+") in\n"+filepath.Dir(b.Path)+".")
		}
	})
}

// onFromFile picks a database file elsewhere (a USB stick, another
// computer's backup) to restore.
func (v *backupsView) onFromFile() {
	v.m.choose(chooserRequest{mode: chooseOpen, title: "Restore from a file", confirm: "Restore…",
		exts: []string{".db", ".sqlite", ".sqlite3"},
		done: func(path string) { v.confirmRestore(path, filepath.Base(path)) }})
}

// confirmRestore asks before replacing the database with the file at path.
func (v *backupsView) confirmRestore(path, what string) dialog.Dialog {
	msg := fmt.Sprintf("Replace your contacts with %s?\n\nEverything as it is now is kept as a backup first,\nso you can go back to it from this list.", what)
	return v.m.keyedConfirm("Restore a backup", msg, "Restore", "Cancel", func(ok bool) {
		if ok {
			v.restoreFile(path, what)
		}
	})
}

// restoreFile restores in the background with its steps shown; every view
// shows the restored contacts after.
func (v *backupsView) restoreFile(path, what string) {
	m := v.m
	v.step = widget.NewLabel("Checking " + filepath.Base(path) + "…")
	v.progress = dialog.NewCustomWithoutButtons("Restoring", container.NewVBox(v.step, widget.NewProgressBarInfinite()), m.win)
	v.progress.Resize(fyne.NewSize(420, 0))
	v.progress.Show()
	step := v.step
	m.run(func() func() {
		rep, err := m.svc.RestoreFile(m.ctx, path, func(s string) {
			fyne.Do(func() { step.SetText(s) })
		})
		return func() {
			v.progress.Hide()
			if err != nil {
				m.showError(err)
				return
			}
			m.afterRestore()
			v.load()
			msg := "Restored " + what + ".\nThe state before is kept as " + filepath.Base(rep.Kept) + "."
			if rep.Migrated {
				msg += "\nIt was made by an older Rapport and has been brought up to date."
			}
			if rep.Warning != "" {
				msg += "\nNote: " + rep.Warning + "."
			}
			m.keyedInfo("Restored", msg)
		}
	})
}

// afterRestore shows the restored database in every view.
func (m *Main) afterRestore() {
	m.card.clear()
	m.list.selected = 0
	m.refreshAll()
}

// refreshAll shows the database as it is now in every view, after a change
// that may touch any of them (a restore, an undo).
func (m *Main) refreshAll() {
	if m.card.card != nil {
		m.card.reload()
	}
	m.list.reloadAll()
	m.agenda.refresh()
	m.today.refresh()
	m.notes.refresh()
}
