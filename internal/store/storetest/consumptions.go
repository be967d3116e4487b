package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/license-manager/license-manager/internal/store"
)

// newConsumption returns a provisional checkout of two entitlements of the
// license, issued at base for an hour, with every member set.
func newConsumption(token, licenseARN string) store.Consumption {
	return store.Consumption{
		Token:      token,
		LicenseARN: licenseARN,
		AccountID:  accountA,
		Type:       store.CheckoutProvisional,
		NodeID:     "node-1",
		Entitlements: []store.ConsumedEntitlement{
			{Name: "Seats", Unit: "Count", Value: "2", Amount: 2},
			{Name: "Premium", Unit: "None", Value: "", Amount: 1},
		},
		Metadata:    []store.Metadata{{Name: "host", Value: "build-7"}},
		IssuedAt:    base,
		ExpiresAt:   base.Add(time.Hour),
		SignedToken: "eyJhbGciOiJQUzM4NCJ9.eyJqdGkiOiIke3Rva2VufSJ9.c2lnbmF0dXJl",
	}
}

// storedConsumption is c as a backend returns it.
func storedConsumption(c store.Consumption) store.Consumption {
	c.IssuedAt = storedTime(c.IssuedAt)
	c.ExpiresAt = storedTime(c.ExpiresAt)
	c.CheckedInAt = storedTime(c.CheckedInAt)
	if c.Entitlements == nil {
		c.Entitlements = []store.ConsumedEntitlement{}
	}
	if c.Metadata == nil {
		c.Metadata = []store.Metadata{}
	}
	return c
}

// addConsumptions records consumptions.
func addConsumptions(t *testing.T, s store.LicenseStore, cs ...store.Consumption) {
	t.Helper()
	update(t, s, func(tx store.LicenseTx) error {
		for _, c := range cs {
			if err := tx.AddConsumption(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
}

// readConsumption returns a consumption that must exist.
func readConsumption(t *testing.T, s store.LicenseStore, token string) store.Consumption {
	t.Helper()
	var c store.Consumption
	view(t, s, func(r store.LicenseReader) error {
		var err error
		c, err = r.Consumption(t.Context(), token)
		return err
	})
	return c
}

// readUsage returns the usage of a license at now, in name order (the
// contract leaves the order open).
func readUsage(t *testing.T, s store.LicenseStore, arn string, now time.Time) []store.Usage {
	t.Helper()
	var u []store.Usage
	view(t, s, func(r store.LicenseReader) error {
		var err error
		u, err = r.Usage(t.Context(), arn, now)
		return err
	})
	slices.SortFunc(u, func(a, b store.Usage) int { return strings.Compare(a.Name, b.Name) })
	return u
}

func testConsumptionRoundTrip(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name   string
		change func(c *store.Consumption)
	}{
		{"every member set", func(*store.Consumption) {}},
		{"checked in", func(c *store.Consumption) { c.CheckedInAt = base.Add(time.Minute + time.Nanosecond) }},
		{"perpetual without lists", func(c *store.Consumption) {
			c.Type, c.ExpiresAt = store.CheckoutPerpetual, time.Time{}
			c.NodeID, c.SignedToken = "", ""
			c.Entitlements, c.Metadata = nil, nil
		}},
		{"borrow with empty lists", func(c *store.Consumption) {
			c.Type = store.CheckoutBorrow
			c.Entitlements, c.Metadata = []store.ConsumedEntitlement{}, []store.Metadata{}
		}},
		{"one entitlement named twice", func(c *store.Consumption) {
			c.Entitlements = []store.ConsumedEntitlement{
				{Name: "Seats", Unit: "Count", Value: "1", Amount: 1},
				{Name: "Seats", Unit: "Count", Value: "0", Amount: 0},
				{Name: "Seats", Unit: "Count", Value: "9223372036854775807", Amount: 1<<63 - 1},
			}
		}},
		{"times in another zone", func(c *store.Consumption) {
			zone := time.FixedZone("PDT", -7*3600)
			c.IssuedAt = time.Date(2026, time.March, 14, 8, 9, 26, 1999, zone)
			c.ExpiresAt = c.IssuedAt.Add(time.Hour + 999*time.Nanosecond)
		}},
		{"text that needs quoting", func(c *store.Consumption) {
			c.NodeID = `"node" \ 1`
			c.Metadata = []store.Metadata{{Name: "ключ", Value: "</script>"}, {Name: "", Value: ""}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
			createLicenses(t, s, l)
			c := newConsumption("c-1", l.ARN)
			tt.change(&c)
			want := storedConsumption(c)

			update(t, s, func(tx store.LicenseTx) error {
				if err := tx.AddConsumption(t.Context(), c); err != nil {
					return err
				}
				got, err := tx.Consumption(t.Context(), c.Token)
				if err != nil {
					return err
				}
				diff(t, "Consumption in the adding transaction", got, want)
				return nil
			})
			diff(t, "Consumption", readConsumption(t, s, c.Token), want)
		})
	}
}

func testUpdateConsumption(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, l)
	c := newConsumption("c-1", l.ARN)
	other := newConsumption("c-2", l.ARN)
	addConsumptions(t, s, c, other)

	steps := []struct {
		name   string
		change func(c *store.Consumption)
	}{
		{"extend", func(c *store.Consumption) { c.ExpiresAt = base.Add(2*time.Hour + time.Nanosecond) }},
		{"check in", func(c *store.Consumption) { c.CheckedInAt = base.Add(90 * time.Minute) }},
		{"clear both", func(c *store.Consumption) { c.ExpiresAt, c.CheckedInAt = time.Time{}, time.Time{} }},
	}
	want := storedConsumption(c)
	for _, step := range steps {
		step.change(&c)
		want.ExpiresAt, want.CheckedInAt = storedTime(c.ExpiresAt), storedTime(c.CheckedInAt)
		// Members other than the two times are not written.
		changed := c
		changed.NodeID, changed.Type, changed.AccountID = "node-2", store.CheckoutBorrow, accountB
		changed.Entitlements = nil
		update(t, s, func(tx store.LicenseTx) error { return tx.UpdateConsumption(t.Context(), changed) })
		diff(t, "Consumption after "+step.name, readConsumption(t, s, c.Token), want)
	}
	diff(t, "Consumption(other)", readConsumption(t, s, other.Token), storedConsumption(other))

	wantUpdateErr(t, s, "UpdateConsumption(unknown)", store.ErrNotFound, func(tx store.LicenseTx) error {
		return tx.UpdateConsumption(t.Context(), newConsumption("c-unknown", l.ARN))
	})
	dup := newConsumption(c.Token, l.ARN)
	wantUpdateErr(t, s, "AddConsumption(existing token)", store.ErrAlreadyExists, func(tx store.LicenseTx) error {
		return tx.AddConsumption(t.Context(), dup)
	})
	diff(t, "Consumption after a refused add", readConsumption(t, s, c.Token), want)
}

func testUsage(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	unused := newLicense(licenseARN(issuerA, 2), issuerA, accountA)
	other := newLicense(licenseARN(issuerA, 3), issuerA, accountB)
	createLicenses(t, s, l, unused, other)

	seats := func(n int64) store.ConsumedEntitlement {
		return store.ConsumedEntitlement{Name: "Seats", Unit: "Count", Value: fmt.Sprint(n), Amount: n}
	}
	premium := store.ConsumedEntitlement{Name: "Premium", Unit: "None", Amount: 1}
	storage := store.ConsumedEntitlement{Name: "Storage", Unit: "Gigabytes", Value: "5", Amount: 5}
	mk := func(token, kind string, expires time.Duration, es ...store.ConsumedEntitlement) store.Consumption {
		c := newConsumption(token, l.ARN)
		c.Type, c.Entitlements, c.ExpiresAt = kind, es, time.Time{}
		if expires != 0 {
			c.ExpiresAt = base.Add(expires)
		}
		return c
	}
	provisional := mk("c-provisional", store.CheckoutProvisional, time.Hour, seats(2))
	perpetual := mk("c-perpetual", store.CheckoutPerpetual, 0, seats(3), premium)
	borrow := mk("c-borrow", store.CheckoutBorrow, 2*time.Hour, seats(1), storage)
	checkedIn := mk("c-checked-in", store.CheckoutProvisional, time.Hour, seats(4))
	checkedIn.CheckedInAt = base.Add(-time.Minute)
	twice := mk("c-twice", store.CheckoutPerpetual, 0, seats(1), seats(1))
	elsewhere := newConsumption("c-elsewhere", other.ARN)
	elsewhere.Entitlements = []store.ConsumedEntitlement{seats(100)}
	addConsumptions(t, s, provisional, perpetual, borrow, checkedIn, twice, elsewhere)

	type usage = []store.Usage
	use := func(name string, n int64) store.Usage { return store.Usage{Name: name, Consumed: n} }
	steps := []struct {
		name string
		now  time.Time
		want usage
	}{
		{"at issue", base, usage{use("Premium", 1), use("Seats", 8), use("Storage", 5)}},
		{"a microsecond before the first expiry", base.Add(time.Hour - time.Microsecond), usage{use("Premium", 1), use("Seats", 8), use("Storage", 5)}},
		{"at the first expiry", base.Add(time.Hour), usage{use("Premium", 1), use("Seats", 6), use("Storage", 5)}},
		{"at the borrow's expiry", base.Add(2 * time.Hour), usage{use("Premium", 1), use("Seats", 5)}},
		{"a century later", base.AddDate(100, 0, 0), usage{use("Premium", 1), use("Seats", 5)}},
		{"before issue", base.Add(-time.Hour), usage{use("Premium", 1), use("Seats", 8), use("Storage", 5)}},
	}
	for _, step := range steps {
		diff(t, "Usage "+step.name, readUsage(t, s, l.ARN, step.now), step.want)
	}

	// A check-in ends a consumption whatever the time.
	perpetual.CheckedInAt = base.Add(3 * time.Hour)
	update(t, s, func(tx store.LicenseTx) error { return tx.UpdateConsumption(t.Context(), perpetual) })
	diff(t, "Usage after check-in", readUsage(t, s, l.ARN, base.AddDate(100, 0, 0)), usage{use("Seats", 2)})
	diff(t, "Usage at issue after check-in", readUsage(t, s, l.ARN, base), usage{use("Seats", 5), use("Storage", 5)})

	// Extending a consumption keeps it active longer.
	provisional.ExpiresAt = base.Add(5 * time.Hour)
	update(t, s, func(tx store.LicenseTx) error { return tx.UpdateConsumption(t.Context(), provisional) })
	diff(t, "Usage after extension", readUsage(t, s, l.ARN, base.Add(4*time.Hour)), usage{use("Seats", 4)})

	diff(t, "Usage(other license)", readUsage(t, s, other.ARN, base), usage{use("Seats", 100)})
	diff(t, "Usage(unused license)", readUsage(t, s, unused.ARN, base), usage{}, cmpopts.EquateEmpty())
}

func testLicenseIdempotency(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	rec := store.Idempotency{
		AccountID:   issuerA,
		Operation:   "CreateLicense",
		ClientToken: "ct-1",
		RequestHash: sum("request 1"),
		ResourceID:  l.ARN,
		Response:    []byte(`{"LicenseArn":"` + l.ARN + `","Status":"AVAILABLE","Version":"1"}`),
		CreatedAt:   base,
		ExpiresAt:   base.Add(10 * time.Minute),
	}
	update(t, s, func(tx store.LicenseTx) error {
		if err := tx.CreateLicense(t.Context(), l); err != nil {
			return err
		}
		if err := tx.PutIdempotency(t.Context(), rec); err != nil {
			return err
		}
		got, err := tx.Idempotency(t.Context(), rec.AccountID, rec.Operation, rec.ClientToken, base)
		if err != nil {
			return err
		}
		diff(t, "Idempotency in the writing transaction", got, storedRecord(rec), recordOpts)
		return nil
	})
	lookup := func(op string, now time.Time) (store.Idempotency, error) {
		var got store.Idempotency
		err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
			var err error
			got, err = r.Idempotency(t.Context(), rec.AccountID, op, rec.ClientToken, now)
			return err
		})
		return got, err
	}
	got, err := lookup(rec.Operation, rec.ExpiresAt.Add(-time.Microsecond))
	if err != nil {
		t.Fatalf("Idempotency(just before expiry) = %v", err)
	}
	diff(t, "Idempotency(just before expiry)", got, storedRecord(rec), recordOpts)
	_, err = lookup(rec.Operation, rec.ExpiresAt)
	wantErr(t, "Idempotency(at expiry)", err, store.ErrNotFound)
	_, err = lookup("CreateLicenseVersion", base)
	wantErr(t, "Idempotency(other operation)", err, store.ErrNotFound)

	// A live record with the key is kept.
	retry := rec
	retry.RequestHash, retry.Response = sum("request 2"), []byte(`{}`)
	retry.CreatedAt = rec.ExpiresAt.Add(-time.Microsecond)
	retry.ExpiresAt = retry.CreatedAt.Add(10 * time.Minute)
	wantUpdateErr(t, s, "PutIdempotency(live key)", store.ErrAlreadyExists, func(tx store.LicenseTx) error {
		return tx.PutIdempotency(t.Context(), retry)
	})
	got, err = lookup(rec.Operation, base)
	if err != nil {
		t.Fatalf("Idempotency after a refused put = %v", err)
	}
	diff(t, "Idempotency after a refused put", got, storedRecord(rec), recordOpts)

	// An expired one is replaced.
	retry.CreatedAt = rec.ExpiresAt
	retry.ExpiresAt = retry.CreatedAt.Add(10 * time.Minute)
	update(t, s, func(tx store.LicenseTx) error { return tx.PutIdempotency(t.Context(), retry) })
	got, err = lookup(rec.Operation, retry.CreatedAt)
	if err != nil {
		t.Fatalf("Idempotency after replacement = %v", err)
	}
	diff(t, "Idempotency after replacement", got, storedRecord(retry), recordOpts)

	// The same client token for another operation is another key.
	version := rec
	version.Operation = "CreateLicenseVersion"
	update(t, s, func(tx store.LicenseTx) error { return tx.PutIdempotency(t.Context(), version) })
	got, err = lookup(version.Operation, base)
	if err != nil {
		t.Fatalf("Idempotency(other operation) = %v", err)
	}
	diff(t, "Idempotency(other operation)", got, storedRecord(version), recordOpts)

	for _, bad := range []func(r *store.Idempotency){
		func(r *store.Idempotency) { r.AccountID = "" },
		func(r *store.Idempotency) { r.Operation = "" },
		func(r *store.Idempotency) { r.ClientToken = "" },
		func(r *store.Idempotency) { r.ClientToken = "ct\x00" },
	} {
		invalid := rec
		invalid.ClientToken = "ct-invalid"
		bad(&invalid)
		wantInvalid(t, s, fmt.Sprintf("PutIdempotency(%+v)", invalid), func(tx store.LicenseTx) error {
			return tx.PutIdempotency(t.Context(), invalid)
		})
	}
}
