package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// thankYouAfterDays is when a thank-you note is due after the first meeting
// or purchase, or after a referral.
const thankYouAfterDays = 2

// NewNoteReminder schedules a handwritten note by hand.
func (s *Service) NewNoteReminder(ctx context.Context, contactID int64, reason string, due time.Time) (*model.NoteReminder, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, errors.New("note: say what it is for")
	}
	n := &model.NoteReminder{ContactID: contactID, Reason: reason, Due: due.Format(time.DateOnly), Status: model.NoteOwed}
	if err := s.store().SaveNoteReminder(ctx, n); err != nil {
		return nil, err
	}
	return n, nil
}

// afterEntry applies the thank-you rule: the first entry of kind met or
// purchase schedules a thank-you note due two days later.
func (s *Service) afterEntry(ctx context.Context, e *model.JournalEntry) error {
	_, err := s.thankYouAfter(ctx, e)
	return err
}

// thankYouAfter is afterEntry, returning the note it planned, if any, so
// that an undo of the entry takes the note back too.
func (s *Service) thankYouAfter(ctx context.Context, e *model.JournalEntry) (*model.NoteReminder, error) {
	if e.Kind != model.KindMet && e.Kind != model.KindPurchase {
		return nil, nil
	}
	if on, err := s.RuleOn(ctx, RuleThankYou); err != nil || !on {
		return nil, err
	}
	c, err := s.store().Contact(ctx, e.ContactID)
	if err != nil {
		return nil, err
	}
	for _, other := range c.Journal {
		if other.ID != e.ID && (other.Kind == model.KindMet || other.Kind == model.KindPurchase) {
			return nil, nil // not the first
		}
	}
	for _, n := range c.NotesOwed {
		if strings.HasPrefix(n.Reason, "Thank you for") && !strings.HasPrefix(n.Reason, "Thank you for referring") {
			return nil, nil // already planned
		}
	}
	what := "the first visit"
	if e.Kind == model.KindPurchase {
		what = "the first purchase"
	}
	return s.NewNoteReminder(ctx, c.ID, "Thank you for "+what, Day(e.At.In(time.Local)).AddDate(0, 0, thankYouAfterDays))
}

// afterNewContact applies the referral rule: a new contact saved with who
// referred them schedules a thank-you note to the referrer.
func (s *Service) afterNewContact(ctx context.Context, c *model.Contact) error {
	if c.ReferredByID == nil {
		return nil
	}
	if on, err := s.RuleOn(ctx, RuleReferrer); err != nil || !on {
		return err
	}
	_, err := s.NewNoteReminder(ctx, *c.ReferredByID, referralReason(c.DisplayName),
		Day(s.now()).AddDate(0, 0, thankYouAfterDays))
	return err
}

// referralReason is the reason of the thank-you note for referring name.
func referralReason(name string) string { return "Thank you for referring " + name }

// NoteToWrite is a planned note with what the owner needs at the desk: where
// to post it and what to mention.
type NoteToWrite struct {
	model.NoteReminder
	Contact string
	Address string   // the mailing address, one line per part
	Country string   // the address's country as written, its last line when not ""
	Cues    []string // pinned details first, at most three
	Overdue bool
	// Last is the note last written to the same person, for an owed note:
	// what it said and when, so that the next one does not repeat it.
	Last *model.NoteReminder
}

// NotesToWrite lists the notes not yet posted, overdue first then by due.
func (s *Service) NotesToWrite(ctx context.Context) ([]NoteToWrite, error) {
	notes, contacts, err := s.store().OpenNotes(ctx)
	if err != nil {
		return nil, err
	}
	var owedTo []int64
	for _, n := range notes {
		if n.Status == model.NoteOwed {
			owedTo = append(owedTo, n.ContactID)
		}
	}
	last, err := s.store().LastWrittenNotes(ctx, owedTo)
	if err != nil {
		return nil, err
	}
	today := Day(s.now()).Format(time.DateOnly)
	out := make([]NoteToWrite, 0, len(notes))
	for _, n := range notes {
		nw := NoteToWrite{NoteReminder: n, Overdue: n.Due < today && n.Status == model.NoteOwed}
		if l, ok := last[n.ContactID]; ok && n.Status == model.NoteOwed {
			nw.Last = &l
		}
		if c := contacts[n.ContactID]; c != nil {
			nw.Contact = c.DisplayName
			if len(c.Addresses) > 0 {
				nw.Address = MailingAddress(c.DisplayName, c.Addresses[0])
				nw.Country = strings.TrimSpace(c.Addresses[0].Country)
			}
			nw.Cues = cues(c.Details, 3)
		}
		out = append(out, nw)
	}
	return out, nil
}

// MarkNoteWithText marks a note reminder written (or written and posted at
// once) and keeps what the owner wrote, if anything; a note already
// written keeps its date and text unless new text is given.
func (s *Service) MarkNoteWithText(ctx context.Context, noteID int64, status model.NoteStatus, text string) error {
	if status != model.NoteWritten && status != model.NotePosted {
		return fmt.Errorf("note reminder: unknown status %q", status)
	}
	n, err := s.store().NoteReminderByID(ctx, noteID)
	if err != nil {
		return err
	}
	now := s.now()
	if n.WrittenAt == nil {
		n.WrittenAt = &now
	}
	if status == model.NotePosted {
		n.PostedAt = &now
	}
	if text = strings.TrimSpace(text); text != "" {
		n.WrittenText = text
	}
	n.Status = status
	return s.store().SaveNoteReminder(ctx, n)
}

// MailingAddress writes an address as it goes on an envelope.
func MailingAddress(name string, a model.Address) string {
	lines := []string{name}
	lines = append(lines, strings.Split(a.Street, "\n")...)
	lines = append(lines, joinNonEmpty(" ", a.PostalCode, a.City), a.Region, a.Country)
	return joinNonEmpty("\n", lines...)
}

// cues are the details to mention, pinned ones first.
func cues(details []model.Detail, n int) []string {
	var pinned, other []string
	for _, d := range details {
		text := joinNonEmpty(": ", d.Label, d.Value)
		if d.Pinned {
			pinned = append(pinned, text)
		} else {
			other = append(other, text)
		}
	}
	all := append(pinned, other...)
	return all[:min(n, len(all))]
}
