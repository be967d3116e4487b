package token_test

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
	"github.com/license-manager/license-manager/internal/testclock"
	"github.com/license-manager/license-manager/internal/token"
)

const (
	account = "123456789012"
	lic     = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	lic2    = "arn:aws:license-manager::123456789012:license:l-fedcba9876543210fedcba9876543210"
	role1   = "arn:aws:iam::123456789012:role/LicenseConsumer"
)

type fixture struct {
	svc   *token.Service
	store store.Store
	keys  *token.KeySet
	clock *testclock.Clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	keys, err := token.LoadKeySet(filepath.Join(dir, token.KeyFile), token.ES256)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := seal.Load(filepath.Join(dir, "sealing-key"))
	if err != nil {
		t.Fatal(err)
	}
	c := testclock.New(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	return &fixture{
		svc: &token.Service{
			Store: st, Keys: keys, Issuer: "http://127.0.0.1:8080", Now: c.Now, Sealer: sealer,
		},
		store: st, keys: keys, clock: c,
	}
}

func request(ct string) token.CreateRequest {
	return token.CreateRequest{
		AccountID: account, LicenseARN: lic, RoleARNs: []string{role1},
		Properties: []string{"env=prod"}, ExpirationInDays: 30, ClientToken: ct,
	}
}

func TestCreateClaims(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issued, err := f.svc.Create(t.Context(), request("ct-1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(issued.ID) != 32 || len(issued.Token) > token.MaxTokenLength {
		t.Errorf("issued = %+v", issued)
	}
	claims, err := f.keys.Verify(issued.Token, token.UseRefresh, f.clock.Now())
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	now := f.clock.Now().Unix()
	want := &token.Claims{
		Issuer: "http://127.0.0.1:8080", Subject: account, Audience: lic,
		AMR:      []string{"env=prod", "aws:license-manager:token-issuer-account-id:123456789012"},
		RoleARNs: []string{role1}, TokenUse: token.UseRefresh,
		IssuedAt: now, NotBefore: now, Expiry: now + 30*86400, ID: issued.ID,
	}
	if diff := cmp.Diff(want, claims); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}

	hdr := decodeSegment(t, issued.Token, 0)
	kid := f.keys.Active(token.ES256).KeyID()
	if diff := cmp.Diff(map[string]any{"alg": "ES256", "kid": kid, "typ": "JWT"}, hdr); diff != "" {
		t.Errorf("header mismatch (-want +got):\n%s", diff)
	}
	// The kid is the RFC 7638 thumbprint of the published key.
	jwks := f.keys.JWKS()
	tp, err := jwks.Keys[0].Thumbprint(crypto.SHA256)
	if err != nil || base64.RawURLEncoding.EncodeToString(tp) != kid {
		t.Errorf("kid %s is not the thumbprint of the published key", kid)
	}
	if strings.ContainsAny(issued.Token, "=+/") {
		t.Errorf("token %q is not unpadded base64url", issued.Token)
	}

	rec, err := f.store.Token(t.Context(), account, issued.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != store.StatusAvailable || rec.LicenseARN != lic || !rec.ExpiresAt.Equal(time.Unix(now+30*86400, 0)) {
		t.Errorf("stored token = %+v", rec)
	}
}

func decodeSegment(t *testing.T, compact string, i int) map[string]any {
	t.Helper()
	seg, err := base64.RawURLEncoding.DecodeString(strings.Split(compact, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(seg, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCreateNonASCIIProperties(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := request("ct-br07")
	req.Properties = []string{"équipe-α", "東京", "🔑"}
	issued, err := f.svc.Create(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.keys.Verify(issued.Token, token.UseRefresh, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(req.Properties, c.Properties()); diff != "" {
		t.Errorf("properties mismatch (-want +got):\n%s", diff)
	}
}

// BR-15: replay, parameter mismatch, the 10-minute window and scoping.
func TestCreateIdempotency(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	first, err := f.svc.Create(ctx, request("ct-br15"))
	if err != nil {
		t.Fatal(err)
	}

	f.clock.Add(token.IdempotencyWindow - time.Second)
	again, err := f.svc.Create(ctx, request("ct-br15"))
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("replay within the window = %+v, want byte-identical %+v", again, first)
	}

	other := request("ct-br15")
	other.ExpirationInDays = 60
	if _, err := f.svc.Create(ctx, other); !errors.Is(err, token.ErrClientTokenReused) {
		t.Errorf("other expiration: err = %v, want ErrClientTokenReused", err)
	}
	other = request("ct-br15")
	other.LicenseARN = lic2
	if _, err := f.svc.Create(ctx, other); !errors.Is(err, token.ErrClientTokenReused) {
		t.Errorf("other license: err = %v, want ErrClientTokenReused", err)
	}

	otherAccount := request("ct-br15")
	otherAccount.AccountID = "210987654321"
	scoped, err := f.svc.Create(ctx, otherAccount)
	if err != nil || scoped.ID == first.ID {
		t.Errorf("another account's client token = %+v, %v; want a new token", scoped, err)
	}

	f.clock.Add(time.Second) // exactly the window: the client token is free
	fresh, err := f.svc.Create(ctx, request("ct-br15"))
	if err != nil {
		t.Fatal(err)
	}
	if fresh.ID == first.ID {
		t.Errorf("after the window got the same token %s", fresh.ID)
	}
	toks, err := f.store.ListTokens(ctx, store.TokenQuery{AccountID: account})
	if err != nil || len(toks) != 2 {
		t.Errorf("ListTokens = %d tokens, %v; want 2", len(toks), err)
	}
}

// Admit decides whether a new token may be issued; a replay of one already
// issued does not ask it again.
func TestCreateAdmit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	refused := errors.New("license gone")
	calls := 0
	req := request("ct-admit")
	req.Admit = func(context.Context) error { calls++; return nil }
	first, err := f.svc.Create(t.Context(), req)
	if err != nil || calls != 1 {
		t.Fatalf("Create = %+v, %v after %d Admit calls; want a token after 1", first, err, calls)
	}
	req.Admit = func(context.Context) error { calls++; return refused }
	again, err := f.svc.Create(t.Context(), req)
	if err != nil || again != first || calls != 1 {
		t.Errorf("replay = %+v, %v after %d Admit calls; want %+v without a call", again, err, calls, first)
	}
	other := request("ct-admit-2")
	other.Admit = req.Admit
	if _, err := f.svc.Create(t.Context(), other); !errors.Is(err, refused) {
		t.Errorf("refused Create: err = %v, want %v", err, refused)
	}
	toks, err := f.store.ListTokens(t.Context(), store.TokenQuery{AccountID: account})
	if err != nil || len(toks) != 1 {
		t.Errorf("ListTokens = %d tokens, %v; want 1", len(toks), err)
	}
}

func TestCreateConcurrentIdentical(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 50
	ids := make([]string, n)
	tokens := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			issued, err := f.svc.Create(t.Context(), request("ct-race"))
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], tokens[i] = issued.ID, issued.Token
		})
	}
	wg.Wait()
	for i := range n {
		if ids[i] != ids[0] || tokens[i] != tokens[0] {
			t.Fatalf("call %d got %s, call 0 got %s", i, ids[i], ids[0])
		}
	}
	toks, err := f.store.ListTokens(t.Context(), store.TokenQuery{AccountID: account})
	if err != nil || len(toks) != 1 {
		t.Errorf("ListTokens = %d tokens, %v; want 1", len(toks), err)
	}
}

func TestCreateTooLarge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := request("ct-big")
	req.Properties = []string{strings.Repeat("p", 1500), strings.Repeat("q", 1500), "r"}
	if _, err := f.svc.Create(t.Context(), req); !errors.Is(err, token.ErrTokenTooLarge) {
		t.Fatalf("err = %v, want ErrTokenTooLarge", err)
	}
	toks, _ := f.store.ListTokens(t.Context(), store.TokenQuery{AccountID: account})
	if len(toks) != 0 {
		t.Errorf("a refused request stored %d tokens", len(toks))
	}
	if _, err := f.store.Idempotency(t.Context(), account, "CreateToken", "ct-big", f.clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused request left an idempotency record: %v", err)
	}
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys", token.KeyFile)
	var wg sync.WaitGroup
	kids := make([]string, 8)
	for i := range kids {
		wg.Go(func() {
			ks, err := token.LoadKeySet(path, token.ES256)
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = ks.Active(token.ES256).KeyID()
		})
	}
	wg.Wait()
	for i := range kids {
		if kids[i] != kids[0] {
			t.Fatalf("concurrent loads disagree: %s vs %s", kids[i], kids[0])
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	// Adding an algorithm keeps the existing key.
	ks, err := token.LoadKeySet(path, token.ES256, token.PS384)
	if err != nil {
		t.Fatal(err)
	}
	if ks.Active(token.ES256).KeyID() != kids[0] || ks.Active(token.PS384) == nil {
		t.Errorf("after adding PS384: ES256 %s (want %s), PS384 %v", ks.Active(token.ES256).KeyID(), kids[0], ks.Active(token.PS384))
	}
	data, _ := os.ReadFile(path)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil || len(set.Keys) != 2 {
		t.Errorf("key file holds %d keys, %v", len(set.Keys), err)
	}
	for _, k := range ks.JWKS().Keys {
		if !k.IsPublic() {
			t.Errorf("JWKS publishes private key %s", k.KeyID)
		}
	}
}

// BenchmarkCreate measures CreateToken in process: validation aside, it is
// signing plus one store transaction on a real SQLite file.
func BenchmarkCreate(b *testing.B) {
	dir := b.TempDir()
	keys, err := token.LoadKeySet(filepath.Join(dir, token.KeyFile), token.ES256)
	if err != nil {
		b.Fatal(err)
	}
	st, err := sqlite.Open(b.Context(), filepath.Join(dir, "db.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := &token.Service{Store: st, Keys: keys, Issuer: "http://127.0.0.1:8080", Now: time.Now}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := svc.Create(b.Context(), request(fmt.Sprintf("bench-%d", i))); err != nil {
			b.Fatal(err)
		}
	}
}
