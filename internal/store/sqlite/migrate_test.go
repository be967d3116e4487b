package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// appliedMigration is a row of schema_migrations.
type appliedMigration struct {
	Version   int
	Name      string
	AppliedAt int64
}

func appliedMigrations(t *testing.T, db *sql.DB) []appliedMigration {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var ms []appliedMigration
	for rows.Next() {
		var m appliedMigration
		if err := rows.Scan(&m.Version, &m.Name, &m.AppliedAt); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ms
}

// rawDB opens path as the writer does, for tests that drive migrate.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, time.Second, false))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	err := db.QueryRowContext(t.Context(),
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func fixedClock(tm time.Time) func() time.Time { return func() time.Time { return tm } }

func TestMigrationsAppliedOnce(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	first := appliedMigrations(t, s.write)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(ms) || first[0].Name != "0001_tokens.sql" {
		t.Fatalf("schema_migrations = %+v, want one row for each of %d migrations", first, len(ms))
	}

	s, err = Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if d := cmp.Diff(first, appliedMigrations(t, s.write)); d != "" {
		t.Errorf("schema_migrations changed on reopen (-first +second):\n%s", d)
	}
}

func TestMigrateAllOrNothing(t *testing.T) {
	t.Parallel()
	db := rawDB(t, filepath.Join(t.TempDir(), "store.db"))
	good := &fstest.MapFile{Data: []byte(`CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER);`)}
	broken := fstest.MapFS{
		"migrations/0001_a.sql": good,
		"migrations/0002_c.sql": {Data: []byte(`CREATE TABLE c (z INTEGER); CREATE TABLE c (z INTEGER);`)},
	}
	err := migrate(t.Context(), db, broken, fixedClock(time.Unix(1, 0)))
	if err == nil || !strings.Contains(err.Error(), "0002_c.sql") {
		t.Fatalf("migrate(broken) = %v, want an error naming 0002_c.sql", err)
	}
	for _, table := range []string{"a", "b", "c", "schema_migrations"} {
		if tableExists(t, db, table) {
			t.Errorf("table %s exists after a failed migration", table)
		}
	}

	fixed := fstest.MapFS{
		"migrations/0001_a.sql": good,
		"migrations/0002_c.sql": {Data: []byte(`CREATE TABLE c (z INTEGER);`)},
	}
	if err := migrate(t.Context(), db, fixed, fixedClock(time.UnixMicro(42))); err != nil {
		t.Fatalf("migrate(fixed) = %v", err)
	}
	want := []appliedMigration{{1, "0001_a.sql", 42}, {2, "0002_c.sql", 42}}
	if d := cmp.Diff(want, appliedMigrations(t, db)); d != "" {
		t.Errorf("schema_migrations mismatch (-want +got):\n%s", d)
	}

	// A later version is applied on its own, leaving the others as they were.
	fixed["migrations/0003_d.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE d (w INTEGER);`)}
	if err := migrate(t.Context(), db, fixed, fixedClock(time.UnixMicro(43))); err != nil {
		t.Fatalf("migrate(with 0003) = %v", err)
	}
	want = append(want, appliedMigration{3, "0003_d.sql", 43})
	if d := cmp.Diff(want, appliedMigrations(t, db)); d != "" {
		t.Errorf("schema_migrations mismatch (-want +got):\n%s", d)
	}

	// A program older than the database must not use it.
	err = migrate(t.Context(), db, broken, time.Now)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("migrate(older program) = %v, want an error saying the schema is newer", err)
	}
}

func TestLoadMigrationsRefuses(t *testing.T) {
	t.Parallel()
	file := &fstest.MapFile{Data: []byte(`SELECT 1;`)}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"gap", fstest.MapFS{"migrations/0001_a.sql": file, "migrations/0003_c.sql": file}, "0003_c.sql"},
		{"no number", fstest.MapFS{"migrations/tokens.sql": file}, "tokens.sql"},
		{"version zero", fstest.MapFS{"migrations/0000_a.sql": file}, "0000_a.sql"},
		{"unpadded number sorts late", fstest.MapFS{"migrations/0001_a.sql": file, "migrations/10_b.sql": file, "migrations/2_c.sql": file}, "10_b.sql"},
		{"repeated version", fstest.MapFS{"migrations/0001_a.sql": file, "migrations/0001_b.sql": file}, "0001_b.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := loadMigrations(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadMigrations = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

// TestConcurrentFreshOpens opens one new file from many Stores at once, as
// processes started together would.
func TestConcurrentFreshOpens(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	const n = 8
	stores := make([]*Store, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Errorf("Open %d = %v", i, err)
				return
			}
			stores[i] = s
		})
	}
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			defer s.Close()
		}
	}
	if t.Failed() {
		return
	}
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if got := appliedMigrations(t, stores[0].write); len(got) != len(ms) {
		t.Errorf("schema_migrations = %+v, want %d rows", got, len(ms))
	}
}

func TestConnectionSettings(t *testing.T) {
	t.Parallel()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "store.db"), WithBusyTimeout(1234*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{s.write, "journal_mode", "wal"},
		{s.write, "synchronous", "2"}, // FULL
		{s.write, "foreign_keys", "1"},
		{s.write, "busy_timeout", "1234"},
		{s.write, "query_only", "0"},
		{s.read, "journal_mode", "wal"},
		{s.read, "foreign_keys", "1"},
		{s.read, "busy_timeout", "1234"},
		{s.read, "query_only", "1"},
	}
	for _, tt := range tests {
		var got string
		if err := tt.db.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
		}
		if got != tt.want {
			name := "writer"
			if tt.db == s.read {
				name = "reader"
			}
			t.Errorf("%s PRAGMA %s = %s, want %s", name, tt.pragma, got, tt.want)
		}
	}
}
