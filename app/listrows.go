package app

import (
	"context"
	"slices"

	"github.com/rapportjournal/rapport/model"
)

// DataVersion changes whenever the data changes, from this window or any
// other, a command or another desk: the window asks every second and shows
// the change.
func (s *Service) DataVersion(ctx context.Context) (int64, error) {
	return s.store().DataVersion(ctx)
}

// ListFilter narrows the contact list to a stage and a tag ("" for any).
type ListFilter struct {
	Stage model.Stage
	Tag   string
}

// Active reports whether the filter leaves anyone out.
func (f ListFilter) Active() bool { return f.Stage != "" || f.Tag != "" }

// filterByID is up to how many contacts FilterContacts looks up by id.
const filterByID = 2000

// FilterContacts keeps those of ids that pass f, in their order.
func (s *Service) FilterContacts(ctx context.Context, ids []int64, f ListFilter) ([]int64, error) {
	if !f.Active() {
		return ids, nil
	}
	// A search's few answers are looked up by id; the whole list (or a
	// broad search) by the stage's or tag's index.
	var among []int64
	if len(ids) <= filterByID {
		among = ids
	}
	pass, err := s.store().ContactIDsWith(ctx, f.Stage, f.Tag, among)
	if err != nil {
		return nil, err
	}
	keep := make(map[int64]bool, len(pass))
	for _, id := range pass {
		keep[id] = true
	}
	return slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return !keep[id] }), nil
}

// Tags lists every tag in use, for the list's filter.
func (s *Service) Tags(ctx context.Context) ([]string, error) { return s.store().TagNames(ctx) }

// ListRow is one row of the contact list: the contact, and for one whose
// name another contact shares, what tells them apart (Hint).
type ListRow struct {
	model.ContactRow
	Hint string // the city, else the phone, else the email; "" when the name is theirs alone
}

// ListRows reads the list rows of the given contacts, in that order. A
// contact whose display name another contact shares gets a hint: the city of
// their first address, unless another of that name among ids lives there
// too, else their first phone, else their first email.
func (s *Service) ListRows(ctx context.Context, ids []int64) ([]ListRow, error) {
	rows, err := s.store().ContactRows(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(rows))
	for _, r := range rows {
		names = append(names, r.DisplayName)
	}
	shared, err := s.store().SharedNames(ctx, names)
	if err != nil {
		return nil, err
	}
	var twins []int64
	nameOf := map[int64]string{}
	for _, r := range rows {
		if shared[r.DisplayName] {
			twins = append(twins, r.ID)
			nameOf[r.ID] = r.DisplayName
		}
	}
	hints, err := s.store().ContactHints(ctx, twins)
	if err != nil {
		return nil, err
	}
	// How many of each name live in each city, among the rows read.
	cities := map[[2]string]int{}
	for _, id := range twins {
		if c := hints[id].City; c != "" {
			cities[[2]string{nameOf[id], c}]++
		}
	}
	out := make([]ListRow, len(rows))
	for i, r := range rows {
		out[i] = ListRow{ContactRow: r}
		if !shared[r.DisplayName] {
			continue
		}
		h := hints[r.ID]
		switch {
		case h.City != "" && cities[[2]string{r.DisplayName, h.City}] == 1:
			out[i].Hint = h.City
		case h.Phone != "":
			out[i].Hint = h.Phone
		case h.Email != "":
			out[i].Hint = h.Email
		default:
			out[i].Hint = h.City
		}
	}
	return out, nil
}
