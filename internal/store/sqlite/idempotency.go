package sqlite

import (
	"context"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// Idempotency implements store.Store.
func (s *Store) Idempotency(ctx context.Context, accountID, operation, clientToken string, now time.Time) (store.Idempotency, error) {
	var rec store.Idempotency
	err := retry(ctx, func() error {
		var err error
		rec, err = scanIdempotency(s.stmts.idempotencyGet.QueryRowContext(ctx,
			accountID, operation, clientToken, micros(now)))
		return err
	})
	return rec, opError(ctx, "get idempotency record", notFound(err))
}

// PurgeIdempotency implements store.Store.
func (s *Store) PurgeIdempotency(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := retry(ctx, func() error {
		res, err := s.stmts.purge.ExecContext(ctx, micros(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, opError(ctx, "purge idempotency records", err)
	}
	return int(n), nil
}

func scanIdempotency(sc scanner) (store.Idempotency, error) {
	var (
		rec              store.Idempotency
		created, expires int64
	)
	err := sc.Scan(&rec.AccountID, &rec.Operation, &rec.ClientToken, &rec.RequestHash,
		&rec.ResourceID, &rec.Response, &created, &expires)
	if err != nil {
		return store.Idempotency{}, err
	}
	rec.CreatedAt = fromMicros(created)
	rec.ExpiresAt = fromMicros(expires)
	return normalizeIdempotency(rec), nil
}

// normalizeIdempotency returns rec as the database holds it: times in UTC
// to the microsecond, and empty byte slices as nil.
func normalizeIdempotency(rec store.Idempotency) store.Idempotency {
	rec.CreatedAt = fromMicros(micros(rec.CreatedAt))
	rec.ExpiresAt = fromMicros(micros(rec.ExpiresAt))
	if len(rec.RequestHash) == 0 {
		rec.RequestHash = nil
	}
	if len(rec.Response) == 0 {
		rec.Response = nil
	}
	return rec
}
