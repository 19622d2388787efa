package app

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// The backup format's name and the version this build writes.
const (
	BackupFormat  = "rapport-backup"
	BackupVersion = 1
)

// Errors a restore tells apart.
var (
	ErrNotBackup   = errors.New("not a Rapport backup")
	ErrNewerBackup = errors.New("the backup was made by a newer version of Rapport; update Rapport to restore it")
)

// Backup is the whole journal as JSON: a stable contract, documented in the
// README.
type Backup struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	ExportedAt string          `json:"exported_at"`
	Contacts   []BackupContact `json:"contacts"`
}

// BackupContact is one contact in a backup.
type BackupContact struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	GivenName    string              `json:"given_name"`
	FamilyName   string              `json:"family_name"`
	Nickname     string              `json:"nickname"`
	Organization string              `json:"organization"`
	Title        string              `json:"title"`
	Stage        string              `json:"stage"`
	ReferredBy   *string             `json:"referred_by"`
	HowWeMet     string              `json:"how_we_met"`
	Phones       []BackupPhone       `json:"phones"`
	Emails       []BackupEmail       `json:"emails"`
	Addresses    []BackupAddress     `json:"addresses"`
	Birthday     *string             `json:"birthday"`
	Dates        []BackupDate        `json:"dates"`
	Details      []BackupDetail      `json:"details"`
	Tags         []string            `json:"tags"`
	Journal      []BackupEntry       `json:"journal"`
	Appointments []BackupAppointment `json:"appointments"`
	NotesOwed    []BackupNote        `json:"notes_owed"`
	Photo        string              `json:"photo,omitempty"`       // base64
	VCardUID     string              `json:"vcard_uid,omitempty"`   // the UID of the card it was imported from
	VCardExtra   string              `json:"vcard_extra,omitempty"` // vCard lines kept for the vCard export
	Reliability  *Reliability        `json:"reliability,omitempty"` // in list --json only: derived, not backed up
	CreatedAt    string              `json:"created_at,omitempty"`
	UpdatedAt    string              `json:"updated_at,omitempty"`

	// Whether they agreed to receive the newsletter, and the day they did
	// (YYYY-MM-DD). Left out when not given; backups made before these keys
	// existed restore as not agreed.
	NewsletterConsent     bool   `json:"newsletter_consent,omitempty"`
	NewsletterConsentDate string `json:"newsletter_consent_date,omitempty"`
}

// BackupPhone is a phone number with its label.
type BackupPhone struct {
	Number string `json:"number"`
	Label  string `json:"label"`
}

// BackupEmail is an email address with its label.
type BackupEmail struct {
	Address string `json:"address"`
	Label   string `json:"label"`
}

// BackupAddress is a postal address.
type BackupAddress struct {
	Label      string `json:"label"`
	Street     string `json:"street"`
	City       string `json:"city"`
	Region     string `json:"region"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// BackupDate is an important date, "YYYY-MM-DD" or "--MM-DD".
type BackupDate struct {
	Label string `json:"label"`
	Date  string `json:"date"`
}

// BackupDetail is a remembered personal detail.
type BackupDetail struct {
	Label  string `json:"label"`
	Value  string `json:"value"`
	Pinned bool   `json:"pinned"`
}

// BackupEntry is a journal entry. A purchase may add what was bought and
// its amount in minor units (cents) of its currency: keys a backup
// without them (or an older Rapport reading them) does without, so the
// version stays 1.
type BackupEntry struct {
	At       string `json:"at"`
	Kind     string `json:"kind"`
	Text     string `json:"text"`
	Item     string `json:"item,omitempty"`
	Amount   *int64 `json:"amount,omitempty"`
	Currency string `json:"currency,omitempty"`
	// Change is, on feedback, what the owner will change because of it.
	Change string `json:"change,omitempty"`
}

// BackupAppointment is an appointment and its outcome.
type BackupAppointment struct {
	ID          int64         `json:"id,omitempty"` // its place among the contact's appointments, from 1
	Start       string        `json:"start"`
	Minutes     int           `json:"minutes"`
	Purpose     string        `json:"purpose"`
	Outcome     model.Outcome `json:"outcome"`
	MinutesLate int           `json:"minutes_late"`
	CancelledAt *string       `json:"cancelled_at"`
	// RescheduledTo is the id of the appointment this one was moved to.
	RescheduledTo int64 `json:"rescheduled_to,omitempty"`
	// RemindedAt is when the person was reminded of it; left out if not
	// (older backups lack it).
	RemindedAt *string `json:"reminded_at,omitempty"`
}

// BackupNote is a handwritten-note reminder.
type BackupNote struct {
	Reason      string           `json:"reason"`
	Due         string           `json:"due"`
	Status      model.NoteStatus `json:"status"`
	WrittenAt   *string          `json:"written_at"`
	PostedAt    *string          `json:"posted_at"`
	WrittenText string           `json:"written_text,omitempty"`
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func formatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

// toBackup turns a stored contact into its backup form; uids maps contact
// IDs to backup IDs for referred_by.
func toBackup(c *model.Contact, uids map[int64]string, withPhoto bool) BackupContact {
	b := BackupContact{
		ID: c.UID, Name: c.DisplayName, GivenName: c.GivenName, FamilyName: c.FamilyName,
		Nickname: c.Nickname, Organization: c.Organization, Title: c.Title, Stage: string(c.Stage),
		HowWeMet: c.HowWeMet, CreatedAt: formatTime(c.CreatedAt), UpdatedAt: formatTime(c.UpdatedAt),
		VCardUID: c.VCardUID, VCardExtra: c.VCardExtra,
		NewsletterConsent: c.NewsletterConsent, NewsletterConsentDate: c.NewsletterConsentDate,
		Phones: []BackupPhone{}, Emails: []BackupEmail{}, Addresses: []BackupAddress{}, Dates: []BackupDate{},
		Details: []BackupDetail{}, Tags: []string{}, Journal: []BackupEntry{},
		Appointments: []BackupAppointment{}, NotesOwed: []BackupNote{},
	}
	if c.ReferredByID != nil {
		if uid, ok := uids[*c.ReferredByID]; ok {
			b.ReferredBy = &uid
		}
	}
	for _, p := range c.Phones {
		b.Phones = append(b.Phones, BackupPhone{Number: p.Number, Label: p.Label})
	}
	for _, e := range c.Emails {
		b.Emails = append(b.Emails, BackupEmail{Address: e.Address, Label: e.Label})
	}
	for _, a := range c.Addresses {
		b.Addresses = append(b.Addresses, BackupAddress{Label: a.Label, Street: a.Street, City: a.City,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country})
	}
	for _, d := range c.Dates {
		date := dateOf(d).String()
		if d.Label == model.DateBirthday && b.Birthday == nil {
			b.Birthday = &date
			continue
		}
		b.Dates = append(b.Dates, BackupDate{Label: d.Label, Date: date})
	}
	for _, d := range c.Details {
		b.Details = append(b.Details, BackupDetail{Label: d.Label, Value: d.Value, Pinned: d.Pinned})
	}
	for _, t := range c.Tags {
		b.Tags = append(b.Tags, t.Name)
	}
	for _, e := range c.Journal {
		b.Journal = append(b.Journal, BackupEntry{At: formatTime(e.At), Kind: string(e.Kind), Text: e.Text,
			Item: e.Item, Amount: e.Amount, Currency: e.Currency, Change: e.ChangeNote})
	}
	// An appointment's id in a backup is its place among the contact's,
	// from 1: the same after a restore, whatever the database's row IDs.
	place := make(map[int64]int64, len(c.Appointments))
	for i, a := range c.Appointments {
		place[a.ID] = int64(i + 1)
	}
	for i, a := range c.Appointments {
		ba := BackupAppointment{ID: int64(i + 1), Start: formatTime(a.Start), Minutes: a.Minutes,
			Purpose: a.Purpose, Outcome: a.Outcome, MinutesLate: a.MinutesLate, CancelledAt: formatTimePtr(a.CancelledAt),
			RemindedAt: formatTimePtr(a.RemindedAt)}
		if a.RescheduledToID != nil {
			ba.RescheduledTo = place[*a.RescheduledToID] // 0 (left out) if it is another contact's
		}
		b.Appointments = append(b.Appointments, ba)
	}
	for _, n := range c.NotesOwed {
		b.NotesOwed = append(b.NotesOwed, BackupNote{Reason: n.Reason, Due: n.Due, Status: n.Status,
			WrittenAt: formatTimePtr(n.WrittenAt), PostedAt: formatTimePtr(n.PostedAt), WrittenText: n.WrittenText})
	}
	if withPhoto && len(c.Photo) > 0 {
		b.Photo = base64.StdEncoding.EncodeToString(c.Photo)
	}
	return b
}

// Export writes the whole journal as a backup to w, contact by contact, so
// memory stays flat however large the journal is.
func (s *Service) Export(ctx context.Context, w io.Writer) error {
	uids, err := s.store().UIDs(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n  \"format\": %q,\n  \"version\": %d,\n  \"exported_at\": %q,\n  \"contacts\": [",
		BackupFormat, BackupVersion, formatTime(s.now()))
	first := true
	err = s.store().EachContact(ctx, func(c *model.Contact) error {
		data, err := json.MarshalIndent(toBackup(c, uids, true), "    ", "  ")
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n    ")
		_, err = bw.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if !first {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// ContactsJSON writes {"contacts": [...]} with the backup objects of the
// contacts matching search, photos left out, each with its reliability as of
// the day on.
func (s *Service) ContactsJSON(ctx context.Context, search string, on time.Time, w io.Writer) error {
	rows, err := s.store().ListContacts(ctx, search, 0)
	if err != nil {
		return err
	}
	uids, err := s.store().UIDs(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Contacts []BackupContact `json:"contacts"`
	}{Contacts: make([]BackupContact, 0, len(rows))}
	const page = 200
	for start := 0; start < len(rows); start += page {
		ids := make([]int64, 0, page)
		for _, r := range rows[start:min(start+page, len(rows))] {
			ids = append(ids, r.ID)
		}
		contacts, err := s.store().Contacts(ctx, ids)
		if err != nil {
			return err
		}
		for i := range contacts {
			b := toBackup(&contacts[i], uids, false)
			r := ReliabilityOf(contacts[i].Appointments, on, s.Rules())
			b.Reliability = &r
			out.Contacts = append(out.Contacts, b)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// RestoreReport counts what a restore did.
type RestoreReport struct {
	Created int // contacts new to this database
	Merged  int // contacts already here, completed from the backup
}

// Restore reads a backup and merges it into the database by contact ID, all
// in one transaction: a backup with any broken contact changes nothing.
// Restoring the same backup twice leaves one copy of everything; what is
// already here is kept, and the backup's version of a field wins only where
// the backup's contact is the more recently changed. The backup is read
// contact by contact as it is merged, so its size does not matter.
func (s *Service) Restore(ctx context.Context, r io.Reader) (RestoreReport, error) {
	report, err := s.restore(ctx, r)
	if err != nil {
		return report, fmt.Errorf("restore: %w", err)
	}
	return report, nil
}

func (s *Service) restore(ctx context.Context, r io.Reader) (RestoreReport, error) {
	// A merge is an import too: it matches by UID against what is there.
	unlock, err := s.lockImports(ctx)
	if err != nil {
		return RestoreReport{}, err
	}
	defer unlock()
	var report RestoreReport
	err = s.store().InTx(ctx, func(tx *model.Store) error {
		report = RestoreReport{}
		ids := map[string]int64{}
		// Who referred whom, by backup ID, linked once every contact is in.
		type referral struct{ name, by string }
		referrals := map[string]referral{}
		err := readBackup(r, func(rc restored) error {
			id, created, err := s.mergeRestored(ctx, tx, rc)
			if err != nil {
				return fmt.Errorf("contact %q (%s): %w", rc.contact.DisplayName, rc.contact.UID, err)
			}
			ids[rc.contact.UID] = id
			if rc.referredBy != "" {
				referrals[rc.contact.UID] = referral{rc.contact.DisplayName, rc.referredBy}
			}
			if created {
				report.Created++
			} else {
				report.Merged++
			}
			return nil
		})
		if err != nil {
			return err
		}
		for uid, r := range referrals {
			ref, ok := ids[r.by]
			if !ok {
				var err error
				ref, err = tx.ContactIDByUID(ctx, r.by)
				if err != nil {
					return fmt.Errorf("contact %q (%s): referred_by %q is neither in the backup nor in the database",
						r.name, uid, r.by)
				}
			}
			if err := tx.SetReferrer(ctx, ids[uid], &ref); err != nil {
				return err
			}
		}
		// Their appointments may have changed: they are scored afresh.
		changed := make([]int64, 0, len(ids))
		for _, id := range ids {
			changed = append(changed, id)
		}
		if err := tx.ForgetReliability(ctx, changed); err != nil {
			return fmt.Errorf("reliability of the restored contacts: %w", err)
		}
		return nil
	})
	if err != nil {
		return RestoreReport{}, err
	}
	return report, nil
}

// mergeRestored merges one contact of a backup into the database, as a
// restore does (a contact deleted as on the phone comes back this way too).
func (s *Service) mergeRestored(ctx context.Context, tx *model.Store, rc restored) (id int64, created bool, err error) {
	s.normalizePhones(&rc.contact)
	id, created, err = mergeContact(ctx, tx, rc)
	if err == nil && len(rc.rescheduled) > 0 {
		err = linkRescheduled(ctx, tx, id, rc)
	}
	return id, created, err
}

// linkRescheduled links the restored contact's appointments that were
// rescheduled to the ones they were moved to, found by start and purpose
// (as the merge matches them), where the database has no link yet.
func linkRescheduled(ctx context.Context, tx *model.Store, id int64, rc restored) error {
	c, err := tx.Contact(ctx, id)
	if err != nil {
		return err
	}
	key := func(a model.Appointment) string { return a.Start.UTC().Format("2006-01-02T15:04") + "\x00" + a.Purpose }
	stored := make(map[string]*model.Appointment, len(c.Appointments))
	for i := range c.Appointments {
		stored[key(c.Appointments[i])] = &c.Appointments[i]
	}
	for _, link := range rc.rescheduled {
		from, to := stored[key(rc.contact.Appointments[link[0]])], stored[key(rc.contact.Appointments[link[1]])]
		if from == nil || to == nil || from.RescheduledToID != nil || from.ID == to.ID {
			continue
		}
		from.RescheduledToID = &to.ID
		if err := tx.SaveAppointment(ctx, from); err != nil {
			return err
		}
	}
	return nil
}

// restored is a contact read from a backup, checked and converted.
type restored struct {
	contact    model.Contact
	referredBy string
	// rescheduled links appointments, by their index in
	// contact.Appointments: [0] was moved to [1].
	rescheduled [][2]int
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

// fromBackup checks one backup contact and converts it for storage.
func fromBackup(b BackupContact) (restored, error) {
	var rc restored
	if strings.TrimSpace(b.ID) == "" {
		return rc, errors.New("no id")
	}
	c := model.Contact{
		UID: b.ID, DisplayName: b.Name, GivenName: b.GivenName, FamilyName: b.FamilyName,
		Nickname: b.Nickname, Organization: b.Organization, Title: b.Title, Stage: model.Stage(b.Stage),
		HowWeMet: b.HowWeMet, VCardUID: b.VCardUID, VCardExtra: b.VCardExtra,
	}
	if b.Stage != "" && !c.Stage.Valid() {
		return rc, fmt.Errorf("stage %q: want prospect, customer or client", b.Stage)
	}
	if b.NewsletterConsent {
		if b.NewsletterConsentDate != "" {
			if _, err := time.Parse(time.DateOnly, b.NewsletterConsentDate); err != nil {
				return rc, fmt.Errorf("newsletter_consent_date %q: want YYYY-MM-DD", b.NewsletterConsentDate)
			}
		}
		c.NewsletterConsent, c.NewsletterConsentDate = true, b.NewsletterConsentDate
	}
	if b.ReferredBy != nil {
		if *b.ReferredBy == b.ID {
			return rc, errors.New("referred_by names the contact itself")
		}
		rc.referredBy = *b.ReferredBy
	}
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
	if err := tidy(&c); err != nil {
		return rc, err
	}
	dates := b.Dates
	if b.Birthday != nil {
		dates = append([]BackupDate{{Label: model.DateBirthday, Date: *b.Birthday}}, dates...)
	}
	for _, d := range dates {
		pd, err := ParsePartialDate(d.Date)
		if err != nil {
			return rc, fmt.Errorf("%s: %w", d.Label, err)
		}
		c.Dates = append(c.Dates, toModelDate(d.Label, pd))
	}
	for _, d := range b.Details {
		c.Details = append(c.Details, model.Detail{Label: d.Label, Value: d.Value, Pinned: d.Pinned})
	}
	for _, t := range b.Tags {
		if t = strings.TrimSpace(t); t != "" && !hasTag(c.Tags, t) {
			c.Tags = append(c.Tags, model.Tag{Name: t})
		}
	}
	for _, e := range b.Journal {
		at, err := parseTime(e.At)
		if err != nil {
			return rc, fmt.Errorf("journal: %w", err)
		}
		kind := model.EntryKind(e.Kind)
		if !kind.Valid() {
			return rc, fmt.Errorf("journal: unknown kind %q", e.Kind)
		}
		if !validTime(at) {
			return rc, fmt.Errorf("journal: at %q: want a year from 1 to 9999", e.At)
		}
		je := model.JournalEntry{At: at, Kind: kind, Text: e.Text, Item: e.Item, Amount: e.Amount, Currency: e.Currency, ChangeNote: e.Change}
		if err := checkEntryAmount(&je); err != nil {
			return rc, fmt.Errorf("journal entry of %s: %w", e.At, err)
		}
		if je.ChangeNote != "" && kind != model.KindFeedback {
			return rc, fmt.Errorf("journal entry of %s: only feedback says what will change, not a %s", e.At, kind)
		}
		c.Journal = append(c.Journal, je)
	}
	for _, a := range b.Appointments {
		start, err := parseTime(a.Start)
		if err != nil {
			return rc, fmt.Errorf("appointment: %w", err)
		}
		cancelled, err := parseTimePtr(a.CancelledAt)
		if err != nil {
			return rc, fmt.Errorf("appointment: %w", err)
		}
		reminded, err := parseTimePtr(a.RemindedAt)
		if err != nil {
			return rc, fmt.Errorf("appointment: %w", err)
		}
		ma := model.Appointment{Start: start, Minutes: a.Minutes,
			Purpose: a.Purpose, Outcome: a.Outcome, MinutesLate: a.MinutesLate, CancelledAt: cancelled, RemindedAt: reminded}
		if err := ValidateAppointment(ma); err != nil {
			return rc, fmt.Errorf("appointment of %s: %w", a.Start, err)
		}
		c.Appointments = append(c.Appointments, ma)
	}
	links, err := rescheduledLinks(b.Appointments)
	if err != nil {
		return rc, err
	}
	rc.rescheduled = links
	for _, n := range b.NotesOwed {
		if _, err := time.Parse(time.DateOnly, n.Due); err != nil {
			return rc, fmt.Errorf("note %q: due %q: want YYYY-MM-DD", n.Reason, n.Due)
		}
		written, err := parseTimePtr(n.WrittenAt)
		if err != nil {
			return rc, fmt.Errorf("note %q: %w", n.Reason, err)
		}
		posted, err := parseTimePtr(n.PostedAt)
		if err != nil {
			return rc, fmt.Errorf("note %q: %w", n.Reason, err)
		}
		if !n.Status.Valid() {
			return rc, fmt.Errorf("note %q: status %q: want owed, written or posted", n.Reason, n.Status)
		}
		c.NotesOwed = append(c.NotesOwed, model.NoteReminder{Reason: n.Reason, Due: n.Due, Status: n.Status,
			WrittenAt: written, PostedAt: posted, WrittenText: n.WrittenText})
	}
	if b.Photo != "" {
		photo, err := base64.StdEncoding.DecodeString(b.Photo)
		if err != nil {
			return rc, fmt.Errorf("photo: %w", err)
		}
		c.Photo = photo
	}
	if b.CreatedAt != "" {
		if c.CreatedAt, err = parseTime(b.CreatedAt); err != nil {
			return rc, fmt.Errorf("created_at: %w", err)
		}
	}
	if b.UpdatedAt != "" {
		if c.UpdatedAt, err = parseTime(b.UpdatedAt); err != nil {
			return rc, fmt.Errorf("updated_at: %w", err)
		}
	}
	rc.contact = c
	return rc, nil
}

// rescheduledLinks checks the appointments' ids and where each was
// rescheduled to, and returns the links by index.
func rescheduledLinks(appts []BackupAppointment) ([][2]int, error) {
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

func hasTag(tags []model.Tag, name string) bool {
	for _, t := range tags {
		if strings.EqualFold(t.Name, name) {
			return true
		}
	}
	return false
}
