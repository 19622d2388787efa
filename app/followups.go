package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	FollowRemind          = "remind" // an appointment tomorrow: remind them
	FollowLapsing         = "lapsing"
)

// FollowupKinds lists the kinds in the order they are shown: the urgent
// ones first (a note owed, feedback to ask, tomorrow's appointments), so
// that dozens of keep-in-touch rows do not bury them.
func FollowupKinds() []string {
	return []string{FollowNote, FollowFeedback, FollowRemind, FollowLapsing,
		FollowKeepInTouch, FollowBirthday, FollowAnniversary, FollowDate, FollowClientCandidate}
}

// Followup is one thing to do for one person.
type Followup struct {
	ContactID int64  `json:"contact_id"`
	Contact   string `json:"contact"`
	Kind      string `json:"kind"`
	Due       string `json:"due"` // YYYY-MM-DD
	Text      string `json:"text"`
	NoteID    int64  `json:"-"` // the note reminder, for kind note
	// AppointmentID is the appointment to remind of, for kind remind.
	AppointmentID int64 `json:"-"`
	// Occurrence names this occurrence among the contact's follow-ups of
	// the kind (the day a birthday falls on, the note…): Done hides it,
	// and the next one shows again.
	Occurrence string `json:"-"`
	Overdue    bool   `json:"overdue,omitempty"`
	rank       int32  // the kind's place in FollowupKinds, for sorting
	at         int64  // the appointment's start (Unix), for kind remind: by the hour
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
//   - lapsing: customers and clients with 3 or more visits whose days since
//     the last exceed twice their median gap, and are at least 30 (see
//     lapsingFollowups);
//   - client_candidate: customers with 3 or more purchases in 365 days,
//     unless lapsing: one drifting away is to be won back first.
//
// Each rule is a query on its own index rather than a pass over everyone.
//
// The rules read independently, so they run at once on the store's pooled
// connections; over 50,000 contacts that halves the wait on two cores.
func (s *Service) Followups(ctx context.Context, on time.Time, cadences Cadences) ([]Followup, error) {
	d := Day(on)
	rules := []func(context.Context, time.Time, Cadences) ([]Followup, error){
		s.noteFollowups, s.feedbackFollowups, s.remindFollowups, s.quietFollowups, s.dateFollowups, s.candidateFollowups,
		s.lapsingFollowups,
	}
	parts := make([][]Followup, len(rules))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The first rule to fail says why and stops the others, whose own
	// errors (cancelled, or the driver's "interrupted") say nothing more.
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for i, rule := range rules {
		wg.Go(func() {
			part, err := rule(ctx, on, cadences)
			if err != nil {
				once.Do(func() { first = err; cancel() })
				return
			}
			// Each rule sorts its own part, at once with the others; the
			// rules are in the order of their kinds, so the parts joined
			// are the whole list in order. A part may come sorted already.
			for j := range part {
				part[j].rank = kindRank(part[j].Kind)
			}
			if !slices.IsSortedFunc(part, compareFollowups) {
				slices.SortFunc(part, compareFollowups)
			}
			parts[i] = part
		})
	}
	wg.Wait()
	if first != nil {
		return nil, fmt.Errorf("follow-ups for %s: %w", d.Format(time.DateOnly), first)
	}
	out := notReadyIfLapsing(slices.Concat(parts...))
	return s.withoutHidden(ctx, d, out)
}

// kindRank is a kind's place in FollowupKinds.
func kindRank(kind string) int32 {
	if i := slices.Index(FollowupKinds(), kind); i >= 0 {
		return int32(i)
	}
	return int32(len(FollowupKinds()))
}

// compareFollowups orders the list: by kind, then due day, then name, and
// so on until no two differ.
func compareFollowups(a, b Followup) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	// Due is YYYY-MM-DD, which sorts as the days do.
	if c := strings.Compare(a.Due, b.Due); c != 0 {
		return c
	}
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	if c := strings.Compare(a.Contact, b.Contact); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.ContactID, b.ContactID), cmp.Compare(a.NoteID, b.NoteID), strings.Compare(a.Text, b.Text))
}

// noteFollowups: owed notes due within a week, overdue ones flagged.
func (s *Service) noteFollowups(ctx context.Context, on time.Time, _ Cadences) ([]Followup, error) {
	d := Day(on)
	notes, err := s.store().OwedNotes(ctx, d.AddDate(0, 0, noteHorizonDays).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	out := make([]Followup, 0, len(notes))
	for _, n := range notes {
		due, _ := time.ParseInLocation(time.DateOnly, n.Due, d.Location())
		f := Followup{ContactID: n.ContactID, Contact: n.Name, Kind: FollowNote, Due: n.Due, NoteID: n.ID,
			Text: "Write a note: " + n.Reason, Occurrence: strconv.FormatInt(n.ID, 10)}
		if due.Before(d) {
			f.Overdue = true
			f.Text += fmt.Sprintf(" (overdue since %s)", s.DateStyle().DayMonth(due.Month(), due.Day()))
		}
		out = append(out, f)
	}
	return out, nil
}

// dateFollowups: birthdays, anniversaries and the owner's own dates in the
// coming fortnight.
func (s *Service) dateFollowups(ctx context.Context, on time.Time, _ Cadences) ([]Followup, error) {
	d := Day(on)
	var days [][2]int
	for i := 0; i <= dateHorizonDays; i++ {
		t := d.AddDate(0, 0, i)
		days = append(days, [2]int{int(t.Month()), t.Day()})
		if t.Month() == time.February && t.Day() == 28 && daysIn(t.Year(), time.February) == 28 {
			days = append(days, [2]int{2, 29}) // a leap-day date falls on the 28th
		}
	}
	all, err := s.AllBirthdays(ctx)
	if err != nil {
		return nil, err
	}
	dates, err := s.store().DatesOn(ctx, days, !all)
	if err != nil {
		return nil, err
	}
	var out []Followup
	for _, dc := range dates {
		u := upcoming([]model.ImportantDate{dc.ImportantDate}, d)[0]
		u.Style = s.DateStyle()
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
		due := u.Next.Format(time.DateOnly)
		out = append(out, Followup{ContactID: dc.ContactID, Contact: dc.Name, Kind: kind,
			Due: due, Text: u.Text(), Occurrence: strconv.FormatInt(dc.ID, 10) + "@" + due})
	}
	return out, nil
}

// quietFollowups: contacts with no journal entry for longer than their
// stage's cadence. Tens of thousands of contacts are read for it, the
// longest of the rules: the two halves of the contacts, by ID, are read at
// once on two connections and sorted each, then merged. On two cores this
// took the list from 0.25-0.3 s to 0.2 s over 50,000 contacts, the other
// rules having finished long before.
func (s *Service) quietFollowups(ctx context.Context, on time.Time, cadences Cadences) ([]Followup, error) {
	lo, hi, n, err := s.store().ContactIDRange(ctx)
	if err != nil || n == 0 {
		return nil, err
	}
	mid := lo + (hi-lo)/2
	ranges := [2][2]int64{{lo, mid}, {mid + 1, hi}}
	var halves [2][]Followup
	var errs [2]error
	var wg sync.WaitGroup
	for i, r := range ranges {
		wg.Go(func() {
			// Room for a half and some: IDs are handed out in turn, so each
			// half holds about half the contacts. Growing the list as it
			// filled took a sixth of the rule's time.
			halves[i], errs[i] = s.quietIn(ctx, on, cadences, r[0], r[1], int(n/2+n/16))
			slices.SortFunc(halves[i], compareFollowups)
		})
	}
	wg.Wait()
	if err := cmp.Or(errs[0], errs[1]); err != nil {
		return nil, err
	}
	return mergeFollowups(halves[0], halves[1]), nil
}

// quietIn is quietFollowups over the contacts with IDs from..to.
func (s *Service) quietIn(ctx context.Context, on time.Time, cadences Cadences, from, to int64, room int) ([]Followup, error) {
	d := Day(on)
	cutoff := map[model.Stage]time.Time{}
	for _, st := range model.Stages() {
		cutoff[st] = d.AddDate(0, 0, -cadences[st])
	}
	// Many contacts share a due day and a text: each is made once, which
	// spared tens of thousands of small strings for the collector.
	type textKey struct {
		since int
		stage model.Stage
	}
	dues, texts := map[time.Time]string{}, map[textKey]string{}
	rank := kindRank(FollowKeepInTouch)
	out := make([]Followup, 0, room)
	var text []byte
	err := s.store().QuietContacts(ctx, cutoff, from, to, func(q model.QuietContact) {
		last := Day(q.Last.In(d.Location()))
		since := int(d.Sub(last).Hours()/24 + 0.5)
		due := last.AddDate(0, 0, cadences[q.Stage])
		dueText, ok := dues[due]
		if !ok {
			dueText = due.Format(time.DateOnly)
			dues[due] = dueText
		}
		key := textKey{since, q.Stage}
		what, ok := texts[key]
		if !ok {
			text = append(text[:0], "Nothing logged for "...)
			text = strconv.AppendInt(text, int64(since), 10)
			text = append(text, " days (a "...)
			text = append(text, q.Stage...)
			text = append(text, ": every "...)
			text = strconv.AppendInt(text, int64(cadences[q.Stage]), 10)
			text = append(text, ')')
			what = string(text)
			texts[key] = what
		}
		out = append(out, Followup{ContactID: q.ID, Contact: q.Name, Kind: FollowKeepInTouch, Due: dueText, Text: what, rank: rank,
			Occurrence: dueText})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// mergeFollowups merges two lists sorted by compareFollowups into one.
func mergeFollowups(a, b []Followup) []Followup {
	out := make([]Followup, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareFollowups(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// feedbackFollowups: unreliable contacts not asked for feedback since their
// latest incident, on the day's kept scores (brought up to date first).
func (s *Service) feedbackFollowups(ctx context.Context, on time.Time, _ Cadences) ([]Followup, error) {
	d := Day(on)
	scored := s.WithClock(func() time.Time { return on })
	if err := scored.RefreshReliability(ctx, nil); err != nil {
		return nil, err
	}
	var out []Followup
	due := d.Format(time.DateOnly)
	err := s.store().FeedbackOwed(ctx, on.Format(time.DateOnly), func(id int64, name string) {
		out = append(out, Followup{ContactID: id, Contact: name, Kind: FollowFeedback,
			Due: due, Text: "Unreliable lately: ask for honest feedback"})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// notReadyIfLapsing drops the client candidates who are lapsing: they buy
// often, but not lately, and the lapsing row says what to do instead.
func notReadyIfLapsing(list []Followup) []Followup {
	lapsing := map[int64]bool{}
	for _, f := range list {
		if f.Kind == FollowLapsing {
			lapsing[f.ContactID] = true
		}
	}
	if len(lapsing) == 0 {
		return list
	}
	return slices.DeleteFunc(list, func(f Followup) bool { return f.Kind == FollowClientCandidate && lapsing[f.ContactID] })
}

// candidateFollowups: customers with 3 or more purchases in the last year
// (lapsing ones are dropped by notReadyIfLapsing).
func (s *Service) candidateFollowups(ctx context.Context, on time.Time, _ Cadences) ([]Followup, error) {
	d := Day(on)
	counts, buyers, err := s.store().FrequentBuyers(ctx, d.AddDate(0, 0, -365), clientPurchases)
	if err != nil {
		return nil, err
	}
	var out []Followup
	for _, r := range buyers {
		out = append(out, Followup{ContactID: r.ID, Contact: r.DisplayName, Kind: FollowClientCandidate,
			Due:  d.Format(time.DateOnly),
			Text: fmt.Sprintf("%d purchases in the last year: invite to the newsletter, treat as a client", counts[r.ID])})
	}
	return out, nil
}

// MarkNote moves a note reminder on: owed → written → posted, each dated.
func (s *Service) MarkNote(ctx context.Context, noteID int64, status model.NoteStatus) error {
	n, err := s.store().NoteReminderByID(ctx, noteID)
	if err != nil {
		return err
	}
	now := s.now()
	switch status {
	case model.NoteWritten:
		n.WrittenAt = &now
	case model.NotePosted:
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
