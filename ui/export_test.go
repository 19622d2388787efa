package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/rapportjournal/rapport/app"
)

func TestExportWritesTheChosenFormatWhereTheOwnerSaid(t *testing.T) {
	h := newHarness(t, threePeople(t))
	v := h.m.onExport()
	for _, f := range app.ExportFormats() {
		h.mustShow(f.Title)
	}
	v.kind.SetSelected("Spreadsheet (CSV)")
	h.tapButton("Export…")
	want := filepath.Join(h.saveIn, "rapport-contacts-2026-11-23.csv")
	data, err := os.ReadFile(want)
	if err != nil || !bytes.Contains(data, []byte("Maria Keller")) || !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("export %s: %v\n%s", want, err, data)
	}
	var direct bytes.Buffer
	if err := h.svc.ExportCSV(context.Background(), &direct); err != nil || !bytes.Equal(direct.Bytes(), data) {
		t.Errorf("the window's CSV differs from rapport export --format csv: %v", err)
	}
	h.mustShow("Saved rapport-contacts-2026-11-23.csv", "It opens in a spreadsheet")
	h.mustShowLabel(want)
	h.tapButton("Close")

	// Enter in the format dialog goes on; the vCard export is the CLI's.
	v = h.m.onExport()
	v.kind.SetSelected(app.ExportFormats()[1].Title)
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	vcf, _ := os.ReadFile(filepath.Join(h.saveIn, "rapport-contacts-2026-11-23.vcf"))
	if !strings.Contains(string(vcf), "BEGIN:VCARD") || strings.Count(string(vcf), "BEGIN:VCARD") != 3 {
		t.Errorf("vCard export:\n%s", vcf)
	}
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.mustNotShow("Saved rapport-contacts")

	// Escape closes the format dialog and writes nothing.
	h.m.onExport()
	h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.mustNotShow("Spreadsheet (CSV)")
}

func TestExportCancelledLeavesNoFile(t *testing.T) {
	h := newHarness(t, threePeople(t))
	// Cancel pressed while the export runs: the runner taps it before the
	// work, as a slow export would see it.
	h.m.run = func(work func() func()) {
		h.tapButton("Cancel")
		inline(work)
	}
	v := h.m.onExport()
	v.kind.SetSelected("Spreadsheet (CSV)")
	h.tapButton("Export…")
	entries, _ := os.ReadDir(h.saveIn)
	if len(entries) != 0 {
		t.Errorf("a cancelled export left %v", entries)
	}
	h.mustShow("Cancelled: nothing was saved.")
	h.mustNotShow("Saved rapport-contacts")
}

func TestBackUpToAFolder(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.m.onBackups()
	h.tapButton("Back up to…")
	matches, _ := filepath.Glob(filepath.Join(h.saveIn, "rapport-*-manual.db"))
	if len(matches) != 1 {
		t.Fatalf("copies in the chosen folder: %v", matches)
	}
	h.mustShow("Saved "+filepath.Base(matches[0]), "To go back to it, choose From a file… in this Backups window")
	h.mustShowLabel(matches[0])
	if h.m.app.Preferences().String(prefBackupFolder) != h.saveIn {
		t.Error("the folder is not remembered for the next backup")
	}
	if h.m.app.Preferences().String(prefSaveFolder) != "" {
		t.Error("the backup folder became the folder prints and exports start in")
	}
	list, _ := h.svc.Backups(context.Background())
	if len(list) != 0 {
		t.Errorf("the copy elsewhere also went into backups/: %+v", list)
	}
}

func TestTheSaveDialogStartsInTheFolderWithTheNameAndAddsTheExtension(t *testing.T) {
	h := newHarness(t, nil)
	var got string
	h.m.fileSaveDialog("follow-ups-2026-11-23.pdf", h.saveIn, func(p string) { got = p })
	name := h.dialogEntry()
	if name.Text != "follow-ups-2026-11-23.pdf" {
		t.Fatalf("the file name offered is %q", name.Text)
	}
	h.mustShow(filepath.Base(h.saveIn)) // the folder it starts in
	name.SetText("for the desk")
	h.tapButton("Save")
	if want := filepath.Join(h.saveIn, "for the desk.pdf"); got != want {
		t.Errorf("saved to %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(h.saveIn, "for the desk")); !os.IsNotExist(err) {
		t.Errorf("the empty file under the bare name stays: %v", err)
	}
}

func TestExportSaysHowFarItGot(t *testing.T) {
	h := newHarness(t, threePeople(t))
	var during []string
	// What the progress dialog says once the export is written, before the
	// result is applied.
	h.m.run = func(work func() func()) {
		apply := work()
		during = h.shownTexts()
		if apply != nil {
			apply()
		}
	}
	v := h.m.onExport()
	v.kind.SetSelected(app.ExportFormats()[0].Title)
	h.tapButton("Export…")
	said := strings.Join(during, " ")
	if !strings.Contains(said, "Exporting") || !strings.Contains(said, "rapport-backup-2026-11-23.json: ") || !strings.Contains(said, " written") {
		t.Errorf("the progress dialog said %q", said)
	}
}
