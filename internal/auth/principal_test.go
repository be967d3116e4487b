package auth

import "testing"

func TestARN(t *testing.T) {
	for _, tc := range []struct {
		p    Principal
		want string
	}{
		{Embedded("123456789012"), "arn:aws:iam::123456789012:root"},
		{Principal{Kind: Account, AccountID: "123456789012", UserName: "admin"}, "arn:aws:iam::123456789012:user/admin"},
		{Principal{Kind: AssumedRole, AccountID: "123456789012", RoleARN: "arn:aws:iam::123456789012:role/team/LicenseConsumer", SessionName: "s1"},
			"arn:aws:sts::123456789012:assumed-role/LicenseConsumer/s1"},
		{Principal{}, ""},
	} {
		if got := tc.p.ARN(); got != tc.want {
			t.Errorf("%+v.ARN() = %q, want %q", tc.p, got, tc.want)
		}
	}
}
