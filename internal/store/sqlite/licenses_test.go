package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
	"github.com/license-manager/license-manager/internal/store/storetest"
)

const (
	issuer      = "294406891311"
	beneficiary = "111122223333"
	licenseARN  = "arn:aws:license-manager::294406891311:license:l-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// licenseState is everything a reader reports about the license of
// writeLicenseState.
type licenseState struct {
	License     store.License
	Versions    []store.License
	Issued      []store.License
	Matched     []store.License
	Usage       []store.Usage
	Consumption store.Consumption
	CheckedIn   store.Consumption
	Record      store.Idempotency
}

// writeLicenseState records a license with two versions, two
// consumptions (one checked in) and an idempotency record.
func writeLicenseState(t *testing.T, s store.LicenseStore) {
	t.Helper()
	seats, allow, ttl := int64(10), true, int64(30)
	begin := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	l := store.License{
		ARN: licenseARN, AccountID: issuer, Beneficiary: beneficiary, ProductSKU: "SKU-1",
		CreatedAt: now, Version: 1, LatestVersion: 1, VersionCreatedAt: now,
		Status: store.LicenseAvailable, Name: "Widget", ProductName: "Widget Pro",
		IssuerName: "Example", SignKey: "key", KeyFingerprint: "aws:294406891311:Example:issuer-fingerprint",
		HomeRegion: "us-east-1", ValidityBegin: "2026-03-01T00:00:00Z", Begin: begin,
		Entitlements: []store.Entitlement{{Name: "Seats", Unit: "Count", MaxCount: &seats, AllowCheckIn: &allow}},
		Consumption:  store.ConsumptionConfig{ProvisionalTTL: &ttl, Borrow: &store.BorrowConfig{MaxTTL: 60}},
		Metadata:     []store.Metadata{{Name: "Edition", Value: "Pro"}},
		Tags:         []store.Tag{{Key: "team", Value: "sales"}},
	}
	v2 := l
	v2.Version, v2.VersionCreatedAt, v2.Name = 2, now.Add(time.Hour), "Widget 2"
	use := store.Consumption{
		Token: "c-1", LicenseARN: licenseARN, AccountID: beneficiary, Type: store.CheckoutProvisional,
		Entitlements: []store.ConsumedEntitlement{{Name: "Seats", Unit: "Count", Value: "3", Amount: 3}},
		IssuedAt:     now, ExpiresAt: now.Add(time.Hour), SignedToken: "a.b.c",
	}
	done := use
	done.Token, done.Type, done.ExpiresAt, done.CheckedInAt = "c-2", store.CheckoutPerpetual, time.Time{}, now
	rec := store.Idempotency{
		AccountID: issuer, Operation: "CreateLicense", ClientToken: "ct-1", RequestHash: []byte{1, 2},
		ResourceID: licenseARN, Response: []byte(`{}`), CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute),
	}
	err := s.UpdateLicenses(t.Context(), func(tx store.LicenseTx) error {
		ctx := t.Context()
		for _, err := range []error{
			tx.CreateLicense(ctx, l),
			tx.AddLicenseVersion(ctx, v2),
			tx.AddConsumption(ctx, use),
			tx.AddConsumption(ctx, done),
			tx.PutIdempotency(ctx, rec),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateLicenses = %v", err)
	}
}

// readLicenseState reads what writeLicenseState wrote.
func readLicenseState(t *testing.T, s store.LicenseStore) licenseState {
	t.Helper()
	var st licenseState
	err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
		ctx := t.Context()
		var err error
		if st.License, err = r.License(ctx, licenseARN); err != nil {
			return err
		}
		if st.Versions, err = r.LicenseVersions(ctx, licenseARN, 0, 0); err != nil {
			return err
		}
		if st.Issued, err = r.Licenses(ctx, store.LicenseQuery{AccountID: issuer}); err != nil {
			return err
		}
		if st.Matched, err = r.MatchLicenses(ctx, beneficiary, st.License.ProductSKU, st.License.KeyFingerprint); err != nil {
			return err
		}
		if st.Usage, err = r.Usage(ctx, licenseARN, now); err != nil {
			return err
		}
		if st.Consumption, err = r.Consumption(ctx, "c-1"); err != nil {
			return err
		}
		if st.CheckedIn, err = r.Consumption(ctx, "c-2"); err != nil {
			return err
		}
		st.Record, err = r.Idempotency(ctx, issuer, "CreateLicense", "ct-1", now)
		return err
	})
	if err != nil {
		t.Fatalf("ViewLicenses = %v", err)
	}
	return st
}

func TestLicensesSurviveReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	writeLicenseState(t, s)
	before := readLicenseState(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if before.License.Version != 2 || len(before.Versions) != 2 || len(before.Usage) != 1 {
		t.Fatalf("before reopening: version %d, %d versions, usage %v; want version 2, 2 versions, one usage",
			before.License.Version, len(before.Versions), before.Usage)
	}

	after := readLicenseState(t, open(t, path))
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("state after reopening differs (-before +after):\n%s", d)
	}
}

// TestCheckoutRaceTwoStores races checkouts through two stores on one
// file: their transactions are serialized by SQLite's lock, not by one
// store's writer connection.
func TestCheckoutRaceTwoStores(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	a, b := open(t, path), open(t, path)
	if err := storetest.AddLicense(t.Context(), a, licenseARN, beneficiary); err != nil {
		t.Fatal(err)
	}
	const limit = 10
	checkouts := storetest.CheckoutRace(t, []store.LicenseStore{a, b}, licenseARN, 60, limit)
	n := 0
	for _, added := range checkouts {
		if added {
			n++
		}
	}
	if n != limit {
		t.Errorf("%d checkouts recorded through two stores, want %d", n, limit)
	}
	err := b.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
		usage, err := r.Usage(t.Context(), licenseARN, now)
		if err != nil {
			return err
		}
		if want := []store.Usage{{Name: "Seats", Consumed: limit}}; !cmp.Equal(usage, want) {
			t.Errorf("Usage = %v, want %v", usage, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ViewLicenses = %v", err)
	}
}
