// Package sqlite is the default store backend: one SQLite file, opened with
// the pure-Go driver modernc.org/sqlite, shared safely by a server and any
// number of command-line processes.
//
// The database runs in WAL mode with synchronous=FULL, so a token is on disk
// before CreateToken returns and survives a killed process or a power loss.
// Writes go through a single connection per Store and begin IMMEDIATE
// transactions, so writers in one process queue in database/sql and writers
// in other processes queue on SQLite's lock; reads use a separate pool and
// never wait for writers. A write that still finds the database busy or
// locked after the busy timeout is retried a bounded number of times.
//
// UpdateLicenses is such an IMMEDIATE transaction, which makes license
// transactions serializable: the write lock is held from the first read.
// ViewLicenses reads in a transaction on the read pool, one WAL snapshot.
//
// The schema is created and upgraded by the numbered SQL files in
// migrations/, applied in one transaction when the store is opened.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/license-manager/license-manager/internal/store"
)

// Store is a store.Store on an SQLite file. It is safe for concurrent use by
// many goroutines, and other Stores, in this or other processes, may use the
// same file at the same time.
type Store struct {
	write *sql.DB // one connection: writes are serialized in-process
	read  *sql.DB // query_only connections
	opts  options
	stmts statements
}

// Option configures Open.
type Option func(*options)

type options struct {
	busyTimeout time.Duration
	readers     int
}

// WithBusyTimeout sets how long one attempt waits for another connection
// or process to release the database before Open or a store method retries;
// the default is five seconds. It is rounded down to milliseconds.
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) { o.busyTimeout = d }
}

// WithReaders sets the most connections used for reads at once; the default
// is GOMAXPROCS, and at least four.
func WithReaders(n int) Option {
	return func(o *options) { o.readers = n }
}

// Open opens the SQLite database at path, creating it (mode 0600, and its
// directory with mode 0700) if it does not exist, and brings its schema up
// to date. An existing file keeps its mode.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{busyTimeout: 5 * time.Second, readers: max(4, runtime.GOMAXPROCS(0))}
	for _, opt := range opts {
		opt(&o)
	}
	if o.busyTimeout < time.Millisecond {
		return nil, fmt.Errorf("open sqlite store: busy timeout %v is under a millisecond", o.busyTimeout)
	}
	if o.readers < 1 {
		return nil, fmt.Errorf("open sqlite store: %d readers, want at least 1", o.readers)
	}
	if path == "" {
		return nil, errors.New("open sqlite store: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	if err := createFile(abs); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}

	s := &Store{opts: o}
	if err := s.open(ctx, abs); err != nil {
		_ = s.Close() // the open error says more
		return nil, fmt.Errorf("open sqlite store %s: %w", abs, err)
	}
	return s, nil
}

// createFile creates the database file and its directory with owner-only
// modes, because the file holds replayable replies that contain bearer
// tokens. SQLite gives the -wal and -shm files the database file's mode.
func createFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	// O_EXCL matters: opening and closing an existing database file would
	// drop every POSIX lock this process holds on it, including those of
	// another Store already using it.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func (s *Store) open(ctx context.Context, path string) error {
	var err error
	s.write, err = sql.Open("sqlite", dsn(path, s.opts.busyTimeout, false))
	if err != nil {
		return fmt.Errorf("open writer: %v", err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxLifetime(0)
	s.write.SetConnMaxIdleTime(0)

	// journal_mode is a property of the file, so the writer sets it once
	// for every connection; it needs a moment of exclusive access, which
	// another process opening a fresh file at the same time may hold.
	err = retry(ctx, func() error {
		var mode string
		if err := s.write.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return err
		}
		if !strings.EqualFold(mode, "wal") {
			return fmt.Errorf("journal mode is %q, not wal", mode)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set wal mode: %w", flatten(ctx, err))
	}

	if err := migrate(ctx, s.write, migrationFS, time.Now); err != nil {
		return err
	}

	s.read, err = sql.Open("sqlite", dsn(path, s.opts.busyTimeout, true))
	if err != nil {
		return fmt.Errorf("open readers: %v", err)
	}
	s.read.SetMaxOpenConns(s.opts.readers)
	s.read.SetMaxIdleConns(s.opts.readers)
	s.read.SetConnMaxLifetime(0)
	s.read.SetConnMaxIdleTime(0)

	return s.prepare(ctx)
}

// dsn returns the modernc.org/sqlite data source name of the file at path.
// The file: URI form lets a path hold '?', '#' or '%'.
func dsn(path string, busy time.Duration, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// FULL rather than WAL's usual NORMAL: NORMAL already survives a
	// killed process, but only FULL syncs the WAL at every commit, so a
	// token handed to a client also survives a power loss.
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// Close closes the store's statements and connections. The last Store to
// close the file checkpoints the WAL into it.
func (s *Store) Close() error {
	errs := []error{s.stmts.close()}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close sqlite store: %v", err)
	}
	return nil
}

var _ store.Store = (*Store)(nil)
