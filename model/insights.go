package model

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Months are consecutive periods: month i runs from Bounds[i] up to, not
// including, Bounds[i+1]. The caller picks the bounds (local midnights of
// the first days), so that a month is the owner's month, not UTC's.
type Months []time.Time

// Len is how many months the bounds make.
func (m Months) Len() int { return max(len(m)-1, 0) }

// union joins part, once per month, with UNION ALL: {m} in part becomes
// the month's index and its two ? the month's bounds. Each part is then a
// range of an index ending in the time column: 12 short range scans read
// far fewer rows (and no CASE per row) than one pass putting each row in
// its month, on SQLite as on PostgreSQL.
func (m Months) union(part string) (string, []any) {
	parts := make([]string, 0, m.Len())
	args := make([]any, 0, 2*m.Len())
	for i := 0; i < m.Len(); i++ {
		parts = append(parts, strings.ReplaceAll(part, "{m}", strconv.Itoa(i)))
		args = append(args, m[i].UTC(), m[i+1].UTC())
	}
	return strings.Join(parts, "\nUNION ALL\n"), args
}

// Tally is a count under a name: how many clients met us one way.
type Tally struct {
	Key   string
	Count int
}

// Referrer is a contact who sent others, with how many and how many of
// those are clients now.
type Referrer struct {
	ID      int64
	Name    string
	Sent    int
	Clients int
}

// MonthPurchases are the purchases of one month in one currency ("" for
// those logged without an amount).
type MonthPurchases struct {
	Month    int
	Currency string
	Count    int
	Sum      int64 // of the amounts, in minor units
}

// InsightCounts are the numbers behind the Insights tab, all counted in
// the database (GROUP BY month), never by loading contacts or entries.
type InsightCounts struct {
	Stages         map[Stage]int // contacts by their stage now
	NewContacts    []int         // per month: contacts first met (see firstMet)
	BecameCustomer []int         // per month: contacts whose stage changed to customer
	BecameClient   []int         // per month: … to client
	HowWeMet       []Tally       // clients by how we met, most first ("" not told)
	Referrers      []Referrer    // who sent the most, most first
	Outcomes       map[Outcome][]int
	Purchases      []MonthPurchases
}

// Insights counts, over the months, how contacts moved through the stages,
// where clients came from (the top ways we met and referrers), how
// appointments went and what was bought.
func (s *Store) Insights(ctx context.Context, months Months, top int) (InsightCounts, error) {
	if months.Len() < 1 {
		return InsightCounts{}, fmt.Errorf("insights: no month to count")
	}
	out := InsightCounts{Stages: map[Stage]int{}, Outcomes: map[Outcome][]int{}}
	for _, step := range []struct {
		what string
		run  func(context.Context, Months, int, *InsightCounts) error
	}{
		{"stages", s.stageCounts}, {"stage changes", s.stageMonths}, {"how we met", s.howWeMet},
		{"referrers", s.topReferrers}, {"appointments", s.outcomeMonths}, {"purchases", s.purchaseMonths},
	} {
		if err := step.run(ctx, months, top, &out); err != nil {
			return InsightCounts{}, fmt.Errorf("insights %s: %w", step.what, err)
		}
	}
	return out, nil
}

func (s *Store) stageCounts(ctx context.Context, _ Months, _ int, out *InsightCounts) error {
	return s.scan(ctx, `SELECT stage, COUNT(*) FROM contacts GROUP BY stage`, nil, func(r *sql.Rows) error {
		var st Stage
		var n int
		err := r.Scan(&st, &n)
		out.Stages[st] = n
		return err
	})
}

// stageTo are the conditions a stage entry's text ("Stage changed from
// prospect to client") meets when it moved the contact to a stage: the
// journal keeps the change as words, the target last.
func stageTo(st Stage) string { return "% to " + string(st) }

// firstMeetings is each contact's first "met" entry, read once along the
// (kind, contact_id, at) index. A contact is new when the owner first met
// them, not when their card was made: an import of the phone's 2,000
// contacts is not 2,000 new people that month.
const firstMeetings = `SELECT contact_id, MIN(at) AS first FROM journal_entries WHERE kind = 'met' GROUP BY contact_id`

// monthOf is a CASE putting the time column in its month's index, with its
// arguments; the caller keeps the column within the months.
func (m Months) monthOf(column string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, m.Len())
	b.WriteString("CASE")
	for i := 1; i < m.Len(); i++ {
		fmt.Fprintf(&b, " WHEN %s < ? THEN %d", column, i-1)
		args = append(args, m[i].UTC())
	}
	fmt.Fprintf(&b, " ELSE %d END", m.Len()-1)
	return b.String(), args
}

// stageMonths counts per month the contacts first met and those moved to
// customer or client, each contact once per month and stage.
func (s *Store) stageMonths(ctx context.Context, months Months, _ int, out *InsightCounts) error {
	n := months.Len()
	out.NewContacts, out.BecameCustomer, out.BecameClient = make([]int, n), make([]int, n), make([]int, n)
	moved, args := months.union(`SELECT {m}, COUNT(DISTINCT CASE WHEN text LIKE '` + stageTo(StageCustomer) + `' THEN contact_id END),
		COUNT(DISTINCT CASE WHEN text LIKE '` + stageTo(StageClient) + `' THEN contact_id END)
		FROM journal_entries WHERE kind = 'stage' AND at >= ? AND at < ?`)
	err := s.scan(ctx, moved, args, func(r *sql.Rows) error {
		var m int
		var customers, clients int
		err := r.Scan(&m, &customers, &clients)
		out.BecameCustomer[m], out.BecameClient[m] = customers, clients
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	// One pass over the first meetings, not a range per month: a first
	// meeting is a minimum over each contact's entries, which no index
	// range yields (a NOT EXISTS per "met" entry tripled the time).
	month, args := months.monthOf("f.first")
	added := `SELECT ` + month + `, COUNT(*) FROM (` + firstMeetings + `) AS f WHERE f.first >= ? AND f.first < ? GROUP BY 1`
	args = append(args, months[0].UTC(), months[n].UTC())
	return s.scan(ctx, added, args, func(r *sql.Rows) error {
		var m, count int
		err := r.Scan(&m, &count)
		out.NewContacts[m] = count
		return err
	})
}

// howWeMet counts the clients by how we met, the top ones; spaces around
// the words do not make another way.
func (s *Store) howWeMet(ctx context.Context, _ Months, top int, out *InsightCounts) error {
	return s.scan(ctx, `SELECT TRIM(how_we_met) AS how, COUNT(*) FROM contacts WHERE stage = 'client'
		GROUP BY TRIM(how_we_met) ORDER BY 2 DESC, 1 LIMIT ?`, []any{top}, func(r *sql.Rows) error {
		var t Tally
		err := r.Scan(&t.Key, &t.Count)
		out.HowWeMet = append(out.HowWeMet, t)
		return err
	})
}

// topReferrers reads who referred the most contacts, by the referred_by
// index; ties go to who sent more clients, then by name.
func (s *Store) topReferrers(ctx context.Context, _ Months, top int, out *InsightCounts) error {
	return s.scan(ctx, `SELECT r.id, r.display_name, x.sent, x.clients FROM (
			SELECT referred_by_id AS id, COUNT(*) AS sent, SUM(CASE WHEN stage = 'client' THEN 1 ELSE 0 END) AS clients
			FROM contacts WHERE referred_by_id IS NOT NULL GROUP BY referred_by_id) AS x
		JOIN contacts r ON r.id = x.id
		ORDER BY x.sent DESC, x.clients DESC, r.display_name, r.id LIMIT ?`, []any{top}, func(r *sql.Rows) error {
		var ref Referrer
		err := r.Scan(&ref.ID, &ref.Name, &ref.Sent, &ref.Clients)
		out.Referrers = append(out.Referrers, ref)
		return err
	})
}

// reliabilityOutcomes are the outcomes the chart of reliability counts:
// appointments the person was expected at.
var reliabilityOutcomes = []Outcome{OutcomeOnTime, OutcomeLate, OutcomeNoShow}

// outcomeMonths counts the appointments per month of their start by how
// they went, from the (outcome, start) index alone.
func (s *Store) outcomeMonths(ctx context.Context, months Months, _ int, out *InsightCounts) error {
	for _, o := range reliabilityOutcomes {
		out.Outcomes[o] = make([]int, months.Len())
	}
	query, args := months.union(`SELECT {m}, outcome, COUNT(*) FROM appointments
		WHERE outcome IN ('on_time', 'late', 'no_show') AND start >= ? AND start < ? GROUP BY outcome`)
	return s.scan(ctx, query, args, func(r *sql.Rows) error {
		var m, n int
		var o Outcome
		if err := r.Scan(&m, &o, &n); err != nil {
			return err
		}
		out.Outcomes[o][m] = n
		return nil
	})
}

// purchaseMonths counts and sums the purchases per month and currency,
// from the (kind, at, currency, amount) index alone. CAST: PostgreSQL's
// SUM of a BIGINT is a NUMERIC.
func (s *Store) purchaseMonths(ctx context.Context, months Months, _ int, out *InsightCounts) error {
	query, args := months.union(`SELECT {m}, currency, COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT)
		FROM journal_entries WHERE kind = 'purchase' AND at >= ? AND at < ? GROUP BY currency`)
	return s.scan(ctx, query, args, func(r *sql.Rows) error {
		var p MonthPurchases
		err := r.Scan(&p.Month, &p.Currency, &p.Count, &p.Sum)
		out.Purchases = append(out.Purchases, p)
		return err
	})
}

// Pick says which people a number of the Insights counts: What is one of
// the Pick… kinds; From and To the month for the monthly ones; Key the
// stage, way we met or outcome; ID the referrer.
type Pick struct {
	What     string
	From, To time.Time
	Key      string
	ID       int64
}

// What a Pick picks.
const (
	PickNew      = "new"      // first met in the month
	PickCustomer = "customer" // moved to customer in the month
	PickClient   = "client"   // moved to client in the month
	PickStage    = "stage"    // in stage Key now
	PickBeyond   = "beyond"   // customers and clients now
	PickHowWeMet = "how"      // clients who met us as Key
	PickReferred = "referred" // referred by ID
	PickOutcome  = "outcome"  // with an appointment of outcome Key in the month
	PickBought   = "bought"   // with a purchase in the month
)

// Person is one of the people behind a number.
type Person struct {
	ID    int64
	Name  string
	Stage Stage
}

// pickCondition is the condition on contacts c that pick means, with its
// arguments: the same rows the counts of Insights counted.
func pickCondition(p Pick) (string, []any, error) {
	in := func(kind, extra string) string {
		return "c.id IN (SELECT contact_id FROM journal_entries WHERE kind = '" + kind + "'" + extra + " AND at >= ? AND at < ?)"
	}
	month := []any{p.From.UTC(), p.To.UTC()}
	switch p.What {
	case PickNew:
		return "c.id IN (SELECT f.contact_id FROM (" + firstMeetings + ") AS f WHERE f.first >= ? AND f.first < ?)", month, nil
	case PickCustomer, PickClient:
		return in("stage", " AND text LIKE ?"), append([]any{stageTo(Stage(p.What))}, month...), nil
	case PickStage:
		return "c.stage = ?", []any{p.Key}, nil
	case PickBeyond:
		return "c.stage IN ('customer', 'client')", nil, nil
	case PickHowWeMet:
		return "c.stage = 'client' AND TRIM(c.how_we_met) = ?", []any{p.Key}, nil
	case PickReferred:
		return "c.referred_by_id = ?", []any{p.ID}, nil
	case PickOutcome:
		return "c.id IN (SELECT contact_id FROM appointments WHERE outcome = ? AND start >= ? AND start < ?)",
			append([]any{p.Key}, month...), nil
	case PickBought:
		return in("purchase", ""), month, nil
	}
	return "", nil, fmt.Errorf("no such pick %q", p.What)
}

// PickPeople lists, by name, at most limit of the people behind a number
// of Insights.
func (s *Store) PickPeople(ctx context.Context, p Pick, limit int) ([]Person, error) {
	cond, args, err := pickCondition(p)
	if err != nil {
		return nil, fmt.Errorf("people of %s: %w", p.What, err)
	}
	var out []Person
	err = s.scan(ctx, `SELECT c.id, c.display_name, c.stage FROM contacts c WHERE `+cond+
		` ORDER BY c.sort_key, c.id LIMIT ?`, append(args, limit), func(r *sql.Rows) error {
		var x Person
		err := r.Scan(&x.ID, &x.Name, &x.Stage)
		out = append(out, x)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people of %s: %w", p.What, err)
	}
	return out, nil
}

// Reflection is a feedback entry with who gave it: what they said and what
// the owner will change.
type Reflection struct {
	EntryID   int64
	ContactID int64
	Name      string
	At        time.Time
	Said      string
	Change    string
}

// Reflections lists the newest limit feedback entries, newest first, read
// by the (kind, contact_id, at) index.
func (s *Store) Reflections(ctx context.Context, limit int) ([]Reflection, error) {
	var out []Reflection
	err := s.scan(ctx, `SELECT j.id, j.contact_id, c.display_name, j.at, j.text, j.change_note
		FROM journal_entries j JOIN contacts c ON c.id = j.contact_id
		WHERE j.kind = 'feedback' ORDER BY j.at DESC, j.id DESC LIMIT ?`, []any{limit}, func(r *sql.Rows) error {
		var x Reflection
		var at string
		if err := r.Scan(&x.EntryID, &x.ContactID, &x.Name, &at, &x.Said, &x.Change); err != nil {
			return err
		}
		t, err := parseStoredTime(at)
		x.At = t
		out = append(out, x)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("self reflection: %w", err)
	}
	return out, nil
}
