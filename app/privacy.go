package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/dbcopy"
	"github.com/rapportjournal/rapport/model"
)

// SetNewsletterConsent records that a contact agreed today to receive the
// newsletter, or that they no longer do. Withdrawing clears the date and
// says so in the journal, since the date it was given is gone with it.
func (s *Service) SetNewsletterConsent(ctx context.Context, id int64, consent bool) error {
	_, err := s.ChangeNewsletterConsent(ctx, id, consent)
	return err
}

// ChangeNewsletterConsent is SetNewsletterConsent with its undo, which puts
// the consent and its day back and takes the withdrawal's journal line
// away. Undo is nil when nothing changed.
func (s *Service) ChangeNewsletterConsent(ctx context.Context, id int64, consent bool) (Undo, error) {
	c, err := s.store().Contact(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.NewsletterConsent == consent {
		return nil, nil
	}
	wasDay := c.NewsletterConsentDate
	var entry *model.JournalEntry
	day := ""
	if consent {
		day = s.now().Local().Format(time.DateOnly)
	} else {
		text := "No longer wants the newsletter"
		if wasDay != "" {
			text += " (agreed on " + wasDay + ")"
		}
		entry = &model.JournalEntry{Kind: model.KindNote, At: s.now(), Text: text}
	}
	if err := s.store().SetNewsletterConsent(ctx, id, consent, day, entry); err != nil {
		return nil, err
	}
	var entryID int64
	if entry != nil {
		entryID = entry.ID
	}
	return func(ctx context.Context) error {
		return s.store().RestoreNewsletterConsent(ctx, id, !consent, wasDay, entryID)
	}, nil
}

// Forget removes a contact and everything about them (see
// model.Store.ForgetContact) and returns the name they had.
func (s *Service) Forget(ctx context.Context, id int64) (string, error) {
	return s.store().ForgetContact(ctx, id, func(name string) map[string]string {
		// The referral rule's note names the person referred.
		return map[string]string{referralReason(name): "Thank you for a referral"}
	})
}

// ForgetByID forgets the contact with the stable ID a backup, list --json
// or the CSV export gives it.
func (s *Service) ForgetByID(ctx context.Context, uid string) (string, error) {
	uid = strings.TrimSpace(uid)
	if uid == "" {
		return "", errors.New("forget: name the contact by its id (see rapport list --json)")
	}
	id, err := s.store().ContactIDByUID(ctx, uid)
	if errors.Is(err, model.ErrNotFound) {
		return "", fmt.Errorf("forget: no contact has the id %q (see rapport list --json)", uid)
	}
	if err != nil {
		return "", err
	}
	return s.Forget(ctx, id)
}

// ForgottenMessage is what the owner is told after forgetting someone: the
// backups made before still hold them.
func ForgottenMessage(name string) string {
	return fmt.Sprintf("Removed %s. Older backups still hold them until they rotate out (up to %d months).", name, dbcopy.KeepMonths)
}
