package model

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PurchaseTotal is a contact's purchases in one currency over a period.
// Currency is "" for the purchases logged without an amount.
type PurchaseTotal struct {
	Currency string
	Count    int   // purchases
	Priced   int   // of which with an amount
	Sum      int64 // of the amounts, in minor units
}

// PurchaseSummary is what the card shows of a contact's purchases.
type PurchaseSummary struct {
	Totals []PurchaseTotal // since the period's start, by currency
	Last   *JournalEntry   // the latest purchase ever, nil when none
}

// Visits is the number of purchases in the period, whatever the currency.
func (p PurchaseSummary) Visits() int {
	n := 0
	for _, t := range p.Totals {
		n += t.Count
	}
	return n
}

// PurchaseSummary sums a contact's purchases since a time, by currency,
// and reads their latest purchase, in one query on the (kind, contact_id,
// at) index: the journal is never loaded for it.
func (s *Store) PurchaseSummary(ctx context.Context, contactID int64, since time.Time) (PurchaseSummary, error) {
	// The sums are rows with latest = 0; the latest purchase, the row with
	// latest = 1. CAST: PostgreSQL's SUM of a BIGINT is a NUMERIC.
	rows, err := s.with(ctx).Raw(`SELECT 0 AS latest, currency, COUNT(*) AS n, COUNT(amount) AS priced,
			CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total, NULL AS at, '' AS item, NULL AS id
		FROM journal_entries WHERE kind = 'purchase' AND contact_id = ? AND at >= ? GROUP BY currency
		UNION ALL
		SELECT 1, l.currency, 0, 0, l.amount, l.at, l.item, l.id FROM (
			SELECT id, at, item, amount, currency FROM journal_entries
			WHERE kind = 'purchase' AND contact_id = ? ORDER BY at DESC, id DESC LIMIT 1) AS l
		ORDER BY 1, 2`, contactID, since.UTC(), contactID).Rows()
	if err != nil {
		return PurchaseSummary{}, fmt.Errorf("purchases of contact %d: %w", contactID, err)
	}
	defer rows.Close()
	var out PurchaseSummary
	for rows.Next() {
		var latest int
		var t PurchaseTotal
		var total, id sql.NullInt64
		var at sql.NullString
		var item string
		if err := rows.Scan(&latest, &t.Currency, &t.Count, &t.Priced, &total, &at, &item, &id); err != nil {
			return PurchaseSummary{}, fmt.Errorf("purchases of contact %d: %w", contactID, err)
		}
		if latest == 0 {
			t.Sum = total.Int64
			out.Totals = append(out.Totals, t)
			continue
		}
		e := &JournalEntry{ID: id.Int64, ContactID: contactID, Kind: KindPurchase, Item: item, Currency: t.Currency}
		if total.Valid {
			e.Amount = &total.Int64
		}
		if e.At, err = parseStoredTime(at.String); err != nil {
			return PurchaseSummary{}, fmt.Errorf("purchases of contact %d: %w", contactID, err)
		}
		out.Last = e
	}
	if err := rows.Err(); err != nil {
		return PurchaseSummary{}, fmt.Errorf("purchases of contact %d: %w", contactID, err)
	}
	return out, nil
}

// Buyer is a customer or client with their purchases' times, oldest first.
type Buyer struct {
	ID    int64
	Name  string
	Stage Stage
	At    []time.Time
}

// RepeatBuyers hands fn, contact by contact, each customer or client with
// at least min purchases whose latest purchase is before lastBefore, with
// the times of all their purchases. The few contacts are picked from the
// (kind, contact_id, at) index alone before their purchases are read.
func (s *Store) RepeatBuyers(ctx context.Context, min int, lastBefore time.Time, fn func(Buyer)) error {
	rows, err := s.with(ctx).Raw(`SELECT c.id, c.display_name, c.stage, j.at
		FROM (SELECT contact_id FROM journal_entries WHERE kind = 'purchase'
			GROUP BY contact_id HAVING COUNT(*) >= ? AND MAX(at) < ?) AS p
		JOIN contacts c ON c.id = p.contact_id
		JOIN journal_entries j ON j.contact_id = p.contact_id AND j.kind = 'purchase'
		WHERE c.stage IN ('customer', 'client')
		ORDER BY c.id, j.at`, min, lastBefore.UTC()).Rows()
	if err != nil {
		return fmt.Errorf("repeat buyers: %w", err)
	}
	defer rows.Close()
	var b Buyer
	for rows.Next() {
		var id int64
		var name, at string
		var stage Stage
		if err := rows.Scan(&id, &name, &stage, &at); err != nil {
			return fmt.Errorf("repeat buyers: %w", err)
		}
		t, err := parseStoredTime(at)
		if err != nil {
			return fmt.Errorf("repeat buyers: %w", err)
		}
		if id != b.ID {
			if b.ID != 0 {
				fn(b)
			}
			b = Buyer{ID: id, Name: name, Stage: stage}
		}
		b.At = append(b.At, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("repeat buyers: %w", err)
	}
	if b.ID != 0 {
		fn(b)
	}
	return nil
}
