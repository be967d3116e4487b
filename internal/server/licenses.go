package server

import (
	"context"
	"strconv"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/license"
	"github.com/license-manager/license-manager/internal/lmapi"
	"github.com/license-manager/license-manager/internal/store"
)

// The handlers of the license and consumption operations: decode, validate,
// call the license service, and turn its records into the model's shapes.

// validator is a decoded request that checks itself.
type validator interface{ Validate() *awsjson.Error }

// decode parses and validates a request body into in.
func decode(body []byte, in validator) error {
	if err := awsjson.Decode(body, in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return nil
}

func (a *API) createLicense(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.CreateLicenseInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	spec, err := licenseSpec(in.LicenseName, in.ProductName, in.Issuer, in.HomeRegion, in.Validity,
		in.Entitlements, in.ConsumptionConfiguration, in.LicenseMetadata)
	if err != nil {
		return nil, err
	}
	spec.ProductSKU, spec.Beneficiary = *in.ProductSKU, *in.Beneficiary
	spec.Tags = make([]store.Tag, len(in.Tags))
	for i, t := range in.Tags {
		spec.Tags[i] = store.Tag{Key: deref(t.Key), Value: deref(t.Value)}
	}
	out, err := a.Licenses.CreateLicense(ctx, caller(p), spec, *in.ClientToken)
	if err != nil {
		return nil, err
	}
	return lmapi.CreateLicenseOutput{LicenseARN: out.ARN, Status: out.Status, Version: out.Version}, nil
}

func (a *API) createLicenseVersion(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.CreateLicenseVersionInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	spec, err := licenseSpec(in.LicenseName, in.ProductName, in.Issuer, in.HomeRegion, in.Validity,
		in.Entitlements, in.ConsumptionConfiguration, in.LicenseMetadata)
	if err != nil {
		return nil, err
	}
	spec.Status = *in.Status
	out, err := a.Licenses.CreateLicenseVersion(ctx, caller(p), *in.LicenseARN, spec, deref(in.SourceVersion), *in.ClientToken)
	if err != nil {
		return nil, err
	}
	return lmapi.CreateLicenseVersionOutput{LicenseARN: out.ARN, Version: out.Version, Status: out.Status}, nil
}

// licenseSpec turns the members CreateLicense and CreateLicenseVersion
// share, validated, into the content of a license version.
func licenseSpec(name, product *string, issuer *lmapi.Issuer, region *string, validity *lmapi.DatetimeRange,
	ents []lmapi.Entitlement, cc *lmapi.ConsumptionConfiguration, md []lmapi.Metadata) (license.Spec, error) {
	begin, end, err := validity.Times()
	if err != nil {
		return license.Spec{}, err
	}
	spec := license.Spec{
		Name: *name, ProductName: *product, IssuerName: deref(issuer.Name), SignKey: deref(issuer.SignKey),
		HomeRegion: *region, ValidityBegin: *validity.Begin, ValidityEnd: deref(validity.End),
		Begin: begin, End: end, Metadata: metadata(md),
		Entitlements: make([]store.Entitlement, len(ents)),
	}
	for i, e := range ents {
		spec.Entitlements[i] = store.Entitlement{
			Name: deref(e.Name), Unit: deref(e.Unit), Value: e.Value, MaxCount: e.MaxCount,
			Overage: e.Overage, AllowCheckIn: e.AllowCheckIn,
		}
	}
	spec.Consumption.RenewType = deref(cc.RenewType)
	if pc := cc.ProvisionalConfiguration; pc != nil {
		spec.Consumption.ProvisionalTTL = pc.MaxTimeToLiveInMinutes
	}
	if bc := cc.BorrowConfiguration; bc != nil {
		spec.Consumption.Borrow = &store.BorrowConfig{AllowEarlyCheckIn: *bc.AllowEarlyCheckIn, MaxTTL: *bc.MaxTimeToLiveInMinutes}
	}
	return spec, nil
}

func metadata(md []lmapi.Metadata) []store.Metadata {
	out := make([]store.Metadata, len(md))
	for i, m := range md {
		out[i] = store.Metadata{Name: deref(m.Name), Value: deref(m.Value)}
	}
	return out
}

func (a *API) getLicense(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.GetLicenseInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	l, err := a.Licenses.GetLicense(ctx, caller(p), *in.LicenseARN, deref(in.Version))
	if err != nil {
		return nil, err
	}
	return lmapi.GetLicenseOutput{License: a.licenseShape(l)}, nil
}

func (a *API) listLicenses(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.ListLicensesInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	page, err := a.Licenses.List(ctx, caller(p), listRequest(false, in.LicenseARNs, in.Filters, in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	return lmapi.ListLicensesOutput{Licenses: a.licenseShapes(page.Licenses), NextToken: page.NextToken}, nil
}

func (a *API) listReceivedLicenses(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.ListReceivedLicensesInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	page, err := a.Licenses.List(ctx, caller(p), listRequest(true, in.LicenseARNs, in.Filters, in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	out := lmapi.ListReceivedLicensesOutput{Licenses: make([]lmapi.GrantedLicense, len(page.Licenses)), NextToken: page.NextToken}
	for i, l := range page.Licenses {
		received := lmapi.ReceivedStatusActive
		if l.Status == store.LicenseDeleted {
			received = lmapi.ReceivedStatusDeleted
		}
		out.Licenses[i] = lmapi.GrantedLicense{
			License: a.licenseShape(l),
			ReceivedMetadata: lmapi.ReceivedMetadata{
				ReceivedStatus:    received,
				AllowedOperations: lmapi.AllowedOperations(l.Consumption.Borrow != nil),
			},
		}
	}
	return out, nil
}

func listRequest(received bool, arns []string, filters []lmapi.Filter, maxResults *int64, next *string) license.ListRequest {
	req := license.ListRequest{
		Received:      received,
		ARNs:          arns,
		Beneficiaries: lmapi.FilterValues(filters, lmapi.FilterBeneficiary),
		ProductSKUs:   lmapi.FilterValues(filters, lmapi.FilterProductSKU),
		Fingerprints:  lmapi.FilterValues(filters, lmapi.FilterFingerprint),
		Statuses:      lmapi.FilterValues(filters, lmapi.FilterStatus),
		IssuerNames:   lmapi.FilterValues(filters, lmapi.FilterIssuerName),
		NextToken:     deref(next),
	}
	if maxResults != nil {
		req.MaxResults = int(*maxResults)
	}
	return req
}

func (a *API) listLicenseVersions(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.ListLicenseVersionsInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	maxResults := 0
	if in.MaxResults != nil {
		maxResults = int(*in.MaxResults)
	}
	page, err := a.Licenses.Versions(ctx, caller(p), *in.LicenseARN, maxResults, deref(in.NextToken))
	if err != nil {
		return nil, err
	}
	return lmapi.ListLicenseVersionsOutput{Licenses: a.licenseShapes(page.Licenses), NextToken: page.NextToken}, nil
}

func (a *API) deleteLicense(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.DeleteLicenseInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	out, err := a.Licenses.DeleteLicense(ctx, caller(p), *in.LicenseARN, *in.SourceVersion)
	if err != nil {
		return nil, err
	}
	return lmapi.DeleteLicenseOutput{Status: out.Status, DeletionDate: lmapi.FormatTime(out.At)}, nil
}

// licenseShape is a license version as the License shape reports it.
func (a *API) licenseShapes(ls []store.License) []lmapi.License {
	out := make([]lmapi.License, len(ls))
	for i, l := range ls {
		out[i] = a.licenseShape(l)
	}
	return out
}

func (a *API) licenseShape(l store.License) lmapi.License {
	out := lmapi.License{
		LicenseARN: l.ARN, LicenseName: l.Name, ProductName: l.ProductName, ProductSKU: l.ProductSKU,
		Issuer:     lmapi.IssuerDetails{Name: l.IssuerName, SignKey: l.SignKey, KeyFingerprint: l.KeyFingerprint},
		HomeRegion: l.HomeRegion, Status: license.ReportedStatus(l, a.Licenses.Now()),
		Validity:    lmapi.DatetimeRange{Begin: &l.ValidityBegin},
		Beneficiary: l.Beneficiary, Entitlements: make([]lmapi.Entitlement, len(l.Entitlements)),
		LicenseMetadata: make([]lmapi.Metadata, len(l.Metadata)),
		CreateTime:      lmapi.FormatTime(l.VersionCreatedAt), Version: strconv.Itoa(l.Version),
	}
	if l.ValidityEnd != "" {
		out.Validity.End = &l.ValidityEnd
	}
	for i, e := range l.Entitlements {
		out.Entitlements[i] = lmapi.Entitlement{
			Name: &e.Name, Value: e.Value, MaxCount: e.MaxCount, Overage: e.Overage, Unit: &e.Unit, AllowCheckIn: e.AllowCheckIn,
		}
	}
	for i, m := range l.Metadata {
		out.LicenseMetadata[i] = lmapi.Metadata{Name: &m.Name, Value: &m.Value}
	}
	c := l.Consumption
	if c.RenewType != "" {
		out.ConsumptionConfiguration.RenewType = &c.RenewType
	}
	if c.ProvisionalTTL != nil {
		out.ConsumptionConfiguration.ProvisionalConfiguration = &lmapi.ProvisionalConfiguration{MaxTimeToLiveInMinutes: c.ProvisionalTTL}
	}
	if b := c.Borrow; b != nil {
		out.ConsumptionConfiguration.BorrowConfiguration = &lmapi.BorrowConfiguration{
			AllowEarlyCheckIn: &b.AllowEarlyCheckIn, MaxTimeToLiveInMinutes: &b.MaxTTL,
		}
	}
	return out
}

func requested(l []lmapi.EntitlementData) []license.Requested {
	out := make([]license.Requested, len(l))
	for i, e := range l {
		out[i] = license.Requested{Name: deref(e.Name), Value: deref(e.Value), Unit: deref(e.Unit)}
	}
	return out
}

func entitlementData(l []license.Requested) []lmapi.EntitlementData {
	out := make([]lmapi.EntitlementData, len(l))
	for i, e := range l {
		out[i] = lmapi.EntitlementData{Name: &e.Name, Unit: &e.Unit}
		if e.Value != "" {
			out[i].Value = &e.Value
		}
	}
	return out
}

func (a *API) checkoutLicense(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.CheckoutLicenseInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	co, err := a.Licenses.CheckoutLicense(ctx, caller(p), license.CheckoutRequest{
		ProductSKU: *in.ProductSKU, CheckoutType: *in.CheckoutType, KeyFingerprint: *in.KeyFingerprint,
		Entitlements: requested(in.Entitlements), Beneficiary: deref(in.Beneficiary), NodeID: deref(in.NodeID),
		ClientToken: *in.ClientToken,
	})
	if err != nil {
		return nil, err
	}
	return lmapi.CheckoutLicenseOutput{
		CheckoutType: co.Type, LicenseConsumptionToken: co.ConsumptionToken,
		EntitlementsAllowed: entitlementData(co.Entitlements), SignedToken: co.SignedToken, NodeID: co.NodeID,
		IssuedAt: lmapi.FormatTime(co.IssuedAt), Expiration: lmapi.FormatTime(co.Expiration), LicenseARN: co.LicenseARN,
	}, nil
}

func (a *API) checkoutBorrowLicense(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.CheckoutBorrowLicenseInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	co, err := a.Licenses.CheckoutBorrowLicense(ctx, caller(p), license.BorrowRequest{
		LicenseARN: *in.LicenseARN, Entitlements: requested(in.Entitlements),
		DigitalSignatureMethod: *in.DigitalSignatureMethod, NodeID: deref(in.NodeID),
		Metadata: metadata(in.CheckoutMetadata), ClientToken: *in.ClientToken,
	})
	if err != nil {
		return nil, err
	}
	out := lmapi.CheckoutBorrowLicenseOutput{
		LicenseARN: co.LicenseARN, LicenseConsumptionToken: co.ConsumptionToken,
		EntitlementsAllowed: entitlementData(co.Entitlements), NodeID: co.NodeID, SignedToken: co.SignedToken,
		IssuedAt: lmapi.FormatTime(co.IssuedAt), Expiration: lmapi.FormatTime(co.Expiration),
	}
	for _, m := range co.Metadata {
		out.CheckoutMetadata = append(out.CheckoutMetadata, lmapi.Metadata{Name: &m.Name, Value: &m.Value})
	}
	return out, nil
}

func (a *API) checkInLicense(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.CheckInLicenseInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := a.Licenses.CheckIn(ctx, caller(p), *in.LicenseConsumptionToken, deref(in.Beneficiary)); err != nil {
		return nil, err
	}
	return lmapi.CheckInLicenseOutput{}, nil
}

func (a *API) extendLicenseConsumption(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.ExtendLicenseConsumptionInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	out, err := a.Licenses.Extend(ctx, caller(p), *in.LicenseConsumptionToken, in.DryRun != nil && *in.DryRun)
	if err != nil {
		return nil, err
	}
	return lmapi.ExtendLicenseConsumptionOutput{
		LicenseConsumptionToken: out.ConsumptionToken, Expiration: lmapi.FormatTime(out.Expiration),
	}, nil
}

func (a *API) getLicenseUsage(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.GetLicenseUsageInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	usage, err := a.Licenses.Usage(ctx, caller(p), *in.LicenseARN)
	if err != nil {
		return nil, err
	}
	out := lmapi.GetLicenseUsageOutput{LicenseUsage: lmapi.LicenseUsage{EntitlementUsages: make([]lmapi.EntitlementUsage, len(usage))}}
	for i, u := range usage {
		eu := lmapi.EntitlementUsage{Name: u.Name, ConsumedValue: strconv.FormatInt(u.Consumed, 10), Unit: u.Unit}
		if u.MaxCount != nil {
			eu.MaxCount = strconv.FormatInt(*u.MaxCount, 10)
		}
		out.LicenseUsage.EntitlementUsages[i] = eu
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
