package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// Reminder is a remind row of Today with what is needed to send it.
type Reminder struct {
	Followup
	Start   time.Time // the appointment's start, in the service's location
	Subject string    // of the email
	Text    string    // the reminder, in the owner's words
	Email   string    // the contact's first email address, "" if none
	Mobile  string    // the number to text: a mobile or cell one first, "" if none
}

// ReminderFor makes the reminder of f, a remind row of Today.
func (s *Service) ReminderFor(ctx context.Context, f Followup) (*Reminder, error) {
	if f.Kind != FollowRemind || f.AppointmentID == 0 {
		return nil, fmt.Errorf("reminder: %s is not an appointment to remind of", f.Kind)
	}
	a, err := s.store().Appointment(ctx, f.AppointmentID)
	if err != nil {
		return nil, fmt.Errorf("reminder: %w", err)
	}
	c, err := s.store().Contact(ctx, a.ContactID)
	if err != nil {
		return nil, fmt.Errorf("reminder: %w", err)
	}
	set, err := s.ReminderSettings(ctx)
	if err != nil {
		return nil, err
	}
	r := &Reminder{Followup: f, Start: a.Start.In(s.now().Location())}
	r.Text = s.ReminderText(set, c, a)
	r.Subject = "Your appointment tomorrow, " + s.DateStyle().Clock(r.Start)
	if set.Shop != "" {
		r.Subject += " — " + set.Shop
	}
	if len(c.Emails) > 0 {
		r.Email = strings.TrimSpace(c.Emails[0].Address)
	}
	r.Mobile = MobileNumber(c.Phones)
	return r, nil
}

// ReminderText fills the template of set for appointment a with c; the
// day and time are written in the owner's date style, in the service's
// location.
func (s *Service) ReminderText(set ReminderSettings, c *model.Contact, a *model.Appointment) string {
	start := a.Start.In(s.now().Location())
	first := strings.TrimSpace(c.GivenName)
	if first == "" {
		first = c.DisplayName
	}
	t := set.Template
	if a.Purpose == "" {
		t = strings.NewReplacer(" ({purpose})", "", "({purpose})", "").Replace(t)
	}
	if set.Shop == "" {
		t = strings.NewReplacer(" — {shop}", "", " - {shop}", "").Replace(t)
	}
	style := s.DateStyle()
	return strings.NewReplacer(
		"{first name}", first,
		"{name}", c.DisplayName,
		"{day}", style.Weekday(start),
		"{time}", style.Clock(start),
		"{purpose}", a.Purpose,
		"{shop}", set.Shop,
	).Replace(t)
}

// MobileNumber is the number to text among phones: the first labelled
// mobile or cell, else the first one; "" if none.
func MobileNumber(phones []model.Phone) string {
	for _, p := range phones {
		l := strings.ToLower(p.Label)
		if strings.Contains(l, "mobile") || strings.Contains(l, "cell") {
			return strings.TrimSpace(p.Number)
		}
	}
	if len(phones) > 0 {
		return strings.TrimSpace(phones[0].Number)
	}
	return ""
}

// MailtoLink is a mailto: URI (RFC 6068) to `to` with subject and body.
// Every octet of the UTF-8 text other than an unreserved character is
// percent-encoded (so that &, =, ?, #, % and spaces stay text), and line
// breaks are written as %0D%0A, as the RFC asks of a body.
func MailtoLink(to, subject, body string) string {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	var b strings.Builder
	b.WriteString("mailto:")
	b.WriteString(uriEscape(to, "@"))
	b.WriteString("?subject=")
	b.WriteString(uriEscape(subject, ""))
	b.WriteString("&body=")
	b.WriteString(uriEscape(body, ""))
	return b.String()
}

// SMSLink is an sms: URI of body to number, written sms:NUMBER?&body=…
// (the "?&" is read by both Android and iOS); the number keeps only its
// digits and a leading +.
func SMSLink(number, body string) (string, error) {
	var n strings.Builder
	for i, r := range strings.TrimSpace(number) {
		switch {
		case r >= '0' && r <= '9':
			n.WriteRune(r)
		case r == '+' && i == 0:
			n.WriteRune(r)
		}
	}
	digits := strings.TrimPrefix(n.String(), "+")
	if len(digits) < 3 {
		return "", errors.New("no phone number to text")
	}
	return "sms:" + n.String() + "?&body=" + uriEscape(body, ""), nil
}

// uriEscape percent-encodes every byte of s other than the unreserved
// characters of RFC 3986 and those in keep.
func uriEscape(s, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// MarkReminded records that the person was reminded of appointment id
// now, and logs it in their journal, in one transaction; its row leaves
// Today. The undo puts the appointment back as it was and removes the
// entry.
func (s *Service) MarkReminded(ctx context.Context, id int64) (Undo, error) {
	a, err := s.store().Appointment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("mark reminded: %w", err)
	}
	text := "Reminded of the appointment of " + s.DateStyle().DateTime(a.Start.In(s.now().Location()))
	if a.Purpose != "" {
		text += ": " + a.Purpose
	}
	return s.markReminded(ctx, id, text)
}

func (s *Service) markReminded(ctx context.Context, id int64, text string) (Undo, error) {
	now := s.now()
	e := &model.JournalEntry{Kind: model.KindCall, At: now, Text: text}
	before, err := s.store().MarkReminded(ctx, id, &now, e)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return s.store().UnmarkReminded(ctx, id, before, e.ID) }, nil
}

// minRemindGroup is how many counted appointments each group needs before
// reminded and not reminded ones are compared: fewer say nothing.
const minRemindGroup = 3

// keptCount counts the appointments of a group that count for reliability
// and those of them kept (on time or late).
type keptCount struct{ counted, kept int }

func (k *keptCount) add(kept bool) {
	k.counted++
	if kept {
		k.kept++
	}
}

func (k keptCount) String() string {
	return fmt.Sprintf("%d of %d kept (%d%%)", k.kept, k.counted, (200*k.kept+k.counted)/(2*k.counted))
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// remindersSummary says how often reminded appointments were kept against
// the others, when both groups have at least minRemindGroup: "Reminded: 4
// of 4 kept (100%); not reminded: 1 of 3 kept (33%)".
func remindersSummary(reminded, not keptCount) string {
	if reminded.counted < minRemindGroup || not.counted < minRemindGroup {
		return ""
	}
	return "Reminded: " + reminded.String() + "; not reminded: " + not.String()
}
