package model

import (
	"context"
	"fmt"
	"strings"
)

// A card on the phone the owner chose to skip is kept from coming back on
// every sync by a link of its own, with no contact, under SkippedHref of
// its path (as a forgotten contact's card is kept under ForgottenHref):
// the path stays readable, so that a later sync can list the skipped cards
// and the owner can take them in after all.

const skippedPrefix = "skipped:"

// SkippedHref is the link key of a skipped card at href.
func SkippedHref(href string) string { return skippedPrefix + href }

// IsSkippedHref tells a skipped card's link from a card's path.
func IsSkippedHref(key string) bool { return strings.HasPrefix(key, skippedPrefix) }

// SkippedPath is the card's path of a skipped card's link key.
func SkippedPath(key string) string { return strings.TrimPrefix(key, skippedPrefix) }

// SkipPhoneCards marks the cards at hrefs (path → ETag) as skipped by the
// owner, in one transaction.
func (s *Store) SkipPhoneCards(ctx context.Context, hrefs map[string]string) error {
	return s.InTx(ctx, func(tx *Store) error {
		for href, etag := range hrefs {
			if err := tx.SaveDavLink(ctx, DavLink{Href: SkippedHref(href), ETag: etag}); err != nil {
				return fmt.Errorf("skip the phone's card %s: %w", href, err)
			}
		}
		return nil
	})
}

// dropLinkedSkips drops the skip marks of cards linked to a contact after
// all: one statement, not one per link (the first sync links thousands).
func (s *Store) dropLinkedSkips(ctx context.Context) error {
	err := s.with(ctx).Exec(`DELETE FROM dav_links WHERE href LIKE 'skipped:%' AND substr(href, 9) IN
		(SELECT href FROM dav_links WHERE contact_id IS NOT NULL)`).Error
	if err != nil {
		return fmt.Errorf("drop the skip marks of linked cards: %w", err)
	}
	return nil
}
