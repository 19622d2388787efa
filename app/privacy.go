package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// SetNewsletterConsent records that a contact agreed today to receive the
// newsletter, or that they no longer do. Withdrawing clears the date and
// says so in the journal, since the date it was given is gone with it.
func (s *Service) SetNewsletterConsent(ctx context.Context, id int64, consent bool) error {
	c, err := s.store().Contact(ctx, id)
	if err != nil {
		return err
	}
	if c.NewsletterConsent == consent {
		return nil
	}
	if consent {
		return s.store().SetNewsletterConsent(ctx, id, true, s.now().Local().Format(time.DateOnly), nil)
	}
	text := "No longer wants the newsletter"
	if c.NewsletterConsentDate != "" {
		text += " (agreed on " + c.NewsletterConsentDate + ")"
	}
	entry := &model.JournalEntry{Kind: model.KindNote, At: s.now(), Text: text}
	return s.store().SetNewsletterConsent(ctx, id, false, "", entry)
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
	return fmt.Sprintf("Removed %s. Older backups still hold them until they rotate out (up to %d months).", name, keepMonths)
}
