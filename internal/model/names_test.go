package model

import "testing"

func TestCLIName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"LicenseArn", "license-arn"},
		{"ProductSKU", "product-sku"},
		{"RoleArns", "role-arns"},
		{"CreateToken", "create-token"},
		{"AssumeRoleWithWebIdentity", "assume-role-with-web-identity"},
		{"MaxTimeToLiveInMinutes", "max-time-to-live-in-minutes"},
		{"DryRun", "dry-run"},
		{"ListARNs", "list-arns"},
		{"CheckInLicense", "check-in-license"},
		{"arn", "arn"},
		{"already-kebab", "already-kebab"},
	} {
		if got := CLIName(tc.in); got != tc.want {
			t.Errorf("CLIName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEveryOperationAndMemberHasADistinctCLIName(t *testing.T) {
	t.Parallel()
	for _, svc := range []*Service{LicenseManager(), STS()} {
		seen := map[string]string{}
		for _, name := range svc.OperationNames {
			cli := CLIName(name)
			if prev, dup := seen[cli]; dup {
				t.Errorf("%s and %s both become %s", prev, name, cli)
			}
			seen[cli] = name
			op := svc.Operations[name]
			if op.Input == nil {
				continue
			}
			opts := map[string]bool{}
			for _, m := range op.Input.Members {
				o := CLIName(m.Name)
				if opts[o] {
					t.Errorf("%s: two members become --%s", name, o)
				}
				opts[o] = true
			}
		}
	}
}

func TestDocOverview(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"<p>Filters to scope the results. The following filter is supported:</p> <ul><li>x</li></ul>", "Filters to scope the results."},
		{"<p>Token IDs.</p>", "Token IDs."},
		{"<p>The OAuth 2.0 access token.</p>", "The OAuth 2."},
		{"<p>Supported: a, b.</p>", "Supported."},
		{"<p>a &amp; b</p>", "a & b."},
		{"<p>Line\nbreak. More.</p>", "Line break."},
		{"<p>unclosed", "<p>unclosed."},
		{"", ""},
	} {
		if got := DocOverview(tc.in); got != tc.want {
			t.Errorf("DocOverview(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMemberDoc(t *testing.T) {
	t.Parallel()
	lm := LicenseManager()
	if got := lm.Operation("CreateToken").Input.MemberByName("LicenseArn").Doc(); got == "" {
		t.Error("LicenseArn has no documentation")
	}
	sh := &Shape{Documentation: "shape doc"}
	if got := (&Member{Shape: sh}).Doc(); got != "shape doc" {
		t.Errorf("Doc() = %q, want the shape's documentation", got)
	}
}
