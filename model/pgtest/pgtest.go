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
	base := URL()
	if base == "" {
		tb.Skip(EnvVar + " is not set: no PostgreSQL to test against")
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	name := "rapport_t_" + hex.EncodeToString(suffix[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
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
	u.Path = "/" + name
	return u.String()
}
