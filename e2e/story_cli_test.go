package e2e

// The seller and buyer story through the built binary, compared with the
// aws CLI where a call's reply is repeatable.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/cli"
)

// storyCLIBuyer is the account the CLI story's seller issues to. The
// seller is the CLI's own account (the test account), which checks out on
// the buyer's behalf.
const storyCLIBuyer = "444455556666"

// storyCLI runs the steps of the CLI story with our binary and, when aws is
// set, compares steps whose reply a second call repeats (a read, a replay
// of the same client token, a refusal) with the aws CLI's output of the
// same arguments.
type storyCLI struct {
	t   *testing.T
	c   *lmCLI
	aws func(args ...string) result
}

// run runs our binary only.
func (s *storyCLI) run(args ...string) result {
	s.t.Helper()
	return s.c.run(args...)
}

// same runs our binary, then the aws CLI, which must print the same bytes
// and exit alike: 0, or 255 where we exit 254 (see awsServiceErrorExit).
func (s *storyCLI) same(args ...string) result {
	s.t.Helper()
	r := s.c.run(args...)
	if s.aws == nil {
		return r
	}
	a := s.aws(args...)
	switch r.code {
	case 0:
		wantResult(s.t, a, 0, string(r.stdout), "")
	case cli.ExitService:
		wantResult(s.t, a, awsServiceErrorExit, "", string(r.stderr))
	default:
		s.t.Errorf("license-manager %q: exit %d\nstderr:\n%s", args, r.code, r.stderr)
	}
	return r
}

// storyCLIJSON requires exit 0 and nothing on stderr, and decodes stdout
// strictly into v.
func storyCLIJSON(t *testing.T, r result, v any) {
	t.Helper()
	if r.code != 0 || len(r.stderr) != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if err := decodeStrict(r.stdout, v); err != nil {
		t.Fatalf("stdout %s: %v", r.stdout, err)
	}
}

// storyCLIError requires the service error line of op with code and
// message, and exit 254.
func storyCLIError(t *testing.T, r result, op, code, message string) {
	t.Helper()
	wantResult(t, r, cli.ExitService, "", "\nAn error occurred ("+code+") when calling the "+op+" operation: "+message+"\n")
}

// storyCLILicense is the JSON output of get-license for the CLI story's
// license: version of it, with that MaxCount of Seats and provisional time
// to live.
func storyCLILicense(t *testing.T, arn, version string, seats, minutes int, status, created string) map[string]any {
	t.Helper()
	var m map[string]any
	doc := fmt.Sprintf(`{"License": {
		"LicenseArn": %q, "LicenseName": "Acme Pro", "ProductName": "Acme App", "ProductSKU": "ACME-CLI",
		"Issuer": {"Name": "Acme", "KeyFingerprint": "aws:%s:Acme:issuer-fingerprint"},
		"HomeRegion": "us-east-1", "Status": %q,
		"Validity": {"Begin": "2024-01-01T00:00:00Z", "End": "2099-12-31T23:59:59Z"},
		"Beneficiary": %q,
		"Entitlements": [
			{"Name": "Seats", "MaxCount": %d, "Unit": "Count"},
			{"Name": "Pro", "Value": "enabled", "Unit": "None"}],
		"ConsumptionConfiguration": {"ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": %d}},
		"LicenseMetadata": [{"Name": "Edition", "Value": "Pro"}],
		"CreateTime": %q, "Version": %q}}`, arn, account, status, storyCLIBuyer, seats, minutes, created, version)
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// storyCLIVersion is the shorthand of the CLI story's license content, as
// create-license and create-license-version share it.
func storyCLIVersion(seats, minutes int) []string {
	return []string{"--license-name", "Acme Pro", "--product-name", "Acme App", "--issuer", "Name=Acme",
		"--home-region", "us-east-1", "--validity", "Begin=2024-01-01T00:00:00Z,End=2099-12-31T23:59:59Z",
		"--entitlements", fmt.Sprintf("Name=Seats,Unit=Count,MaxCount=%d", seats), "Name=Pro,Unit=None,Value=enabled",
		"--consumption-configuration", fmt.Sprintf("ProvisionalConfiguration={MaxTimeToLiveInMinutes=%d}", minutes),
		"--license-metadata", "Name=Edition,Value=Pro"}
}

// steps runs the seller's side of the story.
func (s *storyCLI) steps() {
	t := s.t
	fingerprint := "aws:" + account + ":Acme:issuer-fingerprint"
	var created struct{ LicenseArn, Status, Version string }
	create := slices.Concat([]string{"create-license", "--product-sku", "ACME-CLI"}, storyCLIVersion(10, 60),
		[]string{"--beneficiary", storyCLIBuyer, "--tags", "Key=team,Value=sales", "--client-token", "story-cli-license"})
	storyCLIJSON(t, s.same(create...), &created)
	lic := created.LicenseArn
	if !storyLicenseARNOf(account).MatchString(lic) ||
		created.Status != "AVAILABLE" || created.Version != "1" {
		t.Fatalf("create-license printed %+v", created)
	}

	var got map[string]any
	storyCLIJSON(t, s.same("get-license", "--license-arn", lic, "--license-version", "1"), &got)
	createTime, _ := got["License"].(map[string]any)["CreateTime"].(string)
	if !tokISO8601.MatchString(createTime) {
		t.Errorf("CreateTime %q does not match the model's pattern", createTime)
	}
	v1 := storyCLILicense(t, lic, "1", 10, 60, "AVAILABLE", createTime)
	if diff := cmp.Diff(v1, got); diff != "" {
		t.Errorf("get-license --license-version 1 (-want +got):\n%s", diff)
	}
	for _, format := range []string{"text", "table"} {
		r := s.same("get-license", "--license-arn", lic, "--license-version", "1", "--output", format)
		if r.code != 0 || !bytes.Contains(r.stdout, []byte("aws:"+account+":Acme:issuer-fingerprint")) {
			t.Errorf("get-license --output %s: exit %d\n%s\n%s", format, r.code, r.stdout, r.stderr)
		}
	}
	var listed struct{ Licenses []map[string]any }
	storyCLIJSON(t, s.same("list-licenses", "--filters", "Name=ProductSKU,Values=ACME-CLI"), &listed)
	if diff := cmp.Diff([]map[string]any{v1["License"].(map[string]any)}, listed.Licenses); diff != "" {
		t.Errorf("list-licenses --filters Name=ProductSKU,Values=ACME-CLI (-want +got):\n%s", diff)
	}

	// The seller checks a seat out for the buyer.
	var co struct {
		CheckoutType, LicenseConsumptionToken, SignedToken, IssuedAt, Expiration, LicenseArn string
		EntitlementsAllowed                                                                  []map[string]string
	}
	storyCLIJSON(t, s.same("checkout-license", "--product-sku", "ACME-CLI", "--checkout-type", "PROVISIONAL",
		"--key-fingerprint", fingerprint, "--entitlements", "Name=Seats,Value=1,Unit=Count",
		"--beneficiary", storyCLIBuyer, "--client-token", "story-cli-checkout"), &co)
	issued, err := time.Parse(time.RFC3339, co.IssuedAt)
	if err != nil || co.CheckoutType != "PROVISIONAL" || co.LicenseArn != lic ||
		!storyHex32.MatchString(co.LicenseConsumptionToken) || co.Expiration != issued.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("checkout-license printed %+v (%v)", co, err)
	}
	storyDiff(t, "checkout-license EntitlementsAllowed",
		[]map[string]string{{"Name": "Seats", "Value": "1", "Unit": "Count"}}, co.EntitlementsAllowed)
	c := unverifiedPayload[storyCheckoutClaims](t, co.SignedToken)
	if c.Sub != storyCLIBuyer || c.Aud != lic || c.Jti != co.LicenseConsumptionToken {
		t.Errorf("checkout-license SignedToken claims %+v, want sub %s, aud %s, jti %s",
			c, storyCLIBuyer, lic, co.LicenseConsumptionToken)
	}
	usage := func(seats, limit int) {
		t.Helper()
		want := fmt.Sprintf("ENTITLEMENTUSAGES\t%d\t%d\tSeats\tCount\nENTITLEMENTUSAGES\t0\t\tPro\tNone\n", seats, limit)
		wantResult(t, s.same("get-license-usage", "--license-arn", lic, "--output", "text"), 0, want, "")
		var u struct {
			LicenseUsage struct{ EntitlementUsages []map[string]string }
		}
		storyCLIJSON(t, s.same("get-license-usage", "--license-arn", lic), &u)
		wantJSON := []map[string]string{
			{"Name": "Seats", "ConsumedValue": fmt.Sprint(seats), "MaxCount": fmt.Sprint(limit), "Unit": "Count"},
			{"Name": "Pro", "ConsumedValue": "0", "Unit": "None"},
		}
		if diff := cmp.Diff(wantJSON, u.LicenseUsage.EntitlementUsages); diff != "" {
			t.Errorf("get-license-usage (-want +got):\n%s", diff)
		}
		r := s.same("get-license-usage", "--license-arn", lic, "--output", "table")
		if r.code != 0 || !bytes.Contains(r.stdout, []byte("|                  GetLicenseUsage                  |")) {
			t.Errorf("get-license-usage --output table: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	}
	usage(1, 10)

	wantResult(t, s.run("check-in-license", "--license-consumption-token", co.LicenseConsumptionToken), 0, "", "")
	r := s.same("check-in-license", "--license-consumption-token", co.LicenseConsumptionToken)
	already := regexp.MustCompile(`^\nAn error occurred \(ConflictException\) when calling the CheckInLicense operation: ` +
		`The license consumption ` + co.LicenseConsumptionToken + ` was already checked in at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.\n$`)
	if r.code != cli.ExitService || !already.Match(r.stderr) {
		t.Errorf("check-in-license again: exit %d\nstderr:\n%q", r.code, r.stderr)
	}
	usage(0, 10)

	var v2 struct{ LicenseArn, Version, Status string }
	version := slices.Concat([]string{"create-license-version", "--license-arn", lic}, storyCLIVersion(20, 120),
		[]string{"--status", "AVAILABLE", "--source-version", "1", "--client-token", "story-cli-version"})
	storyCLIJSON(t, s.same(version...), &v2)
	if v2.LicenseArn != lic || v2.Version != "2" || v2.Status != "AVAILABLE" {
		t.Errorf("create-license-version printed %+v, want %s 2 AVAILABLE", v2, lic)
	}
	var versions struct{ Licenses []map[string]any }
	storyCLIJSON(t, s.same("list-license-versions", "--license-arn", lic), &versions)
	if len(versions.Licenses) == 2 {
		second, _ := versions.Licenses[1]["CreateTime"].(string)
		want2 := storyCLILicense(t, lic, "2", 20, 120, "AVAILABLE", second)
		storyDiff(t, "list-license-versions", []map[string]any{v1["License"].(map[string]any), want2["License"].(map[string]any)},
			versions.Licenses)
	} else {
		t.Errorf("list-license-versions listed %d versions, want 2", len(versions.Licenses))
	}
	s.same("list-license-versions", "--license-arn", lic, "--output", "text")
	usage(0, 20)

	storyCLIError(t, s.same("get-license", "--license-arn", lic, "--license-version", "3"),
		"GetLicense", "InvalidParameterValueException", "License "+lic+` has no version "3".`)
	storyCLIError(t, s.same("delete-license", "--license-arn", lic, "--source-version", "1"), "DeleteLicense", "ConflictException",
		"SourceVersion 1 is not the latest version of license "+lic+" (2); read the license again and retry.")
	var deleted struct{ Status, DeletionDate string }
	// Deleting again reports the first DeletionDate, so the aws CLI's
	// output is ours.
	storyCLIJSON(t, s.same("delete-license", "--license-arn", lic, "--source-version", "2"), &deleted)
	if deleted.Status != "DELETED" || !tokISO8601.MatchString(deleted.DeletionDate) {
		t.Errorf("delete-license printed %+v", deleted)
	}
	storyCLIError(t, s.same("checkout-license", "--product-sku", "ACME-CLI", "--checkout-type", "PROVISIONAL",
		"--key-fingerprint", fingerprint, "--entitlements", "Name=Seats,Value=1,Unit=Count",
		"--beneficiary", storyCLIBuyer, "--client-token", "story-cli-checkout-deleted"),
		"CheckoutLicense", "ResourceNotFoundException",
		"No available license with ProductSKU ACME-CLI and KeyFingerprint "+fingerprint+" for account "+storyCLIBuyer+".")
	wantResult(t, s.same("get-license", "--license-arn", lic, "--query", "License.[Status,Version]", "--output", "text"),
		0, "DELETED\t2\n", "")
}

// TestStoryCLI runs the seller's side of the story with the built binary:
// on its embedded store, and against a server, where the aws CLI (v1) given
// the same arguments prints the same bytes.
func TestStoryCLI(t *testing.T) {
	t.Run("embedded store", func(t *testing.T) {
		t.Parallel()
		(&storyCLI{t: t, c: newLM(t)}).steps()
	})
	t.Run("server, compared with the aws CLI", func(t *testing.T) {
		requireTool(t, "aws")
		t.Parallel()
		c, _, f := newRemoteLM(t)
		aws := func(args ...string) result {
			t.Helper()
			return run(t, c.env, c.dir, append([]string{"aws", "--endpoint-url", f.url, "license-manager"}, args...)...)
		}
		(&storyCLI{t: t, c: c, aws: aws}).steps()
	})
}
