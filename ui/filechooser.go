package ui

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// Rapport asks for files and folders with its own chooser, built of the
// widgets that pass Escape and Enter to their dialog: in Fyne's file
// dialogs the name field and the file list kept both keys, so Escape did
// not close them. It also never opens the chosen file itself (Fyne's open
// dialog did, and a FIFO hung it): the use case checks and opens it.

// chooseMode is what a fileChooser asks for.
type chooseMode int

const (
	chooseOpen   chooseMode = iota // an existing file
	chooseSave                     // a name to save under, in a folder
	chooseFolder                   // a folder
)

// chooserRequest says what to ask.
type chooserRequest struct {
	mode    chooseMode
	title   string
	confirm string   // the button's word: "Save", "Open", "Back up here"
	dir     string   // where to start; the owner's Documents folder when ""
	name    string   // save: the name filled in
	exts    []string // the files shown (".vcf"); every file when empty
	done    func(path string)
}

// fileChooser is one open chooser.
type fileChooser struct {
	m       *Main
	req     chooserRequest
	dir     string
	entries []os.DirEntry // of dir: folders, then the files shown, by name
	chosen  string        // open: the file picked in the list

	where   *widget.Label // the folder's name
	path    *widget.Label // the folder's whole path
	problem *widget.Label
	empty   *widget.Label // said over an empty list
	places  *keySelect
	list    *keyList
	name    *keyEntry // save: the file's name
	ok      *keyButton
	dialog  dialog.Dialog
}

// choose shows a chooser; req.done gets the path, and is not called when
// the owner cancels.
func (m *Main) choose(req chooserRequest) *fileChooser {
	f := &fileChooser{m: m, req: req}
	f.newLabels()
	top := f.newTop()
	f.newFileList()
	bottom := f.newBottom()
	content := container.NewBorder(top, bottom, nil, nil,
		container.NewStack(f.list, container.NewVBox(f.empty)))

	d := dialog.NewCustomWithoutButtons(req.title, content, m.win)
	f.dialog = d
	m.keyed(d, f.cancel, f.submit)
	f.open(cmp.Or(req.dir, app.DocumentsDir(), string(filepath.Separator)))
	d.Show()
	d.Resize(chooserSize(m.win.Canvas().Size()))
	if f.name != nil {
		m.win.Canvas().Focus(f.name)
	}
	return f
}

// newLabels makes the labels of the folder shown, its path, a problem and
// an empty folder.
func (f *fileChooser) newLabels() {
	f.where = widget.NewLabel("")
	f.where.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	f.where.TextStyle.Bold = true
	f.path = faint("")
	f.path.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	f.empty = faint(f.emptyText())
	f.empty.Alignment = fyne.TextAlignCenter
	f.empty.Hide()
}

// newTop lays out the folder shown beside the places to jump to and Up.
func (f *fileChooser) newTop() fyne.CanvasObject {
	places := app.Places()
	var names []string
	for _, p := range places {
		names = append(names, p.Name)
	}
	f.places = f.m.newSelect(names, func(name string) {
		for _, p := range places {
			if p.Name == name {
				f.open(p.Path)
			}
		}
	})
	f.places.PlaceHolder = "Places"
	up := f.m.newButton("Up", theme.MoveUpIcon(), func() { f.open(filepath.Dir(f.dir)) })
	return container.NewBorder(nil, nil, nil, container.NewHBox(f.places, up), container.NewVBox(f.where, f.path))
}

// newFileList makes the list of the folder's entries, folders and files
// told apart by their icon.
func (f *fileChooser) newFileList() {
	f.list = f.m.newList(
		func() int { return len(f.entries) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			e := f.entries[i]
			row.Objects[0].(*widget.Label).SetText(e.Name())
			icon := theme.FileIcon()
			if e.IsDir() {
				icon = theme.FolderIcon()
			}
			row.Objects[1].(*widget.Icon).SetResource(icon)
		})
	f.list.OnSelected = f.onSelected
}

// newBottom lays out the problem, the file name to save as (when saving),
// Cancel and the confirming button.
func (f *fileChooser) newBottom() fyne.CanvasObject {
	m, req := f.m, f.req
	f.ok = m.newButton(cmp.Or(req.confirm, "OK"), theme.ConfirmIcon(), f.submit)
	f.ok.Importance = widget.HighImportance
	cancel := m.newButton("Cancel", theme.CancelIcon(), f.cancel)
	bottom := []fyne.CanvasObject{f.problem}
	if req.mode == chooseSave {
		f.name = m.newEntry()
		f.name.SetText(req.name)
		f.name.OnChanged = func(string) { f.problem.Hide() }
		bottom = append(bottom, widget.NewForm(widget.NewFormItem("File name", f.name)))
	}
	bottom = append(bottom, container.NewHBox(layout.NewSpacer(), cancel, f.ok))
	return container.NewVBox(bottom...)
}

// chooserSize fits the chooser in the window: 800×560 where there is room.
func chooserSize(win fyne.Size) fyne.Size {
	return fyne.NewSize(min(800, win.Width*0.9), min(560, win.Height*0.9))
}

// open lists dir (in the background: a network folder can be slow). A
// folder that cannot be read is said in words; the chooser stays where
// it was.
func (f *fileChooser) open(dir string) {
	dir = filepath.Clean(dir)
	f.m.run(func() func() {
		entries, err := f.listFolder(dir)
		return func() {
			if err != nil {
				f.say(fmt.Sprintf("Cannot open the folder %s: %v", dir, cleanPathError(err)))
				return
			}
			f.dir, f.entries, f.chosen = dir, entries, ""
			f.where.SetText(cmp.Or(filepath.Base(dir), dir))
			f.path.SetText(dir)
			f.problem.Hide()
			f.list.UnselectAll()
			f.list.Refresh()
			f.list.ScrollToTop()
			f.empty.Hidden = len(entries) > 0
			f.empty.Refresh()
		}
	})
}

// listFolder reads dir: its folders, then the files of the kinds asked
// for (none in folder mode), each by name; hidden ones are left out.
func (f *fileChooser) listFolder(dir string) ([]os.DirEntry, error) {
	all, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var shown []os.DirEntry
	for _, e := range all {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !e.IsDir() && e.Type()&os.ModeSymlink != 0 {
			// A link to a folder is a folder to the owner.
			if info, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && info.IsDir() {
				e = linkedFolder{e}
			}
		}
		if e.IsDir() || (f.req.mode != chooseFolder && f.shows(e.Name())) {
			shown = append(shown, e)
		}
	}
	slices.SortFunc(shown, func(a, b os.DirEntry) int {
		if a.IsDir() != b.IsDir() {
			if a.IsDir() {
				return -1
			}
			return 1
		}
		return cmp.Compare(strings.ToLower(a.Name()), strings.ToLower(b.Name()))
	})
	return shown, nil
}

// emptyText is said where a folder has nothing to show.
func (f *fileChooser) emptyText() string {
	switch {
	case f.req.mode == chooseFolder:
		return "No folders in here."
	case len(f.req.exts) > 0:
		return "No folders or " + strings.Join(f.req.exts, " or ") + " files in here."
	}
	return "Nothing in here."
}

// linkedFolder is a symbolic link to a folder, listed as a folder.
type linkedFolder struct{ os.DirEntry }

func (linkedFolder) IsDir() bool { return true }

// shows reports whether a file of this name is one of the kinds asked for.
func (f *fileChooser) shows(name string) bool {
	if len(f.req.exts) == 0 {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	return slices.Contains(f.req.exts, ext)
}

// onSelected goes into a folder, or picks a file.
func (f *fileChooser) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(f.entries) {
		return
	}
	e := f.entries[i]
	if e.IsDir() {
		f.open(filepath.Join(f.dir, e.Name()))
		return
	}
	f.problem.Hide()
	switch f.req.mode {
	case chooseSave:
		f.name.SetText(e.Name())
	case chooseOpen:
		f.chosen = filepath.Join(f.dir, e.Name())
	}
}

// submit does what the confirm button says.
func (f *fileChooser) submit() {
	switch f.req.mode {
	case chooseFolder:
		f.finish(f.dir)
	case chooseOpen:
		if f.chosen == "" {
			f.say("Pick a file in the list first.")
			return
		}
		f.finish(f.chosen)
	case chooseSave:
		f.save()
	}
}

// save checks the typed name: the kind's extension is added when left
// out, and a file already there is replaced only when the owner says so.
func (f *fileChooser) save() {
	name := strings.TrimSpace(f.name.Text)
	if name == "" {
		f.say("Type a name for the file.")
		return
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(f.dir, name)
	}
	if len(f.req.exts) > 0 && filepath.Ext(path) == "" {
		path += f.req.exts[0]
	}
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		f.open(path)
		f.name.SetText("")
		return
	case err == nil:
		f.m.keyedConfirm("Replace the file?", filepath.Base(path)+" is already in "+filepath.Dir(path)+".\nReplace it?",
			"Replace", "Cancel", func(ok bool) {
				if ok {
					f.finish(path)
				}
			})
		return
	}
	if parent, err := os.Stat(filepath.Dir(path)); err != nil || !parent.IsDir() {
		f.say("There is no folder " + filepath.Dir(path) + ".")
		return
	}
	f.finish(path)
}

func (f *fileChooser) finish(path string) {
	f.dialog.Hide()
	f.req.done(path)
}

func (f *fileChooser) cancel() { f.dialog.Hide() }

func (f *fileChooser) say(msg string) {
	f.problem.SetText(msg)
	f.problem.Show()
}

// cleanPathError is a path error's reason alone: the chooser says the path.
func cleanPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// keyList is a List that passes Escape and Enter to its dialog.
type keyList struct {
	widget.List
	m *Main
}

func (m *Main) newList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{m: m}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyList) TypedKey(key *fyne.KeyEvent) {
	if !l.m.dialogKey(key, false) {
		l.List.TypedKey(key)
	}
}
