package lmapi

import (
	"strings"
	"testing"
)

func TestListTokensValidate(t *testing.T) {
	t.Parallel()
	lf := func(values ...string) Filter { return Filter{Name: ptr(FilterLicenseArns), Values: values} }
	tests := []struct {
		name string
		in   ListTokensInput
		want string // the whole message; "" for valid
	}{
		{"nothing", ListTokensInput{}, ""},
		{"everything", ListTokensInput{TokenIDs: []string{"a", "b"}, Filters: []Filter{lf(lic)}, NextToken: ptr("x"), MaxResults: ptr(int64(100))}, ""},
		{"one result", ListTokensInput{MaxResults: ptr(int64(1))}, ""},
		{"empty lists", ListTokensInput{TokenIDs: []string{}, Filters: []Filter{}}, ""},
		{"zero results", ListTokensInput{MaxResults: ptr(int64(0))},
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"101 results", ListTokensInput{MaxResults: ptr(int64(101))},
			"1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"another filter name", ListTokensInput{Filters: []Filter{{Name: ptr("Status"), Values: []string{"AVAILABLE"}}}},
			"1 validation error detected: Value 'Status' at 'filters.1.member.name' failed to satisfy constraint: Member must satisfy enum value set: [LicenseArns]"},
		{"the name in another case", ListTokensInput{Filters: []Filter{{Name: ptr("licenseArns"), Values: []string{lic}}}},
			"1 validation error detected: Value 'licenseArns' at 'filters.1.member.name' failed to satisfy constraint: Member must satisfy enum value set: [LicenseArns]"},
		{"no name", ListTokensInput{Filters: []Filter{{Values: []string{lic}}}},
			"1 validation error detected: Value null at 'filters.1.member.name' failed to satisfy constraint: Member must not be null"},
		{"no values", ListTokensInput{Filters: []Filter{lf()}},
			"1 validation error detected: Value '[]' at 'filters.1.member.values' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"two values", ListTokensInput{Filters: []Filter{lf(lic, lic)}},
			"1 validation error detected: Value '[" + lic + ", " + lic + "]' at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"a role ARN", ListTokensInput{Filters: []Filter{lf(role)}},
			"1 validation error detected: Value '" + role + "' at 'filters.1.member.values.1.member' failed to satisfy constraint: Member must be " + licenseKind},
		{"two license filters", ListTokensInput{Filters: []Filter{lf(lic), lf(lic)}},
			"1 validation error detected: Value '[LicenseArns, LicenseArns]' at 'filters' failed to satisfy constraint: Member must have at most one filter named LicenseArns"},
		{"NUL in a token id", ListTokensInput{TokenIDs: []string{"ok", "a\x00b"}},
			"1 validation error detected: Value 'a\x00b' at 'tokenIds.2.member' failed to satisfy constraint: Member must not contain the NUL character"},
		{"every problem at once", ListTokensInput{Filters: []Filter{{Name: ptr("X")}}, MaxResults: ptr(int64(-1))},
			"3 validation errors detected: Value 'X' at 'filters.1.member.name' failed to satisfy constraint: Member must satisfy enum value set: [LicenseArns]; " +
				"Value '[]' at 'filters.1.member.values' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '-1' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
	}
	for _, tt := range tests {
		err := tt.in.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
		case tt.want != "" && err == nil:
			t.Errorf("%s: Validate() = nil, want %q", tt.name, tt.want)
		case err != nil && (err.Code != ValidationException || err.Message != tt.want || err.Status != 400):
			t.Errorf("%s: Validate() = %d %s: %q\nwant 400 ValidationException: %q", tt.name, err.Status, err.Code, err.Message, tt.want)
		}
	}
	in := ListTokensInput{Filters: []Filter{lf(lic)}}
	if got := in.LicenseARN(); got != lic {
		t.Errorf("LicenseARN() = %q, want %q", got, lic)
	}
	if got := (&ListTokensInput{}).LicenseARN(); got != "" {
		t.Errorf("LicenseARN() without filters = %q, want empty", got)
	}
}

func TestDeleteTokenValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   DeleteTokenInput
		want string
	}{
		{"an id", DeleteTokenInput{TokenID: ptr("tok-does-not-exist")}, ""},
		{"missing", DeleteTokenInput{}, "1 validation error detected: Value null at 'tokenId' failed to satisfy constraint: Member must not be null"},
		{"empty", DeleteTokenInput{TokenID: ptr("")}, "1 validation error detected: Value '' at 'tokenId' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"NUL", DeleteTokenInput{TokenID: ptr("a\x00")}, "1 validation error detected: Value 'a\x00' at 'tokenId' failed to satisfy constraint: Member must not contain the NUL character"},
	}
	for _, tt := range tests {
		err := tt.in.Validate()
		if (err == nil) != (tt.want == "") || (err != nil && err.Message != tt.want) {
			t.Errorf("%s: Validate() = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestGetAccessTokenValidate(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxTokenStringLength+1)
	tests := []struct {
		name string
		in   GetAccessTokenInput
		want string
	}{
		{"a token", GetAccessTokenInput{Token: ptr("a.b.c")}, ""},
		{"4096 characters", GetAccessTokenInput{Token: ptr(strings.Repeat("a", MaxTokenStringLength))}, ""},
		{"three properties", GetAccessTokenInput{Token: ptr("t"), TokenProperties: []string{"équipe-α", "東京", "🔑"}}, ""},
		{"missing", GetAccessTokenInput{}, "1 validation error detected: Value null at 'token' failed to satisfy constraint: Member must not be null"},
		// The token is a credential: no message repeats it.
		{"4097 characters", GetAccessTokenInput{Token: ptr(long)},
			"1 validation error detected: Value at 'token' failed to satisfy constraint: Member must have length less than or equal to 4096"},
		{"empty", GetAccessTokenInput{Token: ptr("")},
			"1 validation error detected: Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: \\S+"},
		{"a space", GetAccessTokenInput{Token: ptr("a.b c")},
			"1 validation error detected: Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: \\S+"},
		{"four properties", GetAccessTokenInput{Token: ptr("t"), TokenProperties: []string{"a", "b", "c", "d"}},
			"1 validation error detected: Value '[a, b, c, d]' at 'tokenProperties' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"NUL in a property", GetAccessTokenInput{Token: ptr("t"), TokenProperties: []string{"a\x00"}},
			"1 validation error detected: Value 'a\x00' at 'tokenProperties.1.member' failed to satisfy constraint: Member must not contain the NUL character"},
	}
	for _, tt := range tests {
		err := tt.in.Validate()
		if (err == nil) != (tt.want == "") || (err != nil && err.Message != tt.want) {
			t.Errorf("%s: Validate() = %v, want %q", tt.name, err, tt.want)
		}
	}
}
