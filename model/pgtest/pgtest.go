// Package pgtest gives each test an empty PostgreSQL database of its own on
// the server that RAPPORT_TEST_POSTGRES names (a postgres:// URL), and skips
// the test when it names none. `make test` starts a throwaway server and
// sets it (see .ci/with-postgres).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvVar names the environment variable holding the server's URL.
const EnvVar = "RAPPORT_TEST_POSTGRES"

// URL is the test server's URL, "" when tests run without PostgreSQL.
func URL() string { return os.Getenv(EnvVar) }

// NewDatabase creates an empty database for tb, dropped when tb ends, and
// returns its URL. Without a server it skips tb.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	return newDatabase(tb, "")
}

// NewSchema creates an empty schema for tb in the test server's database,
// dropped when tb ends, and returns a URL whose connections use it
// (options=-c search_path=…, which pgx and libpq both pass on). A schema is
// made in milliseconds where a database takes most of a second; tests that
// dump the database (pg_dump dumps every schema) want NewDatabase.
func NewSchema(tb testing.TB) string {
	tb.Helper()
	admin := adminDB(tb)
	defer admin.Close()
	name := "rapport_t_" + randomSuffix()
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		tb.Fatalf("create test schema: %v", err)
	}
	base := URL()
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE"); err != nil {
			tb.Errorf("drop test schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("options", "-c search_path="+name)
	u.RawQuery = q.Encode()
	return u.String()
}

// NewDatabaseFrom returns a new database for tb that is a copy of the
// template database name, made once per server by fill (given its URL),
// as modeltest keeps seeded SQLite files: seeding 50,000 contacts takes
// seconds, copying a database a fraction of one. name must be a plain
// lower-case identifier that says what fill puts in.
func NewDatabaseFrom(tb testing.TB, name string, fill func(dsn string) error) string {
	tb.Helper()
	admin := adminDB(tb)
	defer admin.Close()
	var n int
	if err := admin.QueryRow("SELECT COUNT(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	if n == 0 {
		start := time.Now()
		tmp := name + "_" + randomSuffix()
		if _, err := admin.Exec("CREATE DATABASE " + tmp); err != nil {
			tb.Fatalf("create template database: %v", err)
		}
		if err := fill(urlOf(tb, tmp)); err != nil {
			admin.Exec("DROP DATABASE IF EXISTS " + tmp + " WITH (FORCE)")
			tb.Fatalf("fill template database %s: %v", name, err)
		}
		// Another test process may have made it meanwhile: keep theirs.
		if _, err := admin.Exec("ALTER DATABASE " + tmp + " RENAME TO " + name); err != nil {
			admin.Exec("DROP DATABASE IF EXISTS " + tmp + " WITH (FORCE)")
		} else {
			tb.Logf("made template database %s in %v", name, time.Since(start).Round(time.Millisecond))
		}
	}
	return newDatabase(tb, name)
}

func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	base := URL()
	if base == "" {
		tb.Skip(EnvVar + " is not set: no PostgreSQL to test against")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	return admin
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// urlOf is the test server's URL for the database name.
func urlOf(tb testing.TB, name string) string {
	u, err := url.Parse(URL())
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	u.Path = "/" + name
	return u.String()
}

func newDatabase(tb testing.TB, template string) string {
	tb.Helper()
	admin := adminDB(tb)
	defer admin.Close()
	name := "rapport_t_" + randomSuffix()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	base := URL()
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close()
		// FORCE: a store the test left open must not keep the database.
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return urlOf(tb, name)
}
