package lmapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/license-manager/license-manager/internal/awsjson"
)

// checkoutTypes is the CheckoutType enum.
var checkoutTypes = []string{"PROVISIONAL", "PERPETUAL"}

// EntitlementData is the EntitlementData shape: an entitlement a checkout
// asks for or was granted. Value absent asks for 1 of a counted unit, or
// for whatever value an entitlement of unit None has.
type EntitlementData struct {
	Name  *string `json:"Name,omitempty"`
	Value *string `json:"Value,omitempty"`
	Unit  *string `json:"Unit,omitempty"`
}

// EntitlementUsage is the EntitlementUsage shape. ConsumedValue and
// MaxCount are decimal integers; MaxCount is left out for an entitlement
// without a limit.
type EntitlementUsage struct {
	Name          string `json:"Name"`
	ConsumedValue string `json:"ConsumedValue"`
	MaxCount      string `json:"MaxCount,omitempty"`
	Unit          string `json:"Unit"`
}

// LicenseUsage is the LicenseUsage shape. EntitlementUsages is never null.
type LicenseUsage struct {
	EntitlementUsages []EntitlementUsage `json:"EntitlementUsages"`
}

// CheckoutLicenseInput is the CheckoutLicenseRequest shape.
type CheckoutLicenseInput struct {
	ProductSKU     *string           `json:"ProductSKU"`
	CheckoutType   *string           `json:"CheckoutType"`
	KeyFingerprint *string           `json:"KeyFingerprint"`
	Entitlements   []EntitlementData `json:"Entitlements"`
	ClientToken    *string           `json:"ClientToken"`
	Beneficiary    *string           `json:"Beneficiary"`
	NodeID         *string           `json:"NodeId"`
}

// CheckoutLicenseOutput is the CheckoutLicenseResponse shape.
// EntitlementsAllowed is never null; NodeId is left out when the request
// had none.
type CheckoutLicenseOutput struct {
	CheckoutType            string            `json:"CheckoutType"`
	LicenseConsumptionToken string            `json:"LicenseConsumptionToken"`
	EntitlementsAllowed     []EntitlementData `json:"EntitlementsAllowed"`
	SignedToken             string            `json:"SignedToken"`
	NodeID                  string            `json:"NodeId,omitempty"`
	IssuedAt                string            `json:"IssuedAt"`
	Expiration              string            `json:"Expiration"`
	LicenseARN              string            `json:"LicenseArn"`
}

// CheckInLicenseInput is the CheckInLicenseRequest shape.
type CheckInLicenseInput struct {
	LicenseConsumptionToken *string `json:"LicenseConsumptionToken"`
	Beneficiary             *string `json:"Beneficiary"`
}

// CheckInLicenseOutput is the empty CheckInLicenseResponse shape: the reply
// is {}.
type CheckInLicenseOutput struct{}

// ExtendLicenseConsumptionInput is the ExtendLicenseConsumptionRequest
// shape. DryRun absent is false.
type ExtendLicenseConsumptionInput struct {
	LicenseConsumptionToken *string `json:"LicenseConsumptionToken"`
	DryRun                  *bool   `json:"DryRun"`
}

// ExtendLicenseConsumptionOutput is the ExtendLicenseConsumptionResponse
// shape.
type ExtendLicenseConsumptionOutput struct {
	LicenseConsumptionToken string `json:"LicenseConsumptionToken"`
	Expiration              string `json:"Expiration"`
}

// GetLicenseUsageInput is the GetLicenseUsageRequest shape.
type GetLicenseUsageInput struct {
	LicenseARN *string `json:"LicenseArn"`
}

// GetLicenseUsageOutput is the GetLicenseUsageResponse shape.
type GetLicenseUsageOutput struct {
	LicenseUsage LicenseUsage `json:"LicenseUsage"`
}

// CheckoutBorrowLicenseInput is the CheckoutBorrowLicenseRequest shape.
type CheckoutBorrowLicenseInput struct {
	LicenseARN             *string           `json:"LicenseArn"`
	Entitlements           []EntitlementData `json:"Entitlements"`
	DigitalSignatureMethod *string           `json:"DigitalSignatureMethod"`
	NodeID                 *string           `json:"NodeId"`
	CheckoutMetadata       []Metadata        `json:"CheckoutMetadata"`
	ClientToken            *string           `json:"ClientToken"`
}

// CheckoutBorrowLicenseOutput is the CheckoutBorrowLicenseResponse shape.
// EntitlementsAllowed is never null; NodeId and CheckoutMetadata echo the
// request and are left out when it had none.
type CheckoutBorrowLicenseOutput struct {
	LicenseARN              string            `json:"LicenseArn"`
	LicenseConsumptionToken string            `json:"LicenseConsumptionToken"`
	EntitlementsAllowed     []EntitlementData `json:"EntitlementsAllowed"`
	NodeID                  string            `json:"NodeId,omitempty"`
	SignedToken             string            `json:"SignedToken"`
	IssuedAt                string            `json:"IssuedAt"`
	Expiration              string            `json:"Expiration"`
	CheckoutMetadata        []Metadata        `json:"CheckoutMetadata,omitempty"`
}

// Validate checks a CheckoutLicense request: ProductSKU, CheckoutType,
// KeyFingerprint, the requested entitlements (see checkRequested),
// ClientToken, and a 12-digit Beneficiary when given. Which license, if
// any, can grant them is the service's to say.
func (in *CheckoutLicenseInput) Validate() *awsjson.Error {
	var v Violations
	requiredText(&v, "productSKU", in.ProductSKU)
	checkEnum(&v, "checkoutType", in.CheckoutType, checkoutTypes, true)
	requiredText(&v, "keyFingerprint", in.KeyFingerprint)
	checkRequested(&v, in.Entitlements)
	checkClientToken(&v, in.ClientToken)
	checkAccount(&v, "beneficiary", in.Beneficiary)
	optionalText(&v, "nodeId", in.NodeID)
	return v.Err()
}

// Validate checks a CheckInLicense request.
func (in *CheckInLicenseInput) Validate() *awsjson.Error {
	var v Violations
	requiredText(&v, "licenseConsumptionToken", in.LicenseConsumptionToken)
	checkAccount(&v, "beneficiary", in.Beneficiary)
	return v.Err()
}

// Validate checks an ExtendLicenseConsumption request.
func (in *ExtendLicenseConsumptionInput) Validate() *awsjson.Error {
	var v Violations
	requiredText(&v, "licenseConsumptionToken", in.LicenseConsumptionToken)
	return v.Err()
}

// Validate checks a GetLicenseUsage request.
func (in *GetLicenseUsageInput) Validate() *awsjson.Error {
	var v Violations
	requiredLicenseARN(&v, "licenseArn", in.LicenseARN)
	return v.Err()
}

// Validate checks a CheckoutBorrowLicense request as CheckoutLicense's.
// DigitalSignatureMethod must be present but its value is not checked
// here: the service answers an unknown one with
// UnsupportedDigitalSignatureMethodException, as the model says.
func (in *CheckoutBorrowLicenseInput) Validate() *awsjson.Error {
	var v Violations
	requiredLicenseARN(&v, "licenseArn", in.LicenseARN)
	checkRequested(&v, in.Entitlements)
	requiredText(&v, "digitalSignatureMethod", in.DigitalSignatureMethod)
	optionalText(&v, "nodeId", in.NodeID)
	checkMetadata(&v, "checkoutMetadata", in.CheckoutMetadata)
	checkClientToken(&v, in.ClientToken)
	return v.Err()
}

// countedValue is the constraint a requested Value of a counted unit fails.
const countedValue = "Member must be a non-negative decimal integer of at most 9223372036854775807 for an entitlement of unit "

// checkRequested checks the entitlements of a checkout: 1 to
// MaxEntitlements of them, each named once, with a unit from the enum. The
// Value of a counted unit is a non-negative decimal integer that fits in
// 64 bits; that of unit None is compared with the license's by the
// service.
func checkRequested(v *Violations, l []EntitlementData) {
	if !entitlementCount(v, l, func(e EntitlementData) *string { return e.Name }) {
		return
	}
	seen := map[string]int{}
	for i, e := range l {
		path := fmt.Sprintf("entitlements.%d.member", i+1)
		requiredText(v, path+".name", e.Name)
		if e.Name != nil {
			checkUnique(v, seen, "entitlements", i, *e.Name)
		}
		known := e.Unit != nil && slices.Contains(entitlementUnits, *e.Unit)
		switch {
		case e.Value == nil:
		case known && *e.Unit != UnitNone:
			if _, ok := ParseCount(*e.Value); !ok {
				v.Add(Quote(*e.Value), path+".value", countedValue+*e.Unit)
			}
		default:
			checkText(v, path+".value", *e.Value, 1)
		}
		checkEnum(v, path+".unit", e.Unit, entitlementUnits, true)
	}
}

// ParseCount parses the Value of a counted entitlement in a checkout: a
// non-empty string of ASCII digits no greater than the largest int64. It
// returns 0 and false for anything else.
func ParseCount(s string) (int64, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
