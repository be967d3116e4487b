package token_test

import (
	"encoding/base64"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/token"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// BR-22 and friends: every forgery is refused with the check that failed.
func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issued, err := f.svc.Create(t.Context(), request("ct-verify"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(issued.Token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forgedPayload := b64(strings.Replace(string(payload), `"env=prod"`, `"admin"`, 1))

	other, err := token.LoadKeySet(filepath.Join(t.TempDir(), token.KeyFile), token.ES256)
	if err != nil {
		t.Fatal(err)
	}
	otherSvc := &token.Service{Store: f.store, Keys: other, Issuer: "x", Now: f.clock.Now}
	foreign, err := otherSvc.Create(t.Context(), request("ct-foreign"))
	if err != nil {
		t.Fatal(err)
	}
	kid := f.keys.Active(token.ES256).KeyID()

	tests := []struct {
		name  string
		token string
		use   string
		at    time.Duration
		want  error
	}{
		{"alg none", b64(`{"alg":"none","typ":"JWT"}`) + "." + forgedPayload + ".", token.UseRefresh, 0, token.ErrBadSignature},
		{"alg None", b64(`{"alg":"None","typ":"JWT"}`) + "." + forgedPayload + ".", token.UseRefresh, 0, token.ErrBadSignature},
		{"alg NONE", b64(`{"alg":"NONE","typ":"JWT"}`) + "." + forgedPayload + ".", token.UseRefresh, 0, token.ErrBadSignature},
		{"stripped signature", parts[0] + "." + parts[1] + ".", token.UseRefresh, 0, token.ErrBadSignature},
		{"tampered payload", parts[0] + "." + forgedPayload + "." + parts[2], token.UseRefresh, 0, token.ErrBadSignature},
		{"HS256 with our kid", b64(`{"alg":"HS256","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], token.UseRefresh, 0, token.ErrBadSignature},
		{"PS384 header on an ES256 key", b64(`{"alg":"PS384","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], token.UseRefresh, 0, token.ErrBadSignature},
		{"unknown kid", b64(`{"alg":"ES256","kid":"nope"}`) + "." + parts[1] + "." + parts[2], token.UseRefresh, 0, token.ErrUnknownKey},
		{"another installation's key", foreign.Token, token.UseRefresh, 0, token.ErrUnknownKey},
		{"refresh token used as access token", issued.Token, token.UseAccess, 0, token.ErrWrongUse},
		{"expired past the leeway", issued.Token, token.UseRefresh, 30*24*time.Hour + token.Leeway + time.Second, token.ErrExpired},
		{"not a JWT", "abc", token.UseRefresh, 0, token.ErrMalformed},
		{"JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, token.UseRefresh, 0, token.ErrMalformed},
	}
	for _, tt := range tests {
		_, err := f.keys.Verify(tt.token, tt.use, f.clock.Now().Add(tt.at))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestVerifyLeeway(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issued, err := f.svc.Create(t.Context(), request("ct-leeway"))
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Duration{-token.Leeway, 30*24*time.Hour + token.Leeway} {
		if _, err := f.keys.Verify(issued.Token, token.UseRefresh, f.clock.Now().Add(at)); err != nil {
			t.Errorf("Verify at %v from issue = %v, want accepted within the leeway", at, err)
		}
	}
	if _, err := f.keys.Verify(issued.Token, token.UseRefresh, f.clock.Now().Add(-token.Leeway-time.Second)); !errors.Is(err, token.ErrNotYetValid) {
		t.Errorf("Verify before nbf - leeway = %v, want ErrNotYetValid", err)
	}
}
