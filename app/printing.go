package app

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// PrintFollowups writes the follow-up sheet for the day of `on` as a PDF:
// a section per kind, per person the name, phone, the mailing address where
// a note is owed and the top remembered details as conversation cues; the
// date and page numbers on every page.
func (s *Service) PrintFollowups(ctx context.Context, on time.Time, paper string, w io.Writer) (pdf.Report, error) {
	cadences, err := s.Cadences(ctx)
	if err != nil {
		return pdf.Report{}, err
	}
	items, err := s.Followups(ctx, on, cadences)
	if err != nil {
		return pdf.Report{}, err
	}
	contacts, err := s.followupContacts(ctx, items)
	if err != nil {
		return pdf.Report{}, err
	}
	sheet := pdf.Sheet{On: on, Paper: paper, Made: s.now()}
	// The headings of Today, with their counts, so that screen and paper
	// agree.
	for _, sec := range FollowupSections(items) {
		rows := make([]pdf.SheetRow, 0, len(sec.Items))
		for _, f := range sec.Items {
			rows = append(rows, sheetRow(f, contacts[f.ContactID]))
		}
		sheet.Sections = append(sheet.Sections, pdf.SheetSection{Title: sec.Title, Rows: rows})
	}
	return pdf.WriteSheet(ctx, w, sheet, s.fonts)
}

// followupContacts reads the people of items, by ID.
func (s *Service) followupContacts(ctx context.Context, items []Followup) (map[int64]*model.Contact, error) {
	ids := make([]int64, 0, len(items))
	seen := map[int64]bool{}
	for _, f := range items {
		if !seen[f.ContactID] {
			seen[f.ContactID] = true
			ids = append(ids, f.ContactID)
		}
	}
	contacts := map[int64]*model.Contact{}
	const page = 500
	for start := 0; start < len(ids); start += page {
		cs, err := s.store().Contacts(ctx, ids[start:min(start+page, len(ids))])
		if err != nil {
			return nil, err
		}
		for i := range cs {
			contacts[cs[i].ID] = &cs[i]
		}
	}
	return contacts, nil
}

// sheetRow is f on the sheet: the number to call, or to text a reminder
// to; the address to post a note to; what to remember about c (nil: f
// alone).
func sheetRow(f Followup, c *model.Contact) pdf.SheetRow {
	r := pdf.SheetRow{Name: f.Contact, Text: f.Text, Overdue: f.Overdue}
	if c == nil {
		return r
	}
	if len(c.Phones) > 0 {
		r.Phone = c.Phones[0].Number
	}
	if f.Kind == FollowRemind {
		r.Phone = MobileNumber(c.Phones) // the number to text the reminder to
	}
	if f.Kind == FollowNote && len(c.Addresses) > 0 {
		r.Address = strings.ReplaceAll(MailingAddress(c.DisplayName, c.Addresses[0]), "\n", ", ")
	}
	r.Cues = cues(c.Details, 3)
	return r
}

// LabelJob is the job the settings describe, starting at label 1.
func (p PrintSettings) LabelJob() pdf.LabelJob {
	return pdf.LabelJob{Layout: p.Layout(), OffsetX: p.OffsetX, OffsetY: p.OffsetY,
		ReturnAddress: p.ReturnAddress, HomeCountry: p.HomeCountry}
}

// PrintLabels writes address labels for the notes still to post, one label
// per note with an address, as a PDF on the job's sheet, shifted by its
// offsets (mm), from its start label on. With job.Test, it draws every
// label's outline instead, to hold the printout against a sheet of labels.
func (s *Service) PrintLabels(ctx context.Context, job pdf.LabelJob, w io.Writer) (pdf.Report, int, error) {
	if job.Start == 0 {
		job.Start = 1
	}
	if err := pdf.CheckLabelStart(job.Layout, job.Start); err != nil {
		return pdf.Report{}, 0, err
	}
	var addresses []string
	if !job.Test {
		notes, err := s.NotesToWrite(ctx)
		if err != nil {
			return pdf.Report{}, 0, err
		}
		home := domesticTo(job.HomeCountry)
		for _, n := range notes {
			if n.Address == "" {
				continue
			}
			addresses = append(addresses, labelAddress(home, n.Address, n.Country))
		}
	}
	rep, err := pdf.WriteLabels(ctx, w, job, addresses, s.now(), s.fonts)
	return rep, len(addresses), err
}
