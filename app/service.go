// Package app holds Rapport's use cases, behind one Service: contacts and
// their journal, vCard import (preview, matching, merge, undo) and export,
// appointments and reliability, handwritten notes and the Today follow-ups,
// printing (what goes on the sheets, labels and Insights PDFs, drawn by
// package pdf), the JSON backup and the database copies, forgetting a
// person, and the phone sync (over package dav). It knows no widgets and no
// SQL: the window (package ui) and the command line both call it, and it
// reaches the database only through model.Store. Subpackages own what needs
// no store: vcf reads vCard files, dav talks CardDAV and CalDAV, pdf lays
// out the printed pages and finds their fonts.
package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rapportjournal/rapport/app/money"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// ErrNotFound is returned for a contact or row that no longer exists.
var ErrNotFound = model.ErrNotFound

// Service is the journal's use cases over one store.
type Service struct {
	// db is the store in use, shared by copies of the service (WithClock):
	// restoring a backup file replaces it while the window holds on to the
	// service.
	db     *atomic.Pointer[model.Store]
	now    func() time.Time
	region *atomic.Value  // string: the phone region, settable while in use
	rules  *atomic.Value  // ReliabilityRules, settable while in use
	fonts  pdf.FontFinder // system fonts for scripts the embedded fonts lack
	notice *atomic.Value  // func(string): told when work waits for another process (SetWaitNotice)
	keys   Keyring        // where the phone sync's password is kept; nil: a file beside the database
	dates  *atomic.Value  // DateStyle of the texts the service writes, settable while in use
	money  *atomic.Value  // moneyLocale: how amounts are typed and shown, settable while in use
}

// New returns a Service over store, telling the time with the real clock and
// reading phone numbers without a country code as US numbers until told
// otherwise (SetPhoneRegion).
func New(store *model.Store) *Service {
	s := &Service{db: &atomic.Pointer[model.Store]{}, now: time.Now, region: &atomic.Value{}, rules: &atomic.Value{}, fonts: pdf.SystemFonts(),
		notice: &atomic.Value{}, dates: &atomic.Value{}, money: &atomic.Value{}}
	s.dates.Store(DateLong)
	s.money.Store(moneyLocale{style: money.Point, currency: "EUR"})
	s.db.Store(store)
	s.region.Store("US")
	s.rules.Store(DefaultReliabilityRules())
	return s
}

// WithKeyring returns a copy of the service keeping the phone sync's
// password in k (the system keyring) rather than in a file.
func (s *Service) WithKeyring(k Keyring) *Service {
	c := *s
	c.keys = k
	return &c
}

// store is the store in use.
func (s *Service) store() *model.Store {
	if s.db == nil {
		return nil
	}
	return s.db.Load()
}

// over returns a copy of the service working on st (a transaction's store).
func (s *Service) over(st *model.Store) *Service {
	c := *s
	c.db = &atomic.Pointer[model.Store]{}
	c.db.Store(st)
	return &c
}

// SetWaitNotice sets what hears, once per wait, that an import waits for
// another import (or a restore) of the database to finish; nil: nobody.
func (s *Service) SetWaitNotice(fn func(msg string)) { s.notice.Store(fn) }

// lockImports holds the database's import lock (see
// model.Store.LockImports) until unlock, telling the wait notice if it
// must wait.
func (s *Service) lockImports(ctx context.Context) (unlock func(), err error) {
	return s.store().LockImports(ctx, func() {
		if fn, _ := s.notice.Load().(func(string)); fn != nil {
			fn("waiting for another import or restore of this database to finish…")
		}
	})
}

// Close closes the store in use.
func (s *Service) Close() error { return s.store().Close() }

// Rules are the reliability rules in force.
func (s *Service) Rules() ReliabilityRules { return s.rules.Load().(ReliabilityRules) }

// SetPhoneRegion sets the country phone numbers written without a country
// code belong to ("DE"); they are stored in international form alongside,
// so that imports match them.
func (s *Service) SetPhoneRegion(code string) {
	if ValidRegion(code) {
		s.region.Store(strings.ToUpper(code))
	}
}

// SetDateStyle sets how the texts the service writes ("overdue since…",
// "Birthday on…") write their dates; DateLong until told.
func (s *Service) SetDateStyle(st DateStyle) { s.dates.Store(st) }

// DateStyle is the style set by SetDateStyle.
func (s *Service) DateStyle() DateStyle {
	if s.dates == nil {
		return DateLong
	}
	st, _ := s.dates.Load().(DateStyle)
	return st
}

// PhoneRegion is the region set by SetPhoneRegion.
func (s *Service) PhoneRegion() string { return s.region.Load().(string) }

// normalizePhones fills in the international form of every phone.
func (s *Service) normalizePhones(c *model.Contact) {
	region := s.PhoneRegion()
	for i := range c.Phones {
		c.Phones[i].Normalized = NormalizePhone(c.Phones[i].Number, region)
	}
}

// WithClock returns a copy of the service that reads the time from now; tests
// and `--on DATE` use it.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// WithFontFinder returns a copy of the service that prints the scripts the
// embedded fonts lack with the fonts f finds (nil: none, "?" instead);
// tests use it so as not to depend on the fonts installed.
func (s *Service) WithFontFinder(f pdf.FontFinder) *Service {
	c := *s
	c.fonts = f
	return &c
}

// Now is the service's current time.
func (s *Service) Now() time.Time { return s.now() }

// StorePath is where the database lives.
func (s *Service) StorePath() string { return s.store().Path() }

// ListContacts lists the contacts matching search, sorted by name.
func (s *Service) ListContacts(ctx context.Context, search string) ([]model.ContactRow, error) {
	return s.store().ListContacts(ctx, search, 0)
}

// FindContacts lists at most limit contacts matching search, for pickers.
func (s *Service) FindContacts(ctx context.Context, search string, limit int) ([]model.ContactRow, error) {
	return s.store().ListContacts(ctx, search, limit)
}

// Contact loads one contact with everything about it.
func (s *Service) Contact(ctx context.Context, id int64) (*model.Contact, error) {
	return s.store().Contact(ctx, id)
}

// Card is what the contact card shows, in the order a conversation needs it.
type Card struct {
	Contact     *model.Contact
	Pinned      []model.Detail // shown first: what to use in the next conversation
	Other       []model.Detail // the remaining details
	Upcoming    []UpcomingDate // important dates by next occurrence
	ReferredBy  string         // the referrer's name, "" when none
	Reliability Reliability    // how they keep appointments, as of now
	AskFeedback bool           // unreliable, and not asked since the latest incident
	// Links are the contacts linked to this one: a household sharing a
	// phone or email.
	Links []model.LinkedContact
	// Ahead are the appointments not yet over, soonest first; Past the
	// others, latest first.
	Ahead, Past []model.Appointment
	// Purchases are the visits, totals and averages of the last 365 days
	// and the last purchase; PurchaseLines say them, nil without any.
	Purchases     model.PurchaseSummary
	PurchaseLines []string
}

// Card loads a contact and arranges it for the card.
func (s *Service) Card(ctx context.Context, id int64) (*Card, error) {
	c, err := s.store().Contact(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(c.Photo) > 0 && len(c.Thumbnail) == 0 {
		withThumbnail(c)
		if len(c.Thumbnail) > 0 {
			if err := s.store().SetThumbnail(ctx, c.ID, c.Thumbnail); err != nil {
				return nil, err
			}
		}
	}
	card := &Card{Contact: c, Upcoming: upcoming(c.Dates, s.now()),
		Reliability: ReliabilityOf(c.Appointments, s.now(), s.Rules())}
	card.AskFeedback = FeedbackDue(card.Reliability, c.Journal)
	card.Ahead, card.Past = splitAppointments(c.Appointments, s.now())
	if card.Purchases, err = s.store().PurchaseSummary(ctx, id, Day(s.now()).AddDate(0, 0, -purchaseYearDays)); err != nil {
		return nil, err
	}
	card.PurchaseLines = s.purchaseLines(card.Purchases)
	for i := range card.Upcoming {
		card.Upcoming[i].Style = s.DateStyle()
	}
	for _, d := range c.Details {
		if d.Pinned {
			card.Pinned = append(card.Pinned, d)
		} else {
			card.Other = append(card.Other, d)
		}
	}
	if c.ReferredByID != nil {
		if ref, err := s.store().Contact(ctx, *c.ReferredByID); err == nil {
			card.ReferredBy = ref.DisplayName
		}
	}
	if card.Links, err = s.Links(ctx, id); err != nil {
		return nil, err
	}
	return card, nil
}

// Links lists the contacts linked to contact id (a household sharing a
// phone or email), by name.
func (s *Service) Links(ctx context.Context, id int64) ([]model.LinkedContact, error) {
	return s.store().LinksOf(ctx, id)
}

// DisplayName picks the name to show for a contact: the name given, else the
// given and family names, else the organization, nickname, first email or
// first phone.
func DisplayName(c *model.Contact) string {
	if n := strings.TrimSpace(c.DisplayName); n != "" {
		return n
	}
	if n := strings.TrimSpace(strings.TrimSpace(c.GivenName) + " " + strings.TrimSpace(c.FamilyName)); n != "" {
		return n
	}
	for _, n := range []string{c.Organization, c.Nickname} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	if len(c.Emails) > 0 && c.Emails[0].Address != "" {
		return c.Emails[0].Address
	}
	if len(c.Phones) > 0 && c.Phones[0].Number != "" {
		return c.Phones[0].Number
	}
	return ""
}

// ErrNoName is returned for a contact with nothing to call it by.
var ErrNoName = errors.New("a contact needs a name, organization, email or phone")

// tidy trims what the owner typed (or a card brought), drops empty phones
// and emails, and derives the display name. Names, labels, numbers,
// addresses and tags are one line each (see OneLine): only the street,
// how-we-met and the journal keep their line breaks.
func tidy(c *model.Contact) error {
	for _, f := range []*string{&c.DisplayName, &c.GivenName, &c.FamilyName, &c.Nickname, &c.Organization, &c.Title} {
		*f = OneLine(*f)
	}
	c.HowWeMet = strings.TrimSpace(c.HowWeMet)
	phones := c.Phones[:0]
	for _, p := range c.Phones {
		p.Label = OneLine(p.Label)
		if p.Number = OneLine(p.Number); p.Number != "" {
			phones = append(phones, p)
		}
	}
	c.Phones = phones
	emails := c.Emails[:0]
	for _, e := range c.Emails {
		e.Label = OneLine(e.Label)
		if e.Address = OneLine(e.Address); e.Address != "" {
			emails = append(emails, e)
		}
	}
	c.Emails = emails
	addresses := c.Addresses[:0]
	for _, a := range c.Addresses {
		for _, f := range []*string{&a.Label, &a.City, &a.Region, &a.PostalCode, &a.Country} {
			*f = OneLine(*f)
		}
		if !a.IsEmpty() {
			addresses = append(addresses, a)
		}
	}
	for i := range c.Details {
		c.Details[i].Label = OneLine(c.Details[i].Label)
	}
	for i := range c.Dates {
		c.Dates[i].Label = OneLine(c.Dates[i].Label)
	}
	tags := c.Tags[:0]
	for _, t := range c.Tags {
		if t.Name = OneLine(t.Name); t.Name != "" {
			tags = append(tags, t)
		}
	}
	c.Tags = tags
	c.Addresses = addresses
	if c.Stage == "" {
		c.Stage = model.StageProspect
	}
	if !c.Stage.Valid() {
		return fmt.Errorf("unknown stage %q", c.Stage)
	}
	c.DisplayName = DisplayName(c)
	if c.DisplayName == "" {
		return ErrNoName
	}
	return nil
}

// withThumbnail makes the thumbnail of a photo that has none. A photo that
// cannot be decoded is kept as it came, without one: losing it would be
// worse. Imports leave this to the first showing of the card, since scaling
// a phone photo costs more than storing the whole card.
func withThumbnail(c *model.Contact) {
	if len(c.Photo) > 0 && len(c.Thumbnail) == 0 {
		if thumb, err := Thumbnail(c.Photo); err == nil {
			c.Thumbnail = thumb
		}
	}
}

// CreateContact adds a new contact.
func (s *Service) CreateContact(ctx context.Context, c *model.Contact) error {
	if err := tidy(c); err != nil {
		return fmt.Errorf("new contact: %w", err)
	}
	s.normalizePhones(c)
	withThumbnail(c)
	if err := s.store().CreateContact(ctx, c); err != nil {
		return err
	}
	return s.afterNewContact(ctx, c)
}

// SaveContact saves the contact's own fields, phones, emails and addresses.
// A change of stage writes a journal entry by itself.
func (s *Service) SaveContact(ctx context.Context, c *model.Contact) error {
	if err := tidy(c); err != nil {
		return fmt.Errorf("save contact: %w", err)
	}
	s.normalizePhones(c)
	withThumbnail(c)
	before, err := s.store().Contact(ctx, c.ID)
	if err != nil {
		return err
	}
	var add model.Additions
	if before.Stage != c.Stage {
		add.Journal = append(add.Journal, stageEntry(before.Stage, c.Stage, s.now()))
	}
	return s.store().UpdateContact(ctx, c, add)
}

func stageEntry(from, to model.Stage, at time.Time) model.JournalEntry {
	return model.JournalEntry{
		Kind: model.KindStage,
		At:   at,
		Text: fmt.Sprintf("Stage changed from %s to %s", from, to),
	}
}

// DeleteContact removes a contact and everything about it.
func (s *Service) DeleteContact(ctx context.Context, id int64) error {
	return s.store().DeleteContact(ctx, id)
}

// LogEntry adds a journal entry dated now.
func (s *Service) LogEntry(ctx context.Context, contactID int64, kind model.EntryKind, text string) (*model.JournalEntry, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("log entry: say what happened")
	}
	e := &model.JournalEntry{ContactID: contactID, Kind: kind, Text: text, At: s.now()}
	if err := s.SaveJournalEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// SaveJournalEntry adds or updates a journal entry.
func (s *Service) SaveJournalEntry(ctx context.Context, e *model.JournalEntry) error {
	if !e.Kind.Valid() {
		return fmt.Errorf("journal entry: unknown kind %q", e.Kind)
	}
	if err := checkEntryAmount(e); err != nil {
		return err
	}
	if e.ChangeNote != "" && e.Kind != model.KindFeedback {
		return fmt.Errorf("journal entry: only feedback says what will change, not a %s", e.Kind)
	}
	if err := s.store().SaveJournalEntry(ctx, e); err != nil {
		return err
	}
	return s.afterEntry(ctx, e)
}

// DeleteJournalEntry removes a journal entry.
func (s *Service) DeleteJournalEntry(ctx context.Context, id int64) error {
	return s.store().DeleteJournalEntry(ctx, id)
}

// SaveDetail adds or updates a remembered detail.
func (s *Service) SaveDetail(ctx context.Context, d *model.Detail) error {
	d.Label, d.Value = strings.TrimSpace(d.Label), strings.TrimSpace(d.Value)
	if d.Label == "" && d.Value == "" {
		return errors.New("detail: give it a label or a value")
	}
	return s.store().SaveDetail(ctx, d)
}

// DeleteDetail removes a remembered detail.
func (s *Service) DeleteDetail(ctx context.Context, id int64) error {
	return s.store().DeleteDetail(ctx, id)
}

// SaveDate adds or updates an important date; date is "YYYY-MM-DD" or
// "--MM-DD".
func (s *Service) SaveDate(ctx context.Context, id, contactID int64, label, date string) error {
	label = strings.TrimSpace(label)
	if l := strings.ToLower(label); l == model.DateBirthday || l == model.DateAnniversary {
		label = l
	}
	if label == "" {
		return errors.New("date: give it a label, such as birthday")
	}
	d, err := ParsePartialDate(date)
	if err != nil {
		return err
	}
	md := toModelDate(label, d)
	md.ID, md.ContactID = id, contactID
	return s.store().SaveDate(ctx, &md)
}

// DeleteDate removes an important date.
func (s *Service) DeleteDate(ctx context.Context, id int64) error {
	return s.store().DeleteDate(ctx, id)
}
