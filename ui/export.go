package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// exportView is File → Export…: which export to write, then where.
type exportView struct {
	m      *Main
	kind   *keyRadio // titles of app.ExportFormats
	dialog *dialog.CustomDialog
}

// onExport asks which export to write; the formats are those of `rapport
// export`, from one table.
func (m *Main) onExport() *exportView {
	v := &exportView{m: m}
	var titles []string
	for _, f := range app.ExportFormats() {
		titles = append(titles, f.Title)
	}
	v.kind = m.newRadio(titles, nil)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { v.dialog.Hide() })
	next := widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), v.onNext)
	next.Importance = widget.HighImportance
	hint := faint("The JSON backup holds everything; rapport import FILE.json merges it back. The others are for phones, spreadsheets, mailing tools and calendars.")
	body := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, next), nil, nil,
		container.NewVBox(v.kind, hint))
	v.dialog = dialog.NewCustomWithoutButtons("Export", body, m.win)
	v.dialog.Resize(fyne.NewSize(560, 0))
	m.dialogKeys(v.dialog, v.onNext, nil)
	v.dialog.Show()
	return v
}

func (v *exportView) format() app.ExportFormat {
	for _, f := range app.ExportFormats() {
		if f.Title == v.kind.Selected {
			return f
		}
	}
	return app.ExportFormats()[0]
}

// onNext asks where to save, then writes the export with a Cancel.
func (v *exportView) onNext() {
	m, f := v.m, v.format()
	v.dialog.Hide()
	m.saveAs("Exporting", f.FileName(m.svc.Now()), func(ctx context.Context, path string, tell func(string)) (savedFile, error) {
		name := filepath.Base(path)
		err := m.svc.ExportFileWithProgress(ctx, f, path, func(n int64) { tell(name + ": " + app.FormatSize(n) + " written") })
		return savedFile{path: path, open: f.Name != "json", note: exportNote(f, path)}, err
	})
}

// exportNote says what to do with an export.
func exportNote(f app.ExportFormat, path string) string {
	switch f.Name {
	case "json":
		return "It holds everything. To merge it back, on the command line: rapport import " + filepath.Base(path)
	case "vcard":
		return "Import it on the phone or in the address book (iPhone: open it from Files or Mail; Google Contacts: Import)."
	case "ics":
		return "Import it into the calendar (Google Calendar: Settings › Import; Apple Calendar: File › Import)."
	}
	return "It opens in a spreadsheet (UTF-8)."
}

// onBackUpTo copies the database into a folder the owner picks (a USB
// stick), with progress and Cancel, then says where it is.
func (v *backupsView) onBackUpTo() {
	m := v.m
	start := m.app.Preferences().String(prefBackupFolder)
	if start == "" {
		start = app.DocumentsDir()
	}
	m.askFolder(start, func(dir string) {
		m.saveWithProgress("Backing up", dir, func(ctx context.Context, dir string, _ func(string)) (savedFile, error) {
			c, err := m.svc.BackUpTo(ctx, dir)
			if err != nil {
				return savedFile{}, err
			}
			note := fmt.Sprintf("A whole copy of your contacts (%s). To go back to it, choose From a file… in this Backups window.", app.FormatSize(c.Size))
			if c.Dump {
				note = fmt.Sprintf("A pg_dump of the shared database (%s), not a file this Backups window restores: it goes back into an empty PostgreSQL database with psql -d EMPTYDB -f %s.",
					app.FormatSize(c.Size), strings.ReplaceAll(filepath.Base(c.Path), " ", "\\ "))
			}
			// A stick is no place for the next print: its own preference.
			return savedFile{path: c.Path, note: note, remember: prefBackupFolder}, nil
		})
	})
}

// prefBackupFolder is the folder last backed up to, where the next "Back up
// to…" starts.
const prefBackupFolder = "backup.lastFolder"
