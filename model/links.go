package model

import (
	"context"
	"fmt"
	"time"
)

// LinkHousehold is the kind of link between two people who share a home
// phone or a family email.
const LinkHousehold = "household"

// ContactLink ties two contacts together, the lower id first.
type ContactLink struct {
	ID        int64 `gorm:"primaryKey"`
	ContactA  int64 `gorm:"column:contact_a"`
	ContactB  int64 `gorm:"column:contact_b"`
	Kind      string
	Reason    string // why, e.g. "same phone +49 30 1234567"
	CreatedAt time.Time
}

// LinkedContact is the other side of one of a contact's links.
type LinkedContact struct {
	LinkID    int64
	ContactID int64
	Name      string
	Kind      string
	Reason    string
}

// LinkContacts links contacts a and b, unless they are linked already; it
// returns the new link's id, 0 when there was one.
func (s *Store) LinkContacts(ctx context.Context, a, b int64, kind, reason string) (int64, error) {
	if a > b {
		a, b = b, a
	}
	if a == b || a <= 0 {
		return 0, fmt.Errorf("link contacts %d and %d: not two contacts", a, b)
	}
	var ids []int64
	err := s.with(ctx).Raw(`INSERT INTO contact_links (contact_a, contact_b, kind, reason, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (contact_a, contact_b) DO NOTHING RETURNING id`, a, b, kind, reason, time.Now().UTC()).Scan(&ids).Error
	if err != nil {
		return 0, fmt.Errorf("link contacts %d and %d: %w", a, b, err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// DeleteLink removes link id if it is still one of contactID's (ids are
// used again after a delete); it reports whether it did.
func (s *Store) DeleteLink(ctx context.Context, id, contactID int64) (bool, error) {
	res := s.with(ctx).Exec("DELETE FROM contact_links WHERE id = ? AND (contact_a = ? OR contact_b = ?)", id, contactID, contactID)
	if res.Error != nil {
		return false, fmt.Errorf("delete link %d: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// LinksOf lists the contacts linked to contact id, by name.
func (s *Store) LinksOf(ctx context.Context, id int64) ([]LinkedContact, error) {
	var out []LinkedContact
	err := s.with(ctx).Raw(`SELECT l.id AS link_id, c.id AS contact_id, c.display_name AS name, l.kind, l.reason
		FROM contact_links l JOIN contacts c ON c.id = CASE WHEN l.contact_a = ? THEN l.contact_b ELSE l.contact_a END
		WHERE l.contact_a = ? OR l.contact_b = ? ORDER BY c.sort_key, c.id`, id, id, id).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("links of contact %d: %w", id, err)
	}
	return out, nil
}

// ReferredBy lists the contacts that contact id referred.
func (s *Store) ReferredBy(ctx context.Context, id int64) ([]int64, error) {
	ids, err := s.scanIDs(ctx, "SELECT id FROM contacts WHERE referred_by_id = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("contacts referred by %d: %w", id, err)
	}
	return ids, nil
}
