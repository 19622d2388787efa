package app

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
)

// mergeContact stores a restored contact: as a new contact when its ID is
// new here, otherwise by completing the contact already here. Nothing the
// database holds is removed.
func mergeContact(ctx context.Context, tx *model.Store, rc jsonbackup.Restored) (id int64, created bool, err error) {
	in := rc.Contact
	id, err = tx.ContactIDByUID(ctx, in.UID)
	if errors.Is(err, model.ErrNotFound) {
		if err := tx.CreateContact(ctx, &in); err != nil {
			return 0, false, err
		}
		return in.ID, true, nil
	}
	if err != nil {
		return 0, false, err
	}
	have, err := tx.Contact(ctx, id)
	if err != nil {
		return 0, false, err
	}
	changed := mergeOwnFields(have, &in)
	if mergeLists(have, &in) {
		changed = true
	}
	add := missingParts(have, &in)
	if !changed && len(add.Details)+len(add.Dates)+len(add.Journal)+len(add.Appointments)+len(add.NotesOwed) == 0 {
		return id, false, nil // already here, all of it: leave it untouched
	}
	if err := tx.UpdateContact(ctx, have, add); err != nil {
		return 0, false, err
	}
	return id, false, nil
}

// mergeOwnFields fills have's empty fields from in, and takes in's when
// the backup's copy is the newer; it reports whether have changed.
func mergeOwnFields(have, in *model.Contact) (changed bool) {
	backupNewer := in.UpdatedAt.After(have.UpdatedAt)
	pick := func(have *string, in string) {
		if (*have == "" || (backupNewer && in != "")) && *have != in {
			*have = in
			changed = true
		}
	}
	pick(&have.DisplayName, in.DisplayName)
	pick(&have.GivenName, in.GivenName)
	pick(&have.FamilyName, in.FamilyName)
	pick(&have.Nickname, in.Nickname)
	pick(&have.Organization, in.Organization)
	pick(&have.Title, in.Title)
	pick(&have.HowWeMet, in.HowWeMet)
	pick(&have.VCardUID, in.VCardUID)
	if in.VCardExtra != "" && !strings.Contains(have.VCardExtra, in.VCardExtra) && have.VCardExtra == "" {
		have.VCardExtra, changed = in.VCardExtra, true
	}
	// Consent only from the newer side: an older backup must not give back
	// a consent that was withdrawn since.
	if backupNewer && (have.NewsletterConsent != in.NewsletterConsent || have.NewsletterConsentDate != in.NewsletterConsentDate) {
		have.NewsletterConsent, have.NewsletterConsentDate = in.NewsletterConsent, in.NewsletterConsentDate
		changed = true
	}
	if backupNewer && have.Stage != in.Stage {
		have.Stage = in.Stage
		changed = true
	}
	if len(have.Photo) == 0 && len(in.Photo) > 0 {
		have.Photo, have.Thumbnail = in.Photo, in.Thumbnail
		changed = true
	}
	return changed
}

// mergeLists adds to have the phones, emails, addresses and tags only in
// in; it reports whether it added any.
func mergeLists(have, in *model.Contact) bool {
	before := len(have.Phones) + len(have.Emails) + len(have.Addresses) + len(have.Tags)
	have.Phones = union(have.Phones, in.Phones, func(p model.Phone) string { return digits(p.Number) })
	have.Emails = union(have.Emails, in.Emails, func(e model.Email) string { return strings.ToLower(e.Address) })
	have.Addresses = union(have.Addresses, in.Addresses, func(a model.Address) string {
		return model.Fold(a.Street + "|" + a.City + "|" + a.Region + "|" + a.PostalCode + "|" + a.Country)
	})
	have.Tags = union(have.Tags, in.Tags, func(t model.Tag) string { return strings.ToLower(t.Name) })
	return len(have.Phones)+len(have.Emails)+len(have.Addresses)+len(have.Tags) != before
}

// missingParts are in's details, dates, journal entries, appointments and
// notes owed that have lacks, the details placed after have's.
func missingParts(have, in *model.Contact) model.Additions {
	add := model.Additions{
		Details: missing(have.Details, in.Details, func(d model.Detail) string { return d.Label + "\x00" + d.Value }),
		Dates: missing(have.Dates, in.Dates, func(d model.ImportantDate) string {
			return d.Label + "\x00" + dateOf(d).String()
		}),
		Journal: missing(have.Journal, in.Journal, func(e model.JournalEntry) string {
			return e.At.UTC().Format("2006-01-02T15:04:05") + "\x00" + string(e.Kind) + "\x00" + e.Text
		}),
		Appointments: missing(have.Appointments, in.Appointments, func(a model.Appointment) string {
			return a.Start.UTC().Format("2006-01-02T15:04") + "\x00" + a.Purpose
		}),
		NotesOwed: missing(have.NotesOwed, in.NotesOwed, func(n model.NoteReminder) string {
			return n.Reason + "\x00" + n.Due
		}),
	}
	for i := range add.Details {
		add.Details[i].Position = len(have.Details) + i
	}
	return add
}

// union appends to have the rows of in whose key it does not hold yet.
func union[T any](have, in []T, key func(T) string) []T {
	return append(have, missing(have, in, key)...)
}

// missing returns the rows of in whose key none of have's rows (nor an
// earlier row of in) has.
func missing[T any](have, in []T, key func(T) string) []T {
	seen := make(map[string]bool, len(have)+len(in))
	for _, h := range have {
		seen[key(h)] = true
	}
	var out []T
	for _, r := range in {
		k := key(r)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, r)
	}
	return out
}

// digits keeps the digits of a phone number, enough to tell "+49 30 123" and
// "+49-30-123" are one number.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
