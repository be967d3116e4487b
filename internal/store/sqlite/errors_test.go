package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/license-manager/license-manager/internal/store"
)

// busyError holds the write lock of a new store's file through the store's
// own writer, then returns the error another connection gets for BEGIN
// IMMEDIATE. It shows that the writer's transactions take the lock at BEGIN.
func busyError(t *testing.T) error {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tx, err := s.write.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })

	other, err := sql.Open("sqlite", dsn(path, time.Millisecond, false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	otherTx, err := other.BeginTx(t.Context(), nil)
	if err == nil {
		otherTx.Rollback()
		t.Fatal("BEGIN IMMEDIATE succeeded while the store's writer was in a transaction")
	}
	return err
}

func TestBusy(t *testing.T) {
	t.Parallel()
	busy := busyError(t)
	if !isBusy(busy) {
		t.Fatalf("isBusy(%v) = false, want true", busy)
	}
	if !isBusy(fmt.Errorf("wrapped: %w", busy)) {
		t.Errorf("isBusy(wrapped %v) = false, want true", busy)
	}
	for _, err := range []error{errors.New("database is locked"), store.ErrAlreadyExists, nil} {
		if isBusy(err) {
			t.Errorf("isBusy(%v) = true, want false", err)
		}
	}

	tests := []struct {
		name      string
		failures  int   // calls failing with err before one succeeds
		err       error // the failure
		wantCalls int
		wantErr   error
	}{
		{"success at once", 0, busy, 1, nil},
		{"busy, then success", 3, busy, 4, nil},
		{"busy past the bound", 100, busy, maxAttempts, busy},
		{"other errors are not retried", 100, store.ErrNotFound, 1, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			err := retry(t.Context(), func() error {
				calls++
				if calls <= tt.failures {
					return tt.err
				}
				return nil
			})
			if calls != tt.wantCalls || !errors.Is(err, tt.wantErr) {
				t.Errorf("retry made %d calls and returned %v, want %d calls and %v",
					calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
}

func TestDriverError(t *testing.T) {
	t.Parallel()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	_, syntax := s.write.ExecContext(t.Context(), "SELEC 1")
	_, dup := s.write.ExecContext(t.Context(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'again', 0)")
	_, check := s.write.ExecContext(t.Context(),
		`INSERT INTO tokens VALUES ('t', 'a', 'l', '[]', '[]', 'GONE', 0, 0, NULL, x'00')`)

	tests := []struct {
		name string
		err  error
		want error  // a sentinel the result must wrap, or nil
		text string // what its text must say after the operation
	}{
		{"syntax error keeps its text", syntax, nil, syntax.Error()},
		{"primary key is already exists", dup, store.ErrAlreadyExists, "already exists"},
		{"check constraint is not already exists", check, nil, check.Error()},
		{"no rows is not found", notFound(sql.ErrNoRows), store.ErrNotFound, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.err == nil {
				t.Fatal("the statement did not fail")
			}
			got := opError(t.Context(), "create token", tt.err)
			var se *sqlite.Error
			if errors.As(got, &se) {
				t.Errorf("opError(%v) wraps the driver's *sqlite.Error", tt.err)
			}
			if tt.want != nil && !errors.Is(got, tt.want) {
				t.Errorf("opError(%v) = %v, want it to wrap %v", tt.err, got, tt.want)
			}
			if want := "create token: " + tt.text; got.Error() != want {
				t.Errorf("opError(%v) = %q, want %q", tt.err, got, want)
			}
		})
	}
}
