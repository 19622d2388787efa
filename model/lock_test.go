package model

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model/pgtest"
)

// twoOnOne opens two stores on one new database of the backend: two
// processes, as far as the locks go (flock and LockFileEx locks belong to
// the open file, PostgreSQL's to the session). PostgreSQL's advisory locks
// are per database, so it gets a database of its own.
func twoOnOne(t *testing.T, backend string) (*Store, *Store) {
	t.Helper()
	ctx := context.Background()
	var open func() (*Store, error)
	if backend == "postgres" {
		dsn, dir := pgtest.NewDatabase(t), t.TempDir()
		open = func() (*Store, error) { return OpenPostgres(ctx, dsn, dir) }
	} else {
		path := filepath.Join(t.TempDir(), "shop.db")
		open = func() (*Store, error) { return Open(ctx, path) }
	}
	var out [2]*Store
	for i := range out {
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}

func TestLockImportsOneAtATime(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			a, other := twoOnOne(t, b)
			ctx := context.Background()
			unlock, err := a.LockImports(ctx, func() { t.Error("the first import waited") })
			if err != nil {
				t.Fatal(err)
			}
			waited := 0
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			if _, err := other.LockImports(short, func() { waited++ }); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("the second import while the first holds the lock: %v", err)
			}
			if waited != 1 {
				t.Errorf("told of the wait %d times, want once", waited)
			}
			// Once the first lets go, the waiting one gets it.
			got := make(chan error, 1)
			go func() {
				unlock2, err := other.LockImports(ctx, nil)
				if err == nil {
					unlock2()
				}
				got <- err
			}()
			select {
			case err := <-got:
				t.Fatalf("the second got the lock while the first held it (%v)", err)
			case <-time.After(200 * time.Millisecond):
			}
			unlock()
			select {
			case err := <-got:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the second import still waits after the first let go")
			}
		})
	}
}

func TestTryLockBackupsOneAtATime(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			a, other := twoOnOne(t, b)
			unlock, ok, err := a.TryLockBackups()
			if err != nil || !ok {
				t.Fatalf("first: %v %v", ok, err)
			}
			if _, ok, err := other.TryLockBackups(); err != nil || ok {
				t.Fatalf("second while the first holds it: ok %v, %v", ok, err)
			}
			unlock()
			unlock2, ok, err := other.TryLockBackups()
			if err != nil || !ok {
				t.Fatalf("second after the first let go: %v %v", ok, err)
			}
			unlock2()
		})
	}
}

func TestAloneOnlyWhenNobodyElseHasItOpen(t *testing.T) {
	ctx := context.Background()
	a, other := twoOnOne(t, "sqlite")
	if _, err := a.Alone(); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "has the database open") {
		t.Fatalf("alone while another store is open: %v", err)
	}
	// Refused, a is as it was: another store can still open beside it.
	third, err := Open(ctx, a.Path())
	if err != nil {
		t.Fatal(err)
	}
	third.Close()
	unlock, err := other.LockImports(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	if _, err := a.Alone(); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "an import") {
		t.Fatalf("alone while an import holds its lock: %v", err)
	}
	unlock()
	done, err := a.Alone()
	if err != nil {
		t.Fatal(err)
	}
	// While a is alone, Open waits, and an import does not start.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if s, err := Open(short, a.Path()); err == nil {
		s.Close()
		t.Fatal("opened while another store was alone")
	}
	if _, err := a.LockImports(short, nil); err == nil {
		t.Fatal("an import began while the store was alone")
	}
	if _, err := a.CountContacts(ctx); err != nil {
		t.Errorf("the store alone should stay usable: %v", err)
	}
	done()
	// An ordinary user again: others open beside it, and it can't be alone.
	again, err := Open(ctx, a.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := a.Alone(); !errors.Is(err, ErrInUse) {
		t.Fatalf("alone after done, with another open: %v", err)
	}
}

func TestAloneKeepsTheLockAcrossClose(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	done, err := a.Alone()
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if s, err := Open(short, a.Path()); err == nil {
		s.Close()
		t.Fatal("opened between the close and done of a store alone")
	}
	done()
	s, err := Open(ctx, a.Path())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
