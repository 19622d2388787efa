package bulk

import (
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PGText makes text storable in PostgreSQL, whose text columns hold only
// valid UTF-8 without NUL (SQLite keeps any bytes): bytes that are not
// UTF-8 become U+FFFD and NULs are dropped. The vCard reader already hands
// over valid UTF-8; this keeps a stray byte from failing a whole import.
func PGText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// pgJSONStatement is jsonStatement for PostgreSQL: the rows go as one JSON
// array of objects keyed by column, which jsonb_populate_recordset turns
// into rows of the table's own type, each value read by its column type's
// input function. Text is made storable (PGText), so that JSON carries
// every row; blobs travel as bytea's hex input (\x…), times as RFC 3339
// cut to the microseconds PostgreSQL keeps, as the driver binds them.
func (w *Writer) pgJSONStatement(table string, t *tableRows, start int) (query string, arg any, end int, ok bool) {
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

// appendJSONValue writes one value of a row as PostgreSQL's JSON path reads
// it back: JSON booleans, RFC 3339 times to the microsecond, bytea as \x
// hex and text without NUL or invalid UTF-8 (PGText). ok is false for a
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
		appendJSONString(b, PGText(x))
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

// appendJSONString writes s as a JSON string, as encoding/json quotes it.
// Only PostgreSQL's path writes JSON text, and its text is valid UTF-8
// without NUL (PGText).
func appendJSONString(b *strings.Builder, s string) {
	if jsonPlain(s) { // most values: written as they are, without an allocation
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	quoted, _ := json.Marshal(s) // a string always marshals
	b.Write(quoted)
}

// jsonPlain tells whether encoding/json writes s between quotes unchanged:
// printable ASCII other than the characters it escapes.
func jsonPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x80, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}
