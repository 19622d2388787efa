package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// FollowupTitle is the heading of a kind's section, on Today and on paper.
func FollowupTitle(kind string) string {
	switch kind {
	case FollowNote:
		return "Notes to write"
	case FollowFeedback:
		return "Ask for feedback"
	case FollowRemind:
		return "Remind of tomorrow's appointments"
	case FollowKeepInTouch:
		return "Keep in touch"
	case FollowBirthday:
		return "Birthdays"
	case FollowAnniversary:
		return "Anniversaries"
	case FollowDate:
		return "Dates to remember"
	case FollowClientCandidate:
		return "Ready to become clients"
	case FollowLapsing:
		return "Lapsing: win them back"
	}
	return kind
}

// FollowupSection is one kind's rows, under a heading with their count.
type FollowupSection struct {
	Kind   string
	Title  string // "Keep in touch (35)"
	Urgent bool
	Items  []Followup
}

// FollowupSections groups a follow-up list (in the order Followups gives)
// into its sections, urgent kinds first.
func FollowupSections(items []Followup) []FollowupSection {
	var out []FollowupSection
	for i, f := range items {
		if i == 0 || items[i-1].Kind != f.Kind {
			out = append(out, FollowupSection{Kind: f.Kind,
				Urgent: f.Kind == FollowNote || f.Kind == FollowFeedback || f.Kind == FollowRemind})
		}
		sec := &out[len(out)-1]
		sec.Items = append(sec.Items, f)
	}
	for i := range out {
		out[i].Title = fmt.Sprintf("%s (%d)", FollowupTitle(out[i].Kind), len(out[i].Items))
	}
	return out
}

// remindFollowups: a row for each of tomorrow's appointments not
// cancelled, to remind the person the day before.
func (s *Service) remindFollowups(ctx context.Context, on time.Time, _ Cadences) ([]Followup, error) {
	tomorrow := Day(on).AddDate(0, 0, 1)
	items, err := s.store().Agenda(ctx, tomorrow, tomorrow.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	var out []Followup
	for _, it := range items {
		if it.CancelledAt != nil || it.RemindedAt != nil {
			continue
		}
		text := "Appointment tomorrow at " + s.DateStyle().Clock(it.Start.In(on.Location()))
		if it.Purpose != "" {
			text += ": " + it.Purpose
		}
		out = append(out, Followup{ContactID: it.ContactID, Contact: it.ContactName, Kind: FollowRemind,
			Due: tomorrow.Format(time.DateOnly), Text: text, AppointmentID: it.ID, at: it.Start.Unix(),
			Occurrence: strconv.FormatInt(it.ID, 10)})
	}
	return out, nil
}

// withoutHidden drops the occurrences marked done, or snoozed past d.
func (s *Service) withoutHidden(ctx context.Context, d time.Time, items []Followup) ([]Followup, error) {
	hidden, err := s.store().HiddenFollowups(ctx, d.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	if len(hidden) == 0 {
		return items, nil
	}
	out := items[:0]
	for _, f := range items {
		if !hidden[model.FollowupKey(f.Kind, f.ContactID, f.Occurrence)] {
			out = append(out, f)
		}
	}
	return out, nil
}

// Undo takes one action back.
type Undo func(ctx context.Context) error

// FollowupDone hides this occurrence of f for good; the next one (next
// year's birthday, the next quiet spell) shows again.
func (s *Service) FollowupDone(ctx context.Context, f Followup) (Undo, error) {
	return s.markFollowup(ctx, f, "")
}

// Snooze lengths offered on Today.
const (
	SnoozeWeek  = "week"
	SnoozeMonth = "month"
)

// SnoozeFollowup hides f until a week or a month from today; it shows
// again on that day, if still due.
func (s *Service) SnoozeFollowup(ctx context.Context, f Followup, length string) (Undo, time.Time, error) {
	until := Day(s.now())
	switch length {
	case SnoozeWeek:
		until = until.AddDate(0, 0, 7)
	case SnoozeMonth:
		until = until.AddDate(0, 1, 0)
	default:
		return nil, time.Time{}, fmt.Errorf("snooze: unknown length %q", length)
	}
	undo, err := s.markFollowup(ctx, f, until.Format(time.DateOnly))
	return undo, until, err
}

func (s *Service) markFollowup(ctx context.Context, f Followup, until string) (Undo, error) {
	m := &model.FollowupMark{ContactID: f.ContactID, Kind: f.Kind, Occurrence: f.Occurrence, SnoozedUntil: until}
	if err := s.store().AddFollowupMark(ctx, m); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return s.store().DeleteFollowupMark(ctx, m.ID) }, nil
}

// Reminded logs that the person was reminded of tomorrow's appointment and
// marks the appointment reminded, which takes its row off Today, in one
// transaction (see MarkReminded).
func (s *Service) Reminded(ctx context.Context, f Followup) (Undo, error) {
	if f.Kind != FollowRemind {
		return nil, fmt.Errorf("reminded: %s is not an appointment to remind of", f.Kind)
	}
	return s.markReminded(ctx, f.AppointmentID, "Reminded of the appointment: "+lowerFirst(f.Text))
}

// lowerFirst lower-cases an ASCII first letter: "Appointment…" read inside a
// sentence.
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// LogCall logs a call with what was said; the undo removes the entry.
func (s *Service) LogCall(ctx context.Context, contactID int64, said string) (Undo, error) {
	return s.LogEntryUndoable(ctx, contactID, model.KindCall, said)
}

// LogEntryUndoable is LogEntry with its undo, which removes the entry and
// the thank-you note it planned, if any, in one transaction.
func (s *Service) LogEntryUndoable(ctx context.Context, contactID int64, kind model.EntryKind, text string) (Undo, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("log entry: say what happened")
	}
	if !kind.Valid() {
		return nil, fmt.Errorf("journal entry: unknown kind %q", kind)
	}
	e := &model.JournalEntry{ContactID: contactID, Kind: kind, Text: text, At: s.now()}
	if err := s.store().SaveJournalEntry(ctx, e); err != nil {
		return nil, err
	}
	note, err := s.thankYouAfter(ctx, e)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		return s.store().InTx(ctx, func(tx *model.Store) error {
			if err := tx.DeleteJournalEntry(ctx, e.ID); err != nil {
				return err
			}
			if note != nil {
				return tx.DeleteNoteReminder(ctx, note.ID)
			}
			return nil
		})
	}, nil
}

// MarkNoteUndoable marks a note written or posted, with what it said, and
// returns how to put it back exactly as it was.
func (s *Service) MarkNoteUndoable(ctx context.Context, noteID int64, status model.NoteStatus, text string) (Undo, error) {
	before, err := s.store().NoteReminderByID(ctx, noteID)
	if err != nil {
		return nil, err
	}
	if err := s.MarkNoteWithText(ctx, noteID, status, text); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return s.store().SaveNoteReminder(ctx, before) }, nil
}

// DeleteDetailUndoable removes a remembered detail; the undo puts it back
// with its ID and place.
func (s *Service) DeleteDetailUndoable(ctx context.Context, id int64) (Undo, error) {
	return deleteUndoable[model.Detail](ctx, s, id, func(r *model.Detail) int64 { return r.ContactID })
}

// DeleteDateUndoable removes an important date; the undo puts it back.
func (s *Service) DeleteDateUndoable(ctx context.Context, id int64) (Undo, error) {
	return deleteUndoable[model.ImportantDate](ctx, s, id, func(r *model.ImportantDate) int64 { return r.ContactID })
}

// DeleteJournalEntryUndoable removes a journal entry; the undo puts it back.
func (s *Service) DeleteJournalEntryUndoable(ctx context.Context, id int64) (Undo, error) {
	return deleteUndoable[model.JournalEntry](ctx, s, id, func(r *model.JournalEntry) int64 { return r.ContactID })
}

func deleteUndoable[T model.Detail | model.ImportantDate | model.JournalEntry](ctx context.Context, s *Service, id int64,
	contact func(*T) int64) (Undo, error) {
	row, err := model.OwnedRow[T](ctx, s.store(), id)
	if err != nil {
		return nil, err
	}
	var del func(context.Context, int64) error
	switch any(row).(type) {
	case *model.Detail:
		del = s.store().DeleteDetail
	case *model.ImportantDate:
		del = s.store().DeleteDate
	case *model.JournalEntry:
		del = s.store().DeleteJournalEntry
	}
	if err := del(ctx, id); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return model.RestoreOwned(ctx, s.store(), row, contact(row)) }, nil
}

// MakeClient moves a customer ready for it to client at a click, logging
// the change as the editor does; the undo puts the stage back and removes
// the entry, in one transaction.
func (s *Service) MakeClient(ctx context.Context, contactID int64) (Undo, error) {
	c, err := s.store().ContactRows(ctx, []int64{contactID})
	if err != nil {
		return nil, err
	}
	if len(c) == 0 {
		return nil, fmt.Errorf("make client: contact %d: %w", contactID, model.ErrNotFound)
	}
	e := stageEntry(c[0].Stage, model.StageClient, s.now())
	before, err := s.store().ChangeStage(ctx, contactID, model.StageClient, &e)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return s.store().RevertStage(ctx, contactID, before, e.ID) }, nil
}
