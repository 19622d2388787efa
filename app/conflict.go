package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapportjournal/rapport/model"
)

// ErrChanged is returned by SaveContact when the contact was saved
// elsewhere (another window, another desk, an import) after the copy being
// saved was read: saving it would silently undo that change.
var ErrChanged = model.ErrChanged

// Difference is one field on which the owner's edit and the stored
// contact disagree.
type Difference struct {
	Field  string
	Mine   string
	Theirs string
}

// Differences compares an edited contact with what is stored now, field by
// field as the editor shows them, so that the owner can choose what to keep
// when someone else saved the contact meanwhile.
func (s *Service) Differences(ctx context.Context, mine *model.Contact) (theirs *model.Contact, diffs []Difference, err error) {
	theirs, err = s.store().Contact(ctx, mine.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("compare with the saved contact: %w", err)
	}
	fields := []struct {
		field       string
		mine, their string
	}{
		{"Display name", mine.DisplayName, theirs.DisplayName},
		{"Given name", mine.GivenName, theirs.GivenName},
		{"Family name", mine.FamilyName, theirs.FamilyName},
		{"Nickname", mine.Nickname, theirs.Nickname},
		{"Organization", mine.Organization, theirs.Organization},
		{"Title", mine.Title, theirs.Title},
		{"Stage", string(mine.Stage), string(theirs.Stage)},
		{"Referred by", s.contactNameOr(ctx, mine.ReferredByID), s.contactNameOr(ctx, theirs.ReferredByID)},
		{"How we met", mine.HowWeMet, theirs.HowWeMet},
		{"Phones", phonesLine(mine), phonesLine(theirs)},
		{"Emails", emailsLine(mine), emailsLine(theirs)},
		{"Addresses", addressesLine(mine), addressesLine(theirs)},
	}
	for _, f := range fields {
		if f.mine != f.their {
			diffs = append(diffs, Difference{Field: f.field, Mine: f.mine, Theirs: f.their})
		}
	}
	return theirs, diffs, nil
}

// contactNameOr is the name of contact id for a comparison: "" for none,
// its number when it cannot be read.
func (s *Service) contactNameOr(ctx context.Context, id *int64) string {
	if id == nil {
		return ""
	}
	n, err := s.store().ContactName(ctx, *id)
	if err != nil {
		return fmt.Sprintf("#%d", *id)
	}
	return n
}

// phonesLine is c's phones on one line, each with its label.
func phonesLine(c *model.Contact) string {
	var out []string
	for _, p := range c.Phones {
		out = append(out, strings.TrimSpace(p.Label+" "+p.Number))
	}
	return strings.Join(out, ", ")
}

// emailsLine is c's emails on one line, each with its label.
func emailsLine(c *model.Contact) string {
	var out []string
	for _, e := range c.Emails {
		out = append(out, strings.TrimSpace(e.Label+" "+e.Address))
	}
	return strings.Join(out, ", ")
}

// addressesLine is c's addresses on one line, their empty parts left out.
func addressesLine(c *model.Contact) string {
	var out []string
	for _, a := range c.Addresses {
		parts := slices.DeleteFunc([]string{a.Street, a.PostalCode + " " + a.City, a.Region, a.Country},
			func(p string) bool { return strings.TrimSpace(p) == "" })
		out = append(out, strings.Join(parts, ", "))
	}
	return strings.Join(out, "; ")
}

// SaveContactOver saves the owner's edit over whatever is stored now: the
// answer "keep mine" after ErrChanged. Only the fields the editor shows are
// taken from mine (those Differences compares). If yet another save lands between
// reading and writing, it still returns ErrChanged and the owner is asked
// again.
func (s *Service) SaveContactOver(ctx context.Context, mine *model.Contact) error {
	current, err := s.store().Contact(ctx, mine.ID)
	if err != nil {
		return fmt.Errorf("save contact: %w", err)
	}
	// Only what the editor shows is the owner's to keep: the rest (consent,
	// photo, tags, what an import added) stays as saved meanwhile.
	edited := *current
	edited.GivenName, edited.FamilyName, edited.DisplayName = mine.GivenName, mine.FamilyName, mine.DisplayName
	edited.Nickname, edited.Organization, edited.Title = mine.Nickname, mine.Organization, mine.Title
	edited.Stage, edited.ReferredByID, edited.HowWeMet = mine.Stage, mine.ReferredByID, mine.HowWeMet
	edited.Phones, edited.Emails, edited.Addresses = mine.Phones, mine.Emails, mine.Addresses
	if err := s.SaveContact(ctx, &edited); err != nil {
		return err
	}
	mine.Version = edited.Version
	return nil
}
