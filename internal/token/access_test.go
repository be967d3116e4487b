package token_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/token"
)

// create issues a refresh token with req, failing the test on error.
func (f *fixture) create(t *testing.T, req token.CreateRequest) token.Issued {
	t.Helper()
	issued, err := f.svc.Create(t.Context(), req)
	if err != nil {
		t.Fatalf("Create(%+v) = %v", req, err)
	}
	return issued
}

func TestGetAccessTokenClaims(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issued := f.create(t, request("ct-access"))
	f.clock.Add(90 * time.Minute)

	at, err := f.svc.GetAccessToken(t.Context(), issued.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(at.Token) > token.MaxTokenLength {
		t.Errorf("access token has %d characters, over %d", len(at.Token), token.MaxTokenLength)
	}
	got, err := f.keys.Verify(at.Token, token.UseAccess, f.clock.Now())
	if err != nil {
		t.Fatalf("Verify(access token) = %v", err)
	}
	now := f.clock.Now().Unix()
	want := &token.Claims{
		Issuer: "http://127.0.0.1:8080", Subject: account, Audience: lic,
		AMR:      []string{"env=prod", "aws:license-manager:token-issuer-account-id:123456789012"},
		RoleARNs: []string{role1}, TokenUse: token.UseAccess,
		IssuedAt: now, NotBefore: now, Expiry: now + 3600, ID: got.ID,
		RefreshTokenID: issued.ID,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("access token claims (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, at.Claims); diff != "" {
		t.Errorf("returned claims (-want +got):\n%s", diff)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got.ID) || got.ID == issued.ID {
		t.Errorf("jti = %q, want 32 new hexadecimal digits (refresh token %s)", got.ID, issued.ID)
	}
	hdr := decodeSegment(t, at.Token, 0)
	if diff := cmp.Diff(map[string]any{"alg": "ES256", "kid": f.keys.Active(token.ES256).KeyID(), "typ": "JWT"}, hdr); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	// Each call makes a new token: nothing is stored, nothing replayed.
	again, err := f.svc.GetAccessToken(t.Context(), issued.Token, nil)
	if err != nil || again.Claims.ID == got.ID {
		t.Errorf("second GetAccessToken = %v, jti %v; want a new jti", err, again.Claims)
	}
}

// An access token never outlives its refresh token.
func TestGetAccessTokenExpiresWithRefreshToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := request("ct-short")
	req.ExpirationInDays = 1
	issued := f.create(t, req)
	exp := f.clock.Now().Add(24 * time.Hour).Unix()
	f.clock.Add(24*time.Hour - 10*time.Minute)
	at, err := f.svc.GetAccessToken(t.Context(), issued.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	if at.Claims.Expiry != exp {
		t.Errorf("access token exp = %d, want the refresh token's %d", at.Claims.Expiry, exp)
	}
}

// BR-26: one leeway of 60 seconds on every time claim; past it the refresh
// token is expired (or not yet valid).
func TestGetAccessTokenTimeEdges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := request("ct-edges")
	req.ExpirationInDays = 1
	issued := f.create(t, req)
	start := f.clock.Now()
	tests := []struct {
		name string
		at   time.Duration // from issue
		want error
	}{
		{"at issue", 0, nil},
		{"leeway before issue", -token.Leeway, nil},
		{"a second more before issue", -token.Leeway - time.Second, token.ErrNotYetValid},
		{"at expiry", 24 * time.Hour, nil},
		{"leeway after expiry", 24*time.Hour + token.Leeway, nil},
		{"a second past the leeway", 24*time.Hour + token.Leeway + time.Second, token.ErrExpired},
		{"a day past expiry", 48 * time.Hour, token.ErrExpired},
	}
	for _, tt := range tests {
		f.clock.Set(start.Add(tt.at))
		_, err := f.svc.GetAccessToken(t.Context(), issued.Token, nil)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: GetAccessToken = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// BR-07 and the TokenProperties rule: each property given must be one of
// the token's, compared code point for code point; none need be given.
func TestGetAccessTokenProperties(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := request("ct-props")
	req.Properties = []string{"équipe-α", "東京", "🔑"}
	issued := f.create(t, req)
	tests := []struct {
		name  string
		props []string
		ok    bool
	}{
		{"none", nil, true},
		{"an empty list", []string{}, true},
		{"all, in order", []string{"équipe-α", "東京", "🔑"}, true},
		{"a subset, reordered", []string{"🔑", "équipe-α"}, true},
		{"one twice", []string{"東京", "東京"}, true},
		{"one the token lacks", []string{"équipe-α", "admin"}, false},
		{"another case", []string{"ÉQUIPE-Α"}, false},
		{"decomposed é", []string{"e\u0301quipe-α"}, false},
		{"the issuer-account entry", []string{token.IssuerAccountPrefix + account}, false},
		{"an empty string", []string{""}, false},
	}
	for _, tt := range tests {
		at, err := f.svc.GetAccessToken(t.Context(), issued.Token, tt.props)
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s: GetAccessToken = %v, want an access token", tt.name, err)
		case tt.ok:
			if diff := cmp.Diff(req.Properties, at.Claims.Properties()); diff != "" {
				t.Errorf("%s: access token properties (-want +got):\n%s", tt.name, diff)
			}
		case !errors.Is(err, token.ErrPropertiesMismatch):
			t.Errorf("%s: GetAccessToken = %v, want ErrPropertiesMismatch", tt.name, err)
		}
	}
}

// BR-22 and the other forgeries: each is refused with the check that
// failed, before anything is issued.
func TestGetAccessTokenRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issued := f.create(t, request("ct-forge"))
	parts := strings.Split(issued.Token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := b64(strings.Replace(string(payload), `"env=prod"`, `"admin"`, 1))
	kid := f.keys.Active(token.ES256).KeyID()

	// Another installation: its own keys and store.
	other := newFixture(t)
	foreign := other.create(t, request("ct-foreign"))
	// The same keys but another store: signed by us, never recorded here.
	stray := &token.Service{Store: other.store, Keys: f.keys, Issuer: "x", Now: f.clock.Now}
	unrecorded, err := stray.Create(t.Context(), request("ct-stray"))
	if err != nil {
		t.Fatal(err)
	}
	access, err := f.svc.GetAccessToken(t.Context(), issued.Token, nil)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, token string
		want        error
	}{
		{"alg none", b64(`{"alg":"none","typ":"JWT"}`) + "." + forged + ".", token.ErrBadSignature},
		{"alg None", b64(`{"alg":"None","typ":"JWT"}`) + "." + forged + ".", token.ErrBadSignature},
		{"alg NONE", b64(`{"alg":"NONE","typ":"JWT"}`) + "." + forged + ".", token.ErrBadSignature},
		{"alg none with our kid", b64(`{"alg":"none","kid":"`+kid+`"}`) + "." + forged + ".", token.ErrBadSignature},
		{"stripped signature", parts[0] + "." + parts[1] + ".", token.ErrBadSignature},
		{"stripped signature, tampered payload", parts[0] + "." + forged + ".", token.ErrBadSignature},
		{"tampered payload", parts[0] + "." + forged + "." + parts[2], token.ErrBadSignature},
		{"signature of another token", parts[0] + "." + parts[1] + "." + strings.Split(foreign.Token, ".")[2], token.ErrBadSignature},
		{"HS256 with our kid", b64(`{"alg":"HS256","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], token.ErrBadSignature},
		{"unknown kid", b64(`{"alg":"ES256","kid":"nope"}`) + "." + parts[1] + "." + parts[2], token.ErrUnknownKey},
		{"another installation's key", foreign.Token, token.ErrUnknownKey},
		{"signed by us, not in the store", unrecorded.Token, token.ErrUnknownToken},
		{"an access token", access.Token, token.ErrWrongUse},
		{"not a JWT", "abc", token.ErrMalformed},
		{"two segments", parts[0] + "." + parts[1], token.ErrMalformed},
		{"four segments", issued.Token + ".x", token.ErrMalformed},
		{"empty header", "." + parts[1] + "." + parts[2], token.ErrMalformed},
		{"empty payload", parts[0] + ".." + parts[2], token.ErrMalformed},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], token.ErrMalformed},
		{"standard base64", parts[0] + "." + parts[1] + "+/." + parts[2], token.ErrMalformed},
		{"header not JSON", b64("alg") + "." + parts[1] + "." + parts[2], token.ErrMalformed},
		{"JSON serialization", `{"payload":"` + parts[1] + `"}`, token.ErrMalformed},
		{"white space", issued.Token + " ", token.ErrMalformed},
		{"4097 characters", issued.Token + strings.Repeat("A", token.MaxTokenLength+1-len(issued.Token)), token.ErrMalformed},
		{"4096 characters", issued.Token + strings.Repeat("A", token.MaxTokenLength-len(issued.Token)), token.ErrBadSignature},
	}
	for _, tt := range tests {
		at, err := f.svc.GetAccessToken(t.Context(), tt.token, nil)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: GetAccessToken = %v, want %v", tt.name, err, tt.want)
		}
		if at.Token != "" {
			t.Errorf("%s: issued an access token", tt.name)
		}
	}
}

// Deleting the refresh token stops it, and everything derived from it, at
// once.
func TestDeleteRevokes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	issued := f.create(t, request("ct-del"))
	access, err := f.svc.GetAccessToken(ctx, issued.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.VerifyAccess(ctx, access.Token); err != nil {
		t.Fatalf("VerifyAccess before delete = %v", err)
	}
	if err := f.svc.TokenActive(ctx, account, issued.ID); err != nil {
		t.Fatalf("TokenActive before delete = %v", err)
	}

	if err := f.svc.Delete(ctx, account, issued.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.GetAccessToken(ctx, issued.Token, nil); !errors.Is(err, token.ErrDeleted) {
		t.Errorf("GetAccessToken after delete = %v, want ErrDeleted", err)
	}
	if _, err := f.svc.VerifyAccess(ctx, access.Token); !errors.Is(err, token.ErrDeleted) {
		t.Errorf("VerifyAccess after delete = %v, want ErrDeleted", err)
	}
	if err := f.svc.TokenActive(ctx, account, issued.ID); !errors.Is(err, token.ErrDeleted) {
		t.Errorf("TokenActive after delete = %v, want ErrDeleted", err)
	}
	// Deleting again succeeds and keeps the first deletion time.
	f.clock.Add(time.Hour)
	if err := f.svc.Delete(ctx, account, issued.ID); err != nil {
		t.Errorf("second Delete = %v, want nil", err)
	}
	rec, err := f.store.Token(ctx, account, issued.ID)
	if err != nil || rec.Status != store.StatusDeleted || !rec.DeletedAt.Equal(f.clock.Now().Add(-time.Hour)) {
		t.Errorf("record = %+v, %v; want DELETED at the first deletion", rec, err)
	}
}

func TestDeleteUnknown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issued := f.create(t, request("ct-mine"))
	for name, acct := range map[string]string{"unknown id": account, "another account's token": "210987654321"} {
		id := "0123456789abcdef0123456789abcdef"
		if acct != account {
			id = issued.ID
		}
		if err := f.svc.Delete(t.Context(), acct, id); !errors.Is(err, token.ErrUnknownToken) {
			t.Errorf("%s: Delete = %v, want ErrUnknownToken", name, err)
		}
	}
	if err := f.svc.TokenActive(t.Context(), account, issued.ID); err != nil {
		t.Errorf("the token was touched: TokenActive = %v", err)
	}
}

func TestVerifyAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	req := request("ct-verify-access")
	req.ExpirationInDays = 1
	issued := f.create(t, req)
	access, err := f.svc.GetAccessToken(ctx, issued.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.VerifyAccess(ctx, access.Token)
	if err != nil || c.RefreshTokenID != issued.ID || c.Audience != lic {
		t.Fatalf("VerifyAccess = %+v, %v", c, err)
	}
	if _, err := f.svc.VerifyAccess(ctx, issued.Token); !errors.Is(err, token.ErrWrongUse) {
		t.Errorf("VerifyAccess(refresh token) = %v, want ErrWrongUse", err)
	}
	parts := strings.Split(access.Token, ".")
	if _, err := f.svc.VerifyAccess(ctx, b64(`{"alg":"none"}`)+"."+parts[1]+"."); !errors.Is(err, token.ErrBadSignature) {
		t.Errorf("VerifyAccess(alg none) = %v, want ErrBadSignature", err)
	}

	f.clock.Add(time.Hour + token.Leeway)
	if _, err := f.svc.VerifyAccess(ctx, access.Token); err != nil {
		t.Errorf("VerifyAccess at exp + leeway = %v, want accepted", err)
	}
	f.clock.Add(time.Second)
	if _, err := f.svc.VerifyAccess(ctx, access.Token); !errors.Is(err, token.ErrExpired) {
		t.Errorf("VerifyAccess a second later = %v, want ErrExpired", err)
	}
}

func TestTokenActive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	req := request("ct-active")
	req.ExpirationInDays = 1
	issued := f.create(t, req)
	if err := f.svc.TokenActive(ctx, account, issued.ID); err != nil {
		t.Errorf("fresh token: %v", err)
	}
	if err := f.svc.TokenActive(ctx, "210987654321", issued.ID); !errors.Is(err, token.ErrUnknownToken) {
		t.Errorf("another account: %v, want ErrUnknownToken", err)
	}
	if err := f.svc.TokenActive(ctx, account, "nope"); !errors.Is(err, token.ErrUnknownToken) {
		t.Errorf("unknown id: %v, want ErrUnknownToken", err)
	}
	f.clock.Add(24*time.Hour + token.Leeway)
	if err := f.svc.TokenActive(ctx, account, issued.ID); err != nil {
		t.Errorf("at expiry + leeway: %v, want nil", err)
	}
	f.clock.Add(time.Second)
	if err := f.svc.TokenActive(ctx, account, issued.ID); !errors.Is(err, token.ErrExpired) {
		t.Errorf("past expiry + leeway: %v, want ErrExpired", err)
	}
}

// CreateToken refuses a refresh token whose access tokens would not fit in
// 4096 characters; the largest it accepts still yields one that fits, even
// issued at the last second.
func TestAccessTokenAlwaysFits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	attempt := func(n int) (token.Issued, error) {
		req := request(fmt.Sprintf("ct-fit-%d", n))
		req.Properties = []string{strings.Repeat("p", n)}
		return f.svc.Create(ctx, req)
	}
	// The largest property length that Create accepts.
	lo, hi := 1, 4096
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if _, err := attempt(mid); err == nil {
			lo = mid
		} else if errors.Is(err, token.ErrTokenTooLarge) {
			hi = mid
		} else {
			t.Fatal(err)
		}
	}
	largest, err := attempt(lo)
	if err != nil {
		t.Fatal(err)
	}
	if len(largest.Token) > token.MaxTokenLength-40 {
		t.Errorf("largest refresh token has %d characters: access tokens have no room for refresh_token_id", len(largest.Token))
	}
	f.clock.Add(30 * 24 * time.Hour) // the refresh token's last second
	at, err := f.svc.GetAccessToken(ctx, largest.Token, nil)
	if err != nil {
		t.Fatalf("GetAccessToken on the largest refresh token = %v", err)
	}
	if len(at.Token) > token.MaxTokenLength {
		t.Errorf("access token has %d characters", len(at.Token))
	}
	if _, err := attempt(lo + 1); !errors.Is(err, token.ErrTokenTooLarge) {
		t.Errorf("one character more: Create = %v, want ErrTokenTooLarge", err)
	}
}

// Tokens of one installation are refused by another even when their
// stores agree: trust comes from the signing keys.
func TestGetAccessTokenOtherInstallation(t *testing.T) {
	t.Parallel()
	a, b := newFixture(t), newFixture(t)
	issued := a.create(t, request("ct-a"))
	shared := &token.Service{Store: a.store, Keys: b.keys, Issuer: "x", Now: a.clock.Now}
	if _, err := shared.GetAccessToken(t.Context(), issued.Token, nil); !errors.Is(err, token.ErrUnknownKey) {
		t.Errorf("GetAccessToken with other keys = %v, want ErrUnknownKey", err)
	}
}
