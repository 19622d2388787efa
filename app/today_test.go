package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// kindsOf lists the kinds of a follow-up list in order, each once.
func kindsOf(items []Followup) []string {
	var out []string
	for _, f := range items {
		if len(out) == 0 || out[len(out)-1] != f.Kind {
			out = append(out, f.Kind)
		}
	}
	return out
}

func followups(t *testing.T, s *Service) []Followup {
	t.Helper()
	items, err := s.Followups(context.Background(), s.Now(), DefaultCadences())
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func find(items []Followup, contact, kind string) (Followup, bool) {
	i := slices.IndexFunc(items, func(f Followup) bool { return f.Contact == contact && f.Kind == kind })
	if i < 0 {
		return Followup{}, false
	}
	return items[i], true
}

func TestTodayUrgentKindsFirstWithCounts(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	for _, name := range []string{"Quiet One", "Quiet Two", "Quiet Three"} {
		g, f, _ := strings.Cut(name, " ")
		addTestContact(t, s, &model.Contact{GivenName: g, FamilyName: f, CreatedAt: fixedNow.AddDate(0, 0, -40)})
	}
	c := addTestContact(t, s, &model.Contact{GivenName: "Booked", FamilyName: "Tomorrow", Stage: model.StageClient,
		Journal:   []model.JournalEntry{{Kind: model.KindVisit, At: fixedNow.AddDate(0, 0, -2), Text: "hello"}},
		NotesOwed: []model.NoteReminder{{Reason: "thank you", Due: fixedNow.AddDate(0, 0, -1).Format(time.DateOnly), Status: model.NoteOwed}}})
	if _, err := s.NewAppointment(ctx, c.ID, fixedNow.AddDate(0, 0, 1).Add(5*time.Hour), 30, "fitting"); err != nil {
		t.Fatal(err)
	}
	items := followups(t, s)
	if got, want := kindsOf(items), []string{FollowNote, FollowRemind, FollowKeepInTouch}; !slices.Equal(got, want) {
		t.Fatalf("kinds in order %v, want %v", got, want)
	}
	secs := FollowupSections(items)
	var titles []string
	for _, sec := range secs {
		titles = append(titles, sec.Title)
	}
	want := []string{"Notes to write (1)", "Remind of tomorrow's appointments (1)", "Keep in touch (3)"}
	if !slices.Equal(titles, want) {
		t.Errorf("sections %q, want %q", titles, want)
	}
	if !secs[0].Urgent || !secs[1].Urgent || secs[2].Urgent {
		t.Errorf("urgent flags wrong: %+v", secs)
	}
	if r, _ := find(items, "Booked Tomorrow", FollowRemind); r.Text != "Appointment tomorrow at 14:30: fitting" {
		t.Errorf("remind row says %q", r.Text)
	}
}

func addTestContact(t *testing.T, s *Service, c *model.Contact) *model.Contact {
	t.Helper()
	if err := s.CreateContact(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDoneAndSnoozeHideARowAndUndoBringsItBack(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	addTestContact(t, s, &model.Contact{GivenName: "Quiet", FamilyName: "Prospect", CreatedAt: fixedNow.AddDate(0, 0, -40)})
	f, ok := find(followups(t, s), "Quiet Prospect", FollowKeepInTouch)
	if !ok {
		t.Fatal("no keep-in-touch row")
	}
	undo, err := s.FollowupDone(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := find(followups(t, s), "Quiet Prospect", FollowKeepInTouch); ok {
		t.Fatal("done row still shown")
	}
	// Done hides that occurrence only: a later quiet spell shows again.
	later := s.WithClock(func() time.Time { return fixedNow.AddDate(0, 0, 3) })
	if items, _ := later.Followups(ctx, later.Now(), DefaultCadences()); len(items) != 0 {
		t.Errorf("done row back three days later: %+v", items)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := find(followups(t, s), "Quiet Prospect", FollowKeepInTouch); !ok {
		t.Fatal("undo did not bring the row back")
	}

	undo, until, err := s.SnoozeFollowup(ctx, f, SnoozeWeek)
	if err != nil {
		t.Fatal(err)
	}
	if got := until.Format(time.DateOnly); got != "2026-11-30" {
		t.Errorf("snoozed until %s", got)
	}
	if _, ok := find(followups(t, s), "Quiet Prospect", FollowKeepInTouch); ok {
		t.Fatal("snoozed row still shown")
	}
	for _, c := range []struct {
		days  int
		shown bool
	}{{6, false}, {7, true}} {
		at := s.WithClock(func() time.Time { return fixedNow.AddDate(0, 0, c.days) })
		items, err := at.Followups(ctx, at.Now(), DefaultCadences())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := find(items, "Quiet Prospect", FollowKeepInTouch); ok != c.shown {
			t.Errorf("%d days later shown=%v, want %v", c.days, ok, c.shown)
		}
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := find(followups(t, s), "Quiet Prospect", FollowKeepInTouch); !ok {
		t.Fatal("undoing the snooze did not bring the row back")
	}
}

func TestRemindedLogsAndUndoTakesBothBack(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := addTestContact(t, s, &model.Contact{GivenName: "Booked", FamilyName: "Tomorrow"})
	if _, err := s.NewAppointment(ctx, c.ID, fixedNow.AddDate(0, 0, 1), 30, "repair"); err != nil {
		t.Fatal(err)
	}
	f, ok := find(followups(t, s), "Booked Tomorrow", FollowRemind)
	if !ok {
		t.Fatal("no remind row")
	}
	undo, err := s.Reminded(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Contact(ctx, c.ID)
	if len(got.Journal) != 1 || got.Journal[0].Kind != model.KindCall ||
		got.Journal[0].Text != "Reminded of the appointment: appointment tomorrow at 09:30: repair" {
		t.Fatalf("journal after Reminded: %+v", got.Journal)
	}
	if _, ok := find(followups(t, s), "Booked Tomorrow", FollowRemind); ok {
		t.Error("remind row still shown")
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Contact(ctx, c.ID)
	if len(got.Journal) != 0 {
		t.Errorf("undo left %+v", got.Journal)
	}
	if _, ok := find(followups(t, s), "Booked Tomorrow", FollowRemind); !ok {
		t.Error("undo did not bring the remind row back")
	}
}

func TestBirthdaysOnlyOfPeopleMetUnlessAll(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	bday := []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 25}}
	recent := []model.JournalEntry{{Kind: model.KindCall, At: fixedNow.AddDate(0, 0, -1), Text: "hi"}}
	addTestContact(t, s, &model.Contact{GivenName: "Phone", FamilyName: "Book", Dates: bday, CreatedAt: fixedNow})
	addTestContact(t, s, &model.Contact{GivenName: "Good", FamilyName: "Customer", Stage: model.StageCustomer, Dates: bday, Journal: recent})
	addTestContact(t, s, &model.Contact{GivenName: "Talked", FamilyName: "Once", Dates: bday, Journal: recent})
	var got []string
	for _, f := range followups(t, s) {
		if f.Kind == FollowBirthday {
			got = append(got, f.Contact)
		}
	}
	if want := []string{"Good Customer", "Talked Once"}; !slices.Equal(got, want) {
		t.Errorf("birthdays of %v, want %v", got, want)
	}
	if err := s.SetAllBirthdays(ctx, true); err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, f := range followups(t, s) {
		if f.Kind == FollowBirthday {
			got = append(got, f.Contact)
		}
	}
	if want := []string{"Good Customer", "Phone Book", "Talked Once"}; !slices.Equal(got, want) {
		t.Errorf("with all birthdays: %v, want %v", got, want)
	}
}

func TestPassedBirthdayNeverReadsAsUpcoming(t *testing.T) {
	dec3 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.Local)
	y := 1956
	dates := []model.ImportantDate{
		{Label: model.DateBirthday, Month: 11, Day: 22, Year: &y},
		{Label: model.DateAnniversary, Month: 1, Day: 20, Year: &y},
		{Label: model.DateBirthday, Month: 6, Day: 1},
		{Label: model.DateBirthday, Month: 12, Day: 10, Year: &y},
		{Label: model.DateBirthday, Month: 10, Day: 1, Year: &y},
	}
	var got []string
	for _, u := range upcoming(dates, dec3) {
		got = append(got, u.Text())
	}
	want := []string{
		"Birthday in 7 days (turns 70)",
		"Anniversary on 20 January (71 years)",
		"Birthday on 1 June",
		"Birthday on 1 October 2027 (turns 71)",
		"Birthday was on 22 November (turned 70)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("on 3 December:\n got %q\nwant %q", got, want)
	}
}

func TestDemoIsOneImportBatchThatUndoesEntirely(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	n, err := s.Demo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batches, err := s.ImportBatches(ctx)
	if err != nil || len(batches) != 1 || batches[0].File != DemoBatchName || batches[0].Created != n {
		t.Fatalf("batches %+v, %v", batches, err)
	}
	rep, err := s.UndoImport(ctx, batches[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != n {
		t.Errorf("undo removed %d of %d", rep.Removed, n)
	}
	if rows, _ := s.ListContacts(ctx, ""); len(rows) != 0 {
		t.Errorf("%d contacts left after undoing the demo", len(rows))
	}
}

func TestUndoableDeletesAndNoteMarks(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := addTestContact(t, s, &model.Contact{GivenName: "Maria", FamilyName: "Keller",
		Details:   []model.Detail{{Label: "Coffee", Value: "oat flat white"}, {Label: "Dog", Value: "Biscuit"}},
		Dates:     []model.ImportantDate{{Label: model.DateBirthday, Month: 3, Day: 9}},
		Journal:   []model.JournalEntry{{Kind: model.KindVisit, At: fixedNow.AddDate(0, 0, -3), Text: "came by"}},
		NotesOwed: []model.NoteReminder{{Reason: "thanks", Due: "2026-11-25", Status: model.NoteOwed}}})
	before, _ := s.Contact(ctx, c.ID)
	undos := []func() (Undo, error){
		func() (Undo, error) { return s.DeleteDetailUndoable(ctx, before.Details[0].ID) },
		func() (Undo, error) { return s.DeleteDateUndoable(ctx, before.Dates[0].ID) },
		func() (Undo, error) { return s.DeleteJournalEntryUndoable(ctx, before.Journal[0].ID) },
		func() (Undo, error) {
			return s.MarkNoteUndoable(ctx, before.NotesOwed[0].ID, model.NotePosted, "thanked her")
		},
		func() (Undo, error) { return s.LogCall(ctx, c.ID, "asked about the table\nshe will come Friday") },
		func() (Undo, error) { return s.MakeClient(ctx, c.ID) },
	}
	for i, do := range undos {
		undo, err := do()
		if err != nil {
			t.Fatal(i, err)
		}
		mid, _ := s.Contact(ctx, c.ID)
		if summary(mid) == summary(before) {
			t.Fatalf("action %d changed nothing", i)
		}
		if err := undo(ctx); err != nil {
			t.Fatal(i, err)
		}
		after, _ := s.Contact(ctx, c.ID)
		if got, want := summary(after), summary(before); got != want {
			t.Errorf("after undo %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// summary is what the card shows of a contact's rows, with their IDs.
func summary(c *model.Contact) string {
	var b strings.Builder
	b.WriteString(string(c.Stage) + ";")
	for _, d := range c.Details {
		b.WriteString(d.Label + "=" + d.Value + ";")
		b.WriteString(string(rune('0' + d.Position)))
	}
	for _, d := range c.Dates {
		b.WriteString(d.Label + ";")
	}
	for _, e := range c.Journal {
		b.WriteString(string(e.Kind) + ":" + e.Text + ";")
	}
	for _, n := range c.NotesOwed {
		b.WriteString(string(n.Status) + ":" + n.WrittenText + ";")
		if n.WrittenAt != nil {
			b.WriteString("written;")
		}
	}
	return b.String()
}

func TestPrintedSheetHasTodaysSectionsInOrder(t *testing.T) {
	s := printFixture(t)
	var buf bytes.Buffer
	if _, err := s.PrintFollowups(context.Background(), fixedNow, pdf.A4, &buf); err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, buf.Bytes())
	var titles []string
	for _, sec := range FollowupSections(followups(t, s)) {
		titles = append(titles, sec.Title)
	}
	if want := []string{"Notes to write (2)", "Birthdays (3)"}; !slices.Equal(titles, want) {
		t.Fatalf("Today's sections %q, want %q", titles, want)
	}
	at := 0
	for _, title := range titles {
		i := strings.Index(text[at:], title)
		if i < 0 {
			t.Fatalf("the sheet lacks %q after position %d:\n%s", title, at, text)
		}
		at += i + len(title)
	}
}
