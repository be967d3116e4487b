package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// tokenColumns are the columns scanToken reads, in its order.
const tokenColumns = `id, account_id, license_arn, role_arns, properties, status,
	created_at, expires_at, deleted_at, hash`

// idempotencyColumns are the columns scanIdempotency reads, in its order.
const idempotencyColumns = `account_id, operation, client_token, request_hash, resource_id,
	response, created_at, expires_at`

// statements are prepared once per Store; database/sql prepares each again
// on any new connection of its pool, and transactions borrow them with
// Tx.StmtContext.
type statements struct {
	// On the writer.
	liveIdempotency *sql.Stmt // account, operation, client token, time
	insertToken     *sql.Stmt
	putIdempotency  *sql.Stmt
	deleteToken     *sql.Stmt // deleted at, account, id
	purge           *sql.Stmt // time

	// On the readers.
	token          *sql.Stmt // account, id
	tokenByHash    *sql.Stmt // hash
	listTokens     *sql.Stmt // account, after id, license ARN or '', limit or -1
	listTokenIDs   *sql.Stmt // the same and a JSON array of ids
	idempotencyGet *sql.Stmt // account, operation, client token, time

	// Licenses and consumptions: the reads on both the readers and the
	// writer, the writes on the writer.
	viewReads licenseReads
	txReads   licenseReads
	licWrites licenseWrites
}

// query is a statement to prepare on db.
type query struct {
	db   *sql.DB
	stmt **sql.Stmt
	sql  string
}

func (s *Store) prepare(ctx context.Context) error {
	live := `SELECT ` + idempotencyColumns + ` FROM idempotency
		WHERE account_id = ? AND operation = ? AND client_token = ? AND expires_at > ?`
	list := `SELECT ` + tokenColumns + ` FROM tokens
		WHERE account_id = ?1 AND id > ?2 AND (?3 = '' OR license_arn = ?3)`
	queries := []query{
		{s.write, &s.stmts.liveIdempotency, live},
		{s.write, &s.stmts.insertToken, `INSERT INTO tokens (` + tokenColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		// An expired record with the same key is replaced; CreateToken
		// has already returned if a live one exists.
		{s.write, &s.stmts.putIdempotency, `INSERT INTO idempotency (` + idempotencyColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, operation, client_token) DO UPDATE SET
				request_hash = excluded.request_hash,
				resource_id = excluded.resource_id,
				response = excluded.response,
				created_at = excluded.created_at,
				expires_at = excluded.expires_at`},
		// SQLite counts a matched row as changed even when its values stay
		// the same, so a repeated delete still reports one row.
		{s.write, &s.stmts.deleteToken, `UPDATE tokens
			SET status = 'DELETED', deleted_at = coalesce(deleted_at, ?1)
			WHERE account_id = ?2 AND id = ?3`},
		{s.write, &s.stmts.purge, `DELETE FROM idempotency WHERE expires_at <= ?`},

		{s.read, &s.stmts.token, `SELECT ` + tokenColumns + ` FROM tokens
			WHERE account_id = ? AND id = ?`},
		{s.read, &s.stmts.tokenByHash, `SELECT ` + tokenColumns + ` FROM tokens WHERE hash = ?`},
		{s.read, &s.stmts.listTokens, list + ` ORDER BY id LIMIT ?4`},
		{s.read, &s.stmts.listTokenIDs, list + `
			AND id IN (SELECT value FROM json_each(?5)) ORDER BY id LIMIT ?4`},
		{s.read, &s.stmts.idempotencyGet, live},
	}
	queries = append(queries, licenseReadQueries(s.read, &s.stmts.viewReads)...)
	queries = append(queries, licenseReadQueries(s.write, &s.stmts.txReads)...)
	queries = append(queries, licenseWriteQueries(s.write, &s.stmts.licWrites)...)
	for _, q := range queries {
		err := retry(ctx, func() error {
			var err error
			*q.stmt, err = q.db.PrepareContext(ctx, q.sql)
			return err
		})
		if err != nil {
			return fmt.Errorf("prepare statement: %w", flatten(ctx, err))
		}
	}
	return nil
}

func (st *statements) close() error {
	var errs []error
	all := []*sql.Stmt{
		st.liveIdempotency, st.insertToken, st.putIdempotency, st.deleteToken, st.purge,
		st.token, st.tokenByHash, st.listTokens, st.listTokenIDs, st.idempotencyGet,
	}
	all = append(all, st.viewReads.all()...)
	all = append(all, st.txReads.all()...)
	all = append(all, st.licWrites.all()...)
	for _, s := range all {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}
