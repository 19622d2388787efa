package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// Follow-up kinds, in the order the list shows them.
const (
	FollowNote            = "note"
	FollowBirthday        = "birthday"
	FollowAnniversary     = "anniversary"
	FollowDate            = "date"
	FollowKeepInTouch     = "keep_in_touch"
	FollowFeedback        = "feedback"
	FollowClientCandidate = "client_candidate"
)

// FollowupKinds lists the kinds in the order they are shown.
func FollowupKinds() []string {
	return []string{FollowNote, FollowBirthday, FollowAnniversary, FollowDate, FollowKeepInTouch, FollowFeedback, FollowClientCandidate}
}

// Followup is one thing to do for one person.
type Followup struct {
	ContactID int64     `json:"contact_id"`
	Contact   string    `json:"contact"`
	Kind      string    `json:"kind"`
	Due       string    `json:"due"` // YYYY-MM-DD
	Text      string    `json:"text"`
	Overdue   bool      `json:"overdue,omitempty"`
	NoteID    int64     `json:"-"` // the note reminder, for kind note
	due       time.Time // for sorting
}

// Cadences are how long each stage may go without a journal entry before
// the owner is reminded to keep in touch.
type Cadences map[model.Stage]int

// DefaultCadences: prospect 14 days, customer 30, client 60.
func DefaultCadences() Cadences {
	return Cadences{model.StageProspect: 14, model.StageCustomer: 30, model.StageClient: 60}
}

// Follow-up windows from the issue.
const (
	noteHorizonDays = 7  // notes due within a week
	dateHorizonDays = 14 // dates in the coming fortnight
	clientPurchases = 3  // purchases in a year that make a client
)

// Followups computes the follow-up list for the calendar day of `on`:
//   - note: owed notes due within 7 days, overdue ones flagged;
//   - birthday, anniversary, date: the next occurrence falls within 14 days
//     (29 February falls on 28 February in other years), with the age or
//     years where the year is known;
//   - keep_in_touch: no journal entry for longer than the stage's cadence;
//   - feedback: unreliable contacts not asked since their latest incident;
//   - client_candidate: customers with 3 or more purchases in 365 days.
//
// Each rule is a query on its own index rather than a pass over everyone.
func (s *Service) Followups(ctx context.Context, on time.Time, cadences Cadences) ([]Followup, error) {
	d := day(on)
	var out []Followup

	notes, err := s.store().OwedNotes(ctx, d.AddDate(0, 0, noteHorizonDays).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		due, _ := time.ParseInLocation(time.DateOnly, n.Due, d.Location())
		f := Followup{ContactID: n.ContactID, Contact: n.Name, Kind: FollowNote, Due: n.Due, NoteID: n.ID, due: due,
			Text: "Write a note: " + n.Reason}
		if due.Before(d) {
			f.Overdue = true
			f.Text += fmt.Sprintf(" (overdue since %d %s)", due.Day(), due.Month())
		}
		out = append(out, f)
	}

	var days [][2]int
	for i := 0; i <= dateHorizonDays; i++ {
		t := d.AddDate(0, 0, i)
		days = append(days, [2]int{int(t.Month()), t.Day()})
		if t.Month() == time.February && t.Day() == 28 && daysIn(t.Year(), time.February) == 28 {
			days = append(days, [2]int{2, 29}) // a leap-day date falls on the 28th
		}
	}
	dates, err := s.store().DatesOn(ctx, days)
	if err != nil {
		return nil, err
	}
	for _, dc := range dates {
		u := upcoming([]model.ImportantDate{dc.ImportantDate}, d)[0]
		if u.DaysAway > dateHorizonDays {
			continue
		}
		kind := FollowDate
		switch dc.Label {
		case model.DateBirthday:
			kind = FollowBirthday
		case model.DateAnniversary:
			kind = FollowAnniversary
		}
		out = append(out, Followup{ContactID: dc.ContactID, Contact: dc.Name, Kind: kind,
			Due: u.Next.Format(time.DateOnly), due: u.Next, Text: u.Text()})
	}

	cutoff := map[model.Stage]time.Time{}
	for _, st := range model.Stages() {
		cutoff[st] = d.AddDate(0, 0, -cadences[st])
	}
	quiet, err := s.store().QuietContacts(ctx, cutoff)
	if err != nil {
		return nil, err
	}
	for _, q := range quiet {
		since := int(d.Sub(day(q.Last.In(d.Location()))).Hours()/24 + 0.5)
		due := day(q.Last.In(d.Location())).AddDate(0, 0, cadences[q.Stage])
		out = append(out, Followup{ContactID: q.ID, Contact: q.Name, Kind: FollowKeepInTouch,
			Due: due.Format(time.DateOnly), due: due,
			Text: fmt.Sprintf("Nothing logged for %d days (a %s: every %d)", since, q.Stage, cadences[q.Stage])})
	}

	scored := s.WithClock(func() time.Time { return on })
	if err := scored.RefreshReliability(ctx, nil); err != nil {
		return nil, err
	}
	owed, err := s.store().FeedbackOwed(ctx, on.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	for _, r := range owed {
		out = append(out, Followup{ContactID: r.ID, Contact: r.DisplayName, Kind: FollowFeedback,
			Due: d.Format(time.DateOnly), due: d, Text: "Unreliable lately: ask for honest feedback"})
	}

	counts, buyers, err := s.store().FrequentBuyers(ctx, d.AddDate(0, 0, -365), clientPurchases)
	if err != nil {
		return nil, err
	}
	for _, r := range buyers {
		out = append(out, Followup{ContactID: r.ID, Contact: r.DisplayName, Kind: FollowClientCandidate,
			Due: d.Format(time.DateOnly), due: d,
			Text: fmt.Sprintf("%d purchases in the last year: invite to the newsletter, treat as a client", counts[r.ID])})
	}

	order := map[string]int{}
	for i, k := range FollowupKinds() {
		order[k] = i
	}
	slices.SortStableFunc(out, func(a, b Followup) int {
		if c := order[a.Kind] - order[b.Kind]; c != 0 {
			return c
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return strings.Compare(a.Contact, b.Contact)
	})
	return out, nil
}

// Note reminder statuses.
const (
	NoteOwed    = "owed"
	NoteWritten = "written"
	NotePosted  = "posted"
)

// MarkNote moves a note reminder on: owed → written → posted, each dated.
func (s *Service) MarkNote(ctx context.Context, noteID int64, status string) error {
	n, err := s.store().NoteReminderByID(ctx, noteID)
	if err != nil {
		return err
	}
	now := s.now()
	switch status {
	case NoteWritten:
		n.WrittenAt = &now
	case NotePosted:
		if n.WrittenAt == nil {
			n.WrittenAt = &now
		}
		n.PostedAt = &now
	default:
		return fmt.Errorf("note reminder: unknown status %q", status)
	}
	n.Status = status
	return s.store().SaveNoteReminder(ctx, n)
}
