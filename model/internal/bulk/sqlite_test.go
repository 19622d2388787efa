package bulk

import (
	"database/sql"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" driver
)

// openSQLite opens an empty SQLite file for t.
func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "bulk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestJSONBReadsBackAsWritten hands SQLite one array of every kind of value
// in the JSONB the bulk path writes, with text at each header-size boundary
// (payloads of 11/12, 255/256 and 65535/65536 bytes), and checks that
// SQLite takes it as well-formed JSONB and reads each value back as binding
// would have stored it.
func TestJSONBReadsBackAsWritten(t *testing.T) {
	db := openSQLite(t)
	at := time.Date(2025, 3, 9, 17, 4, 5, 123456789, time.UTC)
	values := []any{[]byte(nil), nil, int64(0), int64(-42), int64(math.MaxInt64), 3.25, -1e21, true, false, "", "Łukasz Müller 🎉",
		"quote \" backslash \\ newline \n", at, []byte{0x00, 0xFF, '"'}}
	want := []any{nil, nil, int64(0), int64(-42), int64(math.MaxInt64), 3.25, -1e21, int64(1), int64(0), "", "Łukasz Müller 🎉",
		"quote \" backslash \\ newline \n", at.Format(SQLiteTimeFormat), "00ff22"}
	for _, n := range []int{11, 12, 255, 256, 65535, 65536} {
		text := strings.Repeat("ä", n/2) + strings.Repeat("x", n%2)
		values, want = append(values, text), append(want, text)
	}
	var row []byte
	for _, v := range values {
		var ok bool
		if row, _, ok = appendJSONBValue(row, v); !ok {
			t.Fatalf("%#v cannot be written", v)
		}
	}
	array := append(appendJSONBHeader(nil, jsonbArray, len(row)), row...)
	var valid int
	if err := db.QueryRow("SELECT json_valid(?, 8)", array).Scan(&valid); err != nil || valid != 1 {
		t.Fatalf("SQLite does not take it as JSONB: %v %d", err, valid)
	}
	rows, err := db.Query("SELECT atom FROM jsonb_each(?) ORDER BY key", array)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []any
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d values, wrote %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d (%T) read back as %#v, want %#v", i, values[i], got[i], want[i])
		}
	}
	for _, v := range []any{"not \xff UTF-8", "nul \x00", math.NaN(), math.Inf(1), struct{}{}} {
		if _, _, ok := appendJSONBValue(nil, v); ok {
			t.Errorf("%#v was written, though SQLite would not read it back as bound", v)
		}
	}
}

// A column may be left to its schema default only where every row holds
// exactly that default, as the driver would bind it.
func TestSQLDefaults(t *testing.T) {
	for text, want := range map[string]any{"''": "", "'prospect'": "prospect", "'it''s'": "it's", "0": int64(0),
		"1440": int64(1440), "-3": int64(-3), "NULL": nil, "FALSE": int64(0), "true": int64(1)} {
		got, ok := parseSQLDefault(text)
		if !ok || got != want {
			t.Errorf("default %s read as %#v, %v; want %#v", text, got, ok, want)
		}
	}
	for _, text := range []string{"CURRENT_TIMESTAMP", "(1+1)", "'open", "1.5", "'a' || 'b'"} {
		if v, ok := parseSQLDefault(text); ok {
			t.Errorf("default %s read as %#v: only plain values may be left to SQLite", text, v)
		}
	}
	var noYear *int
	for _, c := range []struct {
		v, d any
		want bool
	}{
		{"", "", true}, {"x", "", false}, {"", nil, false}, {nil, "", false}, {nil, nil, true}, {noYear, nil, true},
		{false, int64(0), true}, {true, int64(0), false}, {true, int64(1), true}, {0, int64(0), true},
		{int64(1440), int64(1440), true}, {"0", int64(0), false}, {[]byte(nil), nil, false}, {time.Time{}, nil, false},
	} {
		if got := isSQLDefault(c.v, c.d); got != c.want {
			t.Errorf("isSQLDefault(%#v, %#v) = %v", c.v, c.d, got)
		}
	}
}
