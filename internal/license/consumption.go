package license

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// CheckIn returns a consumption's entitlements to its license. A
// provisional checkout can always be checked in; a perpetual one when every
// entitlement it holds allows check-in; a borrow when the license's
// BorrowConfiguration allows early check-in. beneficiary, when not empty,
// must be the consumption's account.
func (s *Service) CheckIn(ctx context.Context, c Caller, consumptionToken, beneficiary string) error {
	now := s.now()
	err := s.Store.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
		con, l, err := s.active(ctx, tx, c, "CheckInLicense", consumptionToken, beneficiary)
		if err != nil {
			return err
		}
		switch {
		case !con.CheckedInAt.IsZero():
			return refuse(Conflict, "The license consumption %s was already checked in at %s.", consumptionToken, con.CheckedInAt.UTC().Format(time.RFC3339))
		case !con.Active(now):
			return refuse(Conflict, "The license consumption %s expired at %s; its entitlements are already back.", consumptionToken, con.ExpiresAt.UTC().Format(time.RFC3339))
		}
		if err := checkInAllowed(con, l); err != nil {
			return err
		}
		con.CheckedInAt = now
		return tx.UpdateConsumption(ctx, con)
	})
	if err != nil {
		return fmt.Errorf("check in license: %w", err)
	}
	return nil
}

// checkInAllowed returns the refusal to check con in early, or nil.
func checkInAllowed(con store.Consumption, l store.License) *Error {
	switch con.Type {
	case store.CheckoutBorrow:
		if b := l.Consumption.Borrow; b == nil || !b.AllowEarlyCheckIn {
			return refuse(Conflict, "License %s does not allow borrowed entitlements to be checked in early (BorrowConfiguration AllowEarlyCheckIn is not true); the borrow ends at %s.",
				l.ARN, con.ExpiresAt.UTC().Format(time.RFC3339))
		}
	case store.CheckoutPerpetual:
		for _, ce := range con.Entitlements {
			if e, ok := entitlement(l, ce.Name); !ok || e.AllowCheckIn == nil || !*e.AllowCheckIn {
				return refuse(Conflict, "Entitlement %s of license %s does not allow check-in (AllowCheckIn is not true); a perpetual checkout of it cannot be checked in.", strconv.Quote(ce.Name), l.ARN)
			}
		}
	}
	return nil
}

// Extended is what ExtendLicenseConsumption returns.
type Extended struct {
	ConsumptionToken string
	Expiration       time.Time
}

// Extend gives an active provisional consumption another provisional time
// to live from now (within the license's validity). With dryRun it checks
// and reports the new expiry without recording it.
func (s *Service) Extend(ctx context.Context, c Caller, consumptionToken string, dryRun bool) (Extended, error) {
	now := s.now()
	var out Extended
	err := s.Store.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
		con, l, err := s.active(ctx, tx, c, "ExtendLicenseConsumption", consumptionToken, "")
		if err != nil {
			return err
		}
		switch {
		case con.Type != store.CheckoutProvisional:
			return refuse(Invalid, "Only provisional checkouts can be extended; the license consumption %s is a %s checkout.", consumptionToken, kindName(con.Type))
		case !con.Active(now):
			return refuse(NotFound, "The license consumption %s is no longer active: it was checked in or expired.", consumptionToken)
		case !usable(l, now):
			return refuse(NotFound, "License %s is no longer available (status %s); its consumptions cannot be extended.", l.ARN, ReportedStatus(l, now))
		}
		con.ExpiresAt = capToValidity(l, now.Add(provisionalTTL(l)))
		out = Extended{ConsumptionToken: con.Token, Expiration: con.ExpiresAt}
		if dryRun {
			return nil
		}
		return tx.UpdateConsumption(ctx, con)
	})
	if err != nil {
		return Extended{}, fmt.Errorf("extend license consumption: %w", err)
	}
	return out, nil
}

func kindName(kind string) string {
	switch kind {
	case store.CheckoutBorrow:
		return "borrow"
	case store.CheckoutPerpetual:
		return "perpetual"
	}
	return "provisional"
}

// active returns a consumption the caller may act on, and the latest
// version of its license. The caller must be the consumption's account or
// the license's issuer; temporary credentials, of the license's token.
func (s *Service) active(ctx context.Context, r store.LicenseReader, c Caller, op, consumptionToken, beneficiary string) (store.Consumption, store.License, error) {
	notFound := refuse(NotFound, "The license consumption %s does not exist.", consumptionToken)
	con, err := r.Consumption(ctx, consumptionToken)
	if errors.Is(err, store.ErrNotFound) {
		return con, store.License{}, notFound
	}
	if err != nil {
		return con, store.License{}, err
	}
	l, err := r.License(ctx, con.LicenseARN)
	if err != nil {
		return con, l, err
	}
	if (con.AccountID != c.Account && l.AccountID != c.Account) || (beneficiary != "" && beneficiary != con.AccountID) {
		return con, l, notFound
	}
	if err := c.mayAct(op, con.LicenseARN); err != nil {
		return con, l, err
	}
	return con, l, nil
}

// EntitlementUsage is how much of one entitlement is in use.
type EntitlementUsage struct {
	Name     string
	Consumed int64
	// MaxCount is nil for an entitlement without a limit.
	MaxCount *int64
	Unit     string
}

// Usage returns, for each entitlement of the license's latest version, what
// active consumptions hold at this moment.
func (s *Service) Usage(ctx context.Context, c Caller, arn string) ([]EntitlementUsage, error) {
	if err := c.mayAct("GetLicenseUsage", arn); err != nil {
		return nil, err
	}
	now := s.now()
	var out []EntitlementUsage
	err := s.Store.ViewLicenses(ctx, func(r store.LicenseReader) error {
		l, err := visible(ctx, r, c, arn)
		if err != nil {
			return err
		}
		usage, err := r.Usage(ctx, arn, now)
		if err != nil {
			return err
		}
		used := map[string]int64{}
		for _, u := range usage {
			used[u.Name] = u.Consumed
		}
		out = make([]EntitlementUsage, 0, len(l.Entitlements))
		for _, e := range l.Entitlements {
			out = append(out, EntitlementUsage{Name: e.Name, Consumed: used[e.Name], MaxCount: e.MaxCount, Unit: e.Unit})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("get license usage: %w", err)
	}
	return out, nil
}
