package param

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// run parses args for the License Manager operation op and returns the
// request document as compact JSON, or the error's message.
func run(t *testing.T, op string, args ...string) (string, error) {
	t.Helper()
	req, err := Parse(lmOp(t, op), args, Env{})
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(req.Params)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), nil
}

func TestParseOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		op   string
		args []string
		want string
	}{
		{"scalars in model order", "CreateToken",
			[]string{"--client-token", "c", "--license-arn", "L"},
			`{"LicenseArn":"L","ClientToken":"c"}`},
		{"value after equals sign", "CreateToken",
			[]string{"--license-arn=L=x", "--client-token=c"},
			`{"LicenseArn":"L=x","ClientToken":"c"}`},
		{"integer becomes a number", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "c", "--expiration-in-days", "30"},
			`{"LicenseArn":"L","ExpirationInDays":30,"ClientToken":"c"}`},
		{"negative integer is a value, not an option", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "c", "--expiration-in-days", "-5"},
			`{"LicenseArn":"L","ExpirationInDays":-5,"ClientToken":"c"}`},
		{"integer read as Python reads it", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "c", "--expiration-in-days", " +1_000 "},
			`{"LicenseArn":"L","ExpirationInDays":1000,"ClientToken":"c"}`},
		{"list takes the words up to the next option", "CreateToken",
			[]string{"--role-arns", r1, r2, "--license-arn", "L", "--client-token", "c"},
			`{"LicenseArn":"L","RoleArns":["` + r1 + `","` + r2 + `"],"ClientToken":"c"}`},
		{"list with no words is empty", "CreateToken",
			[]string{"--license-arn", "L", "--role-arns", "--client-token", "c"},
			`{"LicenseArn":"L","RoleArns":[],"ClientToken":"c"}`},
		{"BR-09a commas belong to string list items", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "ct-br09", "--token-properties", "tier=gold,seats=5", "region=eu"},
			`{"LicenseArn":"L","TokenProperties":["tier=gold,seats=5","region=eu"],"ClientToken":"ct-br09"}`},
		{"BR-09b JSON list", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "ct-br09b", "--token-properties", `["a","b"]`},
			`{"LicenseArn":"L","TokenProperties":["a","b"],"ClientToken":"ct-br09b"}`},
		{"BR-09c no client-side maximum", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "ct-br09c", "--token-properties", "a", "b", "c", "d"},
			`{"LicenseArn":"L","TokenProperties":["a","b","c","d"],"ClientToken":"ct-br09c"}`},
		{"JSON-looking word among several is plain text", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "c", "--role-arns", `["a"]`, "b"},
			`{"LicenseArn":"L","RoleArns":["[\"a\"]","b"],"ClientToken":"c"}`},
		{"non-ASCII words are kept", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "c", "--token-properties", "équipe-α", "東京", "🔑"},
			`{"LicenseArn":"L","TokenProperties":["équipe-α","東京","🔑"],"ClientToken":"c"}`},
		{"repeated option: last wins", "CreateToken",
			[]string{"--license-arn", "L1", "--license-arn", "L2", "--client-token", "c"},
			`{"LicenseArn":"L2","ClientToken":"c"}`},
		{"unique prefix abbreviates an option", "CreateToken",
			[]string{"--license", "L", "--client", "c"},
			`{"LicenseArn":"L","ClientToken":"c"}`},
		{"boolean flag", "ExtendLicenseConsumption",
			[]string{"--license-consumption-token", "t", "--dry-run"},
			`{"LicenseConsumptionToken":"t","DryRun":true}`},
		{"negative boolean flag", "ExtendLicenseConsumption",
			[]string{"--license-consumption-token", "t", "--no-dry-run"},
			`{"LicenseConsumptionToken":"t","DryRun":false}`},
		{"last boolean flag wins", "ExtendLicenseConsumption",
			[]string{"--no-dry-run", "--license-consumption-token", "t", "--dry-run"},
			`{"LicenseConsumptionToken":"t","DryRun":true}`},
		{"list of structures in shorthand", "ListTokens",
			[]string{"--filters", "Name=LicenseArns,Values=" + lic},
			`{"Filters":[{"Name":"LicenseArns","Values":["` + lic + `"]}]}`},
		{"shorthand list inside a structure", "ListTokens",
			[]string{"--filters", "Name=LicenseArns,Values=a,b", "Name=Other,Values=[c,d]"},
			`{"Filters":[{"Name":"LicenseArns","Values":["a","b"]},{"Name":"Other","Values":["c","d"]}]}`},
		{"list of structures in JSON", "ListTokens",
			[]string{"--filters", `[{"Name":"LicenseArns","Values":["a"]}]`},
			`{"Filters":[{"Name":"LicenseArns","Values":["a"]}]}`},
		{"structures as separate JSON objects", "ListTokens",
			[]string{"--filters", `{"Name":"A"}`, ` {"Name":"B"}`},
			`{"Filters":[{"Name":"A"},{"Name":"B"}]}`},
		{"shorthand typed by the model, members in model order", "CreateLicense", []string{
			"--license-name", "n", "--product-name", "p", "--product-sku", "SKU-EXAMPLE",
			"--issuer", "Name=Example Corp", "--home-region", "us-east-1",
			"--validity", "Begin=2026-01-01T00:00:00Z", "--beneficiary", "123456789012",
			"--entitlements", "Name=Seats,Unit=Count,MaxCount=10,Overage=false", "Name=Pro,Unit=None,Value=enabled,AllowCheckIn=TRUE",
			"--consumption-configuration", "RenewType=None,ProvisionalConfiguration={MaxTimeToLiveInMinutes=60}",
			"--client-token", "c"},
			`{"LicenseName":"n","ProductName":"p","ProductSKU":"SKU-EXAMPLE","Issuer":{"Name":"Example Corp"},` +
				`"HomeRegion":"us-east-1","Validity":{"Begin":"2026-01-01T00:00:00Z"},` +
				`"Entitlements":[{"Name":"Seats","MaxCount":10,"Overage":false,"Unit":"Count"},{"Name":"Pro","Value":"enabled","Unit":"None","AllowCheckIn":true}],` +
				`"Beneficiary":"123456789012","ConsumptionConfiguration":{"RenewType":"None","ProvisionalConfiguration":{"MaxTimeToLiveInMinutes":60}},"ClientToken":"c"}`},
		{"structure in JSON", "CreateLicenseVersion", []string{
			"--license-arn", "L", "--license-name", "n", "--product-name", "p", "--issuer", `{"Name":"I","SignKey":"k"}`,
			"--home-region", "r", "--validity", "Begin=b", "--entitlements", "Name=a,Unit=None",
			"--consumption-configuration", "{}", "--status", "AVAILABLE", "--client-token", "c"},
			`{"LicenseArn":"L","LicenseName":"n","ProductName":"p","Issuer":{"Name":"I","SignKey":"k"},"HomeRegion":"r",` +
				`"Validity":{"Begin":"b"},"Entitlements":[{"Name":"a","Unit":"None"}],"ConsumptionConfiguration":{},"Status":"AVAILABLE","ClientToken":"c"}`},
		{"enum is not checked", "CheckoutLicense", []string{
			"--product-sku", "S", "--checkout-type", "SOMETIMES", "--key-fingerprint", "f",
			"--entitlements", "Name=seats,Value=1,Unit=Count", "--client-token", "1"},
			`{"ProductSKU":"S","CheckoutType":"SOMETIMES","KeyFingerprint":"f","Entitlements":[{"Name":"seats","Value":"1","Unit":"Count"}],"ClientToken":"1"}`},
		{"no options at all", "ListTokens", nil, `{}`},
		// --version is the global option; the aws CLI renames the member.
		{"get-license takes the version as --license-version", "GetLicense",
			[]string{"--license-arn", "L", "--license-version", "2"},
			`{"LicenseArn":"L","Version":"2"}`},
		{"a quoted shorthand value may hold an emoji", "ListLicenses",
			[]string{"--filters", `Name=ProductSKU,Values="🔑",東京`},
			`{"Filters":[{"Name":"ProductSKU","Values":["🔑","東京"]}]}`},
		{"Python white space ends an unquoted shorthand value", "ListLicenses",
			[]string{"--filters", "Name=ProductSKU\x1f,Values=a\u00a0"},
			`{"Filters":[{"Name":"ProductSKU","Values":["a"]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := run(t, tc.op, tc.args...)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tc.args, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		op   string
		args []string
		kind Kind
		want string
	}{
		{"BR-11b missing required option", "CreateToken", []string{"--license-arn", "L"},
			KindUsage, "the following arguments are required: --client-token"},
		{"missing required options in model order", "CreateToken", nil,
			KindUsage, "the following arguments are required: --license-arn, --client-token"},
		{"option without its value", "CreateToken", []string{"--license-arn", "--client-token", "c"},
			KindUsage, "argument --license-arn: expected one argument"},
		{"option at the end without its value", "CreateToken", []string{"--client-token", "c", "--license-arn"},
			KindUsage, "argument --license-arn: expected one argument"},
		{"ambiguous prefix", "ListTokens", []string{"--cli-input", "{}"},
			KindUsage, "ambiguous option: --cli-input could match --cli-input-json, --cli-input-yaml"},
		{"value given to a flag", "ExtendLicenseConsumption", []string{"--license-consumption-token", "t", "--dry-run=yes"},
			KindUsage, "argument --dry-run: ignored explicit argument 'yes'"},
		{"invalid skeleton choice", "ListTokens", []string{"--generate-cli-skeleton", "json"},
			KindUsage, "argument --generate-cli-skeleton: Invalid choice, valid choices are:\n\n" +
				"input                                    | output                                  \n" +
				"yaml-input                              "},
		{"unknown options, the first stray word last", "CreateToken",
			[]string{"0", "--license-arn", "L", "3", "--client-token", "x", "4", "--foo", "5", "--bar=6"},
			KindUnknown, "Unknown options: 3, 4, --foo, 5, --bar=6, 0"},
		{"boolean flags take no value", "ExtendLicenseConsumption", []string{"--license-consumption-token", "t", "--dry-run", "true"},
			KindUnknown, "Unknown options: true"},
		{"BR-06b malformed integer names the option and the literal", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "ct-br06b", "--expiration-in-days", "abc"},
			KindParam, "Error parsing parameter '--expiration-in-days': expected an integer, received 'abc'"},
		{"fractional integer", "CreateToken",
			[]string{"--license-arn", "L", "--client-token", "c", "--expiration-in-days", "1.5"},
			KindParam, "Error parsing parameter '--expiration-in-days': expected an integer, received '1.5'"},
		{"malformed integer in shorthand", "CreateLicense", []string{
			"--license-name", "n", "--product-name", "p", "--product-sku", "s", "--issuer", "Name=i", "--home-region", "r",
			"--validity", "Begin=b", "--beneficiary", "b", "--consumption-configuration", "{}", "--client-token", "c",
			"--entitlements", "Name=Seats,Unit=Count,MaxCount=ten"},
			KindParam, "Error parsing parameter '--entitlements': MaxCount: expected an integer, received 'ten'"},
		{"broken shorthand", "ListTokens", []string{"--filters", "Name"},
			KindParam, "Error parsing parameter '--filters': Expected: '=', received: 'EOF' for input:\nName\n    ^"},
		{"broken JSON", "ListTokens", []string{"--filters", `[{"Name":`},
			KindParam, "Error parsing parameter '--filters': Invalid JSON: Expecting value: line 1 column 10 (char 9)\nJSON received: [{\"Name\":"},
		{"structure given as a list", "CreateLicenseVersion", []string{
			"--license-arn", "L", "--license-name", "n", "--product-name", "p", "--issuer", `[1]`, "--home-region", "r",
			"--validity", "Begin=b", "--entitlements", "Name=a,Unit=None", "--consumption-configuration", "{}",
			"--status", "AVAILABLE", "--client-token", "c"},
			KindParam, "Error parsing parameter '--issuer': Invalid JSON:\n[1]"},
		{"BR-06d below the model's minimum", "ListTokens", []string{"--max-results", "0"},
			KindParam, "Parameter validation failed:\nInvalid value for parameter MaxResults, value: 0, valid min value: 1"},
		{"unknown shorthand key", "ListTokens", []string{"--filters", "Nam=a", "Name=b,Values=[]"},
			KindParam, "Parameter validation failed:\nUnknown parameter in Filters[0]: \"Nam\", must be one of: Name, Values"},
		{"JSON first item, then shorthand", "CheckoutLicense", []string{
			"--product-sku", "s", "--checkout-type", "PROVISIONAL", "--key-fingerprint", "f", "--client-token", "c",
			"--entitlements", `{"Name":"a","Unit":"Count"}`, "Name=b,Unit=Count"},
			KindParam, "Error parsing parameter '--entitlements': Invalid JSON:\nName=b,Unit=Count"},
		{"unquoted emoji in shorthand", "ListLicenses", []string{"--filters", "Name=ProductSKU,Values=a,🔑"},
			KindParam, "Error parsing parameter '--filters': Expected: '=', received: '🔑' for input:\n" +
				"Name=ProductSKU,Values=a,🔑\n                         ^"},
		{"the global --version is not a get-license option", "GetLicense", []string{"--license-arn", "L", "--version", "2"},
			KindUnknown, "Unknown options: --version, 2"},
		{"min list length", "CreateGrant", []string{"--client-token", "c", "--grant-name", "g", "--license-arn", "L",
			"--principals", "--home-region", "r", "--allowed-operations", "CreateGrant"},
			KindParam, "Parameter validation failed:\nInvalid length for parameter Principals, value: 0, valid min length: 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := run(t, tc.op, tc.args...)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error = %v, want *Error", tc.args, err)
			}
			if e.Kind != tc.kind {
				t.Errorf("Parse(%q) kind = %v, want %v", tc.args, e.Kind, tc.kind)
			}
			if diff := cmp.Diff(tc.want, e.Msg); diff != "" {
				t.Errorf("Parse(%q) message (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"help"},
		{"--license-arn", "L", "--client-token", "c", "help"},
	} {
		if _, err := Parse(lmOp(t, "CreateToken"), args, Env{}); !errors.Is(err, ErrHelp) {
			t.Errorf("Parse(%q) error = %v, want ErrHelp", args, err)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	usageBlock := "\nusage: license-manager [options] <command> [parameters]\n" +
		"To see help text, you can run:\n\n" +
		"  license-manager help\n" +
		"  license-manager <command> help\n\n"
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"usage error", &Error{Kind: KindUsage, Msg: "m"}, usageBlock + "license-manager: error: m\n"},
		{"unknown options", &Error{Kind: KindUnknown, Msg: "Unknown options: --foo"}, usageBlock + "Unknown options: --foo\n"},
		{"parameter error", &Error{Kind: KindParam, Msg: "Parameter validation failed:\nx"}, "\nParameter validation failed:\nx"},
		{"other error", errors.New("boom"), "\nboom"},
	} {
		if got := Format(tc.err); got != tc.want {
			t.Errorf("%s: Format = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestOptionName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ op, member, want string }{
		{"GetLicense", "Version", "license-version"},
		{"GetLicense", "LicenseArn", "license-arn"},
		{"CreateLicense", "ProductSKU", "product-sku"},
		{"CreateLicenseVersion", "SourceVersion", "source-version"},
	} {
		if got := OptionName(lmOp(t, tc.op), tc.member); got != tc.want {
			t.Errorf("OptionName(%s, %s) = %q, want %q", tc.op, tc.member, got, tc.want)
		}
	}
}
