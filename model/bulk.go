package model

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/model/internal/bulk"
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
	tables *bulkTables
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
	tables, err := s.bulkTables()
	if err != nil {
		return nil, fmt.Errorf("bulk insert: %w", err)
	}
	b := &BulkInsert{ctx: ctx, tx: db, d: s.d, ids: map[int64]bool{}, tables: tables}
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
	// An empty photo is no photo: NULL, as a contact without one.
	c.Photo, c.Thumbnail = nilIfEmpty(c.Photo), nilIfEmpty(c.Thumbnail)
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
func (b *BulkInsert) flushMerges(conn gorm.ConnPool) error {
	for _, m := range b.merges {
		if err := b.updateMerged(conn, m); err != nil {
			return err
		}
	}
	w := bulk.NewWriter(b.ctx, conn, b.d.bulkDialect())
	if err := b.queueMergedRows(w); err != nil {
		return fmt.Errorf("merge of %d cards: %w", len(b.merges), err)
	}
	if err := w.Flush(); err != nil {
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

// updateMerged writes the fields one merge fills and its updated_at.
func (b *BulkInsert) updateMerged(conn gorm.ConnPool, m queuedMerge) error {
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
	return nil
}

// queueMergedRows queues the rows the merges add, each under an ID taken
// for its table now.
func (b *BulkInsert) queueMergedRows(w *bulk.Writer) error {
	count := map[string]int{}
	for _, m := range b.merges {
		b.tables.added.count(m.add, count)
	}
	ids := map[string][]int64{}
	for table, n := range count {
		var err error
		if ids[table], err = b.rowIDs(table, n); err != nil {
			return err
		}
		w.Expect(table, n)
	}
	for _, m := range b.merges {
		b.tables.added.queue(w, m.add, m.id, ids)
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
	conn := b.tx.Statement.ConnPool
	if len(b.merges) > 0 {
		err := b.flushMerges(conn)
		b.merges, b.reindex = nil, nil
		if err != nil {
			return err
		}
	}
	if err := stampPlans(cs); err != nil {
		return err
	}
	w := bulk.NewWriter(b.ctx, conn, b.d.bulkDialect())
	b.expectNew(w, cs, reindex)
	for _, c := range cs {
		bulk.Add(w, b.tables.contacts, c)
	}
	for _, c := range cs {
		b.tables.fresh.queue(w, contactRows(c), c.ID, nil)
	}
	b.search = append(b.search, cs...)
	if search {
		// The search index goes last: FTS5 writes out the rows it holds at
		// the start of every later statement in the transaction, which cost
		// as much again as the index itself.
		b.searchRows(w, reindex)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("bulk insert of %d contacts: %w", len(cs), err)
	}
	return nil
}

// expectNew tells w how many rows each table gets from the new contacts
// cs and the search rows, so that it makes room for them at once.
func (b *BulkInsert) expectNew(w *bulk.Writer, cs []*Contact, reindex []*MergeTarget) {
	rows := map[string]int{}
	for _, c := range cs {
		b.tables.fresh.count(contactRows(c), rows)
	}
	w.Expect(b.tables.contacts.Name(), len(cs))
	w.Expect("contact_search", len(b.search)+len(cs)+len(reindex))
	for table, n := range rows {
		w.Expect(table, n)
	}
}

// stampPlans checks the appointments and note reminders of the new
// contacts cs and dates those that have no creation time.
func stampPlans(cs []*Contact) error {
	now := time.Now().UTC()
	for _, c := range cs {
		for i := range c.Appointments {
			a := &c.Appointments[i]
			if err := a.BeforeSave(nil); err != nil {
				return err
			}
			a.CreatedAt, a.UpdatedAt = orNow(a.CreatedAt, now), orNow(a.UpdatedAt, now)
		}
		for i := range c.NotesOwed {
			n := &c.NotesOwed[i]
			if err := n.BeforeSave(nil); err != nil {
				return err
			}
			n.CreatedAt, n.UpdatedAt = orNow(n.CreatedAt, now), orNow(n.UpdatedAt, now)
		}
	}
	return nil
}

// contactRows is what c holds in other tables, as Additions sharing its
// slices: setting a row's contact_id sets it in c.
func contactRows(c *Contact) *Additions {
	return &Additions{Phones: c.Phones, Emails: c.Emails, Addresses: c.Addresses, Tags: c.Tags, Details: c.Details,
		Dates: c.Dates, Journal: c.Journal, Appointments: c.Appointments, NotesOwed: c.NotesOwed}
}

// searchRows queues the search rows of the contacts held back and of those
// merged into, each once, in the order of their IDs (the order FTS5 keeps
// them in), as the merged contacts now read. On SQLite a merged contact's
// row replaces the one it had.
func (b *BulkInsert) searchRows(w *bulk.Writer, reindex []*MergeTarget) {
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
			w.Row("contact_search", []string{"contact_id", "words"}, c.ID, tsvectorLiteral(Fold(searchText(c))))
		} else {
			w.Row("contact_search", []string{"rowid", "body"}, c.ID, searchBody(c))
		}
	}
	if b.d == sqliteDialect && len(reindex) > 0 {
		w.Replace("contact_search")
	}
}
