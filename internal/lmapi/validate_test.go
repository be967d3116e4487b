package lmapi

import (
	"strings"
	"testing"
)

const (
	lic  = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	role = "arn:aws:iam::123456789012:role/LicenseConsumer"
)

func ptr[T any](v T) *T { return &v }

func TestCreateTokenValidateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   CreateTokenInput
	}{
		{"required members only", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c")}},
		{"everything at its limit", CreateTokenInput{
			LicenseARN: ptr(lic), RoleARNs: []string{role, role + "2"}, ExpirationInDays: ptr(int64(MaxExpirationInDays)),
			TokenProperties: []string{"a", "b", "c"}, ClientToken: ptr(strings.Repeat("x", 2048)),
		}},
		{"one day", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("1"), ExpirationInDays: ptr(int64(1))}},
		{"empty lists", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), RoleARNs: []string{}, TokenProperties: []string{}}},
		{"commas and non-ASCII in properties", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"),
			TokenProperties: []string{"tier=gold,seats=5", "équipe-α", "🔑"}}},
	}
	for _, tt := range tests {
		if err := tt.in.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
		}
	}
}

func TestCreateTokenValidateRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   CreateTokenInput
		want string // the whole message
	}{
		{"missing license and client token", CreateTokenInput{},
			"2 validation errors detected: Value null at 'licenseArn' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'clientToken' failed to satisfy constraint: Member must not be null"},
		// BR-09c: botocore sends four properties; the server must refuse.
		{"four token properties", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), TokenProperties: []string{"a", "b", "c", "d"}},
			"1 validation error detected: Value '[a, b, c, d]' at 'tokenProperties' failed to satisfy constraint: Member must have length less than or equal to 3"},
		// BR-06d: no minimum in the model, so the CLI sends these.
		{"negative expiration", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), ExpirationInDays: ptr(int64(-5))},
			"1 validation error detected: Value '-5' at 'expirationInDays' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"zero expiration", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), ExpirationInDays: ptr(int64(0))},
			"1 validation error detected: Value '0' at 'expirationInDays' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"expiration past the maximum", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), ExpirationInDays: ptr(int64(3651))},
			"1 validation error detected: Value '3651' at 'expirationInDays' failed to satisfy constraint: Member must have value less than or equal to 3650"},
		{"empty client token", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("")},
			"1 validation error detected: Value '' at 'clientToken' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"client token with a space", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("a b")},
			`1 validation error detected: Value 'a b' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \S+`},
		{"client token with a no-break space", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("a\u00a0b")},
			"1 validation error detected: Value 'a\u00a0b' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \\S+"},
		{"client token too long", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr(strings.Repeat("x", 2049))},
			"1 validation error detected: Value '" + strings.Repeat("x", 2049) + "' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"role ARN as license", CreateTokenInput{LicenseARN: ptr(role), ClientToken: ptr("c")},
			"1 validation error detected: Value '" + role + "' at 'licenseArn' failed to satisfy constraint: Member must be a License Manager license ARN (arn:aws:license-manager::<account-id>:license:l-<32 hexadecimal digits>)"},
		{"license ARN as role", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), RoleARNs: []string{role, lic}},
			"1 validation error detected: Value '" + lic + "' at 'roleArns.2.member' failed to satisfy constraint: Member must be an IAM role ARN (arn:aws:iam::<account-id>:role/<name>)"},
		{"license ARN too long", CreateTokenInput{LicenseARN: ptr(lic + strings.Repeat("a", 2048)), ClientToken: ptr("c")},
			"1 validation error detected: Value '" + lic + strings.Repeat("a", 2048) + "' at 'licenseArn' failed to satisfy constraint: Member must have length less than or equal to 2048"},
	}
	for _, tt := range tests {
		err := tt.in.Validate()
		if err == nil {
			t.Errorf("%s: Validate() = nil, want ValidationException", tt.name)
			continue
		}
		if err.Code != ValidationException || err.Status != 400 || err.Message != tt.want {
			t.Errorf("%s: Validate() = %s (%d) %q\nwant ValidationException (400) %q", tt.name, err.Code, err.Status, err.Message, tt.want)
		}
	}
}

// BR-10b: the unedited skeleton is sent verbatim by the aws CLI; every
// placeholder must be refused, and nothing with ExpirationInDays 0 issued.
func TestCreateTokenValidateSkeleton(t *testing.T) {
	t.Parallel()
	in := CreateTokenInput{
		LicenseARN: ptr(""), RoleARNs: []string{""}, ExpirationInDays: ptr(int64(0)),
		TokenProperties: []string{""}, ClientToken: ptr(""),
	}
	err := in.Validate()
	if err == nil {
		t.Fatal("Validate() of the skeleton = nil")
	}
	for _, want := range []string{"4 validation errors detected", "'licenseArn'", "'roleArns.1.member'", "'expirationInDays'", "'clientToken'"} {
		if !strings.Contains(err.Message, want) {
			t.Errorf("message %q lacks %q", err.Message, want)
		}
	}
}
