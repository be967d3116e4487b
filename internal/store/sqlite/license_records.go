package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/license-manager/license-manager/internal/store"
)

// The JSON forms of the lists kept in license and consumption rows. Their
// keys are part of the schema: renaming a field of a store record must not
// rename a key.
type (
	entitlementJSON struct {
		Name         string  `json:"name"`
		Unit         string  `json:"unit"`
		Value        *string `json:"value,omitempty"`
		MaxCount     *int64  `json:"max_count,omitempty"`
		Overage      *bool   `json:"overage,omitempty"`
		AllowCheckIn *bool   `json:"allow_check_in,omitempty"`
	}
	metadataJSON struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	tagJSON struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
)

// encodeJSON returns v as JSON text. The values are slices of the types
// above, whose strings store.ValidateLicense and store.ValidateConsumption
// have checked, so marshalling cannot fail.
func encodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlite: encode %T: %v", v, err))
	}
	return string(b)
}

func encodeEntitlements(es []store.Entitlement) string {
	out := make([]entitlementJSON, len(es))
	for i, e := range es {
		out[i] = entitlementJSON(e)
	}
	return encodeJSON(out)
}

func decodeEntitlements(s string) ([]store.Entitlement, error) {
	var in []entitlementJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]store.Entitlement, len(in))
	for i, e := range in {
		out[i] = store.Entitlement(e)
	}
	return out, nil
}

func encodeMetadata(ms []store.Metadata) string {
	out := make([]metadataJSON, len(ms))
	for i, m := range ms {
		out[i] = metadataJSON(m)
	}
	return encodeJSON(out)
}

func decodeMetadata(s string) ([]store.Metadata, error) {
	var in []metadataJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]store.Metadata, len(in))
	for i, m := range in {
		out[i] = store.Metadata(m)
	}
	return out, nil
}

func encodeTags(tags []store.Tag) string {
	out := make([]tagJSON, len(tags))
	for i, t := range tags {
		out[i] = tagJSON(t)
	}
	return encodeJSON(out)
}

func decodeTags(s string) ([]store.Tag, error) {
	var in []tagJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]store.Tag, len(in))
	for i, t := range in {
		out[i] = store.Tag(t)
	}
	return out, nil
}

// scanLicense reads the licenseColumns of one row.
func scanLicense(sc scanner) (store.License, error) {
	var (
		l                             store.License
		created, versionCreated       int64
		deleted, begin, end           sql.NullInt64
		tags, entitlements, metadata  string
		provisionalTTL, early, borrow sql.NullInt64
	)
	err := sc.Scan(&l.ARN, &l.AccountID, &l.Beneficiary, &l.ProductSKU, &created,
		&l.LatestVersion, &tags, &l.Version, &versionCreated, &l.Status, &deleted, &l.Name,
		&l.ProductName, &l.IssuerName, &l.SignKey, &l.KeyFingerprint, &l.HomeRegion,
		&l.ValidityBegin, &l.ValidityEnd, &begin, &end, &entitlements, &metadata,
		&l.Consumption.RenewType, &provisionalTTL, &early, &borrow)
	if err != nil {
		return store.License{}, err
	}
	if l.Tags, err = decodeTags(tags); err != nil {
		return store.License{}, fmt.Errorf("license %s tags: %w", l.ARN, err)
	}
	if l.Entitlements, err = decodeEntitlements(entitlements); err != nil {
		return store.License{}, fmt.Errorf("license %s version %d entitlements: %w", l.ARN, l.Version, err)
	}
	if l.Metadata, err = decodeMetadata(metadata); err != nil {
		return store.License{}, fmt.Errorf("license %s version %d metadata: %w", l.ARN, l.Version, err)
	}
	l.CreatedAt = fromMicros(created)
	l.VersionCreatedAt = fromMicros(versionCreated)
	l.DeletedAt = fromNullMicros(deleted)
	l.Begin = fromNullMicros(begin)
	l.End = fromNullMicros(end)
	if provisionalTTL.Valid {
		l.Consumption.ProvisionalTTL = &provisionalTTL.Int64
	}
	if early.Valid && borrow.Valid {
		l.Consumption.Borrow = &store.BorrowConfig{AllowEarlyCheckIn: early.Int64 != 0, MaxTTL: borrow.Int64}
	}
	return l, nil
}

// versionArgs are l's values for versionColumns.
func versionArgs(l store.License) []any {
	var early, borrowTTL sql.NullInt64
	if b := l.Consumption.Borrow; b != nil {
		early = sql.NullInt64{Valid: true}
		if b.AllowEarlyCheckIn {
			early.Int64 = 1
		}
		borrowTTL = sql.NullInt64{Int64: b.MaxTTL, Valid: true}
	}
	var provisionalTTL sql.NullInt64
	if p := l.Consumption.ProvisionalTTL; p != nil {
		provisionalTTL = sql.NullInt64{Int64: *p, Valid: true}
	}
	return []any{
		l.ARN, l.Version, micros(l.VersionCreatedAt), l.Status, nullMicros(l.DeletedAt), l.Name,
		l.ProductName, l.IssuerName, l.SignKey, l.KeyFingerprint, l.HomeRegion,
		l.ValidityBegin, l.ValidityEnd, nullMicros(l.Begin), nullMicros(l.End),
		encodeEntitlements(l.Entitlements), encodeMetadata(l.Metadata),
		l.Consumption.RenewType, provisionalTTL, early, borrowTTL,
	}
}

// scanConsumption reads the consumptionColumns of one row; the
// entitlements are read apart.
func scanConsumption(sc scanner) (store.Consumption, error) {
	var (
		c                  store.Consumption
		metadata           string
		issued             int64
		expires, checkedIn sql.NullInt64
	)
	err := sc.Scan(&c.Token, &c.LicenseARN, &c.AccountID, &c.Type, &c.NodeID, &metadata,
		&issued, &expires, &checkedIn, &c.SignedToken)
	if err != nil {
		return store.Consumption{}, err
	}
	if c.Metadata, err = decodeMetadata(metadata); err != nil {
		return store.Consumption{}, fmt.Errorf("consumption %s metadata: %w", c.Token, err)
	}
	c.IssuedAt = fromMicros(issued)
	c.ExpiresAt = fromNullMicros(expires)
	c.CheckedInAt = fromNullMicros(checkedIn)
	return c, nil
}

// fromNullMicros is the inverse of nullMicros.
func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicros(v.Int64)
}
