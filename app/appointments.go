package app

import (
	"context"
	"errors"
	"fmt"
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
	Kind        string    // OutcomeOnTime, OutcomeLate…
	MinutesLate int       // for OutcomeLate
	CancelledAt time.Time // for OutcomeCancelled: when they called it off
	NewStart    time.Time // for OutcomeRescheduled: the new appointment
}

// RecordOutcome records how an appointment went. Rescheduling books the new
// appointment and links the old one to it, in one transaction.
func (s *Service) RecordOutcome(ctx context.Context, appointmentID int64, o Outcome) error {
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		a, err := tx.Appointment(ctx, appointmentID)
		if err != nil {
			return err
		}
		// An earlier "moved" booked a replacement: take it back unless it
		// has an outcome of its own, so that one appointment stays one.
		if a.RescheduledToID != nil {
			if old, err := tx.Appointment(ctx, *a.RescheduledToID); err == nil && old.Outcome == "" {
				if err := tx.DeleteAppointment(ctx, old.ID); err != nil {
					return err
				}
			}
		}
		a.Outcome, a.MinutesLate, a.CancelledAt, a.RescheduledToID = o.Kind, 0, nil, nil
		switch o.Kind {
		case OutcomeOnTime, OutcomeNoShow, OutcomeExcused, "":
		case OutcomeLate:
			if o.MinutesLate <= 0 {
				return errors.New("late by how many minutes?")
			}
			a.MinutesLate = o.MinutesLate
		case OutcomeCancelled:
			at := o.CancelledAt
			if at.IsZero() {
				at = s.now()
			}
			a.CancelledAt = &at
		case OutcomeRescheduled:
			if o.NewStart.IsZero() {
				return errors.New("rescheduled to when?")
			}
			next := &model.Appointment{ContactID: a.ContactID, Start: o.NewStart, Minutes: a.Minutes, Purpose: a.Purpose}
			if err := tx.SaveAppointment(ctx, next); err != nil {
				return err
			}
			a.RescheduledToID = &next.ID
		default:
			return fmt.Errorf("unknown outcome %q", o.Kind)
		}
		if err := ValidateAppointment(*a); err != nil {
			return err
		}
		if err := tx.SaveAppointment(ctx, a); err != nil {
			return err
		}
		// Kept up to date on write, in the same transaction.
		return s.over(tx).scoreContacts(ctx, []int64{a.ContactID}, s.now(), false)
	})
	if err != nil {
		return fmt.Errorf("record outcome of appointment %d: %w", appointmentID, err)
	}
	return nil
}

// AgendaDay is one day of appointments.
type AgendaDay struct {
	Day   time.Time
	Items []model.AgendaItem
}

// Agenda lists the appointments of today and the days ahead, grouped by
// day; days without appointments are left out.
func (s *Service) Agenda(ctx context.Context, days int) ([]AgendaDay, error) {
	today := day(s.now())
	items, err := s.store().Agenda(ctx, today, today.AddDate(0, 0, days))
	if err != nil {
		return nil, err
	}
	var out []AgendaDay
	for _, it := range items {
		d := day(it.Start.In(today.Location()))
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
	items, err := s.store().Agenda(ctx, day(now).AddDate(0, 0, -days), now)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if it.Outcome == "" {
			out = append(out, it)
		}
	}
	return out, nil
}

// UnreliableAmong says which of the given contacts are unreliable today,
// reading only their appointments of the last year (a page of the list).
func (s *Service) UnreliableAmong(ctx context.Context, contactIDs []int64) (map[int64]bool, error) {
	now := s.now()
	appts, err := s.store().AppointmentsOf(ctx, contactIDs, day(now).AddDate(0, 0, -366))
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
	appts, err := s.store().AppointmentsOf(ctx, ids, day(now).AddDate(0, 0, -366))
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
			if a.Outcome != "" && a.Start.After(now) && a.Start.Before(day(now).AddDate(0, 0, 1)) {
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
