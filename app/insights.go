package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// InsightMonths is how many months the Insights charts cover, this one
// last.
const InsightMonths = 12

// insightTop is how many ways of meeting and referrers Insights names.
const insightTop = 8

// reflectionsShown is how many feedback answers the self reflection lists.
const reflectionsShown = 200

// peopleShown is how many of the people behind a number are listed.
const peopleShown = 5000

// Month is one month of the Insights charts: its first moment and the
// first moment of the next, in the owner's time zone.
type Month struct {
	From, To time.Time
}

// Label is the month's short name: "Nov 2026".
func (m Month) Label() string { return m.From.Format("Jan 2006") }

// MonthReliability is how the appointments of a month went. OnTimePct is
// round(100 × on time / (on time + late + no-shows)), nil without any.
type MonthReliability struct {
	OnTime, Late, NoShow int
	OnTimePct            *int
}

// MonthSales are the purchases of a month: all of them, and the sum of
// those priced in the currency of Settings.
type MonthSales struct {
	Count int
	Sum   int64 // minor units of Insights.Currency
}

// Insights is the picture of the relationships: how contacts move from
// prospect to client, month by month, where clients come from, how
// reliably appointments are kept and what is bought, and what feedback
// taught the owner.
type Insights struct {
	Months []Month
	Stages map[model.Stage]int // contacts in each stage now
	// ToCustomerPct: customers and clients among all contacts;
	// ToClientPct: clients among customers and clients. Nil: none to count.
	ToCustomerPct, ToClientPct *int
	New, Customers, Clients    []int // per month: added, moved to customer, moved to client
	HowWeMet                   []model.Tally
	OtherWays                  int // clients who met us in ways not among HowWeMet
	Referrers                  []model.Referrer
	Reliability                []MonthReliability
	Sales                      []MonthSales
	Currency                   string
	OtherCurrencies            bool // some purchases were priced in another currency
	Reflections                []model.Reflection
}

// insightMonths are the n calendar months up to and including on's, in
// on's location.
func insightMonths(on time.Time, n int) model.Months {
	first := time.Date(on.Year(), on.Month(), 1, 0, 0, 0, 0, on.Location())
	bounds := make(model.Months, n+1)
	for i := range bounds {
		bounds[i] = first.AddDate(0, i-n+1, 0)
	}
	return bounds
}

// percent is round(100 × part / whole), nil when whole is 0.
func percent(part, whole int) *int {
	if whole == 0 {
		return nil
	}
	p := (200*part + whole) / (2 * whole)
	return &p
}

// Insights computes the picture as of on's month, counted in the
// database: a few grouped queries, whatever the number of contacts.
func (s *Service) Insights(ctx context.Context, on time.Time) (Insights, error) {
	bounds := insightMonths(on, InsightMonths)
	counts, err := s.store().Insights(ctx, bounds, insightTop)
	if err != nil {
		return Insights{}, err
	}
	currency, err := s.Currency(ctx)
	if err != nil {
		return Insights{}, err
	}
	in := Insights{Stages: counts.Stages, New: counts.NewContacts, Customers: counts.BecameCustomer,
		Clients: counts.BecameClient, HowWeMet: counts.HowWeMet, Referrers: counts.Referrers, Currency: currency}
	for i := 0; i < bounds.Len(); i++ {
		in.Months = append(in.Months, Month{From: bounds[i], To: bounds[i+1]})
	}
	prospects, customers, clients := in.Stages[model.StageProspect], in.Stages[model.StageCustomer], in.Stages[model.StageClient]
	in.ToCustomerPct = percent(customers+clients, prospects+customers+clients)
	in.ToClientPct = percent(clients, customers+clients)
	in.OtherWays = clients
	for _, t := range in.HowWeMet {
		in.OtherWays -= t.Count
	}
	in.Reliability = monthReliability(counts.Outcomes, bounds.Len())
	in.Sales, in.OtherCurrencies = monthSales(counts.Purchases, currency, bounds.Len())
	if in.Reflections, err = s.store().Reflections(ctx, reflectionsShown); err != nil {
		return Insights{}, err
	}
	return in, nil
}

func monthReliability(outcomes map[model.Outcome][]int, n int) []MonthReliability {
	out := make([]MonthReliability, n)
	for i := range out {
		r := &out[i]
		r.OnTime, r.Late, r.NoShow = outcomes[model.OutcomeOnTime][i], outcomes[model.OutcomeLate][i], outcomes[model.OutcomeNoShow][i]
		r.OnTimePct = percent(r.OnTime, r.OnTime+r.Late+r.NoShow)
	}
	return out
}

// monthSales counts every purchase of a month and sums those in currency;
// other reports whether any amount was in another currency.
func monthSales(purchases []model.MonthPurchases, currency string, n int) (sales []MonthSales, other bool) {
	sales = make([]MonthSales, n)
	for _, p := range purchases {
		sales[p.Month].Count += p.Count
		switch p.Currency {
		case currency:
			sales[p.Month].Sum += p.Sum
		case "":
		default:
			other = true
		}
	}
	return sales, other
}

// InsightPeople lists the people behind a number of Insights, by name; at
// most peopleShown of them.
func (s *Service) InsightPeople(ctx context.Context, p model.Pick) ([]model.Person, error) {
	return s.store().PickPeople(ctx, p, peopleShown)
}

// LogFeedback records the answer of a contact asked for feedback and what
// the owner will change because of it, dated now.
func (s *Service) LogFeedback(ctx context.Context, contactID int64, said, change string) (*model.JournalEntry, error) {
	said, change = strings.TrimSpace(said), strings.TrimSpace(change)
	if said == "" {
		return nil, errors.New("feedback: write down what they said")
	}
	e := &model.JournalEntry{ContactID: contactID, Kind: model.KindFeedback, Text: said, ChangeNote: change, At: s.now()}
	if err := s.SaveJournalEntry(ctx, e); err != nil {
		return nil, fmt.Errorf("feedback of contact %d: %w", contactID, err)
	}
	return e, nil
}
