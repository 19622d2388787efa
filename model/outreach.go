package model

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model/internal/bulk"
	"gorm.io/gorm"
)

// OutreachFilter selects the contacts an outreach to a group may reach.
// Every condition given must hold; the zero filter selects everyone.
type OutreachFilter struct {
	Among   []int64 // only these (a search's matches); nil: everyone
	Stage   Stage
	Tag     string
	Detail  string // has a detail of this label (case of ASCII letters ignored)
	Consent bool   // agreed to the newsletter
	// NoKind and Since: has no journal entry of kind NoKind at or after
	// Since ("no extra in the last 6 months").
	NoKind EntryKind
	Since  time.Time
}

// OutreachContactIDs lists, in no particular order, the contacts f selects.
func (s *Store) OutreachContactIDs(ctx context.Context, f OutreachFilter) ([]int64, error) {
	if f.Among != nil && len(f.Among) == 0 {
		return nil, nil
	}
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.Among != nil {
		in, arg := s.d.idsIn("c.id", f.Among)
		add(in, arg)
	}
	if f.Stage != "" {
		add("c.stage = ?", string(f.Stage))
	}
	if f.Tag != "" {
		add("EXISTS (SELECT 1 FROM tags t WHERE t.contact_id = c.id AND t.name = ?)", f.Tag)
	}
	if d := strings.TrimSpace(f.Detail); d != "" {
		add("EXISTS (SELECT 1 FROM details d WHERE d.contact_id = c.id AND LOWER(d.label) = LOWER(?))", d)
	}
	if f.Consent {
		add("c.newsletter_consent = ?", true)
	}
	if f.NoKind != "" {
		// The (kind, contact_id, at) index of step 4 answers it per contact.
		where = append(where, "NOT EXISTS (SELECT 1 FROM journal_entries j WHERE j.kind = ? AND j.contact_id = c.id AND j.at >= ?)")
		args = append(args, string(f.NoKind), f.Since.UTC().Truncate(time.Second))
	}
	query := "SELECT c.id FROM contacts c"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	ids, err := s.scanIDs(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("select the contacts of an outreach: %w", err)
	}
	return ids, nil
}

// OutreachSent is what an outreach sends, which tells it from another:
// the kind and the title, and for an article the title or the link.
type OutreachSent struct {
	Kind  EntryKind
	Title string
	Link  string
}

// ReachedBefore lists those of ids that already have a journal entry of
// the same outreach as o: of its kind with its title, or for an article
// with its (non-empty) title or its (non-empty) link.
func (s *Store) ReachedBefore(ctx context.Context, ids []int64, o OutreachSent) (map[int64]bool, error) {
	reached := map[int64]bool{}
	if len(ids) == 0 {
		return reached, nil
	}
	query := "SELECT DISTINCT contact_id FROM journal_entries WHERE kind = ? AND "
	args := []any{string(o.Kind)}
	if o.Kind == KindArticle {
		var same []string
		if o.Title != "" {
			same = append(same, "title = ?")
			args = append(args, o.Title)
		}
		if o.Link != "" {
			same = append(same, "link = ?")
			args = append(args, o.Link)
		}
		if len(same) == 0 {
			return reached, nil
		}
		query += "(" + strings.Join(same, " OR ") + ")"
	} else {
		query += "title = ?"
		args = append(args, o.Title)
	}
	in, arg := s.d.idsIn("contact_id", ids)
	found, err := s.scanIDs(ctx, query+" AND "+in, append(args, arg)...)
	if err != nil {
		return nil, fmt.Errorf("who already got the %s %q: %w", o.Kind, o.Title, err)
	}
	for _, id := range found {
		reached[id] = true
	}
	return reached, nil
}

// FirstEmails reads the first email address (by position) of each of ids
// that has one.
func (s *Store) FirstEmails(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, arg := s.d.idsIn("contact_id", ids)
	rows, err := s.with(ctx).Raw("SELECT contact_id, address FROM emails WHERE TRIM(address) <> '' AND "+in+
		" ORDER BY contact_id, position, id", arg).Rows()
	if err != nil {
		return nil, fmt.Errorf("read email addresses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var address string
		if err := rows.Scan(&id, &address); err != nil {
			return nil, fmt.Errorf("read email addresses: %w", err)
		}
		if _, ok := out[id]; !ok {
			out[id] = strings.TrimSpace(address)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read email addresses: %w", err)
	}
	return out, nil
}

// ErrOutreachGone is returned when undoing an outreach no entry carries.
var ErrOutreachGone = errors.New("no journal entry of this outreach is left")

// AddOutreach writes e into the journal of each of ids, in one
// transaction, many rows to a statement; it returns the outreach's
// number, which every entry carries. Neither the contacts' updated_at nor
// their search entries change (searchText leaves outreach entries out): a
// newsletter to 5,000 is no edit of 5,000 cards, which phone sync would
// send again, and rewriting 5,000 index rows took seconds to record and
// again to undo.
func (s *Store) AddOutreach(ctx context.Context, ids []int64, e JournalEntry) (int64, error) {
	if err := e.BeforeSave(nil); err != nil {
		return 0, fmt.Errorf("outreach: %w", err)
	}
	var number int64
	err := s.with(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if number, err = freeOutreachNumber(tx); err != nil {
			return err
		}
		w := bulk.NewWriter(ctx, tx.Statement.ConnPool, dialectOf(tx).bulkDialect())
		w.Expect("journal_entries", len(ids))
		columns := []string{"contact_id", "at", "kind", "text", "created_at", "item", "currency", "outreach_id", "title", "link"}
		created := time.Now().UTC()
		for _, id := range ids {
			w.Row("journal_entries", columns, id, e.At, string(e.Kind), e.Text, created, "", "", number, e.Title, e.Link)
		}
		return w.Flush()
	})
	if err != nil {
		return 0, fmt.Errorf("outreach %s to %d contacts: %w", e.Kind, len(ids), err)
	}
	return number, nil
}

// freeOutreachNumber picks a number no entry carries yet. A random one
// needs no table of its own and no coordination between desks; nine
// digits keep it short enough to type (rapport outreach --undo).
func freeOutreachNumber(tx *gorm.DB) (int64, error) {
	for range 10 {
		n := 100_000_000 + rand.Int64N(900_000_000)
		var taken []int64
		if err := tx.Raw("SELECT id FROM journal_entries WHERE outreach_id = ? LIMIT 1", n).Scan(&taken).Error; err != nil {
			return 0, fmt.Errorf("pick an outreach number: %w", err)
		}
		if len(taken) == 0 {
			return n, nil
		}
	}
	return 0, errors.New("pick an outreach number: all ten tried are taken")
}

// DeleteOutreach removes every journal entry of outreach number, in one
// statement, and returns how many went.
func (s *Store) DeleteOutreach(ctx context.Context, number int64) (int, error) {
	res := s.with(ctx).Exec("DELETE FROM journal_entries WHERE outreach_id = ?", number)
	n, err := int(res.RowsAffected), res.Error
	if err == nil && n == 0 {
		err = ErrOutreachGone
	}
	if err != nil {
		return 0, fmt.Errorf("undo outreach %d: %w", number, err)
	}
	return n, nil
}

// OutreachSummary is one outreach as the journal holds it.
type OutreachSummary struct {
	ID      int64
	Kind    EntryKind
	Title   string
	Link    string
	At      time.Time
	Reached int
}

// Outreaches lists the outreaches whose entries remain, latest first.
func (s *Store) Outreaches(ctx context.Context) ([]OutreachSummary, error) {
	var counts []struct{ OutreachID, Reached, First int64 }
	if err := s.with(ctx).Raw(`SELECT outreach_id, COUNT(*) AS reached, MIN(id) AS first FROM journal_entries
		WHERE outreach_id IS NOT NULL GROUP BY outreach_id`).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("list the outreaches: %w", err)
	}
	firsts := make([]int64, 0, len(counts))
	for _, c := range counts {
		firsts = append(firsts, c.First)
	}
	var entries []JournalEntry
	if len(firsts) > 0 {
		in, arg := s.d.idsIn("id", firsts)
		if err := s.with(ctx).Where(in, arg).Order("at DESC, id DESC").Find(&entries).Error; err != nil {
			return nil, fmt.Errorf("list the outreaches: %w", err)
		}
	}
	reached := make(map[int64]int, len(counts))
	for _, c := range counts {
		reached[c.OutreachID] = int(c.Reached)
	}
	out := make([]OutreachSummary, 0, len(entries))
	for _, e := range entries {
		out = append(out, OutreachSummary{ID: *e.OutreachID, Kind: e.Kind, Title: e.Title, Link: e.Link,
			At: e.At, Reached: reached[*e.OutreachID]})
	}
	return out, nil
}
