package lmapi

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/license-manager/license-manager/internal/awsjson"
)

// UnitNone is the entitlement unit of a feature rather than a quantity: an
// entitlement of unit None grants its Value and has no MaxCount.
const UnitNone = "None"

// entitlementUnits is the EntitlementUnit enum, which EntitlementDataUnit
// repeats, in model order.
var entitlementUnits = []string{
	"Count", "None", "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
	"Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
	"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
	"Count/Second",
}

// renewTypes is the RenewType enum.
var renewTypes = []string{"None", "Weekly", "Monthly"}

// licenseStatuses is the LicenseStatus enum.
var licenseStatuses = []string{
	"AVAILABLE", "PENDING_AVAILABLE", "DEACTIVATED", "SUSPENDED", "EXPIRED", "PENDING_DELETE", "DELETED",
}

// versionStatuses are the statuses CreateLicenseVersion may set: deletion
// has its own operation, and expiry follows from the validity.
var versionStatuses = []string{"AVAILABLE", "PENDING_AVAILABLE", "DEACTIVATED", "SUSPENDED"}

// Filter names of ListLicenses and ListReceivedLicenses.
const (
	FilterBeneficiary = "Beneficiary"
	FilterProductSKU  = "ProductSKU"
	FilterFingerprint = "Fingerprint"
	FilterStatus      = "Status"
	FilterIssuerName  = "IssuerName"
)

var (
	listLicensesFilters         = []string{FilterBeneficiary, FilterProductSKU, FilterFingerprint, FilterStatus}
	listReceivedLicensesFilters = []string{FilterProductSKU, FilterStatus, FilterFingerprint, FilterIssuerName, FilterBeneficiary}
)

// ReceivedStatus values this service reports.
const (
	ReceivedStatusActive  = "ACTIVE"
	ReceivedStatusDeleted = "DELETED"
)

// AllowedOperations returns the AllowedOperations of a received license, in
// the AllowedOperation enum's order: CheckoutBorrowLicense only for a
// license with a BorrowConfiguration.
func AllowedOperations(borrow bool) []string {
	ops := []string{"CheckoutLicense"}
	if borrow {
		ops = append(ops, "CheckoutBorrowLicense")
	}
	return append(ops, "CheckInLicense", "ExtendConsumptionLicense", "ListPurchasedLicenses", "CreateToken")
}

// The shapes from here to Tag appear in requests and, except Issuer and
// Tag, in replies too. In a request, nil pointers and nil slices mark
// absent members; in a reply, nil members are left out, as AWS leaves out
// what a license does not have.

// Issuer is the Issuer shape of requests.
type Issuer struct {
	Name    *string `json:"Name,omitempty"`
	SignKey *string `json:"SignKey,omitempty"`
}

// DatetimeRange is the DatetimeRange shape: ISO 8601 strings as the caller
// gave them (see ParseTime and Times).
type DatetimeRange struct {
	Begin *string `json:"Begin,omitempty"`
	End   *string `json:"End,omitempty"`
}

// Entitlement is the Entitlement shape. Value is for unit None only;
// MaxCount for the other units, absent meaning no limit.
type Entitlement struct {
	Name         *string `json:"Name,omitempty"`
	Value        *string `json:"Value,omitempty"`
	MaxCount     *int64  `json:"MaxCount,omitempty"`
	Overage      *bool   `json:"Overage,omitempty"`
	Unit         *string `json:"Unit,omitempty"`
	AllowCheckIn *bool   `json:"AllowCheckIn,omitempty"`
}

// ConsumptionConfiguration is the ConsumptionConfiguration shape.
type ConsumptionConfiguration struct {
	RenewType                *string                   `json:"RenewType,omitempty"`
	ProvisionalConfiguration *ProvisionalConfiguration `json:"ProvisionalConfiguration,omitempty"`
	BorrowConfiguration      *BorrowConfiguration      `json:"BorrowConfiguration,omitempty"`
}

// ProvisionalConfiguration is the ProvisionalConfiguration shape.
type ProvisionalConfiguration struct {
	MaxTimeToLiveInMinutes *int64 `json:"MaxTimeToLiveInMinutes,omitempty"`
}

// BorrowConfiguration is the BorrowConfiguration shape.
type BorrowConfiguration struct {
	AllowEarlyCheckIn      *bool  `json:"AllowEarlyCheckIn,omitempty"`
	MaxTimeToLiveInMinutes *int64 `json:"MaxTimeToLiveInMinutes,omitempty"`
}

// Metadata is the Metadata shape (LicenseMetadata, CheckoutMetadata).
type Metadata struct {
	Name  *string `json:"Name,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// Tag is the Tag shape.
type Tag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// IssuerDetails is the IssuerDetails shape of replies. SignKey is left out
// when the issuer has none.
type IssuerDetails struct {
	Name           string `json:"Name"`
	SignKey        string `json:"SignKey,omitempty"`
	KeyFingerprint string `json:"KeyFingerprint"`
}

// License is the License shape: one version of a license. Entitlements and
// LicenseMetadata are never null; a license without metadata has an empty
// list.
type License struct {
	LicenseARN               string                   `json:"LicenseArn"`
	LicenseName              string                   `json:"LicenseName"`
	ProductName              string                   `json:"ProductName"`
	ProductSKU               string                   `json:"ProductSKU"`
	Issuer                   IssuerDetails            `json:"Issuer"`
	HomeRegion               string                   `json:"HomeRegion"`
	Status                   string                   `json:"Status"`
	Validity                 DatetimeRange            `json:"Validity"`
	Beneficiary              string                   `json:"Beneficiary"`
	Entitlements             []Entitlement            `json:"Entitlements"`
	ConsumptionConfiguration ConsumptionConfiguration `json:"ConsumptionConfiguration"`
	LicenseMetadata          []Metadata               `json:"LicenseMetadata"`
	CreateTime               string                   `json:"CreateTime"`
	Version                  string                   `json:"Version"`
}

// GrantedLicense is the GrantedLicense shape: a License as its beneficiary
// sees it, followed by ReceivedMetadata.
type GrantedLicense struct {
	License
	ReceivedMetadata ReceivedMetadata `json:"ReceivedMetadata"`
}

// ReceivedMetadata is the ReceivedMetadata shape. AllowedOperations is
// never null; ReceivedStatusReason is left out when there is none.
type ReceivedMetadata struct {
	ReceivedStatus       string   `json:"ReceivedStatus"`
	ReceivedStatusReason string   `json:"ReceivedStatusReason,omitempty"`
	AllowedOperations    []string `json:"AllowedOperations"`
}

// CreateLicenseInput is the CreateLicenseRequest shape.
type CreateLicenseInput struct {
	LicenseName              *string                   `json:"LicenseName"`
	ProductName              *string                   `json:"ProductName"`
	ProductSKU               *string                   `json:"ProductSKU"`
	Issuer                   *Issuer                   `json:"Issuer"`
	HomeRegion               *string                   `json:"HomeRegion"`
	Validity                 *DatetimeRange            `json:"Validity"`
	Entitlements             []Entitlement             `json:"Entitlements"`
	Beneficiary              *string                   `json:"Beneficiary"`
	ConsumptionConfiguration *ConsumptionConfiguration `json:"ConsumptionConfiguration"`
	LicenseMetadata          []Metadata                `json:"LicenseMetadata"`
	ClientToken              *string                   `json:"ClientToken"`
	Tags                     []Tag                     `json:"Tags"`
}

// CreateLicenseOutput is the CreateLicenseResponse shape.
type CreateLicenseOutput struct {
	LicenseARN string `json:"LicenseArn"`
	Status     string `json:"Status"`
	Version    string `json:"Version"`
}

// GetLicenseInput is the GetLicenseRequest shape. Version absent means the
// latest version.
type GetLicenseInput struct {
	LicenseARN *string `json:"LicenseArn"`
	Version    *string `json:"Version"`
}

// GetLicenseOutput is the GetLicenseResponse shape.
type GetLicenseOutput struct {
	License License `json:"License"`
}

// ListLicensesInput is the ListLicensesRequest shape.
type ListLicensesInput struct {
	LicenseARNs []string `json:"LicenseArns"`
	Filters     []Filter `json:"Filters"`
	NextToken   *string  `json:"NextToken"`
	MaxResults  *int64   `json:"MaxResults"`
}

// ListLicensesOutput is the ListLicensesResponse shape. Licenses is never
// null; NextToken is left out on the last page.
type ListLicensesOutput struct {
	Licenses  []License `json:"Licenses"`
	NextToken string    `json:"NextToken,omitempty"`
}

// ListReceivedLicensesInput is the ListReceivedLicensesRequest shape.
type ListReceivedLicensesInput struct {
	LicenseARNs []string `json:"LicenseArns"`
	Filters     []Filter `json:"Filters"`
	NextToken   *string  `json:"NextToken"`
	MaxResults  *int64   `json:"MaxResults"`
}

// ListReceivedLicensesOutput is the ListReceivedLicensesResponse shape.
// Licenses is never null; NextToken is left out on the last page.
type ListReceivedLicensesOutput struct {
	Licenses  []GrantedLicense `json:"Licenses"`
	NextToken string           `json:"NextToken,omitempty"`
}

// DeleteLicenseInput is the DeleteLicenseRequest shape.
type DeleteLicenseInput struct {
	LicenseARN    *string `json:"LicenseArn"`
	SourceVersion *string `json:"SourceVersion"`
}

// DeleteLicenseOutput is the DeleteLicenseResponse shape.
type DeleteLicenseOutput struct {
	Status       string `json:"Status"`
	DeletionDate string `json:"DeletionDate"`
}

// CreateLicenseVersionInput is the CreateLicenseVersionRequest shape.
type CreateLicenseVersionInput struct {
	LicenseARN               *string                   `json:"LicenseArn"`
	LicenseName              *string                   `json:"LicenseName"`
	ProductName              *string                   `json:"ProductName"`
	Issuer                   *Issuer                   `json:"Issuer"`
	HomeRegion               *string                   `json:"HomeRegion"`
	Validity                 *DatetimeRange            `json:"Validity"`
	LicenseMetadata          []Metadata                `json:"LicenseMetadata"`
	Entitlements             []Entitlement             `json:"Entitlements"`
	ConsumptionConfiguration *ConsumptionConfiguration `json:"ConsumptionConfiguration"`
	Status                   *string                   `json:"Status"`
	ClientToken              *string                   `json:"ClientToken"`
	SourceVersion            *string                   `json:"SourceVersion"`
}

// CreateLicenseVersionOutput is the CreateLicenseVersionResponse shape.
type CreateLicenseVersionOutput struct {
	LicenseARN string `json:"LicenseArn"`
	Version    string `json:"Version"`
	Status     string `json:"Status"`
}

// ListLicenseVersionsInput is the ListLicenseVersionsRequest shape.
type ListLicenseVersionsInput struct {
	LicenseARN *string `json:"LicenseArn"`
	NextToken  *string `json:"NextToken"`
	MaxResults *int64  `json:"MaxResults"`
}

// ListLicenseVersionsOutput is the ListLicenseVersionsResponse shape.
// Licenses is never null; NextToken is left out on the last page.
type ListLicenseVersionsOutput struct {
	Licenses  []License `json:"Licenses"`
	NextToken string    `json:"NextToken,omitempty"`
}

// Validate checks a CreateLicense request: every required member, the
// validity, the entitlements (see checkEntitlements), the consumption
// configuration, a 12-digit Beneficiary, metadata, tags and ClientToken.
// The Issuer's SignKey is recorded, not checked: checkout tokens are signed
// with the installation's key.
func (in *CreateLicenseInput) Validate() *awsjson.Error {
	var v Violations
	requiredText(&v, "licenseName", in.LicenseName)
	requiredText(&v, "productName", in.ProductName)
	requiredText(&v, "productSKU", in.ProductSKU)
	checkIssuer(&v, in.Issuer)
	requiredText(&v, "homeRegion", in.HomeRegion)
	checkValidity(&v, "validity", in.Validity)
	checkEntitlements(&v, in.Entitlements)
	if present(&v, "beneficiary", in.Beneficiary) {
		checkAccount(&v, "beneficiary", in.Beneficiary)
	}
	checkConsumption(&v, in.ConsumptionConfiguration)
	checkMetadata(&v, "licenseMetadata", in.LicenseMetadata)
	checkClientToken(&v, in.ClientToken)
	checkTags(&v, in.Tags)
	return v.Err()
}

// Validate checks a GetLicense request. Whether the license or version
// exists is the service's to say.
func (in *GetLicenseInput) Validate() *awsjson.Error {
	var v Violations
	requiredLicenseARN(&v, "licenseArn", in.LicenseARN)
	optionalText(&v, "version", in.Version)
	return v.Err()
}

// Validate checks a ListLicenses request: license ARNs, the filters
// Beneficiary, ProductSKU, Fingerprint and Status, and MaxResults.
func (in *ListLicensesInput) Validate() *awsjson.Error {
	var v Violations
	checkLicenseARNs(&v, "licenseArns", in.LicenseARNs)
	checkFilters(&v, in.Filters, listLicensesFilters)
	optionalNUL(&v, "nextToken", in.NextToken)
	checkMaxResults(&v, in.MaxResults)
	return v.Err()
}

// Validate checks a ListReceivedLicenses request: license ARNs, the filters
// ProductSKU, Status, Fingerprint, IssuerName and Beneficiary, and
// MaxResults.
func (in *ListReceivedLicensesInput) Validate() *awsjson.Error {
	var v Violations
	checkLicenseARNs(&v, "licenseArns", in.LicenseARNs)
	checkFilters(&v, in.Filters, listReceivedLicensesFilters)
	optionalNUL(&v, "nextToken", in.NextToken)
	checkMaxResults(&v, in.MaxResults)
	return v.Err()
}

// Validate checks a DeleteLicense request. Whether SourceVersion is the
// latest version is the service's to say.
func (in *DeleteLicenseInput) Validate() *awsjson.Error {
	var v Violations
	requiredLicenseARN(&v, "licenseArn", in.LicenseARN)
	requiredText(&v, "sourceVersion", in.SourceVersion)
	return v.Err()
}

// Validate checks a CreateLicenseVersion request as CreateLicense's, and
// Status: AVAILABLE, PENDING_AVAILABLE, DEACTIVATED or SUSPENDED.
func (in *CreateLicenseVersionInput) Validate() *awsjson.Error {
	var v Violations
	requiredLicenseARN(&v, "licenseArn", in.LicenseARN)
	requiredText(&v, "licenseName", in.LicenseName)
	requiredText(&v, "productName", in.ProductName)
	checkIssuer(&v, in.Issuer)
	requiredText(&v, "homeRegion", in.HomeRegion)
	checkValidity(&v, "validity", in.Validity)
	checkMetadata(&v, "licenseMetadata", in.LicenseMetadata)
	checkEntitlements(&v, in.Entitlements)
	checkConsumption(&v, in.ConsumptionConfiguration)
	checkEnum(&v, "status", in.Status, licenseStatuses, true)
	if s := in.Status; s != nil && slices.Contains(licenseStatuses, *s) && !slices.Contains(versionStatuses, *s) {
		v.Add(Quote(*s), "status", "Member must be AVAILABLE, PENDING_AVAILABLE, DEACTIVATED or SUSPENDED: "+
			"delete a license with DeleteLicense; a license is EXPIRED once past validity.end")
	}
	checkClientToken(&v, in.ClientToken)
	optionalText(&v, "sourceVersion", in.SourceVersion)
	return v.Err()
}

// Validate checks a ListLicenseVersions request.
func (in *ListLicenseVersionsInput) Validate() *awsjson.Error {
	var v Violations
	requiredLicenseARN(&v, "licenseArn", in.LicenseARN)
	optionalNUL(&v, "nextToken", in.NextToken)
	checkMaxResults(&v, in.MaxResults)
	return v.Err()
}

func checkIssuer(v *Violations, is *Issuer) {
	if present(v, "issuer", is) {
		requiredText(v, "issuer.name", is.Name)
		optionalText(v, "issuer.signKey", is.SignKey)
	}
}

// Constraints of the entitlements of a license version.
const (
	noneNeedsValue      = "Member must not be null when unit is None: an entitlement of unit None grants its value"
	noneTakesNoMaxCount = "Member must be absent when unit is None: an entitlement of unit None is not counted"
	countedTakesNoValue = "Member must be absent unless unit is None: limit an entitlement of unit %s with maxCount"
)

// checkEntitlements checks the Entitlements of a license version: 1 to
// MaxEntitlements of them with unique names. An entitlement of unit None
// needs a Value and takes no MaxCount; one of another unit takes no Value
// and an optional MaxCount of at least 0.
func checkEntitlements(v *Violations, l []Entitlement) {
	if !entitlementCount(v, l, func(e Entitlement) *string { return e.Name }) {
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
		none := known && *e.Unit == UnitNone
		switch {
		case none && e.Value == nil:
			v.Add(Null, path+".value", noneNeedsValue)
		case known && !none && e.Value != nil:
			v.Add(Quote(*e.Value), path+".value", fmt.Sprintf(countedTakesNoValue, *e.Unit))
		case e.Value != nil:
			checkText(v, path+".value", *e.Value, 1)
		}
		switch {
		case e.MaxCount == nil:
		case none:
			v.Add(Quote(strconv.FormatInt(*e.MaxCount, 10)), path+".maxCount", noneTakesNoMaxCount)
		case *e.MaxCount < 0:
			v.Add(Quote(strconv.FormatInt(*e.MaxCount, 10)), path+".maxCount", minValue(0))
		}
		checkEnum(v, path+".unit", e.Unit, entitlementUnits, true)
	}
}

// entitlementCount checks that a required list of entitlements has 1 to
// MaxEntitlements members, and reports whether its members are worth
// checking one by one.
func entitlementCount[T any](v *Violations, l []T, name func(T) *string) bool {
	switch {
	case !presentList(v, "entitlements", l):
		return false
	case len(l) == 0:
		v.Add(QuoteList(nil), "entitlements", minLength(1))
		return false
	case len(l) > MaxEntitlements:
		v.Add(QuoteList(names(l, name)), "entitlements", maxLength(MaxEntitlements))
		return false
	}
	return true
}

// names returns the names of a list's members, null for an absent one, to
// echo the list in a violation.
func names[T any](l []T, name func(T) *string) []string {
	out := make([]string, len(l))
	for i, x := range l {
		out[i] = Null
		if n := name(x); n != nil {
			out[i] = *n
		}
	}
	return out
}

// checkUnique records a violation if name, the name of the i-th (0-based)
// member of list, was seen before; seen maps names to 1-based positions.
func checkUnique(v *Violations, seen map[string]int, list string, i int, name string) {
	if first, dup := seen[name]; dup {
		v.Add(Quote(name), fmt.Sprintf("%s.%d.member.name", list, i+1), fmt.Sprintf(
			"Member must be unique among the %s' names (also at %s.%d.member.name)", list, list, first))
		return
	}
	seen[name] = i + 1
}

func checkConsumption(v *Violations, c *ConsumptionConfiguration) {
	const path = "consumptionConfiguration"
	if !present(v, path, c) {
		return
	}
	checkEnum(v, path+".renewType", c.RenewType, renewTypes, false)
	if p := c.ProvisionalConfiguration; p != nil {
		checkTTL(v, path+".provisionalConfiguration.maxTimeToLiveInMinutes", p.MaxTimeToLiveInMinutes)
	}
	if b := c.BorrowConfiguration; b != nil {
		present(v, path+".borrowConfiguration.allowEarlyCheckIn", b.AllowEarlyCheckIn)
		checkTTL(v, path+".borrowConfiguration.maxTimeToLiveInMinutes", b.MaxTimeToLiveInMinutes)
	}
}

// checkTags checks Tags: each needs a Key; an absent Value is the empty
// string.
func checkTags(v *Violations, l []Tag) {
	for i, t := range l {
		path := fmt.Sprintf("tags.%d.member", i+1)
		requiredText(v, path+".key", t.Key)
		if t.Value != nil {
			checkText(v, path+".value", *t.Value, 0)
		}
	}
}
