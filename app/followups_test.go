package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

func followupsOn(t *testing.T, s *Service, on time.Time) map[string]string {
	t.Helper()
	list, err := s.Followups(context.Background(), on, DefaultCadences())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range list {
		key := f.Contact + "/" + f.Kind
		if f.Kind == FollowNote {
			key += "/" + f.Due
		}
		if _, dup := out[key]; dup {
			t.Errorf("%s listed twice", key)
		}
		out[key] = f.Due + " " + f.Text
	}
	return out
}

func TestFollowupDates(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	y := func(v int) *int { return &v }
	recent := []model.JournalEntry{{Kind: model.KindCall, At: time.Date(2027, 2, 19, 9, 0, 0, 0, time.UTC)}}
	for _, c := range []*model.Contact{
		{DisplayName: "Leap", Stage: model.StageClient, Journal: recent,
			Dates: []model.ImportantDate{{Label: model.DateBirthday, Year: y(1984), Month: 2, Day: 29}}},
		{DisplayName: "No Year", Stage: model.StageClient, Journal: recent,
			Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 3, Day: 6}}},
		{DisplayName: "Far", Stage: model.StageClient, Journal: recent,
			Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 3, Day: 7}}},
		{DisplayName: "Wed", Stage: model.StageClient, Journal: recent,
			Dates: []model.ImportantDate{{Label: model.DateAnniversary, Year: y(2017), Month: 2, Day: 21}, {Label: "Shop opening", Month: 2, Day: 20}}},
	} {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	on := time.Date(2027, 2, 20, 15, 0, 0, 0, time.UTC) // 2027 is no leap year
	got := followupsOn(t, s, on)
	want := map[string]string{
		"Leap/birthday":    "2027-02-28 Birthday in 8 days (turns 43)",
		"No Year/birthday": "2027-03-06 Birthday on 6 March", // 14 days: the last day in
		"Wed/anniversary":  "2027-02-21 Anniversary tomorrow (10 years)",
		"Wed/date":         "2027-02-20 Shop opening today",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("follow-ups on %s:\n got %v\nwant %v", on.Format(time.DateOnly), got, want)
	}
	// In a leap year the 29th is the day itself.
	leap := followupsOn(t, s, time.Date(2028, 2, 20, 9, 0, 0, 0, time.UTC))
	if leap["Leap/birthday"] != "2028-02-29 Birthday in 9 days (turns 44)" {
		t.Errorf("leap year: %q", leap["Leap/birthday"])
	}
}

func TestFollowupKeepInTouchNotesFeedbackAndClients(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	on := fixedNow // 2026-11-23 09:30 UTC
	at := func(daysAgo int) time.Time { return on.AddDate(0, 0, -daysAgo) }
	entry := func(kind model.EntryKind, daysAgo int) model.JournalEntry {
		return model.JournalEntry{Kind: kind, At: at(daysAgo), Text: string(kind)}
	}
	mk := func(c *model.Contact) *model.Contact {
		t.Helper()
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	mk(&model.Contact{DisplayName: "Prospect 14", Stage: model.StageProspect, Journal: []model.JournalEntry{entry(model.KindMet, 14)}})
	mk(&model.Contact{DisplayName: "Prospect 15", Stage: model.StageProspect, Journal: []model.JournalEntry{entry(model.KindMet, 15)}})
	mk(&model.Contact{DisplayName: "Customer 31", Stage: model.StageCustomer, Journal: []model.JournalEntry{entry(model.KindCall, 31), entry(model.KindMet, 90)}})
	mk(&model.Contact{DisplayName: "Client 59", Stage: model.StageClient, Journal: []model.JournalEntry{entry(model.KindVisit, 59)}})
	mk(&model.Contact{DisplayName: "Buyer", Stage: model.StageCustomer, Journal: []model.JournalEntry{
		entry(model.KindPurchase, 5), entry(model.KindPurchase, 100), entry(model.KindPurchase, 364), entry(model.KindPurchase, 400)}})
	mk(&model.Contact{DisplayName: "Twice", Stage: model.StageCustomer, Journal: []model.JournalEntry{
		entry(model.KindPurchase, 5), entry(model.KindPurchase, 100), entry(model.KindPurchase, 366)}})
	mk(&model.Contact{DisplayName: "Writer", Stage: model.StageClient, Journal: []model.JournalEntry{entry(model.KindVisit, 1)},
		NotesOwed: []model.NoteReminder{
			{Reason: "thank you for the referral", Due: "2026-11-20", Status: "owed"},
			{Reason: "birthday card", Due: "2026-11-30", Status: "owed"},
			{Reason: "too early", Due: "2026-12-01", Status: "owed"},
			{Reason: "done", Due: "2026-11-21", Status: "written"},
		}})
	away := mk(&model.Contact{DisplayName: "Away", Stage: model.StageClient, Journal: []model.JournalEntry{entry(model.KindVisit, 1)},
		Appointments: []model.Appointment{
			{Start: at(10), Minutes: 30, Outcome: model.OutcomeNoShow}, {Start: at(20), Minutes: 30, Outcome: model.OutcomeNoShow}}})

	got := followupsOn(t, s, on)
	for key, want := range map[string]string{
		"Prospect 15/keep_in_touch": "2026-11-22 Nothing logged for 15 days (a prospect: every 14)",
		"Customer 31/keep_in_touch": "2026-11-22 Nothing logged for 31 days (a customer: every 30)",
		"Writer/note/2026-11-20":    "2026-11-20 Write a note: thank you for the referral (overdue since 20 November)",
		"Writer/note/2026-11-30":    "2026-11-30 Write a note: birthday card",
		"Away/feedback":             "2026-11-23 Unreliable lately: ask for honest feedback",
		"Buyer/client_candidate":    "2026-11-23 3 purchases in the last year: invite to the newsletter, treat as a client",
	} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
	for _, key := range []string{"Prospect 14/keep_in_touch", "Client 59/keep_in_touch", "Twice/client_candidate",
		"Writer/keep_in_touch", "Writer/note/2026-12-01", "Writer/note/2026-11-21"} {
		if v, ok := got[key]; ok {
			t.Errorf("%s should not be listed: %q", key, v)
		}
	}
	list, _ := s.Followups(ctx, on, DefaultCadences())
	var owed []string
	for _, f := range list {
		if f.Kind == FollowNote {
			owed = append(owed, f.Text)
		}
	}
	if len(owed) != 2 || !strings.Contains(owed[1], "birthday card") {
		t.Errorf("owed notes within a week, overdue first: %v", owed)
	}
	// Asked for feedback: the suggestion goes.
	if _, err := s.LogEntry(ctx, away.ID, model.KindFeedback, "mornings are hard"); err != nil {
		t.Fatal(err)
	}
	if _, ok := followupsOn(t, s, on)["Away/feedback"]; ok {
		t.Error("feedback still suggested after it was logged")
	}
}

// The rules sort their own parts at once; joined, the parts must be the
// whole list in order, with every kind the demo shop has.
func TestFollowupsAreInOrderAcrossRules(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := s.Followups(ctx, fixedNow, DefaultCadences())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, f := range list {
		kinds[f.Kind] = true
	}
	if len(kinds) < 3 {
		t.Fatalf("the demo gives only the kinds %v: the test would show little", kinds)
	}
	if !slices.IsSortedFunc(list, compareFollowups) {
		t.Error("the follow-ups are not in order")
	}
	for i := 1; i < len(list); i++ {
		if kindRank(list[i].Kind) < kindRank(list[i-1].Kind) {
			t.Fatalf("%s after %s", list[i].Kind, list[i-1].Kind)
		}
	}
}

// Quiet contacts are read in two halves by ID, at once, and merged: the
// rule must still give every quiet contact once, in order of due day and
// name, with the halves interleaved (the rule itself, as Followups would
// hide a wrong merge by sorting the rule's part again).
func TestQuietHalvesMergeInOrder(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	on := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	const n = 40
	for i := range n {
		// Later IDs were heard from earlier, so ID order is not due order.
		at := on.AddDate(0, 0, -60-(i*7)%31)
		c := &model.Contact{DisplayName: fmt.Sprintf("Quiet %02d", (i*13)%n), Stage: model.StageCustomer,
			Journal: []model.JournalEntry{{Kind: model.KindCall, At: at}}}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.quietFollowups(ctx, on, DefaultCadences())
	if err != nil {
		t.Fatal(err)
	}
	var quiet []Followup
	seen := map[int64]bool{}
	for _, f := range list {
		if f.Kind == FollowKeepInTouch {
			quiet = append(quiet, f)
			if seen[f.ContactID] {
				t.Errorf("%s listed twice", f.Contact)
			}
			seen[f.ContactID] = true
		}
	}
	if len(quiet) != n {
		t.Fatalf("%d quiet contacts listed, want %d", len(quiet), n)
	}
	if !slices.IsSortedFunc(quiet, compareFollowups) {
		t.Error("the quiet contacts are not in order")
	}
	lo := slices.MinFunc(quiet, func(a, b Followup) int { return int(a.ContactID - b.ContactID) }).ContactID
	lowHalf := func(f Followup) bool { return f.ContactID <= lo+(n-1)/2 }
	switches := 0
	for i := 1; i < len(quiet); i++ {
		if lowHalf(quiet[i]) != lowHalf(quiet[i-1]) {
			switches++
		}
	}
	if switches < 4 {
		t.Errorf("the halves hardly interleave (%d switches): the test shows little", switches)
	}
}
