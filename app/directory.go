package app

import (
	"context"
	"slices"

	"github.com/rapportjournal/rapport/model"
)

// Directory is every contact's ID in name order, loaded once and held by the
// window. With it a search as you type costs only the full-text lookup:
// sorting its matches by name in SQLite took 70 ms for 20,000 matches of
// 50,000, sorting them here by rank takes a few.
type Directory struct {
	ids  []int64
	rank map[int64]int
}

// LoadDirectory reads the directory.
func (s *Service) LoadDirectory(ctx context.Context) (*Directory, error) {
	ids, err := s.store().ContactIDsByName(ctx)
	if err != nil {
		return nil, err
	}
	d := &Directory{ids: ids, rank: make(map[int64]int, len(ids))}
	for i, id := range ids {
		d.rank[id] = i
	}
	return d, nil
}

// All is every contact in name order. The slice is shared: do not change it.
func (d *Directory) All() []int64 { return d.ids }

// Len is how many contacts the directory holds.
func (d *Directory) Len() int { return len(d.ids) }

// Search returns the contacts matching query in name order; an empty query
// gives everyone. Contacts newer than the directory come last.
func (s *Service) Search(ctx context.Context, d *Directory, query string) ([]int64, error) {
	ids, ok, err := s.store().MatchingContactIDs(ctx, query)
	if err != nil {
		return nil, err
	}
	if !ok {
		return d.ids, nil
	}
	// Mark the matches at their place in name order and read them off in
	// that order: linear, where a sort with map lookups took 15 ms for
	// 20,000 matches.
	marked := make([]bool, len(d.ids))
	var newer []int64
	for _, id := range ids {
		if r, ok := d.rank[id]; ok {
			marked[r] = true
		} else {
			newer = append(newer, id)
		}
	}
	sorted := make([]int64, 0, len(ids))
	for r, m := range marked {
		if m {
			sorted = append(sorted, d.ids[r])
		}
	}
	slices.Sort(newer)
	return append(sorted, newer...), nil
}

// ContactRows reads the list rows of the given contacts, in that order.
func (s *Service) ContactRows(ctx context.Context, ids []int64) ([]model.ContactRow, error) {
	return s.store().ContactRows(ctx, ids)
}
