package app

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// ReliabilityRules are the owner's settings for the score.
type ReliabilityRules struct {
	// NoticeWindow: a cancellation with less notice than this counts
	// against the contact (default 24 hours).
	NoticeWindow time.Duration
}

// DefaultReliabilityRules are the rules until the owner changes them.
func DefaultReliabilityRules() ReliabilityRules {
	return ReliabilityRules{NoticeWindow: 24 * time.Hour}
}

// Reliability is how reliably a contact keeps appointments, in a form
// anyone can read.
type Reliability struct {
	Score      *int   `json:"score"`   // 0–100; nil when no appointment counts
	Counted    int    `json:"counted"` // appointments that count
	Unreliable bool   `json:"unreliable"`
	Summary    string `json:"summary"` // "12 appointments in the last year: 9 on time, …"
	// Reminders compares the appointments reminded of with the others,
	// when both groups count at least 3 (see remindersSummary); "" if not.
	Reminders string `json:"reminders,omitempty"`

	// Incidents are the no-shows and late cancellations; LastIncident is
	// when the newest of those or of the late arrivals was (zero if none),
	// for "ask for feedback".
	Incidents    int       `json:"-"`
	LastIncident time.Time `json:"-"`
}

// ReliabilityOf scores appointments as of the calendar day of `on` (in
// on's location): those starting from the same day a year (365 days)
// before up to the moment `on` count, if they have an outcome that counts.
//   - on time earns 1; late by m minutes max(0, 1 − m/30); a no-show or a
//     cancellation with less notice than the window 0;
//   - a cancellation with at least the window's notice, a rescheduled or
//     excused appointment, one still ahead or without an outcome does not
//     count;
//   - the score is round(100 × credit / counted);
//   - unreliable: at least 3 counted and a score under 70, or 2 or more
//     no-shows and late cancellations in the last 183 days.
func ReliabilityOf(appts []model.Appointment, on time.Time, rules ReliabilityRules) Reliability {
	dayStart := Day(on)
	yearStart := dayStart.AddDate(0, 0, -365)
	halfYearStart := dayStart.AddDate(0, 0, -183)
	var r Reliability
	var t reliabilityTally
	for i := range appts {
		a := &appts[i]
		start := a.Start.In(on.Location())
		if start.Before(yearStart) || start.After(on) {
			continue
		}
		counts, incident := t.add(a, rules, &r)
		if !counts {
			continue
		}
		r.Counted++
		t.groups[boolIndex(a.RemindedAt != nil)].add(!incident)
		if incident {
			r.Incidents++
			if a.Start.After(r.LastIncident) {
				r.LastIncident = a.Start
			}
			if !start.Before(halfYearStart) {
				t.recent++
			}
		}
	}
	if r.Counted > 0 {
		score := int(math.Round(100 * t.credit / float64(r.Counted)))
		r.Score = &score
	}
	r.Unreliable = (r.Counted >= 3 && *r.Score < 70) || t.recent >= 2
	r.Summary = reliabilitySummary(r, t.onTime, t.late, t.lateMinutes, t.noShow, t.cancelledLate)
	r.Reminders = remindersSummary(t.groups[1], t.groups[0])
	return r
}

// reliabilityTally is what ReliabilityOf counts over the year's
// appointments.
type reliabilityTally struct {
	credit                                           float64
	onTime, late, lateMinutes, noShow, cancelledLate int
	recent                                           int          // incidents in the last half year
	groups                                           [2]keptCount // not reminded, reminded
}

// add scores a's outcome: counts is false when it does not count, incident
// true for a no-show or a late cancellation. A late arrival moves
// r.LastIncident too.
func (t *reliabilityTally) add(a *model.Appointment, rules ReliabilityRules, r *Reliability) (counts, incident bool) {
	switch a.Outcome {
	case model.OutcomeOnTime:
		t.credit++
		t.onTime++
	case model.OutcomeLate:
		t.credit += math.Max(0, 1-float64(a.MinutesLate)/30)
		t.late++
		t.lateMinutes += a.MinutesLate
		// Not an incident for the half-year rule, but worth asking
		// about: the latest one starts the feedback clock too.
		if a.Start.After(r.LastIncident) {
			r.LastIncident = a.Start
		}
	case model.OutcomeNoShow:
		t.noShow++
		incident = true
	case model.OutcomeCancelled:
		if a.CancelledAt == nil || a.Start.Sub(*a.CancelledAt) >= rules.NoticeWindow {
			return false, false // enough notice: not held against them
		}
		t.cancelledLate++
		incident = true
	default:
		return false, false // rescheduled, excused, or no outcome yet
	}
	return true, incident
}

func reliabilitySummary(r Reliability, onTime, late, lateMinutes, noShow, cancelledLate int) string {
	if r.Counted == 0 {
		return "No appointments to go by in the last year"
	}
	var parts []string
	if onTime > 0 {
		parts = append(parts, fmt.Sprintf("%d on time", onTime))
	}
	if late > 0 {
		parts = append(parts, fmt.Sprintf("%d late (avg %d min)", late, int(math.Round(float64(lateMinutes)/float64(late)))))
	}
	if noShow > 0 {
		parts = append(parts, Plural(noShow, "no-show"))
	}
	if cancelledLate > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled late", cancelledLate))
	}
	return fmt.Sprintf("%s in the last year: %s — %d", Plural(r.Counted, "appointment"), strings.Join(parts, ", "), *r.Score)
}

// Plural counts n of word: "1 note", "3 notes" (English plurals in s).
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// FeedbackQuestions are what to ask an unreliable contact, kindly.
func FeedbackQuestions() []string {
	return []string{
		"What could we do better?",
		"Is the time of day wrong for you?",
		"Would reminders, or a different day, help?",
	}
}

// FeedbackDue reports whether an unreliable contact should be asked for
// feedback: no feedback entry was logged after the latest no-show or late
// cancellation.
func FeedbackDue(r Reliability, journal []model.JournalEntry) bool {
	if !r.Unreliable {
		return false
	}
	for _, e := range journal {
		if e.Kind == model.KindFeedback && e.At.After(r.LastIncident) {
			return false
		}
	}
	return true
}

// EndOfDay is the last moment of d's calendar day in d's location, also on
// the days clocks change.
func EndOfDay(d time.Time) time.Time {
	return Day(d).AddDate(0, 0, 1).Add(-time.Nanosecond)
}
