package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DavEvent ties an event on the phone's CalDAV calendar to an appointment,
// with the version each side had when they last agreed (dav_events).
type DavEvent struct {
	ID            int64
	AppointmentID int64     // 0: the appointment was deleted (or its contact forgotten) here
	Href          string    // the event's path on the server
	ETag          string    `gorm:"column:etag"` // the server's version at the last sync
	SyncedHash    string    // a hash of the event's fields at the last sync
	SyncedAt      time.Time // when they last agreed
	// PhoneDeletedAt is when a sync found the event deleted on the phone
	// while the appointment is still here: not settled yet.
	PhoneDeletedAt *time.Time
}

// DavEvents lists every event link, by href.
func (s *Store) DavEvents(ctx context.Context) (map[string]DavEvent, error) {
	var rows []DavEvent
	err := s.with(ctx).Raw(`SELECT id, COALESCE(appointment_id, 0) AS appointment_id, href, etag, synced_hash, synced_at,
		phone_deleted_at FROM dav_events`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("phone calendar links: %w", err)
	}
	out := make(map[string]DavEvent, len(rows))
	for _, r := range rows {
		out[r.Href] = r
	}
	return out, nil
}

// SaveDavEvent records that href and the appointment agree now, replacing
// what was known of href (an unsettled deletion on the phone included).
func (s *Store) SaveDavEvent(ctx context.Context, e DavEvent) error {
	if e.SyncedAt.IsZero() {
		e.SyncedAt = time.Now().UTC()
	}
	err := s.with(ctx).Exec(`INSERT INTO dav_events (appointment_id, href, etag, synced_hash, synced_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (href) DO UPDATE SET appointment_id = excluded.appointment_id, etag = excluded.etag,
			synced_hash = excluded.synced_hash, synced_at = excluded.synced_at, phone_deleted_at = NULL`,
		nullID(e.AppointmentID), e.Href, e.ETag, e.SyncedHash, e.SyncedAt).Error
	if err != nil {
		return fmt.Errorf("save phone calendar link %s: %w", e.Href, err)
	}
	return nil
}

// DeleteDavEvent forgets the link of href (the event is gone on one side
// and the owner settled it, or on both).
func (s *Store) DeleteDavEvent(ctx context.Context, href string) error {
	if err := s.with(ctx).Exec("DELETE FROM dav_events WHERE href = ?", href).Error; err != nil {
		return fmt.Errorf("delete phone calendar link %s: %w", href, err)
	}
	return nil
}

// MarkEventDeletedOnPhone records that the event at href is gone from the
// phone while its appointment is still here; an earlier mark keeps its time.
func (s *Store) MarkEventDeletedOnPhone(ctx context.Context, href string, at time.Time) error {
	err := s.with(ctx).Exec("UPDATE dav_events SET phone_deleted_at = ? WHERE href = ? AND phone_deleted_at IS NULL", at.UTC(), href).Error
	if err != nil {
		return fmt.Errorf("mark event %s deleted on the phone: %w", href, err)
	}
	return nil
}

// UnmarkEventDeletedOnPhone takes the mark back: the event is there again.
func (s *Store) UnmarkEventDeletedOnPhone(ctx context.Context, href string) error {
	if err := s.with(ctx).Exec("UPDATE dav_events SET phone_deleted_at = NULL WHERE href = ?", href).Error; err != nil {
		return fmt.Errorf("unmark event %s deleted on the phone: %w", href, err)
	}
	return nil
}

// CalendarAppointments lists, with their contacts' names, the appointments
// the phone's calendar is compared with: every one linked to an event, and
// those starting at or after since of contacts whose card is on the phone.
func (s *Store) CalendarAppointments(ctx context.Context, since time.Time) ([]AgendaItem, error) {
	var appts []Appointment
	err := s.with(ctx).Raw(`SELECT a.* FROM appointments a
		WHERE EXISTS (SELECT 1 FROM dav_events e WHERE e.appointment_id = a.id)
			OR (a.start >= ? AND EXISTS (SELECT 1 FROM dav_links l WHERE l.contact_id = a.contact_id))
		ORDER BY a.start, a.id`, since.UTC()).Scan(&appts).Error
	if err != nil {
		return nil, fmt.Errorf("appointments for the phone's calendar: %w", err)
	}
	return s.named(ctx, appts)
}

// forgetDavEvents keeps the events of a forgotten contact's appointments
// known only by a hash of their paths (a path or the event may spell their
// name), with no appointment: the next sync asks whether to delete them on
// the phone rather than leave them unasked. It runs before the
// appointments are deleted.
func forgetDavEvents(tx *gorm.DB, contactID int64) error {
	sub := "SELECT id FROM appointments WHERE contact_id = ?"
	// An event the phone deleted already is gone on both sides now.
	if err := tx.Exec("DELETE FROM dav_events WHERE phone_deleted_at IS NOT NULL AND appointment_id IN ("+sub+")", contactID).Error; err != nil {
		return err
	}
	var hrefs []string
	if err := tx.Raw("SELECT href FROM dav_events WHERE appointment_id IN ("+sub+")", contactID).Scan(&hrefs).Error; err != nil {
		return err
	}
	for _, h := range hrefs {
		if err := tx.Exec("UPDATE dav_events SET appointment_id = NULL, href = ?, etag = '', synced_hash = '', phone_deleted_at = NULL WHERE href = ?",
			ForgottenHref(h), h).Error; err != nil {
			return err
		}
	}
	return nil
}
