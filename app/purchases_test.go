package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/app/money"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestLapse checks the lapsing rule on hand-counted calendars.
func TestLapse(t *testing.T) {
	at := func(days ...time.Time) []time.Time { return days }
	eva := at(date(2026, 5, 26), date(2026, 6, 5), date(2026, 6, 5).Add(18*time.Hour), date(2026, 6, 25),
		date(2026, 8, 4), date(2026, 9, 23))
	for _, tc := range []struct {
		name           string
		at             []time.Time
		on             time.Time
		since, twice   int
		last           time.Time
		lapsing        bool
		tooFewToExpect bool
	}{
		// Every 10 days until 1 July: 145 days since, twice the median 20.
		{name: "Lena", at: at(date(2026, 6, 1), date(2026, 6, 11), date(2026, 6, 21), date(2026, 7, 1)),
			on: date(2026, 11, 23), since: 145, twice: 20, last: date(2026, 7, 1), lapsing: true},
		// Every 60 days until 28 August: 87 days since is under 120.
		{name: "Sam", at: at(date(2026, 3, 1), date(2026, 4, 30), date(2026, 6, 29), date(2026, 8, 28)),
			on: date(2026, 11, 23), since: 87, twice: 120, last: date(2026, 8, 28)},
		// Gaps 10, 20, 40, 50 (two purchases on 5 June are one visit):
		// median 30. 61 days since is past 60, 45 is not — counting the
		// same-day purchase as a gap of 0 would have made the median 20.
		{name: "Eva on 23 November", at: eva, on: date(2026, 11, 23), since: 61, twice: 60, last: date(2026, 9, 23), lapsing: true},
		{name: "Eva on 7 November", at: eva, on: date(2026, 11, 7), since: 45, twice: 60, last: date(2026, 9, 23)},
		{name: "Eva on 22 November", at: eva, on: date(2026, 11, 22), since: 60, twice: 60, last: date(2026, 9, 23)},
		// Every 2 days: lapsing only from 30 days on.
		{name: "quick, 29 days", at: at(date(2026, 11, 1), date(2026, 11, 3), date(2026, 11, 5)),
			on: date(2026, 12, 4), since: 29, twice: 4, last: date(2026, 11, 5)},
		{name: "quick, 30 days", at: at(date(2026, 11, 1), date(2026, 11, 3), date(2026, 11, 5)),
			on: date(2026, 12, 5), since: 30, twice: 4, last: date(2026, 11, 5), lapsing: true},
		// Three purchases on two days: two visits, no usual gap yet.
		{name: "two visits", at: at(date(2026, 1, 1), date(2026, 1, 1).Add(time.Hour), date(2026, 2, 1)),
			on: date(2026, 11, 23), tooFewToExpect: true},
	} {
		since, twice, last, lapsing := lapse(tc.at, tc.on)
		if tc.tooFewToExpect {
			if lapsing {
				t.Errorf("%s: lapsing with two visits", tc.name)
			}
			continue
		}
		if since != tc.since || twice != tc.twice || !last.Equal(tc.last) || lapsing != tc.lapsing {
			t.Errorf("%s: lapse = %d days since, twice the median %d, last %s, lapsing %v; want %d, %d, %s, %v", tc.name,
				since, twice, last.Format(time.DateOnly), lapsing, tc.since, tc.twice, tc.last.Format(time.DateOnly), tc.lapsing)
		}
	}
}

func TestLapsingFollowups(t *testing.T) {
	ctx := context.Background()
	s := newService(t) // on Monday 23 November 2026
	buys := func(days ...time.Time) []model.JournalEntry {
		var out []model.JournalEntry
		for _, d := range days {
			out = append(out, model.JournalEntry{Kind: model.KindPurchase, At: d.Add(10 * time.Hour), Item: "bread"})
		}
		return out
	}
	lena := buys(date(2026, 6, 1), date(2026, 6, 11), date(2026, 6, 21), date(2026, 7, 1))
	for _, c := range []*model.Contact{
		{DisplayName: "Lena", Stage: model.StageCustomer, Journal: lena},
		{DisplayName: "Pia", Stage: model.StageProspect, Journal: buys(date(2026, 6, 1), date(2026, 6, 11), date(2026, 6, 21), date(2026, 7, 1))},
		{DisplayName: "Sam", Stage: model.StageClient, Journal: buys(date(2026, 3, 1), date(2026, 4, 30), date(2026, 6, 29), date(2026, 8, 28))},
		{DisplayName: "Eva", Stage: model.StageClient, Journal: buys(date(2026, 5, 26), date(2026, 6, 5), date(2026, 6, 5),
			date(2026, 6, 25), date(2026, 8, 4), date(2026, 9, 23))},
		{DisplayName: "Cathy", Stage: model.StageCustomer, Journal: buys(date(2026, 10, 1), date(2026, 11, 1), date(2026, 11, 20))},
	} {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got := followupsOn(t, s, fixedNow)
	for key, want := range map[string]string{
		"Lena/lapsing": "2026-07-31 No purchase for 145 days, usually every 10 days: a customer drifting away, invite them back",
		"Eva/lapsing":  "2026-11-23 No purchase for 61 days, usually every 30 days: a client drifting away, invite them back",
		// Bought three times lately: ready, and not lapsing.
		"Cathy/client_candidate": "2026-11-23 3 purchases in the last year: invite to the newsletter, treat as a client",
	} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
	// Lena bought 4 times in the year but is lapsing: not ready. Pia is a
	// prospect; Sam comes every 60 days.
	for _, key := range []string{"Lena/client_candidate", "Pia/lapsing", "Sam/lapsing", "Cathy/lapsing"} {
		if v, ok := got[key]; ok {
			t.Errorf("%s should not be listed: %q", key, v)
		}
	}
	// The section comes with its title and count, after the urgent ones.
	list, err := s.Followups(ctx, fixedNow, DefaultCadences())
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, sec := range FollowupSections(list) {
		titles = append(titles, sec.Title)
	}
	if !slices.Contains(titles, "Lapsing: win them back (2)") {
		t.Errorf("sections %q: want Lapsing: win them back (2)", titles)
	}
	// Done hides it until the next purchase, which starts a new occurrence.
	var row Followup
	for _, f := range list {
		if f.Kind == FollowLapsing && f.Contact == "Lena" {
			row = f
		}
	}
	if _, err := s.FollowupDone(ctx, row); err != nil {
		t.Fatal(err)
	}
	if _, ok := followupsOn(t, s, fixedNow)["Lena/lapsing"]; ok {
		t.Error("Lena still lapsing after Done")
	}
}

func TestLogPurchaseAndCard(t *testing.T) {
	ctx := context.Background()
	s := newService(t) // 23 November 2026, DateLong
	s.SetMoneyLocale("de_DE.UTF-8")
	cents := func(n int64) *int64 { return &n }
	ann := &model.Contact{DisplayName: "Ann", Stage: model.StageCustomer, Journal: []model.JournalEntry{
		{Kind: model.KindPurchase, At: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), Item: "too long ago", Amount: cents(99900), Currency: "EUR"},
		{Kind: model.KindPurchase, At: time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC), Item: "bread", Amount: cents(1250), Currency: "EUR"},
		{Kind: model.KindPurchase, At: time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC), Item: "cake", Amount: cents(3100), Currency: "EUR"},
	}}
	if err := s.CreateContact(ctx, ann); err != nil {
		t.Fatal(err)
	}
	lines := func() []string {
		t.Helper()
		card, err := s.Card(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		return card.PurchaseLines
	}
	// 12,50 + 31,00 = 43,50; 21,75 on average.
	want := []string{"2 visits in the last year · 43,50 € in total, 21,75 € on average", "Last purchase 2 May 2026: cake · 31,00 €"}
	if got := lines(); !slices.Equal(got, want) {
		t.Errorf("card: %q\nwant %q", got, want)
	}
	undo, err := s.LogPurchaseUndoable(ctx, ann.ID, " wedding cake ", "1.234,5")
	if err != nil {
		t.Fatal(err)
	}
	// 1250 + 3100 + 123450 = 127800 cents; a third is 42600.
	want = []string{"3 visits in the last year · 1.278,00 € in total, 426,00 € on average",
		"Last purchase 23 November 2026: wedding cake · 1.234,50 €"}
	if got := lines(); !slices.Equal(got, want) {
		t.Errorf("after logging: %q\nwant %q", got, want)
	}
	// Another currency, once set, is summed on its own; an average rounds
	// half up: 1000 / 3 → 333, 2000 / 3 → 667.
	if err := s.SetCurrency(ctx, "chf"); err != nil {
		t.Fatal(err)
	}
	for _, amount := range []string{"10", "", "10"} {
		if _, err := s.LogPurchaseUndoable(ctx, ann.ID, "tea", amount); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.LogPurchaseUndoable(ctx, ann.ID, "", "0,05"); err != nil {
		t.Fatal(err)
	}
	want = []string{"7 visits in the last year · 20,05 CHF in total, 6,68 CHF on average · 1.278,00 € in total, 426,00 € on average",
		"Last purchase 23 November 2026: 0,05 CHF"}
	if got := lines(); !slices.Equal(got, want) {
		t.Errorf("two currencies: %q\nwant %q", got, want)
	}
	if err := undo(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := s.Contact(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Journal {
		if e.Item == "wedding cake" {
			t.Error("undo left the wedding cake")
		}
	}
	// Refused: nothing said, a negative or absurd amount, an amount on a
	// call, a currency that is no code.
	for _, bad := range [][2]string{{"", ""}, {"x", "-5"}, {"x", "10.000.000.000,01"}, {"x", "zwölf"}} {
		if _, err := s.LogPurchaseUndoable(ctx, ann.ID, bad[0], bad[1]); err == nil {
			t.Errorf("logged a purchase of %q for %q", bad[0], bad[1])
		}
	}
	if err := s.SaveJournalEntry(ctx, &model.JournalEntry{ContactID: ann.ID, Kind: model.KindCall, Text: "hi",
		Amount: cents(100), Currency: "EUR"}); err == nil {
		t.Error("a call with an amount was saved")
	}
	if err := s.SaveJournalEntry(ctx, &model.JournalEntry{ContactID: ann.ID, Kind: model.KindPurchase,
		Amount: cents(money.Max + 1), Currency: "EUR"}); !errors.Is(err, money.ErrTooLarge) {
		t.Errorf("an absurd amount: %v", err)
	}
	if err := s.SetCurrency(ctx, "euro"); err == nil {
		t.Error("currency euro accepted")
	}
}

func TestCurrencyDefaultsToTheLocale(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	for locale, want := range map[string]string{"": "EUR", "en_GB.UTF-8": "GBP", "de_AT.UTF-8": "EUR", "de_CH.UTF-8": "CHF"} {
		s.SetMoneyLocale(locale)
		if got, err := s.Currency(ctx); err != nil || got != want {
			t.Errorf("locale %q: currency %q, %v; want %s", locale, got, err, want)
		}
	}
	if err := s.SetCurrency(ctx, " usd "); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Currency(ctx); got != "USD" {
		t.Errorf("set: %s; want USD whatever the locale", got)
	}
	// The style follows the locale, whatever the currency (the map above
	// is walked in no set order, so each is set here).
	for locale, want := range map[string]string{"de_CH.UTF-8": "$1,234.50", "en_GB.UTF-8": "$1,234.50", "de_DE.UTF-8": "1.234,50 $"} {
		s.SetMoneyLocale(locale)
		if got := s.FormatAmount(123450, "USD"); got != want {
			t.Errorf("%s writes %q; want %s", locale, got, want)
		}
	}
}

func TestBackupCarriesPurchases(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	cents := func(n int64) *int64 { return &n }
	if err := src.CreateContact(ctx, &model.Contact{DisplayName: "Ann", Stage: model.StageCustomer, Journal: []model.JournalEntry{
		{Kind: model.KindPurchase, At: time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC), Item: "cake", Amount: cents(3100), Currency: "EUR", Text: "for Maya"},
		{Kind: model.KindPurchase, At: time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), Item: "bread"},
		{Kind: model.KindCall, At: time.Date(2026, 7, 2, 10, 0, 0, 0, time.UTC), Text: "asked about cake"},
	}}); err != nil {
		t.Fatal(err)
	}
	data := exportString(t, src)
	got := journalJSON(t, contactsOf(t, data))
	want := []string{ // newest first, as the card shows them
		`{"at":"2026-07-02T10:00:00Z","kind":"call","text":"asked about cake"}`,
		`{"at":"2026-06-02T10:00:00Z","kind":"purchase","text":"","item":"bread"}`,
		`{"at":"2026-05-02T10:00:00Z","kind":"purchase","text":"for Maya","item":"cake","amount":3100,"currency":"EUR"}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("backup's journal:\n%q\nwant\n%q", got, want)
	}
	dst := newService(t)
	if _, err := dst.Restore(ctx, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if again := exportString(t, dst); contactsOf(t, again)[0].Journal == nil ||
		!slices.Equal(journalJSON(t, contactsOf(t, again)), journalJSON(t, contactsOf(t, data))) {
		t.Errorf("journal after restore differs:\n%s\nwant\n%s", again, data)
	}

	// A backup of before purchases had amounts imports; keys it does not
	// know are passed over.
	old := `{"format":"rapport-backup","version":1,"exported_at":"2026-11-23T09:30:00Z","future":{"x":1},"contacts":[
		{"id":"a","name":"Ann","stage":"customer","loyalty":5,"journal":[
		 {"at":"2026-01-01T10:00:00Z","kind":"purchase","text":"bread","mood":"happy"}]}]}`
	s := newService(t)
	if rep, err := s.Restore(ctx, strings.NewReader(old)); err != nil || rep.Created != 1 {
		t.Fatalf("old backup: %+v %v", rep, err)
	}
	// Amounts no purchase has are refused, naming the contact.
	bad := `{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","journal":[
		{"at":"2026-01-01T10:00:00Z","kind":"%s","text":"","amount":%s,"currency":"%s"}]}]}`
	for _, tc := range [][4]string{
		{"purchase", "-1", "EUR", "negative"},
		{"purchase", "1000000000001", "EUR", "too large"},
		{"purchase", "100", "", `currency ""`},
		{"purchase", "100", "euro", `currency "euro"`},
		{"call", "100", "EUR", "only a purchase has an amount"},
	} {
		s := newService(t)
		_, err := s.Restore(ctx, strings.NewReader(fmt.Sprintf(bad, tc[0], tc[1], tc[2])))
		if err == nil || !strings.Contains(err.Error(), `contact 1 (id "a", "Ann")`) || !strings.Contains(err.Error(), tc[3]) {
			t.Errorf("amount %s %s on a %s: %v; want it refused naming Ann and saying %q", tc[1], tc[2], tc[0], err, tc[3])
		}
		if n, _ := s.store().CountContacts(ctx); n != 0 {
			t.Errorf("a refused backup left %d contacts", n)
		}
	}
}

func journalJSON(t *testing.T, cs []jsonbackup.Contact) []string {
	t.Helper()
	var out []string
	for _, c := range cs {
		for _, e := range c.Journal {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
	}
	return out
}

// TestLapsingPrints: the lapsing section is on the printed sheet like the
// other kinds, with its count and the row's text.
func TestLapsingPrints(t *testing.T) {
	ctx := context.Background()
	s := newService(t).WithFontFinder(nil)
	var j []model.JournalEntry
	for _, d := range []time.Time{date(2026, 6, 1), date(2026, 6, 11), date(2026, 6, 21), date(2026, 7, 1)} {
		j = append(j, model.JournalEntry{Kind: model.KindPurchase, At: d.Add(10 * time.Hour), Item: "bread"})
	}
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Lena Lapsing", Stage: model.StageCustomer, Journal: j}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.PrintFollowups(ctx, fixedNow, pdf.A4, &buf); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, buf.Bytes())), " ")
	for _, want := range []string{"Lapsing: win them back (1)", "Lena Lapsing", "No purchase for 145 days, usually every 10 days"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
}
