package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Cases BR-29 and BR-30 of the field cases, through the built binary on
// its embedded store: the test account issues the licenses to itself.

// brCreateLicense creates a license of sku issued by Example to the test
// account with the shorthand extra (entitlements, consumption
// configuration), and returns its ARN.
func brCreateLicense(t *testing.T, c *lmCLI, sku, clientToken string, extra ...string) string {
	t.Helper()
	args := slices.Concat([]string{"create-license", "--license-name", "Example", "--product-name", "Example",
		"--product-sku", sku, "--issuer", "Name=Example", "--home-region", "us-east-1",
		"--validity", "Begin=2024-01-01T00:00:00Z", "--beneficiary", account, "--client-token", clientToken,
		"--query", "LicenseArn", "--output", "text"}, extra)
	r := c.run(args...)
	arn, ok := strings.CutSuffix(string(r.stdout), "\n")
	if r.code != 0 || len(r.stderr) != 0 || !ok || !storyLicenseARNOf(account).MatchString(arn) {
		t.Fatalf("create-license %s: exit %d\nstdout:\n%s\nstderr:\n%s", sku, r.code, r.stdout, r.stderr)
	}
	return arn
}

// brFingerprint is the key fingerprint of the licenses brCreateLicense
// creates.
const brFingerprint = "aws:" + account + ":Example:issuer-fingerprint"

// BR-29: each unmet condition of a borrow has its own error, which names
// it; a borrow that meets them all returns a SignedToken, and its client
// token ("1", valid: the pattern is \S+) replays it.
func TestBR29BorrowSaysWhichConditionIsUnmet(t *testing.T) {
	t.Parallel()
	c := newLM(t)
	borrow := func(lic string, entitlements ...string) []string {
		return slices.Concat([]string{"checkout-borrow-license", "--license-arn", lic, "--entitlements"}, entitlements,
			[]string{"--digital-signature-method", "JWT_PS384", "--client-token", "1"})
	}
	seats := "Name=seats,Value=1,Unit=Count"
	borrowConfig := "BorrowConfiguration={AllowEarlyCheckIn=true,MaxTimeToLiveInMinutes=60}"

	provisional := brCreateLicense(t, c, "SKU-BR29-PROVISIONAL", "br29-provisional",
		"--entitlements", "Name=seats,Unit=Count,MaxCount=10,AllowCheckIn=true",
		"--consumption-configuration", "ProvisionalConfiguration={MaxTimeToLiveInMinutes=60}")
	storyCLIError(t, c.run(borrow(provisional, seats)...), "CheckoutBorrowLicense", "NoEntitlementsAllowedException",
		"License "+provisional+" is not a borrow license: its ConsumptionConfiguration has no BorrowConfiguration.")

	noCheckIn := brCreateLicense(t, c, "SKU-BR29-NO-CHECK-IN", "br29-no-check-in",
		"--entitlements", "Name=seats,Unit=Count,MaxCount=10", "--consumption-configuration", borrowConfig)
	storyCLIError(t, c.run(borrow(noCheckIn, seats)...), "CheckoutBorrowLicense", "EntitlementNotAllowedException",
		`Entitlement "seats" of license `+noCheckIn+" does not allow check-in (AllowCheckIn is not true), which borrowing requires.")

	full := brCreateLicense(t, c, "SKU-BR29-BORROW", "br29-borrow",
		"--entitlements", "Name=seats,Unit=Count,MaxCount=10,AllowCheckIn=true", "Name=pro,Unit=None,Value=enabled,AllowCheckIn=true",
		"--consumption-configuration", borrowConfig)
	storyCLIError(t, c.run(borrow(full, seats)...), "CheckoutBorrowLicense", "ValidationException",
		"Partial checkout is not supported: a borrow must include every entitlement of license "+full+` (missing: "pro").`)
	other := slices.Clone(borrow(full, seats, "Name=pro,Unit=None"))
	other[slices.Index(other, "JWT_PS384")] = "JWT_ES256"
	storyCLIError(t, c.run(other...), "CheckoutBorrowLicense", "UnsupportedDigitalSignatureMethodException",
		`DigitalSignatureMethod "JWT_ES256" is not supported; the supported method is JWT_PS384.`)

	var first struct {
		LicenseArn, LicenseConsumptionToken, SignedToken, IssuedAt, Expiration string
		EntitlementsAllowed                                                    []map[string]string
	}
	r := c.run(borrow(full, seats, "Name=pro,Unit=None")...)
	storyCLIJSON(t, r, &first)
	if claims := unverifiedPayload[storyCheckoutClaims](t, first.SignedToken); first.LicenseArn != full ||
		claims.TokenUse != "license_borrow" || claims.Aud != full || claims.Jti != first.LicenseConsumptionToken {
		t.Errorf("the borrow printed %+v with claims %+v, want license %s and a license_borrow token", first, claims, full)
	}
	wantResult(t, c.run(borrow(full, seats, "Name=pro,Unit=None")...), 0, string(r.stdout), "")
	wantResult(t, c.run("get-license-usage", "--license-arn", full, "--output", "text"), 0,
		"ENTITLEMENTUSAGES\t1\t10\tseats\tCount\nENTITLEMENTUSAGES\t1\t\tpro\tNone\n", "")
}

// BR-30: with two licenses of one SKU and fingerprint, checkouts charge the
// newer, and the reply names it; the older one's usage does not move.
func TestBR30CheckoutChargesTheNewestLicense(t *testing.T) {
	t.Parallel()
	c := newLM(t)
	ents := []string{"--entitlements", "Name=seats,Unit=Count,MaxCount=10",
		"--consumption-configuration", "ProvisionalConfiguration={MaxTimeToLiveInMinutes=60}"}
	older := brCreateLicense(t, c, "SKU-EXAMPLE", "br30-L", ents...)
	newer := brCreateLicense(t, c, "SKU-EXAMPLE", "br30-L2", ents...)

	for i, ct := range []string{"ct-br30", "ct-br30-2"} {
		r := c.run("checkout-license", "--product-sku", "SKU-EXAMPLE", "--checkout-type", "PROVISIONAL",
			"--key-fingerprint", brFingerprint, "--entitlements", "Name=seats,Value=1,Unit=Count", "--client-token", ct,
			"--query", "LicenseArn", "--output", "text")
		wantResult(t, r, 0, newer+"\n", "")
		if t.Failed() {
			t.Fatalf("checkout %d charged another license than the newer %s (the older is %s)", i+1, newer, older)
		}
	}
	usage := func(lic string, seats int) {
		t.Helper()
		wantResult(t, c.run("get-license-usage", "--license-arn", lic, "--output", "text"), 0,
			fmt.Sprintf("ENTITLEMENTUSAGES\t%d\t10\tseats\tCount\n", seats), "")
	}
	usage(older, 0)
	usage(newer, 2)
}
