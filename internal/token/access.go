package token

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// AccessTokenLifetime is how long an access token is valid, unless its
// refresh token expires sooner.
const AccessTokenLifetime = time.Hour

// Errors about a refresh token's record, as GetAccessToken, VerifyAccess
// and TokenActive report them alongside the verification errors of Verify.
var (
	// ErrDeleted means the refresh token was deleted with DeleteToken.
	ErrDeleted = errors.New("token was deleted")
	// ErrUnknownToken means no refresh token with that id exists for the
	// account: it was never issued by this installation's store.
	ErrUnknownToken = errors.New("token is not known to this installation")
	// ErrPropertiesMismatch means GetAccessToken was given a token
	// property that the refresh token does not carry.
	ErrPropertiesMismatch = errors.New("token properties do not match the token")
)

// AccessToken is an access token as GetAccessToken returns it: the compact
// JWS and the claims it carries.
type AccessToken struct {
	Token  string
	Claims *Claims
}

// GetAccessToken trades a refresh token for an access token. The refresh
// token must be a compact JWS of at most MaxTokenLength characters (else
// ErrMalformed), verify as a refresh token (the errors of Verify), and name
// a record that exists (ErrUnknownToken), is not deleted (ErrDeleted) and
// has not expired (ErrExpired). Each of props must be one of the refresh
// token's properties (ErrPropertiesMismatch); none need be given.
//
// The access token carries the refresh token's audience, amr and role
// ARNs, token_use "access" and the refresh token's id in
// refresh_token_id. It expires AccessTokenLifetime after issue, or with the
// refresh token if that is sooner. Nothing is stored.
func (s *Service) GetAccessToken(ctx context.Context, refresh string, props []string) (AccessToken, error) {
	if err := checkCompact(refresh); err != nil {
		return AccessToken{}, err
	}
	now := s.Now().UTC().Truncate(time.Second)
	parent, err := s.Keys.Verify(refresh, UseRefresh, now)
	if err != nil {
		return AccessToken{}, err
	}
	if err := s.TokenActive(ctx, parent.Subject, parent.ID); err != nil {
		return AccessToken{}, err
	}
	have := parent.Properties()
	for _, p := range props {
		if !slices.Contains(have, p) {
			return AccessToken{}, ErrPropertiesMismatch
		}
	}
	id, err := newID()
	if err != nil {
		return AccessToken{}, err
	}
	claims := accessClaims(parent, s.Issuer, now, id)
	key := s.Keys.Active(ES256)
	if key == nil {
		return AccessToken{}, errors.New("get access token: no ES256 signing key")
	}
	compact, err := sign(key, claims)
	if err != nil {
		return AccessToken{}, fmt.Errorf("get access token: %w", err)
	}
	if len(compact) > MaxTokenLength {
		// Create refuses refresh tokens whose access tokens would not fit,
		// so only a changed issuer URL can bring this about.
		return AccessToken{}, fmt.Errorf("%w: the access token would have %d characters", ErrTokenTooLarge, len(compact))
	}
	return AccessToken{Token: compact, Claims: &claims}, nil
}

// VerifyAccess checks an access token: its signature and time claims (the
// errors of Verify, with ErrWrongUse for a refresh token), and that the
// refresh token it derives from is still active (the errors of
// TokenActive). It returns the access token's claims.
func (s *Service) VerifyAccess(ctx context.Context, compact string) (*Claims, error) {
	c, err := s.Keys.Verify(compact, UseAccess, s.Now())
	if err != nil {
		return nil, err
	}
	if c.RefreshTokenID == "" {
		return nil, fmt.Errorf("%w: the access token names no refresh token", ErrUnknownToken)
	}
	if err := s.TokenActive(ctx, c.Subject, c.RefreshTokenID); err != nil {
		return nil, err
	}
	return c, nil
}

// TokenActive reports whether the account's refresh token tokenID may
// still be used: nil if it exists, is AVAILABLE and has not expired (with
// Leeway), else ErrUnknownToken, ErrDeleted or ErrExpired. It reads the
// store every time, so a deletion takes effect at once for every access
// token and every temporary credential derived from the token.
func (s *Service) TokenActive(ctx context.Context, accountID, tokenID string) error {
	t, err := s.Store.Token(ctx, accountID, tokenID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrUnknownToken
	case err != nil:
		return fmt.Errorf("check token %s: %w", tokenID, err)
	case t.Status == store.StatusDeleted:
		return ErrDeleted
	case t.Status != store.StatusAvailable:
		return fmt.Errorf("check token %s: unknown status %q", tokenID, t.Status)
	case s.Now().Unix() > t.ExpiresAt.Unix()+int64(Leeway/time.Second):
		return ErrExpired
	}
	return nil
}

// accessClaims returns the claims of an access token derived from the
// refresh token's claims parent, issued at now with id.
func accessClaims(parent *Claims, issuer string, now time.Time, id string) Claims {
	exp := min(now.Add(AccessTokenLifetime).Unix(), parent.Expiry)
	return Claims{
		Issuer:         issuer,
		Subject:        parent.Subject,
		Audience:       parent.Audience,
		AMR:            nonNil(parent.AMR),
		RoleARNs:       nonNil(parent.RoleARNs),
		TokenUse:       UseAccess,
		IssuedAt:       now.Unix(),
		NotBefore:      now.Unix(),
		Expiry:         exp,
		ID:             id,
		RefreshTokenID: parent.ID,
	}
}

// accessLength returns the length of the longest access token that can be
// derived from the refresh token compact with claims c. Both are signed by
// an ES256 key, so the header and signature segments have the same length
// and only the payloads differ; the latest issue time has the most digits.
func accessLength(compact string, c Claims) int {
	a := accessClaims(&c, c.Issuer, time.Unix(c.Expiry, 0), strings.Repeat("0", 32))
	payload, _ := json.Marshal(a) // Claims holds only strings and integers
	_, rest, _ := strings.Cut(compact, ".")
	refreshPayload, _, _ := strings.Cut(rest, ".")
	return len(compact) - len(refreshPayload) + base64.RawURLEncoding.EncodedLen(len(payload))
}

// checkCompact reports ErrMalformed unless s has the shape of a compact JWS
// (RFC 7515 section 7.1) of at most MaxTokenLength characters: three
// segments of unpadded base64url separated by periods, the first two not
// empty, the first a JSON object. Whether it is one of ours is for Verify
// to say; an empty signature, for one, is a forgery and not malformed.
func checkCompact(s string) error {
	if len(s) > MaxTokenLength {
		return fmt.Errorf("%w: %d characters, more than %d", ErrMalformed, len(s), MaxTokenLength)
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%w: %d segments, want 3", ErrMalformed, len(parts))
	}
	for i, p := range parts {
		if p == "" && i < 2 {
			return fmt.Errorf("%w: segment %d is empty", ErrMalformed, i+1)
		}
		if strings.Trim(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return fmt.Errorf("%w: segment %d is not base64url", ErrMalformed, i+1)
		}
	}
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if _, err := base64.RawURLEncoding.DecodeString(parts[1]); err != nil {
		return fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(header, &obj); err != nil || obj == nil {
		return fmt.Errorf("%w: the header is not a JSON object", ErrMalformed)
	}
	return nil
}
