package model

import (
	"context"
	"testing"
	"time"
)

func TestPurchaseSummary(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			s := openBackend(t, backend)
			ctx := context.Background()
			day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
			cents := func(n int64) *int64 { return &n }
			ann := &Contact{DisplayName: "Ann", Stage: StageCustomer, Journal: []JournalEntry{
				{At: day(2025, 6, 1), Kind: KindPurchase, Item: "too old", Amount: cents(99900), Currency: "EUR"},
				{At: day(2026, 1, 10), Kind: KindPurchase, Item: "bread", Amount: cents(1250), Currency: "EUR"},
				{At: day(2026, 5, 2), Kind: KindPurchase, Item: "cake", Amount: cents(3100), Currency: "EUR"},
				{At: day(2026, 7, 3), Kind: KindPurchase, Item: "tea", Amount: cents(800), Currency: "CHF"},
				{At: day(2026, 9, 4), Kind: KindPurchase, Item: "rolls"}, // no amount told
				{At: day(2026, 11, 1), Kind: KindCall, Text: "not a purchase"},
			}}
			bob := &Contact{DisplayName: "Bob", Journal: []JournalEntry{
				{At: day(2026, 11, 2), Kind: KindPurchase, Item: "someone else's", Amount: cents(5), Currency: "EUR"}}}
			for _, c := range []*Contact{ann, bob} {
				if err := s.CreateContact(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.PurchaseSummary(ctx, ann.ID, day(2025, 11, 23))
			if err != nil {
				t.Fatal(err)
			}
			// By currency, "" (no amount) first: 1 + 1 + 2 visits.
			want := []PurchaseTotal{{"", 1, 0, 0}, {"CHF", 1, 1, 800}, {"EUR", 2, 2, 4350}}
			if len(got.Totals) != len(want) {
				t.Fatalf("totals %+v; want %+v", got.Totals, want)
			}
			for i := range want {
				if got.Totals[i] != want[i] {
					t.Errorf("total %d = %+v; want %+v", i, got.Totals[i], want[i])
				}
			}
			if got.Visits() != 4 {
				t.Errorf("visits %d; want 4", got.Visits())
			}
			if l := got.Last; l == nil || l.Item != "rolls" || l.Amount != nil || !l.At.Equal(day(2026, 9, 4)) {
				t.Errorf("last %+v; want the rolls of 4 September without amount", l)
			}
			// The latest with an amount.
			if err := s.SaveJournalEntry(ctx, &JournalEntry{ContactID: ann.ID, At: day(2026, 11, 20), Kind: KindPurchase,
				Item: "wedding cake", Amount: cents(120000), Currency: "EUR"}); err != nil {
				t.Fatal(err)
			}
			got, err = s.PurchaseSummary(ctx, ann.ID, day(2025, 11, 23))
			if err != nil {
				t.Fatal(err)
			}
			if l := got.Last; l == nil || l.Item != "wedding cake" || l.Amount == nil || *l.Amount != 120000 || l.Currency != "EUR" {
				t.Errorf("last %+v; want the wedding cake for 1200.00 EUR", l)
			}
			// What was bought is found by search, from a new contact's index
			// and after an entry is added (reindexed from the database).
			for _, q := range []string{"cake", "wedding"} {
				rows, err := s.ListContacts(ctx, q, 10)
				if err != nil || len(rows) != 1 || rows[0].ID != ann.ID {
					t.Errorf("search %q: %+v, %v; want Ann", q, rows, err)
				}
			}
			none, err := s.PurchaseSummary(ctx, 999999, day(2025, 11, 23))
			if err != nil || none.Last != nil || len(none.Totals) != 0 {
				t.Errorf("no purchases: %+v, %v", none, err)
			}
			// The column refuses what no purchase costs.
			if err := s.SaveJournalEntry(ctx, &JournalEntry{ContactID: ann.ID, Kind: KindPurchase, Amount: cents(-1), Currency: "EUR"}); err == nil {
				t.Error("a negative amount was stored")
			}
		})
	}
}

func TestRepeatBuyers(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			s := openBackend(t, backend)
			ctx := context.Background()
			day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
			buys := func(days ...time.Time) []JournalEntry {
				var out []JournalEntry
				for _, d := range days {
					out = append(out, JournalEntry{At: d, Kind: KindPurchase, Item: "x"})
				}
				return out
			}
			contacts := []*Contact{
				{DisplayName: "Three, long ago", Stage: StageClient, Journal: buys(day(1, 1), day(2, 1), day(3, 1))},
				{DisplayName: "Two only", Stage: StageCustomer, Journal: buys(day(1, 1), day(2, 1))},
				{DisplayName: "Bought lately", Stage: StageCustomer, Journal: buys(day(1, 1), day(2, 1), day(11, 1))},
				{DisplayName: "Prospect", Stage: StageProspect, Journal: buys(day(1, 1), day(2, 1), day(3, 1))},
				{DisplayName: "Four", Stage: StageCustomer, Journal: append(buys(day(4, 1), day(1, 5), day(3, 1), day(2, 1)),
					JournalEntry{At: day(11, 20), Kind: KindCall, Text: "not a purchase"})},
			}
			for _, c := range contacts {
				if err := s.CreateContact(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			var got []Buyer
			if err := s.RepeatBuyers(ctx, 3, day(10, 1), func(b Buyer) { got = append(got, b) }); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Name != "Three, long ago" || got[1].Name != "Four" {
				t.Fatalf("buyers %+v; want Three, long ago and Four", got)
			}
			want := []time.Time{day(1, 5), day(2, 1), day(3, 1), day(4, 1)}
			if len(got[1].At) != 4 || got[1].Stage != StageCustomer {
				t.Fatalf("Four: %+v", got[1])
			}
			for i := range want {
				if !got[1].At[i].Equal(want[i]) {
					t.Errorf("Four's purchase %d at %v; want %v (oldest first)", i, got[1].At[i], want[i])
				}
			}
		})
	}
}
