package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DavLink ties a card on the phone's CardDAV server to a contact, with the
// version each side had when they last agreed.
type DavLink struct {
	ID         int64
	ContactID  int64     // 0: the contact was deleted here
	Href       string    // the card's path on the server
	ETag       string    `gorm:"column:etag"` // the server's version of it at the last sync
	SyncedHash string    // a hash of the card's standard fields at the last sync
	SyncedAt   time.Time // when they last agreed
	// PhoneDeletedAt is when a sync found the card deleted on the phone,
	// while the contact is still here: the owner has not settled it yet.
	PhoneDeletedAt *time.Time
}

// DavLinks lists every link, by href.
func (s *Store) DavLinks(ctx context.Context) (map[string]DavLink, error) {
	var rows []DavLink
	if err := s.with(ctx).Raw("SELECT id, COALESCE(contact_id, 0) AS contact_id, href, etag, synced_hash, synced_at, phone_deleted_at FROM dav_links").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("phone sync links: %w", err)
	}
	out := make(map[string]DavLink, len(rows))
	for _, r := range rows {
		out[r.Href] = r
	}
	return out, nil
}

// SaveDavLink records that href and the contact agree now, replacing what
// was known of href (a deletion on the phone not settled yet included).
func (s *Store) SaveDavLink(ctx context.Context, l DavLink) error {
	if l.SyncedAt.IsZero() {
		l.SyncedAt = time.Now().UTC()
	}
	err := s.with(ctx).Exec(`INSERT INTO dav_links (contact_id, href, etag, synced_hash, synced_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (href) DO UPDATE SET contact_id = excluded.contact_id, etag = excluded.etag,
			synced_hash = excluded.synced_hash, synced_at = excluded.synced_at, phone_deleted_at = NULL`,
		nullID(l.ContactID), l.Href, l.ETag, l.SyncedHash, l.SyncedAt).Error
	if err != nil {
		return fmt.Errorf("save phone sync link %s: %w", l.Href, err)
	}
	return nil
}

// SaveDavLinks saves several links in one transaction. A card linked to a
// contact is no longer one the owner skipped: its skip mark goes.
func (s *Store) SaveDavLinks(ctx context.Context, links []DavLink) error {
	return s.InTx(ctx, func(tx *Store) error {
		for _, l := range links {
			if err := tx.SaveDavLink(ctx, l); err != nil {
				return err
			}
		}
		return tx.dropLinkedSkips(ctx)
	})
}

// DeleteDavLink forgets the link of href (the card is gone on one side).
func (s *Store) DeleteDavLink(ctx context.Context, href string) error {
	if err := s.with(ctx).Exec("DELETE FROM dav_links WHERE href = ?", href).Error; err != nil {
		return fmt.Errorf("delete phone sync link %s: %w", href, err)
	}
	return nil
}

// MarkDeletedOnPhone records that the card at href is gone from the phone
// while its contact is still here, until the owner settles it; a mark
// made earlier keeps its time.
func (s *Store) MarkDeletedOnPhone(ctx context.Context, href string, at time.Time) error {
	err := s.with(ctx).Exec("UPDATE dav_links SET phone_deleted_at = ? WHERE href = ? AND phone_deleted_at IS NULL", at.UTC(), href).Error
	if err != nil {
		return fmt.Errorf("mark %s deleted on the phone: %w", href, err)
	}
	return nil
}

// UnmarkDeletedOnPhone takes the mark back: the card is on the phone again.
func (s *Store) UnmarkDeletedOnPhone(ctx context.Context, href string) error {
	if err := s.with(ctx).Exec("UPDATE dav_links SET phone_deleted_at = NULL WHERE href = ?", href).Error; err != nil {
		return fmt.Errorf("unmark %s deleted on the phone: %w", href, err)
	}
	return nil
}

// SyncCandidates lists what may need writing to the server: contacts with
// no link yet, and links whose contact changed since the two last agreed
// (or is gone: ContactID 0).
func (s *Store) SyncCandidates(ctx context.Context) (unlinked []int64, changed []DavLink, err error) {
	unlinked, err = s.scanIDs(ctx, `SELECT c.id FROM contacts c
		WHERE NOT EXISTS (SELECT 1 FROM dav_links l WHERE l.contact_id = c.id) ORDER BY c.id`)
	if err != nil {
		return nil, nil, fmt.Errorf("contacts not on the phone: %w", err)
	}
	err = s.with(ctx).Raw(`SELECT l.id, COALESCE(l.contact_id, 0) AS contact_id, l.href, l.etag, l.synced_hash, l.synced_at,
			l.phone_deleted_at
		FROM dav_links l LEFT JOIN contacts c ON c.id = l.contact_id
		WHERE c.id IS NULL OR c.updated_at > l.synced_at ORDER BY l.id`).Scan(&changed).Error
	if err != nil {
		return nil, nil, fmt.Errorf("contacts changed since the last sync: %w", err)
	}
	return unlinked, changed, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// ForgottenHref is how the link of a forgotten contact's card is kept: by a
// hash of its path alone.
func ForgottenHref(href string) string {
	sum := sha256.Sum256([]byte(href))
	return "forgotten:" + hex.EncodeToString(sum[:])
}

// IsForgottenHref tells a forgotten contact's link from a card's path.
func IsForgottenHref(href string) bool { return strings.HasPrefix(href, "forgotten:") }

func forgetDavLinks(tx *gorm.DB, contactID int64) error {
	// A card the phone deleted already is gone on both sides now.
	if err := tx.Exec("DELETE FROM dav_links WHERE contact_id = ? AND phone_deleted_at IS NOT NULL", contactID).Error; err != nil {
		return err
	}
	var hrefs []string
	if err := tx.Raw("SELECT href FROM dav_links WHERE contact_id = ?", contactID).Scan(&hrefs).Error; err != nil {
		return err
	}
	for _, h := range hrefs {
		if err := tx.Exec("UPDATE dav_links SET contact_id = NULL, href = ?, etag = '', synced_hash = '', phone_deleted_at = NULL WHERE href = ?",
			ForgottenHref(h), h).Error; err != nil {
			return err
		}
	}
	return nil
}
