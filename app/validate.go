package app

import (
	"fmt"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// The bounds of an appointment: a day at most, and late by no more than a
// day (later than that is a no-show, not a lateness).
const (
	maxAppointmentMinutes = 24 * 60
	maxMinutesLate        = 24 * 60
)

// validTime says whether t lies in years 1–9999, where adding an
// appointment's length cannot overflow and every format can write it.
func validTime(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// ValidateAppointment checks the values an appointment carries, whether the
// owner records them or a backup brings them: the one rule for both.
func ValidateAppointment(a model.Appointment) error {
	switch {
	case !validTime(a.Start):
		return fmt.Errorf("start %s: want a year from 1 to 9999", a.Start.Format(time.RFC3339))
	case a.Minutes < 1 || a.Minutes > maxAppointmentMinutes:
		return fmt.Errorf("minutes %d: want 1 to %d", a.Minutes, maxAppointmentMinutes)
	case !a.Outcome.Valid():
		return fmt.Errorf("outcome %q: want one of on_time, late, no_show, cancelled, rescheduled, excused or none", a.Outcome)
	case a.MinutesLate < 0 || a.MinutesLate > maxMinutesLate:
		return fmt.Errorf("minutes_late %d: want 0 to %d", a.MinutesLate, maxMinutesLate)
	case a.CancelledAt != nil && !validTime(*a.CancelledAt):
		return fmt.Errorf("cancelled_at %s: want a year from 1 to 9999", a.CancelledAt.Format(time.RFC3339))
	}
	return nil
}
