package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// Usage implements store.LicenseReader. It returns the entitlements in name
// order, an empty, non-nil slice when nothing is in use, and
// store.ErrNotFound for an unknown license.
func (r *reader) Usage(ctx context.Context, arn string, now time.Time) ([]store.Usage, error) {
	op := "read usage of license " + arn
	rows, err := r.stmt(ctx, r.q.usage).QueryContext(ctx, arn, micros(now))
	if err != nil {
		return nil, stmtError(ctx, op, err)
	}
	defer rows.Close()
	usage := []store.Usage{}
	for rows.Next() {
		var u store.Usage
		if err := rows.Scan(&u.Name, &u.Consumed); err != nil {
			return nil, stmtError(ctx, op, err)
		}
		usage = append(usage, u)
	}
	if err := rows.Err(); err != nil {
		return nil, stmtError(ctx, op, err)
	}
	if len(usage) == 0 {
		if err := r.mustExist(ctx, arn); err != nil {
			return nil, stmtError(ctx, op, err)
		}
	}
	return usage, nil
}

// Consumption implements store.LicenseReader.
func (r *reader) Consumption(ctx context.Context, token string) (store.Consumption, error) {
	const op = "read consumption"
	c, err := scanConsumption(r.stmt(ctx, r.q.consumption).QueryRowContext(ctx, token))
	if err != nil {
		return store.Consumption{}, stmtError(ctx, op, err)
	}
	rows, err := r.stmt(ctx, r.q.consumed).QueryContext(ctx, token)
	if err != nil {
		return store.Consumption{}, stmtError(ctx, op, err)
	}
	defer rows.Close()
	c.Entitlements = []store.ConsumedEntitlement{}
	for rows.Next() {
		var e store.ConsumedEntitlement
		if err := rows.Scan(&e.Name, &e.Unit, &e.Value, &e.Amount); err != nil {
			return store.Consumption{}, stmtError(ctx, op, err)
		}
		c.Entitlements = append(c.Entitlements, e)
	}
	if err := rows.Err(); err != nil {
		return store.Consumption{}, stmtError(ctx, op, err)
	}
	return c, nil
}

// Idempotency implements store.LicenseReader.
func (r *reader) Idempotency(ctx context.Context, accountID, operation, clientToken string, now time.Time) (store.Idempotency, error) {
	rec, err := scanIdempotency(r.stmt(ctx, r.q.idempotency).QueryRowContext(ctx,
		accountID, operation, clientToken, micros(now)))
	return rec, stmtError(ctx, "read idempotency record", err)
}

// AddConsumption implements store.LicenseTx. A consumption of an unknown
// license is store.ErrNotFound.
func (w *writer) AddConsumption(ctx context.Context, c store.Consumption) error {
	const op = "add consumption"
	if err := store.ValidateConsumption(c); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := w.mustExist(ctx, c.LicenseARN); err != nil {
		return stmtError(ctx, op+" of license "+c.LicenseARN, err)
	}
	_, err := w.stmt(ctx, w.w.insertConsumption).ExecContext(ctx,
		c.Token, c.LicenseARN, c.AccountID, c.Type, c.NodeID, encodeMetadata(c.Metadata),
		micros(c.IssuedAt), nullMicros(c.ExpiresAt), nullMicros(c.CheckedInAt), c.SignedToken)
	if err != nil {
		return stmtError(ctx, op, err)
	}
	insert := w.stmt(ctx, w.w.insertConsumed)
	for i, e := range c.Entitlements {
		_, err := insert.ExecContext(ctx, c.Token, i, e.Name, e.Unit, e.Value, e.Amount)
		if err != nil {
			return stmtError(ctx, op, err)
		}
	}
	return nil
}

// UpdateConsumption implements store.LicenseTx.
func (w *writer) UpdateConsumption(ctx context.Context, c store.Consumption) error {
	err := w.execOne(ctx, w.w.updateConsumption,
		c.Token, nullMicros(c.ExpiresAt), nullMicros(c.CheckedInAt))
	return stmtError(ctx, "update consumption", err)
}

// PutIdempotency implements store.LicenseTx.
func (w *writer) PutIdempotency(ctx context.Context, rec store.Idempotency) error {
	const op = "put idempotency record"
	if err := store.ValidateIdempotency(rec); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	rec = normalizeIdempotency(rec)
	_, err := scanIdempotency(w.stmt(ctx, w.q.idempotency).QueryRowContext(ctx,
		rec.AccountID, rec.Operation, rec.ClientToken, micros(rec.CreatedAt)))
	switch {
	case err == nil:
		return fmt.Errorf("%s: a live record has the key: %w", op, store.ErrAlreadyExists)
	case !errors.Is(err, sql.ErrNoRows):
		return stmtError(ctx, op, err)
	}
	_, err = w.stmt(ctx, w.put).ExecContext(ctx,
		rec.AccountID, rec.Operation, rec.ClientToken, nonNil(rec.RequestHash),
		rec.ResourceID, nonNil(rec.Response), micros(rec.CreatedAt), micros(rec.ExpiresAt))
	return stmtError(ctx, op, err)
}
