// Package vcardmap owns what vCard properties mean for a contact: a card
// read by app/vcf becomes a model.Contact (names, ways to reach, the date
// forms phones write, Apple and Android labels, Rapport's own X-RAPPORT-*
// properties, and what it does not map kept as it came), and a contact is
// written back as a card. app/vcf owns the text format (lines, folding,
// escaping, charsets); app owns the rules a contact follows (Rules), the
// phone numbers' normalizing and the store.
package vcardmap

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/money"
	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

// Rules are app's rules for a contact's text, which cards follow both ways.
type Rules struct {
	OneLine     func(s string) string         // how a name or a label is kept: one line
	Capitalize  func(s string) string         // "birthday" → "Birthday", for a detail's label
	DisplayName func(c *model.Contact) string // what a contact is called, whatever it holds
}

// Card is one vCard turned into a contact, with where it came from.
type Card struct {
	Number   int // the card's place in the file
	Line     int // the line of its BEGIN:VCARD
	Contact  model.Contact
	Problems []string // odd things in the card that did not stop it
	Raw      []byte   // the card's text, saved where the owner can find it if skipped
}

// Birthday is the card's birthday as "YYYY-MM-DD" or "--MM-DD", "" if none.
func (ic Card) Birthday() string {
	for _, d := range ic.Contact.Dates {
		if d.Label == model.DateBirthday {
			return dateText(d)
		}
	}
	return ""
}

// dateText writes a date as "YYYY-MM-DD", or "--MM-DD" without a year.
func dateText(d model.ImportantDate) string {
	if d.Year == nil || *d.Year == 0 {
		return fmt.Sprintf("--%02d-%02d", d.Month, d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", *d.Year, d.Month, d.Day)
}

// Mapper turns read cards into contacts.
type Mapper struct {
	Now   time.Time // when notes without a date are dated
	Rules Rules
}

// mappedProperties reports whether the mapping uses a property's content;
// everything else is kept as it came, so that our export gives it back.
func mappedProperties(name string) bool {
	// A switch rather than a map: a map built for every card was a tenth
	// of an import's allocations.
	switch name {
	case "BEGIN", "END", "VERSION", "PRODID", "REV", "N", "FN",
		"NICKNAME", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "LABEL",
		"BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY",
		"X-EVOLUTION-ANNIVERSARY", "X-WAB-WEDDING_ANNIVERSARY", "X-ABDATE",
		"X-ABRELATEDNAMES", "X-SPOUSE", "X-EVOLUTION-SPOUSE", "X-MS-SPOUSE",
		"X-WAB-SPOUSE_NAME", "X-ASSISTANT", "X-EVOLUTION-ASSISTANT", "X-MANAGER",
		"X-EVOLUTION-MANAGER", "X-MS-MANAGER", "X-MS-ASSISTANT", "RELATED",
		"NOTE", "CATEGORIES", "PHOTO", "X-MS-CARDPICTURE", "UID",
		"X-ABLABEL", "X-ANDROID-CUSTOM",
		"X-RAPPORT-STAGE", "X-RAPPORT-HOW-WE-MET", "X-RAPPORT-DETAIL", "X-RAPPORT-JOURNAL",
		"X-RAPPORT-NEWSLETTER":
		return true
	}
	return false
}

// relatedLabel names a related-people property as a detail's label, or
// gives "" for any other property.
func relatedLabel(name string) string {
	switch name {
	case "X-SPOUSE", "X-EVOLUTION-SPOUSE", "X-MS-SPOUSE", "X-WAB-SPOUSE_NAME":
		return "Spouse"
	case "X-ASSISTANT", "X-EVOLUTION-ASSISTANT", "X-MS-ASSISTANT":
		return "Assistant"
	case "X-MANAGER", "X-EVOLUTION-MANAGER", "X-MS-MANAGER":
		return "Manager"
	}
	return ""
}

// Map turns a read card into a contact. An error means the card could not
// be read whole, and is skipped. The contact is not tidied yet (app's
// rules), and its phones are not normalized (app's, in the import's region).
func (m Mapper) Map(card *vcf.Card) (Card, error) {
	ic := Card{Number: card.Number, Line: card.Line, Raw: card.Raw, Problems: card.Problems}
	if card.Damaged != "" {
		return ic, errors.New(card.Damaged)
	}
	c := &ic.Contact
	labels := groupLabels(card)
	var fn string
	var extra []string
	for i := range card.Props {
		m.mapProperty(&ic, card, &card.Props[i], labels[card.Props[i].Group], &fn, &extra)
	}
	if fn != "" {
		c.DisplayName = fn
	}
	c.VCardExtra = strings.Join(dedupe(extra), "\r\n")
	if c.Stage == "" {
		c.Stage = model.StageProspect
	}
	return ic, nil
}

// mapProperty maps one property p of card into ic by its kind; label is
// its group's Apple label, fn the card's first FN, and extra the lines
// kept as they came, for the export to give back.
func (m Mapper) mapProperty(ic *Card, card *vcf.Card, p *vcf.Property, label string, fn *string, extra *[]string) {
	c := &ic.Contact
	switch p.Name {
	case "FN", "N", "NICKNAME", "ORG", "TITLE":
		mapNames(c, p, fn)
	case "TEL", "EMAIL", "ADR":
		m.mapReach(c, p, label)
	case "BDAY":
		m.addDate(ic, model.DateBirthday, *p)
	case "ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-WAB-WEDDING_ANNIVERSARY":
		m.addDate(ic, model.DateAnniversary, *p)
	case "X-ABDATE":
		m.addDate(ic, dateLabel(label), *p)
	case "X-ABRELATEDNAMES", "RELATED":
		m.mapRelated(c, p, label)
	case "X-ANDROID-CUSTOM":
		if !m.androidCustom(ic, *p) {
			*extra = append(*extra, vcf.EncodeLine(*p))
		}
	case "NOTE":
		if v := p.Text(); v != "" {
			c.Journal = append(c.Journal, model.JournalEntry{Kind: model.KindNote, Text: v, At: m.Now})
		}
	case "CATEGORIES":
		for _, t := range p.List() {
			if !hasTag(c.Tags, t) {
				c.Tags = append(c.Tags, model.Tag{Name: t})
			}
		}
	case "PHOTO", "X-MS-CARDPICTURE":
		if photo, ok := photoBytes(*p); ok && len(c.Photo) == 0 {
			c.Photo = photo
		} else if !ok {
			*extra = append(*extra, vcf.EncodeLine(*p)) // a photo URL: kept, not fetched
		}
	case "UID":
		c.VCardUID = p.Text()
	case "X-RAPPORT-STAGE", "X-RAPPORT-HOW-WE-MET", "X-RAPPORT-NEWSLETTER", "X-RAPPORT-DETAIL", "X-RAPPORT-JOURNAL":
		m.mapRapport(c, p)
	default:
		if v := relatedLabel(p.Name); v != "" {
			if text := p.Text(); text != "" {
				c.Details = append(c.Details, model.Detail{Label: v, Value: text})
			}
		} else if !mappedProperties(p.Name) {
			*extra = append(*extra, vcf.EncodeLine(*p))
			if l, ok := labelLine(card, p.Group); ok {
				*extra = append(*extra, l)
			}
		}
	}
}

// mapNames maps the card's names: FN (the first, kept in fn: it wins over
// the name N builds), N, NICKNAME, ORG and TITLE, each only while the
// contact has none yet.
func mapNames(c *model.Contact, p *vcf.Property, fn *string) {
	switch p.Name {
	case "FN":
		if *fn == "" {
			*fn = p.Text()
		}
	case "N":
		parts := p.Components()
		get := func(i int) string {
			if i < len(parts) {
				return parts[i]
			}
			return ""
		}
		if c.FamilyName == "" && c.GivenName == "" {
			c.FamilyName, c.GivenName = get(0), get(1)
			// FN is the name as shown; the N parts build it when FN is missing.
			c.DisplayName = joinNonEmpty(" ", get(3), get(1), get(2), get(0), get(4))
		}
	case "NICKNAME":
		if list := p.List(); len(list) > 0 && c.Nickname == "" {
			c.Nickname = list[0]
		}
	case "ORG":
		parts := p.Components()
		if c.Organization == "" && len(parts) > 0 {
			c.Organization = parts[0]
			if dept := joinNonEmpty(", ", parts[1:]...); dept != "" {
				c.Details = append(c.Details, model.Detail{Label: "Department", Value: dept})
			}
		}
	case "TITLE":
		if c.Title == "" {
			c.Title = p.Text()
		}
	}
}

// mapReach maps the ways to reach the contact: TEL, EMAIL and ADR, under
// their type or the group's Apple label.
func (m Mapper) mapReach(c *model.Contact, p *vcf.Property, label string) {
	switch p.Name {
	case "TEL":
		number := strings.TrimPrefix(p.Text(), "tel:")
		if number != "" {
			c.Phones = append(c.Phones, model.Phone{Label: phoneLabel(*p, label), Number: number})
		}
	case "EMAIL":
		if address := emailAddress(p.Text()); address != "" {
			c.Emails = append(c.Emails, model.Email{Label: plainLabel(*p, label), Address: address})
		}
	case "ADR":
		if a := address(*p, label); !a.IsEmpty() {
			c.Addresses = append(c.Addresses, a)
		}
	}
}

// mapRelated maps Apple's X-ABRELATEDNAMES and vCard 4's RELATED (a name,
// not a link to another card) to details.
func (m Mapper) mapRelated(c *model.Contact, p *vcf.Property, label string) {
	switch p.Name {
	case "X-ABRELATEDNAMES":
		if v := p.Text(); v != "" {
			c.Details = append(c.Details, model.Detail{Label: m.Rules.Capitalize(cmp.Or(label, "related")), Value: v})
		}
	case "RELATED":
		if v := strings.TrimPrefix(p.Text(), "urn:uuid:"); v != "" && p.Param("VALUE") != "uri" {
			c.Details = append(c.Details, model.Detail{Label: m.Rules.Capitalize(cmp.Or(strings.ToLower(p.Param("TYPE")), "related")), Value: v})
		}
	}
}

// mapRapport maps Rapport's own export properties: what vCard has no
// property for.
func (m Mapper) mapRapport(c *model.Contact, p *vcf.Property) {
	switch p.Name {
	case "X-RAPPORT-STAGE":
		if st := model.Stage(p.Text()); st.Valid() {
			c.Stage = st
		}
	case "X-RAPPORT-HOW-WE-MET":
		c.HowWeMet = p.Text()
	case "X-RAPPORT-NEWSLETTER":
		if strings.EqualFold(p.Text(), "yes") {
			c.NewsletterConsent = true
			if d := p.Param("X-DATE"); d != "" {
				if _, err := time.Parse(time.DateOnly, d); err == nil {
					c.NewsletterConsentDate = d
				}
			}
		}
	case "X-RAPPORT-DETAIL":
		c.Details = append(c.Details, model.Detail{Label: p.Param("X-LABEL"), Value: p.Text(), Pinned: p.Param("X-PINNED") == "1"})
	case "X-RAPPORT-JOURNAL":
		at, err := time.Parse(time.RFC3339, p.Param("X-AT"))
		kind := model.EntryKind(strings.ToLower(p.Param("X-KIND")))
		if err != nil || !kind.Valid() {
			at, kind = m.Now, model.KindNote
		}
		c.Journal = append(c.Journal, journalEntry(p, kind, at))
	}
}

// journalEntry is an X-RAPPORT-JOURNAL line as an entry. Its amount is kept
// only as a purchase's, whole, in a currency's code and within range; a
// card that says otherwise keeps the entry without it.
func journalEntry(p *vcf.Property, kind model.EntryKind, at time.Time) model.JournalEntry {
	e := model.JournalEntry{Kind: kind, Text: p.Text(), At: at, Item: p.Param("X-ITEM"),
		Title: p.Param("X-TITLE"), Link: p.Param("X-LINK")}
	if kind == model.KindFeedback {
		e.ChangeNote = p.Param("X-CHANGE")
	}
	amount, err := strconv.ParseInt(p.Param("X-AMOUNT"), 10, 64)
	if currency := strings.ToUpper(p.Param("X-CURRENCY")); err == nil && kind == model.KindPurchase &&
		amount >= 0 && amount <= money.Max && money.ValidCurrency(currency) {
		e.Amount, e.Currency = &amount, currency
	}
	return e
}

// groupLabels maps item groups to their Apple X-ABLabel, made readable:
// "_$!<Mobile>!$_" becomes "mobile", a custom label stays as typed.
func groupLabels(card *vcf.Card) map[string]string {
	out := map[string]string{}
	for _, p := range card.Props {
		if p.Name == "X-ABLABEL" && p.Group != "" {
			out[p.Group] = appleLabel(p.Text())
		}
	}
	return out
}

func appleLabel(s string) string {
	if inner, ok := strings.CutPrefix(s, "_$!<"); ok {
		return strings.ToLower(strings.TrimSuffix(inner, ">!$_"))
	}
	return s
}

// labelLine returns the X-ABLabel line of a group, to keep with a kept
// property of that group.
func labelLine(card *vcf.Card, group string) (string, bool) {
	if group == "" {
		return "", false
	}
	for _, p := range card.Props {
		if p.Name == "X-ABLABEL" && p.Group == group {
			return vcf.EncodeLine(p), true
		}
	}
	return "", false
}

// phoneLabel is the label a person would give a phone: the Apple label, else
// its types (cell is "mobile"; voice, pref and internet say nothing).
func phoneLabel(p vcf.Property, apple string) string {
	if apple != "" {
		return apple
	}
	var words []string
	for _, t := range p.Params["TYPE"] {
		for _, w := range strings.Split(t, ",") {
			switch lw := strings.ToLower(strings.TrimSpace(w)); lw {
			case "", "voice", "pref", "internet", "x-internet", "msg":
			case "cell", "mobile", "iphone":
				words = appendOnce(words, "mobile")
			default:
				words = appendOnce(words, lw)
			}
		}
	}
	return strings.Join(words, " ")
}

// plainLabel is the label of an email or address: Apple's, else its types.
func plainLabel(p vcf.Property, apple string) string { return phoneLabel(p, apple) }

func appendOnce(words []string, w string) []string {
	for _, have := range words {
		if have == w {
			return words
		}
	}
	return append(words, w)
}

// emailAddress takes the address out of `"Omega" <omega@example.com>`.
func emailAddress(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "mailto:"))
	if strings.ContainsAny(s, "<>") {
		if a, err := mail.ParseAddress(s); err == nil {
			return a.Address
		}
	}
	return s
}

func address(p vcf.Property, apple string) model.Address {
	parts := p.Components()
	get := func(i int) string {
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
	return model.Address{
		Label:      plainLabel(p, apple),
		Street:     joinNonEmpty("\n", get(0), get(1), get(2)), // PO box, extended, street
		City:       get(3),
		Region:     get(4),
		PostalCode: get(5),
		Country:    get(6),
	}
}

// addDate adds a yearly date, or keeps a value that is no date as a detail.
func (m Mapper) addDate(ic *Card, label string, p vcf.Property) {
	raw := p.Text()
	if raw == "" {
		return
	}
	d, ok := parseVCardDate(raw, p.Param("X-APPLE-OMIT-YEAR"))
	if !ok || strings.EqualFold(p.Param("VALUE"), "text") {
		ic.Contact.Details = append(ic.Contact.Details, model.Detail{Label: m.Rules.Capitalize(label), Value: raw})
		ic.Problems = append(ic.Problems, fmt.Sprintf("line %d: %s %q is not a date; kept as a detail", p.Line, label, raw))
		return
	}
	d.Label = label
	for _, have := range ic.Contact.Dates {
		if have.Label == label && sameDate(have, d) {
			return
		}
	}
	ic.Contact.Dates = append(ic.Contact.Dates, d)
}

// dateLabel names an Apple X-ABDATE by its label.
func dateLabel(apple string) string {
	switch apple {
	case "", "anniversary":
		return model.DateAnniversary
	}
	return apple
}

// parseVCardDate reads the date forms phones write: 1984-02-03, 19840203,
// --0203, --02-03, 1984-02-03T00:00:00Z, and Apple's year-less 1604-02-03.
// The label is left to the caller. time.Parse refuses a day the month
// lacks; without a year it parses in year 0, a leap year, so 29 February
// stays a birthday.
func parseVCardDate(s, omitYear string) (model.ImportantDate, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "Tt"); i > 0 {
		s = s[:i]
	}
	for _, f := range []struct {
		layout string
		year   bool
	}{{"2006-01-02", true}, {"20060102", true}, {"--01-02", false}, {"--0102", false}} {
		t, err := time.Parse(f.layout, s)
		if err != nil {
			continue
		}
		d := model.ImportantDate{Month: int(t.Month()), Day: t.Day()}
		year := 0
		if f.year {
			year = t.Year()
		}
		if year != 0 && (omitYear != "" && strconv.Itoa(year) == omitYear || year == 1604) {
			year = 0 // Apple stores "no year" as 1604
		}
		if year != 0 {
			d.Year = &year
		}
		return d, true
	}
	return model.ImportantDate{}, false
}

// sameDate says whether a and b fall on the same day of the same (or no)
// year.
func sameDate(a, b model.ImportantDate) bool {
	return a.Month == b.Month && a.Day == b.Day && yearOf(a) == yearOf(b)
}

func yearOf(d model.ImportantDate) int {
	if d.Year == nil {
		return 0
	}
	return *d.Year
}

// androidCustom reads the Android rows it knows: events (birthday,
// anniversary, others), nickname and relations. It reports false for rows
// to keep as they came.
func (m Mapper) androidCustom(ic *Card, p vcf.Property) bool {
	parts := p.Components()
	if len(parts) < 2 || parts[1] == "" {
		return false
	}
	get := func(i int) string {
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
	switch parts[0] {
	case "vnd.android.cursor.item/contact_event":
		label := map[string]string{"1": model.DateAnniversary, "3": model.DateBirthday, "2": "other"}[get(2)]
		if label == "" {
			label = cmp.Or(get(3), "date")
		}
		m.addDate(ic, label, vcf.Property{Name: p.Name, Value: parts[1], Line: p.Line})
		return true
	case "vnd.android.cursor.item/nickname":
		if ic.Contact.Nickname == "" {
			ic.Contact.Nickname = parts[1]
		}
		return true
	case "vnd.android.cursor.item/relation":
		labels := map[string]string{"1": "Assistant", "2": "Brother", "3": "Child", "4": "Domestic partner",
			"5": "Father", "6": "Friend", "7": "Manager", "8": "Mother", "9": "Parent", "10": "Partner",
			"11": "Referred by", "12": "Relative", "13": "Sister", "14": "Spouse"}
		label := labels[get(2)]
		if label == "" {
			label = cmp.Or(get(3), "Related")
		}
		ic.Contact.Details = append(ic.Contact.Details, model.Detail{Label: label, Value: parts[1]})
		return true
	}
	return false
}

// photoBytes decodes an inline photo (base64 in either style, or a data:
// URI); ok is false for a photo that is only a link.
func photoBytes(p vcf.Property) ([]byte, bool) {
	if len(p.Data) > 0 {
		return p.Data, true
	}
	v := p.Text()
	if rest, isData := strings.CutPrefix(v, "data:"); isData {
		if _, b64, found := strings.Cut(rest, ";base64,"); found {
			if data, err := base64.StdEncoding.DecodeString(b64); err == nil {
				return data, true
			}
		}
	}
	return nil, false
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func dedupe(lines []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// hasTag says whether tags hold name, in any case.
func hasTag(tags []model.Tag, name string) bool {
	for _, t := range tags {
		if strings.EqualFold(t.Name, name) {
			return true
		}
	}
	return false
}
