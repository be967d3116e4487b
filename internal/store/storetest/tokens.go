package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

func testTokenRoundTrip(t *testing.T, newStore func(t *testing.T) store.Store) {
	india := time.FixedZone("IST", 5*3600+1800)
	tests := []struct {
		name   string
		change func(tok *store.Token)
	}{
		{"every field set", func(tok *store.Token) {
			tok.RoleARNs = []string{roleARN, "arn:aws:iam::111122223333:role/service-role/Other"}
			tok.Properties = []string{"a", "b", "c"}
		}},
		{"nil lists read back empty", func(tok *store.Token) { tok.RoleARNs, tok.Properties = nil, nil }},
		{"empty lists read back empty", func(tok *store.Token) { tok.RoleARNs, tok.Properties = []string{}, []string{} }},
		{"empty strings in lists", func(tok *store.Token) { tok.Properties = []string{"", "", ""} }},
		{"non-ASCII strings", func(tok *store.Token) {
			tok.ID = "tök-ñ-日本-😀"
			tok.LicenseARN = "arn:aws:license-manager::294406891311:license:l-ümlaut-ライセンス"
			tok.RoleARNs = []string{"arn:aws:iam::111122223333:role/rôle-Ω"}
			tok.Properties = []string{"ключ=значение", `quote " back \ slash`, "tab\tnew\nline"}
		}},
		{"times in another zone kept to the microsecond", func(tok *store.Token) {
			tok.CreatedAt = time.Date(2026, time.July, 1, 5, 30, 0, 999999999, india)
			tok.ExpiresAt = time.Date(2027, time.July, 1, 5, 30, 0, 1001, india)
		}},
		{"times before the epoch and far ahead", func(tok *store.Token) {
			tok.CreatedAt = time.Date(1969, time.December, 31, 23, 59, 59, 999999500, time.UTC)
			tok.ExpiresAt = time.Date(9999, time.December, 31, 23, 59, 59, 999999999, time.UTC)
		}},
		{"created deleted", func(tok *store.Token) {
			tok.Status = store.StatusDeleted
			tok.DeletedAt = base.Add(time.Hour + 7*time.Nanosecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tok := newToken(accountA, "tkn-1")
			tt.change(&tok)
			rec := newRecord(tok)
			got, err := s.CreateToken(t.Context(), tok, rec)
			if err != nil {
				t.Fatalf("CreateToken = %v", err)
			}
			diff(t, "CreateToken record", got, storedRecord(rec), recordOpts)

			want := stored(tok)
			diff(t, "Token", mustToken(t, s, tok.AccountID, tok.ID), want)
			byHash, err := s.TokenByHash(t.Context(), tok.Hash)
			if err != nil {
				t.Fatalf("TokenByHash = %v", err)
			}
			diff(t, "TokenByHash", byHash, want)
			list := mustList(t, s, store.TokenQuery{AccountID: tok.AccountID})
			diff(t, "ListTokens", list, []store.Token{want})
			if list[0].RoleARNs == nil || list[0].Properties == nil {
				t.Errorf("ListTokens lists = %#v, %#v, want non-nil", list[0].RoleARNs, list[0].Properties)
			}
		})
	}
}

func testAccountScoping(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	ctx := t.Context()
	tok := newToken(accountA, "tkn-a")
	rec := create(t, s, tok)

	_, err := s.Token(ctx, accountB, tok.ID)
	wantErr(t, "Token(other account)", err, store.ErrNotFound)
	err = s.DeleteToken(ctx, accountB, tok.ID, base)
	wantErr(t, "DeleteToken(other account)", err, store.ErrNotFound)
	if got := mustToken(t, s, accountA, tok.ID); got.Status != store.StatusAvailable {
		t.Errorf("token status after another account's delete = %s, want %s", got.Status, store.StatusAvailable)
	}
	_, err = s.Idempotency(ctx, accountB, opCreate, rec.ClientToken, base)
	wantErr(t, "Idempotency(other account)", err, store.ErrNotFound)
	for _, q := range []store.TokenQuery{
		{AccountID: accountB},
		{AccountID: accountB, IDs: []string{tok.ID}},
		{AccountID: accountB, LicenseARN: tok.LicenseARN},
		{AccountID: ""},
	} {
		if got := mustList(t, s, q); len(got) != 0 {
			t.Errorf("ListTokens(%+v) = %v, want none", q, ids(got))
		}
	}

	// The same client token in another account is another request.
	other := newToken(accountB, "tkn-b")
	otherRec := newRecord(other)
	otherRec.ClientToken = rec.ClientToken
	if _, err := s.CreateToken(ctx, other, otherRec); err != nil {
		t.Fatalf("CreateToken(other account, same client token) = %v", err)
	}
	diff(t, "ListTokens(A)", ids(mustList(t, s, store.TokenQuery{AccountID: accountA})), []string{tok.ID})
	diff(t, "ListTokens(B)", ids(mustList(t, s, store.TokenQuery{AccountID: accountB})), []string{other.ID})
}

func testDuplicateID(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name    string
		account string
	}{
		{"same account", accountA},
		{"another account", accountB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			first := newToken(accountA, "tkn-dup")
			create(t, s, first)

			dup := newToken(tt.account, first.ID)
			dup.Hash = sum("another jwt")
			dup.LicenseARN = licenseB
			rec := newRecord(dup)
			rec.ClientToken = "ct-other"
			got, err := s.CreateToken(t.Context(), dup, rec)
			wantErr(t, "CreateToken(duplicate id)", err, store.ErrAlreadyExists)
			diff(t, "CreateToken(duplicate id) record", got, store.Idempotency{})

			_, err = s.Idempotency(t.Context(), tt.account, opCreate, rec.ClientToken, base)
			wantErr(t, "Idempotency(duplicate's client token)", err, store.ErrNotFound)
			_, err = s.TokenByHash(t.Context(), dup.Hash)
			wantErr(t, "TokenByHash(duplicate's hash)", err, store.ErrNotFound)
			diff(t, "Token", mustToken(t, s, accountA, first.ID), stored(first))
		})
	}
}

func testDuplicateHash(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	first := newToken(accountA, "tkn-1")
	create(t, s, first)

	dup := newToken(accountA, "tkn-2")
	dup.Hash = first.Hash
	got, err := s.CreateToken(t.Context(), dup, newRecord(dup))
	wantErr(t, "CreateToken(duplicate hash)", err, store.ErrAlreadyExists)
	diff(t, "CreateToken(duplicate hash) record", got, store.Idempotency{})
	_, err = s.Token(t.Context(), accountA, dup.ID)
	wantErr(t, "Token(duplicate)", err, store.ErrNotFound)
	_, err = s.Idempotency(t.Context(), accountA, opCreate, newRecord(dup).ClientToken, base)
	wantErr(t, "Idempotency(duplicate)", err, store.ErrNotFound)
}

func testInvalidInput(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name   string
		change func(tok *store.Token, rec *store.Idempotency)
		field  string // a word the error must contain
	}{
		{"empty token id", func(tok *store.Token, _ *store.Idempotency) { tok.ID = "" }, "id"},
		{"empty account id", func(tok *store.Token, rec *store.Idempotency) { tok.AccountID, rec.AccountID = "", "" }, "account"},
		{"unknown status", func(tok *store.Token, _ *store.Idempotency) { tok.Status = "ACTIVE" }, "status"},
		{"empty status", func(tok *store.Token, _ *store.Idempotency) { tok.Status = "" }, "status"},
		{"deleted without time", func(tok *store.Token, _ *store.Idempotency) { tok.Status = store.StatusDeleted }, "deletion"},
		{"available with deletion time", func(tok *store.Token, _ *store.Idempotency) { tok.DeletedAt = base }, "deletion"},
		{"empty hash", func(tok *store.Token, _ *store.Idempotency) { tok.Hash = nil }, "hash"},
		{"record of another account", func(_ *store.Token, rec *store.Idempotency) { rec.AccountID = accountB }, "account"},
		{"empty operation", func(_ *store.Token, rec *store.Idempotency) { rec.Operation = "" }, "operation"},
		{"empty client token", func(_ *store.Token, rec *store.Idempotency) { rec.ClientToken = "" }, "client token"},
		{"invalid UTF-8 license arn", func(tok *store.Token, _ *store.Idempotency) { tok.LicenseARN = "arn:\xff" }, "license arn"},
		{"NUL in a role arn", func(tok *store.Token, _ *store.Idempotency) { tok.RoleARNs = []string{"a", "b\x00"} }, "role arn 2"},
		{"invalid UTF-8 property", func(tok *store.Token, _ *store.Idempotency) { tok.Properties = []string{"\xc3"} }, "property 1"},
		{"invalid UTF-8 client token", func(_ *store.Token, rec *store.Idempotency) { rec.ClientToken = "\xe2\x82" }, "client token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tok := newToken(accountA, "tkn-1")
			rec := newRecord(tok)
			tt.change(&tok, &rec)
			_, err := s.CreateToken(t.Context(), tok, rec)
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("CreateToken = %v, want an error naming %q", err, tt.field)
			}
			for _, a := range []string{accountA, accountB, ""} {
				if got := mustList(t, s, store.TokenQuery{AccountID: a}); len(got) != 0 {
					t.Errorf("ListTokens(%q) after refused create = %v, want none", a, ids(got))
				}
				_, err := s.Idempotency(t.Context(), a, rec.Operation, rec.ClientToken, base)
				wantErr(t, "Idempotency after refused create", err, store.ErrNotFound)
			}
		})
	}

	t.Run("negative limit", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		_, err := s.ListTokens(t.Context(), store.TokenQuery{AccountID: accountA, Limit: -1})
		if err == nil || !strings.Contains(err.Error(), "limit") {
			t.Errorf("ListTokens(Limit: -1) = %v, want an error naming the limit", err)
		}
	})
	t.Run("delete at the zero time", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		tok := newToken(accountA, "tkn-1")
		create(t, s, tok)
		if err := s.DeleteToken(t.Context(), accountA, tok.ID, time.Time{}); err == nil {
			t.Fatal("DeleteToken(zero time) = nil, want an error")
		}
		diff(t, "Token", mustToken(t, s, accountA, tok.ID), stored(tok))
	})
}

func testDeleteToken(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	ctx := t.Context()
	tok := newToken(accountA, "tkn-del")
	create(t, s, tok)
	keep := newToken(accountA, "tkn-keep")
	create(t, s, keep)

	first := base.Add(time.Hour + 123456789*time.Nanosecond)
	if err := s.DeleteToken(ctx, accountA, tok.ID, first); err != nil {
		t.Fatalf("DeleteToken = %v", err)
	}
	want := stored(tok)
	want.Status = store.StatusDeleted
	want.DeletedAt = storedTime(first)
	diff(t, "Token after delete", mustToken(t, s, accountA, tok.ID), want)

	if err := s.DeleteToken(ctx, accountA, tok.ID, first.Add(time.Hour)); err != nil {
		t.Fatalf("DeleteToken(again) = %v", err)
	}
	diff(t, "Token after second delete", mustToken(t, s, accountA, tok.ID), want)

	// Deleted tokens stay listed and findable, with their status.
	diff(t, "ListTokens", mustList(t, s, store.TokenQuery{AccountID: accountA}),
		[]store.Token{want, stored(keep)})
	byHash, err := s.TokenByHash(ctx, tok.Hash)
	if err != nil {
		t.Fatalf("TokenByHash(deleted) = %v", err)
	}
	diff(t, "TokenByHash(deleted)", byHash, want)

	err = s.DeleteToken(ctx, accountA, "tkn-unknown", first)
	wantErr(t, "DeleteToken(unknown id)", err, store.ErrNotFound)
	err = s.DeleteToken(ctx, accountB, keep.ID, first)
	wantErr(t, "DeleteToken(other account)", err, store.ErrNotFound)
	diff(t, "untouched Token", mustToken(t, s, accountA, keep.ID), stored(keep))
}

func testTokenByHash(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	a := newToken(accountA, "tkn-a")
	b := newToken(accountB, "tkn-b")
	create(t, s, a)
	create(t, s, b)

	for _, tok := range []store.Token{a, b} {
		got, err := s.TokenByHash(t.Context(), tok.Hash)
		if err != nil {
			t.Fatalf("TokenByHash(%s) = %v", tok.ID, err)
		}
		diff(t, "TokenByHash", got, stored(tok))
	}
	for _, h := range [][]byte{sum("unknown"), nil, {}, a.Hash[:31]} {
		_, err := s.TokenByHash(t.Context(), h)
		wantErr(t, "TokenByHash(unknown)", err, store.ErrNotFound)
	}
}
