package model

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Locks across processes. SQLite lets one writer in at a time, but that
// does not keep two imports from both reading the keys to match against
// before either writes (every card twice), nor a restore from renaming a
// file over a database another process still writes to (its work lost).
// So beside the database file lie lock files that Rapport takes advisory
// locks on (flock on Unix, LockFileEx on Windows; the operating system lets
// go of them when a process ends, however it ends):
//
//   - name.db.open.lock: every Store that Open returns holds it shared until
//     Close; a restore takes it exclusive (Alone), which it gets only when
//     no other window or command has the database open, and while it holds
//     it Open waits.
//   - name.db.import.lock: an import holds it exclusive for its whole run
//     (LockImports); on PostgreSQL a session advisory lock does this.
//   - name.db.backup.lock: whoever makes the day's backup (TryLockBackups).
//
// The lock files stay: removing one while another process waits on it
// would let two hold "the" lock.

// ErrInUse is returned by Alone when another window or command has the
// database open, or an import into it is under way.
var ErrInUse = errors.New("the database is in use")

// inUse is an ErrInUse that says why in its own words.
type inUse string

func (e inUse) Error() string      { return string(e) }
func (inUse) Is(target error) bool { return target == ErrInUse }

// pollLock is how often a wait for a lock looks again.
const pollLock = 50 * time.Millisecond

// openWait is how long Open waits for a restore under way to finish.
const openWait = 2 * time.Minute

// importLockKey names the PostgreSQL advisory lock an import holds.
const importLockKey int64 = 0x7261_7070_6f72_7402 // "rapport" + 2

// lockPath is the lock file for role beside the database; for PostgreSQL,
// in the local folder.
func (s *Store) lockPath(role string) string {
	if s.d == postgresDialect {
		return filepath.Join(s.dir, s.BackupBase()+"."+role+".lock")
	}
	return s.path + "." + role + ".lock"
}

// openLockFile opens (making when missing) a lock file readable by the
// owner only.
func openLockFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	return f, nil
}

// waitLock takes the lock on f, looking again every pollLock until it is
// free or ctx is done; waiting, when not nil, is called once if the lock
// is not free at first.
func waitLock(ctx context.Context, f *os.File, exclusive bool, waiting func()) error {
	for {
		ok, err := tryLock(f, exclusive)
		if err != nil {
			return fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if ok {
			return nil
		}
		if waiting != nil {
			waiting()
			waiting = nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollLock):
		}
	}
}

// useLock is a Store's hold on its SQLite database across processes: the
// open lock, shared while the store is open, exclusive while it is Alone.
// Copies of the Store made by InTx share it.
type useLock struct {
	mu     sync.Mutex
	f      *os.File // nil once let go of
	path   string   // the database file
	alone  *os.File // the import lock, held while alone
	closed bool     // the store was closed while alone
}

// holdOpen takes the open lock of the database at path shared, waiting
// while a restore holds it.
func holdOpen(ctx context.Context, path string) (*useLock, error) {
	f, err := openLockFile(path + ".open.lock")
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, openWait)
	defer cancel()
	if err := waitLock(wctx, f, false, nil); err != nil {
		f.Close()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, errors.New("another Rapport window or command is restoring a backup into the database; try again when it is done")
		}
		return nil, err
	}
	return &useLock{f: f, path: path}, nil
}

// release lets go of the open lock (again: nothing).
func (u *useLock) release() {
	if u == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.letGo()
}

// letGo unlocks and closes what u holds; u.mu is held.
func (u *useLock) letGo() {
	if u.alone != nil {
		_ = unlock(u.alone)
		u.alone.Close()
		u.alone = nil
	}
	if u.f != nil {
		_ = unlock(u.f)
		u.f.Close()
		u.f = nil
	}
}

// storeClosed lets go of the open lock when the store closes, unless the
// store is alone: then the lock is kept until Alone's done, so that nobody
// opens the database while it is being replaced.
func (u *useLock) storeClosed() {
	if u == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.alone != nil {
		u.closed = true
		return
	}
	u.letGo()
}

// Alone makes this store the only user of its SQLite database across
// processes, for a restore, without waiting: it returns an error wrapping
// ErrInUse, and leaves the store as it was, when another window or command
// has the database open or an import (in this process too) is under way.
// Until done is called, Open elsewhere waits and no import starts. The
// store stays usable; Close while alone keeps the lock, and done then lets
// go of it, while done on a store still open makes it an ordinary user
// again.
func (s *Store) Alone() (done func(), err error) {
	if s.d == postgresDialect || s.use == nil {
		return nil, fmt.Errorf("%s: only an SQLite database opened to write can be had alone", s.path)
	}
	u := s.use
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.f == nil || u.alone != nil {
		return nil, errors.New("the database is closed, or alone already")
	}
	// The import lock first: an import holds the database open too, and
	// only whoever holds the import lock may take the open lock exclusive,
	// so that taking the shared one back below never waits.
	imp, err := s.tryImportLock()
	if err != nil {
		return nil, err
	}
	if err := unlock(u.f); err != nil {
		_ = unlock(imp)
		imp.Close()
		return nil, fmt.Errorf("lock %s: %w", u.f.Name(), err)
	}
	ok, err := tryLock(u.f, true)
	if err != nil || !ok {
		// Nobody else can hold it exclusive (they would need the import
		// lock): the shared lock comes back at once.
		if backErr := waitLock(context.Background(), u.f, false, nil); backErr != nil {
			err = errors.Join(err, backErr)
		}
		_ = unlock(imp)
		imp.Close()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", u.f.Name(), err)
		}
		return nil, inUse("another Rapport window or command has the database open; close it, or let it finish, and try again")
	}
	u.alone = imp
	return u.endAlone, nil
}

// tryImportLock takes the import lock for Alone without waiting; the error
// wraps ErrInUse when an import holds it.
func (s *Store) tryImportLock() (*os.File, error) {
	imp, err := openLockFile(s.lockPath("import"))
	if err != nil {
		return nil, err
	}
	if ok, err := tryLock(imp, true); err != nil || !ok {
		imp.Close()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", imp.Name(), err)
		}
		return nil, inUse("an import into the database is under way; let it finish and try again")
	}
	return imp, nil
}

// endAlone is the done that Alone returns: it lets go of both locks when
// the store was closed meanwhile, else makes the store an ordinary user
// again; called again, it does nothing.
func (u *useLock) endAlone() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.alone == nil {
		return
	}
	if u.closed || u.f == nil {
		u.letGo()
		return
	}
	// Shared again before the import lock goes: only whoever holds the
	// import lock may take the open lock exclusive, so the shared one
	// comes back without waiting on anyone (see Alone).
	_ = unlock(u.f)
	_ = waitLock(context.Background(), u.f, false, nil)
	_ = unlock(u.alone)
	u.alone.Close()
	u.alone = nil
}

// LockImports takes the database's import lock across processes, waiting
// while another import (or a restore) holds it, until ctx is done; waiting,
// when not nil, is called once if it must wait. Taken before an import
// reads what it matches against, it makes a second import of the same file
// match the first's contacts instead of adding them again. unlock lets go
// of it.
func (s *Store) LockImports(ctx context.Context, waiting func()) (unlock func(), err error) {
	if s.d == postgresDialect {
		return s.pgLockImports(ctx, waiting)
	}
	f, err := openLockFile(s.lockPath("import"))
	if err != nil {
		return nil, fmt.Errorf("lock imports: %w", err)
	}
	if err := waitLock(ctx, f, true, waiting); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock imports: %w", err)
	}
	return func() { letGoOf(f) }, nil
}

// letGoOf unlocks and closes a lock file.
func letGoOf(f *os.File) {
	_ = unlock(f)
	f.Close()
}

// pgLockImports is LockImports on PostgreSQL: a session advisory lock on a
// connection of its own, kept for the import's whole run (the import's
// transactions come and go on other connections). A connection whose
// unlock fails is thrown away, which ends its session and the lock.
func (s *Store) pgLockImports(ctx context.Context, waiting func()) (func(), error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("lock imports: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock imports: %w", err)
	}
	discard := func() {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", importLockKey).Scan(&got); err != nil {
		discard()
		return nil, fmt.Errorf("lock imports: %w", err)
	}
	if !got {
		if waiting != nil {
			waiting()
		}
		// Cancelling ctx cancels the wait on the server; the connection
		// is dropped in case the lock came just then.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", importLockKey); err != nil {
			discard()
			return nil, fmt.Errorf("lock imports: %w", err)
		}
	}
	return func() {
		var released bool
		if err := conn.QueryRowContext(context.Background(), "SELECT pg_advisory_unlock($1)", importLockKey).Scan(&released); err != nil || !released {
			discard()
			return
		}
		conn.Close()
	}, nil
}

// TryLockBackups takes the lock on making the day's backup, without
// waiting: ok is false when another window or command holds it (and is
// making it). unlock lets go of it.
func (s *Store) TryLockBackups() (unlock func(), ok bool, err error) {
	f, err := openLockFile(s.lockPath("backup"))
	if err != nil {
		return nil, false, fmt.Errorf("lock backups: %w", err)
	}
	if ok, err := tryLock(f, true); err != nil || !ok {
		f.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock backups: %w", err)
		}
		return nil, false, nil
	}
	return func() { letGoOf(f) }, true, nil
}
