package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
)

// backupRules lends the backup format the journal's own rules, so a
// restored contact passes the same checks as a typed or imported one.
func backupRules() jsonbackup.Rules {
	return jsonbackup.Rules{
		Tidy: tidy,
		Date: func(label, text string) (model.ImportantDate, error) {
			d, err := ParsePartialDate(text)
			if err != nil {
				return model.ImportantDate{}, err
			}
			return toModelDate(label, d), nil
		},
		DateText:    func(d model.ImportantDate) string { return dateOf(d).String() },
		Entry:       checkEntryAmount,
		Appointment: ValidateAppointment,
	}
}

// Export writes the whole journal as a backup to w, contact by contact, so
// memory stays flat however large the journal is.
func (s *Service) Export(ctx context.Context, w io.Writer) error {
	uids, err := s.store().UIDs(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	rules := backupRules()
	bw := jsonbackup.NewWriter(w, s.now())
	err = s.store().EachContact(ctx, func(c *model.Contact) error {
		return bw.Add(rules.FromModel(c, uids, true))
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := bw.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// listedContact is a contact as list --json gives it: its backup form and
// its reliability, which is derived and so not backed up.
type listedContact struct {
	jsonbackup.Contact
	Reliability *Reliability `json:"reliability,omitempty"`
}

// ContactsJSON writes {"contacts": [...]} with the backup objects of the
// contacts matching search, photos left out, each with its reliability as of
// the day on.
func (s *Service) ContactsJSON(ctx context.Context, search string, on time.Time, w io.Writer) error {
	rows, err := s.store().ListContacts(ctx, search, 0)
	if err != nil {
		return err
	}
	uids, err := s.store().UIDs(ctx)
	if err != nil {
		return err
	}
	rules := backupRules()
	out := struct {
		Contacts []listedContact `json:"contacts"`
	}{Contacts: make([]listedContact, 0, len(rows))}
	const page = 200
	for start := 0; start < len(rows); start += page {
		ids := make([]int64, 0, page)
		for _, r := range rows[start:min(start+page, len(rows))] {
			ids = append(ids, r.ID)
		}
		contacts, err := s.store().Contacts(ctx, ids)
		if err != nil {
			return err
		}
		for i := range contacts {
			r := ReliabilityOf(contacts[i].Appointments, on, s.Rules())
			out.Contacts = append(out.Contacts, listedContact{rules.FromModel(&contacts[i], uids, false), &r})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
