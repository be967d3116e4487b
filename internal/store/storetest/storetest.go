// Package storetest is the conformance suite for store.Store: every backend
// runs Run against real storage, so that the server behaves the same on
// SQLite and PostgreSQL.
//
// Besides the contract in package store, the suite holds backends to these
// details, which callers rely on:
//   - times read back in UTC, truncated to the microsecond;
//   - RoleARNs and Properties read back as empty, non-nil slices when empty;
//   - token hashes are unique, like token ids (ErrAlreadyExists);
//   - CreateToken returns, on success, rec as a read would return it;
//   - input store.ValidateCreate or store.ValidateQuery refuses is an error
//     and writes nothing, and DeleteToken refuses the zero time;
//   - a call whose context is cancelled fails with an error wrapping
//     context.Canceled;
//   - licenses and consumptions read back with empty, non-nil lists, and
//     pointers nil exactly when they were written nil;
//   - LicenseVersions and Usage of an unknown license are ErrNotFound, and
//     AddConsumption of one is ErrNotFound too;
//   - DeleteLicense of a deleted license keeps the first deletion time;
//   - input store.ValidateLicense, store.ValidateConsumption,
//     store.ValidateIdempotency or store.ValidateLicenseQuery refuses is an
//     error that is neither sentinel, and writes nothing.
package storetest

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/license-manager/license-manager/internal/store"
)

// Run runs the suite. newStore must return a new, empty store that no other
// call shares, and close it when t ends (t.Cleanup); the suite's tests run
// in parallel.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStore func(t *testing.T) store.Store)
	}{
		{"token round trip", testTokenRoundTrip},
		{"idempotency record round trip", testRecordRoundTrip},
		{"accounts are isolated", testAccountScoping},
		{"live idempotency record wins", testLiveRecordWins},
		{"expired idempotency record is replaced", testExpiredRecordReplaced},
		{"idempotency lookup honours now", testRecordLookupNow},
		{"duplicate token id", testDuplicateID},
		{"duplicate token hash", testDuplicateHash},
		{"invalid input writes nothing", testInvalidInput},
		{"list tokens", testListTokens},
		{"list tokens pages through", testListPaging},
		{"list tokens pages stably under concurrent writes", testListConcurrentWrites},
		{"delete token", testDeleteToken},
		{"token by hash", testTokenByHash},
		{"purge idempotency records", testPurge},
		{"concurrent creates with one client token", testConcurrentSameClientToken},
		{"concurrent distinct creates", testConcurrentDistinctCreates},
		{"cancelled context", testCancelledContext},
		{"license round trip", testLicenseRoundTrip},
		{"license versions", testLicenseVersions},
		{"delete license", testDeleteLicense},
		{"list licenses", testListLicenses},
		{"match licenses", testMatchLicenses},
		{"consumption round trip", testConsumptionRoundTrip},
		{"update consumption", testUpdateConsumption},
		{"usage", testUsage},
		{"license idempotency records", testLicenseIdempotency},
		{"failed update rolls back", testUpdateRollsBack},
		{"view reads one snapshot", testViewSnapshot},
		{"unknown licenses and consumptions", testLicenseNotFound},
		{"invalid license input writes nothing", testInvalidLicenseInput},
		{"cancelled license transactions", testLicenseCancelledContext},
		{"concurrent checkouts", testConcurrentCheckouts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore)
		})
	}
}

// base is the suite's clock. The nanoseconds check truncation to the
// microsecond.
var base = time.Date(2026, time.March, 14, 15, 9, 26, 535897932, time.UTC)

const (
	accountA = "111122223333"
	accountB = "444455556666"
	licenseA = "arn:aws:license-manager::294406891311:license:l-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	licenseB = "arn:aws:license-manager::294406891311:license:l-ffeeddccbbaa99887766554433221100"
	roleARN  = "arn:aws:iam::111122223333:role/LicenseReader"
	opCreate = "CreateToken"
)

// sum is the SHA-256 of s, standing in for token and request hashes.
func sum(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// newToken returns an available token of account with id, unique in id.
func newToken(account, id string) store.Token {
	return store.Token{
		ID:         id,
		AccountID:  account,
		LicenseARN: licenseA,
		RoleARNs:   []string{roleARN},
		Properties: []string{"tier=gold"},
		Status:     store.StatusAvailable,
		CreatedAt:  base,
		ExpiresAt:  base.AddDate(0, 0, 365),
		Hash:       sum("jwt " + account + " " + id),
	}
}

// newRecord returns the idempotency record a server would write with tok,
// with a client token unique to tok and a ten-minute window.
func newRecord(tok store.Token) store.Idempotency {
	return store.Idempotency{
		AccountID:   tok.AccountID,
		Operation:   opCreate,
		ClientToken: "ct-" + tok.ID,
		RequestHash: sum("request " + tok.ID),
		ResourceID:  tok.ID,
		Response:    []byte(`{"Token":"jwt ` + tok.ID + `","TokenId":"` + tok.ID + `","TokenType":"REFRESH_TOKEN"}`),
		CreatedAt:   tok.CreatedAt,
		ExpiresAt:   tok.CreatedAt.Add(10 * time.Minute),
	}
}

// create stores tok with its newRecord and fails the test unless that
// works.
func create(t *testing.T, s store.Store, tok store.Token) store.Idempotency {
	t.Helper()
	rec, err := s.CreateToken(t.Context(), tok, newRecord(tok))
	if err != nil {
		t.Fatalf("CreateToken(%s) = %v", tok.ID, err)
	}
	return rec
}

// stored is tok as a backend returns it.
func stored(tok store.Token) store.Token {
	tok.CreatedAt = storedTime(tok.CreatedAt)
	tok.ExpiresAt = storedTime(tok.ExpiresAt)
	if !tok.DeletedAt.IsZero() {
		tok.DeletedAt = storedTime(tok.DeletedAt)
	}
	if tok.RoleARNs == nil {
		tok.RoleARNs = []string{}
	}
	if tok.Properties == nil {
		tok.Properties = []string{}
	}
	return tok
}

// storedRecord is rec as a backend returns it.
func storedRecord(rec store.Idempotency) store.Idempotency {
	rec.CreatedAt = storedTime(rec.CreatedAt)
	rec.ExpiresAt = storedTime(rec.ExpiresAt)
	return rec
}

func storedTime(tm time.Time) time.Time {
	return tm.Truncate(time.Microsecond).UTC()
}

// recordOpts compares records; a backend may read an empty byte string as
// nil.
var recordOpts = cmpopts.EquateEmpty()

// ids lists the tokens' ids, never nil.
func ids(toks []store.Token) []string {
	l := []string{}
	for _, tok := range toks {
		l = append(l, tok.ID)
	}
	return l
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, call string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s = %v, want %v", call, err, want)
	}
}

// diff fails the test if got differs from want.
func diff(t *testing.T, call string, got, want any, opts ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Fatalf("%s mismatch (-want +got):\n%s", call, d)
	}
}

// mustToken reads a token that must exist.
func mustToken(t *testing.T, s store.Store, account, id string) store.Token {
	t.Helper()
	tok, err := s.Token(t.Context(), account, id)
	if err != nil {
		t.Fatalf("Token(%s, %s) = %v", account, id, err)
	}
	return tok
}

// mustList lists tokens and fails the test on error.
func mustList(t *testing.T, s store.Store, q store.TokenQuery) []store.Token {
	t.Helper()
	toks, err := s.ListTokens(t.Context(), q)
	if err != nil {
		t.Fatalf("ListTokens(%+v) = %v", q, err)
	}
	return toks
}
