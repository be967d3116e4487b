package e2e

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/token"
)

// joseResult is what testdata/verify_*.py print: the verified header and
// claims, and the exception class each forgery raised ("" if accepted).
type joseResult struct {
	Header        map[string]any
	Claims        json.RawMessage
	WrongAudience string
	Tampered      string
}

// BR-25: a third party holding only the served JWK set can verify a token,
// with audience = the license ARN, and sees every documented claim.
func TestTokenVerifiesWithThirdPartyJOSE(t *testing.T) {
	t.Parallel()
	ts := startServer(t)

	const days = 30
	props := []string{"env=prod", "équipe-α"}
	before := time.Now().Unix()
	out, err := newSDKClient(t, ts).CreateToken(t.Context(), &licensemanager.CreateTokenInput{
		LicenseArn:       aws.String(licL),
		RoleArns:         []string{roleR1, roleR2},
		TokenProperties:  props,
		ExpirationInDays: aws.Int32(days),
		ClientToken:      aws.String("jose-1"),
	})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	after := time.Now().Unix()
	tok, tokenID := aws.ToString(out.Token), aws.ToString(out.TokenId)

	iat := unverifiedClaims(t, tok).Iat
	if iat < before || iat > after {
		t.Errorf("iat %d is outside the call, [%d, %d]", iat, before, after)
	}
	want := claims{
		Iss: issuer, Sub: account, Aud: licL,
		AMR:      slices.Concat(props, []string{issuerAMR}),
		RoleARNs: []string{roleR1, roleR2},
		TokenUse: "refresh",
		Iat:      iat, Nbf: iat, Exp: iat + days*86400,
		Jti: tokenID,
	}

	jwksURL := ts.url + "/.well-known/jwks.json"
	set := fetchJWKS(t, jwksURL)
	// The set holds the ES256 key of tokens and the PS384 key of checkouts.
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS has %d keys, want the ES256 and PS384 signing keys", len(set.Keys))
	}
	kid := ts.inst.Keys.Active(token.ES256).KeyID()
	if k := set.Key(kid); len(k) != 1 || k[0].Algorithm != "ES256" || !k[0].IsPublic() || !k[0].Valid() {
		t.Fatalf("JWKS keys %+v, want the public ES256 key %s", set.Keys, kid)
	}
	psKid := ts.inst.Keys.Active(token.PS384).KeyID()
	if k := set.Key(psKid); len(k) != 1 || k[0].Algorithm != "PS384" || !k[0].IsPublic() || !k[0].Valid() {
		t.Fatalf("JWKS keys %+v, want the public PS384 key %s", set.Keys, psKid)
	}
	wantHeader := map[string]any{"alg": "ES256", "kid": kid, "typ": "JWT"}

	// rejections name the error each library must raise for a wrong
	// audience and for an edited payload: the right check must fail.
	check := func(t *testing.T, got joseResult, rejections [2]string) {
		t.Helper()
		if diff := cmp.Diff(wantHeader, got.Header); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		var c claims
		if err := decodeStrict(got.Claims, &c); err != nil {
			t.Errorf("claims %s: %v", got.Claims, err)
		}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("claims (-want +got):\n%s", diff)
		}
		if got.WrongAudience != rejections[0] {
			t.Errorf("verifying with another audience raised %q, want %q", got.WrongAudience, rejections[0])
		}
		if got.Tampered != rejections[1] {
			t.Errorf("verifying an edited payload raised %q, want %q", got.Tampered, rejections[1])
		}
	}

	t.Run("go-jose", func(t *testing.T) {
		t.Parallel()
		check(t, verifyGoJOSE(t, set, tok), [2]string{"ErrInvalidAudience", "ErrCryptoFailure"})
	})
	t.Run("joserfc", func(t *testing.T) {
		python := requireTool(t, "joserfc")
		t.Parallel()
		var got joseResult
		runPython(t, python, "verify_joserfc.py", &got, jwksURL, tok, issuer, licL)
		check(t, got, [2]string{"InvalidClaimError", "BadSignatureError"})
	})
	t.Run("PyJWT", func(t *testing.T) {
		python := requireTool(t, "pyjwt")
		t.Parallel()
		var got joseResult
		runPython(t, python, "verify_pyjwt.py", &got, jwksURL, tok, issuer, licL)
		check(t, got, [2]string{"InvalidAudienceError", "InvalidSignatureError"})
	})
}

// fetchJWKS gets the JWK set the server publishes.
func fetchJWKS(t *testing.T, url string) jose.JSONWebKeySet {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s (%v)", url, resp.Status, body, err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatalf("JWKS %s: %v", body, err)
	}
	return set
}

// verifyGoJOSE verifies tok against set with go-jose alone, as a Go
// relying party would, and reports what it saw in the scripts' form.
func verifyGoJOSE(t *testing.T, set jose.JSONWebKeySet, tok string) joseResult {
	t.Helper()
	var res joseResult
	payload, header, err := goJOSEVerify(set, tok, licL)
	if err != nil {
		t.Fatalf("go-jose rejected the token: %v", err)
	}
	res.Claims, res.Header = payload, header
	_, _, err = goJOSEVerify(set, tok, licL+"-other")
	res.WrongAudience = goJOSEErrorName(err)
	_, _, err = goJOSEVerify(set, forge(t, tok), licL)
	res.Tampered = goJOSEErrorName(err)
	return res
}

// goJOSEErrorName names go-jose's sentinel errors as the Python scripts
// name exception classes: "" for no error, else its text.
func goJOSEErrorName(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, jwt.ErrInvalidAudience):
		return "ErrInvalidAudience"
	case errors.Is(err, jose.ErrCryptoFailure):
		return "ErrCryptoFailure"
	}
	return err.Error()
}

// goJOSEVerify checks the signature with the key the kid names, allowing
// only ES256, then the registered claims with audience aud and a minute of
// leeway. It returns the payload and the protected header.
func goJOSEVerify(set jose.JSONWebKeySet, tok, aud string) (json.RawMessage, map[string]any, error) {
	algs := []jose.SignatureAlgorithm{jose.ES256}
	jws, err := jose.ParseSigned(tok, algs)
	if err != nil {
		return nil, nil, err
	}
	h := jws.Signatures[0].Protected
	keys := set.Key(h.KeyID)
	if len(keys) != 1 {
		return nil, nil, errors.New("no key for kid " + h.KeyID)
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		return nil, nil, err
	}
	parsed, err := jwt.ParseSigned(tok, algs)
	if err != nil {
		return nil, nil, err
	}
	var std jwt.Claims
	if err := parsed.Claims(keys[0], &std); err != nil {
		return nil, nil, err
	}
	err = std.ValidateWithLeeway(jwt.Expected{
		Issuer: issuer, AnyAudience: jwt.Audience{aud}, Time: time.Now(),
	}, time.Minute)
	if err != nil {
		return nil, nil, err
	}
	header := map[string]any{"alg": h.Algorithm, "kid": h.KeyID}
	for k, v := range h.ExtraHeaders {
		header[string(k)] = v
	}
	return payload, header, nil
}

// forge returns tok with amr replaced by ["admin"] and the original header
// and signature: what an attacker holding a token could make.
func forge(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	m["amr"] = []string{"admin"}
	edited, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(edited)
	return strings.Join(parts, ".")
}
