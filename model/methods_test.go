package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The Store methods the app tests reach only through paths that do not run
// on every backend, each with a result that can be wrong.
func TestStoreMethodsOnBothBackends(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		b, a := &Contact{DisplayName: "Berta"}, sampleContact("Anton")
		a.Photo = []byte("photo bytes")
		if err := s.CreateContacts(ctx, []*Contact{b, a}); err != nil {
			t.Fatal(err)
		}
		if ids, err := s.ContactIDsByName(ctx); err != nil || fmt.Sprint(ids) != fmt.Sprint([]int64{a.ID, b.ID}) {
			t.Errorf("ContactIDsByName = %v, %v", ids, err)
		}
		if rows, err := s.ContactsNamed(ctx, " ANTON ", 5); err != nil || len(rows) != 1 || rows[0].ID != a.ID {
			t.Errorf("ContactsNamed = %+v, %v", rows, err)
		}
		if id, err := s.ContactIDByUID(ctx, a.UID); err != nil || id != a.ID {
			t.Errorf("ContactIDByUID = %d, %v", id, err)
		}
		if err := s.SetReferrer(ctx, b.ID, &a.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SetThumbnail(ctx, a.ID, []byte{1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Contact(ctx, b.ID)
		if got.ReferredByID == nil || *got.ReferredByID != a.ID {
			t.Errorf("referrer = %v", got.ReferredByID)
		}

		d := ImportantDate{ContactID: b.ID, Label: DateBirthday, Month: 3, Day: 9}
		if err := s.SaveDate(ctx, &d); err != nil {
			t.Fatal(err)
		}
		if on, err := s.DatesOn(ctx, [][2]int{{3, 9}, {12, 24}}, false); err != nil || len(on) != 1 || on[0].Name != "Berta" {
			t.Errorf("DatesOn = %+v, %v", on, err)
		}
		if err := s.DeleteDate(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteDate(ctx, d.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting twice: %v, want ErrNotFound", err)
		}
		e := JournalEntry{ContactID: b.ID, Kind: KindPurchase, Text: "bought the teapot"}
		if err := s.SaveJournalEntry(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteJournalEntry(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		if ids, _, _ := s.MatchingContactIDs(ctx, "teapot"); len(ids) != 0 {
			t.Errorf("a deleted entry is still found: %v", ids)
		}

		if cleared, err := s.ClearPhotoIf(ctx, a.ID, len("another length")); err != nil || cleared {
			t.Errorf("ClearPhotoIf of another photo = %v, %v", cleared, err)
		}
		if cleared, err := s.ClearPhotoIf(ctx, a.ID, len(a.Photo)); err != nil || !cleared {
			t.Errorf("ClearPhotoIf = %v, %v", cleared, err)
		}
		if got, _ := s.Contact(ctx, a.ID); got.Photo != nil || got.Thumbnail != nil {
			t.Errorf("photo kept: %q %v", got.Photo, got.Thumbnail)
		}

		first, _ := s.StartBatch(ctx, "one.vcf")
		second, _ := s.StartBatch(ctx, "two.vcf")
		if batches, err := s.Batches(ctx); err != nil || len(batches) != 2 || batches[0].ID != second.ID || batches[1].ID != first.ID {
			t.Errorf("Batches = %+v, %v", batches, err)
		}

		start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		appt := Appointment{ContactID: a.ID, Start: start, Minutes: 30, Purpose: "fitting"}
		if err := s.SaveAppointment(ctx, &appt); err != nil {
			t.Fatal(err)
		}
		if agenda, err := s.Agenda(ctx, start.Add(-time.Hour), start.Add(time.Hour)); err != nil || len(agenda) != 1 ||
			agenda[0].ContactName != "Anton" || !agenda[0].Start.Equal(start) {
			t.Errorf("Agenda = %+v, %v", agenda, err)
		}
		// More IDs than PostgreSQL binds parameters (65,535): the lists go as
		// one array there.
		many := make([]int64, 70_000)
		for i := range many {
			many[i] = int64(i + 1)
		}
		if byContact, err := s.AppointmentsOf(ctx, many, start.Add(-time.Hour)); err != nil || len(byContact[a.ID]) != 1 {
			t.Errorf("AppointmentsOf 70,000 ids = %v, %v", byContact, err)
		}
		if rows, err := s.ContactRows(ctx, append([]int64{b.ID}, many...)); err != nil || len(rows) != 3 || rows[0].ID != b.ID {
			t.Errorf("ContactRows of 70,000 ids = %d rows, %v", len(rows), err)
		}
		if err := s.SaveReliabilities(ctx, []ReliabilityRow{{ContactID: a.ID, Day: "2026-11-23", Unreliable: true, Summary: "x"}}, false); err != nil {
			t.Fatal(err)
		}
		if err := s.ForgetReliability(ctx, many); err != nil {
			t.Fatal(err)
		}
		if ids, _ := s.UnreliableIDs(ctx, "2026-11-23"); len(ids) != 0 {
			t.Errorf("ForgetReliability kept %v", ids)
		}

		if err := s.SetSetting(ctx, "k", "one"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, "k", "two"); err != nil {
			t.Fatal(err)
		}
		if v, ok, err := s.Setting(ctx, "k"); err != nil || !ok || v != "two" {
			t.Errorf("Setting = %q %v %v", v, ok, err)
		}
		var seen []string
		if err := s.EachContact(ctx, func(c *Contact) error { seen = append(seen, c.DisplayName); return nil }); err != nil ||
			fmt.Sprint(seen) != "[Berta Anton]" {
			t.Errorf("EachContact = %v, %v", seen, err)
		}
	})
}

// A word longer than a tsvector holds (2 kB) is cut, not refused, and its
// beginning still finds the contact; on SQLite as well.
func TestVeryLongWordsAreFound(t *testing.T) {
	openStores(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// An odd byte before two-byte letters: the 2 kB cut falls inside one.
		long := "a" + strings.Repeat("ж", 3000) + "x"
		c := &Contact{DisplayName: "Long", Details: []Detail{{Label: "note", Value: long}}}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDetail(ctx, &Detail{ContactID: c.ID, Label: "again", Value: long + " " + long}); err != nil {
			t.Fatal(err)
		}
		if ids, _, err := s.MatchingContactIDs(ctx, "A"+strings.Repeat("Ж", 50)); err != nil || len(ids) != 1 {
			t.Errorf("prefix of a long word: %v %v", ids, err)
		}
		if ids, _, err := s.MatchingContactIDs(ctx, long); err != nil || len(ids) != 1 {
			t.Errorf("the whole long word: %v %v", ids, err)
		}
	})
}
