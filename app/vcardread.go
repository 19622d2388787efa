package app

import (
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/rapportjournal/rapport/app/vcardmap"
	"github.com/rapportjournal/rapport/app/vcf"
)

// ImportedCard is one vCard turned into a contact, with where it came from.
type ImportedCard = vcardmap.Card

// cardMapper turns read cards into contacts that follow this app's rules.
type cardMapper struct {
	region string    // default region for phone numbers, e.g. "DE"
	now    time.Time // when notes without a date are dated
}

// mapCard turns a read card into a contact. An error means the card has
// nothing to call the contact by, or could not be read whole, and is skipped.
func (m cardMapper) mapCard(card *vcf.Card) (ImportedCard, error) {
	ic, err := vcardmap.Mapper{Now: m.now, Rules: cardRules()}.Map(card)
	if err != nil {
		return ic, err
	}
	c := &ic.Contact
	for i := range c.Phones {
		c.Phones[i].Normalized = NormalizePhone(c.Phones[i].Number, m.region)
	}
	if err := tidy(c); err != nil {
		return ic, ErrNothingToCall
	}
	return ic, nil
}

// ErrNothingToCall is why a card with no name, organization, email or phone
// is skipped; it is an ErrNoName.
var ErrNothingToCall error = nothingToCall{}

type nothingToCall struct{}

func (nothingToCall) Error() string        { return "no name, organization, nickname, email or phone" }
func (nothingToCall) Is(target error) bool { return target == ErrNoName }

// NormalizePhone writes a number in E.164 (+4930123456) for matching, using
// region for numbers written without a country code; "" when it cannot be
// read as a phone number.
func NormalizePhone(number, region string) string {
	num, err := phonenumbers.Parse(number, strings.ToUpper(region))
	if err != nil {
		return ""
	}
	if !phonenumbers.IsPossibleNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// RegionFromLocale picks the default phone region from a POSIX locale such
// as "de_DE.UTF-8" (the LANG variable): "DE". It is "US" when the locale
// names no country.
func RegionFromLocale(locale string) string {
	locale, _, _ = strings.Cut(locale, ".")
	locale, _, _ = strings.Cut(locale, "@")
	if _, country, ok := strings.Cut(strings.ReplaceAll(locale, "-", "_"), "_"); ok && len(country) == 2 {
		return strings.ToUpper(country)
	}
	return "US"
}

// ValidRegion reports whether code is a region phone numbers can be read in
// ("DE", "US", "GB"…).
func ValidRegion(code string) bool {
	return len(code) == 2 && phonenumbers.GetCountryCodeForRegion(strings.ToUpper(code)) != 0
}
