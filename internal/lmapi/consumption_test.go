package lmapi

import (
	"fmt"
	"strings"
	"testing"
)

func requested() []EntitlementData {
	return []EntitlementData{
		{Name: ptr("Seats"), Value: ptr("2"), Unit: ptr("Count")},
		{Name: ptr("Pro"), Value: ptr("enabled"), Unit: ptr(UnitNone)},
		{Name: ptr("Storage"), Unit: ptr("Gigabytes")},
	}
}

func checkoutLicense() *CheckoutLicenseInput {
	return &CheckoutLicenseInput{
		ProductSKU: ptr("SKU-1"), CheckoutType: ptr("PROVISIONAL"),
		KeyFingerprint: ptr("aws:123456789012:Acme:issuer-fingerprint"), Entitlements: requested(),
		ClientToken: ptr("checkout-1"), Beneficiary: ptr(buyer), NodeID: ptr("node-7"),
	}
}

func checkoutBorrowLicense() *CheckoutBorrowLicenseInput {
	return &CheckoutBorrowLicenseInput{
		LicenseARN: ptr(lic), Entitlements: requested(), DigitalSignatureMethod: ptr("JWT_PS384"),
		NodeID: ptr("laptop-1"), CheckoutMetadata: []Metadata{{Name: ptr("user"), Value: ptr("ana")}},
		ClientToken: ptr("borrow-1"),
	}
}

func manyRequested(n int) []EntitlementData {
	l := make([]EntitlementData, n)
	for i := range l {
		l[i] = EntitlementData{Name: ptr(fmt.Sprintf("E%d", i)), Unit: ptr("Count")}
	}
	return l
}

const countedValue0 = "Member must be a non-negative decimal integer of at most 9223372036854775807 for an entitlement of unit "

func TestCheckoutLicenseValidate(t *testing.T) {
	t.Parallel()
	edit := func(f func(*CheckoutLicenseInput)) *CheckoutLicenseInput { return with(checkoutLicense, f) }
	checkAccepts(t, map[string]validator{
		"every member":            checkoutLicense(),
		"perpetual":               edit(func(in *CheckoutLicenseInput) { in.CheckoutType = ptr("PERPETUAL") }),
		"required members only":   edit(func(in *CheckoutLicenseInput) { in.Beneficiary, in.NodeID = nil, nil }),
		"a value of 0":            edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("0") }),
		"the largest value":       edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("9223372036854775807") }),
		"leading zeros":           edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("007") }),
		"unit None with no value": edit(func(in *CheckoutLicenseInput) { in.Entitlements[1].Value = nil }),
		"100 entitlements":        edit(func(in *CheckoutLicenseInput) { in.Entitlements = manyRequested(MaxEntitlements) }),
	})
	checkRejects(t, []reject{
		{"no product SKU", edit(func(in *CheckoutLicenseInput) { in.ProductSKU = nil }), "productSKU", notNull},
		{"no checkout type", edit(func(in *CheckoutLicenseInput) { in.CheckoutType = nil }), "checkoutType", notNull},
		{"checkout type BORROW", edit(func(in *CheckoutLicenseInput) { in.CheckoutType = ptr("BORROW") }), "checkoutType", "Member must satisfy enum value set: [PROVISIONAL, PERPETUAL]"},
		{"no key fingerprint", edit(func(in *CheckoutLicenseInput) { in.KeyFingerprint = nil }), "keyFingerprint", notNull},
		{"an empty key fingerprint", edit(func(in *CheckoutLicenseInput) { in.KeyFingerprint = ptr("") }), "keyFingerprint", atLeast1},
		{"no entitlements", edit(func(in *CheckoutLicenseInput) { in.Entitlements = nil }), "entitlements", notNull},
		{"an empty list of entitlements", edit(func(in *CheckoutLicenseInput) { in.Entitlements = []EntitlementData{} }), "entitlements", atLeast1},
		{"101 entitlements", edit(func(in *CheckoutLicenseInput) { in.Entitlements = manyRequested(101) }), "entitlements", "Member must have length less than or equal to 100"},
		{"an entitlement without a name", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Name = nil }), "entitlements.1.member.name", notNull},
		{"an entitlement named twice", edit(func(in *CheckoutLicenseInput) { in.Entitlements[2].Name = ptr("Pro") }), "entitlements.3.member.name", "Member must be unique among the entitlements' names (also at entitlements.2.member.name)"},
		{"an entitlement without a unit", edit(func(in *CheckoutLicenseInput) { in.Entitlements[2].Unit = nil }), "entitlements.3.member.unit", notNull},
		{"an unknown unit", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Unit = ptr("Seats") }), "entitlements.1.member.unit", unitEnum},
		{"a negative value", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("-1") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"a fraction", edit(func(in *CheckoutLicenseInput) { in.Entitlements[2].Value = ptr("1.5") }), "entitlements.3.member.value", countedValue0 + "Gigabytes"},
		{"a value past int64", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("9223372036854775808") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"an empty counted value", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"a value with a sign", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("+1") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"a value with a space", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr(" 1") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"non-ASCII digits", edit(func(in *CheckoutLicenseInput) { in.Entitlements[0].Value = ptr("١") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"an empty value of unit None", edit(func(in *CheckoutLicenseInput) { in.Entitlements[1].Value = ptr("") }), "entitlements.2.member.value", atLeast1},
		{"NUL in a value of unit None", edit(func(in *CheckoutLicenseInput) { in.Entitlements[1].Value = ptr("on\x00") }), "entitlements.2.member.value", noNUL},
		{"no client token", edit(func(in *CheckoutLicenseInput) { in.ClientToken = nil }), "clientToken", notNull},
		{"a beneficiary with letters", edit(func(in *CheckoutLicenseInput) { in.Beneficiary = ptr("21098765432x") }), "beneficiary", mustAcct},
		{"an empty node id", edit(func(in *CheckoutLicenseInput) { in.NodeID = ptr("") }), "nodeId", atLeast1},
		{"a node id too long", edit(func(in *CheckoutLicenseInput) { in.NodeID = ptr(strings.Repeat("n", 1025)) }), "nodeId", atMost1K},
	})
}

func TestCheckoutLicenseValidateReportsAll(t *testing.T) {
	t.Parallel()
	in := &CheckoutLicenseInput{CheckoutType: ptr("provisional"), Entitlements: []EntitlementData{
		{Name: ptr("A"), Unit: ptr("Count"), Value: ptr("x")}, {Name: ptr("A")},
	}, Beneficiary: ptr("me")}
	err := in.Validate()
	want := "8 validation errors detected: " +
		"Value null at 'productSKU' failed to satisfy constraint: Member must not be null; " +
		"Value 'provisional' at 'checkoutType' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONAL, PERPETUAL]; " +
		"Value null at 'keyFingerprint' failed to satisfy constraint: Member must not be null; " +
		"Value 'x' at 'entitlements.1.member.value' failed to satisfy constraint: " + countedValue0 + "Count; " +
		"Value 'A' at 'entitlements.2.member.name' failed to satisfy constraint: Member must be unique among the entitlements' names (also at entitlements.1.member.name); " +
		"Value null at 'entitlements.2.member.unit' failed to satisfy constraint: Member must not be null; " +
		"Value null at 'clientToken' failed to satisfy constraint: Member must not be null; " +
		"Value 'me' at 'beneficiary' failed to satisfy constraint: Member must be a 12-digit AWS account ID"
	if err == nil || err.Code != ValidationException || err.Message != want {
		t.Errorf("Validate() = %v\nwant %s: %s", err, ValidationException, want)
	}
}

func TestCheckInLicenseValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"a token":                &CheckInLicenseInput{LicenseConsumptionToken: ptr("0123456789abcdef0123456789abcdef")},
		"a token and an account": &CheckInLicenseInput{LicenseConsumptionToken: ptr("t"), Beneficiary: ptr(buyer)},
	})
	checkRejects(t, []reject{
		{"no token", &CheckInLicenseInput{}, "licenseConsumptionToken", notNull},
		{"an empty token", &CheckInLicenseInput{LicenseConsumptionToken: ptr("")}, "licenseConsumptionToken", atLeast1},
		{"a beneficiary of 13 digits", &CheckInLicenseInput{LicenseConsumptionToken: ptr("t"), Beneficiary: ptr("2109876543210")}, "beneficiary", mustAcct},
	})
}

func TestExtendLicenseConsumptionValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"a token":       &ExtendLicenseConsumptionInput{LicenseConsumptionToken: ptr("t")},
		"a dry run":     &ExtendLicenseConsumptionInput{LicenseConsumptionToken: ptr("t"), DryRun: ptr(true)},
		"not a dry run": &ExtendLicenseConsumptionInput{LicenseConsumptionToken: ptr("t"), DryRun: ptr(false)},
	})
	checkRejects(t, []reject{
		{"no token", &ExtendLicenseConsumptionInput{DryRun: ptr(true)}, "licenseConsumptionToken", notNull},
		{"NUL in the token", &ExtendLicenseConsumptionInput{LicenseConsumptionToken: ptr("\x00")}, "licenseConsumptionToken", noNUL},
	})
}

func TestGetLicenseUsageValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{"a license": &GetLicenseUsageInput{LicenseARN: ptr(lic)}})
	checkRejects(t, []reject{
		{"no license", &GetLicenseUsageInput{}, "licenseArn", notNull},
		{"a role ARN", &GetLicenseUsageInput{LicenseARN: ptr(role)}, "licenseArn", mustLic},
	})
}

func TestCheckoutBorrowLicenseValidate(t *testing.T) {
	t.Parallel()
	edit := func(f func(*CheckoutBorrowLicenseInput)) *CheckoutBorrowLicenseInput {
		return with(checkoutBorrowLicense, f)
	}
	checkAccepts(t, map[string]validator{
		"every member": checkoutBorrowLicense(),
		"required members only": edit(func(in *CheckoutBorrowLicenseInput) {
			in.NodeID, in.CheckoutMetadata = nil, nil
		}),
		// The service, not validation, answers
		// UnsupportedDigitalSignatureMethodException.
		"another signature method": edit(func(in *CheckoutBorrowLicenseInput) { in.DigitalSignatureMethod = ptr("JWT_RS256") }),
		"metadata without values":  edit(func(in *CheckoutBorrowLicenseInput) { in.CheckoutMetadata = []Metadata{{Name: ptr("a")}} }),
	})
	checkRejects(t, []reject{
		{"no license", edit(func(in *CheckoutBorrowLicenseInput) { in.LicenseARN = nil }), "licenseArn", notNull},
		{"a role ARN", edit(func(in *CheckoutBorrowLicenseInput) { in.LicenseARN = ptr(role) }), "licenseArn", mustLic},
		{"no entitlements", edit(func(in *CheckoutBorrowLicenseInput) { in.Entitlements = nil }), "entitlements", notNull},
		{"an entitlement named twice", edit(func(in *CheckoutBorrowLicenseInput) { in.Entitlements[1].Name = ptr("Seats") }), "entitlements.2.member.name", "Member must be unique among the entitlements' names (also at entitlements.1.member.name)"},
		{"a counted value in words", edit(func(in *CheckoutBorrowLicenseInput) { in.Entitlements[0].Value = ptr("two") }), "entitlements.1.member.value", countedValue0 + "Count"},
		{"no signature method", edit(func(in *CheckoutBorrowLicenseInput) { in.DigitalSignatureMethod = nil }), "digitalSignatureMethod", notNull},
		{"an empty signature method", edit(func(in *CheckoutBorrowLicenseInput) { in.DigitalSignatureMethod = ptr("") }), "digitalSignatureMethod", atLeast1},
		{"NUL in the node id", edit(func(in *CheckoutBorrowLicenseInput) { in.NodeID = ptr("\x00") }), "nodeId", noNUL},
		{"metadata without a name", edit(func(in *CheckoutBorrowLicenseInput) { in.CheckoutMetadata[0].Name = nil }), "checkoutMetadata.1.member.name", notNull},
		{"a metadata value too long", edit(func(in *CheckoutBorrowLicenseInput) { in.CheckoutMetadata[0].Value = ptr(strings.Repeat("v", 1025)) }), "checkoutMetadata.1.member.value", atMost1K},
		{"no client token", edit(func(in *CheckoutBorrowLicenseInput) { in.ClientToken = nil }), "clientToken", notNull},
	})
}

func TestParseCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1", 1, true}, {"0010", 10, true}, {"9223372036854775807", 1<<63 - 1, true},
		{"", 0, false}, {"-0", 0, false}, {"+5", 0, false}, {"1e3", 0, false}, {"0x10", 0, false},
		{"9223372036854775808", 0, false}, {"1 ", 0, false}, {"٣", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ParseCount(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseCount(%q) = %d, %v, want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
