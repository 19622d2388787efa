package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// NewAppointment books an appointment with a contact.
func (s *Service) NewAppointment(ctx context.Context, contactID int64, start time.Time, minutes int, purpose string) (*model.Appointment, error) {
	if minutes <= 0 {
		return nil, errors.New("appointment: give it a length in minutes")
	}
	a := &model.Appointment{ContactID: contactID, Start: start, Minutes: minutes, Purpose: strings.TrimSpace(purpose)}
	if err := ValidateAppointment(*a); err != nil {
		return nil, fmt.Errorf("appointment: %w", err)
	}
	if err := s.store().SaveAppointment(ctx, a); err != nil {
		return nil, err
	}
	return a, s.scoreContacts(ctx, []int64{contactID}, s.now(), false)
}

// Outcome is how an appointment went, as the owner records it.
type Outcome struct {
	Kind        model.Outcome
	MinutesLate int       // for OutcomeLate
	CancelledAt time.Time // for OutcomeCancelled: when they called it off
	NewStart    time.Time // for OutcomeRescheduled: the new appointment
	NewMinutes  int       // for OutcomeRescheduled: its length, when not the old one's
	NewPurpose  string    // for OutcomeRescheduled: its purpose, when not the old one's
}

// ErrNotStarted refuses an outcome that only a started appointment can
// have (on time, late, no-show, excused): nobody can miss what lies ahead.
var ErrNotStarted = errors.New("the appointment has not started yet")

// needsStart says whether outcome kind can only be told once the appointment
// has started; a cancellation or a new time can be agreed ahead.
func needsStart(kind model.Outcome) bool {
	switch kind {
	case model.OutcomeOnTime, model.OutcomeLate, model.OutcomeNoShow, model.OutcomeExcused:
		return true
	}
	return false
}

// CanRecordAttendance says whether how a has gone can be recorded now.
func (s *Service) CanRecordAttendance(a model.Appointment) bool { return !a.Start.After(s.now()) }

// apptUndo is what takes an appointment change back: rows to put back as
// they were (deleted ones included, with their IDs), rows the change added.
type apptUndo struct {
	restore  []model.Appointment
	remove   []int64
	contacts []int64
}

func (u *apptUndo) keep(a model.Appointment) {
	u.restore = append(u.restore, a)
	u.contacts = append(u.contacts, a.ContactID)
}

// undo applies u in one transaction: added rows go first (unlinking what
// pointed at them), then the old rows come back, links included.
func (s *Service) undo(u apptUndo) Undo {
	return func(ctx context.Context) error {
		err := s.store().InTx(ctx, func(tx *model.Store) error {
			for _, id := range u.remove {
				if err := tx.DeleteAppointment(ctx, id); err != nil && !errors.Is(err, model.ErrNotFound) {
					return err
				}
			}
			// Replacements before the rows that link to them.
			rows := slices.Clone(u.restore)
			slices.SortStableFunc(rows, func(a, b model.Appointment) int {
				return cmpBool(a.RescheduledToID != nil, b.RescheduledToID != nil)
			})
			for i := range rows {
				if err := tx.SaveAppointment(ctx, &rows[i]); err != nil {
					return err
				}
			}
			return s.over(tx).scoreContacts(ctx, slices.Compact(slices.Sorted(slices.Values(u.contacts))), s.now(), false)
		})
		if err != nil {
			return fmt.Errorf("undo the appointment change: %w", err)
		}
		return nil
	}
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// RecordOutcome records how an appointment went. Rescheduling books the new
// appointment and links the old one to it, in one transaction.
func (s *Service) RecordOutcome(ctx context.Context, appointmentID int64, o Outcome) error {
	_, err := s.SetOutcome(ctx, appointmentID, o)
	return err
}

// SetOutcome records how an appointment went, like RecordOutcome, and
// returns what takes it back exactly: the old outcome, and the replacement
// a reschedule booked removed (or an earlier one it dropped restored).
func (s *Service) SetOutcome(ctx context.Context, appointmentID int64, o Outcome) (Undo, error) {
	var u apptUndo
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		a, err := tx.Appointment(ctx, appointmentID)
		if err != nil {
			return err
		}
		if needsStart(o.Kind) && !s.CanRecordAttendance(*a) {
			return fmt.Errorf("%s on %s: %w", outcomeWords(o.Kind), s.DateStyle().DateTime(a.Start.Local()), ErrNotStarted)
		}
		u.keep(*a)
		if err := takeBackReplacement(ctx, tx, a, &u); err != nil {
			return err
		}
		if err := s.applyOutcome(ctx, tx, a, o, &u); err != nil {
			return err
		}
		return s.saveScored(ctx, tx, a)
	})
	if err != nil {
		return nil, fmt.Errorf("record outcome of appointment %d: %w", appointmentID, err)
	}
	return s.undo(u), nil
}

// takeBackReplacement deletes the appointment an earlier "moved" booked in
// a's place, unless it has an outcome of its own, so that one appointment
// stays one.
func takeBackReplacement(ctx context.Context, tx *model.Store, a *model.Appointment, u *apptUndo) error {
	if a.RescheduledToID == nil {
		return nil
	}
	if old, err := tx.Appointment(ctx, *a.RescheduledToID); err == nil && old.Outcome == "" {
		if err := tx.DeleteAppointment(ctx, old.ID); err != nil {
			return err
		}
		u.keep(*old)
	}
	return nil
}

// applyOutcome sets o on a, in place of what a had; a move books the new
// time, which u then takes back.
func (s *Service) applyOutcome(ctx context.Context, tx *model.Store, a *model.Appointment, o Outcome, u *apptUndo) error {
	a.Outcome, a.MinutesLate, a.CancelledAt, a.RescheduledToID = o.Kind, 0, nil, nil
	switch o.Kind {
	case model.OutcomeOnTime, model.OutcomeNoShow, model.OutcomeExcused, "":
	case model.OutcomeLate:
		if o.MinutesLate <= 0 {
			return errors.New("late by how many minutes?")
		}
		a.MinutesLate = o.MinutesLate
	case model.OutcomeCancelled:
		at := o.CancelledAt
		if at.IsZero() {
			at = s.now()
		}
		a.CancelledAt = &at
	case model.OutcomeRescheduled:
		next, err := bookReplacement(ctx, tx, a, o)
		if err != nil {
			return err
		}
		a.RescheduledToID = &next.ID
		u.remove = append(u.remove, next.ID)
	default:
		return fmt.Errorf("unknown outcome %q", o.Kind)
	}
	return nil
}

// bookReplacement books the new time of a moved appointment, keeping a's
// length and purpose unless o gives others.
func bookReplacement(ctx context.Context, tx *model.Store, a *model.Appointment, o Outcome) (*model.Appointment, error) {
	if o.NewStart.IsZero() {
		return nil, errors.New("rescheduled to when?")
	}
	minutes, purpose := a.Minutes, a.Purpose
	if o.NewMinutes > 0 {
		minutes = o.NewMinutes
	}
	if o.NewPurpose != "" {
		purpose = strings.TrimSpace(o.NewPurpose)
	}
	next := &model.Appointment{ContactID: a.ContactID, Start: o.NewStart, Minutes: minutes, Purpose: purpose}
	if err := ValidateAppointment(*next); err != nil {
		return nil, err
	}
	if err := tx.SaveAppointment(ctx, next); err != nil {
		return nil, err
	}
	return next, nil
}

// saveScored writes an appointment in the transaction tx, refusing
// impossible values, and scores its contact again in the same transaction,
// so that the reliability shown is never behind the appointments.
func (s *Service) saveScored(ctx context.Context, tx *model.Store, a *model.Appointment) error {
	if err := ValidateAppointment(*a); err != nil {
		return err
	}
	if err := tx.SaveAppointment(ctx, a); err != nil {
		return err
	}
	return s.over(tx).scoreContacts(ctx, []int64{a.ContactID}, s.now(), false)
}

// outcomeWords names an outcome kind in words.
func outcomeWords(kind model.Outcome) string {
	switch kind {
	case model.OutcomeOnTime:
		return "on time"
	case model.OutcomeNoShow:
		return "no-show"
	case "":
		return "no outcome"
	}
	return string(kind)
}

// Reschedule moves an appointment: it books the new one (the same length
// and purpose unless given) and links the old one to it, marked
// rescheduled, in one transaction. It returns the new appointment's ID.
func (s *Service) Reschedule(ctx context.Context, id int64, start time.Time, minutes int, purpose string) (int64, Undo, error) {
	undo, err := s.SetOutcome(ctx, id, Outcome{Kind: model.OutcomeRescheduled, NewStart: start, NewMinutes: minutes, NewPurpose: purpose})
	if err != nil {
		return 0, nil, err
	}
	a, err := s.store().Appointment(ctx, id)
	if err != nil || a.RescheduledToID == nil {
		return 0, undo, fmt.Errorf("reschedule appointment %d: the new one is missing: %w", id, err)
	}
	return *a.RescheduledToID, undo, nil
}

// UpdateAppointment changes when an appointment is, how long and what for,
// keeping its outcome.
func (s *Service) UpdateAppointment(ctx context.Context, id int64, start time.Time, minutes int, purpose string) (Undo, error) {
	var u apptUndo
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		a, err := tx.Appointment(ctx, id)
		if err != nil {
			return err
		}
		u.keep(*a)
		a.Start, a.Minutes, a.Purpose = start, minutes, strings.TrimSpace(purpose)
		// A recorded attendance cannot move into the future.
		if needsStart(a.Outcome) && !s.CanRecordAttendance(*a) {
			return fmt.Errorf("%s on %s: %w", outcomeWords(a.Outcome), s.DateStyle().DateTime(a.Start.Local()), ErrNotStarted)
		}
		return s.saveScored(ctx, tx, a)
	})
	if err != nil {
		return nil, fmt.Errorf("change appointment %d: %w", id, err)
	}
	return s.undo(u), nil
}

// DeleteAppointment removes an appointment; the undo brings it back with its
// ID and the links of appointments that were moved to it.
func (s *Service) DeleteAppointment(ctx context.Context, id int64) (Undo, error) {
	var u apptUndo
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		a, err := tx.Appointment(ctx, id)
		if err != nil {
			return err
		}
		u.keep(*a)
		from, err := tx.RescheduledTo(ctx, id)
		if err != nil {
			return err
		}
		for _, f := range from {
			u.keep(f)
		}
		if err := tx.DeleteAppointment(ctx, id); err != nil {
			return err
		}
		return s.over(tx).scoreContacts(ctx, []int64{a.ContactID}, s.now(), false)
	})
	if err != nil {
		return nil, fmt.Errorf("delete appointment %d: %w", id, err)
	}
	return s.undo(u), nil
}

// Overlapping lists the appointments, with anyone, that would share time
// with one from start for minutes, other than exceptID: a double booking to
// flag before saving. Cancelled and moved ones no longer hold their time.
func (s *Service) Overlapping(ctx context.Context, start time.Time, minutes int, exceptID int64) ([]model.AgendaItem, error) {
	items, err := s.store().Overlapping(ctx, start, start.Add(time.Duration(minutes)*time.Minute), exceptID)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if it.Outcome != model.OutcomeCancelled && it.Outcome != model.OutcomeRescheduled {
			out = append(out, it)
		}
	}
	return out, nil
}

// Week is the appointments of one week, every day present (empty days
// too), and the past appointments still without an outcome.
type Week struct {
	Start        time.Time // the week's first day: a Monday, or a Sunday where the locale says
	Days         [7]AgendaDay
	NeedsOutcome []model.AgendaItem // the latest 50, latest first
	Unrecorded   int64              // how many need an outcome in all
}

// needsOutcomeDays is how far back the week view looks for appointments
// whose outcome was never recorded.
const needsOutcomeDays = 60

// Week reads the week beginning on first that holds the day on, and the
// appointments of the last 60 days that need an outcome.
func (s *Service) Week(ctx context.Context, on time.Time, first time.Weekday) (*Week, error) {
	w := &Week{Start: WeekStart(on, first)}
	for i := range w.Days {
		w.Days[i].Day = w.Start.AddDate(0, 0, i)
	}
	items, err := s.store().Agenda(ctx, w.Start, w.Start.AddDate(0, 0, 7))
	if err != nil {
		return nil, fmt.Errorf("week of %s: %w", w.Start.Format(time.DateOnly), err)
	}
	for _, it := range items {
		i := int(Day(it.Start.In(w.Start.Location())).Sub(w.Start).Hours()+12) / 24 // +12 h absorbs DST days
		if i >= 0 && i < 7 {
			w.Days[i].Items = append(w.Days[i].Items, it)
		}
	}
	now := s.now()
	if w.NeedsOutcome, w.Unrecorded, err = s.store().Unrecorded(ctx, Day(now).AddDate(0, 0, -needsOutcomeDays), now, maxUnrecorded); err != nil {
		return nil, fmt.Errorf("week of %s: %w", w.Start.Format(time.DateOnly), err)
	}
	return w, nil
}

// AgendaDay is one day of appointments.
type AgendaDay struct {
	Day   time.Time
	Items []model.AgendaItem
}

// Agenda lists the appointments of today and the days ahead, grouped by
// day; days without appointments are left out.
func (s *Service) Agenda(ctx context.Context, days int) ([]AgendaDay, error) {
	today := Day(s.now())
	items, err := s.store().Agenda(ctx, today, today.AddDate(0, 0, days))
	if err != nil {
		return nil, err
	}
	var out []AgendaDay
	for _, it := range items {
		d := Day(it.Start.In(today.Location()))
		if len(out) == 0 || !out[len(out)-1].Day.Equal(d) {
			out = append(out, AgendaDay{Day: d})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out, nil
}

// Unrecorded lists the appointments of the last `days` days, up to now,
// whose outcome was never recorded: the owner forgot, and the score cannot
// count them until told.
func (s *Service) Unrecorded(ctx context.Context, days int) ([]model.AgendaItem, error) {
	now := s.now()
	items, _, err := s.store().Unrecorded(ctx, Day(now).AddDate(0, 0, -days), now, maxUnrecorded)
	slices.Reverse(items)
	return items, err
}

// maxUnrecorded is how many appointments without an outcome a view lists:
// the latest; a shop that stopped recording long ago sees the count.
const maxUnrecorded = 50

// UnreliableAmong says which of the given contacts are unreliable today,
// reading only their appointments of the last year (a page of the list).
func (s *Service) UnreliableAmong(ctx context.Context, contactIDs []int64) (map[int64]bool, error) {
	now := s.now()
	appts, err := s.store().AppointmentsOf(ctx, contactIDs, Day(now).AddDate(0, 0, -366))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(appts))
	for id, list := range appts {
		if ReliabilityOf(list, now, s.Rules()).Unreliable {
			out[id] = true
		}
	}
	return out, nil
}

// reliabilityPage is how many contacts a refresh scores per transaction.
const reliabilityPage = 1000

// RefreshReliability brings every contact's kept reliability up to today,
// scoring those whose row is of an earlier day (once a day, or after an
// import) a page at a time; progress, when set, is told how far it got.
func (s *Service) RefreshReliability(ctx context.Context, progress func(done, total int)) error {
	now := s.now()
	today := now.Format(time.DateOnly)
	stale, err := s.store().StaleReliability(ctx, today, now, s.noticeMinutes())
	if err != nil {
		return fmt.Errorf("refresh reliability: %w", err)
	}
	for start := 0; start < len(stale); start += reliabilityPage {
		if err := ctx.Err(); err != nil {
			return err
		}
		ids := stale[start:min(start+reliabilityPage, len(stale))]
		if err := s.scoreContacts(ctx, ids, now, true); err != nil {
			return fmt.Errorf("refresh reliability: %w", err)
		}
		if progress != nil {
			progress(start+len(ids), len(stale))
		}
	}
	return nil
}

// scoreContacts scores the given contacts as of now and keeps the result;
// onlyStale keeps rows already written today under the same rule (see
// model.SaveReliabilities).
func (s *Service) scoreContacts(ctx context.Context, ids []int64, now time.Time, onlyStale bool) error {
	appts, err := s.store().AppointmentsOf(ctx, ids, Day(now).AddDate(0, 0, -366))
	if err != nil {
		return err
	}
	rows := make([]model.ReliabilityRow, len(ids))
	for i, id := range ids {
		r := ReliabilityOf(appts[id], now, s.Rules())
		rows[i] = model.ReliabilityRow{ContactID: id, Day: now.Format(time.DateOnly), Score: r.Score,
			Counted: r.Counted, Unreliable: r.Unreliable, Summary: r.Summary, NoticeMinutes: s.noticeMinutes(), ScoredAt: now}
		if !r.LastIncident.IsZero() {
			at := r.LastIncident.UTC()
			rows[i].LastIncident = &at
		}
		// An outcome already recorded for an appointment later today
		// counts once it has started: the row holds until then.
		for _, a := range appts[id] {
			if a.Outcome != "" && a.Start.After(now) && a.Start.Before(Day(now).AddDate(0, 0, 1)) {
				if rows[i].ValidUntil == nil || a.Start.Before(*rows[i].ValidUntil) {
					until := a.Start.UTC()
					rows[i].ValidUntil = &until
				}
			}
		}
	}
	return s.store().SaveReliabilities(ctx, rows, onlyStale)
}

func (s *Service) noticeMinutes() int { return int(s.Rules().NoticeWindow.Minutes()) }

// UnreliableContacts lists every unreliable contact as of today, bringing
// the kept scores up to date first.
func (s *Service) UnreliableContacts(ctx context.Context) ([]int64, error) {
	if err := s.RefreshReliability(ctx, nil); err != nil {
		return nil, err
	}
	return s.store().UnreliableIDs(ctx, s.now().Format(time.DateOnly))
}

// splitAppointments parts appts (in time order) into those not over yet,
// soonest first, and those over, latest first.
func splitAppointments(appts []model.Appointment, now time.Time) (ahead, past []model.Appointment) {
	for _, a := range appts {
		if a.Start.Add(time.Duration(a.Minutes) * time.Minute).After(now) {
			ahead = append(ahead, a)
		} else {
			past = append(past, a)
		}
	}
	slices.Reverse(past)
	return ahead, past
}
