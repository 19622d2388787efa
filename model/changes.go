package model

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
)

// changeChannel starts the name of the PostgreSQL notification channel the
// triggers of schema step 10 notify on every statement that changes a table
// the window shows; the table's schema follows it.
const changeChannel = "rapport_changes"

// listenForChanges connects to dsn and listens on the channel of the
// connection's schema.
func listenForChanges(ctx context.Context, dsn string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{changeChannel + " " + schema}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// changeWatch tells whether the database changed since it was last asked,
// whoever changed it: this process, another window, a command or another
// desk. It is made on the first DataVersion and closed with the Store.
type changeWatch struct {
	mu      sync.Mutex
	version int64 // what DataVersion returns; it only grows

	// SQLite: a connection of its own, outside the pool: PRAGMA
	// data_version changes when any other connection commits, the pool's
	// (this process's writes) as well as other processes'.
	conn *sql.DB
	last int64 // data_version as last read

	// PostgreSQL: a connection that LISTENs, drained by a goroutine.
	cancel context.CancelFunc
	done   chan struct{}
}

// DataVersion is a number that changes whenever the data changes, from this
// process or any other; it is cheap enough to ask every second. SQLite
// reads PRAGMA data_version on a connection of its own; PostgreSQL counts
// the notifications of the change triggers (schema step 10) on a connection
// that listens, and counts a lost connection as a change (what happened
// meanwhile is unknown).
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	w, err := s.changeWatch(ctx)
	if err != nil {
		return 0, err
	}
	if s.d == postgresDialect {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.version, nil
	}
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the data version: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if v != w.last {
		w.last = v
		w.version++
	}
	return w.version, nil
}

// changes holds a Store's changeWatch, made when first asked for; shared by
// the copies of the Store that transactions work with.
type changes struct {
	mu     sync.Mutex
	w      *changeWatch
	closed bool // the Store is closed: no new watch (a restore swaps the file)
}

func (s *Store) changeWatch(ctx context.Context) (*changeWatch, error) {
	if s.changes == nil {
		return nil, fmt.Errorf("watch for changes in %s: not a store opened with Open or OpenPostgres", s.path)
	}
	s.changes.mu.Lock()
	defer s.changes.mu.Unlock()
	if s.changes.closed {
		return nil, fmt.Errorf("watch for changes in %s: the database is closed", s.path)
	}
	if s.changes.w != nil {
		return s.changes.w, nil
	}
	// A new store (after a restore) never repeats the old one's numbers.
	w := &changeWatch{version: time.Now().UnixNano()}
	if s.d == postgresDialect {
		conn, err := listenForChanges(ctx, s.dsn)
		if err != nil {
			return nil, fmt.Errorf("watch for changes in %s: %w", s.path, err)
		}
		listen, cancel := context.WithCancel(context.Background())
		w.cancel, w.done = cancel, make(chan struct{})
		go w.listen(listen, conn, s.dsn)
	} else {
		conn, err := sql.Open(sqlite.DriverName, dsn(s.path))
		if err != nil {
			return nil, fmt.Errorf("watch for changes in %s: %w", s.path, err)
		}
		conn.SetMaxOpenConns(1)
		conn.SetMaxIdleConns(1)
		conn.SetConnMaxIdleTime(0)
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&w.last); err != nil {
			conn.Close()
			return nil, fmt.Errorf("watch for changes in %s: %w", s.path, err)
		}
		w.conn = conn
	}
	s.changes.w = w
	return w, nil
}

// listen counts the change notifications until ctx ends, connecting again
// after a lost connection.
func (w *changeWatch) listen(ctx context.Context, conn *pgx.Conn, dsn string) {
	defer close(w.done)
	bump := func() {
		w.mu.Lock()
		w.version++
		w.mu.Unlock()
	}
	for {
		if conn == nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
			c, err := listenForChanges(ctx, dsn)
			if err != nil {
				continue
			}
			conn = c
			bump() // changes while it was lost went unheard
		}
		if _, err := conn.WaitForNotification(ctx); err != nil {
			conn.Close(context.Background())
			if ctx.Err() != nil {
				return
			}
			conn = nil
			continue
		}
		bump()
	}
}

// closeWatch closes the change watch, if one was made.
func (s *Store) closeWatch() {
	if s.changes == nil {
		return
	}
	s.changes.mu.Lock()
	defer s.changes.mu.Unlock()
	s.changes.closed = true
	if s.changes.w != nil {
		s.changes.w.close()
		s.changes.w = nil
	}
}

func (w *changeWatch) close() {
	if w.conn != nil {
		w.conn.Close()
	}
	if w.cancel != nil {
		w.cancel()
		<-w.done
	}
}
