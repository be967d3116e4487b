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

// BR-25: aud may be an array; the audience is its one license ARN.
func TestVerifyAudienceForms(t *testing.T) {
	t.Parallel()
	keys, err := LoadKeySet(filepath.Join(t.TempDir(), KeyFile), ES256)
	if err != nil {
		t.Fatal(err)
	}
	const lic = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	const lic2 = "arn:aws:license-manager::123456789012:license:l-fedcba9876543210fedcba9876543210"
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		aud     string
		want    string
		wantErr error
	}{
		{`"` + lic + `"`, lic, nil},
		{`["` + lic + `","other"]`, lic, nil},
		{`["other","` + lic + `","` + lic + `"]`, lic, nil},
		{`["other"]`, "", ErrMissingAudience},
		{`[]`, "", ErrMissingAudience},
		{`["` + lic + `","` + lic2 + `"]`, "", ErrMalformed},
		{`[1]`, "", ErrMalformed},
	} {
		payload := `{"iss":"x","sub":"123456789012","aud":` + tc.aud + `,"amr":[],"role_arns":[],"token_use":"access","iat":1800000000,"nbf":1800000000,"exp":1800003600,"jti":"j"}`
		compact, err := sign(keys.Active(ES256), json.RawMessage(payload))
		if err != nil {
			t.Fatal(err)
		}
		c, err := keys.Verify(compact, UseAccess, now)
		switch {
		case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
			t.Errorf("aud %s: Verify = %v, want %v", tc.aud, err, tc.wantErr)
		case tc.wantErr == nil && (err != nil || c.Audience != tc.want):
			t.Errorf("aud %s: Verify = %+v, %v; want audience %s", tc.aud, c, err, tc.want)
		}
	}
}
