// Package jsonbackup owns Rapport's JSON backup format: the file's types,
// writing a backup contact by contact, and reading one back, checked and
// converted for storage, one contact at a time in little memory. It holds
// no store: app's export and restore use cases hand it contacts and take
// them back, and lend it the journal's own rules (Rules).
package jsonbackup

import (
	"errors"

	"github.com/rapportjournal/rapport/model"
)

// The backup format's name and the version this build writes.
const (
	Format  = "rapport-backup"
	Version = 1
)

// Errors a restore tells apart.
var (
	ErrNotBackup   = errors.New("not a Rapport backup")
	ErrNewerBackup = errors.New("the backup was made by a newer version of Rapport; update Rapport to restore it")
)

// Backup is the whole journal as JSON: a stable contract, documented in the
// README.
type Backup struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	ExportedAt string    `json:"exported_at"`
	Contacts   []Contact `json:"contacts"`
}

// Contact is one contact in a backup.
type Contact struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	GivenName    string        `json:"given_name"`
	FamilyName   string        `json:"family_name"`
	Nickname     string        `json:"nickname"`
	Organization string        `json:"organization"`
	Title        string        `json:"title"`
	Stage        string        `json:"stage"`
	ReferredBy   *string       `json:"referred_by"`
	HowWeMet     string        `json:"how_we_met"`
	Phones       []Phone       `json:"phones"`
	Emails       []Email       `json:"emails"`
	Addresses    []Address     `json:"addresses"`
	Birthday     *string       `json:"birthday"`
	Dates        []Date        `json:"dates"`
	Details      []Detail      `json:"details"`
	Tags         []string      `json:"tags"`
	Journal      []Entry       `json:"journal"`
	Appointments []Appointment `json:"appointments"`
	NotesOwed    []Note        `json:"notes_owed"`
	Photo        string        `json:"photo,omitempty"`       // base64
	VCardUID     string        `json:"vcard_uid,omitempty"`   // the UID of the card it was imported from
	VCardExtra   string        `json:"vcard_extra,omitempty"` // vCard lines kept for the vCard export
	CreatedAt    string        `json:"created_at,omitempty"`
	UpdatedAt    string        `json:"updated_at,omitempty"`

	// Whether they agreed to receive the newsletter, and the day they did
	// (YYYY-MM-DD). Left out when not given; backups made before these keys
	// existed restore as not agreed.
	NewsletterConsent     bool   `json:"newsletter_consent,omitempty"`
	NewsletterConsentDate string `json:"newsletter_consent_date,omitempty"`
}

// Phone is a phone number with its label.
type Phone struct {
	Number string `json:"number"`
	Label  string `json:"label"`
}

// Email is an email address with its label.
type Email struct {
	Address string `json:"address"`
	Label   string `json:"label"`
}

// Address is a postal address.
type Address struct {
	Label      string `json:"label"`
	Street     string `json:"street"`
	City       string `json:"city"`
	Region     string `json:"region"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// Date is an important date, "YYYY-MM-DD" or "--MM-DD".
type Date struct {
	Label string `json:"label"`
	Date  string `json:"date"`
}

// Detail is a remembered personal detail.
type Detail struct {
	Label  string `json:"label"`
	Value  string `json:"value"`
	Pinned bool   `json:"pinned"`
}

// Entry is a journal entry. A purchase may add what was bought and
// its amount in minor units (cents) of its currency: keys a backup
// without them (or an older Rapport reading them) does without, so the
// version stays 1.
type Entry struct {
	At       string `json:"at"`
	Kind     string `json:"kind"`
	Text     string `json:"text"`
	Item     string `json:"item,omitempty"`
	Amount   *int64 `json:"amount,omitempty"`
	Currency string `json:"currency,omitempty"`
	// An entry of an outreach to a group: the outreach's number and what
	// was sent. Left out of other entries (and of older backups).
	Outreach int64  `json:"outreach,omitempty"`
	Title    string `json:"title,omitempty"`
	Link     string `json:"link,omitempty"`
	// Change is, on feedback, what the owner will change because of it.
	Change string `json:"change,omitempty"`
}

// Appointment is an appointment and its outcome.
type Appointment struct {
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

// Note is a handwritten-note reminder.
type Note struct {
	Reason      string           `json:"reason"`
	Due         string           `json:"due"`
	Status      model.NoteStatus `json:"status"`
	WrittenAt   *string          `json:"written_at"`
	PostedAt    *string          `json:"posted_at"`
	WrittenText string           `json:"written_text,omitempty"`
}
