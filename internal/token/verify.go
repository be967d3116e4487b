package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/license-manager/license-manager/internal/arn"
)

// Leeway is the clock difference tolerated on every time claim (iat, nbf
// and exp), in both directions.
const Leeway = time.Minute

// Verification errors. Each says which check failed.
var (
	ErrMalformed       = errors.New("token is not a well-formed JWT")
	ErrUnknownKey      = errors.New("token is signed by a key this installation does not have")
	ErrBadSignature    = errors.New("token signature is invalid")
	ErrExpired         = errors.New("token has expired")
	ErrNotYetValid     = errors.New("token is not valid yet")
	ErrWrongUse        = errors.New("token is of the wrong type")
	ErrDuplicateClaim  = errors.New("token payload has a duplicate claim")
	ErrMissingAudience = errors.New("token has no aud claim")
)

// Verify checks a compact JWS signed by one of the set's keys and returns
// its claims. The key is found by the kid header, and the algorithm is the
// key's own: a header that names another algorithm (none, HS256, ...) is
// rejected before any signature check. Time claims are checked against now
// with Leeway; use is the expected token_use claim.
func (ks *KeySet) Verify(compact, use string, now time.Time) (*Claims, error) {
	// Only the compact form: go-jose would also take the JSON
	// serialization, which no token of ours uses.
	if strings.Count(compact, ".") != 2 || strings.HasPrefix(strings.TrimSpace(compact), "{") {
		return nil, ErrMalformed
	}
	jws, err := jose.ParseSigned(compact, []jose.SignatureAlgorithm{jose.ES256, jose.PS384})
	if err != nil {
		// go-jose refuses algorithms outside the list, such as none.
		return nil, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, ErrMalformed
	}
	hdr := jws.Signatures[0].Header
	key := ks.Lookup(hdr.KeyID)
	if key == nil {
		return nil, ErrUnknownKey
	}
	if hdr.Algorithm != key.Algorithm() {
		return nil, fmt.Errorf("%w: algorithm %s does not belong to key %s", ErrBadSignature, hdr.Algorithm, key.KeyID())
	}
	payload, err := jws.Verify(key.jwk.Public())
	if err != nil {
		return nil, ErrBadSignature
	}
	if err := noDuplicateMembers(payload); err != nil {
		return nil, err
	}
	payload, err = singleAudience(payload)
	if err != nil {
		return nil, err
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if c.Audience == "" {
		return nil, ErrMissingAudience
	}
	if c.TokenUse != use {
		return nil, fmt.Errorf("%w: want a %s token, got %q", ErrWrongUse, use, c.TokenUse)
	}
	switch t := now.Unix(); {
	case c.Expiry == 0 || t > c.Expiry+int64(Leeway/time.Second):
		return nil, ErrExpired
	case t+int64(Leeway/time.Second) < c.NotBefore, t+int64(Leeway/time.Second) < c.IssuedAt:
		return nil, ErrNotYetValid
	}
	return &c, nil
}

// noDuplicateMembers refuses a JSON object whose top-level members repeat,
// so that no two readers of the payload can see different claims.
func noDuplicateMembers(payload []byte) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ErrMalformed
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return ErrMalformed
		}
		// encoding/json matches member names without regard to case, so
		// "AUD" next to "aud" is a duplicate for it, though not for a
		// reader that matches exactly: refuse both kinds.
		k := strings.ToLower(t.(string))
		if seen[k] {
			return fmt.Errorf("%w: %s", ErrDuplicateClaim, t)
		}
		seen[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ErrMalformed
		}
	}
	if _, err := dec.Token(); err != nil {
		return ErrMalformed
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrMalformed
	}
	return nil
}

// singleAudience returns the payload with aud as one string. RFC 7519 lets
// aud be a string or an array; our tokens always carry the license ARN as a
// string, but a verifier must accept an array too. The audience taken from
// an array is its one license ARN: an array with none is ErrMissingAudience,
// with two different ones ErrMalformed (the token would name two licenses).
func singleAudience(payload []byte) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(payload, &top); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	raw, ok := top["aud"]
	if !ok || len(raw) == 0 || raw[0] != '[' {
		return payload, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%w: aud: %v", ErrMalformed, err)
	}
	chosen := ""
	for _, a := range list {
		if !arn.IsLicense(a) || a == chosen {
			continue
		}
		if chosen != "" {
			return nil, fmt.Errorf("%w: aud names two licenses", ErrMalformed)
		}
		chosen = a
	}
	if chosen == "" {
		return nil, ErrMissingAudience
	}
	top["aud"], _ = json.Marshal(chosen)
	return json.Marshal(top)
}
