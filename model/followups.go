package model

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OwedNote is a note reminder still owed, with its contact's name.
type OwedNote struct {
	ID        int64
	ContactID int64
	Name      string
	Reason    string
	Due       string
}

// OwedNotes lists the note reminders still owed that are due by dueBy
// (YYYY-MM-DD), earliest first.
func (s *Store) OwedNotes(ctx context.Context, dueBy string) ([]OwedNote, error) {
	rows, err := s.with(ctx).Raw(`SELECT n.id, n.contact_id, c.display_name, n.reason, n.due
		FROM note_reminders n JOIN contacts c ON c.id = n.contact_id
		WHERE n.status = ? AND n.due <= ? ORDER BY n.due, c.sort_key`, NoteOwed, dueBy).Rows()
	if err != nil {
		return nil, fmt.Errorf("owed notes: %w", err)
	}
	defer rows.Close()
	var out []OwedNote
	for rows.Next() {
		var n OwedNote
		if err := rows.Scan(&n.ID, &n.ContactID, &n.Name, &n.Reason, &n.Due); err != nil {
			return nil, fmt.Errorf("owed notes: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// DatedContact is an important date with its contact's name.
type DatedContact struct {
	ImportantDate
	Name string
}

// DatesOn lists the important dates that fall on any of the given days of
// the year (month, day), using the (month, day) index. With metOnly,
// birthdays and anniversaries count only for contacts the owner has met: a
// customer or client, or anyone with a journal entry (50,000 imported phone
// contacts otherwise bury the day in strangers' birthdays).
func (s *Store) DatesOn(ctx context.Context, days [][2]int, metOnly bool) ([]DatedContact, error) {
	if len(days) == 0 {
		return nil, nil
	}
	// A row-value IN list: SQLite looks each (month, day) up in the index.
	// The casts tell PostgreSQL the values' type.
	values := strings.TrimSuffix(strings.Repeat("(CAST(? AS INTEGER), CAST(? AS INTEGER)), ", len(days)), ", ")
	var args []any
	for _, d := range days {
		args = append(args, d[0], d[1])
	}
	met := ""
	if metOnly {
		// One seek in the journal's (contact_id, at) index per date found.
		met = ` AND (d.label NOT IN ('birthday', 'anniversary') OR c.stage IN ('customer', 'client')
			OR EXISTS (SELECT 1 FROM journal_entries j WHERE j.contact_id = c.id))`
	}
	rows, err := s.with(ctx).Raw(`SELECT d.id, d.contact_id, d.label, d.year, d.month, d.day, c.display_name
		FROM important_dates d JOIN contacts c ON c.id = d.contact_id
		WHERE (d.month, d.day) IN (VALUES `+values+`)`+met, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("dates: %w", err)
	}
	defer rows.Close()
	var out []DatedContact
	for rows.Next() {
		var d DatedContact
		var year sql.NullInt64
		if err := rows.Scan(&d.ID, &d.ContactID, &d.Label, &year, &d.Month, &d.Day, &d.Name); err != nil {
			return nil, fmt.Errorf("dates: %w", err)
		}
		if year.Valid {
			y := int(year.Int64)
			d.Year = &y
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// QuietContact is a contact not heard from since Last (their newest
// journal entry, or when they were added if they have none).
type QuietContact struct {
	ID    int64
	Name  string
	Stage Stage
	Last  time.Time
}

// QuietContacts hands fn, in no particular order, each contact with an ID
// from..to whose newest journal entry (or, with none, their creation) is
// before the cutoff for their stage (the caller sorts; sorting tens of thousands of rows in
// SQLite took longer than in Go). Handing them over one by one rather than
// as a list spared a copy of some 40,000 rows out of 50,000.
func (s *Store) QuietContacts(ctx context.Context, cutoff map[Stage]time.Time, from, to int64, fn func(QuietContact)) error {
	// The newest entry per contact comes from the (contact_id, at) index; a
	// grouped pass over the whole journal measured slower (474 against 416
	// ms over 50,000 contacts). The cutoff is applied here rather than in
	// SQL: a condition on the newest entry made SQLite look it up again for
	// each place it is named (300 ms against 150 ms).
	rows, err := s.with(ctx).Raw(`SELECT c.id, c.display_name, c.stage,
			COALESCE((SELECT MAX(j.at) FROM journal_entries j WHERE j.contact_id = c.id), c.created_at)
		FROM contacts c WHERE c.id BETWEEN ? AND ?`, from, to).Rows()
	if err != nil {
		return fmt.Errorf("quiet contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q QuietContact
		var last string
		if err := rows.Scan(&q.ID, &q.Name, &q.Stage, &last); err != nil {
			return fmt.Errorf("quiet contacts: %w", err)
		}
		if q.Last, err = parseStoredTime(last); err != nil {
			return fmt.Errorf("quiet contacts: %w", err)
		}
		limit, ok := cutoff[q.Stage]
		if !ok {
			limit = cutoff[StageClient]
		}
		if q.Last.Before(limit) {
			fn(q)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("quiet contacts: %w", err)
	}
	return nil
}

// parseStoredTime reads a time as the driver writes it.
func parseStoredTime(s string) (time.Time, error) {
	for _, layout := range []string{sqliteTimeFormat, "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q", s)
}

// FeedbackOwed hands fn, in no particular order, the ID and name of each
// contact unreliable as of day (kept scores) with no feedback entry since
// their latest incident. Only the two columns the list shows are read: each
// value handed out of this SQLite costs, and there may be thousands.
func (s *Store) FeedbackOwed(ctx context.Context, day string, fn func(id int64, name string)) error {
	rows, err := s.with(ctx).Raw(`SELECT c.id, c.display_name
		FROM contact_reliability r JOIN contacts c ON c.id = r.contact_id
		WHERE r.day = ? AND r.unreliable = TRUE AND NOT EXISTS (
			SELECT 1 FROM journal_entries j WHERE j.contact_id = r.contact_id AND j.kind = 'feedback'
			AND (r.last_incident IS NULL OR j.at > r.last_incident))`, day).Rows()
	if err != nil {
		return fmt.Errorf("feedback owed: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("feedback owed: %w", err)
		}
		fn(id, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("feedback owed: %w", err)
	}
	return nil
}

// FrequentBuyers lists the customers with at least min purchase entries
// since the given time, with their count.
func (s *Store) FrequentBuyers(ctx context.Context, since time.Time, min int) (map[int64]int, []ContactRow, error) {
	// Counted from the (kind, contact_id, at) index alone, in contact order,
	// before the few frequent buyers are looked up.
	rows, err := s.with(ctx).Raw(`SELECT c.id, c.uid, c.display_name, c.organization, c.stage, p.n
		FROM (SELECT contact_id, COUNT(*) AS n FROM journal_entries
			WHERE kind = 'purchase' AND at >= ? GROUP BY contact_id HAVING COUNT(*) >= ?) AS p
		JOIN contacts c ON c.id = p.contact_id
		WHERE c.stage = 'customer' ORDER BY c.sort_key`, since.UTC(), min).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("frequent buyers: %w", err)
	}
	defer rows.Close()
	counts := map[int64]int{}
	var out []ContactRow
	for rows.Next() {
		var r ContactRow
		var n int
		if err := rows.Scan(&r.ID, &r.UID, &r.DisplayName, &r.Organization, &r.Stage, &n); err != nil {
			return nil, nil, fmt.Errorf("frequent buyers: %w", err)
		}
		counts[r.ID] = n
		out = append(out, r)
	}
	return counts, out, rows.Err()
}

// NoteReminderByID loads one note reminder.
func (s *Store) NoteReminderByID(ctx context.Context, id int64) (*NoteReminder, error) {
	var n NoteReminder
	if err := s.with(ctx).First(&n, id).Error; err != nil {
		return nil, fmt.Errorf("note reminder %d: %w", id, err)
	}
	return &n, nil
}

// OpenNotes lists the note reminders not yet posted (owed or written), by
// due date, with their contacts' addresses and details loaded.
func (s *Store) OpenNotes(ctx context.Context) ([]NoteReminder, map[int64]*Contact, error) {
	var notes []NoteReminder
	if err := s.with(ctx).Where("status IN ?", []string{"owed", "written"}).Order("due, id").Find(&notes).Error; err != nil {
		return nil, nil, fmt.Errorf("open notes: %w", err)
	}
	ids := make([]int64, 0, len(notes))
	for _, n := range notes {
		ids = append(ids, n.ContactID)
	}
	var contacts []Contact
	byPosition := func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }
	if len(ids) > 0 {
		in, arg := s.d.idsIn("id", ids)
		err := s.with(ctx).Select("id, display_name").Preload("Addresses", byPosition).Preload("Details", byPosition).
			Where(in, arg).Find(&contacts).Error
		if err != nil {
			return nil, nil, fmt.Errorf("open notes: %w", err)
		}
	}
	byID := make(map[int64]*Contact, len(contacts))
	for i := range contacts {
		byID[contacts[i].ID] = &contacts[i]
	}
	return notes, byID, nil
}
