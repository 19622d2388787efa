package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
)

// icsText keeps line breaks as LF (which golang-ical writes as \n) and
// drops every other control character.
func icsText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n"), "\r", "\n")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
}

// ExportICS writes the upcoming appointments (from now on, a year ahead)
// as iCalendar for Google Calendar, Apple Calendar and Thunderbird: times in
// UTC, CR LF line endings, the contact's name in each event's summary.
// Appointments with an outcome (cancelled, moved, or already recorded) are
// left out.
func (s *Service) ExportICS(ctx context.Context, w io.Writer) error {
	now := s.now()
	items, err := s.store().Agenda(ctx, now, Day(now).AddDate(1, 0, 0))
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
		summary := OneLine(it.ContactName)
		if it.Purpose != "" {
			summary += ": " + icsText(it.Purpose)
		}
		// golang-ical escapes TEXT (\ ; , and LF as \n, RFC 5545 3.3.11) and
		// folds at 75 octets; a CR or another control character it would
		// write as it is, so none reaches it.
		ev.SetSummary(summary)
	}
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("export calendar: %w", err)
	}
	return nil
}
