package model

import (
	"context"
	"slices"
	"testing"
)

// TestBulkColumnsAreTheTables holds the bulk writer's columns, read from
// the models, to the tables the migrations make: a field added to a model
// without a column in the migrations, or a column added without a field
// (which the bulk writer would leave empty), fails here, on each database.
func TestBulkColumnsAreTheTables(t *testing.T) {
	openStores(t, testBulkColumnsAreTheTables)
}

func testBulkColumnsAreTheTables(t *testing.T, s *Store) {
	tables, err := s.bulkTables()
	if err != nil {
		t.Fatal(err)
	}
	a := tables.added
	written := map[string][]string{}
	for _, tb := range []interface {
		Name() string
		Columns() []string
	}{tables.contacts, a.phones, a.emails, a.addresses, a.tags, a.details, a.dates, a.journal, a.appointments, a.notes, tables.changes} {
		written[tb.Name()] = tb.Columns()
	}
	written[tables.changes.Name()] = append(written[tables.changes.Name()], "id") // numbered by the database
	if len(written) != 11 {
		t.Fatalf("the bulk writer writes %d tables, want 11: %v", len(written), written)
	}
	for table, cols := range written {
		want, err := tableColumns(s, table)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(slices.Values(append(cols, leftToSchema()[table]...)))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the bulk writer writes %v (and leaves %v to the schema); the table has %v",
				table, cols, leftToSchema()[table], want)
		}
	}
}

// tableColumns lists the columns of table as the database has them,
// sorted.
func tableColumns(s *Store, table string) ([]string, error) {
	query := "SELECT name FROM pragma_table_info(?)"
	if s.IsPostgres() {
		query = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
	}
	var cols []string
	if err := s.with(context.Background()).Raw(query, table).Scan(&cols).Error; err != nil {
		return nil, err
	}
	slices.Sort(cols)
	return cols, nil
}
