package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"
)

// ExportICS writes the upcoming appointments (from now on, a year ahead)
// as iCalendar for Google Calendar, Apple Calendar and Thunderbird: times in
// UTC, CR LF line endings, the contact's name in each event's summary.
// Appointments with an outcome (cancelled, moved, or already recorded) are
// left out.
func (s *Service) ExportICS(ctx context.Context, w io.Writer) error {
	now := s.now()
	items, err := s.store().Agenda(ctx, now, day(now).AddDate(1, 0, 0))
	if err != nil {
		return fmt.Errorf("export calendar: %w", err)
	}
	cal := ics.NewCalendar()
	cal.SetProductId("-//Rapport//Rapport appointments//EN")
	cal.SetMethod(ics.MethodPublish)
	stamp := s.now().UTC()
	for _, it := range items {
		if it.Outcome != "" {
			continue
		}
		// A stable UID lets a calendar update the event on a second import.
		ev := cal.AddEvent("rapport-appointment-" + strconv.FormatInt(it.ID, 10) + "@rapport.local")
		ev.SetDtStampTime(stamp)
		ev.SetStartAt(it.Start.UTC())
		ev.SetEndAt(it.Start.Add(time.Duration(it.Minutes) * time.Minute).UTC())
		summary := it.ContactName
		if it.Purpose != "" {
			summary += ": " + it.Purpose
		}
		ev.SetSummary(summary)
	}
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("export calendar: %w", err)
	}
	return nil
}
