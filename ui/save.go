package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// prefSaveFolder is the folder the owner last saved a print or an export
// in, where the next save dialog starts.
const prefSaveFolder = "save.lastFolder"

// opener hands a saved file to the system (app.Opener; tests give a fake).
type opener interface {
	CanOpen() bool
	CanShowInFolder() bool
	Open(path string) error
	ShowInFolder(path string) error
}

// saveFolder is where a save dialog starts: the folder last saved in while
// it exists (a stick may be gone), else the owner's Documents folder.
func (m *Main) saveFolder() string {
	if dir := m.app.Preferences().String(prefSaveFolder); dir != "" {
		if info, err := os.Stat(dir); err == nil && info.IsDir() {
			return dir
		}
	}
	return app.DocumentsDir()
}

// datedName is base-YYYY-MM-DD.ext for today: follow-ups-2026-12-03.pdf.
func (m *Main) datedName(base, ext string) string {
	return base + "-" + m.svc.Now().Format(time.DateOnly) + ext
}

// fileSaveDialog asks where to save a file, starting in dir with name
// filled in; done gets the chosen path (the kind's extension added when the
// owner left it out). Nothing is created until the file is written whole
// beside it and renamed over it (see saveTo).
func (m *Main) fileSaveDialog(name, dir string, done func(path string)) {
	req := chooserRequest{mode: chooseSave, title: "Save as", confirm: "Save", dir: dir, name: name, done: done}
	if ext := filepath.Ext(name); ext != "" {
		req.exts = []string{strings.ToLower(ext)}
	}
	m.choose(req)
}

// folderDialog asks which folder to back up into, starting in dir.
func (m *Main) folderDialog(dir string, done func(dir string)) {
	m.choose(chooserRequest{mode: chooseFolder, title: "Back up into which folder?", confirm: "Back up here", dir: dir, done: done})
}

// removeIfEmpty removes the empty file a save dialog made when nothing
// could be written into it: an empty file is nobody's work.
func removeIfEmpty(path string) {
	if info, err := os.Lstat(path); err == nil && info.Mode().IsRegular() && info.Size() == 0 {
		os.Remove(path)
	}
}

// savedFile says what was saved, for the Saved dialog.
type savedFile struct {
	path string
	note string // said under the path: what to do with it, what was left out
	open bool   // whether opening it makes sense (a PDF, a CSV; not a database)
	// remember is the preference keeping its folder for next time;
	// prefSaveFolder when "".
	remember string
}

// saver writes a file at path; ctx is cancelled by the Cancel button, and
// tell says how far it got (from any goroutine, as often as it likes).
type saver func(ctx context.Context, path string, tell func(string)) (savedFile, error)

// saveAs asks where to save a file named name, then writes it there off the
// UI goroutine with save, then says where it is. what names the work in the
// progress dialog ("Exporting").
func (m *Main) saveAs(what, name string, save saver) {
	m.askSavePath(name, m.saveFolder(), func(path string) { m.saveWithProgress(what, path, save) })
}

// saveWithProgress runs save with a progress dialog and Cancel, then shows
// the Saved dialog.
func (m *Main) saveWithProgress(what, path string, save saver) {
	ctx, cancel := context.WithCancel(m.ctx)
	cancelBtn := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), cancel)
	step := widget.NewLabel(filepath.Base(path))
	progress := dialog.NewCustomWithoutButtons(what,
		container.NewVBox(step, widget.NewProgressBarInfinite(),
			container.NewHBox(layout.NewSpacer(), cancelBtn)), m.win)
	progress.Resize(fyne.NewSize(420, 0))
	m.dialogKeys(progress, nil, cancel)
	progress.Show()
	var told time.Time
	tell := func(text string) {
		// At most a few times a second: a 100 MB export writes thousands
		// of buffers.
		if now := time.Now(); now.Sub(told) >= 200*time.Millisecond {
			told = now
			fyne.Do(func() { step.SetText(text) })
		}
	}
	m.run(func() func() {
		saved, err := save(ctx, path, tell)
		cancelled := ctx.Err() != nil
		cancel()
		return func() {
			progress.Hide()
			if err != nil || cancelled {
				// The file is written beside and renamed in whole: what
				// is left under the name is the dialog's empty file.
				removeIfEmpty(path)
			}
			switch {
			case cancelled || errors.Is(err, context.Canceled):
				m.done.announce("Cancelled: nothing was saved.", nil)
				return
			case err != nil:
				m.showError(err)
				return
			}
			remember := saved.remember
			if remember == "" {
				remember = prefSaveFolder
			}
			m.app.Preferences().SetString(remember, filepath.Dir(saved.path))
			m.printed = saved.path
			m.showSaved(saved)
		}
	})
}

// showSaved says where the file is, in words, with Open and Show in folder
// where the system has a program for them, and Copy path always.
func (m *Main) showSaved(f savedFile) dialog.Dialog {
	intro := widget.NewLabel("Saved " + filepath.Base(f.path) + " in the folder " + filepath.Dir(f.path) + ". The full path:")
	intro.Wrapping = fyne.TextWrapWord
	path := widget.NewLabelWithStyle(f.path, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	path.Wrapping = fyne.TextWrapBreak
	path.Selectable = true
	objs := []fyne.CanvasObject{intro, path}
	if f.open && !m.opener.CanOpen() {
		objs = append(objs, paragraph("This computer has no program Rapport knows to open files with: open it from the folder above."))
	}
	if f.note != "" {
		objs = append(objs, paragraph(f.note))
	}
	var d *dialog.CustomDialog
	var buttons []fyne.CanvasObject
	var enter func()
	if f.open && m.opener.CanOpen() {
		open := widget.NewButtonWithIcon("Open", theme.FileIcon(), nil)
		open.Importance = widget.HighImportance
		open.OnTapped = func() { m.handOver(d, f.path, "open", m.opener.Open) }
		buttons = append(buttons, open)
		enter = open.OnTapped
	}
	if m.opener.CanShowInFolder() {
		buttons = append(buttons, widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), func() {
			m.handOver(d, f.path, "show", m.opener.ShowInFolder)
		}))
	}
	var copyBtn *widget.Button
	copyBtn = widget.NewButtonWithIcon("Copy path", theme.ContentCopyIcon(), func() {
		m.app.Clipboard().SetContent(f.path)
		copyBtn.SetText("Path copied")
	})
	buttons = append(buttons, copyBtn, widget.NewButton("Close", func() { d.Hide() }))
	body := container.NewBorder(nil, container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...), nil, nil,
		container.NewVBox(objs...))
	d = dialog.NewCustomWithoutButtons("Saved", body, m.win)
	d.Resize(fyne.NewSize(600, 0))
	if enter == nil {
		enter = d.Hide
	}
	m.dialogKeys(d, enter, nil)
	d.Show()
	return d
}

// handOver opens or shows path with the system's program, off the UI
// goroutine (a viewer may take seconds to fail); the Saved dialog closes
// when it worked and stays, with the reason, when it did not.
func (m *Main) handOver(d dialog.Dialog, path, verb string, do func(string) error) {
	m.run(func() func() {
		err := do(path)
		return func() {
			if err == nil {
				d.Hide()
				return
			}
			title := "Could not open the file"
			if verb == "show" {
				title = "Could not show the folder"
			}
			why := err.Error()
			var oe *app.OpenError
			if errors.As(err, &oe) {
				why = oe.Program + ": " + oe.Why
			}
			info := dialog.NewInformation(title, "Rapport asked the system, which answered:\n"+wrapLine(why)+
				"\n\nThe file is saved at\n"+path, m.win)
			m.dialogKeys(info, info.Hide, nil)
			info.Show()
		}
	})
}

// wrapLine breaks a long message at "; " so a dialog stays narrow.
func wrapLine(s string) string { return strings.ReplaceAll(s, "; ", ";\n") }

func paragraph(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// dialogKeys makes Escape close d (or run escape, when not nil) and Enter
// run enter, while d is shown: Fyne's dialogs take neither key. The keys
// before are back when d closes.
func (m *Main) dialogKeys(d dialog.Dialog, enter, escape func()) {
	// One set of keys for every dialog: m.keyed (keys.go).
	if escape == nil {
		escape = d.Hide
	}
	m.keyed(d, escape, enter)
}

// escEntry is an Entry that closes its dialog on Escape: a focused entry
// takes the keys before the window sees them.
type escEntry struct {
	widget.Entry
	onEscape func()
}

func newEscEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}
