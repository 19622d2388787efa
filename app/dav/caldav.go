package dav

import (
	"context"
	"errors"
	"path"
	"slices"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"
	"github.com/emersion/go-webdav/carddav"
)

// Event is one calendar object on the server, with the ETag it was read at.
type Event struct {
	Path string
	ETag string
	Cal  *ical.Calendar
}

// calendars is the CalDAV client over the same conditional HTTP client as
// the cards: made on first use, as most syncs have no calendar.
func (c *Client) calendars() (*caldav.Client, error) {
	if c.cal != nil {
		return c.cal, nil
	}
	cc, err := caldav.NewClient(c.http, c.base.String())
	if err != nil {
		return nil, err
	}
	c.cal = cc
	return cc, nil
}

// Calendars lists the user's calendars that hold events (a calendar only
// of tasks cannot take appointments).
func (c *Client) Calendars(ctx context.Context) ([]Collection, error) {
	cc, err := c.calendars()
	if err != nil {
		return nil, err
	}
	principal, err := cc.FindCurrentUserPrincipal(ctx)
	if err != nil {
		return nil, c.explain("find the user", err)
	}
	home, err := cc.FindCalendarHomeSet(ctx, principal)
	if err != nil {
		return nil, c.explain("find the calendars", err)
	}
	cals, err := cc.FindCalendars(ctx, home)
	if err != nil {
		return nil, c.explain("list the calendars", err)
	}
	out := make([]Collection, 0, len(cals))
	for _, k := range cals {
		// No component set said means any (RFC 4791 5.2.3).
		if len(k.SupportedComponentSet) > 0 && !slices.ContainsFunc(k.SupportedComponentSet, func(s string) bool {
			return strings.EqualFold(s, ical.CompEvent)
		}) {
			continue
		}
		name := k.Name
		if name == "" {
			name = path.Base(strings.TrimSuffix(k.Path, "/"))
		}
		out = append(out, Collection{Path: k.Path, Name: name})
	}
	return out, nil
}

// EventChanges asks the server what changed in a calendar since token
// (RFC 6578; "" for everything); ok is false where the server does not
// support it or forgot the token, and the caller compares ETags. A
// sync-collection REPORT is plain WebDAV: go-webdav's CalDAV client lacks
// it, and its CardDAV one's asks for the ETags this needs (the address-data
// it asks for too a calendar leaves out).
func (c *Client) EventChanges(ctx context.Context, calendar, token string) (changed map[string]string, deleted []string, next string, ok bool, err error) {
	resp, err := c.cards.SyncCollection(ctx, calendar, &carddav.SyncQuery{SyncToken: token})
	if err != nil {
		if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrUnreachable) {
			return nil, nil, "", false, c.explain("ask "+calendar+" what changed", err)
		}
		return nil, nil, "", false, nil
	}
	changed = make(map[string]string, len(resp.Updated))
	for _, o := range resp.Updated {
		changed[o.Path] = bareETag(o.ETag)
	}
	return changed, resp.Deleted, resp.SyncToken, true, nil
}

// Events reads the events at paths (one multiget REPORT per 200); an event
// no longer there is left out.
func (c *Client) Events(ctx context.Context, calendar string, paths []string) ([]Event, error) {
	cc, err := c.calendars()
	if err != nil {
		return nil, err
	}
	var out []Event
	for start := 0; start < len(paths); start += 200 {
		objs, err := cc.MultiGetCalendar(ctx, calendar, &caldav.CalendarMultiGet{
			Paths:       paths[start:min(start+200, len(paths))],
			CompRequest: caldav.CalendarCompRequest{Name: ical.CompCalendar, AllProps: true, AllComps: true},
		})
		if err != nil {
			return out, c.explain("read events of "+calendar, err)
		}
		for _, o := range objs {
			out = append(out, Event{Path: o.Path, ETag: bareETag(o.ETag), Cal: o.Data})
		}
	}
	return out, nil
}

// PutEvent writes an event. With etag it replaces the event only if the
// server still holds that version (else ErrConflict); without, it creates
// it only if path is free. It returns the new ETag, "" if the server did
// not say.
func (c *Client) PutEvent(ctx context.Context, path string, cal *ical.Calendar, etag string) (string, error) {
	cc, err := c.calendars()
	if err != nil {
		return "", err
	}
	obj, err := cc.PutCalendarObject(withPrecondition(ctx, etag), path, cal)
	if err != nil {
		return "", c.explain("write "+path, err)
	}
	return bareETag(obj.ETag), nil
}

// DeleteEvent removes an event if the server still holds the version etag
// (else ErrConflict); an event already gone is ErrGone. Cards and events
// are deleted alike.
func (c *Client) DeleteEvent(ctx context.Context, path, etag string) error {
	return c.Delete(ctx, path, etag)
}
