package token

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A payload whose claim names differ only in case must be refused: the
// verifier's decoder matches names without regard to case, a reader in
// another language matches them exactly, and the two would see different
// claims in one signed token.
func TestVerifyRefusesCaseVariantClaims(t *testing.T) {
	t.Parallel()
	keys, err := LoadKeySet(filepath.Join(t.TempDir(), KeyFile), ES256)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	for _, payload := range []string{
		`{"iss":"x","sub":"123456789012","aud":"arn:first","AUD":"arn:second","amr":[],"role_arns":[],"token_use":"refresh","iat":1800000000,"nbf":1800000000,"exp":1800003600,"jti":"j"}`,
		`{"iss":"x","sub":"123456789012","aud":"arn:first","amr":[],"role_arns":[],"token_use":"access","Token_Use":"refresh","iat":1800000000,"nbf":1800000000,"exp":1800003600,"jti":"j"}`,
	} {
		compact, err := sign(keys.Active(ES256), json.RawMessage(payload))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := keys.Verify(compact, UseRefresh, now); !errors.Is(err, ErrDuplicateClaim) {
			t.Errorf("Verify(%s) = %v, want ErrDuplicateClaim", payload, err)
		}
	}
}
