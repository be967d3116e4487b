package store

import (
	"errors"
	"fmt"
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
