package model

import (
	"context"
	"fmt"
	"strings"
)

// ContactIDsWith lists, in no particular order, the contacts of stage (any
// when "") that carry tag (any when ""), among the contacts among (all when
// nil). Stage and tag come from indexes of schema step 10: tags by name,
// contacts by stage; a short among is looked up by id instead.
func (s *Store) ContactIDsWith(ctx context.Context, stage Stage, tag string, among []int64) ([]int64, error) {
	query := "SELECT c.id FROM contacts c"
	var where []string
	var args []any
	if tag != "" {
		query += " JOIN tags t ON t.contact_id = c.id"
		where = append(where, "t.name = ?")
		args = append(args, tag)
	}
	if stage != "" {
		where = append(where, "c.stage = ?")
		args = append(args, string(stage))
	}
	if among != nil {
		if len(among) == 0 {
			return nil, nil
		}
		in, arg := s.d.idsIn("c.id", among)
		where = append(where, in)
		args = append(args, arg)
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	ids, err := s.scanIDs(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("contacts of stage %q with tag %q: %w", stage, tag, err)
	}
	return ids, nil
}

// TagNames lists every tag in use, in byte order, once.
func (s *Store) TagNames(ctx context.Context) ([]string, error) {
	var names []string
	if err := s.with(ctx).Raw("SELECT DISTINCT name FROM tags ORDER BY name").Scan(&names).Error; err != nil {
		return nil, fmt.Errorf("read the tags: %w", err)
	}
	return names, nil
}

// SharedNames tells which of names more than one contact is called by
// (from the display_name index of schema step 10).
func (s *Store) SharedNames(ctx context.Context, names []string) (map[string]bool, error) {
	shared := map[string]bool{}
	if len(names) == 0 {
		return shared, nil
	}
	var found []string
	if err := s.with(ctx).Raw(`SELECT display_name FROM contacts WHERE display_name IN ?
		GROUP BY display_name HAVING COUNT(*) > 1`, names).Scan(&found).Error; err != nil {
		return nil, fmt.Errorf("find names shared by several contacts: %w", err)
	}
	for _, n := range found {
		shared[n] = true
	}
	return shared, nil
}

// ContactHint is what tells a contact from another of the same name: the
// city of their first address, their first phone, their first email.
type ContactHint struct {
	City, Phone, Email string
}

// ContactHints reads the hints of the given contacts.
func (s *Store) ContactHints(ctx context.Context, ids []int64) (map[int64]ContactHint, error) {
	hints := make(map[int64]ContactHint, len(ids))
	if len(ids) == 0 {
		return hints, nil
	}
	in, arg := s.d.idsIn("contact_id", ids)
	for _, q := range []struct {
		query string
		set   func(h *ContactHint, v string)
	}{
		{"SELECT contact_id, city FROM addresses WHERE city <> '' AND " + in + " ORDER BY contact_id, position, id",
			func(h *ContactHint, v string) { h.City = v }},
		{"SELECT contact_id, number FROM phones WHERE number <> '' AND " + in + " ORDER BY contact_id, position, id",
			func(h *ContactHint, v string) { h.Phone = v }},
		{"SELECT contact_id, address FROM emails WHERE address <> '' AND " + in + " ORDER BY contact_id, position, id",
			func(h *ContactHint, v string) { h.Email = v }},
	} {
		rows, err := s.with(ctx).Raw(q.query, arg).Rows()
		if err != nil {
			return nil, fmt.Errorf("read what tells contacts apart: %w", err)
		}
		seen := map[int64]bool{}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read what tells contacts apart: %w", err)
			}
			if !seen[id] { // the first by position
				seen[id] = true
				h := hints[id]
				q.set(&h, v)
				hints[id] = h
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read what tells contacts apart: %w", err)
		}
	}
	return hints, nil
}
