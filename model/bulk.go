package model

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// BulkInsert writes new contacts many rows to a statement, inside one
// transaction. The pure-Go SQLite driver prepares and finalizes every
// statement it runs, which made one INSERT per row the bulk of an import's
// time; a statement of a few hundred rows pays that once. Contacts get their
// IDs when added (so that the caller can refer to them at once); their
// phones, details… are written without reading their IDs back.
type BulkInsert struct {
	ctx     context.Context
	tx      *gorm.DB
	next    int64
	pending []*Contact
	ids     map[int64]bool
}

// NewBulkInsert starts a bulk insert in the transaction of s (a Store from
// InTx, which holds the write lock, so the IDs it hands out stay free).
func (s *Store) NewBulkInsert(ctx context.Context) (*BulkInsert, error) {
	db := s.with(ctx)
	var max int64
	if err := db.Statement.ConnPool.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM contacts").Scan(&max); err != nil {
		return nil, fmt.Errorf("bulk insert: %w", err)
	}
	return &BulkInsert{ctx: ctx, tx: db, next: max + 1, ids: map[int64]bool{}}, nil
}

// Add queues c, giving it its ID.
func (b *BulkInsert) Add(c *Contact) (int64, error) {
	if err := c.BeforeSave(b.tx); err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	c.CreatedAt, c.UpdatedAt = orNow(c.CreatedAt, now), orNow(c.UpdatedAt, now)
	positions(c)
	for i := range c.Journal {
		if err := c.Journal[i].BeforeSave(nil); err != nil {
			return 0, err
		}
		c.Journal[i].CreatedAt = orNow(c.Journal[i].CreatedAt, now)
	}
	c.ID = b.next
	b.next++
	b.pending = append(b.pending, c)
	b.ids[c.ID] = true
	return c.ID, nil
}

// Holds reports whether contact id is queued and not yet written.
func (b *BulkInsert) Holds(id int64) bool { return b.ids[id] }

// Flush writes what is queued.
func (b *BulkInsert) Flush() error {
	if len(b.pending) == 0 {
		return nil
	}
	cs := b.pending
	b.pending, b.ids = nil, map[int64]bool{}
	conn, ok := b.tx.Statement.ConnPool.(execer)
	if !ok {
		return fmt.Errorf("bulk insert: no connection")
	}
	w := multiRow{ctx: b.ctx, conn: conn}
	for _, c := range cs {
		w.row("contacts", `id, uid, given_name, family_name, display_name, nickname, organization, title, stage,
			referred_by_id, how_we_met, photo, thumbnail, sort_key, vcard_uid, vcard_extra, vcard_hash, created_at, updated_at`,
			c.ID, c.UID, c.GivenName, c.FamilyName, c.DisplayName, c.Nickname, c.Organization, c.Title, string(c.Stage),
			c.ReferredByID, c.HowWeMet, nilIfEmpty(c.Photo), nilIfEmpty(c.Thumbnail), c.SortKey, c.VCardUID, c.VCardExtra,
			c.VCardHash, c.CreatedAt, c.UpdatedAt)
	}
	for _, c := range cs {
		for _, p := range c.Phones {
			w.row("phones", "contact_id, label, number, normalized, position", c.ID, p.Label, p.Number, p.Normalized, p.Position)
		}
		for _, e := range c.Emails {
			w.row("emails", "contact_id, label, address, position", c.ID, e.Label, e.Address, e.Position)
		}
		for _, a := range c.Addresses {
			w.row("addresses", "contact_id, label, street, city, region, postal_code, country, position",
				c.ID, a.Label, a.Street, a.City, a.Region, a.PostalCode, a.Country, a.Position)
		}
		for _, t := range c.Tags {
			w.row("tags", "contact_id, name", c.ID, t.Name)
		}
		for _, d := range c.Details {
			w.row("details", "contact_id, label, value, pinned, position", c.ID, d.Label, d.Value, d.Pinned, d.Position)
		}
		for _, d := range c.Dates {
			w.row("important_dates", "contact_id, label, year, month, day", c.ID, d.Label, d.Year, d.Month, d.Day)
		}
		for _, e := range c.Journal {
			w.row("journal_entries", "contact_id, at, kind, text, created_at", c.ID, e.At, string(e.Kind), e.Text, e.CreatedAt)
		}
		now := time.Now().UTC()
		for i := range c.Appointments {
			a := &c.Appointments[i]
			if err := a.BeforeSave(nil); err != nil {
				return err
			}
			w.row("appointments", `contact_id, start, minutes, purpose, outcome, minutes_late, cancelled_at,
				rescheduled_to_id, created_at, updated_at`, c.ID, a.Start, a.Minutes, a.Purpose, a.Outcome, a.MinutesLate,
				a.CancelledAt, a.RescheduledToID, orNow(a.CreatedAt, now), orNow(a.UpdatedAt, now))
		}
		for i := range c.NotesOwed {
			n := &c.NotesOwed[i]
			if err := n.BeforeSave(nil); err != nil {
				return err
			}
			w.row("note_reminders", `contact_id, reason, due, status, written_at, posted_at, written_text,
				created_at, updated_at`, c.ID, n.Reason, n.Due, n.Status, n.WrittenAt, n.PostedAt, n.WrittenText,
				orNow(n.CreatedAt, now), orNow(n.UpdatedAt, now))
		}
		w.row("contact_search", "rowid, body", c.ID, Fold(searchText(c)))
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("bulk insert of %d contacts: %w", len(cs), err)
	}
	return nil
}

// multiRow gathers rows per table and writes them as multi-row INSERTs.
type multiRow struct {
	ctx    context.Context
	conn   execer
	verb   string // "INSERT" unless set
	suffix string // after the VALUES, such as an ON CONFLICT clause
	order  []string
	tables map[string]*tableRows
}

type tableRows struct {
	columns string
	width   int
	args    []any
}

// maxArgs is how many values one statement binds. The driver matches each
// parameter to its value by a linear search (quadratic in the count), but
// preparing a statement costs more: measured on 10,000 cards, 400 values a
// statement took 2.5 s, 2,000 took 2.3 s, 6,000 took 2.1 s.
const maxArgs = 6000

func (w *multiRow) row(table, columns string, values ...any) {
	if w.tables == nil {
		w.tables = map[string]*tableRows{}
	}
	t, ok := w.tables[table]
	if !ok {
		t = &tableRows{columns: columns, width: len(values)}
		w.tables[table] = t
		w.order = append(w.order, table)
	}
	t.args = append(t.args, values...)
}

func (w *multiRow) flush() error {
	for _, table := range w.order {
		t := w.tables[table]
		perStatement := max(1, maxArgs/t.width) * t.width
		for start := 0; start < len(t.args); start += perStatement {
			chunk := t.args[start:min(start+perStatement, len(t.args))]
			rows := len(chunk) / t.width
			one := "(" + strings.TrimSuffix(strings.Repeat("?, ", t.width), ", ") + ")"
			verb := w.verb
			if verb == "" {
				verb = "INSERT"
			}
			query := verb + " INTO " + table + " (" + t.columns + ") VALUES " +
				strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ") + w.suffix
			if _, err := w.conn.ExecContext(w.ctx, query, chunk...); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
		}
	}
	return nil
}
