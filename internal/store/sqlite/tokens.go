package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// CreateToken implements store.Store. On success it returns rec as a read
// would return it: times in UTC, truncated to the microsecond.
func (s *Store) CreateToken(ctx context.Context, t store.Token, rec store.Idempotency) (store.Idempotency, error) {
	if err := store.ValidateCreate(t, rec); err != nil {
		return store.Idempotency{}, fmt.Errorf("create token: %w", err)
	}
	roles := encodeList(t.RoleARNs)
	props := encodeList(t.Properties)
	rec = normalizeIdempotency(rec)

	var prior store.Idempotency
	err := retry(ctx, func() error {
		prior = store.Idempotency{}
		tx, err := s.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // a no-op after Commit

		row := tx.StmtContext(ctx, s.stmts.liveIdempotency).QueryRowContext(ctx,
			rec.AccountID, rec.Operation, rec.ClientToken, micros(rec.CreatedAt))
		live, err := scanIdempotency(row)
		if err == nil {
			prior = live
			return store.ErrAlreadyExists
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}

		_, err = tx.StmtContext(ctx, s.stmts.insertToken).ExecContext(ctx,
			t.ID, t.AccountID, t.LicenseARN, roles, props, t.Status,
			micros(t.CreatedAt), micros(t.ExpiresAt), nullMicros(t.DeletedAt), t.Hash)
		if err != nil {
			return err
		}
		_, err = tx.StmtContext(ctx, s.stmts.putIdempotency).ExecContext(ctx,
			rec.AccountID, rec.Operation, rec.ClientToken, nonNil(rec.RequestHash),
			rec.ResourceID, nonNil(rec.Response), micros(rec.CreatedAt), micros(rec.ExpiresAt))
		if err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return prior, opError(ctx, "create token", err)
	}
	return rec, nil
}

// Token implements store.Store.
func (s *Store) Token(ctx context.Context, accountID, id string) (store.Token, error) {
	var t store.Token
	err := retry(ctx, func() error {
		var err error
		t, err = scanToken(s.stmts.token.QueryRowContext(ctx, accountID, id))
		return err
	})
	return t, opError(ctx, "get token", notFound(err))
}

// TokenByHash implements store.Store.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (store.Token, error) {
	var t store.Token
	err := retry(ctx, func() error {
		var err error
		t, err = scanToken(s.stmts.tokenByHash.QueryRowContext(ctx, nonNil(hash)))
		return err
	})
	return t, opError(ctx, "get token by hash", notFound(err))
}

// ListTokens implements store.Store. It returns an empty, non-nil slice when
// nothing matches.
func (s *Store) ListTokens(ctx context.Context, q store.TokenQuery) ([]store.Token, error) {
	if err := store.ValidateQuery(q); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	limit := int64(-1) // SQLite's "no limit"
	if q.Limit > 0 {
		limit = int64(q.Limit)
	}
	var ids string
	if len(q.IDs) > 0 {
		b, err := json.Marshal(q.IDs)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		ids = string(b)
	}

	var toks []store.Token
	err := retry(ctx, func() error {
		toks = make([]store.Token, 0, min(max(limit, 0), 100))
		var rows *sql.Rows
		var err error
		if ids != "" {
			rows, err = s.stmts.listTokenIDs.QueryContext(ctx,
				q.AccountID, q.AfterID, q.LicenseARN, limit, ids)
		} else {
			rows, err = s.stmts.listTokens.QueryContext(ctx,
				q.AccountID, q.AfterID, q.LicenseARN, limit)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			toks = append(toks, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, opError(ctx, "list tokens", err)
	}
	return toks, nil
}

// DeleteToken implements store.Store.
func (s *Store) DeleteToken(ctx context.Context, accountID, id string, at time.Time) error {
	if at.IsZero() {
		return errors.New("delete token: deletion time is zero")
	}
	err := retry(ctx, func() error {
		return notFound(execOne(ctx, s.stmts.deleteToken, micros(at), accountID, id))
	})
	return opError(ctx, "delete token", err)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

func scanToken(sc scanner) (store.Token, error) {
	var (
		t                store.Token
		roles, props     string
		created, expires int64
		deleted          sql.NullInt64
	)
	err := sc.Scan(&t.ID, &t.AccountID, &t.LicenseARN, &roles, &props, &t.Status,
		&created, &expires, &deleted, &t.Hash)
	if err != nil {
		return store.Token{}, err
	}
	if t.RoleARNs, err = decodeList(roles); err != nil {
		return store.Token{}, fmt.Errorf("token %s role arns: %w", t.ID, err)
	}
	if t.Properties, err = decodeList(props); err != nil {
		return store.Token{}, fmt.Errorf("token %s properties: %w", t.ID, err)
	}
	t.CreatedAt = fromMicros(created)
	t.ExpiresAt = fromMicros(expires)
	if deleted.Valid {
		t.DeletedAt = fromMicros(deleted.Int64)
	}
	return t, nil
}

// notFound turns the absence of a row into store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// encodeList returns l as a JSON array; nil is the empty array.
func encodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	// Marshalling strings only fails on invalid UTF-8, which ValidateCreate
	// has refused, and even then it substitutes rather than failing.
	b, _ := json.Marshal(l)
	return string(b)
}

// decodeList parses a JSON array of strings, never returning nil.
func decodeList(s string) ([]string, error) {
	l := []string{}
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return nil, err
	}
	if l == nil { // the JSON text was null
		l = []string{}
	}
	return l, nil
}

// micros is t as stored: microseconds since the Unix epoch.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros is the inverse of micros, in UTC.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros stores the zero time as NULL.
func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(t), Valid: true}
}

// nonNil keeps a nil slice from being bound as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
