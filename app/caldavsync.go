package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/model"
)

// The phone's calendar: appointments of contacts whose card is on the phone
// go to the calendar the owner chose as events Rapport made (its UID and
// path are the appointment's), and a new time or length given to such an
// event on the phone comes back as the appointment moved. Events on the
// phone that Rapport did not make are left alone: importing them (with
// which contact?) is not done here.

const (
	settingSyncCalendar = "sync.calendar"
	settingSyncCalToken = "sync.calendar.token"
)

// calendarPastDays bounds how far back an appointment not on the phone yet
// is put there: the phone's calendar is for what is coming, and years of
// past appointments would flood it. Events already there are kept in step
// however old.
const calendarPastDays = 30

// PhoneCalendars connects with the account and lists its calendars that
// take events, for the owner to pick one.
func (s *Service) PhoneCalendars(ctx context.Context, acct dav.Account) ([]dav.Collection, error) {
	c, err := dav.Dial(ctx, acct)
	if err != nil {
		return nil, err
	}
	return c.Calendars(ctx)
}

// eventUID is an appointment's event UID, the one the ICS export gives it
// too, so that a calendar holding both knows them for one.
func eventUID(id int64) string {
	return "rapport-appointment-" + strconv.FormatInt(id, 10) + "@rapport.local"
}

// eventPath is where an appointment's event goes in calendar.
func eventPath(calendar string, id int64) string {
	return calendar + "rapport-appointment-" + strconv.FormatInt(id, 10) + ".ics"
}

// eventFor is the event the phone gets of an appointment: its time in UTC,
// "Purpose – Contact name", cancelled once cancelled or moved to another
// appointment (the time is no longer held).
func eventFor(a model.AgendaItem) *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Rapport//Rapport appointments//EN")
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, eventUID(a.ID))
	// DTSTAMP is when the appointment last changed here, not now: written
	// again unchanged, the event reads the same on the phone.
	ev.Props.SetDateTime(ical.PropDateTimeStamp, a.UpdatedAt.UTC().Truncate(time.Second))
	ev.Props.SetDateTime(ical.PropDateTimeStart, a.Start.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeEnd, a.Start.Add(time.Duration(a.Minutes)*time.Minute).UTC())
	ev.Props.SetText(ical.PropSummary, eventSummary(a))
	if noLongerHeld(a.Appointment) {
		ev.SetStatus(ical.EventCancelled)
	}
	cal.Children = append(cal.Children, ev.Component)
	return cal
}

// noLongerHeld: the appointment was cancelled or moved to another.
func noLongerHeld(a model.Appointment) bool {
	return a.CancelledAt != nil || a.RescheduledToID != nil || a.Outcome == model.OutcomeCancelled || a.Outcome == model.OutcomeRescheduled
}

func eventSummary(a model.AgendaItem) string {
	name := OneLine(a.ContactName)
	if p := OneLine(icsText(a.Purpose)); p != "" {
		return p + " – " + name
	}
	return name
}

// eventHash is what the sync compares an appointment by: the fields the
// phone's event holds (not DTSTAMP, which moves with any edit here).
func eventHash(a model.AgendaItem) string {
	return hashOf([]byte(strings.Join([]string{eventUID(a.ID), eventSummary(a), a.Start.UTC().Format(time.RFC3339),
		strconv.Itoa(a.Minutes), strconv.FormatBool(noLongerHeld(a.Appointment))}, "\n")))
}

// phoneTime is the start and length of the (first) event of a calendar
// object as the phone has it.
func phoneTime(cal *ical.Calendar) (time.Time, int, error) {
	if cal == nil {
		return time.Time{}, 0, errors.New("no calendar data")
	}
	evs := cal.Events()
	if len(evs) == 0 {
		return time.Time{}, 0, errors.New("no event in it")
	}
	start, err := evs[0].DateTimeStart(time.Local)
	if err != nil {
		return time.Time{}, 0, err
	}
	end, err := evs[0].DateTimeEnd(time.Local)
	if err != nil {
		return time.Time{}, 0, err
	}
	minutes := int(end.Sub(start) / time.Minute)
	if minutes < 1 {
		return time.Time{}, 0, fmt.Errorf("it ends %s, before it starts", end.Format(time.RFC3339))
	}
	return start.UTC(), minutes, nil
}

// calendarSync is the calendar's part of one SyncPhone run.
type calendarSync struct {
	p      *phoneSync
	cal    string
	events map[string]model.DavEvent  // by href
	byAppt map[int64]model.DavEvent   // by appointment
	appts  map[int64]model.AgendaItem // the appointments compared
	order  []int64                    // appointments by start
	skip   map[string]bool            // hrefs taken from the phone or asked about this run
	etags  map[string]string          // the calendar's ETags, when read
}

// syncCalendar compares the chosen calendar with the appointments: what
// the phone changed comes back, what changed here goes there, what changed
// on both sides and deletions on either side are asked about.
func (p *phoneSync) syncCalendar(ctx context.Context, calendar string, progress func(string)) error {
	st := p.s.store()
	c, err := p.newCalendarSync(ctx, calendar)
	if err != nil {
		return err
	}
	tokens, err := st.Settings(ctx, settingSyncCalToken)
	if err != nil {
		return err
	}
	progress("Asking the phone's calendar what changed")
	changed, deleted, next, err := c.remoteChanges(ctx, tokens[settingSyncCalToken])
	if errors.Is(err, dav.ErrNotDAV) {
		return fmt.Errorf("the calendar %s is not on the server (any more): choose another, or none (rapport sync --calendar list): %w", calendar, err)
	}
	if err != nil {
		return err
	}
	for href, etag := range changed {
		// What this program wrote comes back as a change; an event it
		// did not make is not Rapport's to change.
		if e, ok := c.events[href]; !ok || e.ETag == etag {
			delete(changed, href)
		}
	}
	if err := c.fromPhone(ctx, changed, progress); err != nil {
		return err
	}
	if err := c.phoneDeletions(ctx, deleted); err != nil {
		return err
	}
	if err := c.toPhone(ctx, progress); err != nil {
		return err
	}
	if err := c.deletedHere(ctx); err != nil {
		return err
	}
	if !p.opts.DryRun && next != "" {
		return st.SetSetting(ctx, settingSyncCalToken, next)
	}
	return nil
}

// newCalendarSync loads what the calendar sync compares: the events
// linked to calendar and the appointments from calendarPastDays ago on.
func (p *phoneSync) newCalendarSync(ctx context.Context, calendar string) (*calendarSync, error) {
	st := p.s.store()
	c := &calendarSync{p: p, cal: calendar, byAppt: map[int64]model.DavEvent{}, appts: map[int64]model.AgendaItem{}, skip: map[string]bool{}}
	var err error
	if c.events, err = st.DavEvents(ctx); err != nil {
		return nil, err
	}
	for href, e := range c.events {
		// Links to another calendar (one chosen before) wait until it is
		// chosen again: this one gets every appointment as new.
		if !strings.HasPrefix(href, calendar) && !model.IsForgottenHref(href) {
			delete(c.events, href)
			continue
		}
		if e.AppointmentID != 0 {
			c.byAppt[e.AppointmentID] = e
		}
	}
	items, err := st.CalendarAppointments(ctx, p.s.now().AddDate(0, 0, -calendarPastDays))
	if err != nil {
		return nil, err
	}
	for _, a := range items {
		c.appts[a.ID] = a
		c.order = append(c.order, a.ID)
	}
	return c, nil
}

// remoteChanges is phoneSync.remoteChanges for the calendar: by
// sync-collection where the server keeps tokens, else by ETags.
func (c *calendarSync) remoteChanges(ctx context.Context, token string) (map[string]string, []string, string, error) {
	changed, deleted, next, ok, err := c.p.client.EventChanges(ctx, c.cal, token)
	if err != nil {
		return nil, nil, "", err
	}
	if ok {
		return changed, deleted, next, nil
	}
	etags, err := c.calendarETags(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	changed = map[string]string{}
	for href, etag := range etags {
		if c.events[href].ETag != etag {
			changed[href] = etag
		}
	}
	deleted = nil
	for href := range c.events {
		if _, there := etags[href]; !there && !model.IsForgottenHref(href) {
			deleted = append(deleted, href)
		}
	}
	slices.Sort(deleted)
	return changed, deleted, "", nil
}

func (c *calendarSync) calendarETags(ctx context.Context) (map[string]string, error) {
	if c.etags == nil {
		etags, err := c.p.client.ETags(ctx, c.cal)
		if err != nil {
			return nil, err
		}
		c.etags = etags
	}
	return c.etags, nil
}

// fromPhone reads the events of Rapport's the phone changed: an appointment
// not changed here takes the event's time and length; one changed here too
// is a conflict, neither side written.
func (c *calendarSync) fromPhone(ctx context.Context, changed map[string]string, progress func(string)) error {
	if len(changed) == 0 {
		return nil
	}
	hrefs := make([]string, 0, len(changed))
	for href := range changed {
		hrefs = append(hrefs, href)
	}
	slices.Sort(hrefs)
	progress(fmt.Sprintf("Reading %s from the phone's calendar", Plural(len(hrefs), "event")))
	evs, err := c.p.client.Events(ctx, c.cal, hrefs)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		e := c.events[ev.Path]
		c.skip[ev.Path] = true
		if e.PhoneDeletedAt != nil {
			// Back at the path of one the phone deleted: no longer asked.
			if !c.p.opts.DryRun {
				if err := c.p.s.store().UnmarkEventDeletedOnPhone(ctx, ev.Path); err != nil {
					return err
				}
			}
			e.PhoneDeletedAt = nil
			c.events[ev.Path] = e
			c.byAppt[e.AppointmentID] = e
		}
		if e.AppointmentID == 0 {
			continue // deleted here, asked about below
		}
		a, ok := c.appts[e.AppointmentID]
		if !ok {
			continue
		}
		if eventHash(a) != e.SyncedHash {
			c.conflict(a, ev.Path)
			continue
		}
		if err := c.p.s.takeEventTime(ctx, c.p, a, ev); err != nil {
			return err
		}
	}
	return nil
}

func (c *calendarSync) conflict(a model.AgendaItem, href string) {
	name := eventSummary(a)
	c.p.report.Conflicts = append(c.p.report.Conflicts, SyncItem{Event: true, ContactID: a.ContactID, AppointmentID: a.ID, Name: name, Href: href})
	c.p.report.say("appointment changed on both sides: %s (neither side written; rapport sync --keep phone|mine %s)", name, href)
}

// takeEventTime moves an appointment to the time and length its event has
// on the phone, and records that both agree, in one transaction; the
// contact's journal is not touched. An event whose time Rapport cannot take
// is said and left for the next sync.
func (s *Service) takeEventTime(ctx context.Context, p *phoneSync, a model.AgendaItem, ev dav.Event) error {
	start, minutes, err := phoneTime(ev.Cal)
	if err == nil && needsStart(a.Outcome) && start.After(s.now()) {
		err = fmt.Errorf("%s is recorded, and it would start in the future: %w", outcomeWords(a.Outcome), ErrNotStarted)
	}
	if err == nil {
		moved := a.Appointment
		moved.Start, moved.Minutes = start, minutes
		err = ValidateAppointment(moved)
	}
	if err != nil {
		p.report.say("left out from the phone's calendar: %s (%v)", eventSummary(a), err)
		return nil
	}
	name := eventSummary(a)
	same := a.Start.Equal(start) && a.Minutes == minutes
	if !same {
		p.report.EventsFromPhoneMoved++
		p.report.say("moved on the phone: %s, now %s for %d minutes", name, s.DateStyle().DateTime(start.Local()), minutes)
	}
	if p.opts.DryRun {
		return nil
	}
	err = s.store().InTx(ctx, func(tx *model.Store) error {
		cur, err := tx.Appointment(ctx, a.ID)
		if err != nil {
			return err
		}
		if !same {
			cur.Start, cur.Minutes = start, minutes
			if err := s.saveScored(ctx, tx, cur); err != nil {
				return err
			}
		}
		now := a
		now.Appointment = *cur
		return tx.SaveDavEvent(ctx, model.DavEvent{AppointmentID: a.ID, Href: ev.Path, ETag: ev.ETag, SyncedHash: eventHash(now)})
	})
	if err != nil {
		return fmt.Errorf("move %s as on the phone: %w", name, err)
	}
	return nil
}

// phoneDeletions marks the events of appointments still here that the
// phone deleted, and lists every one marked (this sync's and earlier
// ones'): nothing is deleted here without the owner's word.
func (c *calendarSync) phoneDeletions(ctx context.Context, deleted []string) error {
	st := c.p.s.store()
	now := time.Now().UTC()
	for _, href := range deleted {
		e, ok := c.events[href]
		switch {
		case !ok:
			continue
		case e.AppointmentID == 0:
			// Gone on both sides: nothing to ask.
			if !c.p.opts.DryRun {
				if err := st.DeleteDavEvent(ctx, href); err != nil {
					return err
				}
			}
			delete(c.events, href)
		case e.PhoneDeletedAt == nil:
			if !c.p.opts.DryRun {
				if err := st.MarkEventDeletedOnPhone(ctx, href, now); err != nil {
					return err
				}
			}
			e.PhoneDeletedAt = &now
			c.events[href] = e
			c.byAppt[e.AppointmentID] = e
		}
	}
	var marked []string
	for href, e := range c.events {
		if e.AppointmentID != 0 && e.PhoneDeletedAt != nil {
			marked = append(marked, href)
		}
	}
	slices.Sort(marked)
	for _, href := range marked {
		e := c.events[href]
		a, ok := c.appts[e.AppointmentID]
		if !ok {
			continue
		}
		name := eventSummary(a)
		c.p.report.DeletedOnPhone = append(c.p.report.DeletedOnPhone, SyncItem{Event: true, ContactID: a.ContactID, AppointmentID: a.ID, Name: name, Href: href})
		c.p.report.say("appointment deleted on the phone: %s (kept here until you decide: rapport sync --delete or --undelete %s)", name, href)
	}
	return nil
}

// toPhone writes the appointments new or changed here since the last sync,
// each over the version last read; one changed on the phone meanwhile is a
// conflict.
func (c *calendarSync) toPhone(ctx context.Context, progress func(string)) error {
	said := false
	for _, id := range c.order {
		a := c.appts[id]
		e, linked := c.byAppt[id]
		switch {
		case linked && (e.PhoneDeletedAt != nil || c.skip[e.Href]):
			continue // asked about, or just taken from the phone
		case linked && eventHash(a) == e.SyncedHash:
			continue
		case !linked && noLongerHeld(a.Appointment):
			continue // no time to hold on the phone
		}
		if !said {
			progress("Writing appointments to the phone's calendar")
			said = true
		}
		href, etag := eventPath(c.cal, id), ""
		if linked {
			href, etag = e.Href, e.ETag
		}
		if err := c.write(ctx, a, href, etag); err != nil {
			return err
		}
	}
	return nil
}

// write puts an appointment's event on the phone: new (etag "") or over the
// version last read.
func (c *calendarSync) write(ctx context.Context, a model.AgendaItem, href, etag string) error {
	p := c.p
	name := eventSummary(a)
	done := func() {
		if etag == "" {
			p.report.EventsToPhoneAdded++
			p.report.say("new in the phone's calendar: %s, %s", name, p.s.DateStyle().DateTime(a.Start.Local()))
		} else {
			p.report.EventsToPhoneUpdated++
			p.report.say("updated in the phone's calendar: %s, %s", name, p.s.DateStyle().DateTime(a.Start.Local()))
		}
	}
	if p.opts.DryRun {
		done()
		return nil
	}
	newTag, err := p.client.PutEvent(ctx, href, eventFor(a), etag)
	if errors.Is(err, dav.ErrConflict) && etag == "" {
		var found string
		if found, err = c.adopt(ctx, a, href); err != nil {
			return err
		}
		if found != "" {
			newTag, err = p.client.PutEvent(ctx, href, eventFor(a), found)
		} else {
			err = dav.ErrConflict
		}
	}
	if errors.Is(err, dav.ErrConflict) {
		c.conflict(a, href)
		return nil
	}
	var rejected *dav.RejectedError
	if errors.As(err, &rejected) {
		p.report.Refused = append(p.report.Refused, SyncItem{Event: true, ContactID: a.ContactID, AppointmentID: a.ID, Name: name, Href: href})
		p.report.say("not in the phone's calendar: the server refused %s (%s); the next sync tries again", name, OneLine(rejected.Error()))
		return nil
	}
	if err != nil {
		return err
	}
	done()
	if newTag == "" {
		c.etags = nil // read again: it holds this event now
		tags, err := c.calendarETags(ctx)
		if err != nil {
			return err
		}
		newTag = tags[href]
	}
	return p.s.store().SaveDavEvent(ctx, model.DavEvent{AppointmentID: a.ID, Href: href, ETag: newTag, SyncedHash: eventHash(a)})
}

// adopt looks at the event found at the path of an appointment new to the
// phone: one an earlier sync stored without its answer (or the link's
// record) arriving. Rapport's own event, still at the appointment's time
// (the phone changed nothing Rapport takes back), gives its ETag, to write
// over only that version; any other gives "", and is a conflict.
func (c *calendarSync) adopt(ctx context.Context, a model.AgendaItem, href string) (string, error) {
	evs, err := c.p.client.Events(ctx, c.cal, []string{href})
	if err != nil || len(evs) != 1 || evs[0].Cal == nil {
		return "", err
	}
	list := evs[0].Cal.Events()
	if len(list) == 0 {
		return "", nil
	}
	uid, _ := list[0].Props.Text(ical.PropUID)
	start, minutes, err := phoneTime(evs[0].Cal)
	if uid != eventUID(a.ID) || err != nil || !start.Equal(a.Start) || minutes != a.Minutes {
		return "", nil
	}
	return evs[0].ETag, nil
}

// deletedHere lists the events still on the phone whose appointment was
// deleted (or whose contact was forgotten) here; an event gone from the
// phone too leaves nothing to ask.
func (c *calendarSync) deletedHere(ctx context.Context) error {
	var keys []string
	for href, e := range c.events {
		if e.AppointmentID == 0 {
			keys = append(keys, href)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	etags, err := c.calendarETags(ctx)
	if err != nil {
		return err
	}
	for _, key := range keys {
		path := eventPathOf(key, etags)
		if path == "" {
			if !c.p.opts.DryRun {
				if err := c.p.s.store().DeleteDavEvent(ctx, key); err != nil {
					return err
				}
			}
			delete(c.events, key)
			continue
		}
		name := "an appointment of a forgotten contact"
		if !model.IsForgottenHref(key) {
			name = path
			if evs, err := c.p.client.Events(ctx, c.cal, []string{path}); err == nil && len(evs) == 1 {
				name = eventName(evs[0])
			}
		}
		c.p.report.DeletedHere = append(c.p.report.DeletedHere, SyncItem{Event: true, Name: name, Href: key})
		c.p.report.say("appointment deleted here, still in the phone's calendar: %s (kept there until you decide: rapport sync --delete or --undelete %s)", name, key)
	}
	return nil
}

// eventPathOf is the path of the event a link names, "" when the calendar
// (its ETags given) holds none: a forgotten contact's link names it by a
// hash of its path.
func eventPathOf(key string, etags map[string]string) string {
	if !model.IsForgottenHref(key) {
		if _, ok := etags[key]; ok {
			return key
		}
		return ""
	}
	for p := range etags {
		if model.ForgottenHref(p) == key {
			return p
		}
	}
	return ""
}

func eventName(ev dav.Event) string {
	if ev.Cal != nil {
		if evs := ev.Cal.Events(); len(evs) > 0 {
			if s, err := evs[0].Props.Text(ical.PropSummary); err == nil && strings.TrimSpace(s) != "" {
				return OneLine(s)
			}
		}
	}
	return ev.Path
}

// eventConflict is an appointment changed on both sides, as each side has
// it now.
type eventConflict struct {
	run   *phoneSync
	cal   string // the calendar's path
	link  model.DavEvent
	appt  model.AgendaItem
	phone dav.Event // the event as the phone has it, just read
}

// eventConflictAt reads the phone's event at href of an appointment here;
// ok is false when href is no event Rapport keeps in step.
func (s *Service) eventConflictAt(ctx context.Context, password, href string) (*eventConflict, bool, error) {
	events, err := s.store().DavEvents(ctx)
	if err != nil {
		return nil, false, err
	}
	e, ok := events[href]
	if !ok {
		return nil, false, nil
	}
	if e.AppointmentID == 0 {
		return nil, true, fmt.Errorf("%s: its appointment was deleted here (settle it with --delete or --undelete)", href)
	}
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return nil, true, err
	}
	if set.URL == "" || set.Calendar == "" {
		return nil, true, ErrSyncNotSetUp
	}
	a, err := s.store().Appointment(ctx, e.AppointmentID)
	if err != nil {
		return nil, true, err
	}
	items, err := s.store().Agenda(ctx, a.Start, a.Start.Add(time.Second))
	if err != nil {
		return nil, true, err
	}
	var item model.AgendaItem
	for _, it := range items {
		if it.ID == a.ID {
			item = it
		}
	}
	if item.ID == 0 {
		return nil, true, fmt.Errorf("appointment %d: %w", a.ID, model.ErrNotFound)
	}
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: password})
	if err != nil {
		return nil, true, fmt.Errorf("phone sync: %w", err)
	}
	evs, err := client.Events(ctx, set.Calendar, []string{href})
	if err != nil {
		return nil, true, fmt.Errorf("phone sync: %w", err)
	}
	if len(evs) != 1 {
		return nil, true, fmt.Errorf("phone sync: %s is no longer in the phone's calendar", href)
	}
	run := &phoneSync{s: s, client: client, book: set.AddressBook, report: &SyncReport{}, mergedDry: map[int64]bool{},
		opts: SyncOptions{Password: password, Region: s.PhoneRegion()}}
	return &eventConflict{run: run, cal: set.Calendar, link: e, appt: item, phone: evs[0]}, true, nil
}

// resolveEventConflict is ResolveSyncConflict for an appointment's event:
// KeepPhone moves the appointment to the event's time and length,
// KeepMine writes the appointment over the event just read (If-Match), so
// that a third change in between is refused, not lost.
func (s *Service) resolveEventConflict(ctx context.Context, c *eventConflict, keep Side) error {
	switch keep {
	case KeepPhone:
		if _, _, err := phoneTime(c.phone.Cal); err != nil {
			return fmt.Errorf("phone sync: the phone's event %s has no time Rapport can take: %w", c.link.Href, err)
		}
		lines := len(c.run.report.Lines)
		if err := s.takeEventTime(ctx, c.run, c.appt, c.phone); err != nil {
			return err
		}
		if c.run.report.EventsFromPhoneMoved == 0 && len(c.run.report.Lines) > lines {
			return fmt.Errorf("phone sync: %s", c.run.report.Lines[len(c.run.report.Lines)-1]) // left out, and why
		}
		return nil
	case KeepMine:
		cs := &calendarSync{p: c.run, cal: c.cal}
		if err := cs.write(ctx, c.appt, c.link.Href, c.phone.ETag); err != nil {
			return err
		}
		if len(c.run.report.Conflicts) > 0 {
			return fmt.Errorf("phone sync: %s changed on the phone again meanwhile: %w", c.link.Href, dav.ErrConflict)
		}
		if len(c.run.report.Refused) > 0 {
			return fmt.Errorf("phone sync: %s", c.run.report.Lines[len(c.run.report.Lines)-1])
		}
		return nil
	}
	return fmt.Errorf("keep %q: say phone or mine", keep)
}

// eventSides sets the phone's event beside the appointment here.
func (s *Service) eventSides(c *eventConflict) SyncSides {
	out := SyncSides{Href: c.link.Href}
	out.Mine = []string{eventSummary(c.appt), s.DateStyle().DateTime(c.appt.Start.Local()), Plural(c.appt.Minutes, "minute")}
	phone := []string{eventName(c.phone)}
	if start, minutes, err := phoneTime(c.phone.Cal); err == nil {
		phone = append(phone, s.DateStyle().DateTime(start.Local()), Plural(minutes, "minute"))
	} else {
		phone = append(phone, "no time Rapport can take: "+err.Error())
	}
	out.Phone = phone
	return out
}

// settleEventDeletion is SettleDeletion for an event: ok is false when
// href is no event deletion. The event the phone deleted: DeleteToo
// deletes the appointment here, Undelete keeps it (the next sync writes
// it to the phone again as a new event). The appointment deleted here:
// DeleteToo deletes the event on the phone, only if it is still the
// version last synced (else dav.ErrConflict), Undelete leaves the event
// on the phone, no longer kept in step (an event does not make an
// appointment here). Each is one transaction here.
func (s *Service) settleEventDeletion(ctx context.Context, password, href string, how Deletion) (Settled, bool, error) {
	events, err := s.store().DavEvents(ctx)
	if err != nil {
		return Settled{}, false, err
	}
	e, ok := events[href]
	switch {
	case !ok:
		return Settled{}, false, nil
	case e.AppointmentID != 0 && e.PhoneDeletedAt != nil && how == DeleteToo:
		var out Settled
		err := s.store().InTx(ctx, func(tx *model.Store) error {
			var err error
			out, err = s.deleteAppointmentToo(ctx, tx, href, e.AppointmentID)
			return err
		})
		if err != nil {
			return Settled{}, true, fmt.Errorf("delete the appointment of %s here too: %w", href, err)
		}
		return out, true, nil
	case e.AppointmentID != 0 && e.PhoneDeletedAt != nil:
		if err := s.store().DeleteDavEvent(ctx, href); err != nil {
			return Settled{}, true, err
		}
		return Settled{Message: "The appointment is kept; the next sync puts it in the phone's calendar again."}, true, nil
	case e.AppointmentID == 0:
		settled, err := s.settleEventDeletedHere(ctx, password, href, e, how)
		return settled, true, err
	}
	return Settled{}, false, nil
}

// deleteAppointmentToo deletes in tx the appointment id whose event (href)
// the phone deleted, kept whole in the import history with the
// appointments moved to it, so that its Undo brings it back linked.
func (s *Service) deleteAppointmentToo(ctx context.Context, tx *model.Store, href string, id int64) (Settled, error) {
	a, err := tx.Appointment(ctx, id)
	if err != nil {
		return Settled{}, err
	}
	name, text, err := deletedAppointmentRecord(ctx, tx, a)
	if err != nil {
		return Settled{}, err
	}
	b, err := tx.StartBatch(ctx, "Phone sync: "+batchName(name)+" deleted here too, as in the phone's calendar")
	if err != nil {
		return Settled{}, err
	}
	if err := tx.RecordChanges(ctx, []model.ImportChange{{BatchID: b.ID, ContactID: a.ContactID, Kind: changeDeletedAppointment,
		Field: href, Value: string(text)}}); err != nil {
		return Settled{}, err
	}
	if err := tx.DeleteDavEvent(ctx, href); err != nil {
		return Settled{}, err
	}
	if err := tx.DeleteAppointment(ctx, a.ID); err != nil {
		return Settled{}, err
	}
	if err := tx.SaveBatch(ctx, b); err != nil {
		return Settled{}, err
	}
	out := Settled{Batch: b.ID, Message: upperFirst(name) + " deleted here too, as in the phone's calendar. Undo brings it back."}
	return out, s.over(tx).scoreContacts(ctx, []int64{a.ContactID}, s.now(), false)
}

// deletedAppointmentRecord names the appointment a as the agenda shows it
// and gives the text the import history keeps of it: the appointment and
// those moved to it.
func deletedAppointmentRecord(ctx context.Context, tx *model.Store, a *model.Appointment) (string, []byte, error) {
	items, err := tx.Agenda(ctx, a.Start, a.Start.Add(time.Second))
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("appointment %d", a.ID)
	for _, it := range items {
		if it.ID == a.ID {
			name = eventSummary(it)
		}
	}
	moved, err := tx.RescheduledTo(ctx, a.ID)
	if err != nil {
		return "", nil, err
	}
	snap := deletedAppointment{Appointment: *a}
	for _, m := range moved {
		snap.MovedHere = append(snap.MovedHere, m.ID)
	}
	text, err := json.Marshal(snap)
	if err != nil {
		return "", nil, err
	}
	return name, text, nil
}

// settleEventDeletedHere settles the event e, at href, of an appointment
// deleted here: DeleteToo deletes it on the phone if it is there, else the
// event is no longer kept in step.
func (s *Service) settleEventDeletedHere(ctx context.Context, password, href string, e model.DavEvent, how Deletion) (Settled, error) {
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return Settled{}, err
	}
	if set.URL == "" || set.Calendar == "" {
		return Settled{}, ErrSyncNotSetUp
	}
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: password})
	if err != nil {
		return Settled{}, fmt.Errorf("phone sync: %w", err)
	}
	etags, err := client.ETags(ctx, set.Calendar)
	if err != nil {
		return Settled{}, fmt.Errorf("phone sync: %w", err)
	}
	path := eventPathOf(href, etags)
	if path != "" && how == DeleteToo {
		return s.deleteEventOnPhoneToo(ctx, client, set.Calendar, e, path, etags[path])
	}
	if err := s.store().DeleteDavEvent(ctx, href); err != nil {
		return Settled{}, err
	}
	if path == "" {
		return Settled{Message: "The event is no longer in the phone's calendar either."}, nil
	}
	return Settled{Message: "The event stays in the phone's calendar, no longer kept in step."}, nil
}

// deleteEventOnPhoneToo deletes the event of an appointment deleted here,
// only if the phone still has the version last synced (a forgotten
// contact's link keeps none: the version just read). The event's text is
// recorded in the import history first, so that its Undo puts it back, and
// the record is dropped if the server does not delete it.
func (s *Service) deleteEventOnPhoneToo(ctx context.Context, client *dav.Client, calendar string, e model.DavEvent, path, etagNow string) (Settled, error) {
	forgotten := model.IsForgottenHref(e.Href)
	etag := e.ETag
	if etag == "" || forgotten {
		etag = etagNow
	}
	changed := func() (Settled, error) {
		// Asked again, the owner deletes the version now there.
		if err := s.store().SaveDavEvent(ctx, model.DavEvent{Href: e.Href, ETag: etagNow, SyncedAt: e.SyncedAt}); err != nil {
			return Settled{}, err
		}
		return Settled{}, fmt.Errorf("the event was not deleted on the phone: it was changed there since the last sync (%w). Look at it on the phone; delete again to delete it as it is now, or keep it there",
			dav.ErrConflict)
	}
	if etag != etagNow {
		return changed()
	}
	evs, err := client.Events(ctx, calendar, []string{path})
	if err != nil {
		return Settled{}, fmt.Errorf("phone sync: %w", err)
	}
	name, text := "a forgotten contact's appointment", ""
	if len(evs) == 1 && !forgotten {
		name = eventName(evs[0])
		var buf strings.Builder
		if err := ical.NewEncoder(&buf).Encode(evs[0].Cal); err != nil {
			return Settled{}, fmt.Errorf("keep the event %s for undo: %w", path, err)
		}
		text = buf.String()
	}
	b, conflict, err := s.deleteOnPhoneRecorded(ctx, phoneDeletion{
		title:  "Phone sync: " + batchName(name) + " deleted in the phone's calendar too",
		change: model.ImportChange{Kind: changePhoneEvent, Field: e.Href, Value: path + "\n" + text},
		delete: func() error { return client.DeleteEvent(ctx, path, etag) },
		unlink: func(tx *model.Store) error { return tx.DeleteDavEvent(ctx, e.Href) },
		name:   name,
	})
	if conflict {
		return changed()
	}
	if err != nil {
		return Settled{}, err
	}
	if forgotten {
		return Settled{Batch: b.ID, Message: "The forgotten contact's appointment was deleted in the phone's calendar too. Rapport kept no copy of it, so this cannot be undone."}, nil
	}
	return Settled{Batch: b.ID, Message: upperFirst(name) + " deleted in the phone's calendar too. Undo puts it back there."}, nil
}

// changePhoneEvent: an event deleted in the phone's calendar as its
// appointment was here; Field is the event's link (its path, or a
// forgotten contact's hash of it), Value its path, a line break and its
// text as the server had it (no text for a forgotten contact's).
const changePhoneEvent = "phone event"

// putEventsBack puts back in the phone's calendar the events a settled
// deletion removed there, before the undo's transaction: it returns each
// change's new ETag.
func (s *Service) putEventsBack(ctx context.Context, changes []model.ImportChange) (map[int64]string, error) {
	type kept struct {
		path string
		cal  *ical.Calendar
	}
	events := make([]kept, len(changes))
	for i, ch := range changes {
		path, text, _ := strings.Cut(ch.Value, "\n")
		if text == "" {
			return nil, errors.New("the event deleted on the phone was a forgotten contact's: Rapport kept no copy of it to put back")
		}
		cal, err := ical.NewDecoder(strings.NewReader(text)).Decode()
		if err != nil {
			return nil, fmt.Errorf("the event kept of %s: %w", path, err)
		}
		events[i] = kept{path, cal}
	}
	set, password, err := s.keptAccount(ctx)
	if err != nil {
		return nil, err
	}
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: password})
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	out := map[int64]string{}
	for i, ch := range changes {
		tag, err := client.PutEvent(ctx, events[i].path, events[i].cal, "")
		if err != nil && !errors.Is(err, dav.ErrConflict) { // ErrConflict: an event is there again already
			return nil, fmt.Errorf("put the event back in the phone's calendar: %w", err)
		}
		if tag == "" {
			dir := events[i].path[:strings.LastIndex(events[i].path, "/")+1]
			tags, err := client.ETags(ctx, dir)
			if err != nil {
				return nil, fmt.Errorf("put the event back in the phone's calendar: %w", err)
			}
			tag = tags[events[i].path]
		}
		out[ch.ID] = tag
	}
	return out, nil
}

// changeDeletedAppointment: an appointment deleted here as its event was
// in the phone's calendar; Value is deletedAppointment (JSON), Field the
// event's path.
const changeDeletedAppointment = "deleted appointment"

// deletedAppointment is an appointment deleted as in the phone's calendar,
// kept for undo with the appointments that had been moved to it.
type deletedAppointment struct {
	Appointment model.Appointment `json:"appointment"`
	MovedHere   []int64           `json:"moved_here,omitempty"`
}

// restoreAppointment puts back an appointment a phone sync deleted here,
// with its ID and the links of those moved to it; unlinked from the event,
// the next sync puts it in the phone's calendar again.
func (s *Service) restoreAppointment(ctx context.Context, tx *model.Store, value string) (string, error) {
	var d deletedAppointment
	if err := json.Unmarshal([]byte(value), &d); err != nil {
		return "", fmt.Errorf("the deleted appointment's record: %w", err)
	}
	a := d.Appointment
	c, err := tx.Contact(ctx, a.ContactID)
	if err != nil {
		return "", fmt.Errorf("the deleted appointment's contact: %w", err)
	}
	if err := tx.SaveAppointment(ctx, &a); err != nil {
		return "", err
	}
	for _, id := range d.MovedHere {
		m, err := tx.Appointment(ctx, id)
		if errors.Is(err, model.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		if m.RescheduledToID == nil {
			m.RescheduledToID = &a.ID
			if err := tx.SaveAppointment(ctx, m); err != nil {
				return "", err
			}
		}
	}
	if err := s.over(tx).scoreContacts(ctx, []int64{a.ContactID}, s.now(), false); err != nil {
		return "", err
	}
	return eventSummary(model.AgendaItem{Appointment: a, ContactName: DisplayName(c)}), nil
}
