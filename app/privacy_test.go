package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

func TestNewsletterConsentGivenAndWithdrawn(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "Maria Keller", Emails: []model.Email{{Address: "maria@example.com"}}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNewsletterConsent(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Contact(ctx, c.ID)
	if !got.NewsletterConsent || got.NewsletterConsentDate != fixedNow.Local().Format("2006-01-02") {
		t.Errorf("after agreeing: %v %q", got.NewsletterConsent, got.NewsletterConsentDate)
	}
	if len(got.Journal) != 0 {
		t.Errorf("agreeing wrote the journal: %+v", got.Journal)
	}
	// An editor opened before the change may not save the old answer back.
	stale := *c
	stale.Version = 1
	if err := s.SaveContact(ctx, &stale); err == nil {
		t.Error("saving a copy read before the consent changed was not refused")
	}

	if err := s.SetNewsletterConsent(ctx, c.ID, false); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Contact(ctx, c.ID)
	if got.NewsletterConsent || got.NewsletterConsentDate != "" {
		t.Errorf("after withdrawing: %v %q", got.NewsletterConsent, got.NewsletterConsentDate)
	}
	if len(got.Journal) != 1 || got.Journal[0].Text != "No longer wants the newsletter (agreed on 2026-11-23)" {
		t.Errorf("journal after withdrawing: %+v", got.Journal)
	}
	// Unchanged: nothing logged twice.
	if err := s.SetNewsletterConsent(ctx, c.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Contact(ctx, c.ID); len(got.Journal) != 1 {
		t.Errorf("withdrawing twice logged twice: %+v", got.Journal)
	}
}

func TestNewsletterConsentInTheBackup(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	c := &model.Contact{DisplayName: "Maria Keller"}
	if err := src.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := src.SetNewsletterConsent(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	data := exportString(t, src)
	if !strings.Contains(data, `"newsletter_consent": true`) || !strings.Contains(data, `"newsletter_consent_date": "2026-11-23"`) {
		t.Errorf("the backup lacks the consent:\n%s", data)
	}
	dst := newService(t)
	if _, err := dst.Restore(ctx, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	rows, _ := dst.ListContacts(ctx, "")
	got, _ := dst.Contact(ctx, rows[0].ID)
	if !got.NewsletterConsent || got.NewsletterConsentDate != "2026-11-23" {
		t.Errorf("restored consent: %v %q", got.NewsletterConsent, got.NewsletterConsentDate)
	}

	// A backup from before the keys existed restores as not agreed.
	old := `{"format": "rapport-backup", "version": 1, "contacts": [{"id": "old-1", "name": "Old Backup", "stage": "client"}]}`
	if _, err := dst.Restore(ctx, strings.NewReader(old)); err != nil {
		t.Fatalf("an old backup without the consent keys: %v", err)
	}
	rows, _ = dst.ListContacts(ctx, "old backup")
	if got, _ := dst.Contact(ctx, rows[0].ID); len(rows) != 1 || got.NewsletterConsent {
		t.Errorf("old backup: %+v", got)
	}

	// A bad date is refused, naming the contact.
	bad := `{"format": "rapport-backup", "version": 1, "contacts": [{"id": "b-1", "name": "Bad Date", "stage": "client",
		"newsletter_consent": true, "newsletter_consent_date": "23.11.2026"}]}`
	if _, err := dst.Restore(ctx, strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "Bad Date") {
		t.Errorf("bad consent date: %v", err)
	}

	// Withdrawn since the backup: restoring the older backup keeps it withdrawn.
	if err := src.SetNewsletterConsent(ctx, c.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Restore(ctx, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if got, _ := src.Contact(ctx, c.ID); got.NewsletterConsent {
		t.Error("restoring an older backup gave back a withdrawn consent")
	}
}

func TestForgetRemovesThemFromSearch(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _ := s.ListContacts(ctx, "mull")
	if len(rows) != 1 {
		t.Fatalf("demo: %+v", rows)
	}
	name, err := s.ForgetByID(ctx, rows[0].UID)
	if err != nil {
		t.Fatal(err)
	}
	if name != "Jörg Müller" {
		t.Errorf("forgot %q", name)
	}
	for _, q := range []string{"mull", "müller bikes", "beagle", "j", ""} {
		found, err := s.ListContacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			if f.DisplayName == "Jörg Müller" {
				t.Errorf("search %q still finds him", q)
			}
		}
	}
	if got := ForgottenMessage(name); got != "Removed Jörg Müller. Older backups still hold them until they rotate out (up to 12 months)." {
		t.Errorf("message = %q", got)
	}
	if _, err := s.ForgetByID(ctx, rows[0].UID); err == nil || !strings.Contains(err.Error(), rows[0].UID) {
		t.Errorf("forgetting twice: %v", err)
	}
}

// The thank-you note the referral rule gave the referrer names the person
// referred; forgetting that person rewords it and keeps the note.
func TestForgetRewordsTheReferrersThankYou(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	referrer := &model.Contact{DisplayName: "Maria Keller"}
	if err := s.CreateContact(ctx, referrer); err != nil {
		t.Fatal(err)
	}
	referred := &model.Contact{DisplayName: "Olga Petrova", ReferredByID: &referrer.ID}
	if err := s.CreateContact(ctx, referred); err != nil {
		t.Fatal(err)
	}
	notes, err := s.NotesToWrite(ctx)
	if err != nil || len(notes) != 1 || notes[0].Reason != "Thank you for referring Olga Petrova" {
		t.Fatalf("the referral rule's note: %+v %v", notes, err)
	}
	if _, err := s.Forget(ctx, referred.ID); err != nil {
		t.Fatal(err)
	}
	notes, err = s.NotesToWrite(ctx)
	if err != nil || len(notes) != 1 || notes[0].Reason != "Thank you for a referral" || notes[0].ContactID != referrer.ID {
		t.Errorf("after forgetting: %+v %v", notes, err)
	}
}

// forgetStrings is what a contact's backup form says that can name them:
// name, phones as written and as stored to match on, emails, addresses,
// details, how they were met, journal and note text.
func forgetStrings(b jsonbackup.Contact) []string {
	out := []string{b.Name, b.HowWeMet}
	for _, p := range b.Phones {
		out = append(out, p.Number, strings.ReplaceAll(p.Number, " ", ""))
	}
	for _, e := range b.Emails {
		out = append(out, e.Address)
	}
	for _, a := range b.Addresses {
		out = append(out, a.Street)
	}
	for _, d := range b.Details {
		out = append(out, d.Value)
	}
	for _, e := range b.Journal {
		out = append(out, e.Text)
	}
	for _, n := range b.NotesOwed {
		out = append(out, n.Reason, n.WrittenText)
	}
	return out
}

// Every demo contact is forgotten in turn; after each, the raw bytes of the
// database file and its write-ahead log hold none of what was theirs alone,
// as written or as folded for search, while everyone else's is all there.
func TestForgetLeavesNoByteInTheFile(t *testing.T) {
	if modeltest.Postgres() {
		t.Skip("the file is SQLite's")
	}
	ctx := context.Background()
	s := newService(t)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	var list struct{ Contacts []jsonbackup.Contact }
	var buf bytes.Buffer
	if err := s.ContactsJSON(ctx, "", fixedNow, &buf); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	raw := func() []byte {
		var all []byte
		for _, f := range []string{s.StorePath(), s.StorePath() + "-wal"} {
			data, err := os.ReadFile(f)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			all = append(all, data...)
		}
		return all
	}
	// The test proves something only if the file held them before.
	before := raw()
	for _, c := range list.Contacts {
		if !bytes.Contains(before, []byte(c.Emails[0].Address)) {
			t.Fatalf("the file never held %s", c.Emails[0].Address)
		}
	}
	left := 0
	for i, c := range list.Contacts {
		if _, err := s.ForgetByID(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		// Only what no remaining contact also says (in any case) is theirs.
		var others []string
		for _, o := range list.Contacts[i+1:] {
			for _, x := range forgetStrings(o) {
				others = append(others, x, model.Fold(x))
			}
		}
		data := raw()
		bad := 0
		for _, x := range forgetStrings(c) {
			for _, form := range []string{x, model.Fold(x)} {
				shared := len(form) < 4
				for _, o := range others {
					shared = shared || strings.Contains(strings.ToLower(o), strings.ToLower(form))
				}
				if !shared && bytes.Contains(data, []byte(form)) {
					j := bytes.Index(data, []byte(form))
					t.Errorf("after forgetting %s the file still holds %q: %q", c.Name, form, data[max(0, j-60):j+20])
					bad++
				}
			}
		}
		if bad > 0 {
			left++
		}
		for _, o := range list.Contacts[i+1:] {
			if !bytes.Contains(data, []byte(o.Name)) || !bytes.Contains(data, []byte(o.Details[0].Value)) {
				t.Errorf("forgetting %s lost %s", c.Name, o.Name)
			}
		}
		rows, err := s.ListContacts(ctx, "")
		if err != nil || len(rows) != len(list.Contacts)-i-1 {
			t.Fatalf("after forgetting %d: %d contacts, %v", i+1, len(rows), err)
		}
	}
	if left > 0 {
		t.Errorf("%d of %d contacts left text in the file", left, len(list.Contacts))
	}
}

// A backup with a value that cannot be is refused whole, naming the
// contact, the field and the value, and changes nothing.
func TestRestoreRefusesImpossibleValues(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	// The whole backup, so that it holds on PostgreSQL too, where
	// Store.Digest (SQLite's file) does not reach.
	before := exportString(t, s)
	digest := func() string {
		if modeltest.Postgres() {
			return ""
		}
		d, err := s.store().Digest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	beforeDigest := digest()
	appt := func(extra string) string {
		return `{"format": "rapport-backup", "version": 1, "contacts": [{"id": "ok-1", "name": "Fine Person", "stage": "client"},
			{"id": "v-1", "name": "Vera Bad", "stage": "client", "appointments": [{"start": "2026-11-20T10:00:00Z", ` + extra + `}]}]}`
	}
	for _, tt := range []struct{ data, want string }{
		{appt(`"minutes": 30, "outcome": "late", "minutes_late": -100000`), "minutes_late -100000"},
		{appt(`"minutes": 9223372036854775807, "outcome": "on_time"`), "minutes 9223372036854775807"},
		{appt(`"minutes": 0`), "minutes 0"},
		{appt(`"minutes": 30, "outcome": "exploded"`), `outcome "exploded"`},
		{appt(`"minutes": 30, "outcome": "cancelled", "cancelled_at": "0000-01-01T00:00:00Z"`), "cancelled_at"},
		{`{"format": "rapport-backup", "version": 1, "contacts": [{"id": "v-1", "name": "Vera Bad", "stage": "vip"}]}`, `stage "vip"`},
		{`{"format": "rapport-backup", "version": 1, "contacts": [{"id": "v-1", "name": "Vera Bad", "stage": "client",
			"notes_owed": [{"reason": "Thanks", "due": "2026-11-25", "status": "burnt"}]}]}`, `status "burnt"`},
	} {
		_, err := s.Restore(ctx, strings.NewReader(tt.data))
		if err == nil || !strings.Contains(err.Error(), "Vera Bad") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v", tt.want, err)
		}
		if after := exportString(t, s); after != before || digest() != beforeDigest {
			t.Errorf("%s: the refused backup changed the database", tt.want)
		}
	}
	// The owner's own use cases keep to the same rule.
	rows, _ := s.ListContacts(ctx, "")
	if _, err := s.NewAppointment(ctx, rows[0].ID, fixedNow, 100000, "x"); err == nil {
		t.Error("an appointment of 100,000 minutes was booked")
	}
	a, err := s.NewAppointment(ctx, rows[0].ID, fixedNow, 30, "fitting")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordOutcome(ctx, a.ID, Outcome{Kind: model.OutcomeLate, MinutesLate: 100000}); err == nil {
		t.Error("late by 100,000 minutes was recorded")
	}
}

// Each change of the newsletter consent is undone whole: the day it was
// given comes back, and the withdrawal's journal line goes.
func TestNewsletterConsentChangesAreUndone(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "Maria Keller", NewsletterConsent: true, NewsletterConsentDate: "2025-04-01"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	undo, err := s.ChangeNewsletterConsent(ctx, c.ID, false)
	if err != nil || undo == nil {
		t.Fatalf("withdraw: undo %v, %v", undo != nil, err)
	}
	got, _ := s.Contact(ctx, c.ID)
	if got.NewsletterConsent || len(got.Journal) != 1 {
		t.Fatalf("after withdrawing: consent %v, journal %+v", got.NewsletterConsent, got.Journal)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Contact(ctx, c.ID)
	if !got.NewsletterConsent || got.NewsletterConsentDate != "2025-04-01" || len(got.Journal) != 0 {
		t.Fatalf("after undoing the withdrawal: consent %v since %q, journal %+v", got.NewsletterConsent, got.NewsletterConsentDate, got.Journal)
	}
	if rows, _ := s.ListContacts(ctx, "longer wants"); len(rows) != 0 {
		t.Errorf("the undone journal line is still found by search: %+v", rows)
	}

	if undo, err := s.ChangeNewsletterConsent(ctx, c.ID, true); err != nil || undo != nil {
		t.Fatalf("agreeing again when agreed: undo %v, %v", undo != nil, err)
	}
	d := &model.Contact{DisplayName: "Hugo Martin"}
	if err := s.CreateContact(ctx, d); err != nil {
		t.Fatal(err)
	}
	undo, err = s.ChangeNewsletterConsent(ctx, d.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Contact(ctx, d.ID)
	if got.NewsletterConsent || got.NewsletterConsentDate != "" || len(got.Journal) != 0 {
		t.Fatalf("after undoing an agreement: consent %v since %q, journal %+v", got.NewsletterConsent, got.NewsletterConsentDate, got.Journal)
	}
}
