package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dav/davtest"
	"github.com/rapportjournal/rapport/model"
)

// syncPreviewDesk is a window set up to sync with a phone holding Anna
// (already here, same phone and name), Peter (Anna's landline, another
// name) and Hugo (new).
func syncPreviewDesk(t *testing.T) (*harness, *davtest.Server, string) {
	t.Helper()
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf":  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"peter.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:Peter Schmidt\r\nN:Schmidt;Peter;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"hugo.vcf":  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nTEL:+49 151 18144002\r\nEND:VCARD\r\n",
	})
	h := newHarness(t, nil)
	ctx := t.Context()
	if err := h.svc.SetPhoneSyncSettings(ctx, app.PhoneSync{URL: srv.URL, User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.SavePhoneSyncPassword(srv.URL, srv.User, srv.Password); err != nil {
		t.Fatal(err)
	}
	anna := &model.Contact{GivenName: "Anna", FamilyName: "Schmidt", Phones: []model.Phone{{Number: "+49 30 1234567"}}}
	if err := h.svc.CreateContact(ctx, anna); err != nil {
		t.Fatal(err)
	}
	return h, srv, book
}

// syncActionSelect is the action cell of the preview's row of this name.
func (h *harness) syncActionSelect(p *syncPreview, name string) *widget.Select {
	h.t.Helper()
	h.shownTexts() // lays the table's cells out
	for sel, row := range p.selects {
		if p.plan[row].Contact.DisplayName == name {
			return sel
		}
	}
	h.t.Fatalf("no action cell shows %q", name)
	return nil
}

// TestSyncPreviewInTheWindow: Sync now first shows the cards new to
// Rapport, one row each with its action and reason (Anna merged, Peter
// added with the household hint); nothing is synced yet. Skipping Hugo and
// tapping Sync brings the others in and leaves Hugo out, on the next sync
// too, which shows no preview; Escape on a preview syncs nothing.
func TestSyncPreviewInTheWindow(t *testing.T) {
	h, srv, book := syncPreviewDesk(t)
	v := h.m.onPhoneSync()
	test.Tap(v.syncNow)
	p := v.preview
	if p == nil {
		t.Fatalf("no preview shown: %q", v.status.Text)
	}
	h.mustShow("The phone holds 3 cards: 2 new, 1 of them sharing a phone or email with another person (household?), 1 matches a contact.",
		"Anna Schmidt", "Peter Schmidt", "Hugo Martin", "+49 151 18144002", "new", "Name", "Match", "Action")
	// The reasons, which a narrow cell may cut.
	var reasons []string
	for _, c := range p.plan {
		reasons = append(reasons, syncMatchText(c))
	}
	if want := []string{"Anna Schmidt (same phone and name)", "new", "same phone as Anna Schmidt (household?)"}; !slices.Equal(reasons, want) {
		t.Errorf("the Match column: %q, want %q", reasons, want)
	}
	// The rows are by path: Anna, Hugo, Peter. A row picked shows its card
	// in full, with what the reason means.
	p.table.Select(widget.TableCellID{Row: 2, Col: colMatch})
	if want := "Peter Schmidt — " + book + "peter.vcf\nPhones: +49 30 1234567\nSame phone as Anna Schmidt (household?): another name, " +
		"so it is added as a contact of its own and linked to Anna Schmidt as a household, unless you merge or skip it."; p.detail.Text != want {
		t.Errorf("Peter's row in full: %q, want %q", p.detail.Text, want)
	}
	if got := h.contactNames(); len(got) != 1 {
		t.Fatalf("the preview synced: %v", got)
	}
	if sel := h.syncActionSelect(p, "Anna Schmidt"); sel.Selected != "merge" {
		t.Errorf("Anna's action: %q", sel.Selected)
	}
	if sel := h.syncActionSelect(p, "Peter Schmidt"); sel.Selected != "add" || !slices.Contains(sel.Options, "merge into Anna Schmidt") {
		t.Errorf("Peter's action: %q of %v", sel.Selected, sel.Options)
	}
	h.syncActionSelect(p, "Hugo Martin").SetSelected("skip")
	p.table.Refresh() // the choice stays with its card as cells are reused
	if sel := h.syncActionSelect(p, "Hugo Martin"); sel.Selected != "skip" {
		t.Errorf("after a refresh Hugo's action is %q", sel.Selected)
	}
	h.tapButton("Sync")
	if !strings.Contains(v.status.Text, "from the phone: 1 added, 1 merged") {
		t.Errorf("after Sync: %q", v.status.Text)
	}
	if got := h.contactNames(); !slices.Equal(got, []string{"Anna Schmidt", "Peter Schmidt"}) {
		t.Fatalf("contacts after the sync: %v, want Hugo left out", got)
	}
	if !strings.Contains(allLabels(v.results), "skipped from the phone as you chose: Hugo Martin") {
		t.Errorf("the results do not say Hugo was skipped:\n%s", allLabels(v.results))
	}
	if !slices.Contains(srv.Objects(t, book), "hugo.vcf") {
		t.Errorf("Hugo's card left the phone")
	}

	// The next sync has nothing new to show: it syncs at once.
	test.Tap(v.syncNow)
	if v.preview != nil {
		t.Errorf("a preview with nothing new: %+v", v.preview.plan)
	}
	if got := h.contactNames(); len(got) != 2 {
		t.Errorf("Hugo came back: %v", got)
	}

	// A new card on the phone: the preview again; Escape cancels it.
	srv.Put(t, book+"clara.vcf", "text/vcard", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:Clara Hoffmann\r\nN:Hoffmann;Clara;;;\r\nEND:VCARD\r\n")
	test.Tap(v.syncNow)
	if v.preview == nil || len(v.preview.plan) != 1 {
		t.Fatalf("no preview of Clara's card")
	}
	// On request the preview lists Hugo too, skipped.
	v.preview.showSkipped.SetChecked(true)
	if len(v.preview.plan) != 2 || !v.preview.plan[1].Skipped {
		t.Fatalf("with the skipped cards: %+v", v.preview.plan)
	}
	if !v.syncNow.Disabled() {
		t.Errorf("Sync now can open a second preview")
	}
	if got := syncMatchText(v.preview.plan[1]); got != "skipped on an earlier sync" {
		t.Errorf("Hugo's reason: %q", got)
	}
	h.key(fyne.KeyEscape)
	if got := h.contactNames(); len(got) != 2 || !strings.Contains(v.status.Text, "Not synced") || v.syncNow.Disabled() {
		t.Errorf("after Escape: %v, %q (Sync now disabled: %v)", got, v.status.Text, v.syncNow.Disabled())
	}
	// Enter syncs.
	test.Tap(v.syncNow)
	h.key(fyne.KeyReturn)
	if got := h.contactNames(); len(got) != 3 {
		t.Errorf("after Enter: %v", got)
	}
}

// TestSyncPreviewMergeIntoFromTheWindow: Peter, on Anna's landline under
// another name, is proposed as a contact of his own; choosing "merge into
// Anna Schmidt" merges him into her instead.
func TestSyncPreviewMergeIntoFromTheWindow(t *testing.T) {
	h, _, _ := syncPreviewDesk(t)
	v := h.m.onPhoneSync()
	test.Tap(v.syncNow)
	if v.preview == nil {
		t.Fatalf("no preview shown: %q", v.status.Text)
	}
	h.syncActionSelect(v.preview, "Peter Schmidt").SetSelected("merge into Anna Schmidt")
	h.key(fyne.KeyReturn)
	if !strings.Contains(v.status.Text, "from the phone: 1 added, 2 merged") {
		t.Errorf("after Sync: %q", v.status.Text)
	}
	if got := h.contactNames(); !slices.Equal(got, []string{"Anna Schmidt", "Hugo Martin"}) {
		t.Errorf("contacts: %v, want Peter merged into Anna", got)
	}
}
