package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
)

// signedService returns a service over a fresh store and key set, and a
// function that signs any payload with its key: what a holder of the
// signing key could make, which no API call produces.
func signedService(t *testing.T, now time.Time) (*Service, func(payload string) string) {
	t.Helper()
	dir := t.TempDir()
	keys, err := LoadKeySet(filepath.Join(dir, KeyFile), ES256)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &Service{Store: st, Keys: keys, Issuer: "http://127.0.0.1:8080", Now: func() time.Time { return now }}
	return svc, func(payload string) string {
		compact, err := sign(keys.Active(ES256), json.RawMessage(payload))
		if err != nil {
			t.Fatal(err)
		}
		return compact
	}
}

// A token with a repeated claim is refused even when our key signed it, so
// that the claims checked and the claims used cannot differ (BR-28).
func TestGetAccessTokenDuplicateClaims(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	svc, sign := signedService(t, now)
	id := "0123456789abcdef0123456789abcdef"
	if _, err := svc.Store.CreateToken(t.Context(), store.Token{
		ID: id, AccountID: "123456789012", LicenseARN: "arn:first", Status: store.StatusAvailable,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour), Hash: []byte{1},
	}, store.Idempotency{AccountID: "123456789012", Operation: "CreateToken", ClientToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	claims := `"iss":"x","sub":"123456789012","amr":[],"role_arns":[],"iat":1800000000,"nbf":1800000000,"exp":1800003600,"jti":"` + id + `"`
	for name, payload := range map[string]string{
		"aud twice":         `{` + claims + `,"aud":"arn:first","aud":"arn:second","token_use":"refresh"}`,
		"token_use twice":   `{` + claims + `,"aud":"arn:first","token_use":"access","token_use":"refresh"}`,
		"AUD next to aud":   `{` + claims + `,"aud":"arn:first","AUD":"arn:second","token_use":"refresh"}`,
		"jti twice":         `{` + claims + `,"aud":"arn:first","token_use":"refresh","jti":"other"}`,
		"exp twice, larger": `{` + claims + `,"aud":"arn:first","token_use":"refresh","exp":2800000000}`,
	} {
		if _, err := svc.GetAccessToken(t.Context(), sign(payload), nil); !errors.Is(err, ErrDuplicateClaim) {
			t.Errorf("%s: GetAccessToken = %v, want ErrDuplicateClaim", name, err)
		}
	}
	// The same claims once each are accepted: the refusals above are for
	// the duplicates alone.
	ok := `{` + claims + `,"aud":"arn:first","token_use":"refresh"}`
	if _, err := svc.GetAccessToken(t.Context(), sign(ok), nil); err != nil {
		t.Errorf("GetAccessToken without duplicates = %v", err)
	}
}

// An access token that names no refresh token cannot be checked for
// revocation, so it is refused.
func TestVerifyAccessWithoutRefreshTokenID(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	svc, sign := signedService(t, now)
	payload := `{"iss":"x","sub":"123456789012","aud":"arn:first","amr":[],"role_arns":[],"token_use":"access","iat":1800000000,"nbf":1800000000,"exp":1800003600,"jti":"j"}`
	if _, err := svc.VerifyAccess(t.Context(), sign(payload)); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("VerifyAccess = %v, want ErrUnknownToken", err)
	}
}

// accessLength predicts the length of the longest access token exactly.
func TestAccessLength(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	svc, _ := signedService(t, now)
	for _, n := range []int{0, 1, 2, 3, 100, 1000} {
		parent := Claims{
			Issuer: svc.Issuer, Subject: "123456789012", Audience: "arn:aws:license-manager::123456789012:license:l-0",
			AMR: []string{strings.Repeat("é", n), IssuerAccountPrefix + "123456789012"}, RoleARNs: []string{},
			TokenUse: UseRefresh, IssuedAt: now.Unix(), NotBefore: now.Unix(), Expiry: now.Unix() + 86400,
			ID: "0123456789abcdef0123456789abcdef",
		}
		refresh, err := sign(svc.Keys.Active(ES256), parent)
		if err != nil {
			t.Fatal(err)
		}
		access, err := sign(svc.Keys.Active(ES256), accessClaims(&parent, svc.Issuer, time.Unix(parent.Expiry, 0), "fedcba9876543210fedcba9876543210"))
		if err != nil {
			t.Fatal(err)
		}
		if got := accessLength(refresh, parent); got != len(access) {
			t.Errorf("property of %d characters: accessLength = %d, want %d", n, got, len(access))
		}
	}
}

func TestCheckCompactMessages(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "a", "a.b", "a.b.c.d", strings.Repeat("a", MaxTokenLength+1)} {
		err := checkCompact(s)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("checkCompact(%.20q) = %v, want ErrMalformed", s, err)
		}
		if len(s) > 8 && strings.Contains(fmt.Sprint(err), s) {
			t.Errorf("checkCompact(%.20q) = %v: the message repeats the token", s, err)
		}
	}
}
