package dav_test

import (
	"errors"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/dav/davtest"
)

func event(uid string, start time.Time) *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Rapport//test//EN")
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, uid)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, start)
	ev.Props.SetDateTime(ical.PropDateTimeStart, start)
	ev.Props.SetDateTime(ical.PropDateTimeEnd, start.Add(time.Hour))
	cal.Children = append(cal.Children, ev.Component)
	return cal
}

// TestCalendarConditionalWrites: only calendars that take events are
// listed; an event's writes carry the version read, as a card's do, and
// sync-collection names what changed since a token.
func TestCalendarConditionalWrites(t *testing.T) {
	srv := davtest.Start(t)
	srv.AddAddressBook(t, "contacts")
	cal := srv.AddCalendar(t, "shop")
	ctx := t.Context()
	c := dial(t, srv, srv.Password)

	cals, err := c.Calendars(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cals) != 1 || cals[0].Path != cal || cals[0].Name != "shop" {
		t.Fatalf("calendars %+v, want only %s", cals, cal)
	}
	_, _, token, ok, err := c.EventChanges(ctx, cal, "")
	if err != nil || !ok || token == "" {
		t.Fatalf("sync-collection of the empty calendar: token %q ok %v err %v", token, ok, err)
	}

	path := cal + "fitting.ics"
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	etag, err := c.PutEvent(ctx, path, event("fitting-1", start), "")
	if err != nil || etag == "" {
		t.Fatalf("new event: %q %v", etag, err)
	}
	if _, err := c.PutEvent(ctx, path, event("fitting-1", start), ""); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("creating it again: %v, want ErrConflict", err)
	}
	changed, _, next, ok, err := c.EventChanges(ctx, cal, token)
	if err != nil || !ok || changed[path] != etag || next == token {
		t.Fatalf("changes since the empty calendar: %v %q %v %v", changed, next, ok, err)
	}

	// The phone moves it: a write over the version read before is refused.
	srv.Put(t, path, "text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\nUID:fitting-1\r\n"+
		"DTSTAMP:20261124T080000Z\r\nDTSTART:20261201T110000Z\r\nDTEND:20261201T120000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	if _, err := c.PutEvent(ctx, path, event("fitting-1", start), etag); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("write over a moved event: %v, want ErrConflict", err)
	}
	evs, err := c.Events(ctx, cal, []string{path})
	if err != nil || len(evs) != 1 {
		t.Fatalf("read back: %v %v", evs, err)
	}
	got, err := evs[0].Cal.Events()[0].DateTimeStart(time.UTC)
	if err != nil || !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("the phone's event starts %v (%v)", got, err)
	}
	if err := c.DeleteEvent(ctx, path, etag); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("delete of a moved event: %v, want ErrConflict", err)
	}
	if err := c.DeleteEvent(ctx, path, evs[0].ETag); err != nil {
		t.Fatal(err)
	}
	_, deleted, _, _, err := c.EventChanges(ctx, cal, next)
	if err != nil || len(deleted) != 1 || deleted[0] != path {
		t.Fatalf("deleted since: %v %v", deleted, err)
	}
	if err := c.DeleteEvent(ctx, path, evs[0].ETag); !errors.Is(err, dav.ErrGone) {
		t.Fatalf("deleting it again: %v, want ErrGone", err)
	}
}
