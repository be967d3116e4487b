package lmapi

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"testing"

	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/model"
)

// clientRequests are valid requests of each operation with every member
// of its input shape, as parameters to boto3.
var clientRequests = map[string]string{
	OpCreateLicense: `{"LicenseName": "Acme Pro 2026", "ProductName": "Acme Pro", "ProductSKU": "SKU-1",
		"Issuer": {"Name": "Acme", "SignKey": "arn:aws:kms:us-east-1:123456789012:key/k"}, "HomeRegion": "us-east-1",
		"Validity": {"Begin": "2026-01-01T00:00:00Z", "End": "2027-01-01T00:00:00.000+01:00"},
		"Entitlements": [
			{"Name": "Seats", "MaxCount": 10, "Overage": false, "Unit": "Count", "AllowCheckIn": true},
			{"Name": "Pro", "Value": "enabled", "Unit": "None"}],
		"Beneficiary": "210987654321",
		"ConsumptionConfiguration": {"RenewType": "Monthly", "ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": 60},
			"BorrowConfiguration": {"AllowEarlyCheckIn": true, "MaxTimeToLiveInMinutes": 1440}},
		"LicenseMetadata": [{"Name": "tier", "Value": "gold"}], "ClientToken": "create-1",
		"Tags": [{"Key": "env", "Value": "prod"}]}`,
	OpGetLicense: `{"LicenseArn": "` + lic + `", "Version": "1"}`,
	OpListLicenses: `{"LicenseArns": ["` + lic + `"], "Filters": [{"Name": "Status", "Values": ["AVAILABLE", "EXPIRED"]},
		{"Name": "Beneficiary", "Values": ["210987654321"]}], "NextToken": "next", "MaxResults": 50}`,
	OpListReceivedLicenses: `{"LicenseArns": ["` + lic + `"], "Filters": [{"Name": "IssuerName", "Values": ["Acme"]}],
		"NextToken": "next", "MaxResults": 1}`,
	OpDeleteLicense: `{"LicenseArn": "` + lic + `", "SourceVersion": "2"}`,
	OpCreateLicenseVersion: `{"LicenseArn": "` + lic + `", "LicenseName": "Acme Pro 2026", "ProductName": "Acme Pro",
		"Issuer": {"Name": "Acme", "SignKey": "k"}, "HomeRegion": "eu-west-1",
		"Validity": {"Begin": "2026-01-01T00:00:00Z", "End": "2028-01-01T00:00:00Z"},
		"LicenseMetadata": [{"Name": "tier", "Value": "platinum"}],
		"Entitlements": [{"Name": "Seats", "MaxCount": 20, "Overage": true, "Unit": "Count", "AllowCheckIn": false},
			{"Name": "Region", "Value": "eu", "Unit": "None"}],
		"ConsumptionConfiguration": {"RenewType": "None", "ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": 30},
			"BorrowConfiguration": {"AllowEarlyCheckIn": false, "MaxTimeToLiveInMinutes": 525600}},
		"Status": "SUSPENDED", "ClientToken": "version-2", "SourceVersion": "1"}`,
	OpListLicenseVersions: `{"LicenseArn": "` + lic + `", "NextToken": "next", "MaxResults": 100}`,
	OpCheckoutLicense: `{"ProductSKU": "SKU-1", "CheckoutType": "PERPETUAL", "KeyFingerprint": "aws:123456789012:Acme:issuer-fingerprint",
		"Entitlements": [{"Name": "Seats", "Value": "3", "Unit": "Count"}, {"Name": "Pro", "Unit": "None"}],
		"ClientToken": "checkout-1", "Beneficiary": "210987654321", "NodeId": "node-7"}`,
	OpCheckInLicense:           `{"LicenseConsumptionToken": "0123456789abcdef0123456789abcdef", "Beneficiary": "210987654321"}`,
	OpExtendLicenseConsumption: `{"LicenseConsumptionToken": "0123456789abcdef0123456789abcdef", "DryRun": true}`,
	OpGetLicenseUsage:          `{"LicenseArn": "` + lic + `"}`,
	OpCheckoutBorrowLicense: `{"LicenseArn": "` + lic + `", "Entitlements": [{"Name": "Seats", "Value": "1", "Unit": "Count"}],
		"DigitalSignatureMethod": "JWT_PS384", "NodeId": "laptop-1", "CheckoutMetadata": [{"Name": "user", "Value": "ana"}],
		"ClientToken": "borrow-1"}`,
}

// missingMembers returns the paths of members of shape sh that v, a
// decoded JSON value, leaves out (every element of a list is searched).
func missingMembers(sh *model.Shape, v any, path string) []string {
	var out []string
	switch sh.Type {
	case "structure":
		obj, _ := v.(map[string]any)
		for _, m := range sh.Members {
			x, ok := obj[m.Name]
			if !ok {
				out = append(out, path+"."+m.Name)
				continue
			}
			out = append(out, missingMembers(m.Shape, x, path+"."+m.Name)...)
		}
	case "list":
		list, _ := v.([]any)
		if len(list) == 0 {
			return []string{path + "[]"}
		}
		// A member counts as given if any element gives it.
		missing := map[string]int{}
		for _, x := range list {
			for _, p := range missingMembers(sh.Member, x, path+"[]") {
				missing[p]++
			}
		}
		for p, n := range missing {
			if n == len(list) {
				out = append(out, p)
			}
		}
	}
	return out
}

// Each Input decodes what botocore (boto3 and the aws CLI) serializes for
// a request with every member, loses nothing, and passes Validate.
func TestDecodeBotocoreRequests(t *testing.T) {
	t.Parallel()
	svc := model.LicenseManager()
	params := map[string]json.RawMessage{}
	for _, op := range operations {
		req, ok := clientRequests[op.name]
		if !ok {
			continue // the token operations have tests of their own
		}
		var doc any
		if err := json.Unmarshal([]byte(req), &doc); err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
		if missing := missingMembers(svc.Operations[op.name].Input, doc, op.name); len(missing) > 0 {
			t.Errorf("%s: the request leaves out %q", op.name, missing)
		}
		params[op.name] = json.RawMessage(req)
	}
	if len(params) != len(clientRequests) {
		t.Fatalf("%d requests for %d operations", len(clientRequests), len(params))
	}

	python := requirePython(t)
	stdin, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), python, "testdata/botocore_bodies.py")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore_bodies.py: %v\n%s", err, stderr.Bytes())
	}
	var bodies map[string]json.RawMessage
	if err := json.Unmarshal(out, &bodies); err != nil {
		t.Fatalf("botocore_bodies.py output %q: %v", out, err)
	}
	for _, op := range operations {
		body, ok := bodies[op.name]
		if _, asked := clientRequests[op.name]; !asked {
			continue
		}
		if !ok {
			t.Errorf("%s: botocore produced no body", op.name)
			continue
		}
		in := reflect.New(reflect.TypeOf(op.in)).Interface()
		if err := awsjson.Decode(body, in); err != nil {
			t.Errorf("%s: Decode(%s) = %v", op.name, body, err)
			continue
		}
		if diff := jsonDiff(t, body, in); diff != "" {
			t.Errorf("%s: the decoded request differs from botocore's (-botocore +decoded):\n%s", op.name, diff)
		}
		if err := in.(validator).Validate(); err != nil {
			t.Errorf("%s: Validate() of botocore's %s = %v", op.name, body, err)
		}
	}
}

// requirePython returns the Python interpreter that has botocore, or skips
// the test (fails it when LICENSE_MANAGER_TEST_REQUIRE_ALL is 1, as the
// end-to-end tests do).
func requirePython(t *testing.T) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "python3", "-c", "import botocore").CombinedOutput()
	if err == nil {
		return "python3"
	}
	if os.Getenv("LICENSE_MANAGER_TEST_REQUIRE_ALL") == "1" {
		t.Fatalf("the botocore part needs python3 with botocore: %v: %s", err, out)
	}
	t.Skipf("the botocore part needs python3 with botocore, which is not usable: %v: %s; skipping it", err, out)
	return ""
}
