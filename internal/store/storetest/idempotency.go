package storetest

import (
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

func testRecordRoundTrip(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name   string
		change func(rec *store.Idempotency)
	}{
		{"as a server writes it", func(*store.Idempotency) {}},
		{"binary response", func(rec *store.Idempotency) { rec.Response = []byte{0, 1, 0xfe, 0xff, '{', 0} }},
		{"empty response and request hash", func(rec *store.Idempotency) { rec.Response, rec.RequestHash = nil, nil }},
		{"non-ASCII client token", func(rec *store.Idempotency) { rec.ClientToken = "clé-🔑-ключ" }},
		{"times in another zone", func(rec *store.Idempotency) {
			zone := time.FixedZone("PDT", -7*3600)
			rec.CreatedAt = time.Date(2026, time.March, 14, 8, 9, 26, 1999, zone)
			rec.ExpiresAt = rec.CreatedAt.Add(10*time.Minute + 999*time.Nanosecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tok := newToken(accountA, "tkn-1")
			rec := newRecord(tok)
			tt.change(&rec)
			got, err := s.CreateToken(t.Context(), tok, rec)
			if err != nil {
				t.Fatalf("CreateToken = %v", err)
			}
			want := storedRecord(rec)
			diff(t, "CreateToken record", got, want, recordOpts)
			read, err := s.Idempotency(t.Context(), rec.AccountID, rec.Operation, rec.ClientToken, rec.CreatedAt)
			if err != nil {
				t.Fatalf("Idempotency = %v", err)
			}
			diff(t, "Idempotency", read, want, recordOpts)
		})
	}
}

func testLiveRecordWins(t *testing.T, newStore func(t *testing.T) store.Store) {
	window := 10 * time.Minute
	tests := []struct {
		name  string
		after time.Duration // from the first request to the retry
	}{
		{"retry at the same instant", 0},
		{"retry a minute later", time.Minute},
		{"retry a microsecond before expiry", window - time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			first := newToken(accountA, "tkn-first")
			firstRec := create(t, s, first)

			retry := newToken(accountA, "tkn-retry")
			retry.Hash = sum("retry jwt")
			retry.CreatedAt = first.CreatedAt.Add(tt.after)
			rec := newRecord(retry)
			rec.ClientToken = firstRec.ClientToken
			got, err := s.CreateToken(t.Context(), retry, rec)
			wantErr(t, "CreateToken(retry)", err, store.ErrAlreadyExists)
			diff(t, "CreateToken(retry) record", got, storedRecord(newRecord(first)), recordOpts)

			_, err = s.Token(t.Context(), accountA, retry.ID)
			wantErr(t, "Token(retry)", err, store.ErrNotFound)
			_, err = s.TokenByHash(t.Context(), retry.Hash)
			wantErr(t, "TokenByHash(retry)", err, store.ErrNotFound)
			diff(t, "ListTokens", ids(mustList(t, s, store.TokenQuery{AccountID: accountA})), []string{first.ID})
			read, err := s.Idempotency(t.Context(), accountA, opCreate, rec.ClientToken, rec.CreatedAt)
			if err != nil {
				t.Fatalf("Idempotency = %v", err)
			}
			diff(t, "Idempotency after retry", read, firstRec, recordOpts)
		})
	}
}

func testExpiredRecordReplaced(t *testing.T, newStore func(t *testing.T) store.Store) {
	window := 10 * time.Minute
	tests := []struct {
		name  string
		after time.Duration
	}{
		{"retry at expiry", window},
		{"retry ten minutes and a second later", window + time.Second},
		{"retry a year later", 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			first := newToken(accountA, "tkn-first")
			firstRec := create(t, s, first)

			again := newToken(accountA, "tkn-again")
			again.CreatedAt = first.CreatedAt.Add(tt.after)
			rec := newRecord(again)
			rec.ClientToken = firstRec.ClientToken
			got, err := s.CreateToken(t.Context(), again, rec)
			if err != nil {
				t.Fatalf("CreateToken(after expiry) = %v", err)
			}
			diff(t, "CreateToken(after expiry) record", got, storedRecord(rec), recordOpts)

			read, err := s.Idempotency(t.Context(), accountA, opCreate, rec.ClientToken, rec.CreatedAt)
			if err != nil {
				t.Fatalf("Idempotency = %v", err)
			}
			diff(t, "Idempotency", read, storedRecord(rec), recordOpts)
			diff(t, "ListTokens", ids(mustList(t, s, store.TokenQuery{AccountID: accountA})),
				[]string{again.ID, first.ID})
		})
	}
}

func testRecordLookupNow(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	tok := newToken(accountA, "tkn-1")
	rec := create(t, s, tok)

	tests := []struct {
		name        string
		account     string
		operation   string
		clientToken string
		now         time.Time
		found       bool
	}{
		{"at creation", accountA, opCreate, rec.ClientToken, rec.CreatedAt, true},
		{"before creation", accountA, opCreate, rec.ClientToken, rec.CreatedAt.Add(-time.Hour), true},
		{"a microsecond before expiry", accountA, opCreate, rec.ClientToken, rec.ExpiresAt.Add(-time.Microsecond), true},
		{"at expiry", accountA, opCreate, rec.ClientToken, rec.ExpiresAt, false},
		{"after expiry", accountA, opCreate, rec.ClientToken, rec.ExpiresAt.Add(time.Hour), false},
		{"another operation", accountA, "CreateLicense", rec.ClientToken, rec.CreatedAt, false},
		{"another client token", accountA, opCreate, rec.ClientToken + "x", rec.CreatedAt, false},
		{"another account", accountB, opCreate, rec.ClientToken, rec.CreatedAt, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Idempotency(t.Context(), tt.account, tt.operation, tt.clientToken, tt.now)
			if !tt.found {
				wantErr(t, "Idempotency", err, store.ErrNotFound)
				return
			}
			if err != nil {
				t.Fatalf("Idempotency = %v", err)
			}
			diff(t, "Idempotency", got, rec, recordOpts)
		})
	}
}

func testPurge(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	ctx := t.Context()
	if n, err := s.PurgeIdempotency(ctx, base); n != 0 || err != nil {
		t.Fatalf("PurgeIdempotency(empty store) = %d, %v, want 0, nil", n, err)
	}

	cutoff := base.Add(time.Hour)
	expiries := map[string]time.Time{
		"tkn-before": cutoff.Add(-time.Microsecond),
		"tkn-at":     cutoff,
		"tkn-after":  cutoff.Add(time.Microsecond),
	}
	recs := map[string]store.Idempotency{}
	for id, exp := range expiries {
		tok := newToken(accountA, id)
		rec := newRecord(tok)
		rec.ExpiresAt = exp
		if _, err := s.CreateToken(ctx, tok, rec); err != nil {
			t.Fatalf("CreateToken(%s) = %v", id, err)
		}
		recs[id] = rec
	}

	n, err := s.PurgeIdempotency(ctx, cutoff)
	if n != 2 || err != nil {
		t.Fatalf("PurgeIdempotency = %d, %v, want 2, nil", n, err)
	}
	// Look up at creation time, when all three were live: only a removed
	// record is missing then.
	for id, want := range map[string]bool{"tkn-before": false, "tkn-at": false, "tkn-after": true} {
		rec := recs[id]
		_, err := s.Idempotency(ctx, accountA, opCreate, rec.ClientToken, rec.CreatedAt)
		if want && err != nil {
			t.Errorf("Idempotency(%s) after purge = %v, want the record", id, err)
		}
		if !want {
			wantErr(t, "Idempotency(purged "+id+")", err, store.ErrNotFound)
		}
	}
	if n, err := s.PurgeIdempotency(ctx, cutoff); n != 0 || err != nil {
		t.Fatalf("PurgeIdempotency(again) = %d, %v, want 0, nil", n, err)
	}
	if got := mustList(t, s, store.TokenQuery{AccountID: accountA}); len(got) != 3 {
		t.Errorf("ListTokens after purge = %v, want the 3 tokens", ids(got))
	}
}
