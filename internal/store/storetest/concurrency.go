package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/license-manager/license-manager/internal/store"
)

// testConcurrentSameClientToken is a client retrying one CreateToken from
// many connections at once: one request wins, the others get its record.
func testConcurrentSameClientToken(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	const n = 50
	type result struct {
		id  string
		rec store.Idempotency
		err error
	}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tok := newToken(accountA, fmt.Sprintf("tkn-race-%02d", i))
			rec := newRecord(tok)
			rec.ClientToken = "ct-race"
			<-start
			got, err := s.CreateToken(t.Context(), tok, rec)
			results[i] = result{tok.ID, got, err}
		})
	}
	close(start)
	wg.Wait()

	var winner *result
	for i, r := range results {
		switch {
		case r.err == nil:
			if winner != nil {
				t.Fatalf("CreateToken succeeded for both %s and %s", winner.id, r.id)
			}
			winner = &results[i]
		case !errors.Is(r.err, store.ErrAlreadyExists):
			t.Fatalf("CreateToken(%s) = %v, want nil or %v", r.id, r.err, store.ErrAlreadyExists)
		}
	}
	if winner == nil {
		t.Fatal("no CreateToken succeeded")
	}
	if winner.rec.ResourceID != winner.id {
		t.Fatalf("winner %s got the record of %s", winner.id, winner.rec.ResourceID)
	}
	for _, r := range results {
		diff(t, "CreateToken("+r.id+") record", r.rec, winner.rec, recordOpts)
	}
	diff(t, "ListTokens", ids(mustList(t, s, store.TokenQuery{AccountID: accountA})), []string{winner.id})
}

// testConcurrentDistinctCreates creates 1000 tokens from 8 goroutines.
func testConcurrentDistinctCreates(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	const workers, each = 8, 125
	var wg sync.WaitGroup
	var want []string
	for w := range workers {
		for i := range each {
			want = append(want, fmt.Sprintf("tkn-%d-%03d", w, i))
		}
		wg.Go(func() {
			for i := range each {
				tok := newToken(accountA, fmt.Sprintf("tkn-%d-%03d", w, i))
				if _, err := s.CreateToken(t.Context(), tok, newRecord(tok)); err != nil {
					t.Errorf("CreateToken(%s) = %v", tok.ID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	slices.Sort(want)
	got := mustList(t, s, store.TokenQuery{AccountID: accountA})
	diff(t, "ListTokens", ids(got), want)
	for _, tok := range got {
		diff(t, "token "+tok.ID, tok, stored(newToken(accountA, tok.ID)))
	}
}

// testCancelledContext calls every method with a cancelled context.
func testCancelledContext(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	existing := newToken(accountA, "tkn-existing")
	existingRec := create(t, s, existing)
	fresh := newToken(accountA, "tkn-fresh")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"CreateToken", func() error {
			_, err := s.CreateToken(ctx, fresh, newRecord(fresh))
			return err
		}},
		{"Idempotency", func() error {
			_, err := s.Idempotency(ctx, accountA, opCreate, existingRec.ClientToken, base)
			return err
		}},
		{"Token", func() error {
			_, err := s.Token(ctx, accountA, existing.ID)
			return err
		}},
		{"TokenByHash", func() error {
			_, err := s.TokenByHash(ctx, existing.Hash)
			return err
		}},
		{"ListTokens", func() error {
			_, err := s.ListTokens(ctx, store.TokenQuery{AccountID: accountA})
			return err
		}},
		{"DeleteToken", func() error { return s.DeleteToken(ctx, accountA, existing.ID, base) }},
		{"PurgeIdempotency", func() error {
			_, err := s.PurgeIdempotency(ctx, existingRec.ExpiresAt)
			return err
		}},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s(cancelled) = %v, want %v", c.name, err, context.Canceled)
		}
	}

	// Nothing the cancelled calls would have written is there.
	_, err := s.Token(t.Context(), accountA, fresh.ID)
	wantErr(t, "Token(fresh)", err, store.ErrNotFound)
	diff(t, "Token(existing)", mustToken(t, s, accountA, existing.ID), stored(existing))
	got, err := s.Idempotency(t.Context(), accountA, opCreate, existingRec.ClientToken, base)
	if err != nil {
		t.Fatalf("Idempotency(existing) = %v", err)
	}
	diff(t, "Idempotency(existing)", got, existingRec, recordOpts)
}
