package app

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// insightShop fills s with six people whose numbers are counted by hand in
// TestInsights (months Dec 2025 … Nov 2026, index 11 is November).
func insightShop(t *testing.T, s *Service) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	eur, usd := func(n int64) *int64 { return &n }, func(n int64) *int64 { return &n }
	stage := func(when time.Time, from, to model.Stage) model.JournalEntry {
		return stageEntry(from, to, when)
	}
	ids := map[string]int64{}
	add := func(cs ...*model.Contact) {
		if err := s.store().CreateContacts(ctx, cs); err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			ids[c.DisplayName] = c.ID
		}
	}
	met := func(when time.Time) model.JournalEntry { return model.JournalEntry{At: when, Kind: model.KindMet} }
	ann := &model.Contact{DisplayName: "Ann", Stage: model.StageProspect, HowWeMet: "market", CreatedAt: at(2026, 10, 5),
		Journal: []model.JournalEntry{met(at(2026, 10, 5))}}
	ben := &model.Contact{DisplayName: "Ben", Stage: model.StageCustomer, CreatedAt: at(2026, 10, 10),
		Journal: []model.JournalEntry{met(at(2026, 10, 10)), stage(at(2026, 11, 2), model.StageProspect, model.StageCustomer),
			{At: at(2026, 11, 13), Kind: model.KindFeedback, Text: "The reminder came too late", ChangeNote: "Send reminders the day before"}},
		Appointments: []model.Appointment{
			{Start: at(2026, 11, 3), Outcome: model.OutcomeOnTime}, {Start: at(2026, 11, 10), Outcome: model.OutcomeLate, MinutesLate: 10},
			{Start: at(2026, 11, 12), Outcome: model.OutcomeNoShow}, {Start: at(2026, 11, 15), Outcome: model.OutcomeCancelled},
			{Start: at(2026, 10, 1), Outcome: model.OutcomeOnTime}, {Start: at(2026, 10, 20), Outcome: model.OutcomeOnTime},
			{Start: at(2025, 11, 15), Outcome: model.OutcomeOnTime}}}
	add(ann, ben)
	a, b := ann.ID, ben.ID
	add(&model.Contact{DisplayName: "Cleo", Stage: model.StageClient, HowWeMet: "market", ReferredByID: &a, CreatedAt: at(2026, 9, 1),
		// Met in September and again in November: new in September only.
		Journal: []model.JournalEntry{met(at(2026, 9, 1)), met(at(2026, 11, 2)), stage(at(2026, 10, 3), model.StageProspect, model.StageCustomer),
			stage(at(2026, 11, 5), model.StageCustomer, model.StageClient),
			stage(at(2026, 11, 8), model.StageClient, model.StageCustomer),
			stage(at(2026, 11, 20), model.StageCustomer, model.StageClient),
			{At: at(2026, 11, 2), Kind: model.KindPurchase, Item: "vase", Amount: eur(1250), Currency: "EUR"},
			{At: at(2026, 11, 20), Kind: model.KindPurchase, Item: "mug", Amount: eur(750), Currency: "EUR"},
			{At: at(2026, 11, 21), Kind: model.KindPurchase, Item: "card"},
			{At: at(2026, 10, 15), Kind: model.KindPurchase, Item: "pen", Amount: usd(1000), Currency: "USD"}}},
		&model.Contact{DisplayName: "Dan", Stage: model.StageClient, HowWeMet: " market ", ReferredByID: &a, CreatedAt: at(2025, 6, 1),
			Journal: []model.JournalEntry{met(at(2025, 6, 1)), stage(at(2025, 11, 30), model.StageProspect, model.StageCustomer),
				stage(at(2026, 11, 10), model.StageCustomer, model.StageClient),
				{At: at(2026, 10, 16), Kind: model.KindPurchase, Item: "soap", Amount: eur(300), Currency: "EUR"},
				{At: at(2026, 10, 2), Kind: model.KindFeedback, Text: "Parking is hard"}}},
		// Eve's card was made in November, but no first meeting is logged.
		&model.Contact{DisplayName: "Eve", Stage: model.StageClient, ReferredByID: &b, CreatedAt: at(2026, 11, 1)},
		// Finn's card is old, his first meeting was logged only in November.
		&model.Contact{DisplayName: "Finn", Stage: model.StageClient, HowWeMet: "instagram", ReferredByID: &a, CreatedAt: at(2024, 3, 1),
			Journal: []model.JournalEntry{met(at(2026, 11, 21))}})
	return ids
}

func pct(n int) *int { return &n }

// TestInsights checks every number of the picture against the shop counted
// by hand: stage changes counted once per contact and month, entries
// outside the twelve months left out, "market" and " market " one way.
func TestInsights(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	ids := insightShop(t, s)
	in, err := s.Insights(ctx, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Months) != 12 || in.Months[0].Label() != "Dec 2025" || in.Months[11].Label() != "Nov 2026" {
		t.Fatalf("months %v", in.Months)
	}
	zeros := func(set map[int]int) []int {
		out := make([]int, 12)
		for i, n := range set {
			out[i] = n
		}
		return out
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"stages", in.Stages, map[model.Stage]int{model.StageProspect: 1, model.StageCustomer: 1, model.StageClient: 4}},
		{"to customer %", in.ToCustomerPct, pct(83)}, // 5 of 6
		{"to client %", in.ToClientPct, pct(80)},     // 4 of 5
		// First met: Cleo in September (again in November), Ann and Ben in
		// October, Finn in November; Dan before; Eve never.
		{"new", in.New, zeros(map[int]int{9: 1, 10: 2, 11: 1})},
		// Cleo moved back to customer on 8 November: a move to customer too.
		{"customers", in.Customers, zeros(map[int]int{10: 1, 11: 2})},
		// Cleo twice in November, once counted; Dan's of November 2025 is out.
		{"clients", in.Clients, zeros(map[int]int{11: 2})},
		{"how we met", in.HowWeMet, []model.Tally{{Key: "market", Count: 2}, {Key: "", Count: 1}, {Key: "instagram", Count: 1}}},
		{"other ways", in.OtherWays, 0},
		{"referrers", in.Referrers, []model.Referrer{{ID: ids["Ann"], Name: "Ann", Sent: 3, Clients: 3}, {ID: ids["Ben"], Name: "Ben", Sent: 1, Clients: 1}}},
		{"reliability Nov", in.Reliability[11], MonthReliability{OnTime: 1, Late: 1, NoShow: 1, OnTimePct: pct(33)}},
		{"reliability Oct", in.Reliability[10], MonthReliability{OnTime: 2, OnTimePct: pct(100)}},
		{"reliability Dec", in.Reliability[0], MonthReliability{}},
		{"sales Nov", in.Sales[11], MonthSales{Count: 3, Sum: 2000}},
		{"sales Oct", in.Sales[10], MonthSales{Count: 2, Sum: 300}},
		{"sales Sep", in.Sales[9], MonthSales{}},
		{"currency", in.Currency, "EUR"},
		{"other currencies", in.OtherCurrencies, true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.what, c.got, c.want)
		}
	}
	if len(in.Reflections) != 2 {
		t.Fatalf("reflections %+v", in.Reflections)
	}
	r := in.Reflections[0]
	if r.Name != "Ben" || r.ContactID != ids["Ben"] || r.Said != "The reminder came too late" ||
		r.Change != "Send reminders the day before" || !r.At.Equal(time.Date(2026, 11, 13, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("newest reflection %+v", r)
	}
	if r := in.Reflections[1]; r.Name != "Dan" || r.Said != "Parking is hard" || r.Change != "" {
		t.Errorf("older reflection %+v", r)
	}
}

// TestInsightPeople checks that each number lists the people it counted.
func TestInsightPeople(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	ids := insightShop(t, s)
	nov := Month{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	oct := Month{From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: nov.From}
	for _, tc := range []struct {
		pick model.Pick
		want []string
	}{
		{model.Pick{What: model.PickNew, From: oct.From, To: oct.To}, []string{"Ann", "Ben"}},
		{model.Pick{What: model.PickNew, From: nov.From, To: nov.To}, []string{"Finn"}},
		{model.Pick{What: model.PickCustomer, From: nov.From, To: nov.To}, []string{"Ben", "Cleo"}},
		{model.Pick{What: model.PickClient, From: nov.From, To: nov.To}, []string{"Cleo", "Dan"}},
		{model.Pick{What: model.PickStage, Key: string(model.StageClient)}, []string{"Cleo", "Dan", "Eve", "Finn"}},
		{model.Pick{What: model.PickBeyond}, []string{"Ben", "Cleo", "Dan", "Eve", "Finn"}},
		{model.Pick{What: model.PickHowWeMet, Key: "market"}, []string{"Cleo", "Dan"}},
		{model.Pick{What: model.PickHowWeMet, Key: ""}, []string{"Eve"}},
		{model.Pick{What: model.PickReferred, ID: ids["Ann"]}, []string{"Cleo", "Dan", "Finn"}},
		{model.Pick{What: model.PickOutcome, Key: string(model.OutcomeNoShow), From: nov.From, To: nov.To}, []string{"Ben"}},
		{model.Pick{What: model.PickOutcome, Key: string(model.OutcomeOnTime), From: oct.From, To: oct.To}, []string{"Ben"}},
		{model.Pick{What: model.PickBought, From: oct.From, To: oct.To}, []string{"Cleo", "Dan"}},
	} {
		people, err := s.InsightPeople(ctx, tc.pick)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range people {
			names = append(names, p.Name)
			if p.ID != ids[p.Name] {
				t.Errorf("%+v: %s has ID %d, want %d", tc.pick, p.Name, p.ID, ids[p.Name])
			}
		}
		if !reflect.DeepEqual(names, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.pick.What, tc.pick.Key, names, tc.want)
		}
	}
	if _, err := s.InsightPeople(ctx, model.Pick{What: "nobody"}); err == nil {
		t.Error("an unknown pick listed people")
	}
}

// TestInsightMonthsLocal checks that months are the owner's: a purchase at
// 23:30 UTC on 31 October is in November in Berlin.
func TestInsightMonthsLocal(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	if err := s.store().CreateContacts(ctx, []*model.Contact{{DisplayName: "Gus", Stage: model.StageCustomer,
		Journal: []model.JournalEntry{{At: time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC), Kind: model.KindPurchase, Item: "tea"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		loc      *time.Location
		oct, nov int
	}{{time.UTC, 1, 0}, {berlin, 0, 1}} {
		in, err := s.Insights(ctx, fixedNow.In(tc.loc))
		if err != nil {
			t.Fatal(err)
		}
		if in.Sales[10].Count != tc.oct || in.Sales[11].Count != tc.nov {
			t.Errorf("%s: October %d, November %d; want %d, %d", tc.loc, in.Sales[10].Count, in.Sales[11].Count, tc.oct, tc.nov)
		}
	}
}

// TestLogFeedback checks that the answer and the change are kept, and that
// only feedback carries a change.
func TestLogFeedback(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	c := &model.Contact{DisplayName: "Hana"}
	if err := s.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogFeedback(ctx, c.ID, "  ", "x"); err == nil {
		t.Error("feedback without an answer was logged")
	}
	if _, err := s.LogFeedback(ctx, c.ID, " Mornings are hard ", " Offer afternoons "); err != nil {
		t.Fatal(err)
	}
	got, err := s.store().Reflections(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Said != "Mornings are hard" || got[0].Change != "Offer afternoons" || !got[0].At.Equal(fixedNow) {
		t.Errorf("reflections %+v", got)
	}
	note := &model.JournalEntry{ContactID: c.ID, Kind: model.KindNote, Text: "x", ChangeNote: "y", At: fixedNow}
	if err := s.SaveJournalEntry(ctx, note); err == nil {
		t.Error("a note was saved with a change")
	}
}
