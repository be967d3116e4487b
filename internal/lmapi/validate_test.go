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
		// The limit counts characters, not bytes.
		{"2048 two-byte characters", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr(strings.Repeat("é", 2048))}},
		{"a property that merely mentions the prefix", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"),
			TokenProperties: []string{"x-aws:license-manager:y"}}},
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
		// A caller must not imitate the entry the service writes for the
		// issuing account, which role trust policies match on.
		{"reserved property prefix", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"),
			TokenProperties: []string{"ok", "aws:license-manager:token-issuer-account-id:999999999999"}},
			"1 validation error detected: Value 'aws:license-manager:token-issuer-account-id:999999999999' at 'tokenProperties.2.member' failed to satisfy constraint: Member must not start with the reserved prefix 'aws:license-manager:'"},
		{"NUL in a property", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), TokenProperties: []string{"x\x00y"}},
			"1 validation error detected: Value 'x\x00y' at 'tokenProperties.1.member' failed to satisfy constraint: Member must not contain the NUL character"},
		{"NUL in the client token", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("a\x00b")},
			"1 validation error detected: Value 'a\x00b' at 'clientToken' failed to satisfy constraint: Member must not contain the NUL character"},
		{"2049 two-byte characters", CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr(strings.Repeat("é", 2049))},
			"1 validation error detected: Value '" + strings.Repeat("é", 2049) + "' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 2048"},
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

// A request with many bad members gets a bounded reply: the count covers
// them all, the text spells out the first MaxReported, and no value is
// echoed at length.
func TestViolationMessagesAreBounded(t *testing.T) {
	t.Parallel()
	roles := make([]string, 340000)
	in := CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), RoleARNs: roles,
		TokenProperties: []string{strings.Repeat("p", 1<<20), "b", "c", "d"}}
	err := in.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want a ValidationException")
	}
	if !strings.HasPrefix(err.Message, "340001 validation errors detected: Value '' at 'roleArns.1.member'") {
		t.Errorf("message starts %.120q", err.Message)
	}
	if !strings.HasSuffix(err.Message, "; and 339991 more") {
		t.Errorf("message ends %q, want the count of the violations not shown", err.Message[len(err.Message)-60:])
	}
	if n := strings.Count(err.Message, "failed to satisfy constraint"); n != MaxReported {
		t.Errorf("message spells out %d violations, want %d", n, MaxReported)
	}
	if len(err.Message) > 20*MaxEchoed {
		t.Errorf("message is %d bytes, want it bounded", len(err.Message))
	}
	long := CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"), TokenProperties: []string{strings.Repeat("p", 5000), "b", "c", "d"}}
	msg := long.Validate().Message
	if !strings.Contains(msg, "... (5009 characters in all)]'") {
		t.Errorf("a long list is not truncated with its length: %.200q...", msg[len(msg)-200:])
	}
}

// A token may embed only roles of the calling account.
func TestCreateTokenValidateForAccount(t *testing.T) {
	t.Parallel()
	in := CreateTokenInput{LicenseARN: ptr(lic), ClientToken: ptr("c"),
		RoleARNs: []string{role, "arn:aws:iam::111111111111:role/App"}}
	if err := in.Validate(); err != nil {
		t.Errorf("Validate() = %v, want nil: without a caller there is no account to compare", err)
	}
	err := in.ValidateFor("123456789012")
	want := "1 validation error detected: Value 'arn:aws:iam::111111111111:role/App' at 'roleArns.2.member' failed to satisfy constraint: Member must be an IAM role in the calling account (123456789012)"
	if err == nil || err.Message != want {
		t.Errorf("ValidateFor() = %v, want %q", err, want)
	}
}
