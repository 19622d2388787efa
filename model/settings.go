package model

import (
	"context"
	"fmt"
	"slices"
)

// Settings reads several of the owner's settings at once; keys never set
// are absent from the map.
func (s *Store) Settings(ctx context.Context, keys ...string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	var rows []struct{ Key, Value string }
	if err := s.with(ctx).Raw("SELECT key, value FROM settings WHERE key IN ?", keys).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// SetSettings writes several settings in one transaction: all of them or
// none.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return s.InTx(ctx, func(tx *Store) error {
		for _, k := range keys {
			if err := tx.SetSetting(ctx, k, values[k]); err != nil {
				return err
			}
		}
		return nil
	})
}

// LastWrittenNotes gives, for each of the contacts that has one, the note
// last written to them (written or posted), so that the next one does not
// repeat it.
func (s *Store) LastWrittenNotes(ctx context.Context, contactIDs []int64) (map[int64]NoteReminder, error) {
	out := map[int64]NoteReminder{}
	const chunk = 500
	for start := 0; start < len(contactIDs); start += chunk {
		ids := contactIDs[start:min(start+chunk, len(contactIDs))]
		var notes []NoteReminder
		err := s.with(ctx).Raw(`SELECT n.* FROM note_reminders n
			WHERE n.contact_id IN ? AND n.id = (
				SELECT m.id FROM note_reminders m
				WHERE m.contact_id = n.contact_id AND m.written_at IS NOT NULL
				ORDER BY m.written_at DESC, m.id DESC LIMIT 1)`, ids).Scan(&notes).Error
		if err != nil {
			return nil, fmt.Errorf("last written notes: %w", err)
		}
		for _, n := range notes {
			out[n.ContactID] = n
		}
	}
	return out, nil
}
