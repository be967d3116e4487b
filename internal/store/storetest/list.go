package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/license-manager/license-manager/internal/store"
)

// listFixture stores tokens tkn-01 … tkn-10 of account A, in scrambled
// order, odd numbers on license A and even on license B, tkn-02 deleted,
// and two tokens of account B whose ids fall between A's.
func listFixture(t *testing.T, s store.Store) {
	t.Helper()
	for _, n := range []int{7, 2, 9, 10, 1, 4, 3, 8, 6, 5} {
		tok := newToken(accountA, fmt.Sprintf("tkn-%02d", n))
		if n%2 == 0 {
			tok.LicenseARN = licenseB
		}
		create(t, s, tok)
	}
	if err := s.DeleteToken(t.Context(), accountA, "tkn-02", base); err != nil {
		t.Fatalf("DeleteToken = %v", err)
	}
	for _, id := range []string{"tkn-035", "tkn-11"} {
		create(t, s, newToken(accountB, id))
	}
}

func testListTokens(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	listFixture(t, s)
	all := []string{"tkn-01", "tkn-02", "tkn-03", "tkn-04", "tkn-05", "tkn-06", "tkn-07", "tkn-08", "tkn-09", "tkn-10"}

	tests := []struct {
		name string
		q    store.TokenQuery
		want []string
	}{
		{"every token of the account in id order", store.TokenQuery{AccountID: accountA}, all},
		{"the other account's tokens", store.TokenQuery{AccountID: accountB}, []string{"tkn-035", "tkn-11"}},
		{"unknown account", store.TokenQuery{AccountID: "999999999999"}, []string{}},
		{"after an existing id", store.TokenQuery{AccountID: accountA, AfterID: "tkn-04"}, all[4:]},
		{"after an id between ids", store.TokenQuery{AccountID: accountA, AfterID: "tkn-045"}, all[4:]},
		{"after an id before all", store.TokenQuery{AccountID: accountA, AfterID: "a"}, all},
		{"after the last id", store.TokenQuery{AccountID: accountA, AfterID: "tkn-10"}, []string{}},
		{"limit", store.TokenQuery{AccountID: accountA, Limit: 3}, all[:3]},
		{"limit of one", store.TokenQuery{AccountID: accountA, Limit: 1}, all[:1]},
		{"limit past the end", store.TokenQuery{AccountID: accountA, Limit: 50}, all},
		{"after and limit", store.TokenQuery{AccountID: accountA, AfterID: "tkn-08", Limit: 5}, all[8:]},
		{"ids", store.TokenQuery{AccountID: accountA, IDs: []string{"tkn-07", "tkn-03", "tkn-01"}}, []string{"tkn-01", "tkn-03", "tkn-07"}},
		{"ids with unknown and other account's ids", store.TokenQuery{AccountID: accountA, IDs: []string{"tkn-03", "nope", "tkn-035", "tkn-11"}}, []string{"tkn-03"}},
		{"repeated ids listed once", store.TokenQuery{AccountID: accountA, IDs: []string{"tkn-03", "tkn-03"}}, []string{"tkn-03"}},
		{"deleted id", store.TokenQuery{AccountID: accountA, IDs: []string{"tkn-02"}}, []string{"tkn-02"}},
		{"only unknown ids", store.TokenQuery{AccountID: accountA, IDs: []string{"nope"}}, []string{}},
		{"license", store.TokenQuery{AccountID: accountA, LicenseARN: licenseA}, []string{"tkn-01", "tkn-03", "tkn-05", "tkn-07", "tkn-09"}},
		{"unknown license", store.TokenQuery{AccountID: accountA, LicenseARN: licenseA + "0"}, []string{}},
		{"license, ids, after and limit", store.TokenQuery{
			AccountID: accountA, LicenseARN: licenseA, IDs: []string{"tkn-01", "tkn-02", "tkn-03", "tkn-05", "tkn-07"},
			AfterID: "tkn-01", Limit: 2,
		}, []string{"tkn-03", "tkn-05"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diff(t, fmt.Sprintf("ListTokens(%+v)", tt.q), ids(mustList(t, s, tt.q)), tt.want)
		})
	}

	t.Run("records are complete", func(t *testing.T) {
		t.Parallel()
		got := mustList(t, s, store.TokenQuery{AccountID: accountA, IDs: []string{"tkn-02", "tkn-03"}})
		deleted := newToken(accountA, "tkn-02")
		deleted.LicenseARN = licenseB
		deleted.Status = store.StatusDeleted
		deleted.DeletedAt = base
		diff(t, "ListTokens", got, []store.Token{stored(deleted), stored(newToken(accountA, "tkn-03"))})
	})
}

func testListPaging(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	listFixture(t, s)
	for _, limit := range []int{1, 3, 5, 10, 11} {
		t.Run(fmt.Sprintf("pages of %d", limit), func(t *testing.T) {
			t.Parallel()
			got := []string{}
			q := store.TokenQuery{AccountID: accountA, Limit: limit}
			for range 20 {
				page := mustList(t, s, q)
				if len(page) > limit {
					t.Fatalf("ListTokens(%+v) returned %d tokens", q, len(page))
				}
				got = append(got, ids(page)...)
				if len(page) < limit {
					break
				}
				q.AfterID = page[len(page)-1].ID
			}
			want := []string{"tkn-01", "tkn-02", "tkn-03", "tkn-04", "tkn-05", "tkn-06", "tkn-07", "tkn-08", "tkn-09", "tkn-10"}
			diff(t, "paged ids", got, want)
		})
	}
}

// testListConcurrentWrites pages through an account while other goroutines
// create tokens between the listed ids and delete listed tokens: a page
// walk must never repeat an id or skip one that existed throughout.
func testListConcurrentWrites(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	ctx := t.Context()
	const n = 240
	var stable []string
	for i := 0; i < n; i += 2 {
		tok := newToken(accountA, fmt.Sprintf("tkn-%04d", i))
		create(t, s, tok)
		stable = append(stable, tok.ID)
	}

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // inserts odd ids, from both ends towards the middle
		for lo, hi := 1, n-1; lo < hi; lo, hi = lo+2, hi-2 {
			for _, i := range []int{hi, lo} {
				select {
				case <-done:
					return
				default:
				}
				tok := newToken(accountA, fmt.Sprintf("tkn-%04d", i))
				if _, err := s.CreateToken(ctx, tok, newRecord(tok)); err != nil {
					t.Errorf("CreateToken(%s) = %v", tok.ID, err)
					return
				}
			}
		}
	})
	wg.Go(func() { // deletes stable tokens, last first
		for i := len(stable) - 1; i >= 0; i -= 3 {
			select {
			case <-done:
				return
			default:
			}
			if err := s.DeleteToken(ctx, accountA, stable[i], base); err != nil {
				t.Errorf("DeleteToken(%s) = %v", stable[i], err)
				return
			}
		}
	})

	for pass := range 3 {
		var got []string
		q := store.TokenQuery{AccountID: accountA, Limit: 7}
		for {
			page := mustList(t, s, q)
			got = append(got, ids(page)...)
			if len(page) < q.Limit {
				break
			}
			q.AfterID = page[len(page)-1].ID
		}
		for i := 1; i < len(got); i++ {
			if got[i] <= got[i-1] {
				t.Fatalf("pass %d: id %s listed after %s", pass, got[i], got[i-1])
			}
		}
		for _, id := range stable {
			if _, ok := slices.BinarySearch(got, id); !ok {
				t.Fatalf("pass %d: token %s, stored throughout, was not listed", pass, id)
			}
		}
	}
	close(done)
	wg.Wait()
}
