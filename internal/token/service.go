package token

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/store"
)

// IdempotencyWindow is how long a client token stays bound to its request.
const IdempotencyWindow = 10 * time.Minute

// MaxTokenLength is the longest token the API can carry (the TokenString
// shape's maximum).
const MaxTokenLength = 4096

// Errors of the token service. The server maps them to AWS error codes.
var (
	// ErrClientTokenReused means the client token was used within the
	// idempotency window for a request with other parameters.
	ErrClientTokenReused = errors.New("client token already used with other parameters")
	// ErrTokenTooLarge means the signed token, or an access token derived
	// from it, would exceed MaxTokenLength.
	ErrTokenTooLarge = errors.New("token too large")
)

// Service issues and manages refresh tokens. Its fields must be set before
// use; it is safe for concurrent use.
type Service struct {
	Store store.Store
	Keys  *KeySet
	// Issuer is the iss claim: this installation's issuer URL.
	Issuer string
	// Now returns the current time; tests inject a fake clock.
	Now func() time.Time
	// Sealer seals the NextToken values of List.
	Sealer *seal.Sealer
}

// CreateRequest is a validated CreateToken request.
type CreateRequest struct {
	AccountID        string
	LicenseARN       string
	RoleARNs         []string
	Properties       []string
	ExpirationInDays int
	ClientToken      string
	// Admit, when set, decides whether a new token may be issued; its
	// error is returned as is. A replay within IdempotencyWindow does not
	// call it: the reply is what the first request got.
	Admit func(context.Context) error
}

// Issued is a refresh token as CreateToken returns it.
type Issued struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

// Create issues a refresh token, or replays the one issued for the same
// client token and parameters within IdempotencyWindow. It returns
// ErrClientTokenReused when the client token is bound to other parameters,
// and ErrTokenTooLarge when the properties and roles make the token, or the
// access tokens GetAccessToken would derive from it, longer than
// MaxTokenLength.
func (s *Service) Create(ctx context.Context, req CreateRequest) (Issued, error) {
	now := s.Now().UTC().Truncate(time.Second)
	reqHash := requestHash(req)

	rec, err := s.Store.Idempotency(ctx, req.AccountID, "CreateToken", req.ClientToken, now)
	switch {
	case err == nil:
		return replay(rec, reqHash)
	case !errors.Is(err, store.ErrNotFound):
		return Issued{}, fmt.Errorf("create token: %w", err)
	}
	if req.Admit != nil {
		if err := req.Admit(ctx); err != nil {
			return Issued{}, err
		}
	}

	id, err := newID()
	if err != nil {
		return Issued{}, err
	}
	roles, props := nonNil(req.RoleARNs), nonNil(req.Properties)
	exp := now.Add(time.Duration(req.ExpirationInDays) * 24 * time.Hour)
	claims := Claims{
		Issuer:    s.Issuer,
		Subject:   req.AccountID,
		Audience:  req.LicenseARN,
		AMR:       append(append([]string{}, props...), IssuerAccountPrefix+req.AccountID),
		RoleARNs:  roles,
		TokenUse:  UseRefresh,
		IssuedAt:  now.Unix(),
		NotBefore: now.Unix(),
		Expiry:    exp.Unix(),
		ID:        id,
	}
	key := s.Keys.Active(ES256)
	if key == nil {
		return Issued{}, errors.New("create token: no ES256 signing key")
	}
	compact, err := sign(key, claims)
	if err != nil {
		return Issued{}, fmt.Errorf("create token: %w", err)
	}
	if len(compact) > MaxTokenLength {
		return Issued{}, fmt.Errorf("%w: %d characters", ErrTokenTooLarge, len(compact))
	}
	// A refresh token is only useful if its access tokens fit too.
	if n := accessLength(compact, claims); n > MaxTokenLength {
		return Issued{}, fmt.Errorf("%w: its access tokens would have %d characters", ErrTokenTooLarge, n)
	}
	issued := Issued{ID: id, Token: compact}
	resp, err := json.Marshal(issued)
	if err != nil {
		return Issued{}, fmt.Errorf("create token: %w", err)
	}
	hash := sha256.Sum256([]byte(compact))
	t := store.Token{
		ID: id, AccountID: req.AccountID, LicenseARN: req.LicenseARN,
		RoleARNs: roles, Properties: props, Status: store.StatusAvailable,
		CreatedAt: now, ExpiresAt: exp, Hash: hash[:],
	}
	rec = store.Idempotency{
		AccountID: req.AccountID, Operation: "CreateToken", ClientToken: req.ClientToken,
		RequestHash: reqHash, ResourceID: id, Response: resp,
		CreatedAt: now, ExpiresAt: now.Add(IdempotencyWindow),
	}
	won, err := s.Store.CreateToken(ctx, t, rec)
	switch {
	case err == nil:
		return issued, nil
	case errors.Is(err, store.ErrAlreadyExists) && won.ClientToken != "":
		// A concurrent request with the same client token got there first.
		return replay(won, reqHash)
	default:
		return Issued{}, fmt.Errorf("create token: %w", err)
	}
}

func replay(rec store.Idempotency, reqHash []byte) (Issued, error) {
	if string(rec.RequestHash) != string(reqHash) {
		return Issued{}, ErrClientTokenReused
	}
	var issued Issued
	if err := json.Unmarshal(rec.Response, &issued); err != nil {
		return Issued{}, fmt.Errorf("replay token %s: %w", rec.ResourceID, err)
	}
	return issued, nil
}

// requestHash identifies a request's parameters for the idempotency check.
// The effective expiration counts, so an omitted ExpirationInDays equals an
// explicit 365; list order counts.
func requestHash(req CreateRequest) []byte {
	b, _ := json.Marshal([]any{
		req.LicenseARN, nonNil(req.RoleARNs), nonNil(req.Properties), req.ExpirationInDays,
	})
	h := sha256.Sum256(b)
	return h[:]
}

// newID returns a token id: 32 random hexadecimal digits.
func newID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("new token id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
