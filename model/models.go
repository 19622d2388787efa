// Package model holds Rapport's GORM models and the Store that reads and writes
// them. All SQL of the program lives in this package.
package model

import (
	"time"
)

// Stage is where a relationship stands: a prospect becomes a customer by
// buying once or twice, and a client by coming back without being chased.
type Stage string

// The relationship stages, in the order a relationship moves through them.
const (
	StageProspect Stage = "prospect"
	StageCustomer Stage = "customer"
	StageClient   Stage = "client"
)

// Stages lists every stage in order.
func Stages() []Stage { return []Stage{StageProspect, StageCustomer, StageClient} }

// Valid reports whether s is one of the known stages.
func (s Stage) Valid() bool {
	return s == StageProspect || s == StageCustomer || s == StageClient
}

// Outcome is how an appointment went; "" until it is recorded.
type Outcome string

// Appointment outcomes.
const (
	OutcomeOnTime      Outcome = "on_time"
	OutcomeLate        Outcome = "late"
	OutcomeNoShow      Outcome = "no_show"
	OutcomeCancelled   Outcome = "cancelled"
	OutcomeRescheduled Outcome = "rescheduled"
	OutcomeExcused     Outcome = "excused"
)

// Valid reports whether o is an outcome Rapport knows; "" (none yet) is.
func (o Outcome) Valid() bool {
	switch o {
	case "", OutcomeOnTime, OutcomeLate, OutcomeNoShow, OutcomeCancelled, OutcomeRescheduled, OutcomeExcused:
		return true
	}
	return false
}

// NoteStatus is where a handwritten note is: owed, written, posted.
type NoteStatus string

// Note reminder statuses, in the order a note moves through them.
const (
	NoteOwed    NoteStatus = "owed"
	NoteWritten NoteStatus = "written"
	NotePosted  NoteStatus = "posted"
)

// Valid reports whether s is one of the statuses.
func (s NoteStatus) Valid() bool {
	return s == NoteOwed || s == NoteWritten || s == NotePosted
}

// EntryKind says what happened in a journal entry.
type EntryKind string

// The journal entry kinds.
const (
	KindMet        EntryKind = "met"
	KindCall       EntryKind = "call"
	KindVisit      EntryKind = "visit"
	KindPurchase   EntryKind = "purchase"
	KindEmail      EntryKind = "email"
	KindNewsletter EntryKind = "newsletter"
	KindArticle    EntryKind = "article"
	KindSocial     EntryKind = "social"
	KindExtra      EntryKind = "extra"
	KindFeedback   EntryKind = "feedback"
	KindNote       EntryKind = "note"
	KindStage      EntryKind = "stage"
)

// EntryKinds lists every journal entry kind, the ones an owner logs by hand
// first.
func EntryKinds() []EntryKind {
	return []EntryKind{KindNote, KindMet, KindCall, KindVisit, KindPurchase, KindEmail,
		KindNewsletter, KindArticle, KindSocial, KindExtra, KindFeedback, KindStage}
}

// Valid reports whether k is one of the known kinds.
func (k EntryKind) Valid() bool {
	for _, known := range EntryKinds() {
		if k == known {
			return true
		}
	}
	return false
}

// Contact is one person (or company) the owner has a relationship with.
type Contact struct {
	ID           int64 `gorm:"primaryKey"`
	UID          string
	GivenName    string
	FamilyName   string
	DisplayName  string
	Nickname     string
	Organization string
	Title        string
	Stage        Stage
	ReferredByID *int64
	HowWeMet     string
	Photo        []byte
	Thumbnail    []byte
	SortKey      string
	VCardUID     string `gorm:"column:vcard_uid"`   // the UID of the vCard it was imported from
	VCardExtra   string `gorm:"column:vcard_extra"` // vCard lines Rapport does not use, kept for export
	VCardHash    string `gorm:"column:vcard_hash"`  // of the card last imported into it: the same card again changes nothing
	Version      int    // see UpdateContact
	CreatedAt    time.Time
	UpdatedAt    time.Time

	NewsletterConsent     bool   // agreed to receive the newsletter
	NewsletterConsentDate string // YYYY-MM-DD the consent was given, "" when not known

	Phones    []Phone         `gorm:"foreignKey:ContactID"`
	Emails    []Email         `gorm:"foreignKey:ContactID"`
	Addresses []Address       `gorm:"foreignKey:ContactID"`
	Details   []Detail        `gorm:"foreignKey:ContactID"`
	Dates     []ImportantDate `gorm:"foreignKey:ContactID"`
	Tags      []Tag           `gorm:"foreignKey:ContactID"`
	Journal   []JournalEntry  `gorm:"foreignKey:ContactID"`

	Appointments []Appointment  `gorm:"foreignKey:ContactID"`
	NotesOwed    []NoteReminder `gorm:"foreignKey:ContactID"`
}

// Phone is one of a contact's phone numbers, as written by the owner or the
// phone it came from.
type Phone struct {
	ID         int64 `gorm:"primaryKey"`
	ContactID  int64
	Label      string
	Number     string // as written
	Normalized string // E.164 where the number could be read, to match on
	Position   int
}

// Email is one of a contact's email addresses.
type Email struct {
	ID        int64 `gorm:"primaryKey"`
	ContactID int64
	Label     string
	Address   string
	Position  int
}

// Address is one of a contact's postal addresses.
type Address struct {
	ID         int64 `gorm:"primaryKey"`
	ContactID  int64
	Label      string
	Street     string
	City       string
	Region     string
	PostalCode string
	Country    string
	Position   int
}

// IsEmpty reports whether the address holds no text at all.
func (a Address) IsEmpty() bool {
	return a.Street == "" && a.City == "" && a.Region == "" && a.PostalCode == "" && a.Country == ""
}

// Detail is a remembered personal detail ("Daughter" = "Maya, starts school
// in August"). Pinned details are shown first on the card.
type Detail struct {
	ID        int64 `gorm:"primaryKey"`
	ContactID int64
	Label     string
	Value     string
	Pinned    bool
	Position  int
}

// Well-known labels of important dates; the owner may use any other label.
const (
	DateBirthday    = "birthday"
	DateAnniversary = "anniversary"
)

// ImportantDate is a yearly date worth remembering. The year is optional and
// never made up: a birthday known as "3 February" has Year nil.
type ImportantDate struct {
	ID        int64 `gorm:"primaryKey"`
	ContactID int64
	Label     string
	Year      *int
	Month     int
	Day       int
}

// Tag is a free word the owner (or an import) files a contact under.
type Tag struct {
	ID        int64 `gorm:"primaryKey"`
	ContactID int64
	Name      string
}

// JournalEntry is one dated interaction in a contact's rapport journal.
type JournalEntry struct {
	ID        int64 `gorm:"primaryKey"`
	ContactID int64
	At        time.Time
	Kind      EntryKind
	Text      string
	CreatedAt time.Time

	// A purchase may say what was bought and what it cost: Amount in minor
	// units of Currency (ISO 4217), nil when not told.
	Item     string
	Amount   *int64
	Currency string

	// An entry written by an outreach to a group carries its number
	// (OutreachID, nil otherwise) and what was sent: an article's or a
	// newsletter's title and link.
	OutreachID *int64
	Title      string
	Link       string

	// ChangeNote is, on a feedback entry, what the owner will change
	// because of the answer (the Text).
	ChangeNote string
}

// Appointment is a booked meeting and, afterwards, how it went.
type Appointment struct {
	ID              int64 `gorm:"primaryKey"`
	ContactID       int64
	Start           time.Time
	Minutes         int
	Purpose         string
	Outcome         Outcome
	MinutesLate     int
	CancelledAt     *time.Time
	RescheduledToID *int64
	// RemindedAt is when the owner reminded the person of it (nil: not).
	RemindedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// NoteReminder is a handwritten note the owner means to write.
type NoteReminder struct {
	ID          int64 `gorm:"primaryKey"`
	ContactID   int64
	Reason      string
	Due         string // YYYY-MM-DD, a calendar day with no time zone
	Status      NoteStatus
	WrittenAt   *time.Time
	PostedAt    *time.Time
	WrittenText string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ContactRow is the little a list needs to show one contact.
type ContactRow struct {
	ID           int64
	UID          string
	DisplayName  string
	Organization string
	Stage        Stage
}

// ImportBatch is one import of one file, with what it did.
type ImportBatch struct {
	ID           int64 `gorm:"primaryKey"`
	File         string
	StartedAt    time.Time
	FinishedAt   *time.Time
	Created      int
	Merged       int
	Skipped      int
	ProblemsFile string // where the raw text of skipped cards was saved
	UndoneAt     *time.Time
}

// ImportChange is one thing an import batch did to a contact, recorded so
// that the batch can be undone.
type ImportChange struct {
	ID        int64 `gorm:"primaryKey"`
	BatchID   int64
	ContactID int64
	Kind      string // contact, field, phone, email, address, detail, date, tag, journal
	RowID     int64  // the row added (phone, detail…)
	Field     string // the contact field filled
	Value     string // what was filled in
}
