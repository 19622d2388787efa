package app

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// CSVHeader is the header row of the spreadsheet export, one column each.
func CSVHeader() []string {
	return []string{"id", "name", "given name", "family name", "stage", "organization", "phones", "emails",
		"mailing address", "birthday", "referred by", "newsletter consent", "consent date", "tags", "last contact"}
}

// ExportCSV writes every contact as one row of a spreadsheet, in name order:
// UTF-8 with a byte order mark (so that Excel does not read it as the
// system's legacy code page), CR LF line ends, a header row (CSVHeader).
// Lists are joined with "; "; the mailing address is the first address on
// one line; birthdays are YYYY-MM-DD or --MM-DD; last contact is the day of
// the newest journal entry. Cells are neutralised against formula
// injection (see SafeCell). Contacts are read a page at a time, so memory
// stays flat however many there are.
func (s *Service) ExportCSV(ctx context.Context, w io.Writer) error {
	cw, flush := newCSV(w)
	if err := cw.Write(safeRow(CSVHeader())); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	err := s.store().EachExportRecord(ctx, func(r *model.ExportRecord) error {
		return cw.Write(safeRow(csvRow(r)))
	})
	if err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return flush()
}

// ExportNewsletter writes the newsletter list as CSV (name, email; same
// encoding as ExportCSV): each contact who agreed to receive it and has an
// email address, once, with their first address.
func (s *Service) ExportNewsletter(ctx context.Context, w io.Writer) error {
	cw, flush := newCSV(w)
	if err := cw.Write([]string{"name", "email"}); err != nil {
		return fmt.Errorf("export newsletter list: %w", err)
	}
	err := s.store().EachNewsletterRecipient(ctx, func(name, email string) error {
		return cw.Write(safeRow([]string{name, email}))
	})
	if err != nil {
		return fmt.Errorf("export newsletter list: %w", err)
	}
	return flush()
}

// newCSV starts a CSV file on w with the byte order mark; flush writes out
// what is buffered and reports any error on the way.
func newCSV(w io.Writer) (*csv.Writer, func() error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	return cw, func() error {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		return nil
	}
}

func csvRow(r *model.ExportRecord) []string {
	c := r.Contact
	var phones, emails, tags []string
	for _, p := range c.Phones {
		phones = append(phones, p.Number)
	}
	for _, e := range c.Emails {
		emails = append(emails, e.Address)
	}
	for _, t := range c.Tags {
		tags = append(tags, t.Name)
	}
	address := ""
	if len(c.Addresses) > 0 {
		address = OneLineAddress(c.Addresses[0])
	}
	birthday := ""
	for _, d := range c.Dates {
		if d.Label == model.DateBirthday {
			birthday = dateOf(d).String()
			break
		}
	}
	consent := "no"
	if c.NewsletterConsent {
		consent = "yes"
	}
	last := ""
	if !r.LastContact.IsZero() {
		last = r.LastContact.Local().Format(time.DateOnly)
	}
	return []string{c.UID, c.DisplayName, c.GivenName, c.FamilyName, string(c.Stage), c.Organization,
		strings.Join(phones, "; "), strings.Join(emails, "; "), address, birthday, r.ReferredBy,
		consent, c.NewsletterConsentDate, strings.Join(tags, "; "), last}
}

// OneLineAddress writes a postal address on one line: street, postal code
// and city, region, country.
func OneLineAddress(a model.Address) string {
	var parts []string
	for _, p := range []string{a.Street, strings.TrimSpace(a.PostalCode + " " + a.City), a.Region, a.Country} {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func safeRow(row []string) []string {
	for i, cell := range row {
		row[i] = SafeCell(cell)
	}
	return row
}

// SafeCell neutralises a cell that a spreadsheet would read as a formula:
// one starting with =, +, - or @ (or a tab or carriage return, which some
// programs skip before looking) gets a leading apostrophe, as OWASP advises.
// This applies to every cell alike, phone numbers too: "+49 151 …" becomes
// "'+49 151 …" — which Excel would otherwise evaluate as a sum and show as
// an error or a number without its plus — and a birthday without a year
// "--11-25" becomes "'--11-25".
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
