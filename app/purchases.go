package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/money"
	"github.com/rapportjournal/rapport/model"
)

// currencySetting is the ISO 4217 code purchases are logged in, kept with
// the other settings in the database so that every desk logs the same.
const currencySetting = "money.currency"

// purchaseYearDays is the period the card's purchase figures cover.
const purchaseYearDays = 365

// moneyLocale is how the owner writes amounts and the currency a purchase
// is in when Settings names none, both from the system's locale.
type moneyLocale struct {
	style    money.Style
	currency string
}

// SetMoneyLocale sets, from a locale such as "de_DE.UTF-8", how amounts
// are typed and shown (1.234,50 or 1,234.50) and the currency used until
// Settings names one (the region's, else EUR).
func (s *Service) SetMoneyLocale(locale string) {
	st, _ := money.StyleFor(locale)
	s.money.Store(moneyLocale{style: st, currency: money.CurrencyFor(locale)})
}

func (s *Service) moneyLocale() moneyLocale {
	if s.money == nil {
		return moneyLocale{style: money.Point, currency: "EUR"}
	}
	return s.money.Load().(moneyLocale)
}

// MoneyStyle is how amounts are typed and shown.
func (s *Service) MoneyStyle() money.Style { return s.moneyLocale().style }

// FormatAmount writes minor units of currency for display in the owner's
// style: "12,50 €", "$12.50".
func (s *Service) FormatAmount(minor int64, currency string) string {
	return money.Format(minor, currency, s.MoneyStyle())
}

// ParseAmount reads an amount as the owner typed it, in minor units of
// currency.
func (s *Service) ParseAmount(text, currency string) (int64, error) {
	n, err := money.Parse(text, s.MoneyStyle(), currency)
	if err != nil {
		return 0, fmt.Errorf("amount: %w", err)
	}
	return n, nil
}

// checkEntryAmount refuses an amount no purchase has: on another kind,
// negative, over money.Max, or without a currency code. An entry without
// an amount keeps no currency.
func checkEntryAmount(e *model.JournalEntry) error {
	if e.Amount == nil {
		e.Currency = ""
		return nil
	}
	switch {
	case e.Kind != model.KindPurchase:
		return fmt.Errorf("journal entry: only a purchase has an amount, not a %s", e.Kind)
	case *e.Amount < 0:
		return fmt.Errorf("journal entry: amount %d: %w", *e.Amount, money.ErrNegative)
	case *e.Amount > money.Max:
		return fmt.Errorf("journal entry: amount %d: %w", *e.Amount, money.ErrTooLarge)
	case !money.ValidCurrency(e.Currency):
		return fmt.Errorf("journal entry: currency %q: want a code such as EUR", e.Currency)
	}
	return nil
}

// LogPurchaseUndoable logs a purchase dated now: what was bought and, when
// typed, its amount in the owner's style and the currency of Settings. The
// entry and the thank-you note the first purchase plans are written in one
// transaction; the undo removes both.
func (s *Service) LogPurchaseUndoable(ctx context.Context, contactID int64, item, amount string) (Undo, error) {
	item, amount = strings.TrimSpace(item), strings.TrimSpace(amount)
	if item == "" && amount == "" {
		return nil, errors.New("log a purchase: say what was bought or what it cost")
	}
	e := &model.JournalEntry{ContactID: contactID, Kind: model.KindPurchase, Item: item, At: s.now()}
	if amount != "" {
		currency, err := s.Currency(ctx)
		if err != nil {
			return nil, err
		}
		n, err := s.ParseAmount(amount, currency)
		if err != nil {
			return nil, fmt.Errorf("log a purchase: %w", err)
		}
		e.Amount, e.Currency = &n, currency
	}
	var note *model.NoteReminder
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		if err := tx.SaveJournalEntry(ctx, e); err != nil {
			return err
		}
		var err error
		note, err = s.over(tx).thankYouAfter(ctx, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("log a purchase: %w", err)
	}
	return func(ctx context.Context) error {
		return s.store().InTx(ctx, func(tx *model.Store) error {
			if err := tx.DeleteJournalEntry(ctx, e.ID); err != nil {
				return err
			}
			if note != nil {
				return tx.DeleteNoteReminder(ctx, note.ID)
			}
			return nil
		})
	}, nil
}

// PurchaseText says what the card shows of a purchase: "bread · 12,50 €".
func (s *Service) PurchaseText(e model.JournalEntry) string {
	var parts []string
	if e.Item != "" {
		parts = append(parts, e.Item)
	}
	if e.Amount != nil {
		parts = append(parts, s.FormatAmount(*e.Amount, e.Currency))
	}
	return strings.Join(parts, " · ")
}

// purchaseLines are the card's lines on a contact's purchases, nil when
// they have none: the visits of the last year with the total and average
// amount per currency (the average over the purchases with an amount,
// rounded half up to the minor unit), then the last purchase.
func (s *Service) purchaseLines(p model.PurchaseSummary) []string {
	if p.Last == nil {
		return nil
	}
	visits := p.Visits()
	line := fmt.Sprintf("%d visits in the last year", visits)
	if visits == 1 {
		line = "1 visit in the last year"
	}
	for _, t := range p.Totals {
		if t.Priced == 0 {
			continue
		}
		avg := (t.Sum + int64(t.Priced)/2) / int64(t.Priced)
		line += fmt.Sprintf(" · %s in total, %s on average", s.FormatAmount(t.Sum, t.Currency), s.FormatAmount(avg, t.Currency))
	}
	last := "Last purchase " + s.DateStyle().Date(p.Last.At.In(time.Local))
	if what := s.PurchaseText(*p.Last); what != "" {
		last += ": " + what
	}
	return []string{line, last}
}

// Lapsing: a repeat buyer whose gap since the last visit is well past
// their own usual gap.
const (
	lapsingMinVisits = 3  // visits needed before a buyer has a usual gap
	lapsingMinDays   = 30 // never lapsing sooner than this
)

// lapsingFollowups: customers and clients with at least 3 visits (days
// with a purchase: several entries on one day are one visit) whose days
// since the last visit exceed twice the median of their gaps between
// visits, and are at least 30. Due the first day that was so; Done hides
// it until the next purchase.
func (s *Service) lapsingFollowups(ctx context.Context, on time.Time, _ Cadences) ([]Followup, error) {
	d := Day(on)
	var out []Followup
	// Before the day 29 days ago: at least 30 days since the last.
	err := s.store().RepeatBuyers(ctx, lapsingMinVisits, d.AddDate(0, 0, 1-lapsingMinDays), func(b model.Buyer) {
		since, twiceMedian, last, ok := lapse(b.At, d)
		if !ok {
			return
		}
		due := last.AddDate(0, 0, max(twiceMedian+1, lapsingMinDays))
		usual := strconv.Itoa(twiceMedian / 2)
		if twiceMedian%2 == 1 {
			usual += "½"
		}
		out = append(out, Followup{ContactID: b.ID, Contact: b.Name, Kind: FollowLapsing, Due: due.Format(time.DateOnly),
			Text: fmt.Sprintf("No purchase for %d days, usually every %s days: a %s drifting away, invite them back",
				since, usual, b.Stage),
			Occurrence: last.Format(time.DateOnly)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lapse reads purchase times (oldest first) as of the day d: the days
// since the last visit, twice the median gap between visits (twice, so
// that the median of an even number of gaps stays whole), the day of the
// last visit, and whether that is lapsing.
func lapse(at []time.Time, d time.Time) (since, twiceMedian int, last time.Time, lapsing bool) {
	var visits []time.Time
	for _, t := range at {
		v := Day(t.In(d.Location()))
		if len(visits) == 0 || !v.Equal(visits[len(visits)-1]) {
			visits = append(visits, v)
		}
	}
	if len(visits) < lapsingMinVisits {
		return 0, 0, time.Time{}, false
	}
	gaps := make([]int, 0, len(visits)-1)
	for i := 1; i < len(visits); i++ {
		gaps = append(gaps, daysBetween(visits[i-1], visits[i]))
	}
	slices.Sort(gaps)
	n := len(gaps)
	if n%2 == 1 {
		twiceMedian = 2 * gaps[n/2]
	} else {
		twiceMedian = gaps[n/2-1] + gaps[n/2]
	}
	last = visits[len(visits)-1]
	since = daysBetween(last, d)
	return since, twiceMedian, last, since > twiceMedian && since >= lapsingMinDays
}

// daysBetween counts calendar days from a to b (both midnights), right
// across a change of summer time.
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// SystemMoneyLocale is the locale amounts follow: LC_ALL, LC_MONETARY and
// LANG, in the order the C library reads them, then fallback (the
// desktop's locale).
func SystemMoneyLocale(getenv func(string) string, fallback string) string {
	for _, v := range []string{getenv("LC_ALL"), getenv("LC_MONETARY"), getenv("LANG"), fallback} {
		if _, ok := money.StyleFor(v); ok {
			return v
		}
	}
	return ""
}

// SetPurchase sets what a purchase entry says was bought and its amount,
// typed in the owner's style: in the entry's own currency when it has one
// (an edit keeps it), else the currency of Settings. An empty amount
// removes it. An entry of another kind keeps neither.
func (s *Service) SetPurchase(ctx context.Context, e *model.JournalEntry, item, amount string) error {
	if e.Kind != model.KindPurchase {
		e.Item, e.Amount, e.Currency = "", nil, ""
		return nil
	}
	e.Item = strings.TrimSpace(item)
	if strings.TrimSpace(amount) == "" {
		e.Amount, e.Currency = nil, ""
		return nil
	}
	currency := e.Currency
	if currency == "" {
		var err error
		if currency, err = s.Currency(ctx); err != nil {
			return err
		}
	}
	n, err := s.ParseAmount(amount, currency)
	if err != nil {
		return err
	}
	e.Amount, e.Currency = &n, currency
	return nil
}

// AmountText writes an entry's amount as the owner would type it, without
// the currency ("1.234,50"), "" when it has none: for the edit dialog.
func (s *Service) AmountText(e model.JournalEntry) string {
	if e.Amount == nil {
		return ""
	}
	return money.Number(*e.Amount, e.Currency, s.MoneyStyle())
}
