package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/license-manager/license-manager/internal/store"
)

// Retries after SQLite gave up waiting for a lock. Each attempt already
// waited the busy timeout, so these only cover the cases SQLite reports busy
// without waiting (WAL recovery by another process, a journal mode change on
// a fresh file) and unusually long waits.
const (
	maxAttempts  = 6
	firstBackoff = 5 * time.Millisecond
	maxBackoff   = 500 * time.Millisecond
)

// retry calls fn until it succeeds, fails with an error other than busy or
// locked, ctx ends, or maxAttempts calls were made. fn must leave nothing
// behind when it fails, as a rolled-back transaction does.
func retry(ctx context.Context, fn func() error) error {
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !isBusy(err) || attempt == maxAttempts {
			return err
		}
		// Jitter keeps processes that collided from colliding again.
		wait := backoff/2 + rand.N(backoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED, in
// any of their extended forms.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

// isDuplicate reports whether err is a primary key or unique constraint
// violation.
func isDuplicate(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return true
	}
	return false
}

// driverError turns an error from a database call into one fit to leave the
// package: the store's sentinels and the context's error stay wrapped, a
// duplicate key becomes store.ErrAlreadyExists, and anything from the
// driver keeps only its text, so that no caller comes to depend on the
// driver's types.
func driverError(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAlreadyExists):
		return err
	case ctx.Err() != nil:
		// A cancelled statement reports SQLITE_INTERRUPT; the caller
		// wants to know why it was interrupted.
		return ctx.Err()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case isDuplicate(err):
		return store.ErrAlreadyExists
	}
	return flatten(ctx, err)
}

// flatten keeps only the text of an error that carries a driver error, and
// returns the context's error if the context has ended.
func flatten(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return fmt.Errorf("%v", err)
	}
	return err
}

// opError wraps the outcome of a store method in the method's name.
func opError(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, driverError(ctx, err))
}
