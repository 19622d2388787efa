package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/model/pgtest"
)

// --db postgres://… (or RAPPORT_DB) works as a file does, and a shop moving
// from a file to PostgreSQL takes everything along through a JSON backup:
// both list the same, search included.
func TestPostgresDatabase(t *testing.T) {
	pg := pgtest.NewSchema(t)
	if r := rapport(t, nil, "--db", pg, "demo"); r.code != 0 || !strings.Contains(r.stdout, "added 40 demo contacts to postgres://") {
		t.Fatalf("demo: %+v", r)
	}
	r := rapport(t, map[string]string{"RAPPORT_DB": pg}, "list", "--search", "mull")
	if r.code != 0 || r.stdout != "Jörg Müller (Müller Bikes)\tclient\n" {
		t.Errorf("list --search mull = %+v", r)
	}
	dir := t.TempDir()
	file, backup := filepath.Join(dir, "shop.db"), filepath.Join(dir, "backup.json")
	if r := rapport(t, nil, "--db", pg, "export", "--format", "json", "-o", backup); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	if r := rapport(t, nil, "--db", file, "import", backup); r.code != 0 || !strings.Contains(r.stdout, "restored 40 new contacts") {
		t.Fatalf("import into a file: %+v", r)
	}
	for _, args := range [][]string{{"list", "--json", "--on", "2026-11-23"}, {"list", "--search", "beagle"}, {"followups", "--on", "2026-11-23"}} {
		a := rapport(t, nil, append([]string{"--db", pg}, args...)...)
		b := rapport(t, nil, append([]string{"--db", file}, args...)...)
		if a.code != 0 || a.stdout != b.stdout {
			t.Errorf("%v differs between PostgreSQL and the file:\n%s\n---\n%s", args, a.stdout+a.stderr, b.stdout)
		}
	}
}

func TestPostgresErrorsHideThePassword(t *testing.T) {
	r := rapport(t, nil, "--db", "postgres://shop:s3cret@127.0.0.1:1/rapport?connect_timeout=2", "list")
	if r.code != 1 || strings.Contains(r.stderr, "s3cret") || !strings.Contains(r.stderr, "postgres://shop:xxxxx@127.0.0.1:1/rapport") {
		t.Errorf("no server: %+v", r)
	}
}

func TestLocalFolderName(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://shop:pw@db.example.com:5432/rapport?sslmode=require": "postgres-db.example.com-5432-rapport",
		"postgresql://desk@[::1]/shop":                                   "postgres-__1-shop",
		"postgres:///rapport":                                            "postgres-rapport",
		"postgres://u@h/../../etc":                                       "postgres-h-.._.._etc",
	} {
		if got := localFolderName(in); got != want {
			t.Errorf("localFolderName(%q) = %q, want %q", in, got, want)
		}
	}
}
