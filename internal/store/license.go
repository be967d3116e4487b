package store

import (
	"context"
	"time"
)

// License statuses a version may record (the LicenseStatus enum).
const (
	LicenseAvailable        = "AVAILABLE"
	LicensePendingAvailable = "PENDING_AVAILABLE"
	LicenseDeactivated      = "DEACTIVATED"
	LicenseSuspended        = "SUSPENDED"
	LicenseExpired          = "EXPIRED"
	LicensePendingDelete    = "PENDING_DELETE"
	LicenseDeleted          = "DELETED"
)

// Checkout types of a consumption. Borrow is CheckoutBorrowLicense's.
const (
	CheckoutProvisional = "PROVISIONAL"
	CheckoutPerpetual   = "PERPETUAL"
	CheckoutBorrow      = "BORROW"
)

// License is one version of a license. The identity (ARN, issuing account,
// beneficiary, SKU, creation time, tags) is shared by every version; the
// rest is what CreateLicense or CreateLicenseVersion set for this version.
type License struct {
	ARN string
	// AccountID is the issuing (seller) account.
	AccountID string
	// Beneficiary is the account that receives the license.
	Beneficiary string
	ProductSKU  string
	// CreatedAt is when version 1 was created.
	CreatedAt time.Time

	// Version counts from 1; LatestVersion is the license's current
	// version when the record was read.
	Version       int
	LatestVersion int
	// VersionCreatedAt is when this version was created.
	VersionCreatedAt time.Time
	// Status is this version's status. DeleteLicense sets the latest
	// version's status to LicenseDeleted and DeletedAt.
	Status    string
	DeletedAt time.Time

	Name           string
	ProductName    string
	IssuerName     string
	SignKey        string
	KeyFingerprint string
	HomeRegion     string
	// ValidityBegin and ValidityEnd are ISO 8601 strings as the caller gave
	// them; Begin and End are their parsed instants (End is zero when
	// absent).
	ValidityBegin string
	ValidityEnd   string
	Begin, End    time.Time

	Entitlements []Entitlement // never nil once read back
	Consumption  ConsumptionConfig
	Metadata     []Metadata // never nil once read back
	Tags         []Tag      // set by CreateLicense; never nil once read back
}

// Entitlement is one entitlement of a license version. Pointers mark
// members the caller did not give.
type Entitlement struct {
	Name         string
	Unit         string
	Value        *string
	MaxCount     *int64
	Overage      *bool
	AllowCheckIn *bool
}

// ConsumptionConfig is a license version's ConsumptionConfiguration; nil
// pointers mark absent members.
type ConsumptionConfig struct {
	RenewType string // empty when absent
	// ProvisionalTTL is ProvisionalConfiguration.MaxTimeToLiveInMinutes.
	ProvisionalTTL *int64
	// Borrow is BorrowConfiguration.
	Borrow *BorrowConfig
}

// BorrowConfig is a license's BorrowConfiguration.
type BorrowConfig struct {
	AllowEarlyCheckIn bool
	// MaxTTL is MaxTimeToLiveInMinutes.
	MaxTTL int64
}

// Metadata is a name and value pair (LicenseMetadata, CheckoutMetadata).
type Metadata struct {
	Name  string
	Value string
}

// Tag is a license tag.
type Tag struct {
	Key   string
	Value string
}

// Consumption is one checkout: entitlements taken from a license until
// they are checked in or, when ExpiresAt is set, until it passes.
type Consumption struct {
	// Token is the LicenseConsumptionToken: the consumption's id.
	Token      string
	LicenseARN string
	// AccountID is the beneficiary account the consumption is charged to.
	AccountID string
	// Type is CheckoutProvisional, CheckoutPerpetual or CheckoutBorrow.
	Type   string
	NodeID string
	// Entitlements are what the checkout granted; never nil once read back.
	Entitlements []ConsumedEntitlement
	Metadata     []Metadata // CheckoutMetadata; never nil once read back
	IssuedAt     time.Time
	// ExpiresAt is when the consumption ends by itself; zero for one that
	// lasts until it is checked in.
	ExpiresAt time.Time
	// CheckedInAt is the zero time while the consumption is not checked in.
	CheckedInAt time.Time
	// SignedToken is the signed JWT the checkout returned.
	SignedToken string
}

// ConsumedEntitlement is one entitlement of a consumption. Amount is what it
// counts against the entitlement's MaxCount: the requested value for
// counted units, 1 for unit None.
type ConsumedEntitlement struct {
	Name   string
	Unit   string
	Value  string // as requested; empty when the request gave none
	Amount int64
}

// Active reports whether c still counts against its license at time now.
func (c Consumption) Active(now time.Time) bool {
	return c.CheckedInAt.IsZero() && (c.ExpiresAt.IsZero() || now.Before(c.ExpiresAt))
}

// Usage is how much of one entitlement active consumptions hold.
type Usage struct {
	Name     string
	Consumed int64
}

// LicenseQuery selects the latest versions of licenses for ListLicenses and
// ListReceivedLicenses. Results are ordered by ARN; AfterARN gives keyset
// pagination. Empty fields do not restrict.
type LicenseQuery struct {
	// AccountID selects licenses issued by the account; Beneficiary,
	// licenses received by it. At least one is set.
	AccountID   string
	Beneficiary string
	ARNs        []string
	ProductSKUs []string
	// Fingerprints matches the latest version's KeyFingerprint.
	Fingerprints []string
	// Statuses matches the latest version's Status.
	Statuses []string
	// IssuerNames matches the latest version's IssuerName.
	IssuerNames []string
	AfterARN    string
	Limit       int // zero means no limit
}

// LicenseReader reads licenses and consumptions. Within an Update it sees
// the transaction's own writes.
type LicenseReader interface {
	// License returns the latest version of the license, or ErrNotFound.
	License(ctx context.Context, arn string) (License, error)
	// LicenseVersion returns one version of the license, or ErrNotFound.
	LicenseVersion(ctx context.Context, arn string, version int) (License, error)
	// LicenseVersions returns the license's versions after afterVersion in
	// ascending order, at most limit of them (zero: all); ErrNotFound for
	// an unknown license.
	LicenseVersions(ctx context.Context, arn string, afterVersion, limit int) ([]License, error)
	// Licenses returns the latest versions of the licenses q selects.
	Licenses(ctx context.Context, q LicenseQuery) ([]License, error)
	// MatchLicenses returns the latest versions of the licenses received by
	// beneficiary with that SKU and key fingerprint, in any status, newest
	// (by CreatedAt, then ARN descending) first.
	MatchLicenses(ctx context.Context, beneficiary, sku, fingerprint string) ([]License, error)
	// Usage returns, for each entitlement name that consumptions of the
	// license active at now hold, the sum of their amounts. Names without
	// active consumptions are left out; the order is unspecified.
	// ErrNotFound for an unknown license.
	Usage(ctx context.Context, arn string, now time.Time) ([]Usage, error)
	// Consumption returns the consumption with that token, or ErrNotFound.
	Consumption(ctx context.Context, token string) (Consumption, error)
	// Idempotency returns the live record for the key at time now, or
	// ErrNotFound.
	Idempotency(ctx context.Context, accountID, operation, clientToken string, now time.Time) (Idempotency, error)
}

// LicenseTx is a write transaction on licenses and consumptions.
type LicenseTx interface {
	LicenseReader
	// CreateLicense records a new license with l as version 1
	// (l.Version must be 1). A license with l.ARN is ErrAlreadyExists.
	CreateLicense(ctx context.Context, l License) error
	// AddLicenseVersion records l as the license's next version: l.Version
	// must be the latest version plus one (ErrAlreadyExists otherwise).
	// Identity fields are taken from the license, not from l.
	AddLicenseVersion(ctx context.Context, l License) error
	// DeleteLicense marks the license's latest version LicenseDeleted at
	// time at; ErrNotFound for an unknown license. Deleting a deleted
	// license keeps the first DeletedAt.
	DeleteLicense(ctx context.Context, arn string, at time.Time) error
	// AddConsumption records c; a token that exists is ErrAlreadyExists,
	// an unknown license ErrNotFound.
	AddConsumption(ctx context.Context, c Consumption) error
	// UpdateConsumption replaces the ExpiresAt and CheckedInAt of the
	// consumption c.Token; ErrNotFound if it does not exist.
	UpdateConsumption(ctx context.Context, c Consumption) error
	// PutIdempotency records rec, replacing an expired record with its key;
	// a live one (ExpiresAt after rec.CreatedAt) is ErrAlreadyExists.
	PutIdempotency(ctx context.Context, rec Idempotency) error
}

// LicenseStore is the part of Store that keeps licenses and their
// consumption.
type LicenseStore interface {
	// ViewLicenses runs fn with a reader on one consistent snapshot. Like
	// UpdateLicenses's, fn may run more than once.
	ViewLicenses(ctx context.Context, fn func(LicenseReader) error) error
	// UpdateLicenses runs fn in a write transaction and commits it if fn
	// returns nil; fn's error is returned unchanged (wrapped at most) and
	// rolls everything back. Update transactions are serializable: what fn
	// read is still true when it commits, so a check of remaining
	// entitlements and the consumption it allows are one atomic step.
	//
	// fn may run more than once (the backend retries a transaction that
	// conflicted with another writer), so it must not have effects outside
	// the transaction other than computing its result.
	UpdateLicenses(ctx context.Context, fn func(LicenseTx) error) error
}
