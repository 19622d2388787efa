package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// fixedNow is the day the tests pretend it is: Monday 23 November 2026.
var fixedNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

func newService(t testing.TB) *Service {
	t.Helper()
	// SQLite, or PostgreSQL with RAPPORT_TEST_BACKEND=postgres.
	st := modeltest.NewStore(t)
	return New(st).WithClock(func() time.Time { return fixedNow })
}

func TestPartialDates(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1984-02-29", "1984-02-29", true},
		{"--02-29", "--02-29", true}, // a year-less leap-day birthday is real
		{"--12-31", "--12-31", true},
		{"1985-02-29", "", false}, // 1985 was no leap year
		{"2001-13-01", "", false},
		{"--04-31", "", false},
		{"1984-2-3", "", false},
		{"", "", false},
		{"yesterday", "", false},
	}
	for _, tt := range tests {
		d, err := ParsePartialDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParsePartialDate(%q) err = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && d.String() != tt.want {
			t.Errorf("ParsePartialDate(%q) = %s, want %s", tt.in, d, tt.want)
		}
	}
}

func TestNextOccurrence(t *testing.T) {
	leap := PartialDate{Year: 1984, Month: time.February, Day: 29}
	cases := []struct {
		d    PartialDate
		from time.Time
		want string
	}{
		{leap, time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), "2027-02-28"},
		{leap, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "2028-02-29"},
		{PartialDate{Month: 11, Day: 23}, time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC), "2026-11-23"},
		{PartialDate{Month: 11, Day: 22}, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "2027-11-22"},
	}
	for _, c := range cases {
		if got := c.d.NextOn(c.from).Format(time.DateOnly); got != c.want {
			t.Errorf("%v.NextOn(%v) = %s, want %s", c.d, c.from, got, c.want)
		}
	}
}

func TestCardOrdersUpcomingDatesAndPinsDetails(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	y := 1986
	c := &model.Contact{GivenName: "Maria", FamilyName: "Keller",
		Details: []model.Detail{{Label: "Coffee", Value: "oat flat white"}, {Label: "Daughter", Value: "Maya", Pinned: true}},
		Dates: []model.ImportantDate{
			{Label: model.DateAnniversary, Month: 1, Day: 10, Year: &y},
			{Label: model.DateBirthday, Month: 11, Day: 25, Year: &y},
		}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	card, err := s.Card(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Pinned) != 1 || card.Pinned[0].Label != "Daughter" || len(card.Other) != 1 {
		t.Errorf("pinned %+v other %+v", card.Pinned, card.Other)
	}
	if len(card.Upcoming) != 2 {
		t.Fatalf("upcoming = %+v", card.Upcoming)
	}
	if got := card.Upcoming[0].Text(); got != "Birthday in 2 days (turns 40)" {
		t.Errorf("first upcoming = %q", got)
	}
	if got := card.Upcoming[1].Text(); got != "Anniversary on 10 January (41 years)" {
		t.Errorf("second upcoming = %q", got)
	}
}

func TestDisplayNameFallbacks(t *testing.T) {
	cases := []struct {
		c    model.Contact
		want string
	}{
		{model.Contact{DisplayName: " Dr. Ann ", GivenName: "Ann"}, "Dr. Ann"},
		{model.Contact{GivenName: "Ann", FamilyName: "Lee"}, "Ann Lee"},
		{model.Contact{Organization: "Smith Auto Repair", Nickname: "Smithy"}, "Smith Auto Repair"},
		{model.Contact{Nickname: "Smithy"}, "Smithy"},
		{model.Contact{Emails: []model.Email{{Address: "a@b.c"}}, Phones: []model.Phone{{Number: "1"}}}, "a@b.c"},
		{model.Contact{Phones: []model.Phone{{Number: "+1 555"}}}, "+1 555"},
		{model.Contact{}, ""},
	}
	for _, c := range cases {
		if got := DisplayName(&c.c); got != c.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", c.c, got, c.want)
		}
	}
}

func TestNamelessContactRefused(t *testing.T) {
	s := newService(t)
	err := s.CreateContact(context.Background(), &model.Contact{Phones: []model.Phone{{Number: "  "}}})
	if !errors.Is(err, ErrNoName) {
		t.Fatalf("err = %v, want ErrNoName", err)
	}
}

func TestStageChangeWritesJournalEntry(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Tom"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.Stage != model.StageProspect {
		t.Fatalf("new contact stage = %q, want prospect", c.Stage)
	}
	c.Stage = model.StageCustomer
	if err := s.SaveContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.Title = "Baker" // no stage change: no new entry
	if err := s.SaveContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Journal) != 1 || got.Journal[0].Kind != model.KindStage ||
		got.Journal[0].Text != "Stage changed from prospect to customer" {
		t.Errorf("journal = %+v", got.Journal)
	}
}

func TestLogEntryNeedsText(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Tom"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogEntry(ctx, c.ID, model.KindCall, "   "); err == nil {
		t.Error("an empty entry should be refused")
	}
	e, err := s.LogEntry(ctx, c.ID, model.KindCall, " Asked about the mugs ")
	if err != nil {
		t.Fatal(err)
	}
	if e.Text != "Asked about the mugs" || !e.At.Equal(fixedNow) {
		t.Errorf("entry = %+v", e)
	}
}

func TestDemoFillsOnlyAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	n, err := s.Demo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < 35 || n > 45 {
		t.Errorf("demo made %d people, want about 40", n)
	}
	rows, _ := s.ListContacts(ctx, "")
	stages := map[model.Stage]int{}
	for _, r := range rows {
		stages[r.Stage]++
	}
	for _, st := range model.Stages() {
		if stages[st] < 5 {
			t.Errorf("only %d %s contacts in the demo", stages[st], st)
		}
	}
	if _, err := s.Demo(ctx); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second demo: err = %v, want ErrNotEmpty", err)
	}
	if rows, _ := s.ListContacts(ctx, "beagle"); len(rows) != 1 || rows[0].DisplayName != "Jörg Müller" {
		t.Errorf("searching a demo detail: %+v", rows)
	}
}

func exportString(t *testing.T, s *Service) string {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Export(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// contactsOf decodes a backup's contacts, dropping what legitimately differs
// between two databases (exported_at).
func contactsOf(t *testing.T, data string) []jsonbackup.Contact {
	t.Helper()
	var b jsonbackup.Backup
	if err := json.Unmarshal([]byte(data), &b); err != nil {
		t.Fatalf("backup is not valid JSON: %v\n%s", err, data)
	}
	if b.Format != jsonbackup.Format || b.Version != 1 || b.ExportedAt != "2026-11-23T09:30:00Z" {
		t.Errorf("header = %q %d %q", b.Format, b.Version, b.ExportedAt)
	}
	return b.Contacts
}

func TestBackupRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	if _, err := src.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	first := exportString(t, src)

	dst := newService(t)
	rep, err := dst.Restore(ctx, strings.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	want := contactsOf(t, first)
	if rep.Created != len(want) || rep.Merged != 0 {
		t.Errorf("report = %+v, want %d created", rep, len(want))
	}
	got := contactsOf(t, exportString(t, dst))
	if len(got) != len(want) {
		t.Fatalf("%d contacts after restore, want %d", len(got), len(want))
	}
	referred := 0
	for i := range want {
		w, g := want[i], got[i]
		// updated_at is the restore's own; everything else must come back.
		w.UpdatedAt, g.UpdatedAt = "", ""
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(g)
		if string(wj) != string(gj) {
			t.Errorf("contact %d differs after restore:\nwant %s\ngot  %s", i, wj, gj)
		}
		if w.ReferredBy != nil {
			referred++
		}
	}
	if referred == 0 {
		t.Error("the demo should hold referrals, to test them")
	}
}

func TestRestoreTwiceKeepsOneCopy(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	if _, err := src.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	data := exportString(t, src)
	dst := newService(t)
	for i := range 2 {
		if _, err := dst.Restore(ctx, strings.NewReader(data)); err != nil {
			t.Fatalf("restore %d: %v", i+1, err)
		}
	}
	a, b := contactsOf(t, data), contactsOf(t, exportString(t, dst))
	if len(a) != len(b) {
		t.Fatalf("contacts: %d then %d", len(a), len(b))
	}
	for i := range a {
		if len(a[i].Journal) != len(b[i].Journal) || len(a[i].Phones) != len(b[i].Phones) ||
			len(a[i].Details) != len(b[i].Details) || len(a[i].Dates) != len(b[i].Dates) ||
			len(a[i].Appointments) != len(b[i].Appointments) || len(a[i].NotesOwed) != len(b[i].NotesOwed) {
			t.Errorf("contact %s doubled something: %+v vs %+v", a[i].Name, a[i], b[i])
		}
	}
}

func TestRestoreKeepsWhatTheOwnerAddedSince(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Olga", Phones: []model.Phone{{Number: "+49 30 1"}}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	backup := exportString(t, s)
	// After the backup the owner adds a phone, a detail and an entry.
	c.Phones = append(c.Phones, model.Phone{Number: "+49 30 2"})
	c.Nickname = "Olya"
	if err := s.SaveContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDetail(ctx, &model.Detail{ContactID: c.ID, Label: "Tea", Value: "Earl Grey"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogEntry(ctx, c.ID, model.KindCall, "Called"); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Restore(ctx, strings.NewReader(backup))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Merged != 1 || rep.Created != 0 {
		t.Errorf("report = %+v", rep)
	}
	got, _ := s.Contact(ctx, c.ID)
	if len(got.Phones) != 2 || got.Nickname != "Olya" || len(got.Details) != 1 || len(got.Journal) != 1 {
		t.Errorf("restore lost the owner's work: %+v", got)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	valid := `{"format":"rapport-backup","version":1,"exported_at":"2026-11-23T09:30:00Z","contacts":[
		{"id":"a","name":"Ann","stage":"customer","referred_by":null,"phones":[],"emails":[],"addresses":[],
		 "birthday":"--02-29","dates":[],"details":[],"tags":[],"journal":[],"appointments":[],"notes_owed":[]}]}`
	cases := []struct {
		name, data string
		want       error
		contains   string
	}{
		{"newer", strings.Replace(valid, `"version":1`, `"version":2`, 1), ErrNewerBackup, "version 2"},
		{"not json", "hello", ErrNotBackup, ""},
		{"empty", "", ErrNotBackup, ""},
		{"other format", `{"format":"vcard"}`, ErrNotBackup, "vcard"},
		{"bad date", strings.Replace(valid, `--02-29`, `1985-02-29`, 1), nil, `contact 1 (id "a", "Ann")`},
		{"bad stage", strings.Replace(valid, `"customer"`, `"vip"`, 1), nil, "vip"},
		{"broken reference", strings.Replace(valid, `"referred_by":null`, `"referred_by":"nobody"`, 1), nil, "nobody"},
		{"bad kind", strings.Replace(valid, `"journal":[]`, `"journal":[{"at":"2026-01-01T10:00:00Z","kind":"gossip","text":"x"}]`, 1), nil, "gossip"},
		{"rescheduled to a missing appointment", strings.Replace(valid, `"appointments":[]`,
			`"appointments":[{"id":1,"start":"2026-01-01T10:00:00Z","minutes":30,"purpose":"fitting","outcome":"rescheduled","rescheduled_to":7}]`, 1),
			nil, `contact 1 (id "a", "Ann"): appointment of 2026-01-01T10:00:00Z ("fitting"): rescheduled_to 7`},
		{"newer, said after the contacts", `{"contacts":[{"id":"a","name":"Ann"}],"format":"rapport-backup","version":3}`, ErrNewerBackup, "version 3"},
		{"no format at all", `{"contacts":[{"id":"a","name":"Ann"}]}`, ErrNotBackup, "no \"format\""},
		{"cut off", valid[:len(valid)/2], ErrNotBackup, "the file ends in contact 1"},
		{"the same id twice", strings.TrimSuffix(valid, "]}") + `,{"id":"a","name":"Ann again"}]}`, nil, `id "a" appears twice`},
		{"a version in words", strings.Replace(valid, `"version":1`, `"version":"one"`, 1), ErrNotBackup, "version is a JSON string"},
		{"an array", `[{"id":"a"}]`, ErrNotBackup, "not an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t)
			_, err := s.Restore(ctx, strings.NewReader(c.data))
			if err == nil {
				t.Fatal("want an error")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.contains) {
				t.Errorf("err = %v, want it to mention %q", err, c.contains)
			}
			if n, _ := s.store().CountContacts(ctx); n != 0 {
				t.Errorf("a refused backup left %d contacts", n)
			}
		})
	}
	s := newService(t)
	if rep, err := s.Restore(ctx, strings.NewReader(valid)); err != nil || rep.Created != 1 {
		t.Fatalf("valid backup: %+v %v", rep, err)
	}
}

func TestBackupKeepsRescheduledLinks(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	c := &model.Contact{GivenName: "Ann", Stage: model.StageClient}
	if err := src.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	first, err := src.NewAppointment(ctx, c.ID, fixedNow.AddDate(0, 0, 2), 30, "fitting")
	if err != nil {
		t.Fatal(err)
	}
	if err := src.RecordOutcome(ctx, first.ID, Outcome{Kind: model.OutcomeRescheduled, NewStart: fixedNow.AddDate(0, 0, 9)}); err != nil {
		t.Fatal(err)
	}
	data := exportString(t, src)
	if !strings.Contains(data, `"rescheduled_to": 2`) {
		t.Fatalf("the backup lost the link:\n%s", data)
	}
	dst := newService(t)
	for range 2 { // the second restore finds the link there and keeps it
		if _, err := dst.Restore(ctx, strings.NewReader(data)); err != nil {
			t.Fatal(err)
		}
	}
	rows, _ := dst.ListContacts(ctx, "")
	got, err := dst.Contact(ctx, rows[0].ID)
	if err != nil || len(got.Appointments) != 2 {
		t.Fatalf("restored %+v, %v", got, err)
	}
	moved, next := got.Appointments[0], got.Appointments[1]
	if moved.RescheduledToID == nil || *moved.RescheduledToID != next.ID || next.RescheduledToID != nil {
		t.Errorf("after restore: %+v then %+v", moved, next)
	}
	if again := exportString(t, dst); contactsOf(t, again)[0].Appointments[0].RescheduledTo != 2 {
		t.Errorf("the restored link does not export again:\n%s", again)
	}
}

func TestContactsJSONLeavesPhotosOut(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{GivenName: "Pic", Photo: []byte{0xff, 0xd8, 0xff}}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateContact(ctx, &model.Contact{GivenName: "Other"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.ContactsJSON(ctx, "pic", fixedNow, &buf); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Contacts []map[string]any `json:"contacts"`
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Contacts) != 1 || out.Contacts[0]["name"] != "Pic" {
		t.Fatalf("contacts = %v", out.Contacts)
	}
	if _, ok := out.Contacts[0]["photo"]; ok {
		t.Error("list --json must leave photos out")
	}
	if !strings.Contains(exportString(t, s), `"photo": "/9j/"`) {
		t.Error("the backup must hold the photo")
	}
}

func TestThumbnailScalesDownAndRefusesGarbage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for x := range 640 {
		img.Set(x, x%480, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	thumb, err := Thumbnail(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(thumb))
	if err != nil || format != "jpeg" || cfg.Width != 128 || cfg.Height != 96 {
		t.Errorf("thumbnail %s %dx%d %v, want jpeg 128x96", format, cfg.Width, cfg.Height, err)
	}
	if _, err := Thumbnail([]byte("not an image")); err == nil {
		t.Error("garbage made a thumbnail")
	}
	// A contact keeps a photo that cannot be decoded, without a thumbnail.
	s := newService(t)
	c := &model.Contact{GivenName: "Pic", Photo: []byte("broken")}
	if err := s.CreateContact(context.Background(), c); err != nil || len(c.Thumbnail) != 0 {
		t.Errorf("broken photo: %v, thumbnail %d bytes", err, len(c.Thumbnail))
	}
	c2 := &model.Contact{GivenName: "Pic2", Photo: buf.Bytes()}
	if err := s.CreateContact(context.Background(), c2); err != nil || len(c2.Thumbnail) == 0 {
		t.Errorf("good photo: %v, no thumbnail", err)
	}
	// An imported photo gets its thumbnail when the card is first shown.
	c3 := &model.Contact{GivenName: "Imported", Photo: buf.Bytes()}
	if err := s.store().CreateContact(context.Background(), c3); err != nil || len(c3.Thumbnail) != 0 {
		t.Fatalf("store create: %v", err)
	}
	if card, err := s.Card(context.Background(), c3.ID); err != nil || len(card.Contact.Thumbnail) == 0 {
		t.Errorf("card of an imported photo: %v, no thumbnail", err)
	}
	if again, _ := s.store().Contact(context.Background(), c3.ID); len(again.Thumbnail) == 0 {
		t.Error("the thumbnail made for the card was not kept")
	}
}
