package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/license-manager/license-manager/internal/token"
)

// Resolver finds the secret and principal of the access key that signed a
// request: long-term keys ("AKIA...") in the credentials file, temporary
// ones ("ASIA...") through their session token.
type Resolver struct {
	Keys     *Keys
	Sessions *Sessions
}

// Resolve returns the secret of accessKeyID and the principal it acts as.
// sessionToken is the request's X-Amz-Security-Token, "" if it has none.
// Errors: ErrUnknownKey, ErrExpiredToken, or another error for a failure
// of the server.
func (r *Resolver) Resolve(_ context.Context, accessKeyID, sessionToken string) (string, Principal, error) {
	if strings.HasPrefix(accessKeyID, TemporaryKeyPrefix) {
		if r.Sessions == nil {
			return "", Principal{}, fmt.Errorf("%w: this server issues no temporary credentials", ErrUnknownKey)
		}
		return r.Sessions.resolve(accessKeyID, sessionToken)
	}
	key, ok := r.Keys.Lookup(accessKeyID)
	if !ok {
		return "", Principal{}, ErrUnknownKey
	}
	if sessionToken != "" {
		// AWS refuses a session token with a long-term key: the request
		// asks for a session that the key does not have.
		return "", Principal{}, fmt.Errorf("%w: a long-term key takes no session token", ErrUnknownKey)
	}
	return key.SecretAccessKey, Principal{
		Kind:        Account,
		AccountID:   key.AccountID,
		AccessKeyID: key.AccessKeyID,
		UserName:    key.Profile,
	}, nil
}

// Active reports whether p, resolved and with a good signature, may still
// act: a session only while the refresh token it derives from is AVAILABLE
// and unexpired. It reads the store on every request, so DeleteToken ends
// every session of the token at once. A deleted or unknown refresh token
// is ErrUnknownKey, an expired one ErrExpiredToken.
func (r *Resolver) Active(ctx context.Context, p Principal) error {
	if p.Kind != AssumedRole {
		return nil
	}
	if r.Sessions == nil || r.Sessions.TokenActive == nil {
		return errors.New("resolve temporary credentials: no token check configured")
	}
	err := r.Sessions.TokenActive(ctx, p.AccountID, p.TokenID)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, token.ErrExpired):
		return fmt.Errorf("%w: the refresh token %s has expired", ErrExpiredToken, p.TokenID)
	case errors.Is(err, token.ErrDeleted):
		return fmt.Errorf("%w: the refresh token %s was deleted", ErrUnknownKey, p.TokenID)
	case errors.Is(err, token.ErrUnknownToken):
		return fmt.Errorf("%w: the refresh token %s is not known", ErrUnknownKey, p.TokenID)
	}
	return fmt.Errorf("check the session's refresh token: %w", err)
}
