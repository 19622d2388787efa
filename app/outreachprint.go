package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// OutreachLabels says what a label print of an outreach held.
type OutreachLabels struct {
	pdf.Report
	Printed   int      // labels printed, one per person with a postal address
	NoAddress []string // the names of those with neither email nor address
}

// PrintOutreachLabels writes address labels, in the order of ids, for
// those of an outreach without an email address (OutreachDone.NoEmail),
// on the sheet of job, as PrintLabels does for notes. Who has no postal
// address either is named in the result, not printed.
func (s *Service) PrintOutreachLabels(ctx context.Context, ids []int64, job pdf.LabelJob, w io.Writer) (OutreachLabels, error) {
	if job.Start == 0 {
		job.Start = 1
	}
	if err := pdf.CheckLabelStart(job.Layout, job.Start); err != nil {
		return OutreachLabels{}, err
	}
	var out OutreachLabels
	var addresses []string
	home := domesticTo(job.HomeCountry)
	const page = 200 // contacts read at a time: a bound on memory
	for start := 0; start < len(ids); start += page {
		contacts, err := s.store().Contacts(ctx, ids[start:min(start+page, len(ids))])
		if err != nil {
			return OutreachLabels{}, fmt.Errorf("outreach labels: %w", err)
		}
		for _, c := range contacts {
			a, ok := firstPostal(c.Addresses)
			if !ok {
				out.NoAddress = append(out.NoAddress, c.DisplayName)
				continue
			}
			addresses = append(addresses, labelAddress(home, MailingAddress(c.DisplayName, a), a.Country))
		}
	}
	rep, err := pdf.WriteLabels(ctx, w, job, addresses, s.now(), s.fonts)
	if err != nil {
		return OutreachLabels{}, fmt.Errorf("outreach labels: %w", err)
	}
	out.Report, out.Printed = rep, len(addresses)
	return out, nil
}

// firstPostal is the first address with a street or a city: a country
// alone brings no letter anywhere.
func firstPostal(addresses []model.Address) (model.Address, bool) {
	for _, a := range addresses {
		if strings.TrimSpace(a.Street) != "" || strings.TrimSpace(a.City) != "" {
			return a, true
		}
	}
	return model.Address{}, false
}

// labelAddress leaves the country, an address's last line, off a label
// that stays in the home country.
func labelAddress(home domestic, address, country string) string {
	if country = strings.TrimSpace(country); country != "" && home(country) {
		return strings.TrimSuffix(address, "\n"+country)
	}
	return address
}
