//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWalkPrintAndExportSaveWhereTheOwnerSays: printing and File → Export…
// end in a save dialog in Documents and a Saved dialog that says the path,
// read off the real screen; the files are where it says.
func TestWalkPrintAndExportSaveWhereTheOwnerSays(t *testing.T) {
	d := newDesk(t, 1280, 800)
	d.cli("demo")
	d.open()
	d.see("list", 10*time.Second, "Ahmed Hassan")
	day := time.Now().Format("2006-01-02")
	docs := filepath.Join(d.home, "Documents")

	d.click("File")
	d.click("Print Follow-ups")
	d.see("save-dialog", 10*time.Second, "Documents", "follow-ups-"+day+".pdf")
	d.key("Return")
	d.see("saved", 10*time.Second, "Saved", "Open it to print it from the viewer", "Close")
	if data, err := os.ReadFile(filepath.Join(docs, "follow-ups-"+day+".pdf")); err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("the follow-up sheet is not in Documents: %v", err)
	}
	d.key("Escape")
	d.notSee("saved-closed", "Open it to print it")

	d.click("File")
	d.click("Export")
	d.click("Spreadsheet (CSV)")
	d.key("Return")
	d.see("export-save-dialog", 10*time.Second, "rapport-contacts-"+day+".csv")
	d.key("Return")
	d.see("exported", 10*time.Second, "Saved", "It opens in a spreadsheet")
	if data, err := os.ReadFile(filepath.Join(docs, "rapport-contacts-"+day+".csv")); err != nil || !strings.Contains(string(data), "Hugo Martin") {
		t.Fatalf("the CSV export is not in Documents: %v", err)
	}
	hidden, _ := filepath.Glob(filepath.Join(docs, ".*"))
	if len(hidden) > 0 {
		t.Errorf("temporary files left in Documents: %v", hidden)
	}
	d.key("Escape")
	d.quit()
}

// TestWalkEscapeClosesWhereTheCursorIs: in the real window, Escape closes
// the save chooser while its name field has the cursor, and the export
// dialog after a click on one of its choices (in Fyne's own file dialog
// and radio group both kept the key).
func TestWalkEscapeClosesWhereTheCursorIs(t *testing.T) {
	d := newDesk(t, 1280, 800)
	d.cli("demo")
	d.open()
	d.see("list", 10*time.Second, "Ahmed Hassan")

	d.click("File")
	d.click("Print Follow-ups")
	d.see("save-chooser", 10*time.Second, "Save as", "File name", "Places")
	d.key("Escape")
	d.notSee("save-chooser-closed", "File name")

	d.click("File")
	d.click("Export")
	d.click("vCard")
	d.see("vcard-chosen", 5*time.Second, "Newsletter list")
	d.key("Escape")
	d.notSee("export-closed", "Newsletter list")
	if matches, _ := filepath.Glob(filepath.Join(d.home, "Documents", "*")); len(matches) > 0 {
		t.Errorf("Escape saved something: %v", matches)
	}
	d.quit()
}
