package vcardmap

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

// WriteCard writes c as one card; with rapport, what only Rapport keeps
// too (stage, how we met, newsletter, details, journal), as X-RAPPORT-*
// properties, so that importing the card gives the same contact. The phone
// sync writes without.
func (r Rules) WriteCard(w *vcf.Writer, c *model.Contact, rapport bool) {
	w.Begin()
	r.writeNames(w, c)
	cw := &cardWriter{w: w, oneLine: r.OneLine}
	cw.writeReach(c)
	cw.writeDates(c)
	if len(c.Tags) > 0 {
		var tags []string
		for _, t := range c.Tags {
			tags = append(tags, vcf.Escape(t.Name))
		}
		w.Prop("", "CATEGORIES", nil, strings.Join(tags, ","))
	}
	if len(c.Photo) > 0 {
		params := map[string][]string{"ENCODING": {"b"}}
		if t := photoType(c.Photo); t != "" {
			params["TYPE"] = []string{t}
		}
		w.Prop("", "PHOTO", params, base64.StdEncoding.EncodeToString(c.Photo))
	}
	if rapport {
		r.writeRapportFields(w, c)
	}
	writeKeptLines(w, c, cw.item)
	w.End()
}

// writeNames writes the card's UID and names. Names and labels go out as
// the import keeps them (OneLine), whatever an older database holds: one
// line, a control character a space.
func (r Rules) writeNames(w *vcf.Writer, c *model.Contact) {
	uid := c.VCardUID
	if uid == "" {
		uid = c.UID
	}
	w.Prop("", "UID", nil, vcf.Escape(uid))
	w.Prop("", "FN", nil, vcf.Escape(r.OneLine(r.DisplayName(c))))
	w.Prop("", "N", nil, vcf.Structured(r.OneLine(c.FamilyName), r.OneLine(c.GivenName), "", "", ""))
	if c.Nickname != "" {
		w.Prop("", "NICKNAME", nil, vcf.Escape(r.OneLine(c.Nickname)))
	}
	if c.Organization != "" {
		w.Prop("", "ORG", nil, vcf.Structured(r.OneLine(c.Organization)))
	}
	if c.Title != "" {
		w.Prop("", "TITLE", nil, vcf.Escape(r.OneLine(c.Title)))
	}
}

// cardWriter writes one card's labelled properties, counting the Apple item
// groups used so far.
type cardWriter struct {
	w       *vcf.Writer
	oneLine func(string) string
	item    int
}

// group names the next Apple item group: item1, item2…
func (cw *cardWriter) group() string {
	cw.item++
	return "item" + strconv.Itoa(cw.item)
}

// labelled writes a property with standard types, or in an Apple item
// group with its own label where the label is not a standard type.
func (cw *cardWriter) labelled(name, label string, std map[string][]string, value string, extra ...string) {
	label = cw.oneLine(label)
	if types, ok := std[label]; ok {
		cw.w.Prop("", name, map[string][]string{"TYPE": append(types, extra...)}, value)
		return
	}
	group := cw.group()
	var params map[string][]string
	if len(extra) > 0 {
		params = map[string][]string{"TYPE": extra}
	}
	cw.w.Prop(group, name, params, value)
	cw.w.Prop(group, "X-ABLabel", nil, vcf.Escape(label))
}

// writeReach writes the phones, emails and addresses.
func (cw *cardWriter) writeReach(c *model.Contact) {
	phoneTypes := map[string][]string{"": {"VOICE"}, "mobile": {"CELL"}, "home": {"HOME"}, "work": {"WORK"},
		"fax": {"FAX"}, "home fax": {"HOME", "FAX"}, "work fax": {"WORK", "FAX"}, "pager": {"PAGER"}, "main": {"MAIN"}}
	for _, p := range c.Phones {
		cw.labelled("TEL", p.Label, phoneTypes, vcf.Escape(p.Number))
	}
	placeTypes := map[string][]string{"": nil, "home": {"HOME"}, "work": {"WORK"}}
	for _, e := range c.Emails {
		cw.labelled("EMAIL", e.Label, placeTypes, vcf.Escape(e.Address), "INTERNET")
	}
	for _, a := range c.Addresses {
		cw.labelled("ADR", a.Label, placeTypes, vcf.Structured("", "", a.Street, a.City, a.Region, a.PostalCode, a.Country))
	}
}

// writeDates writes the birthday as BDAY and other dates as Apple's
// X-ABDATE, a date without a year in iOS's way (year 1604).
func (cw *cardWriter) writeDates(c *model.Contact) {
	for _, d := range c.Dates {
		noYear := yearOf(d) == 0
		switch {
		case d.Label == model.DateBirthday && noYear:
			cw.w.Prop("", "BDAY", map[string][]string{"X-APPLE-OMIT-YEAR": {"1604"}}, fmt.Sprintf("1604-%02d-%02d", d.Month, d.Day))
		case d.Label == model.DateBirthday:
			cw.w.Prop("", "BDAY", nil, dateText(d))
		default:
			value := dateText(d)
			if noYear {
				value = fmt.Sprintf("1604-%02d-%02d", d.Month, d.Day)
			}
			group := cw.group()
			label := cw.oneLine(d.Label)
			if label == model.DateAnniversary {
				label = "_$!<Anniversary>!$_"
			}
			cw.w.Prop(group, "X-ABDATE", nil, value)
			cw.w.Prop(group, "X-ABLabel", nil, vcf.Escape(label))
		}
	}
}

// writeRapportFields writes what vCard has no property for.
func (r Rules) writeRapportFields(w *vcf.Writer, c *model.Contact) {
	w.Prop("", "X-RAPPORT-STAGE", nil, vcf.Escape(string(c.Stage)))
	if c.HowWeMet != "" {
		w.Prop("", "X-RAPPORT-HOW-WE-MET", nil, vcf.Escape(c.HowWeMet))
	}
	if c.NewsletterConsent {
		var params map[string][]string
		if c.NewsletterConsentDate != "" {
			params = map[string][]string{"X-DATE": {c.NewsletterConsentDate}}
		}
		w.Prop("", "X-RAPPORT-NEWSLETTER", params, "yes")
	}
	for _, d := range c.Details {
		params := map[string][]string{"X-LABEL": {r.OneLine(d.Label)}}
		if d.Pinned {
			params["X-PINNED"] = []string{"1"}
		}
		w.Prop("", "X-RAPPORT-DETAIL", params, vcf.Escape(d.Value))
	}
	for i := len(c.Journal) - 1; i >= 0; i-- { // oldest first, as they happened
		e := c.Journal[i]
		w.Prop("", "X-RAPPORT-JOURNAL", r.journalParams(e), vcf.Escape(e.Text))
	}
}

// journalParams are an entry's kind and time and, where it has them, what
// was bought and for how much, what an outreach sent and what feedback
// will change: all of it comes back on import into another database.
func (r Rules) journalParams(e model.JournalEntry) map[string][]string {
	params := map[string][]string{"X-KIND": {string(e.Kind)}, "X-AT": {e.At.UTC().Format(time.RFC3339)}}
	for name, value := range map[string]string{"X-ITEM": e.Item, "X-TITLE": e.Title, "X-LINK": e.Link, "X-CHANGE": e.ChangeNote} {
		if value != "" {
			params[name] = []string{r.OneLine(value)}
		}
	}
	if e.Amount != nil {
		params["X-AMOUNT"] = []string{strconv.FormatInt(*e.Amount, 10)}
		params["X-CURRENCY"] = []string{e.Currency}
	}
	return params
}

// writeKeptLines writes the lines kept from imported cards after the item
// groups already used.
func writeKeptLines(w *vcf.Writer, c *model.Contact, item int) {
	// Kept lines keep their Apple item groups, renumbered after ours so
	// that a label stays with its own property. Each is read and written
	// again rather than copied: whatever the stored text holds (a line break
	// from a decoded value, a BEGIN or END of its own), it stays one
	// property of this card.
	renamed := map[string]string{}
	for _, line := range strings.Split(c.VCardExtra, "\r\n") {
		p, err := vcf.ParseLine(line)
		if err != nil {
			continue
		}
		// What says which card this is, or where it ends, comes from us
		// alone: a kept line never says it again.
		switch name := strings.ToUpper(vcf.Token(p.Name)); {
		case name == "", name == "BEGIN", name == "END", name == "VERSION", name == "FN", name == "N",
			name == "UID", strings.HasPrefix(name, "X-RAPPORT-"):
			continue
		}
		if p.Group != "" {
			if _, seen := renamed[p.Group]; !seen {
				item++
				renamed[p.Group] = "item" + strconv.Itoa(item)
			}
			p.Group = renamed[p.Group]
		}
		w.Prop(p.Group, p.Name, p.Params, p.Value)
	}
}

// photoType names a photo's format for the TYPE parameter.
func photoType(data []byte) string {
	switch http.DetectContentType(data) {
	case "image/jpeg":
		return "JPEG"
	case "image/png":
		return "PNG"
	case "image/gif":
		return "GIF"
	}
	return ""
}
