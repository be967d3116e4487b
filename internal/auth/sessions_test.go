package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/token"
)

func newSealer(t *testing.T, b byte) *seal.Sealer {
	t.Helper()
	s, err := seal.New(bytes.Repeat([]byte{b}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var role = Principal{
	Kind: AssumedRole, AccountID: "123456789012",
	RoleARN:     "arn:aws:iam::123456789012:role/team/LicenseConsumer",
	SessionName: "s1",
	LicenseARN:  "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef",
	TokenID:     "0123456789abcdef0123456789abcdef",
}

// tokenState answers TokenActive with err for the token in role, and
// ErrUnknownToken for any other.
type tokenState struct{ err error }

func (s *tokenState) active(_ context.Context, account, id string) error {
	if account != role.AccountID || id != role.TokenID {
		return token.ErrUnknownToken
	}
	return s.err
}

func TestSessions(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := func() time.Time { return now }
	state := &tokenState{}
	sessions := &Sessions{Sealer: newSealer(t, 1), TokenActive: state.active, Now: clock}
	r := &Resolver{Sessions: sessions}
	ctx := t.Context()

	creds, err := sessions.Issue(role, now.Add(time.Hour+500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || len(creds.AccessKeyID) != 20 || len(creds.SecretAccessKey) != 40 {
		t.Errorf("credentials %s with a %d-character secret", creds.AccessKeyID, len(creds.SecretAccessKey))
	}
	if !creds.Expiration.Equal(now.Add(time.Hour)) {
		t.Errorf("Expiration = %v, want %v (whole seconds)", creds.Expiration, now.Add(time.Hour))
	}
	if strings.Contains(creds.SessionToken, creds.SecretAccessKey) || strings.Contains(creds.SessionToken, role.TokenID) {
		t.Error("the session token shows the secret or the token id in plain text")
	}
	other, _ := sessions.Issue(role, now.Add(time.Hour))
	if other.AccessKeyID == creds.AccessKeyID || other.SecretAccessKey == creds.SecretAccessKey {
		t.Error("two sessions share a key")
	}

	secret, p, err := r.Resolve(ctx, creds.AccessKeyID, creds.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	want := role
	want.AccessKeyID = creds.AccessKeyID
	if secret != creds.SecretAccessKey || p != want {
		t.Errorf("Resolve = %q, %+v; want the secret and %+v", secret, p, want)
	}
	if err := r.Active(ctx, p); err != nil {
		t.Errorf("Active = %v", err)
	}

	// A server with another sealing key, and anything not sealed by this
	// one, is refused.
	foreign := &Resolver{Sessions: &Sessions{Sealer: newSealer(t, 2), Now: clock}}
	for name, tc := range map[string]struct {
		r          *Resolver
		id, sealed string
	}{
		"no session token":                 {r, creds.AccessKeyID, ""},
		"another key's token":              {r, other.AccessKeyID, creds.SessionToken},
		"altered token":                    {r, creds.AccessKeyID, flip(creds.SessionToken)},
		"not a token":                      {r, creds.AccessKeyID, "AQoDYXdzEPT"},
		"another installation":             {foreign, creds.AccessKeyID, creds.SessionToken},
		"token sealed for another purpose": {r, creds.AccessKeyID, sessions.Sealer.Seal("ListTokens:123456789012", []byte(`{"akid":"`+creds.AccessKeyID+`"}`))},
	} {
		if _, _, err := tc.r.Resolve(ctx, tc.id, tc.sealed); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("%s: Resolve error = %v, want ErrUnknownKey", name, err)
		}
	}

	// Expiry is exact: valid until the second before Expiration.
	now = creds.Expiration.Add(-time.Second)
	if _, _, err := r.Resolve(ctx, creds.AccessKeyID, creds.SessionToken); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	now = creds.Expiration
	if _, _, err := r.Resolve(ctx, creds.AccessKeyID, creds.SessionToken); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("at expiry: %v, want ErrExpiredToken", err)
	}

	// The refresh token behind the session decides whether it may act.
	for _, tc := range []struct {
		state error
		want  error
	}{
		{token.ErrDeleted, ErrUnknownKey},
		{token.ErrUnknownToken, ErrUnknownKey},
		{fmt.Errorf("check: %w", token.ErrExpired), ErrExpiredToken},
	} {
		state.err = tc.state
		if err := r.Active(ctx, p); !errors.Is(err, tc.want) {
			t.Errorf("refresh token %v: Active = %v, want %v", tc.state, err, tc.want)
		}
	}
	state.err = errors.New("database is locked")
	if err := r.Active(ctx, p); err == nil || errors.Is(err, ErrUnknownKey) || errors.Is(err, ErrExpiredToken) {
		t.Errorf("a failing store: Active = %v, want an internal error", err)
	}
}

// flip changes one character in the middle of s.
func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestIssueRefusesOtherPrincipals(t *testing.T) {
	sessions := &Sessions{Sealer: newSealer(t, 1)}
	for _, p := range []Principal{Embedded("123456789012"), {}, {Kind: AssumedRole, AccountID: "123456789012"}} {
		if _, err := sessions.Issue(p, time.Now().Add(time.Hour)); err == nil {
			t.Errorf("Issue(%+v) succeeded", p)
		}
	}
}

func TestResolveLongTermKeys(t *testing.T) {
	keys, err := NewKeys(Key{Profile: "admin", AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "s", AccountID: "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	r := &Resolver{Keys: keys, Sessions: &Sessions{Sealer: newSealer(t, 1)}}
	secret, p, err := r.Resolve(t.Context(), "AKIAAAAAAAAAAAAAAAAA", "")
	want := Principal{Kind: Account, AccountID: "123456789012", AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", UserName: "admin"}
	if err != nil || secret != "s" || p != want {
		t.Errorf("Resolve = %q, %+v, %v; want %+v", secret, p, err, want)
	}
	if err := r.Active(t.Context(), p); err != nil {
		t.Errorf("Active = %v", err)
	}
	if _, _, err := r.Resolve(t.Context(), "AKIABBBBBBBBBBBBBBBB", ""); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
	if _, _, err := r.Resolve(t.Context(), "AKIAAAAAAAAAAAAAAAAA", "token"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("long-term key with a session token: %v", err)
	}
	if _, _, err := (&Resolver{Keys: keys}).Resolve(t.Context(), "ASIAAAAAAAAAAAAAAAAA", "token"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("temporary key on a resolver without sessions: %v", err)
	}
}
