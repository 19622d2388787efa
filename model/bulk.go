package model

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	d       dialect
	next    int64   // SQLite: the next ID to hand out
	free    []int64 // PostgreSQL: IDs taken from the sequence, not yet handed out
	block   int     // PostgreSQL: how many IDs were taken last
	pending []*Contact
	ids     map[int64]bool
	merges  []queuedMerge
	reindex []*MergeTarget // merged contacts whose search text changed
	// search holds the contacts written by FlushRows whose search rows
	// wait for the next Flush (see FlushRows).
	search []*Contact
}

// queuedMerge is one card's additions to a contact already written.
type queuedMerge struct {
	id   int64
	at   time.Time
	fill Fill
	add  *Additions
}

// maxIDBlock is the most IDs a PostgreSQL bulk insert takes from the
// sequence at once; it starts at one and doubles, so that saving one
// contact leaves no gap.
const maxIDBlock = 1024

// NewBulkInsert starts a bulk insert in the transaction of s. On SQLite, s
// must be a Store from InTx, which holds the write lock, so the IDs it hands
// out (after the highest) stay free. On PostgreSQL, where desks write side
// by side, the IDs come from the contacts' sequence, which never hands one
// out twice.
func (s *Store) NewBulkInsert(ctx context.Context) (*BulkInsert, error) {
	db := s.with(ctx)
	b := &BulkInsert{ctx: ctx, tx: db, d: s.d, ids: map[int64]bool{}}
	if s.d == sqliteDialect {
		var max int64
		if err := db.Statement.ConnPool.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM contacts").Scan(&max); err != nil {
			return nil, fmt.Errorf("bulk insert: %w", err)
		}
		b.next = max + 1
	}
	return b, nil
}

// nextID hands out the next contact ID.
func (b *BulkInsert) nextID() (int64, error) {
	if b.d == sqliteDialect {
		id := b.next
		b.next++
		return id, nil
	}
	if len(b.free) == 0 {
		b.block = min(max(1, 2*b.block), maxIDBlock)
		rows, err := b.tx.Statement.ConnPool.QueryContext(b.ctx,
			"SELECT nextval(pg_get_serial_sequence('contacts', 'id')) FROM generate_series(1, $1)", b.block)
		if err != nil {
			return 0, fmt.Errorf("bulk insert: contact ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, fmt.Errorf("bulk insert: contact ids: %w", err)
			}
			b.free = append(b.free, id)
		}
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("bulk insert: contact ids: %w", err)
		}
		if len(b.free) == 0 {
			return 0, fmt.Errorf("bulk insert: the contacts' sequence gave no id")
		}
		slices.Sort(b.free)
	}
	id := b.free[0]
	b.free = b.free[1:]
	return id, nil
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
	id, err := b.nextID()
	if err != nil {
		return 0, err
	}
	c.ID = id
	b.pending = append(b.pending, c)
	b.ids[c.ID] = true
	return c.ID, nil
}

// Holds reports whether contact id is queued and not yet written.
func (b *BulkInsert) Holds(id int64) bool { return b.ids[id] }

// Merge queues what AddToContact does (fill the fields of fill, add the
// rows of add, updated_at becomes at), for have, a contact already written
// and read with ContactsForMerge. have is brought up to date at once, so
// that a later card merged into the same contact is compared with it as it
// will be; the rows of add get their IDs when flushed. One card's merge
// cost eight reads and a dozen statements of its own, and written into the
// search index in the middle of a transaction, each made FTS5 write out
// what it held: a merge cost two adds and more.
func (b *BulkInsert) Merge(have *MergeTarget, at time.Time, fill Fill, add *Additions) error {
	id := have.ID
	if b.ids[id] {
		return fmt.Errorf("merge into contact %d: it is not written yet", id)
	}
	if len(add.Appointments)+len(add.NotesOwed) > 0 {
		return fmt.Errorf("merge into contact %d: appointments and note reminders are not merged", id)
	}
	for field, value := range fill.Fields {
		col, ok := fillableFields()[field]
		if !ok {
			return fmt.Errorf("merge into contact %d: field %q cannot be filled", id, field)
		}
		*map[string]*string{"given_name": &have.GivenName, "family_name": &have.FamilyName, "nickname": &have.Nickname,
			"organization": &have.Organization, "title": &have.Title, "vcard_uid": &have.VCardUID}[col] = value
	}
	now := time.Now().UTC()
	for i := range add.Journal {
		if err := add.Journal[i].BeforeSave(nil); err != nil {
			return fmt.Errorf("merge into contact %d: %w", id, err)
		}
		add.Journal[i].CreatedAt = orNow(add.Journal[i].CreatedAt, now)
	}
	b.merges = append(b.merges, queuedMerge{id: id, at: at.UTC(), fill: fill, add: add})
	have.HasPhoto = have.HasPhoto || len(fill.Photo) > 0
	switch {
	case fill.Extra == "":
	case have.VCardExtra == "":
		have.VCardExtra = fill.Extra
	default:
		have.VCardExtra += "\r\n" + fill.Extra
	}
	if fill.Hash != "" {
		have.VCardHash = fill.Hash
	}
	have.UpdatedAt = at
	have.Phones = append(have.Phones, add.Phones...)
	have.Emails = append(have.Emails, add.Emails...)
	have.Addresses = append(have.Addresses, add.Addresses...)
	have.Tags = append(have.Tags, add.Tags...)
	have.Details = append(have.Details, add.Details...)
	have.Dates = append(have.Dates, add.Dates...)
	have.Journal = append(have.Journal, add.Journal...)
	if (len(fill.Fields) > 0 || !add.Empty()) && !slices.Contains(b.reindex, have) {
		b.reindex = append(b.reindex, have)
	}
	return nil
}

// flushMerges writes the queued merges: each contact's fields, then the
// rows added, many to a statement, under IDs taken here (undo names them),
// and clears the search index of the contacts whose text changed, which
// Flush writes anew with the new contacts' rows.
func (b *BulkInsert) flushMerges(conn execer) error {
	for _, m := range b.merges {
		set, args := []string{"updated_at = ?", "version = version + 1"}, []any{m.at}
		for _, field := range slices.Sorted(maps.Keys(m.fill.Fields)) {
			set, args = append(set, fillableFields()[field]+" = ?"), append(args, m.fill.Fields[field])
		}
		if len(m.fill.Photo) > 0 {
			set, args = append(set, "photo = ?", "thumbnail = ?"), append(args, m.fill.Photo, m.fill.Thumbnail)
		}
		if m.fill.Hash != "" {
			set, args = append(set, "vcard_hash = ?"), append(args, m.fill.Hash)
		}
		if m.fill.Extra != "" {
			set = append(set, "vcard_extra = CASE WHEN vcard_extra = '' THEN ? ELSE vcard_extra || ? END")
			args = append(args, m.fill.Extra, "\r\n"+m.fill.Extra)
		}
		query := "UPDATE contacts SET " + strings.Join(set, ", ") + " WHERE id = ?"
		if _, err := conn.ExecContext(b.ctx, b.d.rebind(query), append(args, m.id)...); err != nil {
			return fmt.Errorf("merge into contact %d: %w", m.id, err)
		}
	}
	count := map[string]int{}
	for _, m := range b.merges {
		count["phones"] += len(m.add.Phones)
		count["emails"] += len(m.add.Emails)
		count["addresses"] += len(m.add.Addresses)
		count["tags"] += len(m.add.Tags)
		count["details"] += len(m.add.Details)
		count["important_dates"] += len(m.add.Dates)
		count["journal_entries"] += len(m.add.Journal)
	}
	ids := map[string][]int64{}
	for table, n := range count {
		var err error
		if ids[table], err = b.rowIDs(table, n); err != nil {
			return err
		}
	}
	next := func(table string) int64 {
		id := ids[table][0]
		ids[table] = ids[table][1:]
		return id
	}
	w := multiRow{ctx: b.ctx, conn: conn, d: b.d, expect: count}
	for _, m := range b.merges {
		a := m.add
		for i := range a.Phones {
			p := &a.Phones[i]
			p.ID, p.ContactID = next("phones"), m.id
			w.row("phones", "id, contact_id, label, number, normalized, position", p.ID, m.id, p.Label, p.Number, p.Normalized, p.Position)
		}
		for i := range a.Emails {
			e := &a.Emails[i]
			e.ID, e.ContactID = next("emails"), m.id
			w.row("emails", "id, contact_id, label, address, position", e.ID, m.id, e.Label, e.Address, e.Position)
		}
		for i := range a.Addresses {
			ad := &a.Addresses[i]
			ad.ID, ad.ContactID = next("addresses"), m.id
			w.row("addresses", "id, contact_id, label, street, city, region, postal_code, country, position",
				ad.ID, m.id, ad.Label, ad.Street, ad.City, ad.Region, ad.PostalCode, ad.Country, ad.Position)
		}
		for i := range a.Tags {
			t := &a.Tags[i]
			t.ID, t.ContactID = next("tags"), m.id
			w.row("tags", "id, contact_id, name", t.ID, m.id, t.Name)
		}
		for i := range a.Details {
			d := &a.Details[i]
			d.ID, d.ContactID = next("details"), m.id
			w.row("details", "id, contact_id, label, value, pinned, position", d.ID, m.id, d.Label, d.Value, d.Pinned, d.Position)
		}
		for i := range a.Dates {
			d := &a.Dates[i]
			d.ID, d.ContactID = next("important_dates"), m.id
			w.row("important_dates", "id, contact_id, label, year, month, day", d.ID, m.id, d.Label, d.Year, d.Month, d.Day)
		}
		for i := range a.Journal {
			e := &a.Journal[i]
			e.ID, e.ContactID = next("journal_entries"), m.id
			w.row("journal_entries", "id, contact_id, at, kind, text, created_at, item, amount, currency, change_note",
				e.ID, m.id, e.At, string(e.Kind), e.Text, e.CreatedAt, e.Item, e.Amount, e.Currency, e.ChangeNote)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("merge of %d cards: %w", len(b.merges), err)
	}
	// SQLite's search rows are replaced in place by Flush (INSERT OR
	// REPLACE); a DELETE first cost FTS5 a segment of its own.
	if len(b.reindex) > 0 && b.d == postgresDialect {
		var stale []int64
		for _, c := range b.reindex {
			stale = append(stale, c.ID)
		}
		in, arg := b.d.idsIn(searchKey(b.d), stale)
		if _, err := conn.ExecContext(b.ctx, b.d.rebind("DELETE FROM contact_search WHERE "+in), arg); err != nil {
			return fmt.Errorf("merge of %d cards: search index: %w", len(b.merges), err)
		}
	}
	return nil
}

// rowIDs takes n IDs for new rows of table: on SQLite those after the
// highest (the transaction holds the write lock), on PostgreSQL from the
// table's sequence.
func (b *BulkInsert) rowIDs(table string, n int) ([]int64, error) {
	conn := b.tx.Statement.ConnPool
	ids := make([]int64, 0, n)
	if b.d == sqliteDialect {
		var highest int64
		if err := conn.QueryRowContext(b.ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&highest); err != nil {
			return nil, fmt.Errorf("%s: ids: %w", table, err)
		}
		for i := range int64(n) {
			ids = append(ids, highest+1+i)
		}
		return ids, nil
	}
	rows, err := conn.QueryContext(b.ctx, "SELECT nextval(pg_get_serial_sequence('"+table+"', 'id')) FROM generate_series(1, $1)", n)
	if err != nil {
		return nil, fmt.Errorf("%s: ids: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s: ids: %w", table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: ids: %w", table, err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("%s: ids: %d of %d", table, len(ids), n)
	}
	slices.Sort(ids)
	return ids, nil
}

// FlushRows writes the new contacts as Flush does, but holds their search
// rows back for the next Flush. An import writes a chunk's new contacts,
// then merges cards into contacts (some of them just written), then
// flushes again: the search rows of both, written once at the end, make one
// FTS5 segment per chunk instead of two, and a contact new in the chunk and
// merged into is indexed once, as it ends up.
func (b *BulkInsert) FlushRows() error {
	return b.flush(false)
}

// Flush writes what is queued: the merges, then the new contacts, then the
// search rows of all contacts written or changed since the last Flush.
func (b *BulkInsert) Flush() error {
	return b.flush(true)
}

func (b *BulkInsert) flush(search bool) error {
	if len(b.pending) == 0 && len(b.merges) == 0 && (!search || len(b.search) == 0) {
		return nil
	}
	cs, reindex := b.pending, b.reindex
	b.pending, b.ids = nil, map[int64]bool{}
	conn, ok := b.tx.Statement.ConnPool.(execer)
	if !ok {
		return fmt.Errorf("bulk insert: no connection")
	}
	if len(b.merges) > 0 {
		err := b.flushMerges(conn)
		b.merges, b.reindex = nil, nil
		if err != nil {
			return err
		}
	}
	w := multiRow{ctx: b.ctx, conn: conn, d: b.d}
	// Room for every row at once: growing the tables' value lists as they
	// filled was a tenth of an import's writing time.
	rows := map[string]int{"contacts": len(cs), "contact_search": len(b.search) + len(cs) + len(reindex)}
	for _, c := range cs {
		rows["phones"] += len(c.Phones)
		rows["emails"] += len(c.Emails)
		rows["addresses"] += len(c.Addresses)
		rows["tags"] += len(c.Tags)
		rows["details"] += len(c.Details)
		rows["important_dates"] += len(c.Dates)
		rows["journal_entries"] += len(c.Journal)
		rows["appointments"] += len(c.Appointments)
		rows["note_reminders"] += len(c.NotesOwed)
	}
	w.expect = rows
	for _, c := range cs {
		w.row("contacts", `id, uid, given_name, family_name, display_name, nickname, organization, title, stage,
			referred_by_id, how_we_met, photo, thumbnail, sort_key, vcard_uid, vcard_extra, vcard_hash,
			newsletter_consent, newsletter_consent_date, created_at, updated_at`,
			c.ID, c.UID, c.GivenName, c.FamilyName, c.DisplayName, c.Nickname, c.Organization, c.Title, string(c.Stage),
			c.ReferredByID, c.HowWeMet, nilIfEmpty(c.Photo), nilIfEmpty(c.Thumbnail), c.SortKey, c.VCardUID, c.VCardExtra,
			c.VCardHash, c.NewsletterConsent, c.NewsletterConsentDate, c.CreatedAt, c.UpdatedAt)
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
			w.row("journal_entries", "contact_id, at, kind, text, created_at, item, amount, currency, change_note",
				c.ID, e.At, string(e.Kind), e.Text, e.CreatedAt, e.Item, e.Amount, e.Currency, e.ChangeNote)
		}
		now := time.Now().UTC()
		for i := range c.Appointments {
			a := &c.Appointments[i]
			if err := a.BeforeSave(nil); err != nil {
				return err
			}
			w.row("appointments", `contact_id, start, minutes, purpose, outcome, minutes_late, cancelled_at,
				rescheduled_to_id, reminded_at, created_at, updated_at`, c.ID, a.Start, a.Minutes, a.Purpose, a.Outcome, a.MinutesLate,
				a.CancelledAt, a.RescheduledToID, a.RemindedAt, orNow(a.CreatedAt, now), orNow(a.UpdatedAt, now))
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
	}
	b.search = append(b.search, cs...)
	if search {
		// The search index goes last: FTS5 writes out the rows it holds at
		// the start of every later statement in the transaction, which cost
		// as much again as the index itself.
		b.searchRows(&w, reindex)
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("bulk insert of %d contacts: %w", len(cs), err)
	}
	return nil
}

// searchRows queues the search rows of the contacts held back and of those
// merged into, each once, in the order of their IDs (the order FTS5 keeps
// them in), as the merged contacts now read. On SQLite a merged contact's
// row replaces the one it had.
func (b *BulkInsert) searchRows(w *multiRow, reindex []*MergeTarget) {
	latest := make(map[int64]*Contact, len(b.search)+len(reindex))
	for _, c := range b.search {
		latest[c.ID] = c
	}
	for _, c := range reindex {
		latest[c.ID] = &c.Contact
	}
	b.search = nil
	for _, id := range slices.Sorted(maps.Keys(latest)) {
		c := latest[id]
		if b.d == postgresDialect {
			w.row("contact_search", "contact_id, words", c.ID, tsvectorLiteral(Fold(searchText(c))))
		} else {
			w.row("contact_search", "rowid, body", c.ID, searchBody(c))
		}
	}
	if b.d == sqliteDialect && len(reindex) > 0 {
		w.replace = map[string]bool{"contact_search": true}
	}
}

// multiRow gathers rows per table and writes them as multi-row INSERTs.
type multiRow struct {
	ctx    context.Context
	conn   execer
	d      dialect
	suffix string // after the rows, such as an ON CONFLICT clause
	// replace names the SQLite tables whose rows replace those of the same
	// key (INSERT OR REPLACE; FTS5 knows no ON CONFLICT clause).
	replace map[string]bool
	order   []string
	tables  map[string]*tableRows
	expect  map[string]int // how many rows each table will get, where known
}

type tableRows struct {
	columns string
	names   []string // the columns one by one
	width   int
	args    []any
}

// maxArgs is how many values one statement binds when rows go as
// parameters (see flushBound).
const maxArgs = 6000

// maxJSONBytes is about how long one statement's JSON(B) array grows: a
// bound on memory, not a speed setting. Fewer, larger statements were faster
// (10,000 cards: 2.0 s in statements of 32 KiB, 1.5 s at 256 KiB, 1.44 s at
// 4 MiB), since every statement also costs SQLite a savepoint and a flush
// of the search index.
const maxJSONBytes = 8 << 20

func (w *multiRow) row(table, columns string, values ...any) {
	if w.tables == nil {
		w.tables = map[string]*tableRows{}
	}
	t, ok := w.tables[table]
	if !ok {
		t = &tableRows{columns: columns, width: len(values), args: make([]any, 0, w.expect[table]*len(values))}
		for _, name := range strings.Split(columns, ",") {
			t.names = append(t.names, strings.TrimSpace(name))
		}
		w.tables[table] = t
		w.order = append(w.order, table)
	}
	t.args = append(t.args, values...)
}

// statement is one INSERT of flush: a query with its JSON argument, or,
// for rows JSON cannot carry, the rows to bind.
type statement struct {
	table string
	query string
	arg   any
	bound []any
}

// flush writes every table's rows. The statements are encoded on a
// goroutine of their own, a statement or two ahead of the one SQLite is
// running: the encoding was a tenth of an import's writing time, spent
// while the database waited.
func (w *multiRow) flush() error {
	// The columns left to their defaults are read here, on the
	// transaction's connection, before the encoding starts.
	omits := map[string][]bool{}
	for _, table := range w.order {
		if w.d != sqliteDialect {
			break
		}
		omit, err := w.defaultColumns(table, w.tables[table])
		if err != nil {
			return err
		}
		omits[table] = omit
	}
	encode := func(table string, t *tableRows, start int) (string, any, int, bool) {
		if w.d == postgresDialect {
			return w.pgJSONStatement(table, t, start)
		}
		return w.jsonStatement(table, t, start, omits[table])
	}
	statements := make(chan statement, 2)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(statements)
		send := func(st statement) bool {
			select {
			case statements <- st:
				return true
			case <-done:
				return false
			}
		}
		for _, table := range w.order {
			t := w.tables[table]
			for start := 0; start < len(t.args); {
				query, arg, end, ok := encode(table, t, start)
				if !ok {
					// Bind this table's remaining rows; a value JSON could not
					// carry is rare, and binding is always right.
					if !send(statement{table: table, bound: t.args[start:]}) {
						return
					}
					break
				}
				if !send(statement{table: table, query: query, arg: arg}) {
					return
				}
				start = end
			}
		}
	}()
	for st := range statements {
		if st.bound != nil {
			if err := w.flushBound(st.table, w.tables[st.table], st.bound); err != nil {
				return err
			}
			continue
		}
		if _, err := w.conn.ExecContext(w.ctx, st.query, st.arg); err != nil {
			return fmt.Errorf("%s: %w", st.table, err)
		}
	}
	return nil
}

// jsonStatement writes the rows of t from args[start] on as one JSON array
// bound to a single parameter and unpacked by jsonb_each inside SQLite, up
// to about maxJSONBytes; end is where the next statement starts. The
// pure-Go driver prepares every statement anew and matches each parameter
// to its value by a linear search, so a statement of thousands of
// placeholders spent most of an import's time in parsing and binding; a
// statement with one parameter costs the same whatever the number of rows.
// The array goes in SQLite's binary JSONB, not as text: text had to be
// parsed into JSONB first, and its strings unescaped again, a fifth of an
// import's time in SQLite. Values JSONB cannot carry as the driver would
// (text that is not UTF-8 or holds a NUL) report !ok, and the caller binds
// them instead. Blobs travel as hex and are unhexed.
//
// Columns marked in omit hold their SQL default in every row and are left
// to SQLite (see defaultColumns).
func (w *multiRow) jsonStatement(table string, t *tableRows, start int, omit []bool) (query string, arg any, end int, ok bool) {
	blob := make([]bool, t.width)
	// The array's header, which holds its size, goes in front once the
	// rows are written: room is kept for the longest.
	const room = 5
	body := make([]byte, room, min(maxJSONBytes, (len(t.args)-start)*16)+1024)
	var row []byte
	end = start
	for end < len(t.args) && (end == start || len(body)-room < maxJSONBytes) {
		row = row[:0]
		for col, v := range t.args[end : end+t.width] {
			if omit[col] {
				continue
			}
			var isBlob bool
			if row, isBlob, ok = appendJSONBValue(row, v); !ok {
				return "", nil, 0, false
			}
			blob[col] = blob[col] || isBlob
		}
		body = appendJSONBHeader(body, jsonbArray, len(row))
		body = append(body, row...)
		end += t.width
	}
	header := appendJSONBHeader(nil, jsonbArray, len(body)-room)
	array := body[room-len(header):]
	copy(array, header)
	var columns, values []string
	for col, name := range t.names {
		if omit[col] {
			continue
		}
		value := fmt.Sprintf("value->>%d", len(values))
		if blob[col] {
			value = "unhex(" + value + ")"
		}
		columns, values = append(columns, name), append(values, value)
	}
	var q strings.Builder
	q.WriteString(w.insert(table) + table + " (" + strings.Join(columns, ", ") + ") SELECT " + strings.Join(values, ", "))
	// WHERE true keeps an ON CONFLICT suffix from reading as a join.
	q.WriteString(" FROM jsonb_each(?) WHERE true" + w.suffix)
	return q.String(), array, end, true
}

// defaultColumns marks the columns of t whose value is, in every row, the
// default the schema gives them (PRAGMA table_info): those are left out of
// the statement, for SQLite to fill in. Each column in a statement costs a
// lookup in every row's JSON; an import's new contacts leave nine of their
// 21 columns at the default, and leaving them out took a fifth off writing
// them. The defaults are read from the schema rather than written down
// here, so that they cannot drift apart.
func (w *multiRow) defaultColumns(table string, t *tableRows) ([]bool, error) {
	omit := make([]bool, t.width)
	q, ok := w.conn.(interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	})
	if !ok {
		return omit, nil
	}
	rows, err := q.QueryContext(w.ctx, `SELECT name, dflt_value, "notnull" FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("%s: columns: %w", table, err)
	}
	defer rows.Close()
	defaults := map[string]any{}
	for rows.Next() {
		var name string
		var dflt sql.NullString
		var notNull bool
		if err := rows.Scan(&name, &dflt, &notNull); err != nil {
			return nil, fmt.Errorf("%s: columns: %w", table, err)
		}
		switch {
		case !dflt.Valid && !notNull:
			defaults[name] = nil
		case dflt.Valid:
			if v, ok := parseSQLDefault(dflt.String); ok {
				defaults[name] = v
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: columns: %w", table, err)
	}
	for col, name := range t.names {
		d, ok := defaults[name]
		if !ok {
			continue
		}
		omit[col] = true
		for i := col; i < len(t.args); i += t.width {
			if !isSQLDefault(t.args[i], d) {
				omit[col] = false
				break
			}
		}
	}
	if !slices.Contains(omit, false) {
		omit[0] = false // a statement names at least one column
	}
	return omit, nil
}

// parseSQLDefault reads a column default as table_info gives it: NULL, a
// quoted text, an integer or TRUE/FALSE. ok is false for any other
// expression, whose column is then always written.
func parseSQLDefault(s string) (v any, ok bool) {
	switch {
	case strings.EqualFold(s, "NULL"):
		return nil, true
	case strings.EqualFold(s, "TRUE"):
		return int64(1), true
	case strings.EqualFold(s, "FALSE"):
		return int64(0), true
	case len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' && !strings.Contains(strings.ReplaceAll(s[1:len(s)-1], "''", ""), "'"):
		// One quoted text, not an expression such as 'a' || 'b'.
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	return nil, false
}

// isSQLDefault reports whether v, as the driver would bind it, is the
// default d (from parseSQLDefault).
func isSQLDefault(v, d any) bool {
	v, err := driver.DefaultParameterConverter.ConvertValue(v)
	if err != nil {
		return false
	}
	if b, ok := v.(bool); ok {
		v = int64(0)
		if b {
			v = int64(1)
		}
	}
	switch d := d.(type) {
	case nil:
		return v == nil
	case int64:
		n, ok := v.(int64)
		return ok && n == d
	case string:
		s, ok := v.(string)
		return ok && s == d
	}
	return false
}

// The JSONB element types Rapport writes (https://sqlite.org/jsonb.html):
// each element is a header, which holds its type and payload size, and
// the payload, which for numbers and text is their JSON text.
const (
	jsonbNull    = 0x0
	jsonbInt     = 0x3
	jsonbFloat   = 0x5
	jsonbTextRaw = 0xA // UTF-8 as it is, no escapes
	jsonbArray   = 0xB
)

// appendJSONBHeader writes the header of an element of type typ whose
// payload is size bytes: sizes up to 11 fit the first byte, larger ones
// follow it in 1, 2 or 4 bytes, big-endian.
func appendJSONBHeader(b []byte, typ byte, size int) []byte {
	switch {
	case size <= 11:
		return append(b, byte(size)<<4|typ)
	case size <= 0xFF:
		return append(b, 12<<4|typ, byte(size))
	case size <= 0xFFFF:
		return append(b, 13<<4|typ, byte(size>>8), byte(size))
	default:
		return append(b, 14<<4|typ, byte(size>>24), byte(size>>16), byte(size>>8), byte(size))
	}
}

// appendJSONBValue writes one value of a row as SQLite's JSONB, to be read
// back by ->> as binding would store it: booleans as 0/1, times as the
// driver writes them, blobs as hex to unhex (isBlob). ok is false for a
// value it cannot carry so (text that is not UTF-8 or holds a NUL, an
// infinite or NaN float, a type the driver would refuse).
func appendJSONBValue(b []byte, v any) (out []byte, isBlob, ok bool) {
	switch x := v.(type) {
	case nil, string, int64, bool, time.Time, []byte:
		// as the driver takes them
	case int:
		v = int64(x)
	default:
		var err error
		if v, err = driver.DefaultParameterConverter.ConvertValue(v); err != nil {
			return b, false, false
		}
	}
	var num [32]byte
	switch x := v.(type) {
	case nil:
		return append(b, jsonbNull), false, true
	case int64:
		return appendJSONBPayload(b, jsonbInt, strconv.AppendInt(num[:0], x, 10)), false, true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return b, false, false
		}
		return appendJSONBPayload(b, jsonbFloat, strconv.AppendFloat(num[:0], x, 'g', -1, 64)), false, true
	case bool:
		digit := byte('0')
		if x {
			digit = '1'
		}
		return append(b, 1<<4|jsonbInt, digit), false, true
	case string:
		if !utf8.ValidString(x) || strings.IndexByte(x, 0) >= 0 {
			return b, false, false
		}
		b = appendJSONBHeader(b, jsonbTextRaw, len(x))
		return append(b, x...), false, true
	case time.Time:
		return appendJSONBPayload(b, jsonbTextRaw, x.AppendFormat(num[:0], sqliteTimeFormat)), false, true
	case []byte:
		if x == nil {
			return append(b, jsonbNull), false, true // bound, a nil slice is NULL
		}
		b = appendJSONBHeader(b, jsonbTextRaw, hex.EncodedLen(len(x)))
		return hex.AppendEncode(b, x), true, true
	default:
		return b, false, false
	}
}

func appendJSONBPayload(b []byte, typ byte, payload []byte) []byte {
	return append(appendJSONBHeader(b, typ, len(payload)), payload...)
}

// appendJSONValue writes one value of a row as PostgreSQL's JSON path reads
// it back: JSON booleans, RFC 3339 times to the microsecond, bytea as \x
// hex and text without NUL or invalid UTF-8 (pgText). ok is false for a
// value JSON cannot carry as binding would: the caller binds the rows
// instead.
func appendJSONValue(b *strings.Builder, v any) (ok bool) {
	v, err := driver.DefaultParameterConverter.ConvertValue(v)
	if err != nil {
		return false
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return false
		}
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		appendJSONString(b, pgText(x))
	case time.Time:
		appendJSONString(b, x.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano))
	case []byte:
		b.WriteString(`"\\x`)
		b.WriteString(hex.EncodeToString(x))
		b.WriteByte('"')
	default:
		return false
	}
	return true
}

// sqliteTimeFormat is how the driver writes a time.Time it binds, so that
// rows written either way read back alike.
const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

// appendJSONString writes s as a JSON string. Only PostgreSQL's path
// writes JSON text, and its text is valid UTF-8 without NUL (pgText).
func appendJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(b, "\\u%04x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// insert begins a statement writing rows of table.
func (w *multiRow) insert(table string) string {
	if w.replace[table] {
		return "INSERT OR REPLACE INTO "
	}
	return "INSERT INTO "
}

// flushBound writes rows as placeholders, many rows to a statement.
func (w *multiRow) flushBound(table string, t *tableRows, args []any) error {
	perStatement := max(1, maxArgs/t.width) * t.width
	for start := 0; start < len(args); start += perStatement {
		chunk := args[start:min(start+perStatement, len(args))]
		rows := len(chunk) / t.width
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", t.width), ", ") + ")"
		query := w.d.rebind(w.insert(table) + table + " (" + t.columns + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ") + w.suffix)
		if w.d == postgresDialect {
			chunk = slices.Clone(chunk)
			for i, v := range chunk {
				if s, ok := v.(string); ok {
					chunk[i] = pgText(s)
				}
			}
		}
		if _, err := w.conn.ExecContext(w.ctx, query, chunk...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// pgJSONStatement is jsonStatement for PostgreSQL: the rows go as one JSON
// array of objects keyed by column, which jsonb_populate_recordset turns
// into rows of the table's own type, each value read by its column type's
// input function. Text is made storable (pgText), so that JSON carries
// every row; blobs travel as bytea's hex input (\x…), times as RFC 3339
// cut to the microseconds PostgreSQL keeps, as the driver binds them.
func (w *multiRow) pgJSONStatement(table string, t *tableRows, start int) (query string, arg any, end int, ok bool) {
	var b strings.Builder
	b.Grow(min(maxJSONBytes, (len(t.args)-start)*32) + 1024)
	b.WriteByte('[')
	end = start
	for end < len(t.args) && (end == start || b.Len() < maxJSONBytes) {
		if end > start {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for col, v := range t.args[end : end+t.width] {
			if col > 0 {
				b.WriteByte(',')
			}
			appendJSONString(&b, t.names[col])
			b.WriteByte(':')
			if !appendJSONValue(&b, v) {
				return "", "", 0, false
			}
		}
		b.WriteByte('}')
		end += t.width
	}
	b.WriteByte(']')
	query = "INSERT INTO " + table + " (" + t.columns + ") SELECT " + t.columns +
		" FROM jsonb_populate_recordset(NULL::" + table + ", CAST($1 AS jsonb)) WHERE true" + w.suffix
	return query, b.String(), end, true
}
