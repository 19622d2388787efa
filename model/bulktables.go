package model

import (
	"errors"
	"sync"

	"gorm.io/gorm/schema"

	"github.com/rapportjournal/rapport/model/internal/bulk"
)

// bulkTables are the tables the bulk writer fills, their columns read from
// GORM's schema of the models: a field added to a model is written by the
// bulk writer too, and TestBulkColumnsAreTheTables holds the models and
// the migrations' tables to the same columns.
type bulkTables struct {
	contacts *bulk.Table[Contact]
	// added are the rows merged into contacts, under IDs taken before
	// (undo names them); fresh those of new contacts, numbered by the
	// database.
	added, fresh childTables
	changes      *bulk.Table[ImportChange]
}

// childTables are the tables of what a contact holds besides its own
// fields.
type childTables struct {
	phones       *bulk.Table[Phone]
	emails       *bulk.Table[Email]
	addresses    *bulk.Table[Address]
	tags         *bulk.Table[Tag]
	details      *bulk.Table[Detail]
	dates        *bulk.Table[ImportantDate]
	journal      *bulk.Table[JournalEntry]
	appointments *bulk.Table[Appointment]
	notes        *bulk.Table[NoteReminder]
}

// leftToSchema are the columns the bulk writer leaves to the schema's
// default: a new contact's version is the schema's 1, not the struct's 0.
func leftToSchema() map[string][]string {
	return map[string][]string{"contacts": {"version"}}
}

// newBulkTables reads the models' schemas under naming (the store's).
func newBulkTables(naming schema.Namer) (*bulkTables, error) {
	cache := &sync.Map{}
	var errs []error
	t := &bulkTables{contacts: parseTable[Contact](cache, naming, &errs, leftToSchema()["contacts"]...)}
	t.added = childTables{
		phones:       parseTable[Phone](cache, naming, &errs),
		emails:       parseTable[Email](cache, naming, &errs),
		addresses:    parseTable[Address](cache, naming, &errs),
		tags:         parseTable[Tag](cache, naming, &errs),
		details:      parseTable[Detail](cache, naming, &errs),
		dates:        parseTable[ImportantDate](cache, naming, &errs),
		journal:      parseTable[JournalEntry](cache, naming, &errs),
		appointments: parseTable[Appointment](cache, naming, &errs),
		notes:        parseTable[NoteReminder](cache, naming, &errs),
	}
	t.changes = parseTable[ImportChange](cache, naming, &errs)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	a := t.added
	t.fresh = childTables{phones: a.phones.Without("id"), emails: a.emails.Without("id"),
		addresses: a.addresses.Without("id"), tags: a.tags.Without("id"), details: a.details.Without("id"),
		dates: a.dates.Without("id"), journal: a.journal.Without("id"),
		appointments: a.appointments.Without("id"), notes: a.notes.Without("id")}
	t.changes = t.changes.Without("id")
	return t, nil
}

// onceBulkTables reads the tables under naming at the first call, and
// gives the same at every later one.
func onceBulkTables(naming schema.Namer) func() (*bulkTables, error) {
	return sync.OnceValues(func() (*bulkTables, error) { return newBulkTables(naming) })
}

// bulkTables are the bulk writer's tables under s's naming.
func (s *Store) bulkTables() (*bulkTables, error) {
	if s.tables == nil {
		return newBulkTables(s.db.NamingStrategy)
	}
	return s.tables()
}

// parseTable is bulk.NewTable gathering its error in errs.
func parseTable[T any](cache *sync.Map, naming schema.Namer, errs *[]error, leave ...string) *bulk.Table[T] {
	t, err := bulk.NewTable[T](cache, naming, leave...)
	if err != nil {
		*errs = append(*errs, err)
		return &bulk.Table[T]{}
	}
	return t
}

// count adds to rows how many rows of each table a holds.
func (t *childTables) count(a *Additions, rows map[string]int) {
	rows[t.phones.Name()] += len(a.Phones)
	rows[t.emails.Name()] += len(a.Emails)
	rows[t.addresses.Name()] += len(a.Addresses)
	rows[t.tags.Name()] += len(a.Tags)
	rows[t.details.Name()] += len(a.Details)
	rows[t.dates.Name()] += len(a.Dates)
	rows[t.journal.Name()] += len(a.Journal)
	rows[t.appointments.Name()] += len(a.Appointments)
	rows[t.notes.Name()] += len(a.NotesOwed)
}

// queue queues the rows of a as rows of contact owner, each with its ID
// taken from ids when the tables write IDs.
func (t *childTables) queue(w *bulk.Writer, a *Additions, owner int64, ids map[string][]int64) {
	queueRows(w, t.phones, a.Phones, owner, ids, func(r *Phone) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.emails, a.Emails, owner, ids, func(r *Email) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.addresses, a.Addresses, owner, ids, func(r *Address) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.tags, a.Tags, owner, ids, func(r *Tag) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.details, a.Details, owner, ids, func(r *Detail) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.dates, a.Dates, owner, ids, func(r *ImportantDate) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.journal, a.Journal, owner, ids, func(r *JournalEntry) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.appointments, a.Appointments, owner, ids, func(r *Appointment) (*int64, *int64) { return &r.ID, &r.ContactID })
	queueRows(w, t.notes, a.NotesOwed, owner, ids, func(r *NoteReminder) (*int64, *int64) { return &r.ID, &r.ContactID })
}

// queueRows queues rows of table t as rows of contact owner. With ids,
// each row gets the next ID ids holds for t; without, the database gives
// it one.
func queueRows[T any](w *bulk.Writer, t *bulk.Table[T], rows []T, owner int64, ids map[string][]int64, keys func(*T) (id, contactID *int64)) {
	for i := range rows {
		id, contactID := keys(&rows[i])
		*contactID = owner
		if ids != nil {
			*id, ids[t.Name()] = ids[t.Name()][0], ids[t.Name()][1:]
		}
		bulk.Add(w, t, &rows[i])
	}
}
