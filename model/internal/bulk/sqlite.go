package bulk

import (
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SQLiteTimeFormat is how the SQLite driver writes a time.Time it binds,
// so that rows written either way read back alike.
const SQLiteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

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
func (w *Writer) jsonStatement(table string, t *tableRows, start int, omit []bool) (query string, arg any, end int, ok bool) {
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
func (w *Writer) defaultColumns(table string, t *tableRows) ([]bool, error) {
	defaults, err := w.columnDefaults(table)
	if err != nil {
		return nil, err
	}
	omit := make([]bool, t.width)
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

// columnDefaults reads the plain defaults of table's columns (see
// parseSQLDefault); a column that may be NULL and has none defaults to NULL.
func (w *Writer) columnDefaults(table string) (map[string]any, error) {
	rows, err := w.conn.QueryContext(w.ctx, `SELECT name, dflt_value, "notnull" FROM pragma_table_info(?)`, table)
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
	return defaults, nil
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
		return appendJSONBPayload(b, jsonbTextRaw, x.AppendFormat(num[:0], SQLiteTimeFormat)), false, true
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
