package app

import (
	"context"
	"fmt"
	"io"

	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
)

// Errors a restore tells apart.
var (
	ErrNotBackup   = jsonbackup.ErrNotBackup
	ErrNewerBackup = jsonbackup.ErrNewerBackup
)

// RestoreReport counts what a restore did.
type RestoreReport struct {
	Created int // contacts new to this database
	Merged  int // contacts already here, completed from the backup
}

// Restore reads a backup and merges it into the database by contact ID, all
// in one transaction: a backup with any broken contact changes nothing.
// Restoring the same backup twice leaves one copy of everything; what is
// already here is kept, and the backup's version of a field wins only where
// the backup's contact is the more recently changed. The backup is read
// contact by contact as it is merged, so its size does not matter.
func (s *Service) Restore(ctx context.Context, r io.Reader) (RestoreReport, error) {
	report, err := s.restore(ctx, r)
	if err != nil {
		return report, fmt.Errorf("restore: %w", err)
	}
	return report, nil
}

// RestoreJSONFile restores (merges) the backup at path, as Restore does,
// naming the file in every error.
func (s *Service) RestoreJSONFile(ctx context.Context, path string) (RestoreReport, error) {
	f, err := openInput(path, "a Rapport backup")
	if err != nil {
		return RestoreReport{}, err
	}
	defer f.Close()
	report, err := s.restore(ctx, f)
	if err != nil {
		return report, fmt.Errorf("%s: %w", path, err)
	}
	return report, nil
}

func (s *Service) restore(ctx context.Context, r io.Reader) (RestoreReport, error) {
	// A merge is an import too: it matches by UID against what is there.
	unlock, err := s.lockImports(ctx)
	if err != nil {
		return RestoreReport{}, err
	}
	defer unlock()
	var report RestoreReport
	err = s.store().InTx(ctx, func(tx *model.Store) error {
		m := restoring{s: s, tx: tx, ids: map[string]int64{}, referrals: map[string]referral{}}
		if err := jsonbackup.Read(r, backupRules(), func(rc jsonbackup.Restored) error { return m.merge(ctx, rc) }); err != nil {
			return err
		}
		if err := m.linkReferrals(ctx); err != nil {
			return err
		}
		report = m.report
		// Their appointments may have changed: they are scored afresh.
		changed := make([]int64, 0, len(m.ids))
		for _, id := range m.ids {
			changed = append(changed, id)
		}
		if err := tx.ForgetReliability(ctx, changed); err != nil {
			return fmt.Errorf("reliability of the restored contacts: %w", err)
		}
		return nil
	})
	if err != nil {
		return RestoreReport{}, err
	}
	return report, nil
}

// restoring is one restore under way, inside its transaction.
type restoring struct {
	s      *Service
	tx     *model.Store
	report RestoreReport
	// ids maps the backup's contact IDs to the database's.
	ids map[string]int64
	// referrals are who referred whom, by backup ID, linked once every
	// contact is in.
	referrals map[string]referral
}

type referral struct{ name, by string }

// merge merges one contact of the backup and counts it.
func (m *restoring) merge(ctx context.Context, rc jsonbackup.Restored) error {
	id, created, err := m.s.mergeRestored(ctx, m.tx, rc)
	if err != nil {
		return fmt.Errorf("contact %q (%s): %w", rc.Contact.DisplayName, rc.Contact.UID, err)
	}
	m.ids[rc.Contact.UID] = id
	if rc.ReferredBy != "" {
		m.referrals[rc.Contact.UID] = referral{rc.Contact.DisplayName, rc.ReferredBy}
	}
	if created {
		m.report.Created++
	} else {
		m.report.Merged++
	}
	return nil
}

// linkReferrals links each restored contact to who referred them, in the
// backup or already in the database.
func (m *restoring) linkReferrals(ctx context.Context) error {
	for uid, r := range m.referrals {
		ref, ok := m.ids[r.by]
		if !ok {
			var err error
			ref, err = m.tx.ContactIDByUID(ctx, r.by)
			if err != nil {
				return fmt.Errorf("contact %q (%s): referred_by %q is neither in the backup nor in the database",
					r.name, uid, r.by)
			}
		}
		if err := m.tx.SetReferrer(ctx, m.ids[uid], &ref); err != nil {
			return err
		}
	}
	return nil
}

// mergeRestored merges one contact of a backup into the database, as a
// restore does (a contact deleted as on the phone comes back this way too).
func (s *Service) mergeRestored(ctx context.Context, tx *model.Store, rc jsonbackup.Restored) (id int64, created bool, err error) {
	s.normalizePhones(&rc.Contact)
	id, created, err = mergeContact(ctx, tx, rc)
	if err == nil && len(rc.Rescheduled) > 0 {
		err = linkRescheduled(ctx, tx, id, rc)
	}
	return id, created, err
}

// linkRescheduled links the restored contact's appointments that were
// rescheduled to the ones they were moved to, found by start and purpose
// (as the merge matches them), where the database has no link yet.
func linkRescheduled(ctx context.Context, tx *model.Store, id int64, rc jsonbackup.Restored) error {
	c, err := tx.Contact(ctx, id)
	if err != nil {
		return err
	}
	key := func(a model.Appointment) string { return a.Start.UTC().Format("2006-01-02T15:04") + "\x00" + a.Purpose }
	stored := make(map[string]*model.Appointment, len(c.Appointments))
	for i := range c.Appointments {
		stored[key(c.Appointments[i])] = &c.Appointments[i]
	}
	for _, link := range rc.Rescheduled {
		from, to := stored[key(rc.Contact.Appointments[link[0]])], stored[key(rc.Contact.Appointments[link[1]])]
		if from == nil || to == nil || from.RescheduledToID != nil || from.ID == to.ID {
			continue
		}
		from.RescheduledToID = &to.ID
		if err := tx.SaveAppointment(ctx, from); err != nil {
			return err
		}
	}
	return nil
}
