package model

import (
	"context"
	"testing"
	"time"
)

// A window polls DataVersion to show what others changed: every committed
// write bumps it, its own and another window's, desk's or command's, and
// nothing else does.
func TestDataVersionSeesEveryWrite(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			desks := openDesks(t, backend, 2)
			window, other := desks[0], desks[1]
			// changed waits (PostgreSQL's notices come a moment after the
			// commit) until the version is no longer was.
			changed := func(was int64) (int64, bool) {
				t.Helper()
				deadline := time.Now().Add(2 * time.Second)
				for {
					v, err := window.DataVersion(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if v != was || time.Now().After(deadline) {
						return v, v != was
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			v0, err := window.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v, err := window.DataVersion(ctx); err != nil || v != v0 {
				t.Fatalf("asked twice with no write between: %d then %d (%v)", v0, v, err)
			}
			if err := other.CreateContact(ctx, &Contact{DisplayName: "From Another Desk"}); err != nil {
				t.Fatal(err)
			}
			v1, ok := changed(v0)
			if !ok {
				t.Fatal("a contact added from another connection did not change the data version")
			}
			if err := window.CreateContact(ctx, &Contact{DisplayName: "From This Window"}); err != nil {
				t.Fatal(err)
			}
			v2, ok := changed(v1)
			if !ok {
				t.Fatal("a contact added by this store itself did not change the data version")
			}
			if err := other.SetSetting(ctx, "print.paper", "letter"); err != nil {
				t.Fatal(err)
			}
			if _, ok := changed(v2); !ok {
				t.Fatal("a setting changed from another connection did not change the data version")
			}
			// Reads change nothing.
			time.Sleep(100 * time.Millisecond) // the setting's notice has come
			v3, err := window.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.ContactIDsByName(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			if v4, _ := window.DataVersion(ctx); v4 != v3 {
				t.Errorf("a read changed the data version from %d to %d", v3, v4)
			}
		})
	}
}

// A closed store opens no new connection to watch with: a restore closes
// the store and renames another file into place.
func TestDataVersionAfterCloseOpensNothing(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.DataVersion(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.DataVersion(ctx); err == nil {
		t.Fatal("DataVersion on a closed store read a version")
	}
}

// A lost listening connection (a server restart, a network hiccup) counts as
// a change, since what happened meanwhile went unheard, and the store
// listens again: a later change is heard.
func TestPostgresDataVersionAfterALostConnection(t *testing.T) {
	ctx := context.Background()
	desks := openDesks(t, "postgres", 2)
	window, other := desks[0], desks[1]
	v0, err := window.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var schema string
	if err := window.db.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	if err := other.db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE query LIKE 'LISTEN %' AND query LIKE ?`, "%"+schema+"%").Error; err != nil {
		t.Fatal(err)
	}
	waitFor := func(was int64, what string) int64 {
		t.Helper()
		deadline := time.Now().Add(6 * time.Second)
		for time.Now().Before(deadline) {
			v, err := window.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v != was {
				return v
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("%s did not change the data version", what)
		return 0
	}
	v1 := waitFor(v0, "losing the listening connection")
	time.Sleep(100 * time.Millisecond) // listening again
	if err := other.CreateContact(ctx, &Contact{DisplayName: "After The Hiccup"}); err != nil {
		t.Fatal(err)
	}
	waitFor(v1, "a contact added after listening again")
}
