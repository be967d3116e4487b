package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/server"
)

// apiCaller calls the API in process and fails the test on a 5xx.
type apiCaller struct {
	t   *testing.T
	api *server.API
}

func (c apiCaller) call(p auth.Principal, op, body string) (map[string]any, string, string) {
	c.t.Helper()
	reply, werr := c.api.Call(c.t.Context(), p, op, []byte(body))
	if werr != nil {
		if werr.Status >= 500 {
			c.t.Errorf("%s as %v: %d %s %s", op, p.Kind, werr.Status, werr.Code, werr.Message)
		}
		return nil, werr.Code, werr.Message
	}
	var out map[string]any
	if err := json.Unmarshal(reply, &out); err != nil {
		c.t.Fatalf("%s reply %s: %v", op, reply, err)
	}
	return out, "", ""
}

func (c apiCaller) ok(p auth.Principal, op, body string) map[string]any {
	c.t.Helper()
	out, code, msg := c.call(p, op, body)
	if code != "" {
		c.t.Fatalf("%s: %s %s", op, code, msg)
	}
	return out
}

const seller = "111122223333"

func licenseBody(sku, ct string) string {
	return fmt.Sprintf(`{"LicenseName":"L","ProductName":"P","ProductSKU":%q,"Issuer":{"Name":"Acme"},
		"HomeRegion":"us-east-1","Validity":{"Begin":"2020-01-01T00:00:00Z"},
		"Entitlements":[{"Name":"Seats","Unit":"Count","MaxCount":2}],"Beneficiary":%q,
		"ConsumptionConfiguration":{"ProvisionalConfiguration":{"MaxTimeToLiveInMinutes":30}},"ClientToken":%q}`, sku, account, ct)
}

// Every license operation through the API: who may call it, and the codes
// the license service's refusals become on the wire.
func TestLicenseAPI(t *testing.T) {
	t.Parallel()
	ts := startTokenServer(t)
	c := apiCaller{t, ts.inst.API}
	sellerP, buyerP, strangerP := auth.Embedded(seller), auth.Embedded(account), auth.Embedded(account2)

	arn := c.ok(sellerP, "CreateLicense", licenseBody("SKU-1", "l1"))["LicenseArn"].(string)
	other := c.ok(sellerP, "CreateLicense", licenseBody("SKU-2", "l2"))["LicenseArn"].(string)
	fp := "aws:" + seller + ":Acme:issuer-fingerprint"

	// CreateToken needs a license the caller issued or received.
	tokenBody := func(l string) string { return fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"t-%s"}`, l, l[len(l)-6:]) }
	c.ok(buyerP, "CreateToken", tokenBody(arn))
	if _, code, msg := c.call(strangerP, "CreateToken", tokenBody(arn)); code != "ResourceNotFoundException" || !strings.Contains(msg, account2) {
		t.Errorf("CreateToken by a third account: %s %q", code, msg)
	}

	role := auth.Principal{Kind: auth.AssumedRole, AccountID: account, AccessKeyID: "ASIAEXAMPLE",
		RoleARN: role1, SessionName: "s1", LicenseARN: arn, TokenID: "t"}
	checkout := func(sku, ct string) string {
		return fmt.Sprintf(`{"ProductSKU":%q,"CheckoutType":"PROVISIONAL","KeyFingerprint":%q,"Entitlements":[{"Name":"Seats","Value":"1","Unit":"Count"}],"ClientToken":%q}`, sku, fp, ct)
	}
	co := c.ok(role, "CheckoutLicense", checkout("SKU-1", "c1"))
	if co["LicenseArn"] != arn || co["CheckoutType"] != "PROVISIONAL" || len(co["SignedToken"].(string)) < 100 {
		t.Errorf("CheckoutLicense reply %v", co)
	}
	usage := c.ok(role, "GetLicenseUsage", fmt.Sprintf(`{"LicenseArn":%q}`, arn))
	if got := fmt.Sprint(usage["LicenseUsage"]); !strings.Contains(got, "ConsumedValue:1") || !strings.Contains(got, "MaxCount:2") {
		t.Errorf("usage %s", got)
	}

	for _, tc := range []struct {
		name string
		p    auth.Principal
		op   string
		body string
		code string
	}{
		{"role, other license's SKU", role, "CheckoutLicense", checkout("SKU-2", "c2"), "AccessDeniedException"},
		{"role, other license", role, "GetLicense", fmt.Sprintf(`{"LicenseArn":%q}`, other), "AccessDeniedException"},
		{"role, usage of other license", role, "GetLicenseUsage", fmt.Sprintf(`{"LicenseArn":%q}`, other), "AccessDeniedException"},
		{"role, create", role, "CreateLicense", licenseBody("SKU-3", "l3"), "AccessDeniedException"},
		{"role, list", role, "ListReceivedLicenses", `{}`, "AccessDeniedException"},
		{"role, delete", role, "DeleteLicense", fmt.Sprintf(`{"LicenseArn":%q,"SourceVersion":"1"}`, arn), "AccessDeniedException"},
		{"anonymous", auth.Principal{Kind: auth.Anonymous}, "GetLicense", fmt.Sprintf(`{"LicenseArn":%q}`, arn), "AccessDeniedException"},
		{"stranger reads", strangerP, "GetLicense", fmt.Sprintf(`{"LicenseArn":%q}`, arn), "InvalidParameterValueException"},
		{"unknown version", buyerP, "GetLicense", fmt.Sprintf(`{"LicenseArn":%q,"Version":"9"}`, arn), "InvalidParameterValueException"},
		{"beneficiary deletes", buyerP, "DeleteLicense", fmt.Sprintf(`{"LicenseArn":%q,"SourceVersion":"1"}`, arn), "InvalidParameterValueException"},
		{"stale source version", sellerP, "DeleteLicense", fmt.Sprintf(`{"LicenseArn":%q,"SourceVersion":"2"}`, arn), "ConflictException"},
		{"no seats left", buyerP, "CheckoutLicense", strings.Replace(checkout("SKU-1", "c3"), `"Value":"1"`, `"Value":"2"`, 1), "NoEntitlementsAllowedException"},
		{"no such product", buyerP, "CheckoutLicense", checkout("SKU-9", "c4"), "ResourceNotFoundException"},
		{"borrow without borrowing", buyerP, "CheckoutBorrowLicense",
			fmt.Sprintf(`{"LicenseArn":%q,"Entitlements":[{"Name":"Seats","Value":"1","Unit":"Count"}],"DigitalSignatureMethod":"JWT_PS384","ClientToken":"b1"}`, arn), "NoEntitlementsAllowedException"},
		{"borrow, other method", buyerP, "CheckoutBorrowLicense",
			fmt.Sprintf(`{"LicenseArn":%q,"Entitlements":[{"Name":"Seats","Value":"1","Unit":"Count"}],"DigitalSignatureMethod":"JWT_RS256","ClientToken":"b2"}`, arn), "UnsupportedDigitalSignatureMethodException"},
		{"unknown consumption", buyerP, "CheckInLicense", `{"LicenseConsumptionToken":"0123456789abcdef0123456789abcdef"}`, "ResourceNotFoundException"},
		{"stranger checks in", strangerP, "CheckInLicense", fmt.Sprintf(`{"LicenseConsumptionToken":%q}`, co["LicenseConsumptionToken"]), "ResourceNotFoundException"},
		{"version of another's license", buyerP, "CreateLicenseVersion", strings.Replace(strings.Replace(licenseBody("x", "v1"), `"ProductSKU":"x",`, fmt.Sprintf(`"LicenseArn":%q,"Status":"AVAILABLE",`, arn), 1), `"Beneficiary":"123456789012",`, "", 1), "ResourceNotFoundException"},
	} {
		if _, code, msg := c.call(tc.p, tc.op, tc.body); code != tc.code {
			t.Errorf("%s: %s %s: %s %q, want %s", tc.name, tc.op, tc.p.Kind, code, msg, tc.code)
		}
	}

	c.ok(role, "ExtendLicenseConsumption", fmt.Sprintf(`{"LicenseConsumptionToken":%q,"DryRun":true}`, co["LicenseConsumptionToken"]))
	c.ok(role, "CheckInLicense", fmt.Sprintf(`{"LicenseConsumptionToken":%q}`, co["LicenseConsumptionToken"]))
	if _, code, _ := c.call(role, "CheckInLicense", fmt.Sprintf(`{"LicenseConsumptionToken":%q}`, co["LicenseConsumptionToken"])); code != "ConflictException" {
		t.Errorf("second check-in: %s, want ConflictException", code)
	}

	received := c.ok(buyerP, "ListReceivedLicenses", `{"Filters":[{"Name":"ProductSKU","Values":["SKU-1"]}]}`)
	list := received["Licenses"].([]any)
	if len(list) != 1 || !strings.Contains(fmt.Sprint(list[0]), "ReceivedStatus:ACTIVE") {
		t.Errorf("ListReceivedLicenses = %v", received)
	}
	// The buyer issued only the two licenses every test server has.
	if issued := c.ok(buyerP, "ListLicenses", `{}`); len(issued["Licenses"].([]any)) != 2 || strings.Contains(fmt.Sprint(issued), arn) {
		t.Errorf("the buyer issued %v", issued)
	}
	del := c.ok(sellerP, "DeleteLicense", fmt.Sprintf(`{"LicenseArn":%q,"SourceVersion":"1"}`, arn))
	if del["Status"] != "DELETED" || del["DeletionDate"] == "" {
		t.Errorf("DeleteLicense = %v", del)
	}
	if _, code, _ := c.call(buyerP, "CreateToken", fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"after-delete"}`, arn)); code != "ResourceNotFoundException" {
		t.Errorf("CreateToken for a deleted license: %s", code)
	}
}
