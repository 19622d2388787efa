package model

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// schemaObject is one row of sqlite_schema: a table, index, view or
// trigger, SQLite's own (autoindexes, FTS5's shadow tables) included.
type schemaObject struct {
	Type    string
	Name    string
	TblName string
	SQL     sql.NullString
}

func (o schemaObject) key() string { return o.Type + " " + o.Name }

// readSchema reads every object of db's sqlite_schema.
func readSchema(db *gorm.DB) (map[string]schemaObject, error) {
	var rows []schemaObject
	if err := db.Raw(`SELECT type, name, tbl_name, sql FROM sqlite_master`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	objects := make(map[string]schemaObject, len(rows))
	for _, o := range rows {
		objects[o.key()] = o
	}
	return objects, nil
}

// referenceSchema is the schema Rapport's own migrations make at version:
// they are run on an empty database in memory, so that the answer is
// always that of this build's steps, whatever step a later build adds.
func referenceSchema(ctx context.Context, version int) (map[string]schemaObject, error) {
	steps := schemaMigrations()
	if version < 1 || version > len(steps) {
		return nil, fmt.Errorf("schema version %d: no such version", version)
	}
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, fmt.Errorf("make the reference schema: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	// Each connection to ":memory:" is a database of its own: one only.
	sqlDB.SetMaxOpenConns(1)
	s := &Store{db: db, d: sqliteDialect}
	if err := migrate(ctx, s, steps[:version]); err != nil {
		return nil, fmt.Errorf("make the reference schema: %w", err)
	}
	return readSchema(db.WithContext(ctx))
}

// checkSchemaObjects refuses a database holding any table, index, view or
// trigger that Rapport's migrations would not have made at version, or one
// whose definition differs from theirs: a trigger or a changed table in a
// restored file would run inside every later import or edit (one that
// deleted every phone on the next import was found). An object Rapport
// makes that the file lacks is refused too.
func checkSchemaObjects(ctx context.Context, db *gorm.DB, version int) error {
	want, err := referenceSchema(ctx, version)
	if err != nil {
		return err
	}
	got, err := readSchema(db)
	if err != nil {
		return err
	}
	var extra, changed, missing []schemaObject
	for k, o := range got {
		w, ok := want[k]
		switch {
		case !ok:
			extra = append(extra, o)
		case w.TblName != o.TblName || w.SQL.Valid != o.SQL.Valid || !sameSQL(w.SQL.String, o.SQL.String):
			changed = append(changed, o)
		}
	}
	for k, o := range want {
		if _, ok := got[k]; !ok {
			missing = append(missing, o)
		}
	}
	byName := func(a, b schemaObject) int { return strings.Compare(a.key(), b.key()) }
	slices.SortFunc(extra, byName)
	slices.SortFunc(changed, byName)
	slices.SortFunc(missing, byName)
	var problems []string
	for _, o := range extra {
		problems = append(problems, fmt.Sprintf("the file holds %s %q that Rapport did not create", withArticle(o.Type), o.Name))
	}
	for _, o := range changed {
		problems = append(problems, fmt.Sprintf("the file's %s %q is not defined as Rapport defines it", o.Type, o.Name))
	}
	for _, o := range missing {
		problems = append(problems, fmt.Sprintf("the file lacks the %s %q that Rapport creates", o.Type, o.Name))
	}
	if len(problems) == 0 {
		return nil
	}
	if len(problems) > 3 {
		problems = append(problems[:3], fmt.Sprintf("and %d more", len(problems)-3))
	}
	return &ForeignSchemaError{Problems: strings.Join(problems, "; ")}
}

// ForeignSchemaError is a database holding schema objects Rapport did not
// make, or made differently; it is an ErrNotDatabase.
type ForeignSchemaError struct{ Problems string }

func (e *ForeignSchemaError) Error() string { return e.Problems }
func (e *ForeignSchemaError) Unwrap() error { return ErrNotDatabase }

// sameSQL compares two definitions as SQLite keeps them, ignoring only how
// much white space separates their words.
func sameSQL(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// withArticle is "a trigger", "an index".
func withArticle(kind string) string {
	if strings.HasPrefix(kind, "i") {
		return "an " + kind
	}
	return "a " + kind
}

// SchemaDigest names this build's schema by what its migrations make, not
// only by their number: two branches may each add a step 7, and a test
// database cached under "v7" by one lacks the other's tables.
func SchemaDigest(ctx context.Context) (string, error) {
	objects, err := referenceSchema(ctx, SchemaVersion())
	if err != nil {
		return "", err
	}
	keys := make([]string, 0, len(objects))
	for k := range objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\n%s\n", k, objects[k].SQL.String)
	}
	return fmt.Sprintf("v%d-%x", SchemaVersion(), h.Sum(nil)[:4]), nil
}
