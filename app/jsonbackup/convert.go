package jsonbackup

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// Rules are the journal's own rules, which the app package owns: a restored
// contact passes the same checks as one the owner types or a card brings.
type Rules struct {
	// Tidy trims the names, phones, emails and addresses and derives the
	// display name. It runs before the dates, details and tags are added,
	// and so leaves those as the backup has them.
	Tidy func(c *model.Contact) error
	// Date reads an important date, "YYYY-MM-DD" or "--MM-DD", for storage
	// under label; DateText writes a stored one the same way.
	Date     func(label, text string) (model.ImportantDate, error)
	DateText func(d model.ImportantDate) string
	// Entry checks a journal entry's amount and currency.
	Entry func(e *model.JournalEntry) error
	// Appointment checks the values an appointment carries.
	Appointment func(a model.Appointment) error
}

// Restored is a contact read from a backup, checked and converted for
// storage.
type Restored struct {
	Contact model.Contact
	// ReferredBy is the backup ID of who referred them; "" if none.
	ReferredBy string
	// Rescheduled links appointments by their index in
	// Contact.Appointments: [0] was moved to [1].
	Rescheduled [][2]int
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func formatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("time %q: want RFC 3339 such as 2026-11-23T09:30:00Z", s)
	}
	return t, nil
}

func parseTimePtr(s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	t, err := parseTime(*s)
	return &t, err
}

// writable says whether t lies in years 1–9999, the years every format
// Rapport writes can hold (app's validTime for appointments, here for the
// journal, whose check the Entry rule does not make).
func writable(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// FromModel turns a stored contact into its backup form; uids maps contact
// IDs to backup IDs for referred_by. The photo is left out unless
// withPhoto.
func (r Rules) FromModel(c *model.Contact, uids map[int64]string, withPhoto bool) Contact {
	b := Contact{
		ID: c.UID, Name: c.DisplayName, GivenName: c.GivenName, FamilyName: c.FamilyName,
		Nickname: c.Nickname, Organization: c.Organization, Title: c.Title, Stage: string(c.Stage),
		HowWeMet: c.HowWeMet, CreatedAt: formatTime(c.CreatedAt), UpdatedAt: formatTime(c.UpdatedAt),
		VCardUID: c.VCardUID, VCardExtra: c.VCardExtra,
		NewsletterConsent: c.NewsletterConsent, NewsletterConsentDate: c.NewsletterConsentDate,
		Phones: []Phone{}, Emails: []Email{}, Addresses: []Address{}, Dates: []Date{},
		Details: []Detail{}, Tags: []string{}, Journal: []Entry{},
		Appointments: appointmentsOf(c.Appointments), NotesOwed: notesOf(c.NotesOwed),
	}
	if c.ReferredByID != nil {
		if uid, ok := uids[*c.ReferredByID]; ok {
			b.ReferredBy = &uid
		}
	}
	addReach(&b, c)
	r.addDates(&b, c.Dates)
	for _, d := range c.Details {
		b.Details = append(b.Details, Detail{Label: d.Label, Value: d.Value, Pinned: d.Pinned})
	}
	for _, t := range c.Tags {
		b.Tags = append(b.Tags, t.Name)
	}
	for _, e := range c.Journal {
		be := Entry{At: formatTime(e.At), Kind: string(e.Kind), Text: e.Text,
			Item: e.Item, Amount: e.Amount, Currency: e.Currency, Title: e.Title, Link: e.Link,
			Change: e.ChangeNote}
		if e.OutreachID != nil {
			be.Outreach = *e.OutreachID
		}
		b.Journal = append(b.Journal, be)
	}
	if withPhoto && len(c.Photo) > 0 {
		b.Photo = base64.StdEncoding.EncodeToString(c.Photo)
	}
	return b
}

// addReach adds the phones, emails and addresses.
func addReach(b *Contact, c *model.Contact) {
	for _, p := range c.Phones {
		b.Phones = append(b.Phones, Phone{Number: p.Number, Label: p.Label})
	}
	for _, e := range c.Emails {
		b.Emails = append(b.Emails, Email{Address: e.Address, Label: e.Label})
	}
	for _, a := range c.Addresses {
		b.Addresses = append(b.Addresses, Address{Label: a.Label, Street: a.Street, City: a.City,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country})
	}
}

// addDates adds the dates, the first birthday under its own key.
func (r Rules) addDates(b *Contact, dates []model.ImportantDate) {
	for _, d := range dates {
		date := r.DateText(d)
		if d.Label == model.DateBirthday && b.Birthday == nil {
			b.Birthday = &date
			continue
		}
		b.Dates = append(b.Dates, Date{Label: d.Label, Date: date})
	}
}

// appointmentsOf gives each appointment an id: its place among the
// contact's, from 1, the same after a restore whatever the database's row
// IDs.
func appointmentsOf(appts []model.Appointment) []Appointment {
	place := make(map[int64]int64, len(appts))
	for i, a := range appts {
		place[a.ID] = int64(i + 1)
	}
	out := make([]Appointment, 0, len(appts))
	for i, a := range appts {
		ba := Appointment{ID: int64(i + 1), Start: formatTime(a.Start), Minutes: a.Minutes,
			Purpose: a.Purpose, Outcome: a.Outcome, MinutesLate: a.MinutesLate, CancelledAt: formatTimePtr(a.CancelledAt),
			RemindedAt: formatTimePtr(a.RemindedAt)}
		if a.RescheduledToID != nil {
			ba.RescheduledTo = place[*a.RescheduledToID] // 0 (left out) if it is another contact's
		}
		out = append(out, ba)
	}
	return out
}

func notesOf(notes []model.NoteReminder) []Note {
	out := make([]Note, 0, len(notes))
	for _, n := range notes {
		out = append(out, Note{Reason: n.Reason, Due: n.Due, Status: n.Status,
			WrittenAt: formatTimePtr(n.WrittenAt), PostedAt: formatTimePtr(n.PostedAt), WrittenText: n.WrittenText})
	}
	return out
}

// ToModel checks one backup contact and converts it for storage. The
// checks run in the order of the contact's keys, so a contact with two
// faults is named for the first.
func (r Rules) ToModel(b Contact) (Restored, error) {
	var rc Restored
	if strings.TrimSpace(b.ID) == "" {
		return rc, errors.New("no id")
	}
	c, err := identity(b)
	if err != nil {
		return rc, err
	}
	if b.ReferredBy != nil {
		if *b.ReferredBy == b.ID {
			return rc, errors.New("referred_by names the contact itself")
		}
		rc.ReferredBy = *b.ReferredBy
	}
	for _, step := range []func(b Contact, c *model.Contact) error{r.reach, r.dates, keepsakes, r.journal, r.appointments} {
		if err := step(b, &c); err != nil {
			return rc, err
		}
	}
	if rc.Rescheduled, err = rescheduledLinks(b.Appointments); err != nil {
		return rc, err
	}
	if err := notes(b, &c); err != nil {
		return rc, err
	}
	if err := stamps(b, &c); err != nil {
		return rc, err
	}
	rc.Contact = c
	return rc, nil
}

// identity converts who the contact is: names, stage, how we met, where
// their card came from, and the newsletter consent.
func identity(b Contact) (model.Contact, error) {
	c := model.Contact{
		UID: b.ID, DisplayName: b.Name, GivenName: b.GivenName, FamilyName: b.FamilyName,
		Nickname: b.Nickname, Organization: b.Organization, Title: b.Title, Stage: model.Stage(b.Stage),
		HowWeMet: b.HowWeMet, VCardUID: b.VCardUID, VCardExtra: b.VCardExtra,
	}
	if b.Stage != "" && !c.Stage.Valid() {
		return c, fmt.Errorf("stage %q: want prospect, customer or client", b.Stage)
	}
	if b.NewsletterConsent {
		if b.NewsletterConsentDate != "" {
			if _, err := time.Parse(time.DateOnly, b.NewsletterConsentDate); err != nil {
				return c, fmt.Errorf("newsletter_consent_date %q: want YYYY-MM-DD", b.NewsletterConsentDate)
			}
		}
		c.NewsletterConsent, c.NewsletterConsentDate = true, b.NewsletterConsentDate
	}
	return c, nil
}

// reach converts the phones, emails and addresses, then tidies the contact.
func (r Rules) reach(b Contact, c *model.Contact) error {
	for _, p := range b.Phones {
		c.Phones = append(c.Phones, model.Phone{Number: p.Number, Label: p.Label})
	}
	for _, e := range b.Emails {
		c.Emails = append(c.Emails, model.Email{Address: e.Address, Label: e.Label})
	}
	for _, a := range b.Addresses {
		c.Addresses = append(c.Addresses, model.Address{Label: a.Label, Street: a.Street, City: a.City,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country})
	}
	return r.Tidy(c)
}

// dates converts the birthday and the other dates, the birthday first.
func (r Rules) dates(b Contact, c *model.Contact) error {
	dates := b.Dates
	if b.Birthday != nil {
		dates = append([]Date{{Label: model.DateBirthday, Date: *b.Birthday}}, dates...)
	}
	for _, d := range dates {
		md, err := r.Date(d.Label, d.Date)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Label, err)
		}
		c.Dates = append(c.Dates, md)
	}
	return nil
}

// keepsakes converts the details and the tags, a tag named twice kept once.
func keepsakes(b Contact, c *model.Contact) error {
	for _, d := range b.Details {
		c.Details = append(c.Details, model.Detail{Label: d.Label, Value: d.Value, Pinned: d.Pinned})
	}
	for _, t := range b.Tags {
		t = strings.TrimSpace(t)
		same := func(have model.Tag) bool { return strings.EqualFold(have.Name, t) }
		if t != "" && !slices.ContainsFunc(c.Tags, same) {
			c.Tags = append(c.Tags, model.Tag{Name: t})
		}
	}
	return nil
}

func (r Rules) journal(b Contact, c *model.Contact) error {
	for _, e := range b.Journal {
		at, err := parseTime(e.At)
		if err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		kind := model.EntryKind(e.Kind)
		if !kind.Valid() {
			return fmt.Errorf("journal: unknown kind %q", e.Kind)
		}
		if !writable(at) {
			return fmt.Errorf("journal: at %q: want a year from 1 to 9999", e.At)
		}
		je := model.JournalEntry{At: at, Kind: kind, Text: e.Text, Item: e.Item, Amount: e.Amount, Currency: e.Currency,
			Title: e.Title, Link: e.Link, ChangeNote: e.Change}
		if e.Outreach != 0 {
			je.OutreachID = &e.Outreach
		}
		if je.ChangeNote != "" && kind != model.KindFeedback {
			return fmt.Errorf("journal entry of %s: only feedback says what will change, not a %s", e.At, kind)
		}
		if err := r.Entry(&je); err != nil {
			return fmt.Errorf("journal entry of %s: %w", e.At, err)
		}
		c.Journal = append(c.Journal, je)
	}
	return nil
}

func (r Rules) appointments(b Contact, c *model.Contact) error {
	for _, a := range b.Appointments {
		start, err := parseTime(a.Start)
		if err != nil {
			return fmt.Errorf("appointment: %w", err)
		}
		cancelled, err := parseTimePtr(a.CancelledAt)
		if err != nil {
			return fmt.Errorf("appointment: %w", err)
		}
		reminded, err := parseTimePtr(a.RemindedAt)
		if err != nil {
			return fmt.Errorf("appointment: %w", err)
		}
		ma := model.Appointment{Start: start, Minutes: a.Minutes,
			Purpose: a.Purpose, Outcome: a.Outcome, MinutesLate: a.MinutesLate, CancelledAt: cancelled, RemindedAt: reminded}
		if err := r.Appointment(ma); err != nil {
			return fmt.Errorf("appointment of %s: %w", a.Start, err)
		}
		c.Appointments = append(c.Appointments, ma)
	}
	return nil
}

func notes(b Contact, c *model.Contact) error {
	for _, n := range b.NotesOwed {
		if _, err := time.Parse(time.DateOnly, n.Due); err != nil {
			return fmt.Errorf("note %q: due %q: want YYYY-MM-DD", n.Reason, n.Due)
		}
		written, err := parseTimePtr(n.WrittenAt)
		if err != nil {
			return fmt.Errorf("note %q: %w", n.Reason, err)
		}
		posted, err := parseTimePtr(n.PostedAt)
		if err != nil {
			return fmt.Errorf("note %q: %w", n.Reason, err)
		}
		if !n.Status.Valid() {
			return fmt.Errorf("note %q: status %q: want owed, written or posted", n.Reason, n.Status)
		}
		c.NotesOwed = append(c.NotesOwed, model.NoteReminder{Reason: n.Reason, Due: n.Due, Status: n.Status,
			WrittenAt: written, PostedAt: posted, WrittenText: n.WrittenText})
	}
	return nil
}

// stamps converts the photo and when the contact was created and changed.
func stamps(b Contact, c *model.Contact) error {
	var err error
	if b.Photo != "" {
		if c.Photo, err = base64.StdEncoding.DecodeString(b.Photo); err != nil {
			return fmt.Errorf("photo: %w", err)
		}
	}
	if b.CreatedAt != "" {
		if c.CreatedAt, err = parseTime(b.CreatedAt); err != nil {
			return fmt.Errorf("created_at: %w", err)
		}
	}
	if b.UpdatedAt != "" {
		if c.UpdatedAt, err = parseTime(b.UpdatedAt); err != nil {
			return fmt.Errorf("updated_at: %w", err)
		}
	}
	return nil
}

// rescheduledLinks checks the appointments' ids and where each was
// rescheduled to, and returns the links by index.
func rescheduledLinks(appts []Appointment) ([][2]int, error) {
	byID := map[int64]int{}
	for i, a := range appts {
		if a.ID == 0 {
			continue
		}
		if _, twice := byID[a.ID]; twice {
			return nil, fmt.Errorf("appointment id %d appears twice", a.ID)
		}
		byID[a.ID] = i
	}
	var links [][2]int
	for i, a := range appts {
		if a.RescheduledTo == 0 {
			continue
		}
		to, ok := byID[a.RescheduledTo]
		if !ok || to == i {
			return nil, fmt.Errorf("appointment of %s (%q): rescheduled_to %d is none of this contact's other appointments",
				a.Start, a.Purpose, a.RescheduledTo)
		}
		links = append(links, [2]int{i, to})
	}
	return links, nil
}
