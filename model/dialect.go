package model

import (
	"database/sql/driver"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/rapportjournal/rapport/model/internal/bulk"
)

// dialect is which database a Store talks to. The models and nearly all
// SQL are shared; what differs (the search index, DDL, backups, bulk
// inserts) asks the store's dialect.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

func (d dialect) String() string {
	if d == postgresDialect {
		return "PostgreSQL"
	}
	return "SQLite"
}

// IsPostgresURL reports whether target names a PostgreSQL database
// (postgres://… or postgresql://…) rather than a SQLite file.
func IsPostgresURL(target string) bool {
	t := strings.ToLower(target)
	return strings.HasPrefix(t, "postgres://") || strings.HasPrefix(t, "postgresql://")
}

// rebind turns the ? placeholders of a statement run below GORM (straight
// on the connection) into PostgreSQL's $1, $2…; GORM does this itself for
// what goes through it. Our statements hold no ? inside string literals.
func (d dialect) rebind(query string) string {
	if d != postgresDialect || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// idsIn is a condition that column is one of ids, with its one argument.
// PostgreSQL gets one array, so that the 65,535 parameters a statement may
// bind never limit how many IDs are asked for. SQLite gets a list of
// placeholders (GORM expands the slice), or past maxIDParams (it binds at
// most 32,766) one JSON array that json_each unpacks.
func (d dialect) idsIn(column string, ids []int64) (string, any) {
	if d == postgresDialect {
		return column + " = ANY(CAST(? AS BIGINT[]))", pgIDs(ids)
	}
	if len(ids) > maxIDParams {
		return column + " IN (SELECT value FROM json_each(?))", jsonIDs(ids)
	}
	return column + " IN ?", ids
}

// maxIDParams is how many IDs SQLite gets as placeholders.
const maxIDParams = 10_000

// pgIDs and jsonIDs bind a list of IDs as one text value: a PostgreSQL
// array literal {1,2,3}, a JSON array [1,2,3]. Each is a driver.Valuer, so
// that GORM passes it as one value instead of expanding it as a list.
type (
	pgIDs   []int64
	jsonIDs []int64
)

func (a pgIDs) Value() (driver.Value, error)   { return idsText(a, '{', '}'), nil }
func (a jsonIDs) Value() (driver.Value, error) { return idsText(a, '[', ']'), nil }

func idsText(a []int64, opening, closing byte) string {
	var b strings.Builder
	b.Grow(len(a)*8 + 2)
	b.WriteByte(opening)
	for i, id := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(closing)
	return b.String()
}

// Limits of a tsvector: a lexeme shorter than 2 kB, the whole under 1 MB.
const (
	maxLexemeBytes   = 2046
	maxTsvectorBytes = 900_000
)

// searchTokens splits folded text into words as FTS5's unicode61 tokenizer
// does: runs of letters, numbers and private-use characters; everything
// else separates. PostgreSQL gets these words as they are (no parser, no
// stemming, no locale), so that both databases index the same words.
func searchTokens(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Co, r)
	})
}

// tsvectorLiteral writes the words of folded text as a tsvector in
// PostgreSQL's input syntax ('word' 'other'…), each word once, cut to the
// sizes a tsvector allows.
func tsvectorLiteral(folded string) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, tok := range searchTokens(folded) {
		tok = cutLexeme(tok)
		if seen[tok] {
			continue
		}
		if b.Len()+len(tok)+8 > maxTsvectorBytes {
			break
		}
		seen[tok] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		writeLexeme(&b, tok)
	}
	return b.String()
}

// tsqueryPrefixes builds a tsquery in which every word must start a word of
// the index: the PostgreSQL twin of matchExpression.
func tsqueryPrefixes(query string) string {
	var b strings.Builder
	for i, t := range searchTerms(query) {
		if i > 0 {
			b.WriteString(" & ")
		}
		writeLexeme(&b, cutLexeme(t))
		b.WriteString(":*")
	}
	return b.String()
}

// cutLexeme shortens a word to what a tsvector holds, at a character
// boundary; a prefix query of the cut word still finds it.
func cutLexeme(tok string) string {
	if len(tok) <= maxLexemeBytes {
		return tok
	}
	cut := maxLexemeBytes
	for cut > 0 && !utf8.RuneStart(tok[cut]) {
		cut--
	}
	return tok[:cut]
}

// writeLexeme quotes one word for tsvector or tsquery input.
func writeLexeme(b *strings.Builder, word string) {
	b.WriteByte('\'')
	for _, r := range word {
		if r == '\'' || r == '\\' {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
}

// dialectOf tells the dialect of a GORM handle, for the helpers that get
// one rather than a Store.
func dialectOf(db *gorm.DB) dialect {
	if db.Dialector.Name() == "postgres" {
		return postgresDialect
	}
	return sqliteDialect
}

// searchKey is the search index's column that holds the contact's ID.
func searchKey(d dialect) string {
	if d == postgresDialect {
		return "contact_id"
	}
	return "rowid"
}

// searchMatch is a query of the IDs of the contacts in whose text every
// word of search starts a word, with its one argument; ok is false when
// search holds no word.
func (d dialect) searchMatch(search string) (query string, arg any, ok bool) {
	if d == postgresDialect {
		q := tsqueryPrefixes(search)
		if q == "" {
			return "", nil, false
		}
		return "SELECT contact_id FROM contact_search WHERE words @@ CAST(? AS tsquery)", q, true
	}
	expr := matchExpression(search)
	if expr == "" {
		return "", nil, false
	}
	return "SELECT rowid FROM contact_search WHERE contact_search MATCH ?", expr, true
}

// bulkDialect is d as the bulk writer names it.
func (d dialect) bulkDialect() bulk.Dialect {
	if d == postgresDialect {
		return bulk.PostgreSQL
	}
	return bulk.SQLite
}
