package ui

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

const (
	phoneFile = "../app/testdata/phone.vcf"
	newerFile = "../app/testdata/phone-newer.vcf"
)

// actionSelect is the Action cell now showing the card of this name.
func (h *harness) actionSelect(v *vcardImport, name string) *widget.Select {
	h.t.Helper()
	h.shownTexts() // lays the table's cells out
	for sel, row := range v.selects {
		if v.plan[row].Contact.DisplayName == name {
			return sel
		}
	}
	h.t.Fatalf("no action cell shows %q", name)
	return nil
}

// contactNames are the names of every stored contact.
func (h *harness) contactNames() []string {
	h.t.Helper()
	rows, err := h.svc.ListContacts(context.Background(), "")
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		names = append(names, r.DisplayName)
	}
	return names
}

func TestImportPreviewThenImport(t *testing.T) {
	h := newHarness(t, nil)
	v := h.m.importFile(phoneFile)
	if v.dialog == nil {
		t.Fatal("no preview shown")
	}
	h.mustShow("4 cards: 3 new, 1 cannot be imported", "Maria Keller", "Jörg Müller", "Olga Petrova",
		"+49 151 5550101", "maria@example.com", "no name", "Name", "Match", "Action")
	if len(h.contactNames()) != 0 {
		t.Fatal("the preview imported something")
	}
	// The nameless card can only be skipped; a new card cannot be merged.
	noName := h.actionSelect(v, "")
	if !noName.Disabled() || noName.Selected != "skip" {
		t.Errorf("nameless card: disabled %v, selected %q", noName.Disabled(), noName.Selected)
	}
	v.table.Select(widget.TableCellID{Row: 2, Col: colMatch}) // the whole reason, which the cell cuts
	h.mustShow("Cannot be imported: no name, organization, nickname, email or phone")
	olga := h.actionSelect(v, "Olga Petrova")
	if olga.Selected != "add" || slices.Contains(olga.Options, "merge") {
		t.Errorf("new card: selected %q of %v", olga.Selected, olga.Options)
	}

	h.tapButton("Import")
	if v.progress.Value != 4 || !v.progress.Visible() {
		t.Errorf("progress = %v of %v", v.progress.Value, v.progress.Max)
	}
	h.mustShow("Done: imported 3, merged 0, skipped 1.", "The skipped cards are saved in", "card 3 (line 27)",
		"Maria Keller", "Jörg Müller", "Olga Petrova", "3 contacts")
	h.mustNotShow("4 cards: 3 new")
	if h.m.importing != nil {
		t.Error("the import is still marked as under way")
	}
	if got := len(h.contactNames()); got != 3 {
		t.Errorf("%d contacts stored, want 3", got)
	}
}

func TestImportSkipsTheRowTheOwnerSkips(t *testing.T) {
	h := newHarness(t, nil)
	v := h.m.importFile(phoneFile)
	h.actionSelect(v, "Olga Petrova").SetSelected("skip")
	// The cells are reused as rows scroll by: the choice stays with its card.
	v.table.Refresh()
	if sel := h.actionSelect(v, "Olga Petrova"); sel.Selected != "skip" {
		t.Errorf("after a refresh Olga's action is %q", sel.Selected)
	}
	if sel := h.actionSelect(v, "Maria Keller"); sel.Selected != "add" {
		t.Errorf("Maria's action is %q", sel.Selected)
	}
	h.tapButton("Import")
	h.mustShow("Done: imported 2, merged 0, skipped 2.", "2 contacts")
	if names := h.contactNames(); slices.Contains(names, "Olga Petrova") || len(names) != 2 {
		t.Errorf("stored %v, want Olga left out", names)
	}
}

func TestCancelledPreviewImportsNothing(t *testing.T) {
	h := newHarness(t, nil)
	v := h.m.importFile(phoneFile)
	h.tapButton("Cancel")
	h.mustNotShow("4 cards")
	if h.m.importing != nil || v.ctx.Err() == nil {
		t.Error("cancelled import still under way")
	}
	if names := h.contactNames(); len(names) != 0 {
		t.Errorf("stored %v", names)
	}
	// And the next import can start.
	if v2 := h.m.importFile(phoneFile); v2 == v || v2.dialog == nil {
		t.Error("a second import did not start")
	}
}

func TestCancelWhileImporting(t *testing.T) {
	h := newHarness(t, nil)
	v := h.m.importFile(phoneFile)
	// Hold the import's work back, to look at the dialog while it runs.
	var held []func() func()
	h.m.run = func(work func() func()) { held = append(held, work) }
	h.tapButton("Import")
	if !v.progress.Visible() || v.importBtn.Visible() || !h.actionSelect(v, "Olga Petrova").Disabled() {
		t.Error("while importing: the progress bar shows, Import and the choices do not")
	}
	h.tapButton("Cancel")
	if v.cancelBtn.Text != "Stopping…" || !v.cancelBtn.Disabled() {
		t.Errorf("Cancel button reads %q", v.cancelBtn.Text)
	}
	h.m.run = inline
	for _, work := range held {
		inline(work)
	}
	// A report "(cancelled)", or word that it stopped before its first card.
	// Nothing imported: the empty database still shows its welcome.
	h.mustShow("cancelled", "Welcome to Rapport")
	h.mustNotShow("Error", "is kept")
	if h.m.importing != nil {
		t.Error("the cancelled import is still under way")
	}
}

// An import stopped after some cards came in says so, and that they are
// kept and where to take them back.
func TestAStoppedImportSaysWhatItKept(t *testing.T) {
	h := newHarness(t, nil)
	v := h.m.importFile(phoneFile)
	v.showReport(&app.ImportReport{Created: 1200, Merged: 3, Cancelled: true, BatchID: 4})
	h.mustShow("Import stopped", "Stopped: imported 1200, merged 3, skipped 0 (cancelled).", "is kept", "Import History")
	h.mustNotShow("Done:")
}

func TestImportOfAMissingFileSaysSo(t *testing.T) {
	h := newHarness(t, nil)
	h.m.importFile("../app/testdata/nowhere.vcf")
	h.mustShow("cannot be read")
	if h.m.importing != nil {
		t.Error("failed import still under way")
	}
}

func TestReimportMatchesByUIDAndMerges(t *testing.T) {
	h := newHarness(t, nil)
	h.m.importFile(phoneFile)
	h.tapButton("Import")
	h.tapButton("OK")

	v := h.m.importFile(newerFile)
	h.mustShow("1 card: 1 matches a contact", "Maria Keller (uid)")
	v.table.Select(widget.TableCellID{Row: 0, Col: colName})
	h.mustShow("Phones: +49 151 5550101, +49 30 5550303", "Is Maria Keller here, found by uid.")
	maria := h.actionSelect(v, "Maria K. (new phone)")
	if maria.Selected != "merge" || !slices.Contains(maria.Options, "merge") {
		t.Errorf("matched card: selected %q of %v", maria.Selected, maria.Options)
	}
	h.tapButton("Import")
	h.mustShow("Done: imported 0, merged 1, skipped 0.", "3 contacts")
	h.selectContact("Maria Keller")
	h.mustShow("+49 30 5550303", "Designer")
}

func TestUndoImportFromHistory(t *testing.T) {
	h := newHarness(t, nil)
	h.m.importFile(phoneFile)
	h.tapButton("Import")
	h.tapButton("OK")
	h.selectContact("Maria Keller")

	hist := h.m.onImportHistory()
	h.mustShow("phone.vcf", "added 3, merged 0, skipped 1")
	h.mustNotShow("undone")
	h.tapButton("Undo…")
	h.mustShow("Undo the import of phone.vcf")
	h.tapButton("Keep")
	if len(h.contactNames()) != 3 {
		t.Fatal("Keep undid the import")
	}

	h.tapButton("Undo…")
	h.tapButton("Undo import")
	if hist.undone != "Removed 3 contacts." {
		t.Errorf("undo said %q", hist.undone)
	}
	// No contact left: the welcome stands in for the list and the card.
	h.mustShow("Removed 3 contacts.", "undone", "Welcome to Rapport", "Try the demo shop")
	h.mustNotShow("0 contacts", "Pick someone from the list")
	h.mustNotShow("Maria Keller", "Olga Petrova")
	if names := h.contactNames(); len(names) != 0 {
		t.Errorf("after undo %v are left", names)
	}
	h.tapButton("OK")
	h.mustNotShow("Undo…") // an undone batch cannot be undone again
}

func TestHistoryWithoutImports(t *testing.T) {
	h := newHarness(t, nil)
	h.press(fyne.KeyI) // the menu item exists; its file dialog is not driven here
	h.m.onImportHistory()
	h.mustShow("No imports yet.")
}

func TestRegionFromLANG(t *testing.T) {
	for lang, want := range map[string]string{
		"de_DE.UTF-8": "DE", "en_GB": "GB", "pt_BR.utf8@euro": "BR", "C.UTF-8": "US", "": "US",
	} {
		got := defaultRegion(func(name string) string {
			if name == "LANG" {
				return lang
			}
			return ""
		})
		if got != want {
			t.Errorf("LANG=%q: region %q, want %q", lang, got, want)
		}
	}
	h := newHarness(t, nil)
	h.m.app.Preferences().SetString(prefImportRegion, "AT")
	if got := h.m.importRegion(); got != "AT" {
		t.Errorf("with the preference set, region is %q", got)
	}
}

func TestFirstVCardOfADrop(t *testing.T) {
	uris := []fyne.URI{storage.NewFileURI("/tmp/notes.txt"), storage.NewFileURI("/tmp/Phone.VCF"),
		storage.NewFileURI("/tmp/other.vcf")}
	if got := firstVCard(uris); got != "/tmp/Phone.VCF" {
		t.Errorf("firstVCard = %q", got)
	}
	if got := firstVCard(uris[:1]); got != "" {
		t.Errorf("firstVCard of a text file = %q", got)
	}
}

func TestUndoInWords(t *testing.T) {
	for _, c := range []struct {
		r    app.UndoReport
		want string
	}{
		{app.UndoReport{Removed: 12, Cleared: 3, Kept: []string{"Olga Petrova"}},
			"Removed 12 contacts and 3 added phones/fields; kept 1 you changed since: Olga Petrova."},
		{app.UndoReport{Removed: 1}, "Removed 1 contact."},
		{app.UndoReport{Cleared: 1}, "Removed 1 added phone/field."},
		{app.UndoReport{Kept: []string{"A", "B"}}, "Nothing was left to take back; kept 2 you changed since: A, B."},
	} {
		if got := undoText(c.r); got != c.want {
			t.Errorf("undoText(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestOwnerMergesACardIntoASimilarContact(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Olga", FamilyName: "Petrova", Stage: model.StageClient})
	})
	v := h.m.importFile(phoneFile)
	h.mustShow("similar: Olga Petrova")
	sel := h.actionSelect(v, "Olga Petrova")
	if sel.Selected != "add" || !slices.Contains(sel.Options, "merge into Olga Petrova") {
		t.Fatalf("a name-only suggestion: selected %q of %v", sel.Selected, sel.Options)
	}
	sel.SetSelected("merge into Olga Petrova")
	v.table.Refresh()
	if got := h.actionSelect(v, "Olga Petrova").Selected; got != "merge into Olga Petrova" {
		t.Errorf("after a refresh the choice reads %q", got)
	}
	h.tapButton("Import")
	h.mustShow("Done: imported 2, merged 1, skipped 1.", "3 contacts")
	names := h.contactNames()
	if n := len(slices.DeleteFunc(slices.Clone(names), func(s string) bool { return s != "Olga Petrova" })); n != 1 {
		t.Errorf("contacts %v: want one Olga Petrova", names)
	}
}

func TestSettingsKeepThePhoneRegion(t *testing.T) {
	h := newHarness(t, nil)
	s := h.m.onSettings()
	s.region.SetText("xx")
	h.tapButton("Save")
	if !s.form.problem.Visible() {
		t.Fatal("an unknown region was accepted")
	}
	s.region.SetText("gb")
	h.tapButton("Save")
	if got := h.m.importRegion(); got != "GB" {
		t.Errorf("region after saving = %q", got)
	}
	if h.shows("Phone region") {
		t.Error("the dialog stayed open")
	}
	s = h.m.onSettings()
	s.notice.SetText("48")
	if !s.thankYou.Checked || !s.referrer.Checked {
		t.Error("the note rules are on until switched off")
	}
	s.thankYou.SetChecked(false)
	h.tapButton("Save")
	thankYou, terr := h.m.svc.RuleOn(context.Background(), app.RuleThankYou)
	referrer, rerr := h.m.svc.RuleOn(context.Background(), app.RuleReferrer)
	if terr != nil || rerr != nil || thankYou || !referrer {
		t.Error("switching the thank-you rule off did not stick")
	}
	if got := h.m.svc.Rules().NoticeWindow; got != 48*time.Hour || h.m.noticeHours() != 48 {
		t.Errorf("notice window after saving 48: %v", got)
	}
}
