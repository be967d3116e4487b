package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/seal"
)

// Errors of resolving an access key, as request authentication reports
// them.
var (
	// ErrUnknownKey means the access key is not known, or its session
	// token is missing, forged, altered or made for another key, or the
	// refresh token a session derives from was deleted or is not known.
	// AWS says "The security token included in the request is invalid."
	ErrUnknownKey = errors.New("the access key is not known")
	// ErrExpiredToken means temporary credentials have expired, or the
	// refresh token they derive from has.
	ErrExpiredToken = errors.New("the temporary credentials have expired")
)

// TemporaryCredentials are the credentials of an assumed-role session.
type TemporaryCredentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// sessionPurpose binds sealed session tokens to their use.
const sessionPurpose = "session"

// Sessions issues temporary credentials and resolves them again. Nothing is
// stored: the session token is the session, sealed with the installation's
// key, so every server sharing the data directory's sealing key accepts
// it, and no secret is kept in plain text anywhere.
type Sessions struct {
	Sealer *seal.Sealer
	// TokenActive reports whether the account's refresh token may still
	// be used (nil), or why not (token.ErrDeleted, token.ErrExpired,
	// token.ErrUnknownToken, or another error for a failure).
	TokenActive func(ctx context.Context, accountID, tokenID string) error
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// session is what a session token seals.
type session struct {
	AccessKeyID     string `json:"akid"`
	SecretAccessKey string `json:"secret"`
	AccountID       string `json:"account"`
	RoleARN         string `json:"role"`
	SessionName     string `json:"session"`
	LicenseARN      string `json:"license"`
	TokenID         string `json:"token_id"`
	Expiration      int64  `json:"exp"`
}

func (s *Sessions) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Issue returns new temporary credentials for the assumed-role principal p,
// valid until expires (to the second): an "ASIA" access key id, a random
// secret, and a session token sealing both with p.
func (s *Sessions) Issue(p Principal, expires time.Time) (TemporaryCredentials, error) {
	if p.Kind != AssumedRole {
		return TemporaryCredentials{}, fmt.Errorf("issue temporary credentials: principal is %s, want %s", p.Kind, AssumedRole)
	}
	if p.AccountID == "" || p.RoleARN == "" || p.SessionName == "" || p.TokenID == "" {
		return TemporaryCredentials{}, errors.New("issue temporary credentials: the principal lacks its account, role, session name or token id")
	}
	id, secret, err := newKeyPair(TemporaryKeyPrefix)
	if err != nil {
		return TemporaryCredentials{}, err
	}
	exp := expires.UTC().Truncate(time.Second)
	plain, err := json.Marshal(session{
		AccessKeyID: id, SecretAccessKey: secret,
		AccountID: p.AccountID, RoleARN: p.RoleARN, SessionName: p.SessionName,
		LicenseARN: p.LicenseARN, TokenID: p.TokenID, Expiration: exp.Unix(),
	})
	if err != nil {
		return TemporaryCredentials{}, fmt.Errorf("issue temporary credentials: %w", err)
	}
	return TemporaryCredentials{
		AccessKeyID:     id,
		SecretAccessKey: secret,
		SessionToken:    s.Sealer.Seal(sessionPurpose, plain),
		Expiration:      exp,
	}, nil
}

// resolve opens the session token of temporary credentials with access key
// id accessKeyID and returns their secret and principal. A missing,
// altered or foreign token, or one for another key, is ErrUnknownKey; an
// expired session is ErrExpiredToken. Whether the refresh token behind the
// session is still active is for active to say, once the request's
// signature is known to be good.
func (s *Sessions) resolve(accessKeyID, sessionToken string) (string, Principal, error) {
	if sessionToken == "" {
		return "", Principal{}, fmt.Errorf("%w: temporary credentials need their session token (X-Amz-Security-Token)", ErrUnknownKey)
	}
	plain, err := s.Sealer.Open(sessionPurpose, sessionToken)
	if err != nil {
		return "", Principal{}, fmt.Errorf("%w: the session token is not one this installation issued", ErrUnknownKey)
	}
	var sess session
	if err := json.Unmarshal(plain, &sess); err != nil {
		return "", Principal{}, fmt.Errorf("%w: the session token does not decode: %v", ErrUnknownKey, err)
	}
	if sess.AccessKeyID != accessKeyID {
		return "", Principal{}, fmt.Errorf("%w: the session token belongs to another access key", ErrUnknownKey)
	}
	if !s.now().Before(time.Unix(sess.Expiration, 0)) {
		return "", Principal{}, fmt.Errorf("%w: at %s", ErrExpiredToken, time.Unix(sess.Expiration, 0).UTC().Format(time.RFC3339))
	}
	return sess.SecretAccessKey, Principal{
		Kind:        AssumedRole,
		AccountID:   sess.AccountID,
		AccessKeyID: sess.AccessKeyID,
		RoleARN:     sess.RoleARN,
		SessionName: sess.SessionName,
		LicenseARN:  sess.LicenseARN,
		TokenID:     sess.TokenID,
	}, nil
}
