package model

import (
	"slices"
	"testing"
)

// TestMigrationFilesPairUp: every step is there for both databases, under
// the same number and name, and holds statements.
func TestMigrationFilesPairUp(t *testing.T) {
	sqlite, err := readSteps("migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := readSteps("migrations/postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(sqlite) != len(pg) || len(sqlite) != SchemaVersion() {
		t.Fatalf("%d SQLite steps, %d PostgreSQL steps, schema version %d", len(sqlite), len(pg), SchemaVersion())
	}
	for i := range sqlite {
		if sqlite[i].name != pg[i].name {
			t.Errorf("step %d: %q on SQLite, %q on PostgreSQL", i+1, sqlite[i].name, pg[i].name)
		}
	}
	if sqlite[0].name != "contact journal" || sqlite[7].name != "follow-ups done and snoozed" {
		t.Errorf("names: %q, %q", sqlite[0].name, sqlite[7].name)
	}
}

func TestSplitSQLKeepsFunctionBodiesAndInnerComments(t *testing.T) {
	text := `-- Step 99 does things.
-- Over two lines.

CREATE TABLE t (
	a INTEGER, -- why a
	-- a comment line inside
	b TEXT);

CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM 1;
		RETURN NULL;
	END $$;
CREATE INDEX i ON t (a);
`
	got := splitSQL(text)
	want := []string{
		"CREATE TABLE t (\n\ta INTEGER, -- why a\n\t-- a comment line inside\n\tb TEXT)",
		"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n\tBEGIN\n\t\tPERFORM 1;\n\t\tRETURN NULL;\n\tEND $$",
		"CREATE INDEX i ON t (a)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("splitSQL:\n%q\nwant\n%q", got, want)
	}
}
