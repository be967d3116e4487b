// Package store defines how the token service persists its records, and the
// errors every backend reports. Backends live in sub-packages (sqlite,
// postgres) and all pass the conformance suite in storetest.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends translate driver errors into these; callers test
// them with errors.Is.
var (
	// ErrNotFound means the record does not exist (for this account).
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists means a record with the same key exists.
	ErrAlreadyExists = errors.New("already exists")
)

// Token statuses, as ListTokens reports them.
const (
	StatusAvailable = "AVAILABLE"
	StatusDeleted   = "DELETED"
)

// Token is the record of an issued refresh token. The bearer token itself is
// not part of it: only its SHA-256 hash is kept.
type Token struct {
	ID         string
	AccountID  string
	LicenseARN string
	RoleARNs   []string // never nil once read back; may be empty
	Properties []string // never nil once read back; may be empty
	Status     string   // StatusAvailable or StatusDeleted
	CreatedAt  time.Time
	ExpiresAt  time.Time
	// DeletedAt is the zero time unless Status is StatusDeleted.
	DeletedAt time.Time
	// Hash is the SHA-256 of the compact JWT, for look-ups by token.
	Hash []byte
}

// Idempotency remembers the reply to a request made with a client token, so
// that a retry within the window gets the same reply.
type Idempotency struct {
	AccountID   string
	Operation   string // the API operation, e.g. "CreateToken"
	ClientToken string
	// RequestHash identifies the request's parameters; a retry with other
	// parameters has another hash.
	RequestHash []byte
	// ResourceID names what the request created (a token id).
	ResourceID string
	// Response is the serialized reply replayed to retries. It may hold a
	// bearer token, which is why records are purged when they expire.
	Response  []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// TokenQuery selects tokens of one account for ListTokens. Results are
// ordered by token id; AfterID gives keyset pagination.
type TokenQuery struct {
	AccountID string
	// IDs, when not empty, restricts the result to these token ids.
	IDs []string
	// LicenseARN, when not empty, restricts the result to that license.
	LicenseARN string
	// AfterID, when not empty, returns only ids greater than it.
	AfterID string
	// Limit is the most records returned; zero means no limit.
	Limit int
}

// Store persists tokens and idempotency records. Implementations are safe for
// concurrent use by many goroutines and, for the file and network backends,
// by many processes sharing the same data.
type Store interface {
	LicenseStore

	// CreateToken records t and rec in one transaction. If a live
	// idempotency record (ExpiresAt after rec.CreatedAt) with the same
	// AccountID, Operation and ClientToken exists, nothing is written and
	// CreateToken returns that record with ErrAlreadyExists. An expired
	// record with that key is replaced. A token id or hash that already
	// exists is ErrAlreadyExists with a zero Idempotency.
	CreateToken(ctx context.Context, t Token, rec Idempotency) (Idempotency, error)

	// Idempotency returns the live record for the key at time now, or
	// ErrNotFound.
	Idempotency(ctx context.Context, accountID, operation, clientToken string, now time.Time) (Idempotency, error)

	// Token returns the account's token with that id, or ErrNotFound (also
	// for another account's token).
	Token(ctx context.Context, accountID, id string) (Token, error)

	// TokenByHash returns the token whose Hash is hash, or ErrNotFound.
	TokenByHash(ctx context.Context, hash []byte) (Token, error)

	// ListTokens returns the tokens q selects, ordered by id.
	ListTokens(ctx context.Context, q TokenQuery) ([]Token, error)

	// DeleteToken marks the account's token deleted at time at. It returns
	// ErrNotFound for an unknown id or another account's token. Deleting a
	// deleted token succeeds and keeps the first DeletedAt.
	DeleteToken(ctx context.Context, accountID, id string, at time.Time) error

	// PurgeIdempotency removes records that expired at or before now and
	// reports how many it removed.
	PurgeIdempotency(ctx context.Context, now time.Time) (int, error)

	// Close releases the store's resources.
	Close() error
}
