package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dav/davtest"
)

// TestPhoneSyncDialog: the owner types the server's bare address, user and
// password, finds the address book, saves, syncs: the phone's contacts are
// in the list; a contact then changed on both sides shows both versions,
// and "Keep mine" writes Rapport's over the phone's.
func TestPhoneSyncDialog(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"hugo.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n",
	})
	h := newHarness(t, nil)
	v := h.m.onPhoneSync()
	test.Type(v.url, srv.URL)
	test.Type(v.user, srv.User)
	test.Type(v.password, srv.Password)
	test.Tap(v.find)
	if len(v.books.Options) != 1 || !strings.Contains(v.books.Selected, book) {
		t.Fatalf("address books: %v (status %q)", v.books.Options, v.status.Text)
	}
	test.Tap(v.save)
	if !strings.Contains(v.status.Text, "password is kept in") {
		t.Fatalf("after Save: %q", v.status.Text)
	}
	test.Tap(v.syncNow)
	h.tapButton("Sync") // in the preview of the cards new to Rapport
	if !strings.Contains(v.status.Text, "from the phone: 2 added") {
		t.Fatalf("after Sync now: %q", v.status.Text)
	}
	if got := len(h.m.list.ids); got != 2 {
		t.Fatalf("the list shows %d contacts after the sync, want 2", got)
	}

	// Hugo changes on the phone and here.
	srv.Put(t, book+"hugo.vcf", "text/vcard", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nTEL:+49 151 77777777\r\nEND:VCARD\r\n")
	rows, err := h.svc.ListContacts(t.Context(), "Hugo")
	if err != nil || len(rows) != 1 {
		t.Fatalf("Hugo: %v %v", rows, err)
	}
	hugo, err := h.svc.Contact(t.Context(), rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	hugo.Title = "Master baker"
	if err := h.svc.SaveContact(t.Context(), hugo); err != nil {
		t.Fatal(err)
	}
	test.Tap(v.syncNow)
	if !strings.Contains(v.status.Text, "changed on both sides") {
		t.Fatalf("after the second sync: %q", v.status.Text)
	}
	shown := allLabels(v.results)
	if !strings.Contains(shown, "+49 151 77777777") || !strings.Contains(shown, "Master baker") {
		t.Fatalf("the two versions are not side by side:\n%s", shown)
	}
	tapIn(t, v.results, "Keep mine")
	if got := srv.Get(t, book+"hugo.vcf"); !strings.Contains(got, "Master baker") {
		t.Fatalf("Keep mine did not write Rapport's version:\n%s", got)
	}
	if shown := allLabels(v.results); !strings.Contains(shown, "your version kept") {
		t.Errorf("after Keep mine:\n%s", shown)
	}
}

// allLabels is the text of every label inside o, one per line.
func allLabels(o fyne.CanvasObject) string {
	var b strings.Builder
	walkObjects(o, walkScope{}, func(o fyne.CanvasObject) walkNext {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
		return walkInto
	})
	return b.String()
}

// TestPhoneSyncBySelf: with "Every 15 minutes" chosen, the timer's sync
// brings the phone's contacts in and says so in the line at the bottom;
// "Never" stops it.
func TestPhoneSyncBySelf(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nEND:VCARD\r\n",
	})
	h := newHarness(t, nil)
	if err := h.svc.SetPhoneSyncSettings(t.Context(), app.PhoneSync{URL: srv.URL, User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.SavePhoneSyncPassword(srv.URL, srv.User, srv.Password); err != nil {
		t.Fatal(err)
	}
	v := h.m.onPhoneSync()
	if v.every.Selected != "Off (only when asked)" {
		t.Fatalf("the timer is on by default: %q", v.every.Selected)
	}
	v.every.SetSelected("Every 15 minutes")
	if got := h.m.app.Preferences().Int(prefSyncEvery); got != 15 {
		t.Fatalf("preference %d, want 15", got)
	}
	h.m.syncBySelf(h.m.syncTimer)
	if got := len(h.m.list.ids); got != 1 {
		t.Fatalf("after the timer's sync the list has %d contacts", got)
	}
	if !strings.HasPrefix(h.m.done.text.Text, "Phone sync: from the phone: 1 added") {
		t.Errorf("the line at the bottom says %q", h.m.done.text.Text)
	}
	// An older timer does nothing once the interval changed.
	old := h.m.syncTimer
	v.every.SetSelected("Off (only when asked)")
	srv.Put(t, book+"hugo.vcf", "text/vcard", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n")
	h.m.syncBySelf(old)
	if got := len(h.m.list.ids); got != 1 {
		t.Errorf("a timer dropped when the owner chose Never still synced: %d contacts", got)
	}
}

// TestPhoneSyncDialogDeletions: Hugo's card is deleted on the phone and
// Peter is deleted here. The dialog lists both with what each button does;
// "Delete here too" removes Hugo and the line at the bottom's Undo brings
// him back; "Delete on the phone too" deletes Peter's card, and Import
// History's Undo puts it back on the phone.
func TestPhoneSyncDialogDeletions(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"hugo.vcf":  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n",
		"peter.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:Peter Schmidt\r\nN:Schmidt;Peter;;;\r\nEND:VCARD\r\n",
	})
	h := newHarness(t, nil)
	ctx := t.Context()
	if err := h.svc.SetPhoneSyncSettings(ctx, app.PhoneSync{URL: srv.URL, User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.SavePhoneSyncPassword(srv.URL, srv.User, srv.Password); err != nil {
		t.Fatal(err)
	}
	v := h.m.onPhoneSync()
	test.Tap(v.syncNow)
	h.tapButton("Sync") // in the preview of the cards new to Rapport
	if got := h.contactNames(); len(got) != 2 {
		t.Fatalf("after the first sync: %v (%q)", got, v.status.Text)
	}
	srv.Delete(t, book+"hugo.vcf")
	rows, err := h.svc.ListContacts(ctx, "Peter")
	if err != nil || len(rows) != 1 {
		t.Fatalf("Peter: %v %v", rows, err)
	}
	if err := h.svc.DeleteContact(ctx, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	test.Tap(v.syncNow)
	shown := allLabels(v.results)
	for _, want := range []string{
		"Hugo Martin was deleted on the phone", "Removes Hugo Martin here as well; Undo (or File › Import History…) brings them back whole.",
		"Keeps Hugo Martin here; the next sync puts them back on the phone.",
		"Peter Schmidt was deleted here", "Deletes the card on the phone, unless it was changed there since the last sync",
		"Leaves the card on the phone and brings Peter Schmidt back here from it.",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, shown)
		}
	}
	if !strings.Contains(v.status.Text, "1 contact deleted on the phone") {
		t.Errorf("status: %q", v.status.Text)
	}

	tapIn(t, v.results, "Delete here too")
	if got := h.contactNames(); len(got) != 0 {
		t.Fatalf("after Delete here too: %v", got)
	}
	if got := h.m.done.text.Text; !strings.Contains(got, "Hugo Martin deleted here too") || !h.m.done.undo.Visible() {
		t.Fatalf("the line at the bottom: %q (undo shown: %v)", got, h.m.done.undo.Visible())
	}
	if !strings.Contains(allLabels(v.results), "Hugo Martin deleted here too") {
		t.Errorf("the dialog after settling:\n%s", allLabels(v.results))
	}
	test.Tap(h.m.done.undo)
	if got := h.contactNames(); len(got) != 1 || got[0] != "Hugo Martin" {
		t.Fatalf("after Undo: %v", got)
	}

	tapIn(t, v.results, "Delete on the phone too")
	if got := srv.Objects(t, book); len(got) != 0 {
		t.Fatalf("cards on the phone after Delete on the phone too: %v", got)
	}
	h.m.onImportHistory()
	h.mustShow("Phone sync: Peter Schmidt deleted on the phone too")
	h.tapButton("Undo…")
	h.mustShow("What it deleted comes back (a card on the phone is put back there)")
	h.tapButton("Undo import")
	h.mustShow("Put 1 card back on the phone.")
	if got := srv.Objects(t, book); len(got) != 1 || got[0] != "peter.vcf" {
		t.Fatalf("cards on the phone after the history's undo: %v", got)
	}
}
