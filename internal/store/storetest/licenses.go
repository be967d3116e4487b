package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

const (
	issuerA = "294406891311"
	issuerB = "123456789012"
	skuA    = "SKU-WIDGET"
	skuB    = "SKU-GADGET"
)

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// licenseARN returns the ARN of license n of issuer.
func licenseARN(issuer string, n int) string {
	return fmt.Sprintf("arn:aws:license-manager::%s:license:l-%032x", issuer, n)
}

// fingerprint is the key fingerprint of an issuer account and name.
func fingerprint(issuer, name string) string {
	return "aws:" + issuer + ":" + name + ":issuer-fingerprint"
}

// newLicense returns version 1 of a license of skuA with every member set;
// its times have nanoseconds, to check truncation.
func newLicense(arn, issuer, beneficiary string) store.License {
	begin := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2027, time.March, 1, 10, 0, 0, 500000999, time.FixedZone("EET", 2*3600))
	return store.License{
		ARN:              arn,
		AccountID:        issuer,
		Beneficiary:      beneficiary,
		ProductSKU:       skuA,
		CreatedAt:        base,
		Version:          1,
		LatestVersion:    1,
		VersionCreatedAt: base,
		Status:           store.LicenseAvailable,
		Name:             "Widget Pro",
		ProductName:      "Widget",
		IssuerName:       "Example Corp",
		SignKey:          "arn:aws:kms:us-east-1:" + issuer + ":key/widget",
		KeyFingerprint:   fingerprint(issuer, "Example Corp"),
		HomeRegion:       "us-east-1",
		ValidityBegin:    "2026-03-01T00:00:00Z",
		ValidityEnd:      "2027-03-01T10:00:00.500000999+02:00",
		Begin:            begin,
		End:              end,
		Entitlements: []store.Entitlement{
			{Name: "Seats", Unit: "Count", MaxCount: ptr(int64(10)), Overage: ptr(false), AllowCheckIn: ptr(true)},
			{Name: "Premium", Unit: "None", Value: ptr("enabled")},
			{Name: "Storage", Unit: "Gigabytes", MaxCount: ptr(int64(0)), Overage: ptr(true), AllowCheckIn: ptr(false)},
		},
		Consumption: store.ConsumptionConfig{
			RenewType:      "Monthly",
			ProvisionalTTL: ptr(int64(90)),
			Borrow:         &store.BorrowConfig{AllowEarlyCheckIn: true, MaxTTL: 1440},
		},
		Metadata: []store.Metadata{{Name: "Edition", Value: "Pro"}, {Name: "Note", Value: ""}},
		Tags:     []store.Tag{{Key: "team", Value: "sales"}, {Key: "empty", Value: ""}},
	}
}

// nextVersion returns l changed in every version-specific member as
// version n, created an hour after the previous one. Its identity members
// are changed too, which AddLicenseVersion must ignore.
func nextVersion(l store.License, n int) store.License {
	name := fmt.Sprintf("Widget Pro v%d", n)
	l.Version, l.LatestVersion = n, n
	l.VersionCreatedAt = l.VersionCreatedAt.Add(time.Hour + time.Nanosecond)
	l.Status = store.LicenseSuspended
	l.Name = name
	l.ProductName = "Widget " + name
	l.IssuerName = "Issuer " + name
	l.SignKey = "key " + name
	l.KeyFingerprint = fingerprint(l.AccountID, l.IssuerName)
	l.HomeRegion = "eu-west-1"
	l.ValidityBegin, l.Begin = "2026-04-01T00:00:00Z", time.Date(2026, time.April, 1, 0, 0, 0, 0, time.UTC)
	l.ValidityEnd, l.End = "", time.Time{}
	l.Entitlements = []store.Entitlement{{Name: "Seats", Unit: "Count", MaxCount: ptr(int64(n * 10))}}
	l.Consumption = store.ConsumptionConfig{ProvisionalTTL: ptr(int64(n))}
	l.Metadata = []store.Metadata{{Name: "Version", Value: name}}

	l.AccountID = issuerB
	l.Beneficiary = accountB
	l.ProductSKU = skuB
	l.CreatedAt = l.CreatedAt.Add(time.Hour)
	l.Tags = []store.Tag{{Key: "ignored", Value: name}}
	return l
}

// storedLicense is l as a backend returns it when its latest version is
// latest.
func storedLicense(l store.License, latest int) store.License {
	l.LatestVersion = latest
	l.CreatedAt = storedTime(l.CreatedAt)
	l.VersionCreatedAt = storedTime(l.VersionCreatedAt)
	l.DeletedAt = storedTime(l.DeletedAt)
	l.Begin = storedTime(l.Begin)
	l.End = storedTime(l.End)
	if l.Entitlements == nil {
		l.Entitlements = []store.Entitlement{}
	}
	if l.Metadata == nil {
		l.Metadata = []store.Metadata{}
	}
	if l.Tags == nil {
		l.Tags = []store.Tag{}
	}
	return l
}

// withIdentity returns the version v with the identity of the license
// first.
func withIdentity(v, first store.License) store.License {
	v.AccountID, v.Beneficiary, v.ProductSKU = first.AccountID, first.Beneficiary, first.ProductSKU
	v.CreatedAt, v.Tags = first.CreatedAt, first.Tags
	return v
}

// update runs fn in UpdateLicenses and fails the test if it fails.
func update(t *testing.T, s store.LicenseStore, fn func(tx store.LicenseTx) error) {
	t.Helper()
	if err := s.UpdateLicenses(t.Context(), fn); err != nil {
		t.Fatalf("UpdateLicenses = %v", err)
	}
}

// view runs fn in ViewLicenses and fails the test if it fails.
func view(t *testing.T, s store.LicenseStore, fn func(r store.LicenseReader) error) {
	t.Helper()
	if err := s.ViewLicenses(t.Context(), fn); err != nil {
		t.Fatalf("ViewLicenses = %v", err)
	}
}

// createLicenses records licenses, each as version 1.
func createLicenses(t *testing.T, s store.LicenseStore, ls ...store.License) {
	t.Helper()
	update(t, s, func(tx store.LicenseTx) error {
		for _, l := range ls {
			if err := tx.CreateLicense(t.Context(), l); err != nil {
				return err
			}
		}
		return nil
	})
}

// addVersions records versions in order.
func addVersions(t *testing.T, s store.LicenseStore, vs ...store.License) {
	t.Helper()
	update(t, s, func(tx store.LicenseTx) error {
		for _, v := range vs {
			if err := tx.AddLicenseVersion(t.Context(), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// readLicense returns the latest version of a license that must exist.
func readLicense(t *testing.T, s store.LicenseStore, arn string) store.License {
	t.Helper()
	var l store.License
	view(t, s, func(r store.LicenseReader) error {
		var err error
		l, err = r.License(t.Context(), arn)
		return err
	})
	return l
}

// readVersions returns every version of a license that must exist.
func readVersions(t *testing.T, s store.LicenseStore, arn string, after, limit int) []store.License {
	t.Helper()
	var ls []store.License
	view(t, s, func(r store.LicenseReader) error {
		var err error
		ls, err = r.LicenseVersions(t.Context(), arn, after, limit)
		return err
	})
	return ls
}

// wantUpdateErr runs fn in UpdateLicenses and fails the test unless the
// error is want.
func wantUpdateErr(t *testing.T, s store.LicenseStore, call string, want error, fn func(tx store.LicenseTx) error) {
	t.Helper()
	wantErr(t, call, s.UpdateLicenses(t.Context(), fn), want)
}

// wantInvalid runs fn in UpdateLicenses and fails the test unless it fails
// with an error that is none of the store's sentinels, as refused input
// does.
func wantInvalid(t *testing.T, s store.LicenseStore, call string, fn func(tx store.LicenseTx) error) {
	t.Helper()
	err := s.UpdateLicenses(t.Context(), fn)
	if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("%s = %v, want an error saying what is invalid", call, err)
	}
}

func testLicenseRoundTrip(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name   string
		change func(l *store.License)
	}{
		{"every member set", func(*store.License) {}},
		{"absent members", func(l *store.License) {
			l.ValidityEnd, l.End = "", time.Time{}
			l.Name, l.ProductName, l.SignKey, l.HomeRegion = "", "", "", ""
			l.Entitlements = []store.Entitlement{{Name: "Seats", Unit: "Count"}}
			l.Consumption = store.ConsumptionConfig{}
			l.Metadata, l.Tags = nil, nil
		}},
		{"empty lists and zero values", func(l *store.License) {
			l.Entitlements = []store.Entitlement{
				{Name: "Flag", Unit: "None", Value: ptr(""), MaxCount: ptr(int64(0)), Overage: ptr(false), AllowCheckIn: ptr(false)},
			}
			l.Consumption = store.ConsumptionConfig{ProvisionalTTL: ptr(int64(0)), Borrow: &store.BorrowConfig{}}
			l.Metadata, l.Tags = []store.Metadata{}, []store.Tag{}
			l.Begin, l.ValidityBegin = time.Time{}, ""
		}},
		{"no entitlements", func(l *store.License) { l.Entitlements = nil }},
		{"times in another zone", func(l *store.License) {
			zone := time.FixedZone("PDT", -7*3600)
			l.CreatedAt = time.Date(2026, time.March, 14, 8, 9, 26, 1999, zone)
			l.VersionCreatedAt = l.CreatedAt.Add(999 * time.Nanosecond)
			l.Begin = time.Date(1999, time.December, 31, 23, 59, 59, 999999999, zone)
		}},
		{"text that needs quoting", func(l *store.License) {
			l.Name = `"quoted" \ back<slash> & 'single' ` + "tab\t newline\n"
			l.IssuerName = "Émetteur 🔑 ключ"
			l.Entitlements[0].Name = `{"name":"Seats"}`
			l.Entitlements[1].Value = ptr("</script>\u2028")
			l.Metadata = []store.Metadata{{Name: "[]", Value: "null"}}
			l.Tags = []store.Tag{{Key: "ü", Value: `\u0000`}}
		}},
		{"large counts", func(l *store.License) {
			l.Entitlements[0].MaxCount = ptr(int64(1<<63 - 1))
			l.Consumption.ProvisionalTTL = ptr(int64(525600))
			l.Consumption.Borrow = &store.BorrowConfig{AllowEarlyCheckIn: false, MaxTTL: 525600}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
			tt.change(&l)
			want := storedLicense(l, 1)

			update(t, s, func(tx store.LicenseTx) error {
				if err := tx.CreateLicense(t.Context(), l); err != nil {
					return err
				}
				got, err := tx.License(t.Context(), l.ARN)
				if err != nil {
					return err
				}
				diff(t, "License in the creating transaction", got, want)
				return nil
			})
			view(t, s, func(r store.LicenseReader) error {
				got, err := r.License(t.Context(), l.ARN)
				if err != nil {
					return err
				}
				diff(t, "License", got, want)
				if got, err = r.LicenseVersion(t.Context(), l.ARN, 1); err != nil {
					return err
				}
				diff(t, "LicenseVersion(1)", got, want)
				versions, err := r.LicenseVersions(t.Context(), l.ARN, 0, 0)
				if err != nil {
					return err
				}
				diff(t, "LicenseVersions", versions, []store.License{want})
				return nil
			})
		})
	}
}

func testLicenseVersions(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	first := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	other := newLicense(licenseARN(issuerA, 2), issuerA, accountB)
	createLicenses(t, s, first, other)

	const n = 4
	versions := []store.License{first}
	for v := 2; v <= n; v++ {
		next := nextVersion(versions[len(versions)-1], v)
		addVersions(t, s, next)
		versions = append(versions, next)

		// Every read reports the new latest version, old versions too.
		var want []store.License
		for _, old := range versions {
			want = append(want, storedLicense(withIdentity(old, first), v))
		}
		diff(t, fmt.Sprintf("License after version %d", v), readLicense(t, s, first.ARN), want[v-1])
		diff(t, fmt.Sprintf("LicenseVersions after version %d", v), readVersions(t, s, first.ARN, 0, 0), want)
	}
	var want []store.License
	for _, v := range versions {
		want = append(want, storedLicense(withIdentity(v, first), n))
	}

	t.Run("one version", func(t *testing.T) {
		view(t, s, func(r store.LicenseReader) error {
			for i, w := range want {
				got, err := r.LicenseVersion(t.Context(), first.ARN, i+1)
				if err != nil {
					return err
				}
				diff(t, fmt.Sprintf("LicenseVersion(%d)", i+1), got, w)
			}
			return nil
		})
	})
	t.Run("pages of versions", func(t *testing.T) {
		diff(t, "LicenseVersions(after 1)", readVersions(t, s, first.ARN, 1, 0), want[1:])
		diff(t, "LicenseVersions(limit 2)", readVersions(t, s, first.ARN, 0, 2), want[:2])
		diff(t, "LicenseVersions(after 2, limit 1)", readVersions(t, s, first.ARN, 2, 1), want[2:3])
		if got := readVersions(t, s, first.ARN, n, 0); len(got) != 0 {
			t.Errorf("LicenseVersions(after %d) = %d versions, want none", n, len(got))
		}
	})
	t.Run("wrong version numbers", func(t *testing.T) {
		for _, v := range []int{2, n, n + 2} {
			next := nextVersion(versions[n-1], v)
			wantUpdateErr(t, s, fmt.Sprintf("AddLicenseVersion(%d)", v), store.ErrAlreadyExists,
				func(tx store.LicenseTx) error { return tx.AddLicenseVersion(t.Context(), next) })
		}
		dup := first
		dup.Name = "a second license under the same ARN"
		wantUpdateErr(t, s, "CreateLicense(existing ARN)", store.ErrAlreadyExists,
			func(tx store.LicenseTx) error { return tx.CreateLicense(t.Context(), dup) })
		diff(t, "LicenseVersions after refusals", readVersions(t, s, first.ARN, 0, 0), want)
	})
	t.Run("other license untouched", func(t *testing.T) {
		diff(t, "License(other)", readLicense(t, s, other.ARN), storedLicense(other, 1))
	})
}

func testDeleteLicense(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	first := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	second := nextVersion(first, 2)
	second.Status = store.LicenseAvailable
	createLicenses(t, s, first)
	addVersions(t, s, second)

	deleted := base.Add(3*time.Hour + 123456789*time.Nanosecond)
	update(t, s, func(tx store.LicenseTx) error { return tx.DeleteLicense(t.Context(), first.ARN, deleted) })
	wantLatest := storedLicense(withIdentity(second, first), 2)
	wantLatest.Status, wantLatest.DeletedAt = store.LicenseDeleted, storedTime(deleted)
	diff(t, "License after delete", readLicense(t, s, first.ARN), wantLatest)
	wantFirst := storedLicense(first, 2)
	diff(t, "LicenseVersions after delete", readVersions(t, s, first.ARN, 0, 0), []store.License{wantFirst, wantLatest})

	// A second delete keeps the first deletion time.
	update(t, s, func(tx store.LicenseTx) error {
		return tx.DeleteLicense(t.Context(), first.ARN, deleted.Add(time.Hour))
	})
	diff(t, "License after a second delete", readLicense(t, s, first.ARN), wantLatest)

	wantInvalid(t, s, "DeleteLicense(zero time)", func(tx store.LicenseTx) error {
		return tx.DeleteLicense(t.Context(), first.ARN, time.Time{})
	})
	wantUpdateErr(t, s, "DeleteLicense(unknown)", store.ErrNotFound, func(tx store.LicenseTx) error {
		return tx.DeleteLicense(t.Context(), licenseARN(issuerA, 99), deleted)
	})
}

func testListLicenses(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l1 := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	l2 := newLicense(licenseARN(issuerA, 2), issuerA, accountB)
	l2.ProductSKU = skuB
	l3 := newLicense(licenseARN(issuerA, 3), issuerA, accountA)
	l3.ProductSKU = skuB
	l4 := newLicense(licenseARN(issuerB, 4), issuerB, accountA)
	l5 := newLicense(licenseARN(issuerB, 5), issuerB, accountB)
	l5.IssuerName, l5.KeyFingerprint = "Other Corp", fingerprint(issuerB, "Other Corp")
	createLicenses(t, s, l1, l2, l3, l4, l5)
	// l3's latest version has another issuer name, fingerprint and status;
	// l5 is deleted.
	l3v2 := nextVersion(l3, 2)
	addVersions(t, s, l3v2)
	deleted := base.Add(time.Hour)
	update(t, s, func(tx store.LicenseTx) error { return tx.DeleteLicense(t.Context(), l5.ARN, deleted) })

	latest := map[string]store.License{
		"l1": storedLicense(l1, 1),
		"l2": storedLicense(l2, 1),
		"l3": storedLicense(withIdentity(l3v2, l3), 2),
		"l4": storedLicense(l4, 1),
		"l5": storedLicense(l5, 1),
	}
	l5d := latest["l5"]
	l5d.Status, l5d.DeletedAt = store.LicenseDeleted, storedTime(deleted)
	latest["l5"] = l5d
	fpA := fingerprint(issuerA, "Example Corp")

	tests := []struct {
		name string
		q    store.LicenseQuery
		want []string
	}{
		{"issued by an account", store.LicenseQuery{AccountID: issuerA}, []string{"l1", "l2", "l3"}},
		{"received by an account", store.LicenseQuery{Beneficiary: accountA}, []string{"l1", "l3", "l4"}},
		{"issued by one account to another", store.LicenseQuery{AccountID: issuerA, Beneficiary: accountA}, []string{"l1", "l3"}},
		{"received from one issuer", store.LicenseQuery{AccountID: issuerB, Beneficiary: accountA}, []string{"l4"}},
		{"by ARN", store.LicenseQuery{AccountID: issuerA, ARNs: []string{l1.ARN, l4.ARN, licenseARN(issuerA, 99)}}, []string{"l1"}},
		{"by SKU", store.LicenseQuery{AccountID: issuerA, ProductSKUs: []string{skuB}}, []string{"l2", "l3"}},
		{"by several SKUs", store.LicenseQuery{Beneficiary: accountA, ProductSKUs: []string{skuA, skuB}}, []string{"l1", "l3", "l4"}},
		{"by fingerprint of the latest version", store.LicenseQuery{AccountID: issuerA, Fingerprints: []string{fpA}}, []string{"l1", "l2"}},
		{"by a fingerprint only the latest version has", store.LicenseQuery{AccountID: issuerA, Fingerprints: []string{l3v2.KeyFingerprint}}, []string{"l3"}},
		{"by status", store.LicenseQuery{AccountID: issuerA, Statuses: []string{store.LicenseSuspended}}, []string{"l3"}},
		{"by deleted status", store.LicenseQuery{Beneficiary: accountB, Statuses: []string{store.LicenseDeleted}}, []string{"l5"}},
		{"by issuer name", store.LicenseQuery{Beneficiary: accountA, IssuerNames: []string{"Example Corp"}}, []string{"l1", "l4"}},
		{"by issuer name of the latest version", store.LicenseQuery{AccountID: issuerA, IssuerNames: []string{l3v2.IssuerName}}, []string{"l3"}},
		{"filters combine", store.LicenseQuery{AccountID: issuerA, ProductSKUs: []string{skuB}, Statuses: []string{store.LicenseAvailable}}, []string{"l2"}},
		{"every filter", store.LicenseQuery{
			AccountID: issuerB, Beneficiary: accountB, ARNs: []string{l5.ARN}, ProductSKUs: []string{skuA},
			Fingerprints: []string{l5.KeyFingerprint}, Statuses: []string{store.LicenseDeleted}, IssuerNames: []string{"Other Corp"},
		}, []string{"l5"}},
		{"after an ARN", store.LicenseQuery{AccountID: issuerA, AfterARN: l1.ARN}, []string{"l2", "l3"}},
		{"after an ARN with a limit", store.LicenseQuery{Beneficiary: accountA, AfterARN: l4.ARN, Limit: 1}, []string{"l1"}},
		{"nothing received", store.LicenseQuery{Beneficiary: "999999999999"}, nil},
		{"nothing matches", store.LicenseQuery{AccountID: issuerA, ProductSKUs: []string{"SKU-NONE"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := []store.License{}
			for _, name := range tt.want {
				want = append(want, latest[name])
			}
			slices.SortFunc(want, func(a, b store.License) int { return strings.Compare(a.ARN, b.ARN) })
			if tt.q.Limit > 0 && len(want) > tt.q.Limit {
				want = want[:tt.q.Limit]
			}
			var got []store.License
			view(t, s, func(r store.LicenseReader) error {
				var err error
				got, err = r.Licenses(t.Context(), tt.q)
				return err
			})
			diff(t, fmt.Sprintf("Licenses(%+v) ARNs", tt.q), licenseARNs(got), licenseARNs(want))
			diff(t, fmt.Sprintf("Licenses(%+v)", tt.q), got, want)
		})
	}

	t.Run("paging", func(t *testing.T) {
		for _, q := range []store.LicenseQuery{{AccountID: issuerA}, {Beneficiary: accountA}, {Beneficiary: accountB}} {
			view(t, s, func(r store.LicenseReader) error {
				everything, err := r.Licenses(t.Context(), q)
				if err != nil {
					return err
				}
				if len(everything) < 2 {
					t.Fatalf("Licenses(%+v) = %d licenses, want several to page through", q, len(everything))
				}
				for limit := 1; limit <= 3; limit++ {
					var paged []store.License
					page := q
					page.Limit = limit
					for {
						got, err := r.Licenses(t.Context(), page)
						if err != nil {
							return err
						}
						if len(got) > limit {
							t.Fatalf("Licenses(%+v) = %d licenses, over the limit", page, len(got))
						}
						paged = append(paged, got...)
						if len(got) < limit {
							break
						}
						page.AfterARN = got[len(got)-1].ARN
					}
					diff(t, fmt.Sprintf("Licenses(%+v) by pages of %d", q, limit), paged, everything)
				}
				return nil
			})
		}
	})
	t.Run("invalid queries", func(t *testing.T) {
		for _, q := range []store.LicenseQuery{{}, {ProductSKUs: []string{skuA}}, {AccountID: issuerA, Limit: -1}} {
			err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
				_, err := r.Licenses(t.Context(), q)
				return err
			})
			if err == nil {
				t.Errorf("Licenses(%+v) = nil error, want one", q)
			}
		}
	})
}

func testMatchLicenses(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	fp := fingerprint(issuerA, "Example Corp")
	mk := func(n int, created time.Duration) store.License {
		l := newLicense(licenseARN(issuerA, n), issuerA, accountA)
		l.CreatedAt, l.VersionCreatedAt = base.Add(created), base.Add(created)
		return l
	}
	oldest := mk(1, -time.Hour)                     // matches only by its second version
	plain := mk(2, 0)                               // matches
	tieLow := mk(3, time.Hour)                      // ties with tieHigh on CreatedAt
	tieHigh := mk(4, time.Hour)                     // ARN greater than tieLow's
	changed := mk(5, 2*time.Hour)                   // its second version no longer matches
	deleted := mk(6, 3*time.Hour)                   // matches although deleted
	otherBen := mk(7, 4*time.Hour)                  // another beneficiary
	otherSKU := mk(8, 5*time.Hour)                  // another SKU
	sameInstant := mk(9, time.Hour+time.Nanosecond) // equal to the ties once stored
	otherBen.Beneficiary = accountB
	otherSKU.ProductSKU = skuB
	oldest.IssuerName, oldest.KeyFingerprint = "Before", fingerprint(issuerA, "Before")
	createLicenses(t, s, oldest, plain, tieLow, tieHigh, changed, deleted, otherBen, otherSKU, sameInstant)

	oldest2 := nextVersion(oldest, 2)
	oldest2.IssuerName, oldest2.KeyFingerprint = "Example Corp", fp
	changed2 := nextVersion(changed, 2)
	addVersions(t, s, oldest2, changed2)
	at := base.Add(6 * time.Hour)
	update(t, s, func(tx store.LicenseTx) error { return tx.DeleteLicense(t.Context(), deleted.ARN, at) })

	wantDeleted := storedLicense(deleted, 1)
	wantDeleted.Status, wantDeleted.DeletedAt = store.LicenseDeleted, storedTime(at)
	want := []store.License{
		wantDeleted,
		storedLicense(sameInstant, 1), // n = 9: the greatest ARN of the three ties
		storedLicense(tieHigh, 1),
		storedLicense(tieLow, 1),
		storedLicense(plain, 1),
		storedLicense(withIdentity(oldest2, oldest), 2),
	}
	var got, none []store.License
	view(t, s, func(r store.LicenseReader) error {
		var err error
		if got, err = r.MatchLicenses(t.Context(), accountA, skuA, fp); err != nil {
			return err
		}
		none, err = r.MatchLicenses(t.Context(), accountA, skuA, fingerprint(issuerA, "Nobody"))
		return err
	})
	diff(t, "MatchLicenses ARNs", licenseARNs(got), licenseARNs(want))
	diff(t, "MatchLicenses", got, want)
	if len(none) != 0 {
		t.Errorf("MatchLicenses(unknown fingerprint) = %v, want none", licenseARNs(none))
	}
}

// licenseARNs lists the licenses' ARNs, never nil.
func licenseARNs(ls []store.License) []string {
	l := []string{}
	for _, x := range ls {
		l = append(l, x.ARN)
	}
	return l
}
