package storetest

import (
	"context"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/arn"
	"github.com/license-manager/license-manager/internal/store"
)

// AddLicense records an available license with the given ARN, issued by the
// ARN's account to beneficiary (the issuer itself when empty), valid from
// 2020 with no end, with one entitlement of ten seats. Tests of other
// layers use it where a license must exist under a known ARN (CreateToken
// refuses unknown licenses); the API gives licenses random ARNs.
func AddLicense(ctx context.Context, st store.LicenseStore, licenseARN, beneficiary string) error {
	a, err := arn.Parse(licenseARN)
	if err != nil || !arn.IsLicense(licenseARN) {
		return fmt.Errorf("add license: %q is not a license ARN", licenseARN)
	}
	if beneficiary == "" {
		beneficiary = a.AccountID
	}
	created := time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)
	seats := int64(10)
	allow := true
	l := store.License{
		ARN: licenseARN, AccountID: a.AccountID, Beneficiary: beneficiary, ProductSKU: "SKU-TEST",
		CreatedAt: created, Version: 1, LatestVersion: 1, VersionCreatedAt: created,
		Status: store.LicenseAvailable, Name: "Test license", ProductName: "Test product",
		IssuerName: "Test", KeyFingerprint: "aws:" + a.AccountID + ":Test:issuer-fingerprint",
		HomeRegion: "us-east-1", ValidityBegin: "2020-01-01T00:00:00Z", Begin: created,
		Entitlements: []store.Entitlement{{Name: "Seats", Unit: "Count", MaxCount: &seats, AllowCheckIn: &allow}},
	}
	return st.UpdateLicenses(ctx, func(tx store.LicenseTx) error { return tx.CreateLicense(ctx, l) })
}
