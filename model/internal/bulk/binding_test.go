package bulk_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/internal/bulk"
	"github.com/rapportjournal/rapport/model/pgtest"
)

// TestWriterWritesAsBinding writes the same random rows of every table the
// store bulk-writes twice, into two databases the migrations made: through
// the Writer (JSONB on SQLite, JSON on PostgreSQL, binding where JSON
// cannot carry a value) and through plain GORM Create, which binds each
// value. Every row must read back alike, column by column. The text is
// hostile (quotes, backslashes, NUL, control characters, invalid UTF-8,
// SQL and JSON syntax, megabytes), so are the blobs, times (zones,
// nanoseconds, year 1) and integers (the ends of their column types).
//
// PostgreSQL refuses text holding NUL or invalid UTF-8 when it is bound
// (checked here); the Writer stores it cleaned, NULs dropped and invalid
// bytes as U+FFFD (bulk.PGText), so there the plain rows are cleaned the
// same way before they are written. SQLite keeps every byte both ways.
func TestWriterWritesAsBinding(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, seed>>1))
			viaWriter, plain := openMigrated(t, backend), openMigrated(t, backend)
			rows := randomRows(rng, 150)
			if backend == "postgres" {
				refusesBoundNUL(t, plain)
				// GORM's PostgreSQL driver writes an empty blob as NULL; the
				// Writer, as pgx binding it, as an empty bytea. The store
				// writes no empty blob (an empty photo is NULL, see model).
				noEmptyBlobs(reflect.ValueOf(&rows).Elem())
			}
			if err := writeThroughWriter(viaWriter, backend, rows); err != nil {
				t.Fatalf("through the Writer: %s", shortly(err.Error()))
			}
			if backend == "postgres" {
				cleanText(reflect.ValueOf(&rows).Elem())
			}
			if err := writeBound(plain, rows); err != nil {
				t.Fatalf("bound: %s", shortly(err.Error()))
			}
			for _, table := range rows.tables() {
				compareTable(t, table, viaWriter, plain)
			}
		})
	}
}

// tableRows are rows of every table the store writes in bulk, in an order
// their references allow.
type tableRows struct {
	Contacts     []model.Contact
	Phones       []model.Phone
	Emails       []model.Email
	Addresses    []model.Address
	Tags         []model.Tag
	Details      []model.Detail
	Dates        []model.ImportantDate
	Journal      []model.JournalEntry
	Appointments []model.Appointment
	NotesOwed    []model.NoteReminder
	Changes      []model.ImportChange
}

func (r *tableRows) tables() []string {
	return []string{"contacts", "phones", "emails", "addresses", "tags", "details", "important_dates",
		"journal_entries", "appointments", "note_reminders", "import_changes"}
}

// openMigrated makes a database with the store's migrations and opens it
// with plain GORM.
func openMigrated(t *testing.T, backend string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	var dialector gorm.Dialector
	if backend == "postgres" {
		dsn := pgtest.NewSchema(t)
		s, err := model.OpenPostgres(ctx, dsn, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		dialector = postgres.Open(dsn)
	} else {
		path := filepath.Join(t.TempDir(), "rapport.db")
		s, err := model.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		dialector = sqlite.Open(path + "?_pragma=foreign_keys(1)")
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	// The import batch the import changes belong to.
	if err := db.Create(&model.ImportBatch{ID: 1, File: "cards.vcf", StartedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	return db
}

// refusesBoundNUL checks what the Writer's cleaning is for: PostgreSQL
// refuses bound text with a NUL or invalid UTF-8.
func refusesBoundNUL(t *testing.T, db *gorm.DB) {
	t.Helper()
	for _, text := range []string{"nul \x00 inside", "latin-1 \xe9t\xe9"} {
		err := db.Create(&model.Contact{ID: 999_999, UID: "refused", DisplayName: text, Stage: model.StageClient}).Error
		if err == nil {
			t.Errorf("PostgreSQL took %q bound: the Writer need not clean it", text)
			db.Delete(&model.Contact{}, 999_999)
		}
	}
}

// writeThroughWriter writes rows in one transaction through the Writer,
// every column of each model.
func writeThroughWriter(db *gorm.DB, backend string, rows tableRows) error {
	d := bulk.SQLite
	if backend == "postgres" {
		d = bulk.PostgreSQL
	}
	cache := &sync.Map{}
	naming := schema.NamingStrategy{}
	return db.Transaction(func(tx *gorm.DB) error {
		w := bulk.NewWriter(context.Background(), tx.Statement.ConnPool, d)
		errs := []error{
			addAll(w, cache, naming, rows.Contacts), addAll(w, cache, naming, rows.Phones),
			addAll(w, cache, naming, rows.Emails), addAll(w, cache, naming, rows.Addresses),
			addAll(w, cache, naming, rows.Tags), addAll(w, cache, naming, rows.Details),
			addAll(w, cache, naming, rows.Dates), addAll(w, cache, naming, rows.Journal),
			addAll(w, cache, naming, rows.Appointments), addAll(w, cache, naming, rows.NotesOwed),
			addAll(w, cache, naming, rows.Changes),
		}
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return w.Flush()
	})
}

func addAll[T any](w *bulk.Writer, cache *sync.Map, naming schema.Namer, rows []T) error {
	table, err := bulk.NewTable[T](cache, naming)
	if err != nil {
		return err
	}
	for i := range rows {
		bulk.Add(w, table, &rows[i])
	}
	return nil
}

// writeBound writes rows with GORM's Create, each value bound, each table
// in one statement or a few.
func writeBound(db *gorm.DB, rows tableRows) error {
	return db.Transaction(func(tx *gorm.DB) error {
		v := reflect.ValueOf(&rows).Elem()
		for i := range v.NumField() {
			if v.Field(i).Len() == 0 {
				continue
			}
			// No hooks: they check and fill in fields, and the Writer is
			// compared with binding alone.
			err := tx.Session(&gorm.Session{SkipHooks: true}).Omit(clause.Associations).
				CreateInBatches(v.Field(i).Addr().Interface(), 100).Error
			if err != nil {
				return fmt.Errorf("%s: %w", v.Type().Field(i).Name, err)
			}
		}
		return nil
	})
}

// compareTable reads table from both databases in the order of the IDs and
// reports every value that differs.
func compareTable(t *testing.T, table string, a, b *gorm.DB) {
	t.Helper()
	want, _ := readTable(t, b, table)
	got, gotCols := readTable(t, a, table)
	if len(got) != len(want) {
		t.Errorf("%s: %d rows through the Writer, %d bound", table, len(got), len(want))
		return
	}
	errors := 0
	for i := range want {
		for c := range want[i] {
			if reflect.DeepEqual(got[i][c], want[i][c]) {
				continue
			}
			if errors++; errors <= 5 {
				t.Errorf("%s row %d %s: through the Writer %s, bound %s", table, i, gotCols[c], shortly(got[i][c]), shortly(want[i][c]))
			}
		}
	}
	if len(want) == 0 {
		t.Errorf("%s: no rows written, nothing compared", table)
	}
}

// readTable reads every row of table, times as RFC 3339 text in UTC.
func readTable(t *testing.T, db *gorm.DB, table string) ([][]any, []string) {
	t.Helper()
	rows, err := db.Raw("SELECT * FROM " + table + " ORDER BY id").Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range values {
			if tm, ok := v.(time.Time); ok {
				values[i] = tm.UTC().Format(time.RFC3339Nano)
			}
		}
		out = append(out, values)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out, cols
}

// shortly shows v in at most about 200 bytes.
func shortly(v any) string {
	s := fmt.Sprintf("%#v", v)
	if len(s) > 200 {
		return s[:200] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}

// cleanText applies bulk.PGText to every string in v.
func cleanText(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(bulk.PGText(v.String()))
	case reflect.Pointer:
		if !v.IsNil() {
			cleanText(v.Elem())
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 {
			for i := range v.Len() {
				cleanText(v.Index(i))
			}
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				cleanText(v.Field(i))
			}
		}
	}
}

// noEmptyBlobs makes every empty blob in v nil.
func noEmptyBlobs(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Len() == 0 {
				v.SetBytes(nil)
			}
			return
		}
		for i := range v.Len() {
			noEmptyBlobs(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				noEmptyBlobs(v.Field(i))
			}
		}
	}
}

// hostile is text that has broken SQL and JSON writers.
func hostile(rng *rand.Rand) string {
	pieces := []string{"'", "''", `"`, `\`, `\\`, `\"`, `\u0000`, "\x00", "\x01", "\t", "\n", "\r\n", "\x1b[31m", "\x7f",
		"\u2028", "\ufeff", "ä", "Łukasz", "Петрова", "🎉", "👩‍👩‍👧", "e\u0301", "مرحبا", "\xff", "\xc3", "\xed\xa0\x80",
		"'); DROP TABLE contacts; --", "$1", "?", "%s", `{"a":[1,null]}`, "null", "true", "0x", `\x00ff`, " ", ""}
	var b strings.Builder
	for range rng.IntN(8) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	switch rng.IntN(40) {
	case 0:
		return strings.Repeat("Grüße \"'\\ ", 30_000+rng.IntN(30_000)) // ~0.5 MB
	case 1:
		return ""
	}
	return b.String()
}

func randomBlob(rng *rand.Rand) []byte {
	switch rng.IntN(6) {
	case 0:
		return nil
	case 1:
		return []byte{}
	case 2:
		// 3 MB: a few of them cross a statement's size, and the next
		// statement of the table starts mid-table.
		if rng.IntN(20) == 0 {
			return randomBytes(rng, 3<<20)
		}
	}
	return randomBytes(rng, rng.IntN(300))
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func randomTime(rng *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+1800), time.FixedZone("", -11*3600), time.Local}
	switch rng.IntN(12) {
	case 0:
		// Not the zero time, which GORM's Create replaces with now.
		return time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)
	case 1:
		return time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC)
	}
	sec := rng.Int64N(4_000_000_000) - 1_000_000_000
	return time.Unix(sec, rng.Int64N(1_000_000_000)).In(zones[rng.IntN(len(zones))])
}

func randomInt(rng *rand.Rand) int {
	switch rng.IntN(8) {
	case 0:
		return math.MaxInt32
	case 1:
		return math.MinInt32
	case 2:
		return 0
	}
	return int(rng.Int32()) - math.MaxInt32/2
}

// fill sets every exported column field of the struct v at random: the
// fields a model gains are written in this test with nothing to add.
func fill(rng *rand.Rand, v reflect.Value) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		fillValue(rng, f)
	}
}

func fillValue(rng *rand.Rand, f reflect.Value) {
	switch {
	case f.Type() == reflect.TypeFor[time.Time]():
		f.Set(reflect.ValueOf(randomTime(rng)))
	case f.Kind() == reflect.String:
		f.SetString(hostile(rng))
	case f.Kind() == reflect.Bool:
		f.SetBool(rng.IntN(2) == 0)
	case f.Kind() >= reflect.Int && f.Kind() <= reflect.Int64:
		f.SetInt(int64(randomInt(rng)))
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8:
		f.SetBytes(randomBlob(rng))
	case f.Kind() == reflect.Pointer:
		if rng.IntN(3) > 0 {
			p := reflect.New(f.Type().Elem())
			fillValue(rng, p.Elem())
			f.Set(p)
		}
	}
}

// randomRows makes n contacts with rows of every kind, at random within
// what the tables allow (IDs, references, stages, dates, amounts).
func randomRows(rng *rand.Rand, n int) tableRows {
	var r tableRows
	for i := range n {
		var c model.Contact
		fill(rng, reflect.ValueOf(&c).Elem())
		c.ID, c.UID, c.Stage = int64(i+1), fmt.Sprintf("%s-%d", indexable(c.UID), i), model.Stages()[rng.IntN(3)]
		c.DisplayName, c.SortKey = indexable(c.DisplayName), indexable(c.SortKey)
		c.ReferredByID = earlier(rng, c.ReferredByID, i)
		r.Contacts = append(r.Contacts, c)
	}
	owner := func() int64 { return int64(rng.IntN(n) + 1) }
	for i := range 2 * n {
		id := int64(i + 1)
		r.Phones = append(r.Phones, randomRow(rng, func(p *model.Phone) { p.ID, p.ContactID = id, owner() }))
		r.Emails = append(r.Emails, randomRow(rng, func(e *model.Email) { e.ID, e.ContactID = id, owner() }))
		r.Addresses = append(r.Addresses, randomRow(rng, func(a *model.Address) { a.ID, a.ContactID = id, owner() }))
		r.Tags = append(r.Tags, randomRow(rng, func(t *model.Tag) { t.ID, t.ContactID, t.Name = id, owner(), fmt.Sprint(indexable(t.Name), i) }))
		r.Details = append(r.Details, randomRow(rng, func(d *model.Detail) { d.ID, d.ContactID = id, owner() }))
		r.Dates = append(r.Dates, randomRow(rng, func(d *model.ImportantDate) {
			d.ID, d.ContactID, d.Month, d.Day = id, owner(), 1+rng.IntN(12), 1+rng.IntN(31)
		}))
		r.Journal = append(r.Journal, randomRow(rng, func(e *model.JournalEntry) {
			e.ID, e.ContactID, e.Kind = id, owner(), model.EntryKind(indexable(string(e.Kind)))
			e.Currency = indexable(e.Currency) // with kind in idx_journal_kind_at_amount
			if e.Amount != nil {
				*e.Amount = rng.Int64N(1_000_000_000_001)
			}
		}))
		r.Appointments = append(r.Appointments, randomRow(rng, func(a *model.Appointment) {
			a.ID, a.ContactID, a.RescheduledToID = id, owner(), earlier(rng, a.RescheduledToID, i)
			a.Outcome = model.Outcome(indexable(string(a.Outcome))) // in idx_appointments_outcome_start
		}))
		r.NotesOwed = append(r.NotesOwed, randomRow(rng, func(nr *model.NoteReminder) {
			nr.ID, nr.ContactID, nr.Status, nr.Due = id, owner(), model.NoteStatus(indexable(string(nr.Status))), indexable(nr.Due)
		}))
		r.Changes = append(r.Changes, randomRow(rng, func(c *model.ImportChange) { c.ID, c.BatchID, c.ContactID = id, 1, owner() }))
	}
	return r
}

// indexable cuts s to what a PostgreSQL index entry holds (2,704 bytes),
// for the indexed columns: PostgreSQL refuses more either way.
func indexable(s string) string {
	return s[:min(len(s), 1000)]
}

// earlier is nil or the ID of one of the first i rows, where p is set.
func earlier(rng *rand.Rand, p *int64, i int) *int64 {
	if p == nil || i == 0 {
		return nil
	}
	id := int64(rng.IntN(i) + 1)
	return &id
}

func randomRow[T any](rng *rand.Rand, fix func(*T)) T {
	var row T
	fill(rng, reflect.ValueOf(&row).Elem())
	fix(&row)
	return row
}
