package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/rapportjournal/rapport/app/dbcopy"
)

// closeAtEnd closes whichever store the service holds when the test ends: a
// restore replaces the one the harness opened.
func (h *harness) closeAtEnd() {
	h.t.Cleanup(func() { h.svc.Close() })
}

func TestBackupsDialogBacksUpAndRestores(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, threePeople(t))
	h.closeAtEnd()
	v := h.m.onBackups()
	h.mustShow("No backups yet.")
	if !v.restore.Disabled() {
		t.Error("Restore… is enabled with nothing selected")
	}
	h.tapButton("Back up now")
	h.mustShow("Backed up", "Your contacts are copied to")
	h.tapButton("OK")
	if len(v.backups) != 1 || v.backups[0].Kind != dbcopy.Manual {
		t.Fatalf("backups listed: %+v", v.backups)
	}
	h.mustShow("Made with Back up now")
	h.mustNotShow("No backups yet.")

	// A change after the backup, which the restore takes back.
	rows, _ := h.svc.ListContacts(ctx, "maria")
	if _, err := h.svc.Forget(ctx, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	h.m.list.reloadAll()
	h.mustShow("2 contacts")

	v.list.Select(0)
	if v.restore.Disabled() {
		t.Fatal("Restore… stays disabled with a backup selected")
	}
	h.tapButton("Restore…")
	h.mustShow("Replace your contacts with the backup of", "Everything as it is now is kept as a backup first")
	h.tapButton("Restore")
	h.mustShow("Restored the backup of", "The state before is kept as rapport-")
	h.tapButton("OK")
	h.mustShow("3 contacts", "Maria Keller")
	if n, _ := h.svc.ListContacts(ctx, ""); len(n) != 3 {
		t.Errorf("%d contacts after the restore, want 3", len(n))
	}
	if len(v.backups) != 2 || v.backups[0].Kind != dbcopy.BeforeRestore {
		t.Errorf("after the restore the list holds %+v", v.backups)
	}
	h.mustShow("Before a restore")
	// The restored database works: the card shows and takes an entry.
	h.selectContact("Maria Keller")
	h.mustShow("Daughter: Maya, starts school in August")
	test.Type(h.m.card.quickText, "Came back after the restore")
	h.m.card.onLogSubmitted()
	h.mustShow("Came back after the restore")
}

func TestRestoringABadFileChangesNothing(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, threePeople(t))
	h.closeAtEnd()
	notes := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(notes, []byte("these are not contacts"), 0o600); err != nil {
		t.Fatal(err)
	}
	v := h.m.onBackups()
	v.confirmRestore(notes, "notes.db")
	h.tapButton("Restore")
	h.mustShow(notes, "not a Rapport database")
	if n, _ := h.svc.ListContacts(ctx, ""); len(n) != 3 {
		t.Errorf("%d contacts after a refused restore", len(n))
	}
	if list, _ := h.svc.Backups(ctx); len(list) != 0 {
		t.Errorf("a refused restore kept a backup: %+v", list)
	}
}

func TestNewsletterCheckOnTheCard(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	check := h.m.card.consent
	if check.Checked || check.Text != "Agreed to the newsletter" {
		t.Fatalf("check at first: %v %q", check.Checked, check.Text)
	}
	test.Tap(check)
	id := h.m.card.card.Contact.ID
	c, _ := h.svc.Contact(ctx, id)
	if !c.NewsletterConsent || c.NewsletterConsentDate != testNow.Format("2006-01-02") {
		t.Fatalf("after ticking: %v %q", c.NewsletterConsent, c.NewsletterConsentDate)
	}
	h.mustShow("Agreed to the newsletter (on 23 November 2026)")
	// Another contact's card shows their own answer.
	h.selectContact("Jörg Müller")
	if h.m.card.consent.Checked {
		t.Error("Jörg's card shows Maria's consent")
	}
	if c, _ := h.svc.Contact(ctx, id); !c.NewsletterConsent {
		t.Error("showing another card changed Maria's consent")
	}
	h.selectContact("Maria Keller")
	if !check.Checked {
		t.Fatal("Maria's card lost the tick")
	}
	test.Tap(check)
	c, _ = h.svc.Contact(ctx, id)
	if c.NewsletterConsent || c.NewsletterConsentDate != "" {
		t.Errorf("after clearing: %v %q", c.NewsletterConsent, c.NewsletterConsentDate)
	}
	h.mustShow("No longer wants the newsletter (agreed on 2026-11-23)")
	if check.Text != "Agreed to the newsletter" {
		t.Errorf("label after clearing: %q", check.Text)
	}
	// A click too many is taken back with the snackbar's Undo: the day it
	// was given comes back, the journal line goes.
	h.mustShow("Maria Keller no longer gets the newsletter.")
	h.undo()
	c, _ = h.svc.Contact(ctx, id)
	if !c.NewsletterConsent || c.NewsletterConsentDate != "2026-11-23" || len(c.Journal) != 1 || strings.Contains(c.Journal[0].Text, "newsletter") {
		t.Fatalf("after Undo: %v %q, journal %+v", c.NewsletterConsent, c.NewsletterConsentDate, c.Journal)
	}
	h.mustShow("Agreed to the newsletter (on 23 November 2026)")
	h.mustNotShow("No longer wants the newsletter (agreed on 2026-11-23)")
	if !check.Checked {
		t.Error("the check is not ticked again after Undo")
	}
}
