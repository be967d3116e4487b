package arn

import (
	"strings"
	"testing"
)

const (
	license = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	role    = "arn:aws:iam::123456789012:role/LicenseConsumer"
)

func TestIsLicense(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"license ARN", license, true},
		{"other partition", "arn:aws-cn:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef", true},
		{"with a Region", "arn:aws:license-manager:us-east-1:123456789012:license:l-0123456789abcdef0123456789abcdef", false},
		{"short license id", "arn:aws:license-manager::123456789012:license:l-0123", false},
		{"upper-case hex", "arn:aws:license-manager::123456789012:license:l-0123456789ABCDEF0123456789abcdef", false},
		{"grant, not license", "arn:aws:license-manager::123456789012:grant:g-0123456789abcdef0123456789abcdef", false},
		{"role ARN", role, false},
		{"eleven-digit account", "arn:aws:license-manager::12345678901:license:l-0123456789abcdef0123456789abcdef", false},
		{"empty", "", false},
		{"trailing space", license + " ", false},
		{"made-up partition", "arn:awsNOT-A-PARTITION:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef", false},
		{"GovCloud", "arn:aws-us-gov:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef", true},
	}
	for _, tt := range tests {
		if got := IsLicense(tt.in); got != tt.want {
			t.Errorf("%s: IsLicense(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestIsRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"plain role", role, true},
		{"role with path", "arn:aws:iam::123456789012:role/service/ci/App", true},
		{"user, not role", "arn:aws:iam::123456789012:user/alice", false},
		{"sts assumed role", "arn:aws:sts::123456789012:assumed-role/App/s1", false},
		{"role name too long", "arn:aws:iam::123456789012:role/" + strings.Repeat("a", 65), false},
		{"empty role name", "arn:aws:iam::123456789012:role/", false},
		{"space in name", "arn:aws:iam::123456789012:role/has space", false},
		{"empty", "", false},
		{"empty path segment", "arn:aws:iam::123456789012:role//App", false},
		{"path at IAM's limit", "arn:aws:iam::123456789012:role/" + strings.Repeat("p", 510) + "/App", true},
		{"path over IAM's limit", "arn:aws:iam::123456789012:role/" + strings.Repeat("p", 511) + "/App", false},
		{"made-up partition", "arn:aws-fake:iam::123456789012:role/App", false},
		{"China partition", "arn:aws-cn:iam::123456789012:role/App", true},
	}
	for _, tt := range tests {
		if got := IsRole(tt.in); got != tt.want {
			t.Errorf("%s: IsRole(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestRoleName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		role: "LicenseConsumer",
		"arn:aws:iam::123456789012:role/service/ci/App": "App",
		license: "",
	} {
		if got := RoleName(in); got != want {
			t.Errorf("RoleName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	a, err := Parse(license)
	if err != nil {
		t.Fatalf("Parse(%q): %v", license, err)
	}
	if a.AccountID != "123456789012" || a.Service != "license-manager" || a.String() != license {
		t.Errorf("Parse(%q) = %+v", license, a)
	}
	if _, err := Parse("arn:aws:iam"); err == nil {
		t.Error("Parse of a three-part string succeeded")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{license, role, "arn:::::", "arn:a:b:c:d:e:f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Errorf("Parse(%q).String() = %q", s, a.String())
		}
		if IsLicense(s) && IsRole(s) {
			t.Errorf("%q is both a license and a role", s)
		}
	})
}

func TestMatchesModelResourceLength(t *testing.T) {
	t.Parallel()
	base := "arn:aws:iam::123456789012:"
	if !MatchesModel(base + strings.Repeat("a", 1024)) {
		t.Error("a 1024-character resource was refused")
	}
	if MatchesModel(base + strings.Repeat("a", 1025)) {
		t.Error("a 1025-character resource was accepted")
	}
}
