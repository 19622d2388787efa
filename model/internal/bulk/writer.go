// Package bulk owns the store's multi-row writing: it gathers rows per
// table and writes them as a few large INSERTs, each carrying its rows as
// one JSON value that the database unpacks (SQLite's binary JSONB read by
// jsonb_each, PostgreSQL's jsonb_populate_recordset), or, for values JSON
// cannot carry as binding would, as ordinary placeholders. It owns both
// encoders and the column lists read from GORM's schema of a model
// (Table), so that a field added to a model is written without anyone
// spelling it out. It knows nothing of contacts: package model decides what
// rows to write.
package bulk

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Dialect is the database a Writer writes to.
type Dialect int

// The databases the store runs on.
const (
	SQLite Dialect = iota
	PostgreSQL
)

// Conn is what a GORM transaction's connection offers below GORM (its
// ConnPool): plain statements without GORM's reflection.
type Conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Writer gathers rows per table and writes them as multi-row INSERTs.
type Writer struct {
	ctx    context.Context
	conn   Conn
	d      Dialect
	suffix string // after the rows, such as an ON CONFLICT clause
	// replace names the SQLite tables whose rows replace those of the same
	// key (INSERT OR REPLACE; FTS5 knows no ON CONFLICT clause).
	replace map[string]bool
	order   []string
	tables  map[string]*tableRows
	expect  map[string]int // how many rows each table will get, where known
}

type tableRows struct {
	columns string   // the columns as the statement names them
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

// NewWriter starts gathering rows to write on conn, a transaction's
// connection.
func NewWriter(ctx context.Context, conn Conn, d Dialect) *Writer {
	return &Writer{ctx: ctx, conn: conn, d: d, tables: map[string]*tableRows{}}
}

// Expect says how many rows table will get, so that room for all of them
// is made at once: growing the tables' value lists as they filled was a
// tenth of an import's writing time.
func (w *Writer) Expect(table string, rows int) {
	if w.expect == nil {
		w.expect = map[string]int{}
	}
	w.expect[table] = rows
}

// OnConflict sets what every statement ends with, such as an ON CONFLICT
// clause.
func (w *Writer) OnConflict(suffix string) { w.suffix = suffix }

// Replace makes the SQLite rows of table replace those of the same key
// (INSERT OR REPLACE), for tables that know no ON CONFLICT clause (FTS5).
func (w *Writer) Replace(table string) {
	if w.replace == nil {
		w.replace = map[string]bool{}
	}
	w.replace[table] = true
}

// Row queues one row of table. Every row of a table names the same
// columns, in the same order, as the first.
func (w *Writer) Row(table string, columns []string, values ...any) {
	t := w.rows(table, columns, len(values))
	t.args = append(t.args, values...)
}

// rows is the queue of table, made on its first row.
func (w *Writer) rows(table string, columns []string, width int) *tableRows {
	t, ok := w.tables[table]
	if !ok {
		t = &tableRows{columns: strings.Join(columns, ", "), names: columns, width: width,
			args: make([]any, 0, w.expect[table]*width)}
		w.tables[table] = t
		w.order = append(w.order, table)
	}
	return t
}

// statement is one INSERT of Flush: a query with its JSON argument, or,
// for rows JSON cannot carry, the rows to bind.
type statement struct {
	table string
	query string
	arg   any
	bound []any
}

// Flush writes every table's rows, the tables in the order of their first
// row. The statements are encoded on a goroutine of their own, a statement
// or two ahead of the one the database is running: the encoding was a
// tenth of an import's writing time, spent while the database waited.
func (w *Writer) Flush() error {
	// The columns left to their defaults are read here, on the
	// transaction's connection, before the encoding starts.
	omits := map[string][]bool{}
	for _, table := range w.order {
		if w.d != SQLite {
			break
		}
		omit, err := w.defaultColumns(table, w.tables[table])
		if err != nil {
			return err
		}
		omits[table] = omit
	}
	statements := make(chan statement, 2)
	done := make(chan struct{})
	defer close(done)
	go w.encode(omits, statements, done)
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

// encode sends Flush the statements of every table, until done closes.
func (w *Writer) encode(omits map[string][]bool, statements chan<- statement, done <-chan struct{}) {
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
			var query string
			var arg any
			var end int
			var ok bool
			if w.d == PostgreSQL {
				query, arg, end, ok = w.pgJSONStatement(table, t, start)
			} else {
				query, arg, end, ok = w.jsonStatement(table, t, start, omits[table])
			}
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
}

// insert begins a statement writing rows of table.
func (w *Writer) insert(table string) string {
	if w.replace[table] {
		return "INSERT OR REPLACE INTO "
	}
	return "INSERT INTO "
}

// flushBound writes rows as placeholders, many rows to a statement.
func (w *Writer) flushBound(table string, t *tableRows, args []any) error {
	perStatement := max(1, maxArgs/t.width) * t.width
	for start := 0; start < len(args); start += perStatement {
		chunk := args[start:min(start+perStatement, len(args))]
		query := w.insert(table) + table + " (" + t.columns + ") VALUES " + w.placeholders(len(chunk)/t.width, t.width) + w.suffix
		if w.d == PostgreSQL {
			chunk = slices.Clone(chunk)
			for i, v := range chunk {
				if s, ok := v.(string); ok {
					chunk[i] = PGText(s)
				}
			}
		}
		if _, err := w.conn.ExecContext(w.ctx, query, chunk...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// placeholders writes rows groups of width placeholders: ? for SQLite,
// $1, $2… for PostgreSQL.
func (w *Writer) placeholders(rows, width int) string {
	var b strings.Builder
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			if w.d == PostgreSQL {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
