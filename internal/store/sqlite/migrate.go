package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// migrationFS holds the schema, one file per version, named
// NNNN_description.sql and numbered from 0001 without gaps. A released file
// is never edited: a change to the schema is a new file.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one version of the schema.
type migration struct {
	version int
	name    string // the file name
	sql     string
}

// loadMigrations reads the migrations in fsys's migrations directory,
// ordered by version.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	ms := make([]migration, 0, len(names))
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name does not start with a version number and '_'", base)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	// fs.Glob sorts by name and the numbers are zero-padded, but a
	// missing pad must not reorder the schema silently.
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d", m.name, m.version, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations in fsys that db lacks, all in one
// transaction, and records each in schema_migrations with the time now
// returns. Processes opening a fresh file at once are safe: the IMMEDIATE
// transaction admits one, and the others then find nothing left to do.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS, now func() time.Time) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	latest := len(ms)

	// Most opens find the schema current; checking without the write lock
	// keeps command-line processes from queueing behind a busy server.
	var current int
	err = retry(ctx, func() error {
		var err error
		current, err = schemaVersion(ctx, db)
		return err
	})
	if err != nil {
		return fmt.Errorf("read schema version: %w", flatten(ctx, err))
	}
	if current > latest {
		return fmt.Errorf("database schema version %d is newer than this program's %d", current, latest)
	}
	if current == latest {
		return nil
	}

	err = retry(ctx, func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // a no-op after Commit
		if err := applyMigrations(ctx, tx, ms, now); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return fmt.Errorf("migrate schema: %w", flatten(ctx, err))
	}
	return nil
}

// schemaVersion returns the highest migration recorded in db, or 0 for a
// database without schema_migrations.
func schemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
},
) (int, error) {
	var n int
	err := q.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`,
	).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v int
	err = q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// applyMigrations runs, inside tx, the migrations newer than the version
// tx sees.
func applyMigrations(ctx context.Context, tx *sql.Tx, ms []migration, now func() time.Time) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER NOT NULL PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL -- microseconds since the Unix epoch
	) STRICT`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this program's %d", current, len(ms))
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, now().UnixMicro())
		if err != nil {
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
	}
	return nil
}
