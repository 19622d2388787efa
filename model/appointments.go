package model

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AgendaItem is an appointment with the name of the contact it is with.
type AgendaItem struct {
	Appointment
	ContactName string
}

// Agenda lists the appointments starting in [from, to), in time order, with
// their contacts' names.
func (s *Store) Agenda(ctx context.Context, from, to time.Time) ([]AgendaItem, error) {
	var appts []Appointment
	q := s.with(ctx).Where("start >= ? AND start < ?", from.UTC(), to.UTC())
	if err := q.Order("start, id").Find(&appts).Error; err != nil {
		return nil, fmt.Errorf("agenda: %w", err)
	}
	return s.named(ctx, appts)
}

// Unrecorded lists the latest limit appointments starting in [from, to)
// whose outcome was never recorded, latest first, with their contacts'
// names, and how many there are in all; the partial index of the schema
// step "appointments to record" answers it without visiting the
// appointments that have one.
func (s *Store) Unrecorded(ctx context.Context, from, to time.Time, limit int) ([]AgendaItem, int64, error) {
	var appts []Appointment
	var total int64
	q := s.with(ctx).Model(&Appointment{}).Where("start >= ? AND start < ? AND outcome = ''", from.UTC(), to.UTC())
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("unrecorded appointments: %w", err)
	}
	q = s.with(ctx).Where("start >= ? AND start < ? AND outcome = ''", from.UTC(), to.UTC())
	if err := q.Order("start DESC, id DESC").Limit(limit).Find(&appts).Error; err != nil {
		return nil, 0, fmt.Errorf("unrecorded appointments: %w", err)
	}
	items, err := s.named(ctx, appts)
	return items, total, err
}

// named adds the contacts' names to appointments.
func (s *Store) named(ctx context.Context, appts []Appointment) ([]AgendaItem, error) {
	ids := make([]int64, 0, len(appts))
	for _, a := range appts {
		ids = append(ids, a.ContactID)
	}
	rows, err := s.ContactRows(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("agenda: %w", err)
	}
	names := make(map[int64]string, len(rows))
	for _, r := range rows {
		names[r.ID] = r.DisplayName
	}
	out := make([]AgendaItem, len(appts))
	for i, a := range appts {
		out[i] = AgendaItem{Appointment: a, ContactName: names[a.ContactID]}
	}
	return out, nil
}

// Appointment loads one appointment.
func (s *Store) Appointment(ctx context.Context, id int64) (*Appointment, error) {
	var a Appointment
	err := s.with(ctx).First(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("appointment %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("appointment %d: %w", id, err)
	}
	return &a, nil
}

// AppointmentsOf loads the appointments of the given contacts that start at
// or after since, by contact: what the reliability of a page of the list
// needs, without reading everyone's. Rows are scanned by hand (the daily
// rescoring reads a million of them) and hold what scoring needs: start,
// outcome, minutes late and when cancelled.
func (s *Store) AppointmentsOf(ctx context.Context, contactIDs []int64, since time.Time) (map[int64][]Appointment, error) {
	out := make(map[int64][]Appointment, len(contactIDs))
	if len(contactIDs) == 0 {
		return out, nil
	}
	in, arg := s.d.idsIn("contact_id", contactIDs)
	rows, err := s.with(ctx).Raw(`SELECT id, contact_id, start, minutes, outcome, minutes_late, cancelled_at, reminded_at
		FROM appointments WHERE `+in+` AND start >= ? ORDER BY start`, arg, since.UTC()).Rows()
	if err != nil {
		return nil, fmt.Errorf("appointments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Appointment
		var cancelled, reminded sql.NullTime
		if err := rows.Scan(&a.ID, &a.ContactID, &a.Start, &a.Minutes, &a.Outcome, &a.MinutesLate, &cancelled, &reminded); err != nil {
			return nil, fmt.Errorf("appointments: %w", err)
		}
		if cancelled.Valid {
			a.CancelledAt = &cancelled.Time
		}
		if reminded.Valid {
			a.RemindedAt = &reminded.Time
		}
		out[a.ContactID] = append(out[a.ContactID], a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("appointments: %w", err)
	}
	return out, nil
}

// LongestAppointment bounds how long one appointment may last: Overlapping
// reads only appointments that start this long before the slot, so that the
// start index answers it.
const LongestAppointment = 24 * time.Hour

// Overlapping lists the appointments, with anyone, that share some time with
// [start, end), other than exceptID (the one being moved; 0 for none), in
// time order with their contacts' names. Whether a cancelled one still
// counts is the caller's rule.
func (s *Store) Overlapping(ctx context.Context, start, end time.Time, exceptID int64) ([]AgendaItem, error) {
	items, err := s.Agenda(ctx, start.Add(-LongestAppointment), end)
	if err != nil {
		return nil, fmt.Errorf("overlapping: %w", err)
	}
	out := items[:0]
	for _, it := range items {
		itEnd := it.Start.Add(time.Duration(it.Minutes) * time.Minute)
		if it.ID != exceptID && itEnd.After(start) && it.Start.Before(end) {
			out = append(out, it)
		}
	}
	return out, nil
}

// RescheduledTo lists the appointments whose replacement is appointment id.
func (s *Store) RescheduledTo(ctx context.Context, id int64) ([]Appointment, error) {
	var out []Appointment
	if err := s.with(ctx).Where("rescheduled_to_id = ?", id).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("appointments moved to %d: %w", id, err)
	}
	return out, nil
}
