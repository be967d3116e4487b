package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// testUpdateRollsBack fails transactions after they wrote every kind of
// record and checks that none of it stayed.
func testUpdateRollsBack(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	existing := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, existing)
	existingUse := newConsumption("c-existing", existing.ARN)
	addConsumptions(t, s, existingUse)

	fresh := newLicense(licenseARN(issuerA, 2), issuerA, accountA)
	freshUse := newConsumption("c-fresh", fresh.ARN)
	rec := store.Idempotency{
		AccountID: issuerA, Operation: "CreateLicense", ClientToken: "ct-1", RequestHash: sum("request"),
		ResourceID: fresh.ARN, Response: []byte(`{}`), CreatedAt: base, ExpiresAt: base.Add(10 * time.Minute),
	}
	writeAll := func(tx store.LicenseTx) error {
		ctx := t.Context()
		checkedIn := existingUse
		checkedIn.CheckedInAt = base
		for _, err := range []error{
			tx.CreateLicense(ctx, fresh),
			tx.AddLicenseVersion(ctx, nextVersion(existing, 2)),
			tx.DeleteLicense(ctx, fresh.ARN, base),
			tx.AddConsumption(ctx, freshUse),
			tx.UpdateConsumption(ctx, checkedIn),
			tx.PutIdempotency(ctx, rec),
		} {
			if err != nil {
				return err
			}
		}
		// The transaction sees its writes before it fails.
		if l, err := tx.License(ctx, existing.ARN); err != nil || l.Version != 2 {
			return fmt.Errorf("License in the transaction = version %d, %v; want version 2", l.Version, err)
		}
		return nil
	}

	errFn := errors.New("the caller's own failure")
	tests := []struct {
		name string
		fn   func(tx store.LicenseTx) error
		want error
	}{
		{"fn fails", func(tx store.LicenseTx) error {
			if err := writeAll(tx); err != nil {
				return err
			}
			return errFn
		}, errFn},
		{"fn passes on a store error", func(tx store.LicenseTx) error {
			if err := writeAll(tx); err != nil {
				return err
			}
			return tx.AddConsumption(t.Context(), existingUse)
		}, store.ErrAlreadyExists},
	}
	for _, tt := range tests {
		err := s.UpdateLicenses(t.Context(), tt.fn)
		wantErr(t, tt.name+": UpdateLicenses", err, tt.want)

		view(t, s, func(r store.LicenseReader) error {
			ctx := t.Context()
			_, err := r.License(ctx, fresh.ARN)
			wantErr(t, tt.name+": License(fresh)", err, store.ErrNotFound)
			_, err = r.Consumption(ctx, freshUse.Token)
			wantErr(t, tt.name+": Consumption(fresh)", err, store.ErrNotFound)
			_, err = r.Idempotency(ctx, rec.AccountID, rec.Operation, rec.ClientToken, base)
			wantErr(t, tt.name+": Idempotency", err, store.ErrNotFound)

			l, err := r.License(ctx, existing.ARN)
			if err != nil {
				return err
			}
			diff(t, tt.name+": License(existing)", l, storedLicense(existing, 1))
			c, err := r.Consumption(ctx, existingUse.Token)
			if err != nil {
				return err
			}
			diff(t, tt.name+": Consumption(existing)", c, storedConsumption(existingUse))
			return nil
		})
	}
}

// testViewSnapshot commits a write while a view is open: the view keeps
// reading what it read first.
func testViewSnapshot(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, l)
	first := newConsumption("c-1", l.ARN)
	addConsumptions(t, s, first)
	second := newConsumption("c-2", l.ARN)
	v2 := nextVersion(l, 2)

	view(t, s, func(r store.LicenseReader) error {
		ctx := t.Context()
		before, err := r.License(ctx, l.ARN)
		if err != nil {
			return err
		}
		usage, err := r.Usage(ctx, l.ARN, base)
		if err != nil {
			return err
		}

		update(t, s, func(tx store.LicenseTx) error {
			if err := tx.AddLicenseVersion(ctx, v2); err != nil {
				return err
			}
			return tx.AddConsumption(ctx, second)
		})

		after, err := r.License(ctx, l.ARN)
		if err != nil {
			return err
		}
		diff(t, "License after a concurrent commit", after, before)
		versions, err := r.LicenseVersions(ctx, l.ARN, 0, 0)
		if err != nil {
			return err
		}
		diff(t, "LicenseVersions after a concurrent commit", versions, []store.License{before})
		listed, err := r.Licenses(ctx, store.LicenseQuery{AccountID: issuerA})
		if err != nil {
			return err
		}
		diff(t, "Licenses after a concurrent commit", listed, []store.License{before})
		_, err = r.Consumption(ctx, second.Token)
		wantErr(t, "Consumption(committed meanwhile)", err, store.ErrNotFound)
		usageAfter, err := r.Usage(ctx, l.ARN, base)
		if err != nil {
			return err
		}
		diff(t, "Usage after a concurrent commit", usageAfter, usage)
		return nil
	})
	diff(t, "License after the view", readLicense(t, s, l.ARN), storedLicense(withIdentity(v2, l), 2))
	diff(t, "Consumption after the view", readConsumption(t, s, second.Token), storedConsumption(second))
}

// testLicenseNotFound calls every method that names a record with names
// that do not exist.
func testLicenseNotFound(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, l)
	addConsumptions(t, s, newConsumption("c-1", l.ARN))
	unknown := licenseARN(issuerA, 99)

	reads := []struct {
		name string
		call func(ctx context.Context, r store.LicenseReader) error
	}{
		{"License", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.License(ctx, unknown)
			return err
		}},
		{"LicenseVersion of an unknown license", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.LicenseVersion(ctx, unknown, 1)
			return err
		}},
		{"LicenseVersion past the latest", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.LicenseVersion(ctx, l.ARN, 2)
			return err
		}},
		{"LicenseVersion zero", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.LicenseVersion(ctx, l.ARN, 0)
			return err
		}},
		{"LicenseVersions", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.LicenseVersions(ctx, unknown, 0, 0)
			return err
		}},
		{"Usage", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.Usage(ctx, unknown, base)
			return err
		}},
		{"Consumption", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.Consumption(ctx, "c-unknown")
			return err
		}},
		{"Idempotency", func(ctx context.Context, r store.LicenseReader) error {
			_, err := r.Idempotency(ctx, issuerA, "CreateLicense", "ct-unknown", base)
			return err
		}},
	}
	for _, rd := range reads {
		err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error { return rd.call(t.Context(), r) })
		wantErr(t, rd.name+" in a view", err, store.ErrNotFound)
		err = s.UpdateLicenses(t.Context(), func(tx store.LicenseTx) error { return rd.call(t.Context(), tx) })
		wantErr(t, rd.name+" in an update", err, store.ErrNotFound)
	}

	orphan := newConsumption("c-orphan", unknown)
	writes := []struct {
		name string
		call func(tx store.LicenseTx) error
	}{
		{"AddLicenseVersion", func(tx store.LicenseTx) error {
			v := nextVersion(newLicense(unknown, issuerA, accountA), 2)
			return tx.AddLicenseVersion(t.Context(), v)
		}},
		{"DeleteLicense", func(tx store.LicenseTx) error { return tx.DeleteLicense(t.Context(), unknown, base) }},
		{"AddConsumption of an unknown license", func(tx store.LicenseTx) error { return tx.AddConsumption(t.Context(), orphan) }},
		{"UpdateConsumption", func(tx store.LicenseTx) error {
			return tx.UpdateConsumption(t.Context(), newConsumption("c-unknown", l.ARN))
		}},
	}
	for _, w := range writes {
		wantUpdateErr(t, s, w.name, store.ErrNotFound, w.call)
	}
	err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
		_, err := r.Consumption(t.Context(), orphan.Token)
		return err
	})
	wantErr(t, "Consumption(orphan)", err, store.ErrNotFound)
}

// testInvalidLicenseInput gives CreateLicense, AddLicenseVersion and
// AddConsumption records that store.ValidateLicense and
// store.ValidateConsumption refuse.
func testInvalidLicenseInput(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	existing := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, existing)

	licenses := []struct {
		name   string
		change func(l *store.License)
	}{
		{"empty ARN", func(l *store.License) { l.ARN = "" }},
		{"empty account id", func(l *store.License) { l.AccountID = "" }},
		{"empty beneficiary", func(l *store.License) { l.Beneficiary = "" }},
		{"empty SKU", func(l *store.License) { l.ProductSKU = "" }},
		{"version zero", func(l *store.License) { l.Version = 0 }},
		{"version two", func(l *store.License) { l.Version = 2 }},
		{"zero creation time", func(l *store.License) { l.CreatedAt = time.Time{} }},
		{"zero version creation time", func(l *store.License) { l.VersionCreatedAt = time.Time{} }},
		{"unknown status", func(l *store.License) { l.Status = "ACTIVE" }},
		{"deleted without a time", func(l *store.License) { l.Status = store.LicenseDeleted }},
		{"deletion time when available", func(l *store.License) { l.DeletedAt = base }},
		{"NUL in the name", func(l *store.License) { l.Name = "Widget\x00" }},
		{"invalid UTF-8 issuer name", func(l *store.License) { l.IssuerName = "\xff" }},
		{"entitlement without a name", func(l *store.License) { l.Entitlements[0].Name = "" }},
		{"entitlement without a unit", func(l *store.License) { l.Entitlements[0].Unit = "" }},
		{"invalid UTF-8 entitlement value", func(l *store.License) { l.Entitlements[1].Value = ptr("\xc3") }},
		{"NUL in a metadata value", func(l *store.License) { l.Metadata[0].Value = "\x00" }},
		{"invalid UTF-8 tag key", func(l *store.License) { l.Tags[0].Key = "\xfe" }},
	}
	for i, tt := range licenses {
		l := newLicense(licenseARN(issuerA, 100+i), issuerA, accountA)
		tt.change(&l)
		wantInvalid(t, s, "CreateLicense("+tt.name+")", func(tx store.LicenseTx) error {
			return tx.CreateLicense(t.Context(), l)
		})
		if l.ARN == "" {
			continue
		}
		err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
			_, err := r.License(t.Context(), l.ARN)
			return err
		})
		wantErr(t, "License after refused CreateLicense("+tt.name+")", err, store.ErrNotFound)
	}

	versions := []struct {
		name   string
		change func(l *store.License)
	}{
		{"version zero", func(l *store.License) { l.Version = 0 }},
		{"empty status", func(l *store.License) { l.Status = "" }},
		{"NUL in the product name", func(l *store.License) { l.ProductName = "\x00" }},
		{"zero version creation time", func(l *store.License) { l.VersionCreatedAt = time.Time{} }},
	}
	for _, tt := range versions {
		v := nextVersion(existing, 2)
		tt.change(&v)
		wantInvalid(t, s, "AddLicenseVersion("+tt.name+")", func(tx store.LicenseTx) error {
			return tx.AddLicenseVersion(t.Context(), v)
		})
	}
	diff(t, "License after refused versions", readLicense(t, s, existing.ARN), storedLicense(existing, 1))

	consumptions := []struct {
		name   string
		change func(c *store.Consumption)
	}{
		{"empty token", func(c *store.Consumption) { c.Token = "" }},
		{"empty license ARN", func(c *store.Consumption) { c.LicenseARN = "" }},
		{"empty account id", func(c *store.Consumption) { c.AccountID = "" }},
		{"unknown type", func(c *store.Consumption) { c.Type = "LEASE" }},
		{"zero issue time", func(c *store.Consumption) { c.IssuedAt = time.Time{} }},
		{"entitlement without a name", func(c *store.Consumption) { c.Entitlements[0].Name = "" }},
		{"negative amount", func(c *store.Consumption) { c.Entitlements[0].Amount = -1 }},
		{"NUL in the node id", func(c *store.Consumption) { c.NodeID = "node\x00" }},
		{"invalid UTF-8 signed token", func(c *store.Consumption) { c.SignedToken = "\x80" }},
		{"invalid UTF-8 metadata name", func(c *store.Consumption) { c.Metadata[0].Name = "\xff" }},
	}
	for i, tt := range consumptions {
		c := newConsumption(fmt.Sprintf("c-%d", i), existing.ARN)
		tt.change(&c)
		wantInvalid(t, s, "AddConsumption("+tt.name+")", func(tx store.LicenseTx) error {
			return tx.AddConsumption(t.Context(), c)
		})
		if c.Token == "" {
			continue
		}
		err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
			_, err := r.Consumption(t.Context(), c.Token)
			return err
		})
		wantErr(t, "Consumption after refused AddConsumption("+tt.name+")", err, store.ErrNotFound)
	}
}

// testLicenseCancelledContext runs views and updates whose context is
// cancelled before they start and while fn runs.
func testLicenseCancelledContext(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, l)
	fresh := newLicense(licenseARN(issuerA, 2), issuerA, accountA)

	calls := []struct {
		name string
		call func(ctx context.Context, cancel func()) error
	}{
		{"ViewLicenses", func(ctx context.Context, cancel func()) error {
			cancel()
			return s.ViewLicenses(ctx, func(r store.LicenseReader) error {
				_, err := r.License(ctx, l.ARN)
				return err
			})
		}},
		{"UpdateLicenses", func(ctx context.Context, cancel func()) error {
			cancel()
			return s.UpdateLicenses(ctx, func(tx store.LicenseTx) error { return tx.CreateLicense(ctx, fresh) })
		}},
		{"ViewLicenses cancelled between reads", func(ctx context.Context, cancel func()) error {
			return s.ViewLicenses(ctx, func(r store.LicenseReader) error {
				if _, err := r.License(ctx, l.ARN); err != nil {
					return err
				}
				cancel()
				_, err := r.Licenses(ctx, store.LicenseQuery{AccountID: issuerA})
				return err
			})
		}},
		{"UpdateLicenses cancelled before commit", func(ctx context.Context, cancel func()) error {
			return s.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
				if err := tx.CreateLicense(ctx, fresh); err != nil {
					return err
				}
				cancel()
				return nil
			})
		}},
	}
	for _, c := range calls {
		ctx, cancel := context.WithCancel(t.Context())
		err := c.call(ctx, cancel)
		cancel()
		wantErr(t, c.name+"(cancelled)", err, context.Canceled)
	}

	err := s.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
		_, err := r.License(t.Context(), fresh.ARN)
		return err
	})
	wantErr(t, "License(fresh)", err, store.ErrNotFound)
	diff(t, "License(existing)", readLicense(t, s, l.ARN), storedLicense(l, 1))
}

// testConcurrentCheckouts runs many transactions that each check out one
// seat only if fewer than ten are in use: exactly ten succeed, because a
// transaction's check and its write are one step.
func testConcurrentCheckouts(t *testing.T, newStore func(t *testing.T) store.Store) {
	s := newStore(t)
	l := newLicense(licenseARN(issuerA, 1), issuerA, accountA)
	createLicenses(t, s, l)
	checkouts := CheckoutRace(t, []store.LicenseStore{s}, l.ARN, 100, 10)

	var tokens []string
	for token, added := range checkouts {
		if added {
			tokens = append(tokens, token)
		}
	}
	if len(tokens) != 10 {
		t.Fatalf("%d of %d checkouts were recorded, want 10", len(tokens), len(checkouts))
	}
	diff(t, "Usage", readUsage(t, s, l.ARN, base), []store.Usage{{Name: "Seats", Consumed: 10}})
	view(t, s, func(r store.LicenseReader) error {
		for token, added := range checkouts {
			_, err := r.Consumption(t.Context(), token)
			switch {
			case added && err != nil:
				t.Errorf("Consumption(%s) = %v for a recorded checkout", token, err)
			case !added && !errors.Is(err, store.ErrNotFound):
				t.Errorf("Consumption(%s) = %v for a refused checkout, want %v", token, err, store.ErrNotFound)
			}
		}
		return nil
	})
}

// CheckoutRace runs n UpdateLicenses at once, spread over stores, each of
// which reads the usage of the license's "Seats" entitlement and records a
// consumption of one seat only while fewer than limit are in use. It
// reports, for each consumption token, whether its transaction recorded
// it. Backend tests use it with several stores sharing the same data.
func CheckoutRace(t *testing.T, stores []store.LicenseStore, licenseARN string, n int, limit int64) map[string]bool {
	t.Helper()
	added := make([]bool, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		s := stores[i%len(stores)]
		wg.Go(func() {
			ctx := t.Context()
			c := newConsumption(fmt.Sprintf("c-race-%03d", i), licenseARN)
			c.Entitlements = []store.ConsumedEntitlement{{Name: "Seats", Unit: "Count", Value: "1", Amount: 1}}
			<-start
			err := s.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
				added[i] = false // fn may run again
				usage, err := tx.Usage(ctx, licenseARN, base)
				if err != nil {
					return err
				}
				for _, u := range usage {
					if u.Name == "Seats" && u.Consumed >= limit {
						return nil
					}
				}
				if err := tx.AddConsumption(ctx, c); err != nil {
					return err
				}
				added[i] = true
				return nil
			})
			if err != nil {
				t.Errorf("UpdateLicenses(checkout %d) = %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	out := make(map[string]bool, n)
	for i, ok := range added {
		out[fmt.Sprintf("c-race-%03d", i)] = ok
	}
	return out
}
