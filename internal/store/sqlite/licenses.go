package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"

	"github.com/license-manager/license-manager/internal/store"
)

// ViewLicenses implements store.LicenseStore. fn runs in a read transaction
// on one of the reader connections, so every read it makes sees the
// database as it was at its first read, whatever writers commit meanwhile.
// Like UpdateLicenses's, fn runs again if the database was busy.
func (s *Store) ViewLicenses(ctx context.Context, fn func(store.LicenseReader) error) error {
	var fromFn bool
	err := retry(ctx, func() error {
		fromFn = false
		tx, err := s.read.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // it only read: nothing to commit
		if err := fn(&reader{tx: tx, q: &s.stmts.viewReads}); err != nil {
			fromFn = true
			return err
		}
		return nil
	})
	return txError(ctx, "view licenses", err, fromFn)
}

// UpdateLicenses implements store.LicenseStore. fn runs in an IMMEDIATE
// transaction on the writer connection: it holds the database's write lock
// from its start, so no other writer, in this process or another, commits
// between fn's reads and its commit. The transaction is retried, fn with
// it, when the lock could not be had within the busy timeout.
func (s *Store) UpdateLicenses(ctx context.Context, fn func(store.LicenseTx) error) error {
	var fromFn bool
	err := retry(ctx, func() error {
		fromFn = false
		tx, err := s.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // a no-op after Commit
		w := &writer{
			reader: reader{tx: tx, q: &s.stmts.txReads},
			w:      &s.stmts.licWrites,
			put:    s.stmts.putIdempotency,
		}
		if err := fn(w); err != nil {
			fromFn = true
			return err
		}
		return tx.Commit()
	})
	return txError(ctx, "update licenses", err, fromFn)
}

// txError returns the outcome of a transaction. An error of fn's own is
// returned as it is; one that holds a driver error, whether fn passed it on
// or it came from beginning or committing, goes through opError, which
// keeps only its text.
func txError(ctx context.Context, op string, err error, fromFn bool) error {
	var se *sqlite.Error
	if err == nil || (fromFn && !errors.As(err, &se)) {
		return err
	}
	return opError(ctx, op, err)
}

// stmtError wraps the error of one statement in a transaction in op,
// turning a missing row into store.ErrNotFound, a duplicate key into
// store.ErrAlreadyExists, and whatever a cancelled ctx caused (an
// interrupted statement, a transaction database/sql rolled back) into
// ctx's error. Other driver errors stay wrapped, so that retry still
// recognizes a busy database; txError flattens them when the transaction
// ends.
func stmtError(ctx context.Context, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", op, ctx.Err())
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	case isDuplicate(err):
		return fmt.Errorf("%s: %w", op, store.ErrAlreadyExists)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// reader is a store.LicenseReader on a transaction, on the readers for
// ViewLicenses or on the writer for UpdateLicenses.
type reader struct {
	tx *sql.Tx
	q  *licenseReads
}

// stmt returns st for use in r's transaction.
func (r *reader) stmt(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	return r.tx.StmtContext(ctx, st)
}

// License implements store.LicenseReader.
func (r *reader) License(ctx context.Context, arn string) (store.License, error) {
	l, err := scanLicense(r.stmt(ctx, r.q.license).QueryRowContext(ctx, arn))
	return l, stmtError(ctx, "read license "+arn, err)
}

// LicenseVersion implements store.LicenseReader.
func (r *reader) LicenseVersion(ctx context.Context, arn string, version int) (store.License, error) {
	l, err := scanLicense(r.stmt(ctx, r.q.licenseVersion).QueryRowContext(ctx, arn, version))
	return l, stmtError(ctx, fmt.Sprintf("read license %s version %d", arn, version), err)
}

// LicenseVersions implements store.LicenseReader. An unknown license is
// store.ErrNotFound; a known one without versions after afterVersion gives
// an empty, non-nil slice.
func (r *reader) LicenseVersions(ctx context.Context, arn string, afterVersion, limit int) ([]store.License, error) {
	op := "list versions of license " + arn
	if limit < 0 {
		return nil, fmt.Errorf("%s: limit %d is negative", op, limit)
	}
	rows, err := r.stmt(ctx, r.q.licenseVersions).QueryContext(ctx, arn, afterVersion, sqlLimit(limit))
	if err != nil {
		return nil, stmtError(ctx, op, err)
	}
	ls, err := collectLicenses(rows)
	if err != nil {
		return nil, stmtError(ctx, op, err)
	}
	if len(ls) == 0 {
		if err := r.mustExist(ctx, arn); err != nil {
			return nil, stmtError(ctx, op, err)
		}
	}
	return ls, nil
}

// Licenses implements store.LicenseReader. It returns an empty, non-nil
// slice when nothing matches.
func (r *reader) Licenses(ctx context.Context, q store.LicenseQuery) ([]store.License, error) {
	if err := store.ValidateLicenseQuery(q); err != nil {
		return nil, fmt.Errorf("list licenses: %w", err)
	}
	st := r.q.byIssuer
	if q.AccountID == "" {
		st = r.q.byBeneficiary
	}
	rows, err := r.stmt(ctx, st).QueryContext(ctx, q.AccountID, q.Beneficiary, q.AfterARN,
		jsonFilter(q.ARNs), jsonFilter(q.ProductSKUs), jsonFilter(q.Fingerprints),
		jsonFilter(q.Statuses), jsonFilter(q.IssuerNames), sqlLimit(q.Limit))
	if err != nil {
		return nil, stmtError(ctx, "list licenses", err)
	}
	ls, err := collectLicenses(rows)
	return ls, stmtError(ctx, "list licenses", err)
}

// MatchLicenses implements store.LicenseReader. It returns an empty,
// non-nil slice when nothing matches.
func (r *reader) MatchLicenses(ctx context.Context, beneficiary, sku, fingerprint string) ([]store.License, error) {
	rows, err := r.stmt(ctx, r.q.match).QueryContext(ctx, beneficiary, sku, fingerprint)
	if err != nil {
		return nil, stmtError(ctx, "match licenses", err)
	}
	ls, err := collectLicenses(rows)
	return ls, stmtError(ctx, "match licenses", err)
}

// mustExist returns sql.ErrNoRows unless the license exists.
func (r *reader) mustExist(ctx context.Context, arn string) error {
	var n int
	if err := r.stmt(ctx, r.q.licenseExists).QueryRowContext(ctx, arn).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

// collectLicenses reads and closes rows of licenseColumns; never nil
// without an error.
func collectLicenses(rows *sql.Rows) ([]store.License, error) {
	defer rows.Close()
	ls := []store.License{}
	for rows.Next() {
		l, err := scanLicense(rows)
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ls, nil
}

// jsonFilter binds a filter list: NULL when it is empty, which selects
// everything, else a JSON array.
func jsonFilter(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return encodeList(l)
}

// sqlLimit binds a limit where zero means none.
func sqlLimit(n int) int64 {
	if n <= 0 {
		return -1 // SQLite's "no limit"
	}
	return int64(n)
}

// writer is a store.LicenseTx on the writer connection. A method that
// fails may have written part of its rows; the failure is meant to end fn,
// which rolls them back with the rest.
type writer struct {
	reader
	w   *licenseWrites
	put *sql.Stmt // CreateToken's upsert of idempotency records
}

// CreateLicense implements store.LicenseTx.
func (w *writer) CreateLicense(ctx context.Context, l store.License) error {
	op := "create license " + l.ARN
	if l.Version != 1 {
		return fmt.Errorf("%s: version %d, want 1", op, l.Version)
	}
	if err := store.ValidateLicense(l); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err := w.stmt(ctx, w.w.insertLicense).ExecContext(ctx,
		l.ARN, l.AccountID, l.Beneficiary, l.ProductSKU, micros(l.CreatedAt), encodeTags(l.Tags))
	if err != nil {
		return stmtError(ctx, op, err)
	}
	_, err = w.stmt(ctx, w.w.insertVersion).ExecContext(ctx, versionArgs(l)...)
	return stmtError(ctx, op, err)
}

// AddLicenseVersion implements store.LicenseTx. An unknown license is
// store.ErrNotFound.
func (w *writer) AddLicenseVersion(ctx context.Context, l store.License) error {
	op := fmt.Sprintf("add version %d to license %s", l.Version, l.ARN)
	var (
		latest  int
		created int64
	)
	err := w.stmt(ctx, w.w.identity).QueryRowContext(ctx, l.ARN).Scan(
		&l.AccountID, &l.Beneficiary, &l.ProductSKU, &created, &latest)
	if err != nil {
		return stmtError(ctx, op, err)
	}
	l.CreatedAt = fromMicros(created)
	l.Tags = nil // the license's, which this does not write
	if err := store.ValidateLicense(l); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if l.Version != latest+1 {
		return fmt.Errorf("%s: the latest version is %d: %w", op, latest, store.ErrAlreadyExists)
	}

	err = w.execOne(ctx, w.w.bumpVersion, l.ARN, l.Version)
	if errors.Is(err, sql.ErrNoRows) {
		// latest was read in this transaction, so only a bug elsewhere
		// gets here; the condition keeps versions gapless regardless.
		return fmt.Errorf("%s: %w", op, store.ErrAlreadyExists)
	}
	if err != nil {
		return stmtError(ctx, op, err)
	}
	_, err = w.stmt(ctx, w.w.insertVersion).ExecContext(ctx, versionArgs(l)...)
	return stmtError(ctx, op, err)
}

// DeleteLicense implements store.LicenseTx. Deleting a deleted license
// keeps its first deletion time.
func (w *writer) DeleteLicense(ctx context.Context, arn string, at time.Time) error {
	op := "delete license " + arn
	if at.IsZero() {
		return fmt.Errorf("%s: deletion time is zero", op)
	}
	return stmtError(ctx, op, w.execOne(ctx, w.w.deleteLicense, arn, micros(at)))
}

// execOne runs st in the transaction; see execOne.
func (w *writer) execOne(ctx context.Context, st *sql.Stmt, args ...any) error {
	return execOne(ctx, w.stmt(ctx, st), args...)
}

// execOne runs st, which changes at most one row, and returns
// sql.ErrNoRows if it changed none.
func execOne(ctx context.Context, st *sql.Stmt, args ...any) error {
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

var (
	_ store.LicenseStore = (*Store)(nil)
	_ store.LicenseTx    = (*writer)(nil)
)
