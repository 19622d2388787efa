package app

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/model"
)

func settle(t *testing.T, s *Service, password, href string, how Deletion) Settled {
	t.Helper()
	out, err := s.SettleDeletion(t.Context(), password, href, how)
	if err != nil {
		t.Fatalf("settle %s (%s): %v", href, how, err)
	}
	return out
}

// TestPhoneSyncDeleteHereToo: the phone deletes Peter's card. Every sync
// asks (not only the one that saw it: sync-collection names a deletion
// once), a dry run too; "delete here too" removes Peter, and Undo brings
// him back whole — journal, detail, appointment, household link — and
// unlinked, so the next sync puts him on the phone as a new card.
func TestPhoneSyncDeleteHereToo(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	peter := findContact(t, s, "Peter Schmidt")
	hugo := findContact(t, s, "Hugo Martin")
	if _, err := s.LogEntry(ctx, peter.ID, model.KindNote, "Prefers mornings"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDetail(ctx, &model.Detail{ContactID: peter.ID, Label: "Dog", Value: "Bruno"}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2031, 3, 4, 9, 30, 0, 0, time.UTC)
	if err := s.store().SaveAppointment(ctx, &model.Appointment{ContactID: peter.ID, Start: start, Minutes: 45, Purpose: "Fitting"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store().LinkContacts(ctx, peter.ID, hugo.ID, model.LinkHousehold, "same landline"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, s, srv, SyncOptions{}) // the journal entry and the rest are no phone fields

	srv.Delete(t, book+"peter.vcf")
	for i, opts := range []SyncOptions{{}, {}, {DryRun: true}} {
		rep := syncNow(t, s, srv, opts)
		if len(rep.DeletedOnPhone) != 1 || rep.DeletedOnPhone[0].Name != "Peter Schmidt" || rep.DeletedOnPhone[0].Href != book+"peter.vcf" {
			t.Fatalf("sync %d: deleted on the phone %+v\n%s", i, rep.DeletedOnPhone, strings.Join(rep.Lines, "\n"))
		}
		if !strings.Contains(rep.Summary(), "1 contact deleted on the phone") {
			t.Errorf("sync %d summary: %s", i, rep.Summary())
		}
		if rep.ToPhoneAdded+rep.ToPhoneUpdated != 0 || len(srv.Objects(t, book)) != 1 {
			t.Fatalf("sync %d wrote Peter back before being asked: %s", i, rep.Summary())
		}
	}
	if got := names(t, s); !slices.Equal(got, []string{"Hugo Martin", "Peter Schmidt"}) {
		t.Fatalf("contacts before settling: %v", got)
	}

	done := settle(t, s, srv.Password, book+"peter.vcf", DeleteToo)
	if done.Batch == 0 || !strings.Contains(done.Message, "Peter Schmidt deleted here too") {
		t.Fatalf("settled: %+v", done)
	}
	if got := names(t, s); !slices.Equal(got, []string{"Hugo Martin"}) {
		t.Fatalf("contacts after delete here too: %v", got)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedOnPhone)+len(rep.DeletedHere) != 0 || rep.ToPhoneAdded != 0 {
		t.Fatalf("sync after settling: %s", rep.Summary())
	}
	if _, err := s.SettleDeletion(ctx, srv.Password, book+"peter.vcf", DeleteToo); err == nil {
		t.Fatal("a deletion settled twice")
	}

	rep, err := s.UndoImport(ctx, done.Batch)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Restored, []string{"Peter Schmidt"}) {
		t.Errorf("undo report: %+v", rep)
	}
	back := findContact(t, s, "Peter Schmidt")
	if back.UID != peter.UID {
		t.Errorf("Peter came back as %s, was %s", back.UID, peter.UID)
	}
	if len(back.Phones) != 1 || back.Phones[0].Normalized != "+49301234567" {
		t.Errorf("phones back: %+v", back.Phones)
	}
	var journal []string
	for _, e := range back.Journal {
		journal = append(journal, e.Text)
	}
	if !slices.Contains(journal, "Prefers mornings") {
		t.Errorf("journal back: %v", journal)
	}
	if len(back.Details) != 1 || back.Details[0].Value != "Bruno" {
		t.Errorf("details back: %+v", back.Details)
	}
	if len(back.Appointments) != 1 || !back.Appointments[0].Start.Equal(start) || back.Appointments[0].Purpose != "Fitting" {
		t.Errorf("appointments back: %+v", back.Appointments)
	}
	if links, err := s.store().LinksOf(ctx, back.ID); err != nil || len(links) != 1 || links[0].ContactID != hugo.ID {
		t.Errorf("household link back: %+v %v", links, err)
	}
	if _, err := s.UndoImport(ctx, done.Batch); !errors.Is(err, ErrAlreadyUndone) {
		t.Errorf("second undo: %v", err)
	}

	again := syncNow(t, s, srv, SyncOptions{})
	if again.ToPhoneAdded != 1 || len(again.DeletedOnPhone) != 0 {
		t.Fatalf("sync after undo: %s\n%s", again.Summary(), strings.Join(again.Lines, "\n"))
	}
	all := ""
	for _, name := range srv.Objects(t, book) {
		all += srv.Get(t, book+name)
	}
	if len(srv.Objects(t, book)) != 2 || !strings.Contains(all, "Peter") {
		t.Errorf("the phone after the undo's sync: %v\n%s", srv.Objects(t, book), all)
	}
}

// TestPhoneSyncUndeleteHere: the phone deletes Peter's card and the owner
// keeps him: the next sync puts him back on the phone, and asks no more.
func TestPhoneSyncUndeleteHere(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	srv.Delete(t, book+"peter.vcf")
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedOnPhone) != 1 {
		t.Fatalf("deleted on the phone: %+v", rep.DeletedOnPhone)
	}
	done := settle(t, s, srv.Password, book+"peter.vcf", Undelete)
	if done.Batch != 0 || !strings.Contains(done.Message, "Peter Schmidt kept") {
		t.Fatalf("settled: %+v", done)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if rep.ToPhoneAdded != 1 || len(rep.DeletedOnPhone) != 0 {
		t.Fatalf("sync after keeping: %s", rep.Summary())
	}
	if got := names(t, s); !slices.Equal(got, []string{"Hugo Martin", "Peter Schmidt"}) {
		t.Errorf("contacts: %v", got)
	}
	if n := len(srv.Objects(t, book)); n != 2 {
		t.Errorf("cards on the phone: %d, want Peter back", n)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); rep.ToPhoneAdded+rep.FromPhoneAdded+len(rep.DeletedOnPhone) != 0 {
		t.Errorf("then: %s", rep.Summary())
	}
}

// TestPhoneSyncDeleteOnPhoneToo: Hugo is deleted here. The sync asks by
// the name on his card; "delete on the phone too" deletes it over the
// version last synced only (a card the phone changed since is a conflict,
// not deleted); Undo puts the card back on the phone, and the sync asks
// again.
func TestPhoneSyncDeleteOnPhoneToo(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	if _, err := s.SavePhoneSyncPassword(srv.URL+"/", srv.User, srv.Password); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteContact(ctx, findContact(t, s, "Hugo Martin").ID); err != nil {
		t.Fatal(err)
	}
	href := book + "hugo.vcf"
	for i := range 2 {
		rep := syncNow(t, s, srv, SyncOptions{})
		if len(rep.DeletedHere) != 1 || rep.DeletedHere[0].Name != "Hugo Martin" || rep.DeletedHere[0].Href != href {
			t.Fatalf("sync %d: deleted here %+v", i, rep.DeletedHere)
		}
	}

	// The phone changes Hugo meanwhile: not deleted, said as a conflict.
	srv.Put(t, href, "text/vcard", vcard3("uid-hugo", "Hugo", "Martin", "+49 151 99999999", ""))
	_, err := s.SettleDeletion(ctx, srv.Password, href, DeleteToo)
	if !errors.Is(err, dav.ErrConflict) || !strings.Contains(err.Error(), "Hugo Martin was not deleted on the phone") {
		t.Fatalf("delete of a card changed on the phone: %v", err)
	}
	if !slices.Contains(srv.Objects(t, book), "hugo.vcf") {
		t.Fatal("a card changed on the phone was deleted")
	}
	if batches, _ := s.ImportBatches(ctx); len(batches) != 1 { // the first sync's import
		t.Fatalf("a refused delete left %d batches", len(batches))
	}

	// Asked again, the owner deletes it as it is now.
	done := settle(t, s, srv.Password, href, DeleteToo)
	if slices.Contains(srv.Objects(t, book), "hugo.vcf") {
		t.Fatal("Hugo's card is still on the phone")
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedHere)+len(rep.DeletedOnPhone) != 0 || rep.FromPhoneAdded != 0 {
		t.Fatalf("sync after deleting on the phone: %s", rep.Summary())
	}

	rep, err := s.UndoImport(ctx, done.Batch)
	if err != nil {
		t.Fatal(err)
	}
	if rep.PutBack != 1 {
		t.Errorf("undo: %+v", rep)
	}
	if got := srv.Get(t, href); !strings.Contains(got, "99999999") {
		t.Errorf("Hugo's card put back:\n%s", got)
	}
	again := syncNow(t, s, srv, SyncOptions{})
	if len(again.DeletedHere) != 1 || again.DeletedHere[0].Href != href || again.FromPhoneAdded != 0 {
		t.Errorf("sync after the undo: %s %+v", again.Summary(), again.DeletedHere)
	}
	if got := names(t, s); !slices.Equal(got, []string{"Peter Schmidt"}) {
		t.Errorf("contacts: %v", got)
	}
}

// TestPhoneSyncUndoOnPhoneUnreachable: the undo of a card deleted on the
// phone needs the server; without it the undo is refused in words and
// nothing changes, and it works once the server is back.
func TestPhoneSyncUndoOnPhoneUnreachable(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	if _, err := s.SavePhoneSyncPassword(srv.URL+"/", srv.User, srv.Password); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteContact(ctx, findContact(t, s, "Hugo Martin").ID); err != nil {
		t.Fatal(err)
	}
	syncNow(t, s, srv, SyncOptions{})
	done := settle(t, s, srv.Password, book+"hugo.vcf", DeleteToo)
	srv.Stop()
	if _, err := s.UndoImport(ctx, done.Batch); !errors.Is(err, dav.ErrUnreachable) {
		t.Fatalf("undo with the server gone: %v", err)
	}
	if b, err := s.store().Batch(ctx, done.Batch); err != nil || b.UndoneAt != nil {
		t.Fatalf("a refused undo marked the batch: %+v %v", b, err)
	}
	srv.Restart(t)
	if _, err := s.UndoImport(ctx, done.Batch); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(srv.Objects(t, book), "hugo.vcf") {
		t.Error("Hugo's card is not back on the phone")
	}
}

// TestPhoneSyncForgottenDeletedHere: a forgotten contact's card is asked
// about by the name on the card (nothing of theirs is kept here), deleted
// on the phone on the owner's word, and no copy is kept: the undo says so.
func TestPhoneSyncForgottenDeletedHere(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	if _, err := s.Forget(ctx, findContact(t, s, "Hugo Martin").ID); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.DeletedHere) != 1 || rep.DeletedHere[0].Name != "Hugo Martin" || !model.IsForgottenHref(rep.DeletedHere[0].Href) {
		t.Fatalf("deleted here: %+v", rep.DeletedHere)
	}
	done := settle(t, s, srv.Password, rep.DeletedHere[0].Href, DeleteToo)
	if slices.Contains(srv.Objects(t, book), "hugo.vcf") {
		t.Fatal("the forgotten contact's card is still on the phone")
	}
	changes, err := s.store().BatchChanges(ctx, done.Batch)
	if err != nil || len(changes) != 1 || changes[0].Value != "" {
		t.Fatalf("what the history keeps of a forgotten contact: %+v %v", changes, err)
	}
	batches, _ := s.ImportBatches(ctx)
	for _, b := range batches {
		if strings.Contains(b.File, "Hugo") {
			t.Errorf("the import history names the forgotten contact: %q", b.File)
		}
	}
	if _, err := s.UndoImport(ctx, done.Batch); err == nil || !strings.Contains(err.Error(), "kept no copy") {
		t.Errorf("undo: %v", err)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedHere) != 0 {
		t.Errorf("then: %+v", rep.DeletedHere)
	}
}

// TestPhoneSyncUndeleteFromPhone: Hugo is deleted here, and the owner keeps
// the phone's card: it comes back here as a contact, linked, in the import
// history; the next sync has nothing to do.
func TestPhoneSyncUndeleteFromPhone(t *testing.T) {
	s, srv, book := peterAndHugoSynced(t)
	ctx := t.Context()
	if err := s.DeleteContact(ctx, findContact(t, s, "Hugo Martin").ID); err != nil {
		t.Fatal(err)
	}
	syncNow(t, s, srv, SyncOptions{})
	done := settle(t, s, srv.Password, book+"hugo.vcf", Undelete)
	if done.Batch == 0 {
		t.Fatalf("settled: %+v", done)
	}
	if got := names(t, s); !slices.Equal(got, []string{"Hugo Martin", "Peter Schmidt"}) {
		t.Fatalf("contacts: %v", got)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if rep.ToPhoneAdded+rep.ToPhoneUpdated+rep.FromPhoneAdded+rep.FromPhoneMerged+len(rep.DeletedHere) != 0 {
		t.Fatalf("sync after bringing Hugo back: %s\n%s", rep.Summary(), strings.Join(rep.Lines, "\n"))
	}
	if n := len(srv.Objects(t, book)); n != 2 {
		t.Errorf("cards on the phone: %d", n)
	}
	// Its undo takes Hugo away again, and the sync asks again.
	if _, err := s.UndoImport(ctx, done.Batch); err != nil {
		t.Fatal(err)
	}
	if rep := syncNow(t, s, srv, SyncOptions{}); len(rep.DeletedHere) != 1 {
		t.Errorf("after the undo: %+v", rep.DeletedHere)
	}
}
