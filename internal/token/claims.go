package token

import (
	"encoding/json"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// Token uses, carried in the token_use claim so that a refresh token is
// never taken for an access token or the reverse.
const (
	UseRefresh = "refresh"
	UseAccess  = "access"
)

// IssuerAccountPrefix starts the amr entry that names the account that
// issued the token. Role trust policies match on it, as they do for AWS's
// tokens (license-manager.amazonaws.com:amr).
const IssuerAccountPrefix = "aws:license-manager:token-issuer-account-id:"

// Claims are the claims of the tokens this package issues (RFC 7519
// section 4). docs/token-format.md describes each one.
type Claims struct {
	Issuer   string `json:"iss"`
	Subject  string `json:"sub"`
	Audience string `json:"aud"`
	// AMR holds the caller's token properties followed by the
	// token-issuer-account entry.
	AMR       []string `json:"amr"`
	RoleARNs  []string `json:"role_arns"`
	TokenUse  string   `json:"token_use"`
	IssuedAt  int64    `json:"iat"`
	NotBefore int64    `json:"nbf"`
	Expiry    int64    `json:"exp"`
	ID        string   `json:"jti"`
	// RefreshTokenID is the id of the refresh token an access token was
	// derived from; empty in refresh tokens.
	RefreshTokenID string `json:"refresh_token_id,omitempty"`
}

// Properties returns the caller's token properties: AMR without the
// token-issuer-account entry.
func (c *Claims) Properties() []string {
	props := []string{}
	for _, p := range c.AMR {
		if len(p) < len(IssuerAccountPrefix) || p[:len(IssuerAccountPrefix)] != IssuerAccountPrefix {
			props = append(props, p)
		}
	}
	return props
}

// Sign serializes claims as a compact JWT signed by k, with the header
// alg, kid and typ "JWT". Other services of the installation (license
// checkouts) sign their tokens with it.
func (k *Key) Sign(claims any) (string, error) { return sign(k, claims) }

// sign serializes claims as a compact JWS signed by key. The header carries
// alg, kid and typ "JWT".
func sign(key *Key, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.SignatureAlgorithm(key.Algorithm()),
		Key:       key.jwk,
	}, opts)
	if err != nil {
		return "", fmt.Errorf("new signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return jws.CompactSerialize()
}
