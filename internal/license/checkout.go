package license

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/token"
)

// UnitNone is the unit of entitlements that are a feature, not a quantity.
const UnitNone = "None"

// SignatureJWTPS384 is the one DigitalSignatureMethod of borrowing.
const SignatureJWTPS384 = "JWT_PS384"

// Requested is one entitlement a checkout asks for. Value is empty when
// the request gave none: 1 for counted units, the license's value for
// unit None.
type Requested struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
	Unit  string `json:"unit"`
}

// CheckoutRequest is a validated CheckoutLicense request.
type CheckoutRequest struct {
	ProductSKU     string      `json:"sku"`
	CheckoutType   string      `json:"type"` // store.CheckoutProvisional or store.CheckoutPerpetual
	KeyFingerprint string      `json:"fingerprint"`
	Entitlements   []Requested `json:"entitlements"`
	// Beneficiary is the account whose license is consumed; empty means
	// the caller's.
	Beneficiary string `json:"beneficiary,omitempty"`
	NodeID      string `json:"node,omitempty"`
	ClientToken string `json:"-"`
}

// BorrowRequest is a validated CheckoutBorrowLicense request.
type BorrowRequest struct {
	LicenseARN             string           `json:"license"`
	Entitlements           []Requested      `json:"entitlements"`
	DigitalSignatureMethod string           `json:"method"`
	NodeID                 string           `json:"node,omitempty"`
	Metadata               []store.Metadata `json:"metadata,omitempty"`
	ClientToken            string           `json:"-"`
}

// Checkout is what CheckoutLicense and CheckoutBorrowLicense return.
type Checkout struct {
	LicenseARN       string `json:"license"`
	ConsumptionToken string `json:"token"`
	// Type is the request's CheckoutType; empty for a borrow.
	Type         string           `json:"type,omitempty"`
	Entitlements []Requested      `json:"entitlements"`
	SignedToken  string           `json:"signed"`
	NodeID       string           `json:"node,omitempty"`
	Metadata     []store.Metadata `json:"metadata,omitempty"`
	IssuedAt     time.Time        `json:"issued"`
	Expiration   time.Time        `json:"expires"`
}

// Claims are the claims of a checkout's SignedToken.
type Claims struct {
	Issuer         string          `json:"iss"`
	Subject        string          `json:"sub"`
	Audience       string          `json:"aud"`
	IssuedAt       int64           `json:"iat"`
	NotBefore      int64           `json:"nbf"`
	Expiry         int64           `json:"exp"`
	ID             string          `json:"jti"`
	TokenUse       string          `json:"token_use"`
	CheckoutType   string          `json:"checkout_type"`
	ProductSKU     string          `json:"product_sku"`
	KeyFingerprint string          `json:"key_fingerprint"`
	Entitlements   []Requested     `json:"entitlements"`
	NodeID         string          `json:"node_id,omitempty"`
	Metadata       []claimMetadata `json:"checkout_metadata,omitempty"`
}

type claimMetadata struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// CheckoutLicense checks out entitlements of a license received by the
// beneficiary, found by ProductSKU and KeyFingerprint. Of the licenses that
// match and are available, the newest (CreatedAt, then ARN, descending)
// that can grant every requested entitlement is charged. A retry with the
// same client token within IdempotencyWindow gets the first reply.
func (s *Service) CheckoutLicense(ctx context.Context, c Caller, req CheckoutRequest) (Checkout, error) {
	now := s.now()
	beneficiary := req.Beneficiary
	if beneficiary == "" {
		beneficiary = c.Account
	}
	hash := requestHash([]any{req, beneficiary})
	choose := func(r store.LicenseReader) (consumption, error) {
		return s.chooseCheckout(ctx, r, c, req, beneficiary, now)
	}
	out, err := s.checkout(ctx, c, opCheckoutLicense, req.ClientToken, hash, now, choose)
	if err != nil {
		return Checkout{}, fmt.Errorf("checkout license: %w", err)
	}
	return out, nil
}

// chooseCheckout picks the license a CheckoutLicense charges (see
// CheckoutLicense) and what it grants, or returns the refusal.
func (s *Service) chooseCheckout(ctx context.Context, r store.LicenseReader, c Caller, req CheckoutRequest, beneficiary string, now time.Time) (consumption, error) {
	matches, err := r.MatchLicenses(ctx, beneficiary, req.ProductSKU, req.KeyFingerprint)
	if err != nil {
		return consumption{}, err
	}
	var candidates []store.License
	otherLicense := false
	for _, l := range matches {
		switch {
		case !usable(l, now) || !c.sees(l):
		case c.License != "" && l.ARN != c.License:
			otherLicense = true
		default:
			candidates = append(candidates, l)
		}
	}
	if len(candidates) == 0 {
		if otherLicense {
			return consumption{}, refuse(AccessDenied, "User: %s is not authorized to perform: license-manager:CheckoutLicense on the license with ProductSKU %s and KeyFingerprint %s; temporary credentials act only on the license of their token (%s)",
				c.ARN, req.ProductSKU, req.KeyFingerprint, c.License)
		}
		return consumption{}, refuse(NotFound, "No available license with ProductSKU %s and KeyFingerprint %s for account %s.", req.ProductSKU, req.KeyFingerprint, beneficiary)
	}
	var first *Error
	for _, l := range candidates {
		granted, refusal, err := s.grant(ctx, r, l, req.Entitlements, now)
		if err != nil {
			return consumption{}, err
		}
		if refusal != nil {
			if first == nil {
				first = refusal
			}
			continue
		}
		return consumption{
			license: l, account: beneficiary, kind: req.CheckoutType, node: req.NodeID,
			granted: granted, now: now, expires: checkoutExpiry(l, req.CheckoutType, now),
		}, nil
	}
	return consumption{}, first
}

// checkout runs a checkout that choose decides. The decision is taken
// twice: first on a read snapshot, so that the SignedToken (an RSA
// signature, the costliest step) is made outside the write transaction,
// then again inside it, where it counts. The signature is used when both
// decisions agree, which they do unless another checkout changed the
// usage in between; otherwise the token is signed inside the transaction.
func (s *Service) checkout(ctx context.Context, c Caller, op, clientToken string, hash []byte, now time.Time,
	choose func(store.LicenseReader) (consumption, error)) (Checkout, error) {
	var early *consumption
	err := s.Store.ViewLicenses(ctx, func(r store.LicenseReader) error {
		if _, err := r.Idempotency(ctx, c.Account, op, clientToken, now); err == nil {
			return nil // a retry: its reply is replayed, nothing to sign
		}
		if plan, err := choose(r); err == nil {
			early = &plan
		}
		// A refusal here is only provisional: the transaction decides.
		return nil
	})
	if err != nil {
		return Checkout{}, err
	}
	var presigned *signed
	if early != nil {
		if sig, err := s.sign(*early); err == nil {
			presigned = &sig
		}
	}
	var out Checkout
	err = s.Store.UpdateLicenses(ctx, func(tx store.LicenseTx) error {
		replayed, err := replay(ctx, tx, c.Account, op, clientToken, hash, now, &out)
		if err != nil || replayed {
			return err
		}
		plan, err := choose(tx)
		if err != nil {
			return err
		}
		plan.presigned = presigned
		out, err = s.consume(ctx, tx, plan)
		if err != nil {
			return err
		}
		return remember(ctx, tx, c.Account, op, clientToken, hash, out.ConsumptionToken, now, out)
	})
	return out, err
}

// checkoutExpiry returns when a checkout of l made at now expires: after
// the provisional time to live, or, for a perpetual checkout, when its
// signed token does (the consumption itself stays until checked in).
func checkoutExpiry(l store.License, kind string, now time.Time) time.Time {
	if kind == store.CheckoutPerpetual {
		if !l.End.IsZero() {
			return l.End.UTC()
		}
		return now.Add(PerpetualTokenLifetime)
	}
	return capToValidity(l, now.Add(provisionalTTL(l)))
}

func provisionalTTL(l store.License) time.Duration {
	if p := l.Consumption.ProvisionalTTL; p != nil {
		return time.Duration(*p) * time.Minute
	}
	return DefaultProvisionalTTL
}

// capToValidity keeps t within the license's validity.
func capToValidity(l store.License, t time.Time) time.Time {
	if !l.End.IsZero() && t.After(l.End) {
		return l.End.UTC()
	}
	return t
}

// CheckoutBorrowLicense borrows entitlements of a license for offline use:
// the license must have a BorrowConfiguration, every entitlement must allow
// check-in, and the request must name every entitlement. The consumption
// lasts the borrow time to live.
func (s *Service) CheckoutBorrowLicense(ctx context.Context, c Caller, req BorrowRequest) (Checkout, error) {
	if err := c.mayAct(opCheckoutBorrow, req.LicenseARN); err != nil {
		return Checkout{}, err
	}
	if req.DigitalSignatureMethod != SignatureJWTPS384 {
		return Checkout{}, refuse(UnsupportedSignature, "DigitalSignatureMethod %s is not supported; the supported method is %s.", strconv.Quote(req.DigitalSignatureMethod), SignatureJWTPS384)
	}
	now := s.now()
	choose := func(r store.LicenseReader) (consumption, error) {
		l, err := r.License(ctx, req.LicenseARN)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!c.sees(l) || !usable(l, now))) {
			return consumption{}, refuse(NotFound, "License %s does not exist or is not available to account %s.", req.LicenseARN, c.Account)
		}
		if err != nil {
			return consumption{}, err
		}
		if err := borrowable(l, req.Entitlements); err != nil {
			return consumption{}, err
		}
		granted, refusal, err := s.grant(ctx, r, l, req.Entitlements, now)
		if err != nil {
			return consumption{}, err
		}
		if refusal != nil {
			return consumption{}, refusal
		}
		return consumption{
			license: l, account: l.Beneficiary, kind: store.CheckoutBorrow, node: req.NodeID, metadata: req.Metadata,
			granted: granted, now: now,
			expires: capToValidity(l, now.Add(time.Duration(l.Consumption.Borrow.MaxTTL)*time.Minute)),
		}, nil
	}
	out, err := s.checkout(ctx, c, opCheckoutBorrow, req.ClientToken, requestHash(req), now, choose)
	if err != nil {
		return Checkout{}, fmt.Errorf("checkout borrow license: %w", err)
	}
	return out, nil
}

// borrowable returns the refusal of a borrow of l, naming the first unmet
// condition, or nil.
func borrowable(l store.License, req []Requested) *Error {
	if l.Consumption.Borrow == nil {
		return refuse(NoEntitlements, "License %s is not a borrow license: its ConsumptionConfiguration has no BorrowConfiguration.", l.ARN)
	}
	for _, e := range l.Entitlements {
		if e.AllowCheckIn == nil || !*e.AllowCheckIn {
			return refuse(EntitlementNotAllowed, "Entitlement %s of license %s does not allow check-in (AllowCheckIn is not true), which borrowing requires.", strconv.Quote(e.Name), l.ARN)
		}
	}
	var missing []string
	for _, e := range l.Entitlements {
		named := false
		for _, r := range req {
			named = named || r.Name == e.Name
		}
		if !named {
			missing = append(missing, strconv.Quote(e.Name))
		}
	}
	if len(missing) > 0 {
		return refuse(Invalid, "Partial checkout is not supported: a borrow must include every entitlement of license %s (missing: %s).", l.ARN, strings.Join(missing, ", "))
	}
	return nil
}

// grant decides whether l can grant every requested entitlement at now,
// given what active consumptions hold. It returns the consumed
// entitlements, or the refusal naming the first that cannot be granted.
func (s *Service) grant(ctx context.Context, r store.LicenseReader, l store.License, req []Requested, now time.Time) ([]store.ConsumedEntitlement, *Error, error) {
	usage, err := r.Usage(ctx, l.ARN, now)
	if err != nil {
		return nil, nil, err
	}
	used := map[string]int64{}
	for _, u := range usage {
		used[u.Name] = u.Consumed
	}
	granted := make([]store.ConsumedEntitlement, 0, len(req))
	for _, q := range req {
		e, ok := entitlement(l, q.Name)
		switch {
		case !ok:
			return nil, refuse(NoEntitlements, "License %s has no entitlement named %s.", l.ARN, strconv.Quote(q.Name)), nil
		case e.Unit != q.Unit:
			return nil, refuse(NoEntitlements, "Entitlement %s of license %s is in unit %s, not %s.", strconv.Quote(q.Name), l.ARN, e.Unit, q.Unit), nil
		}
		amount, value := int64(1), ""
		if e.Unit == UnitNone {
			if e.Value != nil {
				value = *e.Value
			}
			if q.Value != "" && q.Value != value {
				return nil, refuse(NoEntitlements, "Entitlement %s of license %s has the value %s, not %s.", strconv.Quote(q.Name), l.ARN, strconv.Quote(value), strconv.Quote(q.Value)), nil
			}
		} else if q.Value != "" {
			amount, err = strconv.ParseInt(q.Value, 10, 64)
			if err != nil || amount < 0 {
				return nil, refuse(Invalid, "The value %s of entitlement %s is not a non-negative whole number.", strconv.Quote(q.Value), strconv.Quote(q.Name)), nil
			}
		}
		if amount > math.MaxInt64-used[q.Name] {
			// The total in use must stay a 64-bit count. Only a license
			// with Overage or without MaxCount gets here, or one whose
			// entitlement changed unit in a later version while older
			// checkouts under its name are still active.
			return nil, refuse(NoEntitlements, "Entitlement %s of license %s has %d in use; %d more would exceed the largest count, %d.",
				strconv.Quote(q.Name), l.ARN, used[q.Name], amount, int64(math.MaxInt64)), nil
		}
		limited := e.Unit != UnitNone && e.MaxCount != nil && (e.Overage == nil || !*e.Overage)
		if limited && amount > *e.MaxCount-used[q.Name] {
			return nil, refuse(NoEntitlements, "Entitlement %s of license %s has MaxCount %d and %d in use: a checkout of %d more does not fit.",
				strconv.Quote(q.Name), l.ARN, *e.MaxCount, used[q.Name], amount), nil
		}
		used[q.Name] += amount // a request naming an entitlement twice counts both
		if e.Unit != UnitNone {
			value = strconv.FormatInt(amount, 10)
		}
		granted = append(granted, store.ConsumedEntitlement{Name: q.Name, Unit: q.Unit, Value: value, Amount: amount})
	}
	return granted, nil, nil
}

func entitlement(l store.License, name string) (store.Entitlement, bool) {
	for _, e := range l.Entitlements {
		if e.Name == name {
			return e, true
		}
	}
	return store.Entitlement{}, false
}

// consumption is a granted checkout about to be recorded.
type consumption struct {
	license  store.License
	account  string
	kind     string
	node     string
	metadata []store.Metadata
	granted  []store.ConsumedEntitlement
	now      time.Time
	expires  time.Time
	// presigned, when set, was signed for a decision taken before the
	// transaction; consume uses it if it matches this one.
	presigned *signed
}

// signed is the id and SignedToken of a consumption, with what they were
// signed for.
type signed struct {
	license string
	granted []store.ConsumedEntitlement
	expires time.Time
	id      string
	token   string
	ents    []Requested
}

// matches reports whether sig was signed for exactly c.
func (sig *signed) matches(c consumption) bool {
	return sig != nil && sig.license == c.license.ARN && sig.expires.Equal(c.expires) && slices.Equal(sig.granted, c.granted)
}

// sign makes the id and SignedToken of consumption c.
func (s *Service) sign(c consumption) (signed, error) {
	id, err := newHex()
	if err != nil {
		return signed{}, err
	}
	l := c.license
	ents := make([]Requested, len(c.granted))
	for i, g := range c.granted {
		ents[i] = Requested{Name: g.Name, Value: g.Value, Unit: g.Unit}
	}
	use := UseCheckout
	if c.kind == store.CheckoutBorrow {
		use = UseBorrow
	}
	claims := Claims{
		Issuer: s.Issuer, Subject: c.account, Audience: l.ARN,
		IssuedAt: c.now.Unix(), NotBefore: c.now.Unix(), Expiry: c.expires.Unix(), ID: id,
		TokenUse: use, CheckoutType: c.kind, ProductSKU: l.ProductSKU, KeyFingerprint: l.KeyFingerprint,
		Entitlements: ents, NodeID: c.node,
	}
	for _, m := range c.metadata {
		claims.Metadata = append(claims.Metadata, claimMetadata(m))
	}
	key := s.Keys.Active(token.PS384)
	if key == nil {
		return signed{}, errors.New("no PS384 signing key")
	}
	tok, err := key.Sign(claims)
	if err != nil {
		return signed{}, err
	}
	return signed{license: l.ARN, granted: c.granted, expires: c.expires, id: id, token: tok, ents: ents}, nil
}

// consume records the granted checkout c and returns its reply.
func (s *Service) consume(ctx context.Context, tx store.LicenseTx, c consumption) (Checkout, error) {
	sig := c.presigned
	if !sig.matches(c) {
		fresh, err := s.sign(c)
		if err != nil {
			return Checkout{}, err
		}
		sig = &fresh
	}
	rec := store.Consumption{
		Token: sig.id, LicenseARN: c.license.ARN, AccountID: c.account, Type: c.kind, NodeID: c.node,
		Entitlements: c.granted, Metadata: c.metadata, IssuedAt: c.now, SignedToken: sig.token,
	}
	if c.kind != store.CheckoutPerpetual {
		rec.ExpiresAt = c.expires
	}
	if err := tx.AddConsumption(ctx, rec); err != nil {
		return Checkout{}, err
	}
	out := Checkout{
		LicenseARN: c.license.ARN, ConsumptionToken: sig.id, Entitlements: sig.ents, SignedToken: sig.token,
		NodeID: c.node, Metadata: c.metadata, IssuedAt: c.now, Expiration: c.expires,
	}
	if c.kind != store.CheckoutBorrow {
		out.Type = c.kind
	}
	return out, nil
}
