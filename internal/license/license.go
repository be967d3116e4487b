// Package license is the License Manager license service: licenses that a
// seller account issues to a beneficiary account, their versions, and their
// consumption (checkout, borrow, check-in, extension, usage).
//
// Accounting is exact because every decision to grant entitlements is taken
// inside the store transaction that records the consumption
// (store.LicenseStore.UpdateLicenses is serializable). Nothing runs in the
// background: a consumption counts while it is neither checked in nor past
// its expiry, so provisional checkouts end by themselves and a restart loses
// nothing.
package license

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/token"
)

// IdempotencyWindow is how long a client token stays bound to its request.
const IdempotencyWindow = 10 * time.Minute

// Consumption lifetimes the license does not set.
const (
	// DefaultProvisionalTTL applies to a license without a
	// ProvisionalConfiguration.
	DefaultProvisionalTTL = 60 * time.Minute
	// PerpetualTokenLifetime is how long the SignedToken of a perpetual
	// checkout is valid when the license has no Validity End.
	PerpetualTokenLifetime = 365 * 24 * time.Hour
)

// Token uses of the signed tokens of checkouts.
const (
	UseCheckout = "license_checkout"
	UseBorrow   = "license_borrow"
)

// Operation names, as idempotency records and messages name them.
const (
	opCreateLicense        = "CreateLicense"
	opCreateLicenseVersion = "CreateLicenseVersion"
	opCheckoutLicense      = "CheckoutLicense"
	opCheckoutBorrow       = "CheckoutBorrowLicense"
)

// Service runs the license operations. Its fields must be set before use;
// it is safe for concurrent use.
type Service struct {
	Store store.LicenseStore
	// Keys holds the PS384 key that signs checkout tokens.
	Keys *token.KeySet
	// Issuer is the iss claim of checkout tokens.
	Issuer string
	// Now returns the current time; tests inject a fake clock.
	Now func() time.Time
	// Sealer seals the NextToken values of listings.
	Sealer *seal.Sealer
}

// Caller is who calls an operation.
type Caller struct {
	// Account is the caller's account: for temporary credentials, the
	// account of the token they come from.
	Account string
	// License, when set, is the only license the caller may act on:
	// temporary credentials from a token for that license.
	License string
	// ARN names the caller in AccessDeniedException messages.
	ARN string
}

// Code says which of the API's errors an Error becomes.
type Code int

// Codes of refusals.
const (
	// NotFound is ResourceNotFoundException.
	NotFound Code = iota + 1
	// InvalidParameter is InvalidParameterValueException: an operation
	// whose model has no ResourceNotFoundException names a license that
	// does not exist.
	InvalidParameter
	// Invalid is ValidationException.
	Invalid
	// Conflict is ConflictException.
	Conflict
	// NoEntitlements is NoEntitlementsAllowedException.
	NoEntitlements
	// EntitlementNotAllowed is EntitlementNotAllowedException.
	EntitlementNotAllowed
	// UnsupportedSignature is UnsupportedDigitalSignatureMethodException.
	UnsupportedSignature
	// AccessDenied is AccessDeniedException.
	AccessDenied
)

// Error is a refusal of a request, with the message the caller sees.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

func refuse(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrClientTokenReused means the client token was used within the
// idempotency window for a request with other parameters.
var ErrClientTokenReused = token.ErrClientTokenReused

// ErrInvalidNextToken means a NextToken was not made for this listing.
var ErrInvalidNextToken = token.ErrInvalidNextToken

// Fingerprint returns the key fingerprint of licenses that account issues
// under issuer name: what CheckoutLicense's KeyFingerprint names.
func Fingerprint(account, issuerName string) string {
	return "aws:" + account + ":" + issuerName + ":issuer-fingerprint"
}

// ReportedStatus is the status a license version is reported with: its
// recorded status, except that an available license past its Validity End
// is EXPIRED.
func ReportedStatus(l store.License, now time.Time) string {
	if l.Status == store.LicenseAvailable && !l.End.IsZero() && !now.Before(l.End) {
		return store.LicenseExpired
	}
	return l.Status
}

// usable reports whether l can be consumed at now: available, and within
// its validity.
func usable(l store.License, now time.Time) bool {
	return l.Status == store.LicenseAvailable && !now.Before(l.Begin) && (l.End.IsZero() || now.Before(l.End))
}

// sees reports whether the caller's account issued or received l.
func (c Caller) sees(l store.License) bool {
	return l.AccountID == c.Account || l.Beneficiary == c.Account
}

// denied is the refusal of temporary credentials acting on another license
// than their token's.
func (c Caller) denied(op, licenseARN string) *Error {
	return refuse(AccessDenied, "User: %s is not authorized to perform: license-manager:%s on resource: %s; temporary credentials act only on the license of their token (%s)",
		c.ARN, op, licenseARN, c.License)
}

// mayAct returns the refusal of a caller restricted to another license.
func (c Caller) mayAct(op, licenseARN string) *Error {
	if c.License != "" && c.License != licenseARN {
		return c.denied(op, licenseARN)
	}
	return nil
}

// newHex returns 32 random lowercase hexadecimal digits.
func newHex() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// now returns the service's time, in UTC, to the second: the times the API
// reports are ISO 8601 to the second.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Second) }
