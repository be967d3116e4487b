package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// ValidateCreate reports the first problem that makes t and rec unfit for
// CreateToken, naming the field, or nil. Backends call it before writing
// anything, so that every backend refuses the same input with the same
// words; the errors are not sentinels because they mean a caller bug.
func ValidateCreate(t Token, rec Idempotency) error {
	switch {
	case t.ID == "":
		return errors.New("token id is empty")
	case t.AccountID == "":
		return errors.New("token account id is empty")
	case t.Status != StatusAvailable && t.Status != StatusDeleted:
		return fmt.Errorf("token status %q is neither %s nor %s", t.Status, StatusAvailable, StatusDeleted)
	case t.Status == StatusDeleted && t.DeletedAt.IsZero():
		return errors.New("token deletion time is zero for a deleted token")
	case t.Status == StatusAvailable && !t.DeletedAt.IsZero():
		return errors.New("token deletion time is set for an available token")
	case len(t.Hash) == 0:
		return errors.New("token hash is empty")
	case rec.AccountID != t.AccountID:
		return fmt.Errorf("idempotency account id %q differs from token account id %q", rec.AccountID, t.AccountID)
	case rec.Operation == "":
		return errors.New("idempotency operation is empty")
	case rec.ClientToken == "":
		return errors.New("idempotency client token is empty")
	}
	fields := []struct {
		name  string
		value string
	}{
		{"token id", t.ID},
		{"token account id", t.AccountID},
		{"token license arn", t.LicenseARN},
		{"idempotency operation", rec.Operation},
		{"idempotency client token", rec.ClientToken},
		{"idempotency resource id", rec.ResourceID},
	}
	for _, f := range fields {
		if err := validText(f.name, f.value); err != nil {
			return err
		}
	}
	for i, s := range t.RoleARNs {
		if err := validText(fmt.Sprintf("token role arn %d", i+1), s); err != nil {
			return err
		}
	}
	for i, s := range t.Properties {
		if err := validText(fmt.Sprintf("token property %d", i+1), s); err != nil {
			return err
		}
	}
	return nil
}

// ValidateQuery reports what makes q unfit for ListTokens, or nil.
func ValidateQuery(q TokenQuery) error {
	if q.Limit < 0 {
		return fmt.Errorf("token query limit %d is negative", q.Limit)
	}
	return nil
}

// validText refuses what one backend would store and another would reject
// or alter: SQL text columns (PostgreSQL) hold neither invalid UTF-8 nor
// NUL, and JSON encoding replaces invalid UTF-8.
func validText(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%s contains a NUL character", field)
	}
	return nil
}

// licenseStatuses are the statuses a license version may record.
var licenseStatuses = []string{
	LicenseAvailable, LicensePendingAvailable, LicenseDeactivated, LicenseSuspended,
	LicenseExpired, LicensePendingDelete, LicenseDeleted,
}

// ValidateLicense reports the first problem that makes l unfit for
// CreateLicense or AddLicenseVersion, naming the field, or nil. Like
// ValidateCreate it checks what every backend must store alike (ids, times,
// text), not the API's rules on licenses.
func ValidateLicense(l License) error {
	switch {
	case l.ARN == "":
		return errors.New("license arn is empty")
	case l.AccountID == "":
		return errors.New("license account id is empty")
	case l.Beneficiary == "":
		return errors.New("license beneficiary is empty")
	case l.ProductSKU == "":
		return errors.New("license product sku is empty")
	case l.Version < 1:
		return fmt.Errorf("license version %d is under 1", l.Version)
	case l.CreatedAt.IsZero():
		return errors.New("license creation time is zero")
	case l.VersionCreatedAt.IsZero():
		return errors.New("license version creation time is zero")
	case !slices.Contains(licenseStatuses, l.Status):
		return fmt.Errorf("license status %q is not a license status", l.Status)
	case l.Status == LicenseDeleted && l.DeletedAt.IsZero():
		return errors.New("license deletion time is zero for a deleted license")
	case l.Status != LicenseDeleted && !l.DeletedAt.IsZero():
		return fmt.Errorf("license deletion time is set for a %s license", l.Status)
	}
	fields := []struct {
		name  string
		value string
	}{
		{"license arn", l.ARN},
		{"license account id", l.AccountID},
		{"license beneficiary", l.Beneficiary},
		{"license product sku", l.ProductSKU},
		{"license status", l.Status},
		{"license name", l.Name},
		{"license product name", l.ProductName},
		{"license issuer name", l.IssuerName},
		{"license sign key", l.SignKey},
		{"license key fingerprint", l.KeyFingerprint},
		{"license home region", l.HomeRegion},
		{"license validity begin", l.ValidityBegin},
		{"license validity end", l.ValidityEnd},
		{"license renew type", l.Consumption.RenewType},
	}
	for _, f := range fields {
		if err := validText(f.name, f.value); err != nil {
			return err
		}
	}
	for i, e := range l.Entitlements {
		field := fmt.Sprintf("license entitlement %d", i+1)
		switch {
		case e.Name == "":
			return fmt.Errorf("%s name is empty", field)
		case e.Unit == "":
			return fmt.Errorf("%s unit is empty", field)
		}
		value := ""
		if e.Value != nil {
			value = *e.Value
		}
		if err := validTexts(field, "name", e.Name, "unit", e.Unit, "value", value); err != nil {
			return err
		}
	}
	for i, m := range l.Metadata {
		if err := validTexts(fmt.Sprintf("license metadata %d", i+1), "name", m.Name, "value", m.Value); err != nil {
			return err
		}
	}
	for i, tag := range l.Tags {
		if err := validTexts(fmt.Sprintf("license tag %d", i+1), "key", tag.Key, "value", tag.Value); err != nil {
			return err
		}
	}
	return nil
}

// ValidateConsumption reports the first problem that makes c unfit for
// AddConsumption, naming the field, or nil.
func ValidateConsumption(c Consumption) error {
	switch {
	case c.Token == "":
		return errors.New("consumption token is empty")
	case c.LicenseARN == "":
		return errors.New("consumption license arn is empty")
	case c.AccountID == "":
		return errors.New("consumption account id is empty")
	case c.Type != CheckoutProvisional && c.Type != CheckoutPerpetual && c.Type != CheckoutBorrow:
		return fmt.Errorf("consumption type %q is none of %s, %s and %s",
			c.Type, CheckoutProvisional, CheckoutPerpetual, CheckoutBorrow)
	case c.IssuedAt.IsZero():
		return errors.New("consumption issue time is zero")
	}
	fields := []struct {
		name  string
		value string
	}{
		{"consumption token", c.Token},
		{"consumption license arn", c.LicenseARN},
		{"consumption account id", c.AccountID},
		{"consumption node id", c.NodeID},
		{"consumption signed token", c.SignedToken},
	}
	for _, f := range fields {
		if err := validText(f.name, f.value); err != nil {
			return err
		}
	}
	for i, e := range c.Entitlements {
		field := fmt.Sprintf("consumption entitlement %d", i+1)
		switch {
		case e.Name == "":
			return fmt.Errorf("%s name is empty", field)
		case e.Amount < 0:
			return fmt.Errorf("%s amount %d is negative", field, e.Amount)
		}
		if err := validTexts(field, "name", e.Name, "unit", e.Unit, "value", e.Value); err != nil {
			return err
		}
	}
	for i, m := range c.Metadata {
		if err := validTexts(fmt.Sprintf("consumption metadata %d", i+1), "name", m.Name, "value", m.Value); err != nil {
			return err
		}
	}
	return nil
}

// ValidateIdempotency reports the first problem that makes rec unfit for
// PutIdempotency, naming the field, or nil.
func ValidateIdempotency(rec Idempotency) error {
	switch {
	case rec.AccountID == "":
		return errors.New("idempotency account id is empty")
	case rec.Operation == "":
		return errors.New("idempotency operation is empty")
	case rec.ClientToken == "":
		return errors.New("idempotency client token is empty")
	}
	return validTexts("idempotency", "account id", rec.AccountID, "operation", rec.Operation,
		"client token", rec.ClientToken, "resource id", rec.ResourceID)
}

// ValidateLicenseQuery reports what makes q unfit for Licenses, or nil.
func ValidateLicenseQuery(q LicenseQuery) error {
	switch {
	case q.AccountID == "" && q.Beneficiary == "":
		return errors.New("license query has neither an account id nor a beneficiary")
	case q.Limit < 0:
		return fmt.Errorf("license query limit %d is negative", q.Limit)
	}
	return nil
}

// validTexts applies validText to pairs of member names and values of the
// thing named prefix.
func validTexts(prefix string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := validText(prefix+" "+pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}
